"""Signed WhatsApp webhooks against a real `pcrm serve` process, driven by wrk from another process (as the
sidecar is): the daemon gets its own core instead of sharing one with an in-process client.

    PYTHONPATH=. .venv/bin/python bench/whatsapp_wrk.py --seconds 8 --connections 8 --contacts 2000

Needs wrk (apt-get install -y wrk). The store (a temporary PCRM_HOME) gets the demo's contacts and the
webhook secret; a warm-up creates the 200 senders; then every body wrk sends is a new real-time
`message_received` (distinct message ids, pre-signed with HMAC-SHA256 into a Lua table, so wrk only sends).
Printed: the interactions the daemon stored per second (counted in the store afterwards, not wrk's
requests), wrk's latency, the daemon's CPU seconds and the load average. Target: 1,000 signed messages/s.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.whatsapp_webhook import PEOPLE, SECRET


def _body(k: int) -> bytes:
    """A real-time event as the sidecar sends it (the message spread over the event, as in
    bench/whatsapp_webhook.py)."""
    from bench.whatsapp_webhook import _rt

    return json.dumps(_rt(k)).encode()


def _sig(raw: bytes) -> str:
    return hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()


def _lua(bodies: list[bytes], path: Path) -> None:
    def q(b: bytes) -> str:
        return "[==[" + b.decode() + "]==]"

    lines = ["local bodies = {"] + [f"  {{{q(b)}, '{_sig(b)}'}}," for b in bodies] + ["}"]
    lines += [
        "local i = 0",
        "wrk.method = 'POST'",
        "wrk.headers['Content-Type'] = 'application/json'",
        "request = function()",
        "  i = i + 1",
        "  local b = bodies[i]",
        "  if b == nil then return wrk.format('GET', '/api/health') end",
        (
            "  return wrk.format('POST', '/api/v1/webhooks/whatsapp', {['X-Webhook-Signature'] = b[2],"
            " ['Content-Type'] = 'application/json'}, b[1])"
        ),
        "end",
    ]
    path.write_text("\n".join(lines))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _count(home: str) -> int:
    import apsw

    conn = apsw.Connection(str(Path(home) / "pcrm.db"), flags=apsw.SQLITE_OPEN_READONLY)
    n = conn.execute("SELECT count(*) FROM interactions WHERE platform = 'whatsapp'").fetchall()[0][0]
    conn.close()
    return int(n)


def _cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--contacts", type=int, default=2000)
    ap.add_argument("--bodies", type=int, default=40000, help="distinct signed messages prepared for wrk")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["PCRM_HOME"] = home
        from pcrm import secrets
        from pcrm.services import demo
        from pcrm.services.context import open_context

        with open_context() as ctx:
            if a.contacts:
                demo.build_demo(ctx, contacts=a.contacts)
        secrets.put("whatsapp.webhook_secret", SECRET)
        port = _free_port()
        env = {**os.environ, "PCRM_HOME": home}
        daemon = subprocess.Popen(
            [sys.executable, "-m", "pcrm", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(base + "/api/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            for k in range(PEOPLE):  # warm-up: the senders become contacts
                raw = _body(k)
                req = urllib.request.Request(
                    base + "/api/v1/webhooks/whatsapp",
                    data=raw,
                    headers={"Content-Type": "application/json", "X-Webhook-Signature": _sig(raw)},
                )
                urllib.request.urlopen(req, timeout=10).read()
            before = _count(home)
            script = Path(home) / "bodies.lua"
            _lua([_body(PEOPLE + k) for k in range(a.bodies)], script)
            load = os.getloadavg()[0]
            cpu0 = _cpu(daemon.pid)
            t0 = time.perf_counter()
            out = subprocess.run(
                ["wrk", "-t1", f"-c{a.connections}", f"-d{a.seconds}s", "--latency", "-s", str(script), base],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            wall = time.perf_counter() - t0
            cpu = _cpu(daemon.pid) - cpu0
            time.sleep(0.5)
            stored = _count(home) - before
            lat = [ln.strip() for ln in out.splitlines() if ln.strip().startswith(("50%", "99%"))]
            print(
                f"{a.connections} connections, {a.seconds} s, load {load:.2f}: {stored} messages stored = "
                f"{stored / wall:,.0f} messages/s (wall incl. wrk start), daemon CPU {cpu:.2f} s = "
                f"{stored / max(cpu, 1e-9):,.0f} messages per daemon CPU s; wrk latency {lat}"
            )
            if stored >= a.bodies:
                print("note: wrk ran out of prepared bodies; raise --bodies")
        finally:
            daemon.terminate()
            daemon.wait(10)


if __name__ == "__main__":
    main()
