"""CSV birthday cells (generic, Google, Outlook) [kept-birthdays]: a cell that means no value (`N/A`, `-`,
`—`, `0`, `none`, `unknown`, `?`, blank) is no birthday and no row error (it was kept as "birthday as
written" with a row error); a date-time cell (`1990-01-05 00:00:00`, `1990-01-05T00:00:00`) is the birthday
of its date (it was kept as written); anything else unreadable is still kept as written with its row error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.store import people

NO_VALUE = ["N/A", "n/a", "-", "—", "0", "none", "unknown", "?", "   "]
DATE_TIMES = ["1990-01-05 00:00:00", "1990-01-05T00:00:00", "1990-01-05 00:00"]


@pytest.mark.parametrize("layout", ["csv", "google", "outlook"])
def test_a_birthday_cell_of_no_value_or_a_date_time(imp: Any, db: Path, tmp_path: Path, layout: str) -> None:
    cells = [*NO_VALUE, *DATE_TIMES, "sometime"]
    head = {
        "csv": "full_name,email,birthday",
        "google": "Name,Given Name,E-mail 1 - Value,Birthday",
        "outlook": "First Name,Last Name,E-mail Address,Birthday",
    }[layout]
    rows = []
    for i, cell in enumerate(cells):
        name, email = (f"P{i} Test", f"p{i}@x.test")
        mid = {"csv": name, "google": f"{name},P{i}", "outlook": f"P{i},Test"}[layout]
        rows.append(f'{mid},{email},"{cell}"')
    f = tmp_path / f"{layout}.csv"
    f.write_text(head + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    rep = imp(f, ok=None)["data"]
    assert rep["contacts_created"] == len(cells)
    kept = "kept as an extra field, as text; the birthday is left empty"
    assert rep["errors"] == [f"Row {len(cells) + 1}: birthday 'sometime' is not a date pcrm can read: {kept}"]
    found = people(db)
    for i, cell in enumerate(cells):
        c = found[f"P{i} Test"]
        kept = [x["value"] for x in c["fields"] if x["kind"] == "birthday"]
        if cell in DATE_TIMES:
            assert (c["birthday"], kept) == ("1990-01-05", []), cell
        elif cell == "sometime":
            assert (c["birthday"], kept) == (None, ["sometime"])
        else:
            assert (c["birthday"], kept) == (None, []), cell
