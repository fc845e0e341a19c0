"""[mojibake]: UTF-8 read as Windows-1252 or Latin-1 is repaired in every script when the repair is
unambiguous, and correct text in any script is never "repaired". The repair knew Latin text only (its
first look wanted Ã, Â, Ð, Ñ or ð), so Greek (Î, Ï), CJK (å, æ, ç, é) and Vietnamese (á») mojibake
stayed as it was."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pcrm.domain.mojibake import repair

NAMES = [
    "Γιώργος Παπαδόπουλος",
    "Ἀλέξανδρος",
    "Алексей Смирнов",
    "Олена Коваленко",
    "山田太郎",
    "李小龙",
    "株式会社ソニー",
    "김민수",
    "محمد علي",
    "דוד כהן",
    "Nguyễn Thị Minh Khai",
    "Trần Hưng Đạo",
    "José Ñúñez",
    "Müller",
    "Zoë Straße",
    "Łukasz Żółć",
    "Çağlar Şahin",
    "Björk Guðmundsdóttir",
    "Grace 🧤 🍒",
    "René Magritte — “art”",
]


def _misread(text: str, codec: str) -> str:
    """`text`'s UTF-8 read as `codec`, a byte it has no character for kept as that C1 control."""
    return "".join(bytes([b]).decode(codec, errors="ignore") or chr(b) for b in text.encode("utf-8"))


@pytest.mark.parametrize("name", NAMES)
def test_correct_text_is_left_alone(name: str) -> None:
    assert repair(name) == name


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
@pytest.mark.parametrize("name", NAMES)
def test_utf8_read_as_a_single_byte_codec_is_repaired(name: str, codec: str) -> None:
    assert repair(_misread(name, codec)) == name


def test_text_misread_twice_is_repaired_twice() -> None:
    assert repair(_misread(_misread("Γιώργος", "cp1252"), "cp1252")) == "Γιώργος"


def test_a_dropped_byte_is_put_back_only_when_one_letter_fits() -> None:
    """Windows-1252 has no character for 0x81, which some readers drop: 'Î“Î¹ÏŽÏÎ³Î¿Ï‚' is Γιώ?γος,
    and of the letters one byte makes there only ρ is a letter a Greek word can hold beside ώ. Where
    several fit (Ð?Ð»ÐµÐºÑ?ÐµÐ¹: А, Н or Ё, then с, э or я) nothing is guessed."""
    assert repair("Î“Î¹ÏŽÏÎ³Î¿Ï‚") == "Γιώργος"
    assert repair("ÐÐ»ÐµÐºÑÐµÐ¹") == "ÐÐ»ÐµÐºÑÐµÐ¹"


def test_latin_text_that_only_looks_misread_is_kept() -> None:
    for text in ("Ðóra, Ñá", "¿Qué tal? Ñúñez aquí", "ÀÉÎÕÜ", "naïve café", "Ørjan Ødegård"):
        assert repair(text) == text


# letters of the scripts names are written in, none of them a byte Windows-1252 or Latin-1 reads as a UTF-8
# continuation: Greek, Cyrillic, Han, Kana, Hangul, Arabic, Hebrew, Vietnamese, Latin-1's accented letters
_SCRIPTS = st.sampled_from(
    "abcXYZ '-"
    "αβγδεζηθώύάΓΔΩ"
    "абвгдеёжзийАБВЯЁЇїєґ"
    "山田太郎李小龙株式会社"
    "ソニーひらがな"
    "김민수삼성전자"
    "محمدعليأ"
    "דודכהןשלום"
    "ễịầưđơạĐƯ"
    "àáâãäåçèéêëìíîïñòóôõöøùúûüýÿßÀÉÑÜ"
    "🧤🍒"
)


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(st.lists(_SCRIPTS, min_size=1, max_size=20).map("".join), st.sampled_from(["cp1252", "latin-1"]))
def test_any_text_in_these_scripts_is_left_alone(name: str, codec: str) -> None:
    assert repair(name) == name


# a name's words, each in one script (a word of Latin letters with a Cyrillic or NKo one inside is what a
# repair of correct text would make: `test_latin_text_before_punctuation_is_not_read_as_another_script`)
_WORDS = st.sampled_from(
    ["abcXYZ-'", "αβγδεζηθώύάΓΔΩ", "абвгдеёжзийАБВЯЁЇїєґ", "山田太郎李小龙株式会社ソニーひらがな",
     "김민수삼성전자", "محمدعليأ", "דודכהןשלום", "abcễịầưđơạĐƯ", "abcàáâãäåçèéêëìíîïñòóôõöøùúûüýÿßÀÉÑÜ"]
).flatmap(lambda letters: st.text(alphabet=letters, min_size=1, max_size=8))  # fmt: skip


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(
    st.lists(_WORDS | st.just("🧤🍒"), min_size=1, max_size=4).map(" ".join),
    st.sampled_from(["cp1252", "latin-1"]),
)
def test_any_name_in_these_scripts_is_repaired_when_misread(name: str, codec: str) -> None:
    assert repair(name) == name
    assert repair(_misread(name, codec)) == name


@pytest.mark.parametrize(
    "text",
    # what the repair made of them: "WeiߖSchwarz", "GROߗKLEIN", "H\u0592s Café", "\u0352m here", "Maß" with an
    # NKo digit, "CAFɒS", "O" and an Arabic-Indic zero, "CAFɠ!", "AQU" and a double tilde
    [
        *("Weiß–Schwarz", "GROß—KLEIN", "Seán Ó’Brien", "HÖ’s Café", "Í’m here", "Fuß° kalt", "Maß…"),
        *("CAFÉ’S", "OÙ\u00a0?", "CAFÉ\u00a0!", "AQUÍ\u00a0!", "MÜLLER’S", "Ó”Neill"),
    ],
)
def test_latin_text_before_punctuation_is_not_read_as_another_script(text: str) -> None:
    """A letter Windows-1252 writes with a UTF-8 lead byte's code (ß, Ö, Ó, Í) before punctuation it writes
    with a continuation byte's (– — ’ °) decodes as one character of another script: an NKo or Cyrillic
    letter, a Hebrew accent, a mark on nothing. The repair wrote that inside a Latin word; it leaves it."""
    assert repair(text) == text
