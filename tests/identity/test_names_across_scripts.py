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
    assert name_tokens("Γιώργος Παπαδόπουλος") == ("giorgos", "papadopoylos")
    assert name_tokens("山田 太郎") == ("山田", "太郎")
    assert name_tokens("مُحَمَّد علي") == ("محمد", "علي")  # vowel points aside
    assert name_tokens("Şəhla Əliyeva") == ("səhla", "əliyeva")  # not cut at the schwa
    assert name_tokens("Dr. Jörg Müller Jr.") == ("jorg", "muller")
