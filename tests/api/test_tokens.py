"""`pcrm token create|list|revoke` and `pcrm mcp-key status|create|revoke` [opaque-tokens], and the MCP key's
routes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import assert_error, ctx

pytestmark = pytest.mark.anyio


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
    cli("token", "revoke", "ci", "--yes")
    cli("token", "create", "ci")  # the name is free again
    assert len(cli.json("token", "list", "--all")["data"]) == 2


def test_token_revoke(cli: Any) -> None:
    token = cli.json("token", "create", "temp")["data"]["token"]
    out = cli.json("token", "revoke", "temp", "--yes")
    assert out["data"]["revoked"] is True
    assert _verify(token) is None
    r = cli("token", "revoke", "temp", "--yes", ok=False)
    assert r.exit_code == 1 and "pcrm token list" in r.stderr
    assert cli.json("token", "list")["data"] == []
    assert cli.json("token", "list", "--all")["data"][0]["revoked_at"]


def test_revoke_by_name_acts_on_the_live_token_and_says_when_there_is_none(cli: Any) -> None:
    """A name revoked and created again names the new token; revoking it once more has nothing to do and
    says so (400, exit 1, with the revocation date) before asking; a name of the other kind names its flag."""
    cli("token", "create", "t")
    cli("token", "revoke", "t", "--yes")
    second = cli.json("token", "create", "t")["data"]
    out = cli.json("token", "revoke", "t", "--yes")["data"]
    assert out == {"id": second["id"], "name": "t", "revoked": True}
    assert _verify(second["token"]) is None
    again = cli.json("token", "revoke", "t", "--yes", ok=False)["error"]
    assert again["code"] == "bad_request" and "already revoked on" in again["message"]
    assert "pcrm token list --all" in again["hint"]
    asked = cli("token", "revoke", "t", ok=False)  # no --yes: the fact comes first, not the question
    assert "already revoked" in asked.stderr and "Revoke the token" not in asked.stderr
    assert cli.json("token", "revoke", "never", "--yes", ok=False)["error"]["code"] == "not_found"
    cli("token", "create", "--calendar", "feed")
    wrong = cli.json("token", "revoke", "feed", "--yes", ok=False)["error"]
    assert wrong["code"] == "not_found" and wrong["hint"] == "pcrm token revoke --calendar feed"
    assert "shows revoked ones too" in cli("token", "list", "--format", "table").stdout
    assert [t["revoked_at"] is not None for t in cli.json("token", "list", "--all")["data"]] == [True, True]


def test_each_listing_says_where_the_other_kind_of_token_is(cli: Any) -> None:
    """`pcrm token list` shows API tokens only; a calendar-feed token made with --calendar was nowhere in
    it, as if it did not exist. Each listing now names how many live tokens of the other kind there are and
    the command that lists them (stderr, and meta.other_kind for --json)."""
    cli("init")  # a command that only reads makes no store [opening-the-store]
    assert "not listed here" not in cli("token", "list").stderr
    cli("token", "create", "--calendar", "phone-calendar")
    r = cli("token", "list")
    assert "phone-calendar" not in r.stdout
    assert r.stderr.splitlines() == [  # the empty list says so first [readable-tables]
        (
            "no live tokens (`pcrm token list --all` shows revoked ones too); "
            "create one with `pcrm token create NAME`"
        ),
        "1 live calendar-feed token not listed here: `pcrm token list --calendar`",
    ]
    cli("token", "create", "laptop")
    cli("token", "create", "ci")
    cal = cli("token", "list", "--calendar")
    assert "phone-calendar" in cal.stdout
    assert cal.stderr == "2 live API tokens not listed here: `pcrm token list`\n"
    assert cli.json("token", "list")["meta"]["other_kind"] == {"kind": "calendar", "live": 1}
    cli("token", "revoke", "--calendar", "phone-calendar", "--yes")
    assert "not listed here" not in cli("token", "list", "--all").stderr


def test_token_name_is_validated(cli: Any) -> None:
    r = cli("token", "create", "no spaces please", ok=False)
    assert r.exit_code == 1 and "hint:" in r.stderr
    assert cli.json("token", "list")["data"] == []


def test_mcp_key_cli(cli: Any) -> None:
    cli("init")  # a command that only reads makes no store [opening-the-store]
    assert cli.json("mcp-key", "status")["data"]["has_key"] is False
    key = cli("mcp-key", "create").stdout.strip()
    assert key.startswith("pcrm_mcp_")
    assert cli.json("mcp-key", "status")["data"]["has_key"] is True
    assert key not in cli("mcp-key", "status").stdout
    assert cli.json("mcp-key", "revoke", "--yes")["data"] == {"revoked": True}
    assert cli.json("mcp-key", "status")["data"]["has_key"] is False


async def test_mcp_key_routes(client: Any, script: dict[str, str]) -> None:
    from pcrm.services import tokens
    from tests.support.api import ctx

    r = await client.get("/api/v1/settings/mcp-key", headers=script)
    assert r.json()["data"]["has_key"] is False
    key = (await client.post("/api/v1/settings/mcp-key", headers=script)).json()["data"]["key"]
    assert key.startswith("pcrm_mcp_") and len(key) == len("pcrm_mcp_") + 43
    with ctx() as c:
        assert tokens.verify_mcp_key(c, key)
        # stored hashed only
        assert (
            c.conn.execute("SELECT count(*) FROM api_tokens WHERE token_hash = ?", (key,)).fetchone()[0] == 0
        )
    second = (await client.post("/api/v1/settings/mcp-key", headers=script)).json()["data"]["key"]
    with ctx() as c:
        assert not tokens.verify_mcp_key(c, key) and tokens.verify_mcp_key(c, second)
    assert (await client.get("/api/v1/settings/mcp-key", headers=script)).json()["data"]["has_key"] is True
    r = await client.delete("/api/v1/settings/mcp-key", headers=script)
    assert r.json()["data"] == {"revoked": True}
    with ctx() as c:
        assert not tokens.verify_mcp_key(c, second)
    assert (await client.delete("/api/v1/settings/mcp-key", headers=script)).json()["data"] == {
        "revoked": False
    }
    # the MCP key is not an API token
    assert_error(
        await client.get("/api/v1/contacts", headers={"Authorization": f"Bearer {second}"}),
        "unauthorized",
        401,
    )


def test_calendar_token_names_the_running_daemons_url(cli: Any, monkeypatch: Any) -> None:
    from pcrm.daemon import runstate, server

    r = cli("token", "create", "--calendar", "phone")
    assert "http://127.0.0.1:8765/api/v1/calendar.ics?token=TOKEN" in r.stderr  # no daemon: the default
    # pretend this test process is the daemon, serving another port
    monkeypatch.setattr(server, "_looks_like_pcrm", lambda pid: True)
    runstate.path().parent.mkdir(parents=True, exist_ok=True)
    runstate.write("127.0.0.1", 18999, "2026-01-01T00:00:00.000Z")
    try:
        r = cli("token", "create", "--calendar", "laptop")
    finally:
        runstate.remove()
    assert "http://127.0.0.1:18999/api/v1/calendar.ics?token=TOKEN" in r.stderr


def test_token_list_shows_moments_in_the_users_zone(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """As every table does [local-days]: not the stored UTC instant (`2026-12-04T20:00:58.211Z`)."""
    monkeypatch.setenv("PCRM_NOW", "2025-03-01T12:00:00Z")
    cli("settings", "set", "timezone", "Asia/Tokyo")
    cli("token", "create", "laptop")
    cli("token", "revoke", "laptop", "--yes")
    row = cli("token", "list", "--all", "--format", "csv").stdout.splitlines()[1]
    assert row == "laptop,2025-03-01 21:00,-,2025-03-01 21:00"
    assert cli.json("token", "list", "--all")["data"][0]["created_at"] == "2025-03-01T12:00:00.000Z"


def test_a_token_name_in_other_letters_is_refused_saying_which_letters(cli: Any) -> None:
    r = cli("token", "create", "ünïcödé", ok=False)
    assert r.exit_code == 1 and "1-64 ASCII letters (a-z), digits" in r.stderr
