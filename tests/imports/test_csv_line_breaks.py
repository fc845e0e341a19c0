"""Line breaks inside CSV cells: kept as line breaks, whatever the file's line ends are."""

from __future__ import annotations

from pathlib import Path

import pytest

FILES = [
    ("outlook.csv", "First Name,Last Name,E-mail Address,Notes", "Ann,Lee,ann@example.org"),
    ("google.csv", "First Name,Last Name,E-mail 1 - Value,Notes", "Ann,Lee,ann@example.org"),
    ("people.csv", "name,email,notes", "Ann Lee,ann@example.org"),
]


@pytest.mark.parametrize(("name", "header", "cells"), FILES, ids=[f[0] for f in FILES])
def test_a_note_written_on_windows_keeps_its_lines_without_carriage_returns(
    name, header, cells, imp, cli, contacts, tmp_path: Path
):
    """`pcrm import contacts.csv` of an Outlook, Google or plain CSV written with CR LF line ends (as
    Outlook and Excel write it) stored a multi-line note as 'line one\\r\\nline two', and
    `pcrm contacts show` printed 'line one\\x0d'. A break inside a cell is kept as `\\n`; a rerun of
    the same file changes nothing."""
    f = tmp_path / name
    f.write_bytes(f'{header}\r\n{cells},"Met at FOSDEM.\r\nLikes tea"\r\n'.encode())
    imp(f)
    (ann,) = contacts()
    assert ann["notes"] == "Met at FOSDEM.\nLikes tea"
    shown = cli("contacts", "show", "Ann Lee").stdout
    assert "Likes tea" in shown and "\\x0d" not in shown
    again = imp(f)["data"]
    assert (again["contacts_updated"], again["batch_id"]) == (0, None)
