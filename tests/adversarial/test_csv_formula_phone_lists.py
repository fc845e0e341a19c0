"""A phones cell of several numbers (`+44 20 7946 0001; +44 20 7946 0002`) is plain numbers, as one number
is: `pcrm export csv` writes it without the formula guard's apostrophe, while a list with anything a
spreadsheet could run still gets one [csv-formulas]."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from pcrm.formats.generic_csv import spreadsheet_safe


def _row(text: str) -> dict[str, str]:
    (row,) = list(csv.DictReader(io.StringIO(text)))
    return row


def test_two_phones_are_written_as_one_is(crm: Any, tmp_path: Path) -> None:
    crm.add("Ada Lovelace", "--phone", "+44 20 7946 0001", "--phone", "+44 20 7946 0002")
    out = tmp_path / "f.csv"
    crm.cli("export", "csv", "--output", str(out))
    assert _row(out.read_text())["phones"] == "+44 20 7946 0001; +44 20 7946 0002"
    report = crm.cli.json("import", str(out))["data"]  # and reads back as the same two numbers
    assert (report["contacts_updated"], report["values_kept"]) == (0, 0)
    assert crm.show("Ada Lovelace")["phones"] == ["+44 20 7946 0001", "+44 20 7946 0002"]


@pytest.mark.parametrize(
    ("cell", "escaped"),
    [
        ("+44 20 7946 0001; +44 20 7946 0002", False),
        ("-1; +2;(020) 7946-0003", False),
        ("+1 555 0100; =cmd|' /C calc'!A0", True),
        ("+1 555 0100;", True),
        ("+1;-2+3", True),
        ("=1;2", True),
    ],
)
def test_a_list_of_numbers_is_safe_and_anything_else_is_guarded(cell: str, escaped: bool) -> None:
    assert spreadsheet_safe(cell) == ("'" + cell if escaped else cell)
