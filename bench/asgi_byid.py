"""What the daemon's own code costs for `GET /api/v1/contacts/{id}`: the daemon app called in-process over
ASGI (no socket, no uvicorn), on one event loop, as uvicorn would call it.

    PYTHONPATH=. .venv/bin/python bench/asgi_byid.py /tmp/pcrm-real [--requests 20000] [--profile] [--freeze]

The app is `pcrm serve`'s (create_daemon_app) without its scheduler; a script token is made for the run and
revoked after. Each request takes the lean path [lean-path] and, being a by-id read, runs on the event loop
[inline-reads]. Prints wall and CPU time per request after 500 warm-up requests; --profile adds cProfile's
top functions; --freeze freezes the collector first, as `pcrm serve` does once it has started.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import os
import pstats
import time
from pathlib import Path
from typing import Any


def _scope(path: str, token: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1:8765"),
            (b"authorization", f"Bearer {token}".encode()),
            (b"accept", b"*/*"),
        ],
        "client": ("127.0.0.1", 5555),
        "server": ("127.0.0.1", 8765),
        "state": {},
    }


async def _run(
    app: Any, token: str, ids: list[str], n: int, prof: cProfile.Profile | None, freeze: bool
) -> None:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    from_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    await to_app.put({"type": "lifespan.startup"})
    lifespan_scope = {"type": "lifespan", "asgi": {"version": "3.0"}}
    lifespan = asyncio.create_task(app(lifespan_scope, to_app.get, from_app.put))
    started = await from_app.get()
    if started["type"] != "lifespan.startup.complete":
        raise SystemExit(f"the app did not start: {started}")
    paths = [f"/api/v1/contacts/{i}" for i in ids]
    for i in range(500):
        await app(_scope(paths[i % len(paths)], token), receive, send)
    if sent[0].get("status") != 200:
        raise SystemExit(f"by-id answered {sent[0].get('status')}: {sent[1].get('body', b'')[:300]!r}")
    sent.clear()
    if freeze:
        gc.collect()
        gc.freeze()
    wall, cpu = time.perf_counter(), time.process_time()
    if prof:
        prof.enable()
    for i in range(n):
        await app(_scope(paths[i % len(paths)], token), receive, send)
    if prof:
        prof.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{n} by-id requests: {wall / n * 1e6:.0f} us wall, {cpu / n * 1e6:.0f} us CPU a request")
    await to_app.put({"type": "lifespan.shutdown"})
    await lifespan


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("home", type=Path)
    ap.add_argument("--requests", type=int, default=20000)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--freeze", action="store_true")
    args = ap.parse_args()
    os.environ["PCRM_HOME"] = str(args.home)

    from pcrm.daemon.app import create_daemon_app
    from pcrm.services import contacts, tokens
    from pcrm.services.context import open_context

    name = f"asgi-byid-{os.getpid()}"
    with open_context() as ctx:
        token = tokens.create_script_token(ctx, name).data["token"]
        ids = [c["id"] for c in contacts.list_contacts(ctx, {}, page_size=100).data]
    try:
        import uvloop  # as uvicorn picks it

        uvloop.install()
    except ImportError:
        pass
    prof = cProfile.Profile() if args.profile else None
    try:
        asyncio.run(_run(create_daemon_app(port=8765), token, ids, args.requests, prof, args.freeze))
    finally:
        with open_context() as ctx:
            tokens.revoke_script_token(ctx, name)
    if prof:
        pstats.Stats(prof).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
