"""The extension's LinkedIn push [extension-push]: one push of 50 profiles (with 2 KB inline avatars) and
500 messages across them, over the API in-process (httpx ASGITransport, the daemon's app, an extension token),
into a store that already holds CONTACTS contacts; then the same push again (all duplicates) and pushes of 500
new messages to the same people (the extension's usual 15-minute sync).

    .venv/bin/python bench/push_bench.py --contacts 5000

Target (issue "extension and push channels"): a push of 50 profiles + 500 messages in <= 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import statistics
import tempfile
import time
from typing import Any

AVATAR = "data:image/jpeg;base64," + base64.b64encode(os.urandom(2048)).decode()


def _payload(round_: int) -> dict[str, Any]:
    profiles = [
        {
            "profile_id": f"person-{i}",
            "profile_url": f"https://www.linkedin.com/in/person-{i}/",
            "full_name": f"Person{i} Example",
            "headline": f"Engineer at Company{i}",
            "company": f"Company{i}",
            "location": "Berlin",
            "avatar_data": AVATAR,
        }
        for i in range(50)
    ]
    messages = [
        {
            "profile_id": f"person-{k % 50}",
            "profile_name": f"Person{k % 50} Example",
            "direction": "inbound" if k % 2 else "outbound",
            "content_preview": f"message {round_}-{k} " + "lorem ipsum " * 8,
            "timestamp": f"2025-02-{1 + k % 27:02d}T{k % 24:02d}:00:00.000Z",
            "conversation_id": f"2-conv-{k % 50}",
            "content_hash": f"{round_}-{k}",
        }
        for k in range(500)
    ]
    return {"profiles": profiles, "messages": messages}


async def _run(contacts: int) -> None:
    import httpx
    from asgi_lifespan import LifespanManager

    from pcrm.api.app import create_app
    from pcrm.services import auth, demo
    from pcrm.services.context import open_context

    with open_context() as ctx:
        user = auth.register(ctx, {"email": "me@example.com", "password": "correct horse battery"}).data
        token = auth.mint_jwt(ctx, user["id"], kind="extension")["access_token"]
        if contacts:
            demo.build_demo(ctx, contacts=contacts)
    app = create_app()
    headers = {"Authorization": f"Bearer {token}"}
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            for label, body in (
                ("first push (50 new contacts, 500 messages)", _payload(0)),
                ("same push again (all duplicates)", _payload(0)),
            ):
                t, c = time.perf_counter(), time.process_time()
                r = await client.post("/api/v1/linkedin/push", json=body, headers=headers)
                ms = 1000 * (time.perf_counter() - t)
                cpu = 1000 * (time.process_time() - c)
                d = r.json()["data"]
                print(
                    f"{label}: {ms:.0f} ms (CPU {cpu:.0f} ms)  {r.status_code} "
                    f"created={d['contacts_created']} "
                    f"interactions={d['interactions_created']} skipped={d['interactions_skipped']}"
                )
            times, cpus = [], []
            for n in range(1, 11):
                t, c = time.perf_counter(), time.process_time()
                r = await client.post("/api/v1/linkedin/push", json=_payload(n), headers=headers)
                times.append(1000 * (time.perf_counter() - t))
                cpus.append(1000 * (time.process_time() - c))
                assert r.json()["data"]["interactions_created"] == 500, r.text
            print(
                f"10 pushes of 50 known profiles + 500 new messages: "
                f"median {statistics.median(times):.0f} ms, "
                f"max {max(times):.0f} ms (target <= 300 ms); CPU median {statistics.median(cpus):.0f} ms"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--contacts", type=int, default=0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["PCRM_HOME"] = home
        os.environ.setdefault("PCRM_SECRETS_BACKEND", "file")
        asyncio.run(_run(args.contacts))


if __name__ == "__main__":
    main()
