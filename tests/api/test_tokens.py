"""`pcrm token create|list|revoke` and `pcrm mcp-key status|create|revoke` [opaque-tokens]."""

from __future__ import annotations

from typing import Any

from tests.support.api import ctx


def _verify(token: str) -> Any:
    from pcrm.services import tokens

    with ctx() as c:
        return tokens.verify_script_token(c, token)


def test_token_create_shows_it_once_and_stores_a_hash(cli: Any) -> None:
    r = cli("token", "create", "laptop")
    token = r.stdout.strip()
    assert token.startswith("pcrm_tok_") and "shown only now" in r.stderr
    assert _verify(token)["name"] == "laptop"
    with ctx() as c:
        stored = c.conn.execute("SELECT token_hash FROM api_tokens").fetchall()
    assert token not in str(stored)
    listed = cli.json("token", "list")
    assert [t["name"] for t in listed["data"]] == ["laptop"]
    assert token not in cli("token", "list").stdout and "token" not in listed["data"][0]


def test_token_names_are_unique_among_live_tokens(cli: Any) -> None:
    cli("token", "create", "ci")
    r = cli("token", "create", "ci", ok=False)
    assert r.exit_code == 1 and "pcrm token revoke ci" in r.stderr
    assert cli.json("token", "create", "ci", ok=False)["error"]["code"] == "conflict"
    cli("token", "revoke", "ci")
    cli("token", "create", "ci")  # the name is free again
    assert len(cli.json("token", "list", "--all")["data"]) == 2


def test_token_revoke(cli: Any) -> None:
    token = cli.json("token", "create", "temp")["data"]["token"]
    out = cli.json("token", "revoke", "temp")
    assert out["data"]["revoked"] is True
    assert _verify(token) is None
    r = cli("token", "revoke", "temp", ok=False)
    assert r.exit_code == 1 and "pcrm token list" in r.stderr
    assert cli.json("token", "list")["data"] == []
    assert cli.json("token", "list", "--all")["data"][0]["revoked_at"]


def test_token_name_is_validated(cli: Any) -> None:
    r = cli("token", "create", "no spaces please", ok=False)
    assert r.exit_code == 1 and "hint:" in r.stderr
    assert cli.json("token", "list")["data"] == []


def test_mcp_key_cli(cli: Any) -> None:
    assert cli.json("mcp-key", "status")["data"]["has_key"] is False
    key = cli("mcp-key", "create").stdout.strip()
    assert key.startswith("pcrm_mcp_")
    assert cli.json("mcp-key", "status")["data"]["has_key"] is True
    assert key not in cli("mcp-key", "status").stdout
    assert cli.json("mcp-key", "revoke")["data"] == {"revoked": True}
    assert cli.json("mcp-key", "status")["data"]["has_key"] is False


def test_daemon_status_when_nothing_runs(cli: Any) -> None:
    assert cli.json("daemon", "status")["data"]["running"] is False
    assert cli.json("daemon", "stop")["data"] == {"running": False, "stopped": False}
    assert "not running" in cli("daemon", "status").stdout


def test_daemon_status_cleans_a_stale_run_file(cli: Any) -> None:
    from pcrm.daemon import runstate

    runstate.path().parent.mkdir(parents=True, exist_ok=True)
    runstate.path().write_text(
        '{"pid": 999999999, "host": "127.0.0.1", "port": 1, "url": "x", "started_at": "y"}'
    )
    out = cli.json("daemon", "status")
    assert out["data"]["running"] is False and out["meta"] == {"stale_state_removed": True}
    assert not runstate.path().exists()


def test_heavy_modules_stay_out_of_cli_start_up() -> None:
    import subprocess
    import sys

    code = (
        "import sys, pcrm.cli; heavy = [m for m in ('starlette', 'uvicorn', 'jwt', 'argon2', 'keyring', "
        "'cryptography', 'pydantic', 'httpx', 'multipart') if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_serve_refuses_a_non_loopback_host_without_the_flag(cli: Any, monkeypatch: Any) -> None:
    import uvicorn

    def must_not_run(self: Any) -> None:
        raise AssertionError("the daemon started")

    monkeypatch.setattr(uvicorn.Server, "run", must_not_run)
    r = cli("serve", "--host", "0.0.0.0", "--port", "9", ok=False)
    assert r.exit_code == 1 and "--allow-remote" in r.stderr
    r = cli("serve", "--allowed-host", "crm.lan", ok=False)
    assert r.exit_code == 2  # usage: --allowed-host needs --allow-remote


def test_serve_refuses_to_start_twice(cli: Any, monkeypatch: Any) -> None:
    import os

    import uvicorn

    from pcrm.daemon import runstate, server

    def must_not_run(self: Any) -> None:
        raise AssertionError("the second daemon started")

    monkeypatch.setattr(uvicorn.Server, "run", must_not_run)
    # pretend this test process is the daemon running for this PCRM_HOME
    monkeypatch.setattr(server, "_looks_like_pcrm", lambda pid: True)
    runstate.write("127.0.0.1", 8765, "2026-01-01T00:00:00.000Z")
    try:
        r = cli("serve", ok=False)
        assert r.exit_code == 1 and "pcrm daemon stop" in r.stderr and str(os.getpid()) in r.stderr
    finally:
        runstate.remove()


def test_every_new_command_has_an_example(cli: Any) -> None:
    for args in (
        ["serve"],
        ["daemon", "status"],
        ["daemon", "stop"],
        ["token", "create"],
        ["token", "list"],
        ["token", "revoke"],
        ["mcp-key", "status"],
        ["mcp-key", "create"],
        ["mcp-key", "revoke"],
    ):
        assert "Example: pcrm " in cli(*args, "--help").stdout, args
