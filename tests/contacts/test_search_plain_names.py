"""A search's first tier (the full name starts with the term) ignores accents as the rest of search does
[plain-names] [contact-search]: "emile" puts "Émile Zola" first, before "Jean Emile", whose name only holds
it; and a German umlaut in either spelling [search-spellings]: "mueller" puts "Müller Anna" there as it does
"Mueller Karl"; through the CLI (`contacts search`, `contacts list -s`) and the API, on real stores, for
names written by every path (added, edited, imported, restored by an unmerge, a store from before
m032_name_plain or m033_name_umlaut)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pcrm.store import migrations, search
from pcrm.store.db import connect
from tests.support.crm import Crm
from tests.support.people import add_people

# each accented name is added before the plain one that holds the term later in the name: with a tie in
# score, the newer contact comes first, so the accented name leads only from the first tier
PEOPLE = [
    ("Émile Zola", [], None),
    ("Jean Emile", [], None),
    ("Zoë Kravitz", [], None),
    ("Anna Zoe", [], None),
    ("José Ortiz", [], None),
    ("Ana Jose", [], None),
    ("Sørensen Lund", [], None),
    ("Ida Sorensen", [], None),
    ("Öztürk Ali", [], None),
    ("Ali Ozturk", [], None),
    # the first tier in either spelling of an umlaut: Anna's name starts with "mueller" written so, Karl's
    # with "müller" so; Anna Mueller (newer than Anna Müller) only holds it
    ("Müller Anna", [], None),
    ("Anna Mueller", [], None),
    ("Mueller Karl", [], None),
]

FIRST = {  # a term -> the names it finds, best first
    "emile": ["Émile Zola", "Jean Emile"],
    "zoe": ["Zoë Kravitz", "Anna Zoe"],
    "jose": ["José Ortiz", "Ana Jose"],
    "sorensen": ["Sørensen Lund", "Ida Sorensen"],
    "ozturk": ["Öztürk Ali", "Ali Ozturk"],
    # the first keystrokes (the word-prefix index), and a term of several words
    "em": ["Émile Zola", "Jean Emile"],
    "jo": ["José Ortiz", "Ana Jose"],
    "oz": ["Öztürk Ali", "Ali Ozturk"],
    "emile zo": ["Émile Zola"],
    # typed with the accent, the same order
    "émile": ["Émile Zola", "Jean Emile"],
    "zoë": ["Zoë Kravitz", "Anna Zoe"],
    # an umlaut in either spelling (a plain "muller" is not "mueller" [search-spellings])
    "mueller": ["Mueller Karl", "Müller Anna", "Anna Mueller"],
    "müller": ["Mueller Karl", "Müller Anna", "Anna Mueller"],
    "muller": ["Müller Anna"],
    "muel": ["Mueller Karl", "Müller Anna", "Anna Mueller"],
    "mü": ["Mueller Karl", "Müller Anna", "Anna Mueller"],
    "mueller an": ["Müller Anna", "Anna Mueller"],
    "müller an": ["Müller Anna", "Anna Mueller"],
    "anna mueller": ["Anna Mueller", "Müller Anna"],
}


def _ranked(cli: Any, *args: str) -> list[str]:
    return [c["full_name"] for c in cli.json(*args)["data"]]


def test_a_name_starting_with_the_term_accents_aside_comes_first(cli: Any) -> None:
    add_people(cli, PEOPLE)
    for term, want in FIRST.items():
        assert _ranked(cli, "contacts", "search", term) == want, term
        assert _ranked(cli, "contacts", "list", "--search", term) == want, term
    # in its first tier a name with accents ranks with the plain ones, by score: a message (today's) gives
    # Zoë one, and she leads the newer Zoe
    cli("contacts", "add", "--name", "Zoe Adams")
    assert _ranked(cli, "contacts", "search", "zoe") == ["Zoe Adams", "Zoë Kravitz", "Anna Zoe"]
    kravitz = cli.json("contacts", "show", "Zoë Kravitz")["data"]["id"]
    cli("log", kravitz, "hello", "--platform", "email", "--direction", "inbound")
    assert _ranked(cli, "contacts", "search", "zoe") == ["Zoë Kravitz", "Zoe Adams", "Anna Zoe"]


@pytest.mark.anyio
async def test_the_api_ranks_the_accented_name_first(client: Any, script: dict[str, str]) -> None:
    for name in ("Émile Zola", "Jean Emile"):
        r = await client.post("/api/v1/contacts", headers=script, json={"full_name": name})
        assert r.status_code == 201, r.text
    for term in ("emile", "em", "e"):
        r = await client.get("/api/v1/contacts", headers=script, params={"search": term})
        assert r.status_code == 200, r.text
        assert [c["full_name"] for c in r.json()["data"]] == ["Émile Zola", "Jean Emile"], term


@pytest.mark.anyio
async def test_the_api_ranks_a_name_with_an_umlaut_first_in_its_other_spelling(
    client: Any, script: dict[str, str]
) -> None:
    for name in ("Müller Anna", "Anna Mueller"):
        r = await client.post("/api/v1/contacts", headers=script, json={"full_name": name})
        assert r.status_code == 201, r.text
    for term in ("mueller", "müller", "mueller an", "mue"):
        r = await client.get("/api/v1/contacts", headers=script, params={"search": term})
        assert r.status_code == 200, r.text
        assert [c["full_name"] for c in r.json()["data"]] == ["Müller Anna", "Anna Mueller"], term


def test_a_name_edited_to_or_from_an_umlaut_moves_tier(crm: Crm) -> None:
    """name_umlaut follows an edit of the full name, and of the given or family name."""
    crm.add("Anna Mueller")
    bob = crm.add("Muller Bob")["id"]
    assert _ranked(crm.cli, "contacts", "search", "mueller") == ["Anna Mueller"]
    crm.cli("contacts", "edit", bob, "--name", "Müller Bob")
    assert _ranked(crm.cli, "contacts", "search", "mueller") == ["Müller Bob", "Anna Mueller"]
    crm.cli("contacts", "edit", bob, "--name", "Muller Bob")
    assert _ranked(crm.cli, "contacts", "search", "mueller") == ["Anna Mueller"]
    assert crm.sql("SELECT name_umlaut FROM contacts WHERE uuid = ?", (bob,)) == [(None,)]
    nameless = crm.add(None, "--email", "js@example.com")["id"]
    crm.cli("contacts", "edit", nameless, "--given-name", "Schröder", "--family-name", "Jürgen")
    assert [c["id"] for c in crm.cli.json("contacts", "search", "schroeder")["data"]] == [nameless]
    assert crm.sql("SELECT name_umlaut FROM contacts WHERE uuid = ?", (nameless,)) == [("schroeder juergen",)]


def test_a_name_edited_to_or_from_accents_moves_tier(crm: Crm) -> None:
    """The name's folded forms follow an edit of the full name, and of the given or family name. (The
    clock is pinned: contacts created alike rank oldest first among equals.)"""
    jean = crm.add("Jean Emile")["id"]
    crm.add("Emile Zola")
    assert _ranked(crm.cli, "contacts", "search", "emile") == ["Emile Zola", "Jean Emile"]
    crm.cli("contacts", "edit", "Emile Zola", "--name", "Émile Zola")
    assert _ranked(crm.cli, "contacts", "search", "emile") == ["Émile Zola", "Jean Emile"]
    crm.cli("contacts", "edit", "Émile Zola", "--name", "Bernard Zola")
    assert _ranked(crm.cli, "contacts", "search", "emile") == ["Jean Emile"]
    # a contact known by its given and family names alone
    nameless = crm.add(None, "--email", "ezola@example.com")["id"]
    crm.cli("contacts", "edit", nameless, "--given-name", "Emilie", "--family-name", "Zola")
    ids = [c["id"] for c in crm.cli.json("contacts", "search", "em")["data"]]
    assert ids == [nameless, jean]
    crm.cli("contacts", "edit", nameless, "--given-name", "Émilie")
    ids = [c["id"] for c in crm.cli.json("contacts", "search", "em")["data"]]
    assert ids == [nameless, jean]


def test_imported_names_rank_by_their_plain_form(crm: Crm, tmp_path: Path) -> None:
    """An import inserts its new contacts in bulk (with their folded names); matching by name still reads
    the name with its accents [import-matching]: "Emile Zola" is not "Émile Zola"."""
    crm.add("Jean Emile")  # older: among equals it would come first
    csv = tmp_path / "people.csv"
    crm.add("Anna Schroeder")
    csv.write_text(
        "full_name,email\nÉmile Zola,emile@zola.example\nZoë Kravitz,zoe@example.com\nSchröder Jürgen,\n",
        "utf-8",
    )
    rep = crm.cli.json("import", str(csv))["data"]
    assert rep["contacts_created"] == 3
    assert _ranked(crm.cli, "contacts", "search", "emile") == ["Émile Zola", "Jean Emile"]
    assert _ranked(crm.cli, "contacts", "search", "schroeder") == ["Schröder Jürgen", "Anna Schroeder"]
    assert _ranked(crm.cli, "contacts", "search", "zo") == ["Zoë Kravitz", "Émile Zola"]
    again = tmp_path / "again.csv"
    again.write_text("full_name\nEmile Zola\n", "utf-8")
    rep = crm.cli.json("import", str(again))["data"]
    assert (rep["contacts_created"], rep["contacts_updated"]) == (1, 0)
    assert _ranked(crm.cli, "contacts", "search", "emile") == ["Émile Zola", "Emile Zola", "Jean Emile"]


def test_an_import_undone_takes_the_plain_name_back(crm: Crm, tmp_path: Path) -> None:
    """An import that named a contact, undone: the folded name and its plain form go back together."""
    crm.add(None, "--email", "ez@example.com")
    csv = tmp_path / "people.csv"
    csv.write_text("full_name,email\nÉmile Zola,ez@example.com\n", "utf-8")
    rep = crm.cli.json("import", str(csv))["data"]
    assert rep["contacts_updated"] == 1
    assert crm.sql("SELECT name_fold, name_plain FROM contacts") == [("émile zola", "emile zola")]
    crm.cli("import", "undo", rep["batch_id"], "--yes")
    assert crm.sql("SELECT full_name, name_fold, name_plain FROM contacts") == [(None, "", None)]
    assert _ranked(crm.cli, "contacts", "list", "--search", "emile") == []


def test_an_import_undone_takes_the_umlaut_spelling_back(crm: Crm, tmp_path: Path) -> None:
    """An import that named a contact, undone: the name's ae/oe/ue form goes back with the folded name."""
    crm.add(None, "--email", "am@example.com")
    crm.add("Anna Mueller")
    csv = tmp_path / "people.csv"
    csv.write_text("full_name,email\nMüller Anna,am@example.com\n", "utf-8")
    rep = crm.cli.json("import", str(csv))["data"]
    assert rep["contacts_updated"] == 1
    assert _ranked(crm.cli, "contacts", "search", "mueller") == ["Müller Anna", "Anna Mueller"]
    assert crm.sql("SELECT name_umlaut FROM contacts ORDER BY id") == [("mueller anna",), (None,)]
    crm.cli("import", "undo", rep["batch_id"], "--yes")
    assert crm.sql("SELECT name_umlaut FROM contacts ORDER BY id") == [(None,), (None,)]
    assert _ranked(crm.cli, "contacts", "search", "mueller") == ["Anna Mueller"]


