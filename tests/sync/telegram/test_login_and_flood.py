"""Telegram through its shells: `pcrm auth telegram` and the auth/telegram routes [telegram-login], `pcrm sync
telegram` end to end, the flood gate [telegram-flood] and the progress route [telegram-progress], on a fake
account at telethon's boundary."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pcrm import clock
from pcrm import secrets as secret_store
from pcrm.errors import PcrmError
from pcrm.services import sync, telegram
from pcrm.services.context import Context
from pcrm.sync.telegram import client as tgclient
from tests.support.api import V, assert_error, ok
from tests.support.cli import Cli
from tests.sync.telegram.fake import CODE, PHONE, Account, FakeTelegramClient, logged_in

LEAKS = ("Error", "Exception", "Traceback", "telethon", "RPC")


def _no_leak(text: str) -> None:
    assert not any(word in text for word in LEAKS), text


def test_pcrm_auth_telegram_then_pcrm_sync_telegram(account: Account, cli: Cli, ctx: Context) -> None:
    r = cli("auth", "telegram", "--phone", PHONE, input=f"{CODE}\n")
    assert "Telegram connected as @me_here" in r.stdout
    session = secret_store.get("telegram.session")
    assert session and secret_store.get("telegram.login_session") is None
    assert CODE not in r.stdout + r.stderr  # the code prompt does not echo
    run = cli.json("sync", "telegram")["data"]
    assert run["status"] == "success" and json.loads(run["details"])["interactions_created"] == 12 * 6 + 4
    assert cli.json("sync", "telegram")["data"]["records_created"] == 0
    # the session is in the secret store only
    db = (ctx.path).read_bytes()
    assert session.encode() not in db
    notes = [r[0] for r in ctx.conn.execute("SELECT title FROM notifications ORDER BY id")]
    assert notes[0] == "Telegram account connected" and "Telegram sync completed" in notes


def test_cli_status_and_disconnect(account: Account, cli: Cli) -> None:
    assert cli.json("auth", "telegram", "--status")["data"]["connected"] is False
    cli("auth", "telegram", "--phone", PHONE, input=f"{CODE}\n")
    assert cli.json("auth", "telegram", "--status")["data"] == {
        "connected": True,
        "has_api": True,
        "username": "me_here",
    }
    assert "connected as @me_here" in cli("auth", "telegram", "--status").stdout
    cli.json("sync", "telegram")
    refused = cli("auth", "telegram", "disconnect", ok=False)  # not at a terminal: asks for --yes
    assert refused.exit_code == 1 and "--yes" in refused.stderr and secret_store.get("telegram.session")
    assert cli.json("auth", "telegram", "disconnect", "--yes")["data"] == {"disconnected": True}
    assert secret_store.get("telegram.session") is None
    assert cli.json("auth", "telegram", "--status")["data"]["connected"] is False
    r = cli.json("sync", "telegram", ok=False)
    assert (
        r["error"]["code"] == "not_connected" and r["error"]["hint"] == "connect it with: pcrm auth telegram"
    )


def test_cli_login_with_2fa_and_its_wrong_answers(account: Account, cli: Cli) -> None:
    account.password = "correct horse"
    bad = cli("auth", "telegram", "--phone", "+999", input="", ok=False)
    assert bad.exit_code == 1 and "does not know that phone number" in bad.stderr
    _no_leak(bad.stdout + bad.stderr)
    bad = cli("auth", "telegram", "--phone", PHONE, input="11111\n", ok=False)
    assert "login code is wrong" in bad.stderr
    _no_leak(bad.stdout + bad.stderr)
    bad = cli("auth", "telegram", "--phone", PHONE, input=f"{CODE}\nnope\n", ok=False)
    assert "two-step verification password is wrong" in bad.stderr
    _no_leak(bad.stdout + bad.stderr)
    assert secret_store.get("telegram.session") is None
    good = cli("auth", "telegram", "--phone", PHONE, "--json", input=f"{CODE}\ncorrect horse\n")
    # the questions go to stderr: stdout is the envelope alone, for a script to parse
    assert json.loads(good.stdout)["data"] == {"connected": True, "username": "me_here"}
    assert "Code Telegram sent you" in good.stderr
    assert secret_store.get("telegram.session")


def test_a_connection_cut_short_on_the_way_says_telegram_cannot_be_reached(
    account: Account, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # something on the way (a proxy, a captive portal) answers, then hangs up mid-packet: asyncio raises
    # IncompleteReadError, an EOFError, which once escaped as click's bare "Aborted!"
    async def cut_short(self: FakeTelegramClient) -> None:
        raise asyncio.IncompleteReadError(b"HTTP/1.1 400", 1347703872)

    monkeypatch.setattr(FakeTelegramClient, "connect", cut_short)
    bad = cli("auth", "telegram", "--phone", PHONE, input=f"{CODE}\n", ok=False)
    assert bad.exit_code == 1 and "cannot reach Telegram" in bad.stderr and "hint:" in bad.stderr
    assert "Aborted" not in bad.stderr and "Code Telegram sent you" not in bad.stdout + bad.stderr
    _no_leak(bad.stdout + bad.stderr)
    assert secret_store.get("telegram.login_session") is None  # nothing half-stored


def test_cli_asks_for_the_api_credentials_when_none_are_set(
    account: Account, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(tgclient.ENV_API_ID)
    monkeypatch.delenv(tgclient.ENV_API_HASH)
    cli("auth", "telegram", "--phone", PHONE, input=f"12345\nabcdef\n{CODE}\n")
    assert secret_store.get(tgclient.SECRET_API_HASH) == "abcdef"
    assert "12345" in json.dumps(cli.json("settings", "show", "telegram.api_id")["data"])


def test_api_login_flow_errors_and_disconnect(account: Account, empty_api: Any) -> None:
    account.password = "pw"
    assert empty_api.post(f"{V}/auth/telegram/connect", json={}).status_code == 422
    r = assert_error(
        empty_api.post(f"{V}/auth/telegram/connect", json={"phone": "+44"}), "upstream_error", 502
    )
    _no_leak(json.dumps(r))
    sent = ok(empty_api.post(f"{V}/auth/telegram/connect", json={"phone": PHONE}))["data"]
    body = {"phone": PHONE, "code": "00000", "phone_code_hash": sent["phone_code_hash"]}
    r = assert_error(empty_api.post(f"{V}/auth/telegram/verify", json=body), "bad_request", 400)
    assert "code is wrong" in r["error"]["message"]
    _no_leak(json.dumps(r))
    body["code"] = CODE
    step = ok(empty_api.post(f"{V}/auth/telegram/verify", json=body))["data"]
    assert step["connected"] is False and step["requires_2fa"] is True
    r = assert_error(
        empty_api.post(f"{V}/auth/telegram/verify-2fa", json={"password": "no"}), "bad_request", 400
    )
    assert "password is wrong" in r["error"]["message"]
    _no_leak(json.dumps(r))
    done = ok(empty_api.post(f"{V}/auth/telegram/verify-2fa", json={"password": "pw"}))["data"]
    assert done["connected"] is True and done["username"] == "me_here"
    started = ok(empty_api.post(f"{V}/contacts/sync/telegram"))["data"]
    sync.wait(started["task_id"])
    progress = ok(empty_api.get(f"{V}/telegram/sync-progress"))["data"]
    assert progress["phase"] == "done" and progress["active"] is False
    assert progress["total_dialogs"] == 12 and progress["messages_synced"] == 12 * 6 + 4
    ok(empty_api.post(f"{V}/auth/telegram/reset-session"))
    assert secret_store.get("telegram.session") is None
    assert_error(empty_api.post(f"{V}/contacts/sync/telegram"), "not_connected", 400)
    ok(empty_api.delete(f"{V}/auth/telegram/disconnect"))


def test_progress_reports_each_phase_while_the_sync_runs(account: Account, ctx: Context) -> None:
    assert telegram.sync_progress(ctx).data == {"active": False}
    seen: list[dict[str, Any]] = []
    sync.run(
        ctx,
        "telegram",
        client=logged_in(account),
        progress=lambda *a: seen.append(telegram.sync_progress(ctx).data),
    )
    assert [s["phase"] for s in seen] == ["messages", "messages", "messages", "groups", "groups"]
    assert all(s["active"] for s in seen)
    assert [s["dialogs_processed"] for s in seen[:3]] == [5, 10, 12]
    assert seen[0]["batches_total"] == 3 and seen[2]["batches_completed"] == 3
    end = telegram.sync_progress(ctx).data
    assert end["phase"] == "done" and not end["active"] and end["contacts_found"] == 12 + 5
    clock.set_now(clock.now() + timedelta(minutes=6))
    assert telegram.sync_progress(ctx).data == {"active": False}


def test_a_flood_wait_closes_the_gate_and_the_rerun_resumes_without_duplicates(
    account: Account, ctx: Context, empty_api: Any, cli: Cli
) -> None:
    cli("settings", "set", "timezone", "Pacific/Auckland")  # UTC+12 in June
    clock.set_now(datetime(2026, 6, 1, 20, 0, tzinfo=UTC))
    account.flood_history_at = 7  # in the second batch of five dialogs
    account.flood_seconds = 30
    with pytest.raises(PcrmError) as stopped:
        sync.run(ctx, "telegram", client=logged_in(account))
    assert stopped.value.code == "rate_limited" and stopped.value.details["retry_after"] == 30
    run = ctx.conn.execute("SELECT status FROM sync_runs").fetchall()
    assert run == [("partial",)]
    written = ctx.conn.execute("SELECT count(*) FROM interactions").fetchall()[0][0]
    assert 0 < written < 12 * 6 + 4
    notes = ctx.conn.execute("SELECT notification_type, title, body FROM notifications").fetchall()
    assert notes[-1][:2] == ("system", "Telegram rate limit")
    assert notes[-1][2].endswith("resumes after 2026-06-02 08:00")  # in the user's zone [local-days]
    # every operation checks the gate: the API answers 429 with Retry-After and meta.retry_after
    for r in (
        empty_api.post(f"{V}/contacts/sync/telegram"),
        empty_api.post(f"{V}/auth/telegram/connect", json={"phone": PHONE}),
    ):
        body = assert_error(r, "rate_limited", 429)
        assert 0 < int(r.headers["Retry-After"]) <= 30 and body["meta"]["retry_after"] == int(
            r.headers["Retry-After"]
        )
    calls = dict(account.calls)
    with pytest.raises(PcrmError):
        sync.run(ctx, "telegram", client=logged_in(account))
    assert account.calls == calls  # nothing was asked of Telegram while the gate was closed
    clock.set_now(clock.now() + timedelta(seconds=31))
    assert sync.run(ctx, "telegram", client=logged_in(account)).data["status"] == "success"
    refs = [r[0] for r in ctx.conn.execute("SELECT raw_reference_id FROM interactions")]
    assert len(refs) == len(set(refs)) == 12 * 6 + 4


def test_connect_without_api_credentials_says_how_to_set_them(
    account: Account, empty_api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(tgclient.ENV_API_ID)
    r = assert_error(empty_api.post(f"{V}/auth/telegram/connect", json={"phone": PHONE}), "bad_request", 400)
    assert "my.telegram.org" in r["error"]["hint"] and not account.calls
