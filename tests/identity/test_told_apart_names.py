"""Names the user told apart [shared-keys]: two contacts whose words agree but whose emoji or symbols
differ ("Anna 🙂", "Anna 😀"; "Anna" and "Anna 🙂", a first name alone) were merged by `pcrm import` of a
file holding both on one phone or email, and by `pcrm identity scan`; now the pair is asked, never merged.
A full name marked on one side only is that name decorated and still joins ("🌻 Mia Kay", "Mia Kay").
Two names that carry different numbers ("Flat 1", "Flat 12"; "Flat1", "Flat12") were merged by the scan
when a birthday and a street address agreed (0.97), and `identity matches` showed such a pair sharing an
email at a score that said one person: the score now says two (a hint, 0.60 at most), and a shared key
still asks. A name numbered against the same name without a number ("John Smith 2", "John Smith": the
second John Smith the user saved) agreed on a shared phone or email, so an import holding both and the scan
made them one contact; now the pair is asked, and the score never merges it (0.80 at most)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.twin import NOW

pytestmark = pytest.mark.anyio
N = ("--now", NOW)

# two contacts of one key whose names read alike but are marked (or numbered) otherwise: each pair asked
ASKED = [
    ("Anna 🙂", "Anna 😀", "+44 20 7946 0201", "anna@marks.example"),
    ("Anna", "Anna 🙂", "+44 20 7946 0202", "anna2@marks.example"),
    ("Jo Berg ★", "Jo Berg ♥", "+44 20 7946 0203", "jo@marks.example"),
    ("John Smith2", "John Smith3", "+44 20 7946 0205", "john@marks.example"),
    ("Flat1", "Flat12", "+44 20 7946 0206", "flat@marks.example"),
    # a number on one side only: the second person of that name the user saved [shared-keys]
    ("Ravi Shah", "Ravi Shah 2", "+44 20 7946 0207", "ravi@marks.example"),
    ("Studio", "Studio 1", "+44 20 7946 0208", "studio@marks.example"),
    ("Mum 2", "Mum", "+44 20 7946 0209", "mum@marks.example"),
    ("Kontakt 3", "Kontakt", "+44 20 7946 0210", "kontakt@marks.example"),
    ("Lena Vogel2", "Lena Vogel", "+44 20 7946 0215", "lena@marks.example"),
]
# one person each: the same marks, written alike up to the emoji selector or placed elsewhere
JOINED = [
    ("Ruth ❤️", "Ruth ❤", "+44 20 7946 0211", "ruth@marks.example"),
    ("🙂 Omar Ali", "Omar Ali 🙂", "+44 20 7946 0212", "omar@marks.example"),
    # a full name marked on one side only: the same name decorated [shared-keys]
    ("🌻 Mia Kay", "Mia Kay", "+44 20 7946 0213", "mia@marks.example"),
    # ASCII's own symbols are separators, no marks ("Ann + Tom", "Ana Ruiz | Globex")
    ("Ann + Tom Lee", "Ann Tom Lee", "+44 20 7946 0214", "lees@marks.example"),
]


def _names(cli: Any) -> list[str]:
    rows = cli.json("contacts", "list", "--page-size", "100", *N)["data"]
    return sorted(c["full_name"] or "" for c in rows)


def _asked(cli: Any) -> dict[tuple[str, str], float]:
    out = {}
    for m in cli.json("identity", "matches", *N)["data"]:
        a, b = sorted((m["contact_a"]["full_name"] or "", m["contact_b"]["full_name"] or ""))
        out[(a, b)] = m["match_score"]
    return out


@pytest.mark.parametrize("key", ["phone", "email"])
def test_an_import_asks_about_one_name_marked_two_ways_on_one_key(
    cli: Any, imp: Any, tmp_path: Path, key: str
) -> None:
    rows = [
        f"{name},{phone if key == 'phone' else ''},{email if key == 'email' else ''}"
        for a, b, phone, email in [*ASKED, *JOINED]
        for name in (a, b)
    ]
    path = tmp_path / "marked.csv"
    path.write_text("name,phone,email\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report = imp(path)["data"]
    assert report["contacts_created"] == 2 * len(ASKED) + len(JOINED), report
    assert set(_asked(cli)) == {tuple(sorted((a, b))) for a, b, _p, _e in ASKED}
    names = _names(cli)
    assert all(a in names and b in names for a, b, _p, _e in ASKED)
    # the scan after it merges none of them either
    assert cli.json("identity", "scan", *N)["data"]["auto_merged"] == 0
    assert len(_names(cli)) == 2 * len(ASKED) + len(JOINED)


async def test_a_scan_asks_about_one_name_marked_two_ways_never_merges(empty_twin: Any) -> None:
    """Contacts added by hand on one phone each pair; the scan through the CLI and the API alike."""
    twin = empty_twin
    for a, b, phone, _email in [*ASKED, *JOINED]:
        for name in (a, b):
            twin.cli.json("contacts", "add", "--name", name, "--phone", phone, *N)
    r = await twin.parity(["identity", "scan", *N], "POST", "/api/v1/identity/scan")
    assert r.json()["meta"]["deterministic_merged"] == len(JOINED), r.json()
    assert r.json()["data"]["pending_review"] == len(ASKED)
    assert set(_asked(twin.cli)) == {tuple(sorted((a, b))) for a, b, _p, _e in ASKED}
    assert len(_names(twin.cli)) == 2 * len(ASKED) + len(JOINED)


def test_the_scan_asks_about_marked_names_a_birthday_and_an_address_back(
    cli: Any, imp: Any, tmp_path: Path
) -> None:
    """No key in common: the person evidence (a full birthday, a street address) merged "Anna 🙂" and "Anna
    😀" at 1.00; the marks keep the pair in review."""
    rows = [
        "Anna 🙂,1990-04-15,12 Mill Lane,Leeds,LS1 4AB",
        "Anna 😀,1990-04-15,12 Mill Lane,Leeds,LS1 4AB",
        "Zoe,1985-01-02,3 Quay St,Hull,HU1 1AA",
        "Zoe 🦋,1985-01-02,3 Quay St,Hull,HU1 1AA",
        "Jo Berg ★,1979-09-09,5 Firth Rd,York,YO1 7HH",
        "Jo Berg ♥,1979-09-09,5 Firth Rd,York,YO1 7HH",
    ]
    path = tmp_path / "people.csv"
    path.write_text("name,birthday,street,city,zip\n" + "\n".join(rows) + "\n", encoding="utf-8")
    imp(path)
    cli.json("identity", "scan", *N)
    pairs = [("Anna 🙂", "Anna 😀"), ("Zoe", "Zoe 🦋"), ("Jo Berg ★", "Jo Berg ♥")]
    assert _names(cli) == sorted(name for pair in pairs for name in pair)
    asked = _asked(cli)
    assert set(asked) == {tuple(sorted(pair)) for pair in pairs}
    assert all(0.70 <= s <= 0.80 for s in asked.values()), asked


