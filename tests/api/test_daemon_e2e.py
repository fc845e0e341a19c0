"""End to end: `pcrm serve` in a subprocess admits a token from `pcrm token create`, refuses requests
without one, and `pcrm daemon stop` shuts it down cleanly."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any

from tests.support.procs import ended


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pcrm(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pcrm", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
        check=False,
    )


def _get(url: str, token: str | None = None) -> tuple[int, dict[str, Any], dict[str, str]]:
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read()), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read()), dict(e.headers)


def test_serve_token_and_stop(pcrm_home: Any) -> None:
    from pcrm.daemon import runstate

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(pcrm_home.parent / "daemon.log", "w+")  # noqa: SIM115 - the daemon logs here; closed in `finally`
    proc = subprocess.Popen(
        [sys.executable, "-m", "pcrm", "serve", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=os.environ.copy(),
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _get(base + "/api/health")[0] == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None, "the daemon exited early"
            assert time.monotonic() < deadline, "the daemon did not answer within 30 s"
            time.sleep(0.2)

        state = json.loads(_pcrm("daemon", "status", "--json").stdout)["data"]
        assert state["running"] is True and state["pid"] == proc.pid and state["url"] == base

        created = _pcrm("token", "create", "e2e")
        assert created.returncode == 0, created.stderr
        token = created.stdout.strip()

        status, body, headers = _get(base + "/api/v1/contacts", token)
        assert status == 200 and body["data"] == [] and body["meta"]["total"] == 0
        assert headers.get("x-request-id")
        status, body, _ = _get(base + "/api/v1/contacts")
        assert status == 401 and body["error"]["code"] == "unauthorized"
        status, body, _ = _get(base + "/api/v1/version", token)
        assert status == 200 and body["data"]["update_available"] is False

        stopped = _pcrm("daemon", "stop", "--json")
        assert stopped.returncode == 0, stopped.stderr
        assert json.loads(stopped.stdout)["data"]["stopped"] is True
        assert proc.wait(timeout=20) == 0
        assert runstate.read() is None
        assert json.loads(_pcrm("daemon", "status", "--json").stdout)["data"]["running"] is False
    finally:
        output = ended(proc, log)
    assert token not in output  # the daemon's log never prints tokens
    assert "GET /api/v1/contacts 200" in output
