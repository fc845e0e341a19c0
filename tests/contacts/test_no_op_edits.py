"""An edit that changes no value is no update [no-op-edits]: `pcrm contacts tag Ada t` when Ada has the tag,
`pcrm contacts edit Ada --company SAME` and a PUT of the stored values left every value as it was but moved
`updated_at`, and said nothing of it. They now leave updated_at (and, with nothing new to protect or to
record, the whole store) as it was, say so, and meta says `unchanged`."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.crm import NOW, Crm

LATER = "2026-07-01T09:00:00Z"


def _ada(crm: Crm) -> dict[str, Any]:
    crm.add("Ada Lovelace", "--email", "ada@example.com", "--company", "Analytical")
    # an edit by hand: company and tags are the user's from here on [protected-fields]
    return crm.cli.json("contacts", "edit", "Ada Lovelace", "--company", "Analytical", "--tag", "t")["data"]


def test_tagging_with_a_tag_the_contact_has_changes_nothing_and_says_so(crm: Crm) -> None:
    ada = _ada(crm)
    assert ada["updated_at"] == NOW and ada["tags"] == ["t"]
    before = crm.dump()
    r = crm.cli("contacts", "tag", "Ada Lovelace", "T", "--now", LATER)
    assert r.exit_code == 0 and r.stdout == ""
    assert r.stderr == "Ada Lovelace already has tag t; nothing to change\n", r.stderr
    out = crm.cli.json("contacts", "tag", "Ada Lovelace", "t", " t ", "--now", LATER)
    assert out["meta"] == {"unchanged": True} and out["data"]["updated_at"] == NOW
    assert crm.dump() == before  # not one byte
    # a tag it lacks is an update, as before
    got = crm.cli.json("contacts", "tag", "Ada Lovelace", "t", "u", "--now", LATER)
    assert got["meta"] == {} and got["data"]["tags"] == ["t", "u"]
    assert got["data"]["updated_at"] == "2026-07-01T09:00:00.000Z"


def test_an_edit_giving_the_values_the_contact_has_changes_nothing_and_says_so(crm: Crm) -> None:
    _ada(crm)
    before = crm.dump()
    r = crm.cli("contacts", "edit", "Ada Lovelace", "--company", "Analytical", "--now", LATER)
    assert r.exit_code == 0 and r.stdout == ""
    assert r.stderr == "nothing to change: Ada Lovelace already has the company given\n", r.stderr
    r = crm.cli(
        "contacts", "edit", "Ada", "--company", "Analytical", "--email", "ADA@example.com ", "--now", LATER
    )
    assert "already has the emails and company given" in r.stderr, r.stderr
    out = crm.cli.json("contacts", "edit", "Ada", "--company", "Analytical", "--now", LATER)
    assert out["meta"] == {"unchanged": True} and out["data"]["updated_at"] == NOW
    assert crm.dump() == before
    changed = crm.cli.json("contacts", "edit", "Ada", "--company", "Difference Engines", "--now", LATER)
    # the one thing said: the organization its new company made can be taken back [bulk-undo]
    assert set(changed["meta"]) == {"bulk_update_id", "undo"}
    assert changed["data"]["updated_at"] == "2026-07-01T09:00:00.000Z"


def test_clearing_a_field_the_contact_has_not_got_says_there_is_nothing_to_clear(crm: Crm) -> None:
    """`--clear company` on a contact without a company said "nothing to change: Geo A already has the
    company given": nothing was given."""
    crm.add("Geo A", "--title", "CEO")
    r = crm.cli("contacts", "edit", "Geo A", "--clear", "company", "--now", LATER)
    assert r.exit_code == 0 and r.stdout == ""
    assert r.stderr == "Geo A has no company; nothing to clear\n", r.stderr
    r = crm.cli(
        "contacts", "edit", "Geo A", *("--clear", "email", "--clear", "location", "--clear", "birthday")
    )
    assert r.stderr == "Geo A has no emails, location or birthday; nothing to clear\n", r.stderr
    r = crm.cli("contacts", "edit", "Geo A", "--clear", "company", "--title", "CEO")
    assert r.stderr == (
        "nothing to change: Geo A has no company and already has the title given; title is yours from now on "
        "(imports keep theirs aside)\n"
    ), r.stderr
    assert crm.show("Geo A")["updated_at"] == NOW


def test_a_value_typed_again_is_still_the_users_without_moving_updated_at(crm: Crm) -> None:
    """The value is unchanged, but the user typed it: the field is theirs from now on ([protected-fields],
    as the reference's PUT marks every field it is given), which is no change of a value."""
    crm.add("Ada Lovelace", "--email", "ada@example.com", "--company", "Analytical")
    assert crm.show("Ada Lovelace")["user_edited_fields"] == []
    out = crm.cli.json("contacts", "edit", "Ada", "--company", "Analytical", "--now", LATER)
    assert out["meta"] == {"unchanged": True, "protected": ["company"]}
    assert out["data"]["updated_at"] == NOW and out["data"]["user_edited_fields"] == ["company"]


