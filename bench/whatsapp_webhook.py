"""Signed WhatsApp webhooks [whatsapp-webhook]: messages stored per second, sustained, over the API in-process
(httpx ASGITransport, the daemon's app and its writer lane), each call signed with HMAC-SHA256 as the sidecar
signs it. Two shapes the sidecar sends:
- real-time: one `message_received` per call (the reference's envelope, message type spread over it),
  from PEOPLE different numbers, CONCURRENCY calls in flight;
- backfill: `backfill_batch` calls of 50 messages (the sidecar's default batchSize).
Every message is new (a distinct message id); a final replay of one batch checks nothing is added.

    .venv/bin/python bench/whatsapp_webhook.py --seconds 10 --contacts 2000

Target (issue "extension and push channels"): 1,000 signed webhook messages/s sustained.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import tempfile
import time
from typing import Any

SECRET = "bench-secret-" + "0" * 51
CPU = 0.0  # CPU seconds of the last _drive
PEOPLE = 200


def _message(k: int) -> dict[str, Any]:
    return {
        "message_id": f"true_{k}@c.us_3EB0{k:012d}",
        "from": f"1202555{k % PEOPLE:04d}@c.us",
        "sender_name": f"Person{k % PEOPLE} Example",
        "direction": "inbound" if k % 3 else "outbound",
        "body": f"message {k} " + "lorem ipsum " * 6,
        "type": "chat",
        "timestamp": 1740000000 + k,
    }


def _signed(body: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(body).encode()
    sig = hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    return raw, {"Content-Type": "application/json", "X-Webhook-Signature": sig}


async def _drive(
    client: Any, bodies: list[dict[str, Any]], concurrency: int
) -> tuple[float, int, list[float]]:
    """Send every body, `concurrency` in flight; (seconds, interactions created, per-call ms)."""
    signed = [_signed(b) for b in bodies]  # signing is the sidecar's cost, not pcrm's
    queue: asyncio.Queue[tuple[bytes, dict[str, str]]] = asyncio.Queue()
    for s in signed:
        queue.put_nowait(s)
    created = 0
    lat: list[float] = []

    async def worker() -> None:
        nonlocal created
        while not queue.empty():
            raw, headers = queue.get_nowait()
            t = time.perf_counter()
            r = await client.post("/api/v1/webhooks/whatsapp", content=raw, headers=headers)
            lat.append(1000 * (time.perf_counter() - t))
            assert r.status_code == 200, r.text
            created += r.json()["data"]["interactions_created"]

    t0, c0 = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    global CPU
    CPU = time.process_time() - c0  # the whole process: client, app and writer lane together
    return time.perf_counter() - t0, created, lat


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))]


async def _run(seconds: float, contacts: int, concurrency: int) -> None:
    import httpx
    from asgi_lifespan import LifespanManager

    from pcrm import secrets
    from pcrm.api.app import create_app
    from pcrm.services import demo
    from pcrm.services.context import open_context

    secrets.put("whatsapp.webhook_secret", SECRET)
    if contacts:
        with open_context() as ctx:
            demo.build_demo(ctx, contacts=contacts)
    app = create_app()
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            # warm-up: creates the PEOPLE contacts, so the timed runs measure messages, not contact creation
            warm = [
                {"type": "backfill_batch", "user_id": "pcrm", "messages": [_message(k)]}
                for k in range(PEOPLE)
            ]
            s, _, _ = await _drive(client, warm, concurrency)
            print(f"warm-up: {PEOPLE} calls creating {PEOPLE} contacts in {s:.2f} s")
            k = PEOPLE
            # real-time: calibrate a count that takes about `seconds`
            n = 500
            s, created, lat = await _drive(client, [_rt(k + i) for i in range(n)], concurrency)
            k += n
            n = max(n, int(seconds * n / s))
            s, created, lat = await _drive(client, [_rt(k + i) for i in range(n)], concurrency)
            k += n
            print(
                f"real-time (1 message a call, {concurrency} in flight): {n} calls in {s:.2f} s = "
                f"{created / s:,.0f} messages/s; p50 {_pct(lat, 0.5):.1f} ms, p99 {_pct(lat, 0.99):.1f} ms; "
                f"created {created}; {created / CPU:,.0f} messages per CPU s (client included)"
            )
            batches = max(10, int(seconds * 40))
            bodies = [
                {
                    "type": "backfill_batch",
                    "user_id": "pcrm",
                    "messages": [_message(k + b * 50 + j) for j in range(50)],
                }
                for b in range(batches)
            ]
            s, created, lat = await _drive(client, bodies, min(concurrency, 4))
            print(
                f"backfill (50 messages a call): {batches} calls in {s:.2f} s = "
                f"{created / s:,.0f} messages/s; p50 {_pct(lat, 0.5):.1f} ms a call; created {created}; "
                f"{created / CPU:,.0f} messages per CPU s"
            )
            s, again, _ = await _drive(client, bodies[:1], 1)
            print(f"replay of one batch: {again} created ({1000 * s:.1f} ms)")


def _rt(k: int) -> dict[str, Any]:
    return {"type": "message_received", "user_id": "pcrm", **_message(k), "ts": (1740000000 + k) * 1000}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=10.0, help="about how long each timed run lasts")
    ap.add_argument("--contacts", type=int, default=0, help="demo contacts in the store first")
    ap.add_argument("--concurrency", type=int, default=8, help="calls in flight")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["PCRM_HOME"] = home
        os.environ.setdefault("PCRM_SECRETS_BACKEND", "file")
        asyncio.run(_run(a.seconds, a.contacts, a.concurrency))


if __name__ == "__main__":
    main()
