"""Fields and answers the reference declares, accepted and given back as its clients expect."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import V, ok

REFERENCE_FIELDS = {
    "whatsapp_name": "Ada L.",
    "whatsapp_about": "Counting machines",
    "whatsapp_avatar_url": "https://example.com/ada.jpg",
    "facebook_name": "Ada Lovelace",
}


def test_the_reference_contact_fields_round_trip(empty_api: Any, cli: Any) -> None:
    made = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Ada", **REFERENCE_FIELDS}), 201)["data"]
    assert {k: made[k] for k in REFERENCE_FIELDS} == REFERENCE_FIELDS
    changed = ok(empty_api.put(f"{V}/contacts/{made['id']}", json={"whatsapp_about": "Poetical science"}))
    assert changed["data"]["whatsapp_about"] == "Poetical science"
    shown = cli.json("contacts", "show", made["id"])["data"]
    assert shown["whatsapp_name"] == "Ada L." and shown["whatsapp_about"] == "Poetical science"
    cleared = ok(empty_api.put(f"{V}/contacts/{made['id']}", json={"facebook_name": None}))["data"]
    assert cleared["facebook_name"] is None


def test_an_organization_lists_contacts_only_when_read_on_its_own(empty_api: Any) -> None:
    org = ok(empty_api.post(f"{V}/organizations", json={"name": "Analytical"}), 201)["data"]
    assert org["contacts"] is None
    ok(empty_api.post(f"{V}/contacts", json={"full_name": "Ada", "company": "Analytical"}), 201)
    listed = ok(empty_api.get(f"{V}/organizations"))["data"]
    assert [o["contacts"] for o in listed] == [None]
    detail = ok(empty_api.get(f"{V}/organizations/{org['id']}"))["data"]
    assert [c["full_name"] for c in detail["contacts"]] == ["Ada"]


def test_a_logo_refresh_that_asks_nothing_says_it_was_skipped(
    empty_api: Any, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reference answers `{logo_url, refreshed: false, skipped: true, reason}` when it fetches nothing."""
    from pcrm.sync import fetch
    from tests.support.http_fake import serve

    monkeypatch.setenv("PCRM_ENABLE_TEST_SOURCES", "1")
    monkeypatch.setenv(fetch.ALLOW_ENV, "127.0.0.1")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    with serve({"/favicon.ico": (200, {"Content-Type": "image/x-icon"}, png)}) as (base, _seen):
        bare = ok(empty_api.post(f"{V}/organizations", json={"name": "Initech"}), 201)["data"]
        web = ok(empty_api.post(f"{V}/organizations", json={"name": "Globex", "website": base}), 201)["data"]
        cli("settings", "set", "logos.enabled", "true")
        nothing = ok(empty_api.post(f"{V}/organizations/{bare['id']}/refresh-logo"))["data"]
        assert nothing == {
            "logo_url": None,
            "refreshed": False,
            "skipped": True,
            "reason": "no_domain_or_website",
        }
        first = ok(empty_api.post(f"{V}/organizations/{web['id']}/refresh-logo"))["data"]
        assert first["refreshed"] is True and "skipped" not in first
        again = ok(empty_api.post(f"{V}/organizations/{web['id']}/refresh-logo"))["data"]
    assert again == {
        "logo_url": first["logo_url"],
        "refreshed": False,
        "skipped": True,
        "reason": "refreshed_recently",
    }


def test_the_accounts_on_auth_me_carry_when_they_were_connected(empty_api: Any) -> None:
    """The reference's GoogleAccountData (the items of `google_accounts` on GET /auth/me) has created_at,
    as GET /auth/google/accounts gives it."""
    from pcrm.services.context import open_context
    from pcrm.store import google_accounts
    from pcrm.store.db import write

    account = {"email": "ada@example.com", "password": "correct horse"}
    ok(empty_api.post(f"{V}/auth/register", json=account), 201)
    with open_context() as ctx, write(ctx.conn):
        google_accounts.upsert(ctx.conn, "ada@gmail.example", "2026-12-01T09:30:00.000Z")
    listed = ok(empty_api.get(f"{V}/auth/google/accounts"))["data"]
    me = ok(empty_api.get(f"{V}/auth/me"))["data"]
    assert me["google_accounts"] == [
        {"id": listed[0]["id"], "email": "ada@gmail.example", "created_at": "2026-12-01T09:30:00.000Z"}
    ]


def test_a_note_from_the_reference_ui_is_a_note(empty_api: Any) -> None:
    """The reference's contact page adds a note as {platform: manual, direction: outbound, ...}. Stored as
    outbound it counted as a message sent: reciprocity, `manual` as a channel (breadth), and three notes made
    the contact 'ghosted'. The notes' platform now holds notes only [notes-and-logs]."""
    ada = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace"}), 201)["data"]
    for day in (5, 6, 7):
        body = {
            "platform": "manual",
            "direction": "outbound",
            "content_preview": f"lunch notes {day}",
            "occurred_at": f"2026-01-0{day}T12:00:00.000Z",
        }
        got = ok(empty_api.post(f"{V}/contacts/{ada['id']}/interactions", json=body), 201)
        assert (got["data"]["platform"], got["data"]["direction"]) == ("manual", "note")
        assert got["meta"]["note"].startswith("manual is the platform of notes: kept as a note, not outbound")
    stats = ok(empty_api.get(f"{V}/contacts/{ada['id']}/activity"))["data"]["stats"]
    assert (stats["outbound_365d"], stats["platforms"], stats["interaction_count"]) == (0, [], 3)
    assert ok(empty_api.get(f"{V}/contacts", params={"ghosted": "true"}))["data"] == []
    # a call logged with a direction is still what it says
    call = {"platform": "call", "direction": "outbound", "occurred_at": "2026-01-08T12:00:00.000Z"}
    got = ok(empty_api.post(f"{V}/contacts/{ada['id']}/interactions", json=call), 201)
    assert got["data"]["direction"] == "outbound" and got["meta"] == {}
