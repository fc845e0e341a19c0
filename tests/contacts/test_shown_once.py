"""`pcrm contacts show` says each value once [shown-once]: a vCard with `GENDER:M` and `X-GENDER:male`, or an
Outlook `Gender` column and then a vCard's GENDER for the same person, showed "gender male" twice; a kept N
repeated the given and family names the contact shows above it; a chat address of the contact's own Telegram
handle repeated `telegram username`; a second ORG was shown as its raw line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.paths import require_testdata


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # one row a line


def _rows(cli: Any, ref: str) -> list[tuple[str, str]]:
    out = cli("contacts", "show", ref, "--recent", "0").stdout
    rows = []
    for line in out.splitlines():
        what, _, value = line.partition("  ")
        if what.strip() and value.strip():
            rows.append((what.strip(), value.strip()))
    return rows


def _said(rows: list[tuple[str, str]], word: str) -> list[str]:
    return [f"{w}: {v}" for w, v in rows if word.casefold() in f"{w} {v}".casefold()]


def test_a_vcard_value_said_by_two_properties_is_shown_once(cli: Any, imp: Any) -> None:
    data = require_testdata()
    imp(data / "vcard" / "ez-vcard__fullcontact.vcf")
    rows = _rows(cli, "home@example.com")
    assert _said(rows, "gender") == ["gender: male"]
    # the N is the full name's parts, every one of them in the full name already
    assert not _said(rows, "name parts") and not _said(rows, "middle name")
    assert ("other company", "Organization2, Department2") in rows
    # the card's own X-ID is not a second "id" row under the contact's
    assert [w for w, _ in rows].count("id") == 1
    assert ("id in the file", "14f9aba0c9422da9ae376fe28bd89c2a.0") in rows


def test_an_n_shows_only_the_parts_the_full_name_lacks_and_a_chat_of_its_own_handle_is_not_repeated(
    cli: Any, imp: Any
) -> None:
    imp(require_testdata() / "vcard" / "nametag__v4-contact.vcf")
    rows = _rows(cli, "Taylor Example")
    assert ("name prefix", "Dr.") in rows and ("name suffix", "PhD") in rows
    assert not _said(rows, "name parts")
    # `IMPP:im:telegram:taylor_example` is the telegram username shown above; the Slack one is another
    assert _said(rows, "taylor_example") == [
        "telegram username: taylor_example",
        "chat (slack): im:slack:taylor_example",
    ]
    assert _said(rows, "gender") == ["gender: other"]


def test_an_outlook_gender_and_a_vcard_gender_of_one_person_are_shown_once(
    cli: Any, imp: Any, tmp_path: Path
) -> None:
    outlook = tmp_path / "outlook.csv"
    outlook.write_text("First Name,Last Name,E-mail Address,Gender\nJohn,Doe,jdoe@x.test,Male\n")
    imp(outlook, "--format", "outlook-csv")
    card = tmp_path / "john.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:John Doe\r\nN:Doe;John;;;\r\nEMAIL:jdoe@x.test\r\nGENDER:M\r\n"
        "NICKNAME:John\r\nEND:VCARD\r\n"
    )
    imp(card)
    rows = _rows(cli, "jdoe@x.test")
    assert [v.casefold() for w, v in rows if w == "gender"] == ["male"]
    assert not _said(rows, "also known as")  # the nickname is the given name shown above