def test_an_unmerge_restores_the_name_in_its_tier(crm: Crm) -> None:
    """A merge journal written before m032_name_plain holds no name_plain: the restored contact's is
    computed from its name as restored."""
    crm.add("Jean Emile")  # older: among equals it comes first
    crm.add("Anna Mueller")
    emile = crm.add("Émile Zola")["id"]
    anna = crm.add("Müller Anna")["id"]
    zola = crm.add("E. Zola", "--email", "ez@example.com", "--company", "Rougon", "--title", "Writer")["id"]
    merged = crm.cli.json("contacts", "merge", emile, zola)["data"]
    assert (merged["id"], merged["merged_contact_id"]) == (zola, emile)
    # the survivor is also known by the merged contact's name, found in its names (the second tier)
    assert _ranked(crm.cli, "contacts", "search", "emile") == ["Jean Emile", "E. Zola"]
    other = crm.cli.json("contacts", "merge", anna, zola)["data"]
    assert _ranked(crm.cli, "contacts", "search", "mueller") == ["Anna Mueller", "E. Zola"]
    for side in ("merged_before", "primary_before"):
        for col in ("name_plain", "name_umlaut"):
            crm.sql(f"UPDATE contact_merges SET {side} = json_remove({side}, '$.contact.{col}')")
    crm.cli("contacts", "unmerge", other["merge_id"])
    crm.cli("contacts", "unmerge", merged["merge_id"])
    assert _ranked(crm.cli, "contacts", "search", "emile") == ["Émile Zola", "Jean Emile"]
    assert _ranked(crm.cli, "contacts", "search", "mueller") == ["Müller Anna", "Anna Mueller"]


