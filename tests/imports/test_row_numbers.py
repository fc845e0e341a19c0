"""Import problems name the record as the user finds it [import-report]: a CSV's row as a spreadsheet numbers
it (the header is row 1, a record holding a line break in a quoted cell is one row), a vCard's card by its
number and name; the same words in the CLI's text, its --json and the API's per-row error lists (the API
takes CSV files, not vCards)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

# the third record (spreadsheet row 4) has the bad birthday; the two before it hold notes of several lines,
# so it starts on line 7 of the file; the one after a blank line is row 6 (line 9)
CSV = (
    "Name,Email,Birthday,Notes\n"
    'Ada Lovelace,ada@example.com,1815-12-10,"first line\nsecond line\nthird"\n'
    'Grace Hopper,grace@example.com,1906-12-09,"a\nb"\n'
    "Alan Turing,alan@example.com,1990-13-45,plain\n"
    "\n"
    "Bad,row\n"
)
BIRTHDAY = (
    "birthday '1990-13-45' is not a real date: kept as an extra field, as text; the birthday is left empty"
)
SHORT = "2 fields where the header has 4; row skipped"

VCF = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nNOTE:line one\\nline two\r\nEMAIL:ada@example.com\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Turing;Alan;;;\r\nBDAY:1990-13-45\r\nthis is no property\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEMAIL:grace@example.com\r\n"
)
CARD_ERRORS = [
    "Card 2 (Alan Turing): not a vCard property ('this is no property') on line 11; line skipped",
    f"Card 2 (Alan Turing): {BIRTHDAY}",
    "Card 3 (Grace Hopper): this card has no END:VCARD (the file looks cut short); card skipped",
]


def test_a_csv_problem_names_the_spreadsheet_row(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(CSV, encoding="utf-8")
    res = cli("import", str(path), "--dry-run")
    assert f"Row 4: {BIRTHDAY}" in res.stderr and f"Row 6: {SHORT}" in res.stderr
    assert "Row 7" not in res.stderr and "Row 9" not in res.stderr
    rep = cli.json("import", str(path))["data"]
    assert rep["errors"] == [f"Row 4: {BIRTHDAY}", f"Row 6: {SHORT}"]
    assert rep["contacts_created"] == 3


def test_a_vcard_problem_names_the_card(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "people.vcf"
    path.write_text(VCF, encoding="utf-8", newline="")
    res = cli("import", str(path), "--dry-run")
    for said in CARD_ERRORS:
        assert said in res.stderr
    rep = cli.json("import", str(path))["data"]
    assert rep["errors"] == CARD_ERRORS and rep["contacts_created"] == 2


@pytest.mark.anyio
async def test_the_api_lists_the_same_rows(client: Any, script: dict[str, str]) -> None:
    upload = {"file": ("people.csv", CSV.encode(), "text/csv")}
    r = await client.post(
        "/api/v1/contacts/import/csv", files=upload, headers=script, data={"dry_run": "true"}
    )
    assert r.status_code in (200, 201), r.text
    assert r.json()["data"]["errors"] == [f"Row 4: {BIRTHDAY}", f"Row 6: {SHORT}"]