def test_names_that_differ_in_a_number_score_as_two_people(cli: Any, imp: Any, tmp_path: Path) -> None:
    """ "Flat 1" and "Flat 12" at one street address with one birthday were merged by the scan (0.97, the
    same given name read as a married name); numbered names are never merged on a score and not asked on
    one either: `contacts duplicates` shows them as a hint."""
    rows = [
        "Flat 1,1980-02-03,1 Harbour Rd,London,E1 6AN",
        "Flat 12,1980-02-03,1 Harbour Rd,London,E1 6AN",
        "Flat1,1975-07-21,48 Canal Walk,Leeds,LS9 8TT",
        "Flat12,1975-07-21,48 Canal Walk,Leeds,LS9 8TT",
        "Room 3 Guest,1966-11-30,7 Dock Street,Hull,HU1 3DL",
        "Room 33 Guest,1966-11-30,7 Dock Street,Hull,HU1 3DL",
    ]
    path = tmp_path / "flats.csv"
    path.write_text("name,birthday,street,city,zip\n" + "\n".join(rows) + "\n", encoding="utf-8")
    imp(path)
    cli.json("identity", "scan", *N)
    names = ["Flat 1", "Flat 12", "Flat1", "Flat12", "Room 3 Guest", "Room 33 Guest"]
    assert _names(cli) == sorted(names)
    assert _asked(cli) == {}
    # what a user sees of one such pair: a hint-level score and the reason in words
    ids = {c["full_name"]: c["id"] for c in cli.json("contacts", "list", *N)["data"]}
    for name, other in (("Flat 1", "Flat 12"), ("Flat1", "Flat12"), ("Room 3 Guest", "Room 33 Guest")):
        found = cli.json("contacts", "duplicates", ids[name], *N)["data"]
        hints = {h["full_name"]: h["score"] for h in found}
        assert 0.40 <= hints[other] <= 0.60, (name, hints)