def test_a_put_of_the_stored_values_is_no_update(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The API's PUT goes through the same service: the same no-op leaves updated_at as it was, and
    says so in meta; a PUT that changes a value moves it."""
    ada = api.get("/api/v1/contacts", params={"search": "Ada Lovelace"}).json()["data"][0]
    url = f"/api/v1/contacts/{ada['id']}"
    first = api.put(url, json={"title": "Countess of Lovelace"}).json()["data"]
    monkeypatch.setenv("PCRM_NOW", LATER)  # later: an update would show
    same = api.put(url, json={"title": "Countess of Lovelace", "company": ada["company"]}).json()
    assert same["meta"] == {"unchanged": True, "protected": ["company"]}
    assert same["data"]["updated_at"] == first["updated_at"]
    assert same["data"]["user_edited_fields"] == [*first["user_edited_fields"], "company"]  # as the spec says
    again = api.put(url, json={"tags": ada["tags"]}).json()
    assert again["meta"] == {"unchanged": True, "protected": ["tags"]}
    assert again["data"]["updated_at"] == first["updated_at"]
    moved = api.put(url, json={"title": "Countess"}).json()
    assert moved["meta"] == {} and moved["data"]["updated_at"] == "2026-07-01T09:00:00.000Z"


def test_an_organization_edit_giving_its_values_changes_nothing_and_says_so(crm: Crm) -> None:
    """`pcrm orgs edit ORG --domain SAME` moved the organization's updated_at like a real edit."""
    crm.cli.json("orgs", "add", "Analytical Engines", "--domain", "analytical.io", "--industry", "Computing")
    before = crm.dump()
    r = crm.cli("orgs", "edit", "Analytical Engines", "--domain", "analytical.io", "--now", LATER)
    assert r.exit_code == 0 and r.stdout == ""
    assert r.stderr == "nothing to change: Analytical Engines already has the domain given\n", r.stderr
    out = crm.cli.json(
        "orgs",
        "edit",
        "Analytical Engines",
        "--domain",
        "ANALYTICAL.io",
        "--industry",
        "Computing",
        "--now",
        LATER,
    )
    assert out["meta"]["unchanged"] is True and out["data"]["updated_at"] == NOW
    assert out["data"]["domain"] == "analytical.io"
    assert crm.dump() == before  # not one byte
    moved = crm.cli.json("orgs", "edit", "Analytical Engines", "--industry", "Engines", "--now", LATER)
    assert "unchanged" not in moved["meta"] and moved["data"]["updated_at"] == "2026-07-01T09:00:00.000Z"


def test_a_note_edit_giving_its_text_changes_nothing_and_says_so(crm: Crm) -> None:
    """`pcrm note edit ID "same text"` moved the note's updated_at like a real edit."""
    ada = crm.add("Ada Lovelace")
    note = crm.cli.json("note", "add", ada["id"], "lunch at the British Library")["data"]
    first = crm.cli.json("note", "edit", note["id"], "tea at four")["data"]
    assert first["updated_at"] == NOW
    before = crm.dump()
    r = crm.cli("note", "edit", note["id"][:8], " tea at four ", "--now", LATER)
    assert r.exit_code == 0 and r.stdout == ""
    assert r.stderr == f"nothing to change: note {note['id'][:8]} already has the text given\n", r.stderr
    out = crm.cli.json("note", "edit", note["id"], "tea at four", "--now", LATER)
    assert out["meta"] == {"unchanged": True} and out["data"]["updated_at"] == NOW
    assert crm.dump() == before
    moved = crm.cli.json("note", "edit", note["id"], "tea at five", "--now", LATER)
    assert moved["meta"] == {} and moved["data"]["updated_at"] == "2026-07-01T09:00:00.000Z"


def test_a_patch_of_an_organizations_or_notes_stored_values_is_no_update(
    api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The API's PATCH of an organization or a note goes through the same services."""
    org = api.get("/api/v1/organizations", params={"search": "Analytical"}).json()["data"][0]
    url = f"/api/v1/organizations/{org['id']}"
    first = api.patch(url, json={"industry": "Computing"}).json()["data"]
    monkeypatch.setenv("PCRM_NOW", LATER)
    same = api.patch(url, json={"industry": "Computing", "domain": org["domain"]}).json()
    assert same["meta"]["unchanged"] is True and same["data"]["updated_at"] == first["updated_at"]
    moved = api.patch(url, json={"industry": "Engines"}).json()
    assert "unchanged" not in moved["meta"] and moved["data"]["updated_at"] == "2026-07-01T09:00:00.000Z"

    ada = api.get("/api/v1/contacts", params={"search": "Ada Lovelace"}).json()["data"][0]
    notes = f"/api/v1/contacts/{ada['id']}/interactions"
    note = api.post(notes, json={"platform": "manual", "direction": "note", "content_preview": "tea"}).json()
    nurl = f"{notes}/{note['data']['id']}"
    api.patch(nurl, json={"content_preview": "tea at four"})
    monkeypatch.setenv("PCRM_NOW", "2026-08-01T09:00:00Z")
    same_note = api.patch(nurl, json={"content_preview": "tea at four"}).json()
    assert same_note["meta"] == {"unchanged": True}
    assert same_note["data"]["updated_at"] == "2026-07-01T09:00:00.000Z"
