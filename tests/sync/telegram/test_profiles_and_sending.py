"""Telegram for one contact and its profiles [telegram-bios] [telegram-common-groups] [telegram-send]:
bios, last seen, birthdays, X handles and photos during a sync and on demand, the common groups cache,
the per-contact sync and sending, end to end through the CLI and the API on the fake account."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pcrm import clock, paths
from pcrm.services import telegram
from pcrm.services.context import Context
from tests.support.api import UNKNOWN, V, assert_error, ok, unsigned
from tests.support.cli import Cli
from tests.support.store import canonical_dump
from tests.sync.telegram.fake import BASE, CODE, PHONE, Account

LEAKS = ("Error", "Exception", "Traceback", "telethon", "RPC")
T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def _now(t: datetime) -> None:
    """Move the pinned clock: $PCRM_NOW for the CLI (the fixture restores it), and the in-process pin an
    earlier CLI call left, for the API."""
    os.environ["PCRM_NOW"] = clock.iso(t)
    clock.set_now(t)


@pytest.fixture
def connected(account: Account, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Account:
    """The fake account, logged in through `pcrm auth telegram`, with profiles to read; the clock pinned."""
    monkeypatch.setenv("PCRM_NOW", clock.iso(T0))
    account.bios[2003] = "Designer. Find me on twitter.com/Person_Three"
    account.status[2003] = "recently"
    account.birthdays[2003] = (14, 3, 1990)
    account.photos[2003] = b"\xff\xd8\xff" + b"p3" * 300
    account.bios[2005] = "Coffee, cats"
    account.status[2005] = "hidden"
    account.birthdays[2005] = (2, 7, None)
    cli("auth", "telegram", "--phone", PHONE, input=f"{CODE}\n")
    return account


def _contact(cli: Cli, ref: str) -> dict[str, Any]:
    data: dict[str, Any] = cli.json("contacts", "show", ref)["data"]
    return data


def _rows(ctx: Context, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    return list(ctx.conn.execute(sql, args))


def test_a_sync_checks_bios_and_fills_what_profiles_say(connected: Account, cli: Cli, ctx: Context) -> None:
    run = cli.json("sync", "telegram")["data"]
    details = json.loads(run["details"])
    assert details["phase"] == "bios" and details["bios_checked"] == 12 + 2  # DMs and 2nd-tier members
    shown = telegram.sync_progress(ctx).data  # what GET /telegram/sync-progress shows
    assert shown["phase"] == "done" and shown["bios_total"] == shown["bios_checked"] == 14
    p3 = _contact(cli, "@person3")
    assert p3["telegram_bio"] == "Designer. Find me on twitter.com/Person_Three"
    assert p3["twitter_handle"] == "person_three"  # the X handle the bio names
    assert p3["birthday"] == "1990-03-14"
    assert p3["telegram_bio_checked_at"] == clock.iso(T0)
    assert p3["telegram_last_seen_at"] == clock.iso(T0 - timedelta(days=1))  # "recently"
    assert (
        p3["avatar_url"] and (paths.avatars_dir() / f"{p3['id']}.jpg").read_bytes() == connected.photos[2003]
    )
    p5 = _contact(cli, "@person5")
    assert p5["birthday"] == "07-02" and p5["telegram_last_seen_at"] is None  # hidden: unknown
    p7 = _contact(cli, "@person7")
    assert p7["telegram_last_seen_at"] == clock.iso(BASE)  # offline: its was_online
    # a first-seen bio is stored silently: no notification, no event
    assert not _rows(ctx, "SELECT 1 FROM notifications WHERE notification_type = 'bio_change'")
    assert not _rows(ctx, "SELECT 1 FROM interactions WHERE direction = 'event'")
    # the next sync within the window asks for no profile again
    before = connected.calls.get("GetFullUserRequest", 0)
    cli.json("sync", "telegram")
    assert connected.calls.get("GetFullUserRequest", 0) == before


def test_a_changed_bio_notifies_and_files_an_event(
    connected: Account, cli: Cli, ctx: Context, empty_api: Any
) -> None:
    cli.json("sync", "telegram")
    p3 = _contact(cli, "@person3")
    connected.bios[2003] = "Just raised our seed round for Acme! twitter.com/person_three"
    _now(T0 + timedelta(hours=1))
    got = ok(empty_api.post(f"{V}/contacts/{p3['id']}/refresh-bios"))
    assert got["data"] == {"twitter_bio_changed": False, "telegram_bio_changed": True}
    assert got["meta"]["checked"] == ["telegram"]
    assert _contact(cli, "@person3")["telegram_bio"].startswith("Just raised our seed round")
    notes = _rows(ctx, "SELECT title, body FROM notifications WHERE notification_type = 'bio_change'")
    assert notes == [("@person3 updated their Telegram bio", connected.bios[2003])]
    timeline = cli.json("interactions", "list", "@person3")["data"]
    event = [i for i in timeline if i["direction"] == "event"]
    assert len(event) == 1 and event[0]["content_preview"].startswith("Bio updated: Just raised")
    events = _rows(ctx, "SELECT event_type, confidence, summary FROM detected_events")
    assert len(events) == 1 and events[0][0] == "fundraising" and 0 < events[0][1] <= 1
    # a second refresh within 7 days is skipped; force asks again
    again = ok(empty_api.post(f"{V}/contacts/{p3['id']}/refresh-bios"))["data"]
    assert again["skipped"] is True and again["reason"] == "checked_recently"
    forced = ok(empty_api.post(f"{V}/contacts/{p3['id']}/refresh-bios?force=true"))["data"]
    assert forced["telegram_bio_changed"] is False  # unchanged since
    assert len(_rows(ctx, "SELECT 1 FROM detected_events")) == 1
    assert_error(empty_api.post(f"{V}/contacts/{UNKNOWN}/refresh-bios"), "not_found", 404)


def test_a_changed_bio_of_a_contact_without_a_full_name_or_handle_names_it_as_lists_do(
    connected: Account, cli: Cli, ctx: Context, empty_api: Any
) -> None:
    """The bio_change notification of a Telegram contact with no username and no full name said 'A contact
    updated their Telegram bio'; it names the contact as `pcrm contacts list` does [display-name]."""
    connected.bios[2002] = "Gardener"
    cli.json("sync", "telegram")
    cli("contacts", "edit", "+12025550002", "--clear", "name")
    p2 = _contact(cli, "+12025550002")
    assert p2["full_name"] is None and p2["telegram_username"] is None
    connected.bios[2002] = "Gardener, now in Leeds"
    _now(T0 + timedelta(hours=1))
    ok(empty_api.post(f"{V}/contacts/{p2['id']}/refresh-bios"))
    notes = _rows(ctx, "SELECT title FROM notifications WHERE notification_type = 'bio_change'")
    assert notes == [("Person2 Family2 updated their Telegram bio",)], notes


