"""[reversible-merges] [hand-edits]: a value the user typed on a merge's survivor after the merge stays on it
when the merge is undone, though the merge had brought it from the other contact. The unmerge kept only what
changed since the merge, so a merged contact's email, title or handle typed again on the survivor (`contacts
edit S --email ...` with the whole list) went back to the other contact alone. The other contact still
comes back with its own values; a platform identity, which one contact holds, stays on the survivor and the
answer names it."""

from __future__ import annotations

from typing import Any

import pytest

SHOWN = ("emails", "phones", "tags", "title", "telegram_username", "twitter_handle", "company")


def _pair(cli: Any) -> tuple[str, str, str]:
    """Ada A (the poorer, merged away) and Ada B (the survivor), merged: (survivor, merged, merge id)."""
    a = cli.json(
        "contacts", "add", "--name", "Ada Lovelace", "--email", "ada@a.test", "--phone", "+44 20 7946 0001",
        "--tag", "friend", "--title", "Countess", "--telegram", "adatg",
    )["data"]["id"]  # fmt: skip
    b = cli.json(
        "contacts", "add", "--name", "Ada L", "--email", "ada@b.test", "--phone", "+44 20 7946 0002",
        "--company", "Acme", "--twitter", "adatw", "--tag", "work", "--location", "London",
        "--notes", "met at RI",
    )["data"]["id"]  # fmt: skip
    merged = cli.json("contacts", "merge", a, b)["data"]
    assert (merged["id"], merged["merged_contact_id"]) == (b, a)  # the richer one survives
    return b, a, merged["merge_id"]


def _shown(cli: Any, cid: str) -> dict[str, Any]:
    c = cli.json("contacts", "show", cid)["data"]
    return {k: c[k] for k in SHOWN}


def test_unmerge_keeps_the_merged_values_typed_on_the_survivor(cli: Any) -> None:
    survivor, merged, merge_id = _pair(cli)
    cli(
        "contacts", "edit", survivor, "--email", "ada@b.test", "--email", "ada@a.test",
        "--phone", "+44 20 7946 0002", "--phone", "+44 20 7946 0001",
        "--title", "Countess", "--telegram", "adatg",
    )  # fmt: skip
    cli("contacts", "tag", survivor, "vip")  # types vip, not the tags it adds to

    res = cli.json("contacts", "unmerge", merge_id[:8])["data"]

    assert _shown(cli, survivor) == {
        "emails": ["ada@b.test", "ada@a.test"],
        "phones": ["+44 20 7946 0002", "+44 20 7946 0001"],
        "tags": ["work", "vip"],  # friend was not typed: it goes back with the other contact
        "title": "Countess",
        "telegram_username": "adatg",
        "twitter_handle": "adatw",
        "company": "Acme",
    }
    assert _shown(cli, merged) == {  # the other contact comes back with its own values
        "emails": ["ada@a.test"],
        "phones": ["+44 20 7946 0001"],
        "tags": ["friend"],
        "title": "Countess",
        "telegram_username": None,  # one contact holds a handle: it stays where the user typed it
        "twitter_handle": None,
        "company": None,
    }
    assert {"title", "contact_emails", "contact_phones", "contact_identities"} <= set(
        res["edits_kept_on_survivor"]
    )
    assert res["identities_kept_on_survivor"] == [{"field": "telegram_username", "value": "adatg"}]


def test_the_cli_names_a_handle_kept_on_the_survivor(cli: Any) -> None:
    survivor, merged, merge_id = _pair(cli)
    cli("contacts", "edit", survivor, "--telegram", "adatg")
    done = cli("contacts", "unmerge", merge_id)
    # in words (it said 'telegram_username adatg'), as what stayed (it said 'contact_emails')
    assert f"Telegram username @adatg stays on {survivor[:8]}, typed there after the merge" in done.stderr
    assert "kept on the survivor since the merge: handles and platform ids\n" in done.stdout, done.stdout
    assert f"{merged[:8]} comes back without it" in done.stderr


def test_without_typing_the_merged_values_go_back(cli: Any) -> None:
    survivor, merged, merge_id = _pair(cli)
    cli("contacts", "edit", survivor, "--add-email", "ada@new.test", "--title", "Analyst")
    res = cli.json("contacts", "unmerge", merge_id)["data"]
    assert _shown(cli, survivor)["emails"] == ["ada@b.test", "ada@new.test"]
    assert _shown(cli, survivor)["title"] == "Analyst"
    assert _shown(cli, survivor)["telegram_username"] is None
    assert _shown(cli, merged)["telegram_username"] == "adatg"
    assert res["identities_kept_on_survivor"] == []


@pytest.mark.anyio
async def test_an_api_edit_of_the_survivor_keeps_what_it_typed(empty_twin: Any) -> None:
    t = empty_twin
    survivor, merged, merge_id = _pair(t.cli)
    r = await t.request(
        "PUT",
        f"/api/v1/contacts/{survivor}",
        json={"emails": ["ada@b.test", "ada@a.test"], "title": "Countess", "telegram_username": "adatg"},
    )
    assert r.status_code == 200, r.text
    res = t.cli.json("contacts", "unmerge", merge_id)["data"]
    shown = _shown(t.cli, survivor)
    assert (shown["emails"], shown["title"], shown["telegram_username"]) == (
        ["ada@b.test", "ada@a.test"],
        "Countess",
        "adatg",
    )
    assert shown["tags"] == ["work"] and shown["phones"] == ["+44 20 7946 0002"]  # not typed: went back
    assert _shown(t.cli, merged)["emails"] == ["ada@a.test"]
    assert res["identities_kept_on_survivor"] == [{"field": "telegram_username", "value": "adatg"}]
