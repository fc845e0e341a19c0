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
