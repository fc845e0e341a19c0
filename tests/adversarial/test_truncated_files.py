"""Truncated files: a CSV cut inside its last cell imported with exit 0 and a bogus tag; LinkedIn and
Outlook files too. A file that ends inside a row (no line break after it, the last cell not closed by a
quote), a short last row or an unterminated quoted field is an error naming the line, and nothing is
written [truncated-files]."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pcrm.errors import BadRequest
from pcrm.formats import generic_csv, linkedin, outlook_csv
from pcrm.formats.base import Input
from tests.support.formats import options

TESTDATA = Path(__file__).resolve().parents[2].parent / "shared" / "testdata"


def test_a_csv_cut_inside_its_last_cell_is_refused(imp: Any, tmp_path: Path, dump: Any) -> None:
    before = dump()
    f = tmp_path / "people.csv"
    f.write_text("Name,Email,Tags\nAda Lovelace,ada@example.com,investor\nGrace Hopper,grace@example.com,inv")
    err = imp(f, ok=False)["error"]
    assert err["message"].startswith("people.csv line 3: the file ends inside this row"), err
    assert dump() == before
    f.write_text(f.read_text() + "estor\n")  # the complete file imports
    assert imp(f)["data"]["contacts_created"] == 2


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("linkedin/kawsay__Connections.csv", linkedin.Connections),
        ("linkedin/tekjobs__Connections.csv", linkedin.Connections),
        ("linkedin/linkedin-network-intelligence__Messages.csv", linkedin.Messages),
        ("outlook_csv/roundcube__outlook_emails_only.csv", outlook_csv),
        ("google_csv/roundcube__gmail_legacy.csv", generic_csv),
    ],
)
def test_every_cut_inside_the_last_row_of_a_real_file_is_refused(name: str, fmt: Any) -> None:
    path = TESTDATA / name
    opts = options(me=["Test User"]) if fmt is linkedin.Messages else options()
    if not path.exists():
        pytest.skip(f"no {path}")
    data = path.read_bytes().rstrip(b"\r\n")
    last = max(data.rfind(b"\n"), data.rfind(b"\r")) + 1
    fmt.parse(Input(data + b"\n", path.name), opts)  # the whole file parses
    for cut in range(last + 1, len(data)):
        with pytest.raises(BadRequest, match=r"line \d+: .*truncated|not valid UTF-8"):  # (a cut character)
            fmt.parse(Input(data[:cut], path.name), opts)


def test_a_file_whose_last_cell_is_quoted_needs_no_final_line_break() -> None:
    """Real exports end that way (rolomind's Google CSV): a closing quote shows the row is whole."""
    data = b'Name,Email\n"Ada Lovelace","ada@example.com"'
    parsed = generic_csv.parse(Input(data, "people.csv"), options())
    assert len(parsed.contacts) == 1
