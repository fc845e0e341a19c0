"""A tag filter naming a tag no contact has [unknown-tags]: the list says which tag, the tags in use
closest to it and `pcrm tags list` (it said only "no contacts match"); an export or a bulk update
selecting by it is refused and writes nothing; a bulk update selecting nobody says so instead of
"updated 0", and its dry run names who would change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.crm import Crm


@pytest.fixture
def tagged(crm: Crm) -> dict[str, str]:
    ada = crm.add("Ada Lovelace", "--tag", "book club", "--tag", "mentor")["id"]
    grace = crm.add("Grace Hopper", "--tag", "book club")["id"]
    crm.add("Alan Turing", "--tag", "friend")
    return {"ada": ada, "grace": grace}


def test_a_list_by_a_tag_nobody_has_names_it_and_the_closest(crm: Crm, tagged: dict[str, str]) -> None:
    r = crm.cli("contacts", "list", "--tag", "bookclub")
    assert r.stdout == ""
    said = " ".join(r.stderr.split())
    assert "no contact has the tag 'bookclub'" in said, said
    assert "did you mean 'book club'?" in said and "`pcrm tags list`" in said, said
    meta = crm.cli.json("contacts", "list", "--tag", "BookClub")["meta"]
    assert meta["unknown_tag"] == {"tag": "bookclub", "near": ["book club"]}
    ids = crm.cli("contacts", "ids", "--tag", "frend")
    assert ids.stdout == "" and "did you mean 'friend'?" in " ".join(ids.stderr.split())
    far = " ".join(crm.cli("contacts", "list", "--tag", "zzz").stderr.split())
    assert "no contact has the tag 'zzz'; `pcrm tags list`" in far, far
    # a tag in use that the other filters leave empty keeps the general message
    other = " ".join(crm.cli("contacts", "list", "--tag", "mentor", "--score", "strong").stderr.split())
    assert (
        "no contacts match" in other
        and "unknown_tag"
        not in crm.cli.json("contacts", "list", "--tag", "mentor", "--score", "strong")["meta"]
    )


def test_an_export_by_a_tag_nobody_has_is_refused(crm: Crm, tagged: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "club.csv"
    for fmt in ("csv", "vcard"):
        err = crm.rejects(
            "export",
            fmt,
            "--tag",
            "bookclub",
            "--output",
            str(target),
            code="not_found",
            says="no contact has the tag 'bookclub'",
            hint="did you mean 'book club'?",
        )
        assert err["details"]["unknown_tag"]["near"] == ["book club"]
        assert not target.exists()


def test_bulk_update_selecting_nobody_says_so(crm: Crm, tagged: dict[str, str]) -> None:
    crm.rejects(
        "contacts",
        "bulk-update",
        "--where",
        "tag=bookclub",
        "--add-tag",
        "x",
        code="not_found",
        says="no contact has the tag 'bookclub'",
        hint="`pcrm tags list`",
    )
    crm.rejects(
        "contacts",
        "bulk-update",
        "--where",
        "tag=mentor",
        "--where",
        "score=strong",
        "--add-tag",
        "x",
        code="not_found",
        says="no contact matches the --where filters",
        hint="pcrm contacts list",
    )


def test_bulk_update_dry_run_names_who_would_change(crm: Crm, tagged: dict[str, str]) -> None:
    before = crm.dump()
    text = crm.cli(
        "contacts", "bulk-update", "--where", "tag=book club", "--add-tag", "x", "--dry-run"
    ).stdout
    assert f"{tagged['ada'][:8]}  Ada Lovelace" in text and f"{tagged['grace'][:8]}  Grace Hopper" in text
    assert "Alan Turing" not in text and "would update 2 contacts" in text
    data = crm.cli.json("contacts", "bulk-update", "--where", "tag=book club", "--add-tag", "x", "--dry-run")[
        "data"
    ]
    assert data["updated"] == 2
    assert sorted(c["id"] for c in data["contacts"]) == sorted(tagged.values())
    assert crm.dump() == before


def test_the_api_list_says_the_unknown_tag_in_its_meta(empty_api: Any) -> None:
    """GET /contacts?tag=... stays 200 and empty; its meta (and /contacts/ids') names the tag and the closest
    ones, in the documented shape (the checked client validates it against the OpenAPI schema)."""
    from tests.support.api import V, ok

    ok(empty_api.post(f"{V}/contacts", json={"full_name": "Ada", "tags": ["book club"]}), 201)
    listed = ok(empty_api.get(f"{V}/contacts", params={"tag": "bookclub"}))
    assert listed["data"] == [] and listed["meta"]["unknown_tag"] == {
        "tag": "bookclub",
        "near": ["book club"],
    }
    ids = ok(empty_api.get(f"{V}/contacts/ids", params={"tag": "bookclub"}))
    assert ids["meta"]["unknown_tag"]["near"] == ["book club"]
    assert "unknown_tag" not in ok(empty_api.get(f"{V}/contacts", params={"tag": "book club"}))["meta"]