def test_profiles_never_overwrite_what_the_user_set(connected: Account, cli: Cli) -> None:
    cli.json("sync", "telegram", "--now", clock.iso(T0))  # creates the contacts (and checks bios)
    p5 = _contact(cli, "@person5")
    cli("contacts", "edit", p5["id"], "--birthday", "1985-12-01", "--twitter", "mine")
    connected.bios[2005] = "now on x.com/other_handle"
    connected.birthdays[2005] = (3, 3, 1999)
    cli.json("sync", "telegram", "--now", clock.iso(T0 + timedelta(days=8)))  # stale again
    p5 = _contact(cli, "@person5")
    assert p5["telegram_bio"] == "now on x.com/other_handle"  # the bio is Telegram's own
    assert p5["birthday"] == "1985-12-01" and p5["twitter_handle"] == "mine"


def test_refresh_avatar_downloads_the_photo_again(connected: Account, cli: Cli, empty_api: Any) -> None:
    cli.json("sync", "telegram")
    p3 = _contact(cli, "@person3")
    connected.photos[2003] = b"\xff\xd8\xff" + b"new" * 200
    got = ok(empty_api.post(f"{V}/contacts/{p3['id']}/refresh-avatar"))["data"]
    assert got["changed"] is True and unsigned(got["avatar_url"]) == p3["avatar_url"]
    assert (paths.avatars_dir() / f"{p3['id']}.jpg").read_bytes() == connected.photos[2003]
    again = ok(empty_api.post(f"{V}/contacts/{p3['id']}/refresh-avatar"))["data"]
    assert again["changed"] is False  # within a day: the stored one
    p9 = _contact(cli, "@person9")  # shows no photo
    assert ok(empty_api.post(f"{V}/contacts/{p9['id']}/refresh-avatar"))["data"]["avatar_url"] is None