def test_a_shared_email_between_numbered_names_is_asked_at_a_low_score(cli: Any) -> None:
    """Two numbered names sharing a mailbox are asked (the key), with the score saying two people: it read
    0.97 for "Flat1" and "Flat12" sharing a birthday and an email."""
    for name in ("Flat1", "Flat12"):
        cli.json("contacts", "add", "--name", name, "--birthday", "1980-02-03", *N)
    ids = {c["full_name"]: c["id"] for c in cli.json("contacts", "list", *N)["data"]}
    cli.json("contacts", "edit", ids["Flat1"], "--email", "building@flats.example", *N)
    cli.json("contacts", "edit", ids["Flat12"], "--notes", "mail building@flats.example", *N)
    cli.json("identity", "scan", *N)
    asked = cli.json("identity", "matches", "--explain", *N)["data"]
    assert len(asked) == 1, asked
    assert asked[0]["match_score"] <= 0.60, asked
    guards = [g["guard"] for g in asked[0]["explanation"]["guards"] if g["applied"]]
    assert "numbers_differ" in guards, asked[0]["explanation"]


def test_a_vcard_import_keeps_a_numbered_namesake_apart_and_asks(cli: Any, imp: Any, tmp_path: Path) -> None:
    """Two cards on one phone, "John Smith" and "John Smith 2", were one contact after `pcrm import` (the
    second card "folded" into the first); now two contacts, one pair asked, and the scan merges nothing."""
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nTEL:+44 20 7946 0311\r\nEND:VCARD\r\n"
        for name in ("John Smith", "John Smith 2")
    )
    path = tmp_path / "smiths.vcf"
    path.write_text(cards, encoding="utf-8")
    assert imp(path)["data"]["contacts_created"] == 2
    assert _names(cli) == ["John Smith", "John Smith 2"]
    assert set(_asked(cli)) == {("John Smith", "John Smith 2")}
    assert cli.json("identity", "scan", *N)["data"]["auto_merged"] == 0
    assert _names(cli) == ["John Smith", "John Smith 2"]
    assert set(_asked(cli)) == {("John Smith", "John Smith 2")}


def test_a_numbered_namesake_with_everything_else_alike_is_asked_never_merged(
    cli: Any, imp: Any, tmp_path: Path
) -> None:
    """A number on one name only caps the score at review: "Ravi Shah" and "Ravi Shah 2" with one email,
    birthday, company and street address scored to be merged by the scan; "Flat" and "Flat 1" with one
    birthday and street address too."""
    rows = [
        "Ravi Shah,ravi@shah.example,Acme,1980-02-03,1 Harbour Rd,London,E1 6AN",
        "Ravi Shah 2,,Acme,1980-02-03,1 Harbour Rd,London,E1 6AN",
        "Flat,,,1975-07-21,48 Canal Walk,Leeds,LS9 8TT",
        "Flat 1,,,1975-07-21,48 Canal Walk,Leeds,LS9 8TT",
    ]
    path = tmp_path / "numbered.csv"
    path.write_text(
        "name,email,company,birthday,street,city,zip\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    imp(path)
    ids = {c["full_name"]: c["id"] for c in cli.json("contacts", "list", *N)["data"]}
    cli.json("contacts", "edit", ids["Ravi Shah 2"], "--notes", "work ravi@shah.example", *N)
    assert cli.json("identity", "scan", *N)["data"]["auto_merged"] == 0
    assert _names(cli) == ["Flat", "Flat 1", "Ravi Shah", "Ravi Shah 2"]
    asked = cli.json("identity", "matches", "--explain", *N)["data"]
    pairs = {tuple(sorted((m["contact_a"]["full_name"], m["contact_b"]["full_name"]))): m for m in asked}
    assert set(pairs) == {("Flat", "Flat 1"), ("Ravi Shah", "Ravi Shah 2")}, set(pairs)
    for m in pairs.values():
        assert m["match_score"] <= 0.80, m
        guards = [g["guard"] for g in m["explanation"]["guards"] if g["applied"]]
        assert "numbered_once" in guards, m["explanation"]