def test_a_json_export_of_an_older_pcrm_restores_with_plain_names(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export written before m032_name_plain has no name_plain column (nor, before m033_name_umlaut, a
    name_umlaut one): the restore computes them."""
    add_people(cli, [*PEOPLE[:2], ("Müller Anna", [], None), ("Anna Mueller", [], None)])
    out = tmp_path / "export.json"
    cli("export", "json", "--output", str(out))
    doc = json.loads(out.read_bytes())
    contacts = doc["tables"]["contacts"]
    at = contacts["columns"].index("name_plain")
    assert [r[at] for r in contacts["rows"]] == ["emile zola", None, "muller anna", None]
    assert [r[at + 1] for r in contacts["rows"]] == [None, None, "mueller anna", None]  # name_umlaut
    del contacts["columns"][at : at + 2]
    for r in contacts["rows"]:
        del r[at : at + 2]
    out.write_text(json.dumps(doc), "utf-8")
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "fresh"))
    assert cli.json("import", str(out))["data"]["contacts_created"] == 4
    assert _ranked(cli, "contacts", "search", "emile") == ["Émile Zola", "Jean Emile"]
    assert _ranked(cli, "contacts", "search", "mueller") == ["Müller Anna", "Anna Mueller"]


def _older_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, upto: str, names: tuple[str, ...], folds: dict[str, str]
) -> Any:
    """A store migrated up to `upto`, holding `names` (ids 1.., each newer than the one before) with their
    search documents as that release wrote them; `folds`: the name columns that release had, each with the
    SQL of its value (a `?` is the name)."""
    monkeypatch.setenv("PCRM_HOME", str(tmp_path))
    monkeypatch.setenv("PCRM_NOW", "2026-06-15T12:00:00.000Z")
    conn = connect(tmp_path / "pcrm.db", migrate=False)
    migrations.migrate(conn, upto=upto)
    conn.execute("BEGIN")
    for cid, name in enumerate(names, 1):
        at = f"2026-01-0{cid}T00:00:00.000Z"
        values = ", ".join(folds.values())
        conn.execute(
            f"INSERT INTO contacts(id, uuid, full_name, {', '.join(folds)}, priority_level, created_at, "
            f"updated_at) VALUES (?, ?, ?, {values}, 'medium', ?, ?)",
            (cid, f"0000000{cid}-0000-4000-8000-000000000000", name, *[name] * values.count("?"), at, at),
        )
    search.flush_dirty(conn)  # their search documents, as the release before wrote them at its commit
    conn.execute("COMMIT")
    return conn


def _searched(db: Path, cases: tuple[tuple[str, list[str]], ...]) -> None:
    from pcrm.services import contacts
    from pcrm.services.context import open_context

    with open_context(db) as ctx:
        for term, want in cases:
            found = contacts.list_contacts(ctx, {"search": term}).data
            assert [c["full_name"] for c in found] == want, term


def test_m032_fills_the_plain_names_of_an_older_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store from before m032_name_plain: its accented names take their plain form when it opens, the
    plain ones none (the folded name is theirs); the search ranks them as a new store does."""
    names = ("Émile Zola", "Jean Emile", "Zoë Kravitz", "Anna Zoe")
    folds = {"name_fold": "pcrm_fold(?)"}  # no name_plain before m032
    conn = _older_store(tmp_path, monkeypatch, "m030_search_fidelity", names, folds)
    assert migrations.migrate(conn, upto="m032_name_plain") == ["m032_name_plain"]
    assert conn.execute("SELECT id, name_fold, name_plain FROM contacts ORDER BY id").fetchall() == [
        (1, "émile zola", "emile zola"),
        (2, "jean emile", None),
        (3, "zoë kravitz", "zoe kravitz"),
        (4, "anna zoe", None),
    ]
    conn.close()
    _searched(
        tmp_path / "pcrm.db", (("emile", ["Émile Zola", "Jean Emile"]), ("zoe", ["Zoë Kravitz", "Anna Zoe"]))
    )


def test_m033_fills_the_umlaut_spellings_of_an_older_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store from before m033_name_umlaut: its names with ä, ö or ü take their ae/oe/ue form when it opens,
    the others none; the search ranks them as a new store does."""
    names = ("Müller Anna", "Anna Mueller", "Émile Zola", "Jürgen SCHRÖDER")
    folds = {
        "name_fold": "pcrm_fold(?)",
        "name_plain": "nullif(pcrm_search_fold(pcrm_fold(?)), pcrm_fold(?))",
    }
    conn = _older_store(tmp_path, monkeypatch, "m031_search_spellings", names, folds)
    assert migrations.migrate(conn, upto="m033_name_umlaut") == ["m033_name_umlaut"]
    assert conn.execute("SELECT id, name_umlaut FROM contacts ORDER BY id").fetchall() == [
        (1, "mueller anna"),
        (2, None),
        (3, None),
        (4, "juergen schroeder"),
    ]
    conn.close()
    _searched(
        tmp_path / "pcrm.db",
        (("mueller", ["Müller Anna", "Anna Mueller"]), ("juergen schroe", ["Jürgen SCHRÖDER"])),
    )
