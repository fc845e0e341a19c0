"""Short terms in scripts written without spaces [contact-search]: the word index holds a whole run of Han,
Kana, Hangul or Thai as one word, so a 1-2 character term holding such a character is a substring of the
contact's fields (like "%"), while a Latin 2-letter term stays a word prefix."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.people import add_people


@pytest.fixture
def names(cli: Any) -> Any:
    add_people(
        cli,
        [
            ("李小龍", [], None),
            ("山田太郎", [], None),
            ("김민준", [], None),
            ("สมชาย ใจดี", [], None),
            ("Lowell Li", ["--company", "ハローワーク"], None),
            ("Wang Wei", [], "小龍 called"),  # in a message only: short terms do not search messages
        ],
    )

    def found(term: str) -> list[str]:
        return sorted(c["full_name"] for c in cli.json("contacts", "list", "--search", term)["data"])

    return found


@pytest.mark.parametrize(
    ("term", "who"),
    [
        ("小龍", "李小龍"),  # the end of a name
        ("龍", "李小龍"),
        ("小", "李小龍"),
        ("太郎", "山田太郎"),  # a Japanese given name
        ("田", "山田太郎"),
        ("민준", "김민준"),  # a Korean given name, written with the family name
        ("มช", "สมชาย ใจดี"),  # inside a Thai word
        ("ワー", "Lowell Li"),  # inside a Katakana company name
        ("ﾜｰ", "Lowell Li"),  # the same, half-width (folded by NFKC)
    ],
)
def test_a_short_term_of_an_unspaced_script_is_found_inside_a_name(names: Any, term: str, who: str) -> None:
    assert names(term) == [who]


def test_latin_two_letter_terms_stay_word_prefixes(names: Any) -> None:
    assert names("lo") == ["Lowell Li"]
    assert names("li") == ["Lowell Li"]  # the word "Li"
    assert names("ow") == []  # inside "Lowell": not the start of a word
    assert names("李小龍") == ["李小龍"]  # 3+ characters: trigrams, as before
