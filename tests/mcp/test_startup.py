"""The MCP SDK (~0.5 s to import) loads only when `pcrm mcp` serves: its help, `config` and `log` do
without, as do every other command (tests/cli/test_startup.py). Checked in fresh interpreters."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_startup import HEAVY, run_pcrm


@pytest.mark.parametrize(
    "args", [["mcp", "--help"], ["mcp", "config"], ["mcp", "log"], ["mcp-key", "status"]]
)
def test_mcp_commands_but_the_server_import_no_sdk(tmp_path: Path, args: list[str]) -> None:
    r = run_pcrm(args, tmp_path / "home")
    assert r["code"] == 0, r["stderr"]
    assert r["loaded"] == [], f"`pcrm {' '.join(args)}` imported {r['loaded']}"


def test_the_check_sees_the_sdk_when_the_server_runs(tmp_path: Path) -> None:
    """`pcrm mcp` with stdin closed at once: it imports the SDK, serves nothing and ends cleanly."""
    assert run_pcrm(["init"], tmp_path / "home")["code"] == 0  # `pcrm mcp` serves a store, creates none
    r = run_pcrm(["mcp"], tmp_path / "home", watch=HEAVY)
    assert r["code"] == 0, r["stderr"]
    assert "mcp" in r["loaded"]


# The daemon's app in a fresh interpreter: its lifespan runs and the API answers without the SDK's server;
# the first request to /mcp with the key builds it and is answered.
_DAEMON = """
import asyncio, json, sys
import httpx
from asgi_lifespan import LifespanManager
from pcrm.daemon.app import create_daemon_app
from pcrm.services import tokens
from pcrm.services.context import open_context

INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}}
HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}

async def main():
    out = {}
    with open_context() as ctx:
        key = tokens.mcp_key_create(ctx).data["key"]
    app = create_daemon_app(port=8765)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8765") as c:
            out["health"] = (await c.get("/api/health")).status_code
            refused = await c.post("/mcp", json=INIT, headers=HEADERS)
            out["refused"] = refused.status_code
            out["before"] = sorted(m for m in sys.modules if m == "mcp" or m.startswith("mcp."))
            keyed = {**HEADERS, "Authorization": "Bearer " + key}
            r = await c.post("/mcp", json=INIT, headers=keyed)
            out["mcp"] = [r.status_code, r.json()["result"]["serverInfo"]["name"]]
            again = await c.post("/mcp", json={**INIT, "id": 2}, headers=keyed)
            out["again"] = again.json()["id"]
    out["after"] = "mcp.server" in sys.modules
    print(json.dumps(out))

asyncio.run(main())
"""


def test_the_daemon_builds_the_mcp_server_on_its_first_mcp_request(tmp_path: Path) -> None:
    """`pcrm serve` used to import the SDK's server at start-up (~25 MB of its memory) for users who never
    connect an agent: the API answers without it, and a request without the MCP key does not load it."""
    import json
    import os
    import subprocess
    import sys

    from tests.cli._fresh import made_store

    home = made_store(tmp_path / "home")
    env = {**os.environ, "PCRM_HOME": str(home), "PCRM_NOW": "2026-06-15T12:00:00Z"}
    p = subprocess.run(
        [sys.executable, "-c", _DAEMON], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout.strip().splitlines()[-1])
    assert out["health"] == 200 and out["refused"] == 401
    assert "mcp.server" not in out["before"], out["before"]
    assert out["mcp"] == [200, "pcrm"] and out["again"] == 2
    assert out["after"] is True
