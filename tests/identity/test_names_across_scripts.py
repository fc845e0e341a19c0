"""[shared-keys] across scripts: a name in Han, Hangul, Kana, Arabic or Hebrew had no tokens at all, so a
record of another such name sharing an email with a contact was folded into it as a nameless one would
be (李小龙 became a second name of 山田太郎); and Greek lost its accented letters ("Γιώργος" was
"gi rgos"), so the same Greek name written in Latin letters was another person's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pcrm.domain.identity_names import name_tokens


def _names(cli: Any) -> list[str]:
    return sorted(c["full_name"] for c in cli.json("contacts", "list")["data"])


@pytest.mark.parametrize(
    ("held", "record"),
    [("山田太郎", "李小龙"), ("김민수", "이재용"), ("محمد علي", "يوسف حسن"), ("דוד כהן", "משה לוי")],
)
def test_two_names_in_one_script_sharing_an_email_are_two_people(
    cli: Any, imp: Any, tmp_path: Path, held: str, record: str
) -> None:
    cli("contacts", "add", "--name", held, "--email", "family@example.com")
    f = tmp_path / "a.csv"
    f.write_text(f"Name,Email\n{record},family@example.com\n", encoding="utf-8")
    rep = imp(f)["data"]
    assert _names(cli) == sorted([held, record])
    assert rep["contacts_created"] == 1


@pytest.mark.parametrize(
    ("held", "record"),
    [("Γιώργος Παπαδόπουλος", "Giorgos Papadopoulos"), ("Алексей Смирнов", "Aleksey Smirnov")],
)
def test_a_name_and_its_latin_spelling_sharing_an_email_are_one_person(
    cli: Any, imp: Any, tmp_path: Path, held: str, record: str
) -> None:
    cli("contacts", "add", "--name", held, "--email", "giorgos@example.com")
    f = tmp_path / "a.csv"
    f.write_text(f"Name,Email\n{record},giorgos@example.com\n", encoding="utf-8")
    rep = imp(f)["data"]
    assert _names(cli) == [held] and rep["contacts_created"] == 0


def test_name_tokens_keep_every_script() -> None:
    assert name_tokens("Γιώργος Παπαδόπουλος") == ("giorgos", "papadopoulos")
    assert name_tokens("山田 太郎") == ("山田", "太郎")
    assert name_tokens("مُحَمَّد علي") == ("محمد", "علي")  # vowel points aside
    assert name_tokens("Şəhla Əliyeva") == ("səhla", "əliyeva")  # not cut at the schwa
    assert name_tokens("Dr. Jörg Müller Jr.") == ("jorg", "muller")


# a Greek name and its usual Latin spelling (ELOT 743, ISO 843): "ου" is "ou" (it was "oy"), "αυ"/"ευ" are
# "av"/"ev" or "af"/"ef", "μπ", "ντ", "γκ" at a word's start "b", "d", "g" (inside it "mp", "nt", "gk"),
# "γγ" "ng", and a final "ς" an "s"
GREEK = [
    ("Λουκάς Κωνσταντίνου", "Loukas Konstantinou"),
    ("Ντίνος Μπακάλης", "Dinos Bakalis"),
    ("Παύλος Ευαγγέλου", "Pavlos Evangelou"),
    ("Ευθύμιος Αντωνίου", "Efthymios Antoniou"),
    ("ΣΤΑΥΡΟΣ ΓΚΙΚΑΣ", "Stavros Gikas"),
    ("Μπάμπης Νταλάρας", "Bampis Dalaras"),
]


def test_a_greek_name_and_its_latin_spelling_on_one_phone_are_one_person(
    cli: Any, imp: Any, tmp_path: Path
) -> None:
    """`pcrm import` of "Loukas Konstantinou" with the phone of "Λουκάς Κωνσταντίνου" made a second contact
    and asked: the Greek name's key was "loykas konstantinoy", and a given name one letter off on a phone
    is another person's [shared-keys]. The scan merges such contacts added by hand alike."""
    for i, (greek, _latin) in enumerate(GREEK):
        cli("contacts", "add", "--name", greek, "--phone", f"+30 210 555 01{i:02d}")
    f = tmp_path / "latin.csv"
    rows = [f"{latin},+30 210 555 01{i:02d}" for i, (_greek, latin) in enumerate(GREEK)]
    f.write_text("Name,Phone\n" + "\n".join(rows) + "\n", encoding="utf-8")
    rep = imp(f)["data"]
    assert rep["contacts_created"] == 0, rep
    assert _names(cli) == sorted(greek for greek, _latin in GREEK)
    assert cli.json("identity", "matches")["data"] == []


def test_a_scan_merges_a_greek_name_and_its_latin_spelling_on_one_phone(cli: Any) -> None:
    for i, (greek, latin) in enumerate(GREEK):
        cli("contacts", "add", "--name", greek, "--phone", f"+30 210 555 02{i:02d}")
        cli("contacts", "add", "--name", latin, "--phone", f"+30 210 555 02{i:02d}")
    scan = cli.json("identity", "scan")["data"]
    assert scan["auto_merged"] == len(GREEK), scan
    assert len(_names(cli)) == len(GREEK)


def test_a_latin_spelling_finds_the_greek_contact(cli: Any) -> None:
    """A reference by the words of a name in Latin letters finds the contact written in Greek
    [contact-references]: "Loukas Konstantinou" did not find Λουκάς Κωνσταντίνου."""
    cli("contacts", "add", "--name", "Λουκάς Κωνσταντίνου", "--email", "lk@example.gr")
    assert cli.json("contacts", "show", "Loukas Konstantinou")["data"]["emails"] == ["lk@example.gr"]
