"""Search finds people by their tags [contact-search]: `contacts list --search "book club"` (and `contacts
search`, GET /contacts?search=) finds the contacts tagged "book club", as `--tag "book club"` does, a name
match first; the documents follow tags added, removed, renamed and deleted, and an import's; m026_search_tags
rebuilds the documents of a store indexed before, those of tagged contacts only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.crm import Crm
from tests.support.store import search_documents

TESTDATA = Path("/work/shared/testdata")


@pytest.fixture
def tagged(crm: Crm) -> dict[str, str]:
    ids = {
        "Ada Lovelace": crm.add("Ada Lovelace", "--tag", "book club", "--tag", "mentor")["id"],
        "Grace Hopper": crm.add("Grace Hopper", "--tag", "Book Club")["id"],
        "Alan Turing": crm.add("Alan Turing", "--tag", "chess")["id"],
        # a name holding the words: ranks before the tag matches
        "Clubbe Bookman": crm.add("Clubbe Bookman")["id"],
    }
    return ids


def found(crm: Crm, term: str) -> list[str]:
    got = crm.cli.json("contacts", "list", "--search", term)
    ids = crm.cli.json("contacts", "ids", "--search", term)["data"]
    assert sorted(ids) == sorted(c["id"] for c in got["data"]), term
    assert got["meta"]["total"] == len(got["data"]), term
    return [c["full_name"] for c in got["data"]]


def test_a_tag_is_found_by_search(crm: Crm, tagged: dict[str, str]) -> None:
    assert found(crm, "book club") == ["Clubbe Bookman", "Ada Lovelace", "Grace Hopper"]
    assert found(crm, "mentor") == ["Ada Lovelace"]
    assert found(crm, "chess") == ["Alan Turing"]
    assert found(crm, "club book") == ["Clubbe Bookman", "Ada Lovelace", "Grace Hopper"]  # any order
    assert found(crm, "ada mentor") == ["Ada Lovelace"]  # a name and a tag
    assert found(crm, "me") == ["Ada Lovelace"]  # first keystrokes: a word of a tag starts with it
    # the same people as --tag, which ignores case as the tag is stored
    tag = crm.cli.json("contacts", "list", "--tag", "book club")["data"]
    assert sorted(c["full_name"] for c in tag) == ["Ada Lovelace", "Grace Hopper"]
    # the alias takes the words apart
    got = crm.cli.json("contacts", "search", "book", "club")["data"]
    assert [c["full_name"] for c in got] == ["Clubbe Bookman", "Ada Lovelace", "Grace Hopper"]
    plain = crm.cli("contacts", "search", "book club", "--format", "plain", "--fields", "name,tags")
    assert plain.stdout.splitlines() == [
        "Clubbe Bookman\t",
        "Ada Lovelace\tbook club, mentor",
        "Grace Hopper\tbook club",
    ]


def test_a_tag_ranks_below_a_name(crm: Crm) -> None:
    """A contact named with the term comes first, whatever its score or age; a tag is in the tier of the
    company and title."""
    crm.add("Chess Player")
    crm.add("Garry Kasparov", "--tag", "chess")
    crm.add("Judit Polgar", "--company", "Chess Federation")
    got = found(crm, "chess")
    assert got[0] == "Chess Player"
    assert sorted(got[1:]) == ["Garry Kasparov", "Judit Polgar"]


def test_the_documents_follow_the_tags(crm: Crm, tagged: dict[str, str]) -> None:
    ada, grace = tagged["Ada Lovelace"], tagged["Grace Hopper"]
    crm.cli("contacts", "untag", ada, "book club")
    assert found(crm, "book club") == ["Clubbe Bookman", "Grace Hopper"]
    crm.cli("contacts", "tag", ada, "reading group")
    assert found(crm, "reading") == ["Ada Lovelace"]
    crm.cli("tags", "rename", "reading group", "readers")
    assert found(crm, "reading") == []
    assert found(crm, "readers") == ["Ada Lovelace"]
    crm.cli("tags", "delete", "book club", "--yes")
    assert found(crm, "book club") == ["Clubbe Bookman"]
    crm.cli("contacts", "edit", grace, "--tag", "navy")
    assert found(crm, "navy") == ["Grace Hopper"]
    crm.cli("contacts", "edit", grace, "--tag", "cobol")
    assert found(crm, "navy") == [] and found(crm, "cobol") == ["Grace Hopper"]
    # a deleted contact takes its document with it
    crm.cli("contacts", "rm", grace, "--yes")
    assert found(crm, "cobol") == []
    assert crm.sql("SELECT count(*) FROM search_dirty") == [(0,)]


@pytest.mark.parametrize("set_based", [False, True])
def test_an_imports_tags_are_found(
    crm: Crm, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, set_based: bool
) -> None:
    """The labels of a Google export become tags and are searchable, whether the import writes row by row or
    in bulk (its per-row triggers off, redone set-based)."""
    from pcrm.store import bulk

    if set_based:
        monkeypatch.setattr(bulk, "_SET_BASED_FROM", 1)
    crm.cli("import", str(TESTDATA / "google_csv" / "roundcube__gmail_legacy.csv"))
    tagged = crm.cli.json("contacts", "list", "--tag", "test")["data"]
    assert len(tagged) == 1
    assert [c["id"] for c in crm.cli.json("contacts", "list", "--search", "test")["data"]] == [
        tagged[0]["id"]
    ]


@pytest.mark.anyio
async def test_the_api_finds_a_tag(client: Any, script: dict[str, str]) -> None:
    for body in (
        {"full_name": "Ada Lovelace", "tags": ["book club"]},
        {"full_name": "Grace Hopper"},
    ):
        r = await client.post("/api/v1/contacts", headers=script, json=body)
        assert r.status_code == 201, r.text
    r = await client.get("/api/v1/contacts", headers=script, params={"search": "book club"})
    assert r.status_code == 200, r.text
    assert [c["full_name"] for c in r.json()["data"]] == ["Ada Lovelace"]
    assert "did_you_mean" not in r.json()["meta"]
    ids = await client.get("/api/v1/contacts/ids", headers=script, params={"search": "book club"})
    assert ids.json()["data"] == [r.json()["data"][0]["id"]]


@pytest.mark.parametrize("most_tagged", [False, True])
def test_documents_written_before_get_the_tags(
    crm: Crm, tagged: dict[str, str], monkeypatch: pytest.MonkeyPatch, most_tagged: bool
) -> None:
    """m026_search_tags rebuilds the documents of the tagged contacts of a store indexed before it, and only
    those, unless most contacts have a tag (then every document is written anew, which costs less);
    afterwards they are what a new store writes."""
    import apsw

    from pcrm.store import search

    # 3 of the 4 contacts are tagged
    monkeypatch.setattr(search, "REWRITE_SHARE", 0.7 if most_tagged else 0.8)

    new = search_documents(crm.db)
    # (m030_search_fidelity writes a tag of several words also as one)
    assert [d[2] for d in new] == ["book club bookclub mentor", "book club bookclub", "chess", ""]
    # the documents as m024's view wrote them (no tags), and a mark in the untagged contact's, which a
    # rebuild would take away; m026 (and m030, which follows it) not applied
    raw = apsw.Connection(str(crm.db))
    raw.execute("BEGIN")
    for table in ("contacts_fts", "contacts_fts_words"):
        for n, (rowid, names, _org, handles, other) in enumerate(new):
            raw.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
            raw.execute(
                f"INSERT INTO {table}(rowid, names, org, handles, other) VALUES (?, ?, '', ?, ?)",
                (rowid, f"{names} untouched" if n == 3 else names, handles, other),
            )
    raw.execute(
        "DROP TRIGGER tags_search_insert; DROP TRIGGER tags_search_delete; DROP TRIGGER tags_search_update"
    )
    from pcrm.store.migrations import _sql

    raw.execute(_sql("schema_m024_search_joined.sql"))
    raw.execute("DELETE FROM schema_migrations WHERE name IN ('m026_search_tags', 'm030_search_fidelity')")
    raw.execute("COMMIT")
    raw.close()
    # the command migrates first
    assert found(crm, "book club") == ["Clubbe Bookman", "Ada Lovelace", "Grace Hopper"]
    after = search_documents(crm.db)
    assert after[:3] == new[:3]
    if most_tagged:
        assert after == new
    else:  # the untagged contact's document was left alone
        assert after[3] == (*new[3][:1], f"{new[3][1]} untouched", *new[3][2:])
    assert crm.sql("SELECT name FROM schema_migrations WHERE name = 'm026_search_tags'") == [
        ("m026_search_tags",)
    ]