def test_common_groups_are_cached_for_a_day(connected: Account, cli: Cli, empty_api: Any) -> None:
    cli.json("sync", "telegram")
    connected.common[2003] = [500, 700]
    connected.groups[800] = {
        "title": "Open chat",
        "kind": "megagroup",
        "members": [],
        "username": "openchat",
        "top": 1,
    }
    connected.common[2003].append(800)
    p3 = _contact(cli, "@person3")
    url = f"{V}/contacts/{p3['id']}/telegram/common-groups"
    got = ok(empty_api.get(url))
    assert [g["title"] for g in got["data"]] == ["Book club", "Team", "Open chat"]
    assert got["data"][2]["link"] == "https://t.me/openchat" and got["meta"]["cached"] is False
    asked = connected.calls["GetCommonChatsRequest"]
    connected.common[2003] = [500]
    assert len(ok(empty_api.get(url))["data"]) == 3  # cached
    assert connected.calls["GetCommonChatsRequest"] == asked
    assert [g["title"] for g in ok(empty_api.get(url + "?force=true"))["data"]] == ["Book club"]
    _now(T0 + timedelta(hours=25))
    ok(empty_api.get(url))
    assert connected.calls["GetCommonChatsRequest"] == asked + 2
    assert _contact(cli, "@person3")["telegram_common_groups"][0]["title"] == "Book club"
    # no Telegram identity: []
    ada = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Ada"}), 201)["data"]
    assert ok(empty_api.get(f"{V}/contacts/{ada['id']}/telegram/common-groups"))["data"] == []
    assert_error(empty_api.get(f"{V}/contacts/{UNKNOWN}/telegram/common-groups"), "not_found", 404)


def test_per_contact_sync_brings_new_messages_through_the_engine(
    connected: Account, cli: Cli, empty_api: Any
) -> None:
    cli.json("sync", "telegram")
    p3 = _contact(cli, "@person3")
    connected.say(2003, "are you around next week?")
    url = f"{V}/contacts/{p3['id']}/sync-telegram"
    assert ok(empty_api.post(url))["data"] == {"new_interactions": 1, "skipped": False}
    skipped = ok(empty_api.post(url))["data"]
    assert skipped == {"new_interactions": 0, "skipped": True, "reason": "synced_recently"}
    assert ok(empty_api.post(url + "?force=true"))["data"]["new_interactions"] == 0
    # the account-wide sync then brings nothing twice
    run = cli.json("sync", "telegram")["data"]
    assert json.loads(run["details"])["interactions_created"] == 0
    # a username Telegram does not know
    ghost = ok(
        empty_api.post(f"{V}/contacts", json={"full_name": "Ghost", "telegram_username": "nobody_here"}), 201
    )
    got = ok(empty_api.post(f"{V}/contacts/{ghost['data']['id']}/sync-telegram"))["data"]
    assert got == {"new_interactions": 0, "skipped": True, "reason": "entity_not_resolved"}


def test_a_contact_without_telegram_is_skipped_once_telegram_is_connected(
    account: Account, cli: Cli, empty_api: Any
) -> None:
    """POST /contacts/{id}/sync-telegram for a contact with no Telegram account was a 400 bad_request, where
    the reference (and sync-twitter here) answers {new_interactions: 0, skipped: true, reason: no_telegram};
    while Telegram itself is not connected, that is said first (the reference's `telegram_not_connected`)."""
    ada = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace"}), 201)["data"]
    url = f"{V}/contacts/{ada['id']}/sync-telegram"
    body = ok(empty_api.post(url))["data"]
    assert body["reason"] == "telegram_not_connected"
    assert body["hint"] == "connect it with: pcrm auth telegram"
    cli("auth", "telegram", "--phone", PHONE, input=f"{CODE}\n")
    asked = dict(account.calls)
    got = ok(empty_api.post(url))
    assert got["data"] == {"new_interactions": 0, "skipped": True, "reason": "no_telegram"}
    assert account.calls == asked  # Telegram was not asked
    assert_error(empty_api.post(f"{V}/contacts/{UNKNOWN}/sync-telegram"), "not_found", 404)


