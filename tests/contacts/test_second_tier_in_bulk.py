"""The `2nd tier` marker given to many contacts at once is said for those you talked with, as one contact's
edit says it [second-tier]: `pcrm contacts bulk-update ... --add-tag "2nd tier"` (POST /contacts/bulk-update)
and AI tagging (`pcrm tags apply`, `pcrm contacts auto-tag`) gave it to people with a history without a word,
hiding them from suggestions and the map. The tag is kept (the user's, as the one-contact edit keeps it); the
answer says how many and names the first few (meta.note, meta.second_tier_talked; the CLI's `note:` line)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pcrm.services.ai import taxonomy
from pcrm.services.context import open_context
from tests.support.api import V, ok
from tests.support.crm import Crm
from tests.support.llm_fake import MODEL_ID, Scripted, scripted_fixture

SAYS = "talked with you"
WHY = "`2nd tier` is for group members you never talked to, and goes at their next interaction"


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Scripted]:
    yield from scripted_fixture(monkeypatch, tmp_path)


def _people(crm: Crm, talked: list[str], others: list[str]) -> None:
    for name in talked + others:
        c = crm.add(name)
        if name in talked:
            crm.history(c["id"], [("email", "inbound", "2026-06-01T10:00:00.000Z")])


def _said(text: str) -> str:
    return " ".join(text.split())


def test_a_bulk_update_adding_2nd_tier_names_those_you_talked_with_and_keeps_the_tag(crm: Crm) -> None:
    _people(crm, ["Ada Lovelace", "Bob Baker"], ["Cy Young"])
    names = ("Ada Lovelace", "Bob Baker", "Cy Young")
    dry = crm.cli("contacts", "bulk-update", *names, "--add-tag", "2nd tier", "--dry-run")
    assert f"note: 2 contacts have {SAYS} (Ada Lovelace, Bob Baker): {WHY}" in _said(dry.stderr), dry.stderr
    r = crm.cli("contacts", "bulk-update", *names, "--add-tag", "2nd tier")
    assert f"note: 2 contacts have {SAYS} (Ada Lovelace, Bob Baker): {WHY}" in _said(r.stderr), r.stderr
    assert all("2nd tier" in crm.show(n)["tags"] for n in names)
    meta = crm.cli.json("contacts", "bulk-update", "Ada Lovelace", "--remove-tag", "2nd tier")["meta"]
    assert "note" not in meta
    one = crm.cli("contacts", "bulk-update", "Ada Lovelace", "--add-tag", "2nd tier")
    assert f"note: Ada Lovelace has {SAYS}: {WHY}" in _said(one.stderr), one.stderr


def test_a_bulk_update_says_a_few_names_and_how_many_others(crm: Crm) -> None:
    talked = [f"Person {i}" for i in range(7)]
    _people(crm, talked, ["Quiet One"])
    r = crm.cli("contacts", "bulk-update", *talked, "Quiet One", "--add-tag", "2nd tier", "--yes")
    said = _said(r.stderr)
    assert (
        f"note: 7 contacts have {SAYS} (Person 0, Person 1, Person 2, Person 3, Person 4 and 2 others)"
        in said
    )
    # those already 2nd tier are not said again
    r = crm.cli("contacts", "bulk-update", *talked, "--add-tag", "2nd tier", "--yes")
    assert "note:" not in r.stderr, r.stderr


def test_a_bulk_update_of_group_members_you_never_talked_to_says_nothing(crm: Crm) -> None:
    _people(crm, [], ["Cy Young", "Di Prince"])
    r = crm.cli("contacts", "bulk-update", "Cy Young", "Di Prince", "--add-tag", "2nd tier")
    assert "note:" not in r.stderr, r.stderr


def test_the_api_bulk_update_says_it_in_meta(crm: Crm, empty_api: Any) -> None:
    _people(crm, ["Ada Lovelace"], ["Cy Young"])
    ids = [crm.show(n)["id"] for n in ("Ada Lovelace", "Cy Young")]
    up = ok(empty_api.post(f"{V}/contacts/bulk-update", json={"contact_ids": ids, "add_tags": ["2nd tier"]}))
    assert up["meta"]["note"].startswith(f"Ada Lovelace has {SAYS}: {WHY}"), up["meta"]
    talked = up["meta"]["second_tier_talked"]
    assert (talked["count"], [c["display_name"] for c in talked["contacts"]]) == (1, ["Ada Lovelace"])


def test_ai_tagging_that_gives_2nd_tier_says_it(crm: Crm, scripted: Scripted) -> None:
    _people(crm, ["Ada Lovelace"], ["Cy Young"])
    crm.cli("settings", "set", "ai.model", MODEL_ID)
    with open_context() as ctx:
        taxonomy.put_taxonomy(ctx, {"categories": {"Circle": ["2nd tier", "friend"]}, "status": "approved"})
    scripted.reply = lambda p: json.dumps({"tags": ["2nd tier"]})
    r = crm.cli("tags", "apply")
    assert f"note: Ada Lovelace has {SAYS}: {WHY}" in _said(r.stderr), r.stderr
    assert all("2nd tier" in crm.show(n)["tags"] for n in ("Ada Lovelace", "Cy Young"))
    crm.cli("contacts", "bulk-undo", r.stdout.split()[-1])
    r = crm.cli("contacts", "auto-tag", "Ada Lovelace")
    assert f"note: Ada Lovelace has {SAYS}: {WHY}" in _said(r.stderr), r.stderr


def test_contacts_edit_giving_2nd_tier_says_it_as_contacts_tag_does(crm: Crm) -> None:
    """`pcrm contacts edit ada --tag "2nd tier"` set the marker with meta.note and printed nothing of it."""
    _people(crm, ["Ada Lovelace"], [])
    r = crm.cli("contacts", "edit", "Ada Lovelace", "--tag", "2nd tier")
    assert f"note: Ada Lovelace has {SAYS}: {WHY}" in _said(r.stderr), r.stderr
    assert crm.show("Ada Lovelace")["tags"] == ["2nd tier"]
