"""A "Name | Org" name in a generic CSV is split row by row [csv-imports]: the organization fills the row's
company when its cell is empty, is kept as an `org` field when the row names another company, and a file
imported before (when a company column kept such names whole) imports again onto the same contacts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pcrm.formats import generic_csv
from tests.support.cli import Cli
from tests.support.imports import NOW
from tests.support.store import people

ROWS = (
    "name,emails,company\n"
    "José Ñúñez | Acme Ltd,jose@nunez.es,\n"  # the QA repro: the company cell empty
    "Ana Ruiz | Globex,,\n"  # nothing but the name
    "Bo Chen / Initech,bo@chen.io,Umbrella\n"  # another company in the cell
    "Li Wei @ Acme Ltd,li@wei.cn,ACME LTD\n"  # the same company
    "Mia Park,mia@park.kr,Hooli\n"
)


def _file(tmp_path: Path) -> Path:
    p = tmp_path / "people.csv"
    p.write_text(ROWS, encoding="utf-8")
    return p


def _seen(home: Path) -> dict[str, tuple[Any, list[tuple[str, str]]]]:
    """Each contact by name: its company and its extra fields (kind, value)."""
    return {
        name: (c["company"], sorted((f["kind"], f["value"]) for f in c["fields"]))
        for name, c in ((c["full_name"], c) for c in people(home / "pcrm.db").values())
    }


EXPECTED = {
    "José Ñúñez": ("Acme Ltd", []),
    "Ana Ruiz": ("Globex", []),
    "Bo Chen": ("Umbrella", [("org", "Initech")]),
    "Li Wei": ("ACME LTD", []),
    "Mia Park": ("Hooli", []),
}


def test_the_csv_route_splits_a_name_whose_company_cell_is_empty(empty_api: Any, tmp_path: Path) -> None:
    f = _file(tmp_path)
    r = empty_api.post("/api/v1/contacts/import/csv", files={"file": (f.name, f.read_bytes(), "text/csv")})
    assert r.status_code == 200, r.text
    created = sorted(c["full_name"] for c in r.json()["data"]["created"])
    assert created == sorted(EXPECTED)
    listed = empty_api.get("/api/v1/contacts", params={"search": "Ñúñez"}).json()["data"]
    assert [(c["full_name"], c["company"]) for c in listed] == [("José Ñúñez", "Acme Ltd")]


def test_pcrm_import_splits_per_row_and_keeps_another_company(
    cli: Cli, pcrm_home: Path, tmp_path: Path
) -> None:
    cli("init")
    report = cli.json("import", str(_file(tmp_path)), "--now", NOW)["data"]
    assert report["contacts_created"] == 5 and report["errors"] == []
    assert _seen(pcrm_home) == EXPECTED


def test_a_file_imported_before_the_split_imports_onto_the_same_contacts(
    cli: Cli, pcrm_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store an earlier pcrm left: a company column kept every "Name | Org" name whole. Importing the
    file again finds each of those contacts (by email, or by that earlier name for a name-only row) and
    gives it the name and company the row says; nobody is created twice, and a third run changes nothing."""
    cli("init")
    f = _file(tmp_path)
    with monkeypatch.context() as m:  # the reading before names were split row by row
        m.setattr(generic_csv, "_name_org", lambda data: [], raising=False)
        m.setattr(generic_csv, "_earlier", lambda data, has_company: None, raising=False)
        m.setattr(generic_csv, "parse_name_org", lambda text: (text, None))
        cli.json("import", str(f), "--now", NOW)
    before = _seen(pcrm_home)
    assert sorted(before) == [
        "Ana Ruiz | Globex",
        "Bo Chen / Initech",
        "José Ñúñez | Acme Ltd",
        "Li Wei @ Acme Ltd",
        "Mia Park",
    ]

    again = cli.json("import", str(f), "--now", NOW)["data"]
    assert again["contacts_created"] == 0 and again["contacts_updated"] == 4, again
    assert _seen(pcrm_home) == EXPECTED
    assert cli.json("identity", "matches")["data"] == []  # nothing left to ask about

    third = cli.json("import", str(f), "--now", NOW)["data"]
    assert third["contacts_created"] == third["contacts_updated"] == 0 and third["contacts_skipped"] == 5

    # the names it gave back are undone with the rest of that import
    cli("import", "undo", again["batch_id"], "--yes")
    assert _seen(pcrm_home) == before


def test_a_name_edited_by_hand_is_not_renamed_by_a_later_import(
    cli: Cli, pcrm_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("init")
    f = _file(tmp_path)
    with monkeypatch.context() as m:
        m.setattr(generic_csv, "_name_org", lambda data: [], raising=False)
        m.setattr(generic_csv, "_earlier", lambda data, has_company: None, raising=False)
        m.setattr(generic_csv, "parse_name_org", lambda text: (text, None))
        cli.json("import", str(f), "--now", NOW)
    # the user set the name as they want it: exactly the text the row holds, but theirs now
    cli("contacts", "edit", "jose@nunez.es", "--name", "José Ñúñez | Acme Ltd")
    cli.json("import", str(f), "--now", NOW)
    seen = _seen(pcrm_home)
    assert "José Ñúñez | Acme Ltd" in seen and "José Ñúñez" not in seen
    assert seen["José Ñúñez | Acme Ltd"][0] == "Acme Ltd"  # the empty company still filled


def test_a_csv_pcrm_exported_keeps_its_names_whole(
    cli: Cli, pcrm_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`pcrm export csv` writes the names a store holds: "AC/DC" with no company is a name, not a person
    at an organization, in the store that wrote it and in another."""
    cli("init")
    cli("contacts", "add", "--name", "AC/DC")
    out = tmp_path / "export.csv"
    cli("export", "csv", "--output", str(out))
    same = cli.json("import", str(out), "--now", NOW)["data"]
    assert same["contacts_skipped"] == 1 and same["contacts_updated"] == 0
    other = tmp_path / "other-home"
    monkeypatch.setenv("PCRM_HOME", str(other))
    cli("init")
    cli.json("import", str(out), "--now", NOW)
    seen = _seen(other)
    assert list(seen) == ["AC/DC"] and seen["AC/DC"][0] is None
    assert not [kind for kind, _value in seen["AC/DC"][1] if kind == "org"]