def test_pcrm_send_now_and_scheduled(connected: Account, cli: Cli, ctx: Context) -> None:
    cli.json("sync", "telegram")
    r = cli("send", "@person3", "Congrats on the launch!")
    assert "Telegram message sent" in r.stdout
    assert connected.sent[-1]["to"] == 2003 and connected.sent[-1]["text"] == "Congrats on the launch!"
    assert connected.sent[-1]["schedule"] is None
    p3 = _contact(cli, "@person3")
    assert p3["last_followup_at"] == clock.iso(T0)
    out = [
        i
        for i in cli.json("interactions", "list", "@person3")["data"]
        if i["content_preview"] == "Congrats on the launch!"
    ]
    assert len(out) == 1 and out[0]["direction"] == "outbound" and out[0]["platform"] == "telegram"
    # the sync reads the sent message back: stored once
    connected.chats[2003].append((connected.sent[-1]["id"], True, "Congrats on the launch!", None, None))
    cli.json("sync", "telegram")
    again = [
        i
        for i in cli.json("interactions", "list", "@person3")["data"]
        if i["content_preview"] == "Congrats on the launch!"
    ]
    assert len(again) == 1
    later = cli.json("send", "@person3", "Happy birthday!", "--at", "in 2h")["data"]
    assert later["sent"] is True and later["scheduled_for"] == clock.iso(T0 + timedelta(hours=2))
    assert connected.sent[-1]["schedule"] == T0 + timedelta(hours=2)


def test_a_delivered_scheduled_message_is_stored_once(connected: Account, cli: Cli) -> None:
    cli.json("sync", "telegram")
    later = cli.json("send", "@person3", "Happy birthday!", "--at", "in 2h")["data"]
    other = cli.json("send", "@person3", "See you Friday", "--at", "in 3h")["data"]

    def mine(text: str) -> list[dict[str, Any]]:
        listed = cli.json("interactions", "list", "@person3")["data"]
        return [i for i in listed if i["content_preview"] == text]

    refs = [i["raw_reference_id"] for i in mine("Happy birthday!")]
    assert refs == [f"sent:scheduled:{later['message_id']}"]
    # Telegram delivers it under a new id, at about the scheduled time; the sync reads it back
    delivered = connected.say(2003, "Happy birthday!", out=True)
    connected.dates[delivered] = T0 + timedelta(hours=2, seconds=20)
    # the same words sent by hand a day later are another message
    again = connected.say(2003, "Happy birthday!", out=True)
    connected.dates[again] = T0 + timedelta(days=1)
    _now(T0 + timedelta(days=2))
    run = cli.json("sync", "telegram")["data"]
    assert run["status"] == "success", run
    got = mine("Happy birthday!")
    assert len(got) == 2
    kept = next(i for i in got if i["id"] == later["interaction_id"])
    assert kept["raw_reference_id"] == f"2003:{delivered}"
    assert kept["occurred_at"] == clock.iso(T0 + timedelta(hours=2, seconds=20))
    assert kept["extra_data"]["sent_by"] == "pcrm"
    assert {i["raw_reference_id"] for i in got} == {f"2003:{delivered}", f"2003:{again}"}
    # the one not delivered (here: cancelled in the app) stays as scheduled; a rerun changes nothing
    refs = [i["raw_reference_id"] for i in mine("See you Friday")]
    assert refs == [f"sent:scheduled:{other['message_id']}"]
    cli.json("sync", "telegram")
    assert len(mine("Happy birthday!")) == 2
    # a cancelled one can be deleted like a note; a delivered one cannot
    cli("note", "rm", other["interaction_id"], "--yes")
    assert mine("See you Friday") == []
    assert cli("note", "rm", later["interaction_id"], "--yes", ok=False).exit_code == 1


