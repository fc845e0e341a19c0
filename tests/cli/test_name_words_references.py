"""A contact named by the words a user would type [contact-references]: a stored full name with a prefix, a
middle name or a suffix ("Dr. John Q. Doe Jr."), or written in Greek, Cyrillic or Japanese with a Latin
nickname, was found by none of "John Doe", the family name alone, the nickname or the name without its
accents; now each finds it, and one that fits several people lists them with a hint, never picking one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.paths import require_testdata

CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Γιάννης Παπαδόπουλος\r\nN:Παπαδόπουλος;Γιάννης;;;\r\n"
    "NICKNAME:Yannis\r\nEMAIL:gp@x.test\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Алексей Смирнов\r\nN:Смирнов;Алексей;;;\r\nNICKNAME:Alex\r\n"
    "EMAIL:as@x.test\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:山田太郎\r\nN:山田;太郎;;;\r\nNICKNAME:Taro\r\nEMAIL:ty@x.test\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:John Q. Doe Jr.\r\nN:Doe;John;Quincy;Dr.;Jr.\r\nEMAIL:jd@x.test\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ångström\r\nN:Ångström;Zoë;;;\r\nEMAIL:za@x.test\r\nEND:VCARD\r\n"
)


@pytest.fixture
def people(cli: Any, imp: Any, tmp_path: Path) -> dict[str, str]:
    f = tmp_path / "people.vcf"
    f.write_text(CARDS, encoding="utf-8")
    imp(f)
    imp(require_testdata() / "vcard" / "ez-vcard__fullcontact.vcf")  # "Prefix FirstName MiddleName ..."
    by = {}
    for email in ("gp@x.test", "as@x.test", "ty@x.test", "jd@x.test", "za@x.test", "home@example.com"):
        by[email] = cli.json("contacts", "show", email)["data"]["id"]
    return by


@pytest.mark.parametrize(
    ("typed", "email"),
    [
        ("John Doe", "jd@x.test"),  # without the middle initial and the suffix
        ("John Q Doe", "jd@x.test"),
        ("Dr. John Q. Doe Jr.", "jd@x.test"),  # the prefix the vCard's N kept, the dots written
        ("Dr John Quincy Doe", "jd@x.test"),  # the middle name only the N has
        ("Doe", "jd@x.test"),  # the family name alone
        ("doe, john", "jd@x.test"),
        ("FirstName LastName", "home@example.com"),  # a real vCard: FN "Prefix FirstName MiddleName ..."
        ("NickName", "home@example.com"),
        ("Yannis", "gp@x.test"),  # a Latin nickname of a Greek name
        ("Παπαδοπουλος", "gp@x.test"),  # the family name without its accent
        ("Alex Smirnov", "as@x.test"),  # the nickname and the family name in Latin letters
        ("Aleksey Smirnov", "as@x.test"),
        ("Taro", "ty@x.test"),
        ("Zoe Angstrom", "za@x.test"),
        ("Angstrom", "za@x.test"),
    ],
)
def test_a_name_as_a_user_types_it_finds_the_contact(
    cli: Any, people: dict[str, str], typed: str, email: str
) -> None:
    got = cli.json("contacts", "show", typed)["data"]
    assert got["id"] == people[email], typed


def test_words_that_fit_several_people_list_them_and_pick_none(cli: Any, people: dict[str, str]) -> None:
    cli("contacts", "add", "--name", "Johnny Doe-Smith", "--email", "jds@x.test")
    cli("contacts", "add", "--name", "John Doe Smith", "--email", "jdsm@x.test")
    err = cli.json("contacts", "show", "John Doe", ok=False)["error"]
    assert err["code"] == "bad_request" and "matches 2 contacts" in err["message"]
    listed = {c["email"] for c in err["details"]["candidates"]}
    assert listed == {"jd@x.test", "jdsm@x.test"}  # not Johnny: a word is a whole word
    assert err["hint"].startswith("name one by its id prefix or email")
    # a word the contact does not have is no fit: nobody, with the search hint
    err = cli.json("contacts", "show", "John Xavier Doe", ok=False)["error"]
    assert err["code"] == "not_found"
    # a whole full name still names its own contact before any fit by words
    assert cli.json("contacts", "show", "John Doe Smith")["data"]["id"] != people["jd@x.test"]