def test_scheduled_sends_are_listed_and_cancelled(connected: Account, cli: Cli) -> None:
    cli.json("sync", "telegram")
    assert cli.json("send", "--list")["data"] == []
    bday = cli.json("send", "@person3", "Happy birthday!", "--at", "in 2h")["data"]
    friday = cli.json("send", "@person3", "See you Friday", "--at", "in 3h")["data"]
    coffee = cli.json("send", "@person5", "Coffee?", "--at", "in 1h")["data"]
    listed = cli.json("send", "--list")["data"]
    assert [(s["message"], s["on_telegram"]) for s in listed] == [
        ("Coffee?", True),
        ("Happy birthday!", True),
        ("See you Friday", True),
    ]  # soonest first, each still waiting in Telegram's scheduled send
    assert listed[1] == {
        "id": bday["interaction_id"],
        "contact_id": _contact(cli, "@person3")["id"],
        "full_name": "Person3 Family3",
        "display_name": "Person3 Family3",
        "message": "Happy birthday!",
        "scheduled_for": clock.iso(T0 + timedelta(hours=2)),
        "message_id": bday["message_id"],
        "on_telegram": True,
    }
    assert [s["message"] for s in cli.json("send", "--list", "@person3")["data"]] == [
        "Happy birthday!",
        "See you Friday",
    ]
    # cancelled in the Telegram app: pcrm's record stays, Telegram's answer says it is gone
    del connected.scheduled[2003][friday["message_id"]]
    assert [s["on_telegram"] for s in cli.json("send", "--list", "@person3")["data"]] == [True, False]

    r = cli("send", "--cancel", bday["interaction_id"][:8])
    assert "Cancelled scheduled message" in r.stdout
    assert bday["message_id"] not in connected.scheduled[2003]  # out of Telegram's schedule
    timeline = [i["content_preview"] for i in cli.json("interactions", "list", "@person3")["data"]]
    assert "Happy birthday!" not in timeline and "See you Friday" in timeline
    # gone from Telegram once its time has passed: most likely sent, so pcrm's record is kept
    late = cli(
        "send", "--cancel", friday["interaction_id"], "--now", clock.iso(T0 + timedelta(hours=4)), ok=False
    )
    assert late.exit_code == 1 and "most likely sent" in late.stderr, late.stderr
    assert "See you Friday" in [
        i["content_preview"] for i in cli.json("interactions", "list", "@person3")["data"]
    ]
    gone = cli.json("send", "--cancel", friday["interaction_id"])["data"]
    assert gone["cancelled"] is True and gone["on_telegram"] is False  # only pcrm's record was left
    assert [s["id"] for s in cli.json("send", "--list")["data"]] == [coffee["interaction_id"]]

    # without a connection pcrm's record is still listed, unchecked, and cancelling is refused
    cli("auth", "telegram", "disconnect", "--yes")
    off = cli.json("send", "--list")
    assert [s["on_telegram"] for s in off["data"]] == [None] and "not connected" in off["meta"]["unchecked"]
    refused = cli("send", "--cancel", coffee["interaction_id"], ok=False)
    assert refused.exit_code == 1 and "hint: connect it with: pcrm auth telegram" in refused.stderr
    assert len(cli.json("send", "--list")["data"]) == 1


def test_a_scheduled_send_to_a_nameless_contact_lists_it_as_lists_show_it(
    connected: Account, cli: Cli
) -> None:
    """`pcrm send --list` left the contact column blank for a contact without a full name; it shows what
    `pcrm contacts list` shows (here its given and family names) [display-name]."""
    cli.json("sync", "telegram")
    cli("contacts", "edit", "@person5", "--clear", "name")
    shown = _contact(cli, "@person5")
    assert shown["full_name"] is None
    cli("send", "@person5", "Coffee?", "--at", "in 1h")
    (listed,) = cli.json("send", "--list")["data"]
    name = cli("contacts", "list").stdout.split(shown["id"] + "\t")[1].split("\t")[0]  # tab-separated
    assert listed["full_name"] is None and listed["display_name"] == name and name
    table = cli("send", "--list", "--format", "table").stdout
    assert name in table, table


def test_only_a_send_still_waiting_can_be_cancelled(connected: Account, cli: Cli) -> None:
    cli.json("sync", "telegram")
    note = cli.json("note", "add", "@person3", "met at the conference")["data"]
    before = canonical_dump(paths.db_path())
    r = cli("send", "--cancel", note["id"], ok=False)
    assert r.exit_code == 1 and "not a Telegram message waiting to be sent" in r.stderr
    assert "hint: list what is scheduled: pcrm send --list" in r.stderr
    r = cli("send", "--cancel", "00000000", ok=False)
    assert r.exit_code == 1 and "no scheduled message with id 00000000" in r.stderr
    for args in (
        ("--list", "@person3", "hi"),
        ("--cancel", note["id"], "@person3"),
        ("--list", "--cancel", "x"),
    ):
        assert cli("send", *args, ok=False).exit_code == 2  # usage: neither sends anything
    assert cli("send", "@person3", ok=False).exit_code == 2  # a send still needs its text
    assert canonical_dump(paths.db_path()) == before
    assert not any(leak in r.stderr for leak in LEAKS)


def test_sending_says_clearly_what_is_wrong(connected: Account, cli: Cli, empty_api: Any) -> None:
    cli.json("sync", "telegram")
    p3 = _contact(cli, "@person3")
    url = f"{V}/contacts/{p3['id']}/send-message"
    body = assert_error(empty_api.post(url, json={"message": "hi", "channel": "email"}), "bad_request", 400)
    assert "only 'telegram' is available" in body["error"]["message"]
    assert_error(empty_api.post(url, json={"message": "   "}), "validation_error", 422)
    assert_error(
        empty_api.post(url, json={"message": "hi", "scheduled_for": "yesterday"}), "validation_error", 422
    )
    ada = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace"}), 201)["data"]
    body = assert_error(
        empty_api.post(f"{V}/contacts/{ada['id']}/send-message", json={"message": "hi"}),
        "validation_error",
        422,
    )
    assert "no Telegram username" in body["error"]["message"]
    bad = cli("send", "Ada Lovelace", "hi", ok=False)
    assert bad.exit_code == 1 and "no Telegram username" in bad.stderr
    assert not any(w in bad.stdout + bad.stderr for w in LEAKS)
    # a FloodWait closes the gate: 429 with Retry-After, and every operation then waits
    connected.flood_seconds = 40
    sends = len(connected.sent)
    connected.flood_profile = True
    r = empty_api.post(f"{V}/contacts/{p3['id']}/refresh-bios?force=true")
    assert_error(r, "rate_limited", 429)
    for r in (
        empty_api.post(url, json={"message": "hi"}),
        empty_api.post(f"{V}/contacts/{p3['id']}/sync-telegram?force=true"),
        empty_api.post(f"{V}/contacts/{p3['id']}/refresh-avatar?force=true"),
    ):
        body = assert_error(r, "rate_limited", 429)
        assert 0 < int(r.headers["Retry-After"]) <= 40 and body["meta"]["retry_after"] == int(
            r.headers["Retry-After"]
        )
    assert len(connected.sent) == sends
    gated = cli("send", "@person3", "hi", ok=False)
    assert "rate limit" in gated.stderr and not any(w in gated.stderr for w in LEAKS)
    # not connected
    ok(empty_api.delete(f"{V}/auth/telegram/disconnect"))
    _now(T0 + timedelta(minutes=5))
    body = assert_error(empty_api.post(url, json={"message": "hi"}), "not_connected", 400)
    assert "pcrm auth telegram" in body["error"]["hint"]


def test_with_an_events_model_the_model_classifies_the_changed_bio(
    connected: Account, cli: Cli, ctx: Context, empty_api: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from tests.support.llm_fake import MODEL_ID, scripted_fixture

    scripted_gen = scripted_fixture(monkeypatch, tmp_path)
    scripted = next(scripted_gen)
    try:
        cli.json("sync", "telegram")
        cli("settings", "set", "ai.events_model", MODEL_ID)
        scripted.reply = lambda p: json.dumps(
            {"event_type": "job_change", "confidence": 0.9, "summary": "Now a founder"}
        )
        connected.bios[2003] = "Founder of Nimbus (ex-Acme)"
        p3 = _contact(cli, "@person3")
        assert ok(empty_api.post(f"{V}/contacts/{p3['id']}/refresh-bios"))["data"]["telegram_bio_changed"]
        events = _rows(ctx, "SELECT event_type, summary, details FROM detected_events")
        assert len(events) == 1 and events[0][:2] == ("job_change", "Now a founder")
        assert json.loads(events[0][2])["source"] == "ai"
        assert "Founder of Nimbus" in scripted.prompts[0]
    finally:
        scripted_gen.close()


def test_the_bios_phase_can_be_turned_off(connected: Account, cli: Cli) -> None:
    cli("settings", "set", "telegram.sync_bios", "false")
    run = cli.json("sync", "telegram")["data"]
    assert "GetFullUserRequest" not in connected.calls and "bios_checked" not in json.loads(run["details"])
    assert _contact(cli, "@person3")["telegram_bio"] is None


def test_one_profile_telegram_refuses_does_not_stop_the_sync(
    connected: Account, cli: Cli, ctx: Context
) -> None:
    connected.refuse_profiles = {2001}
    run = cli.json("sync", "telegram")["data"]
    details = json.loads(run["details"])
    assert run["status"] == "success" and details["bios_failed"] == 1 and details["bios_checked"] == 14
    assert _contact(cli, "@person3")["telegram_bio"] == connected.bios[2003]
    # a dead connection is not one profile: the phase stops after three failures in a row
    connected.refuse_profiles = set(connected.people)
    os.environ["PCRM_NOW"] = clock.iso(T0 + timedelta(days=8))
    stopped = cli.json("sync", "telegram", ok=False)
    assert stopped["error"]["code"] == "upstream_error" and "refused" in stopped["error"]["message"]
    assert not any(w in json.dumps(stopped) for w in ("Exception", "Traceback", "telethon"))


def test_a_bad_send_time_hints_the_forms_send_takes(cli: Cli) -> None:
    """The hint lists send's own future forms (its --help's), not note --at's past ones that send refuses."""
    cli("contacts", "add", "--name", "Ada Lovelace")
    bad = cli("send", "Ada Lovelace", "hi", "--at", "BAD", ok=False)
    assert bad.exit_code == 1 and bad.stderr.startswith("error: --at ")  # the option typed, not the field
    hint = bad.stderr.split("hint:", 1)[1]
    assert "in 2h" in hint and "tomorrow 09:00" in hint
    assert "yesterday" not in hint and "ago" not in hint


def test_a_send_under_an_earlier_clock_keeps_the_later_followup(connected: Account, cli: Cli) -> None:
    """last_followup_at only moves forward [suggestion-status]: a send run with --now in the past does not
    make the last follow-up look older."""
    cli.json("sync", "telegram")
    cli("send", "@person3", "Congrats on the launch!")
    cli("send", "@person3", "And again", "--now", clock.iso(T0 - timedelta(days=3)))
    assert _contact(cli, "@person3")["last_followup_at"] == clock.iso(T0)


def test_a_cancelled_scheduled_send_takes_its_followup_back(connected: Account, cli: Cli) -> None:
    """Nothing was sent, so the contact's last follow-up is what it was before the message was scheduled
    [telegram-send] [suggestion-status]; a follow-up recorded since stays."""
    cli.json("sync", "telegram")
    assert _contact(cli, "@person3")["last_followup_at"] is None
    bday = cli.json("send", "@person3", "Happy birthday!", "--at", "in 2h")["data"]
    _now(T0 + timedelta(minutes=5))
    friday = cli.json("send", "@person3", "See you Friday", "--at", "in 3h")["data"]
    assert _contact(cli, "@person3")["last_followup_at"] == clock.iso(T0 + timedelta(minutes=5))
    cli.json("send", "--cancel", bday["interaction_id"])  # not the last one: nothing to take back
    assert _contact(cli, "@person3")["last_followup_at"] == clock.iso(T0 + timedelta(minutes=5))
    cli.json("send", "--cancel", friday["interaction_id"])  # neither went out: no follow-up at all
    assert _contact(cli, "@person3")["last_followup_at"] is None
    # a message sent now, then one scheduled and cancelled: the sent one is the last follow-up again
    cli("send", "@person3", "Congrats on the launch!")
    _now(T0 + timedelta(minutes=10))
    later = cli.json("send", "@person3", "Coffee?", "--at", "in 1h")["data"]
    # one sent under an earlier clock after it was scheduled is a follow-up that stays
    cli("send", "@person3", "And again", "--now", clock.iso(T0 + timedelta(minutes=7)))
    cli.json("send", "--cancel", later["interaction_id"])
    assert _contact(cli, "@person3")["last_followup_at"] == clock.iso(T0 + timedelta(minutes=7))
    # one removed like a note (cancelled in the app) takes its follow-up back too
    _now(T0 + timedelta(minutes=20))
    gone = cli.json("send", "@person3", "Lunch?", "--at", "in 1h")["data"]
    cli("note", "rm", gone["interaction_id"], "--yes")
    assert _contact(cli, "@person3")["last_followup_at"] == clock.iso(T0 + timedelta(minutes=7))
    # a follow-up recorded after the scheduled one is never undone
    kept = cli.json("send", "@person5", "Coffee?", "--at", "in 1h")["data"]
    _now(T0 + timedelta(minutes=30))
    cli("send", "@person5", "Or tea?")
    cli.json("send", "--cancel", kept["interaction_id"])
    assert _contact(cli, "@person5")["last_followup_at"] == clock.iso(T0 + timedelta(minutes=30))
