"""Which names may share a key [shared-keys]: the same person's name as names can tell, or one side
missing or shorter without contradiction; on a phone, without an initial or a nickname of two names
standing for the given name; never under two honorifics or generations, or given names a slip apart."""

from __future__ import annotations

import pytest

from pcrm.domain.identity import name_tokens, names_compatible
from pcrm.domain.identity_names import marks_apart, name_markers, parse_name
from pcrm.domain.shared_keys import joins

CASES = [
    ("Ada Lovelace", "A. Lovelace", True),
    ("Bob Smith", "Robert Smith", True),
    ("Jose Garcia", "José García", True),
    ("Lovelace, Ada", "Ada Lovelace", True),
    ("Li Wei", "Wei Li", True),
    ("John Smith", "Jon Smyth", True),
    ("Ada", "Ada Lovelace", True),
    ("Lovelace", "Ada Lovelace", True),
    ("Maria Garcia", "Maria Garcia Lopez", True),
    ("Maria Lopez", "Maria Garcia Lopez", True),
    ("", "Ada Lovelace", True),
    ("Anna Berg", "Erik Berg", False),
    ("Max Mustermann", "Erika Mustermann", False),
    ("Anna Berg", "Anna Bergström", False),
    ("Ada King", "Ada Lovelace", False),
    ("Grace", "Ada Lovelace", False),
    ("Ada", "Grace Hopper", False),
    # a nickname of two names stands for either: "Sam" is Samuel's and Samantha's
    ("Sam Lindqvist", "Samantha Lindqvist", True),
    ("Sam Lindqvist", "Samuel Lindqvist", True),
    ("Alex Berg", "Alexandra Berg", True),
    ("Alex Berg", "Alexander Berg", True),
    ("Samuel Berg", "Samantha Berg", False),  # two full names are not one through a shared nickname
]


@pytest.mark.parametrize(("a", "b", "compatible"), CASES)
def test_names_compatible(a: str, b: str, compatible: bool) -> None:
    assert names_compatible(name_tokens(a), name_tokens(b)) is compatible
    assert names_compatible(name_tokens(b), name_tokens(a)) is compatible


# [shared-keys]: whether a shared phone, or a shared email (a platform id alike), joins two names
KEYS = [
    # (a, b, joins on a phone, joins on an email)
    ("Mr Kim", "Mrs Kim", False, False),  # two honorifics of two genders
    ("Mr Kim", "Ms Kim", False, False),
    ("Mrs Kim", "Miss Kim", True, True),  # one gender
    ("Tom Hardy", "Tom Hardy Jr", False, False),  # a generation on one side
    ("Tom Hardy Sr", "Tom Hardy Jr.", False, False),  # two generations
    ("Tom Hardy II", "Tom Hardy III", False, False),
    ("Tom Hardy Jnr", "Tom Hardy Jr", True, True),
    ("Dan Brown", "Dana Brown", False, False),  # a given name a letter off is another name
    ("Mario Rossi", "Maria Rossi", False, False),
    ("Paul Smith", "Paula Smith", False, False),
    ("Daniel Weber", "Daniela Weber", False, False),
    ("Jan Novak", "Jana Novak", False, False),
    ("Carl Berg", "Carla Berg", False, False),
    ("Tony Smith", "Toni Smith", False, False),
    ("Dan", "Dana", False, False),
    ("J. Brown", "Jane Brown", False, True),  # an initial
    ("Chris Evans", "Christine Evans", False, True),  # a nickname of two names
    ("Sam Lee", "Samuel Lee", False, True),
    ("Alex Berg", "Alexandra Berg", False, True),
    ("Pat Ng", "Patrick Ng", False, True),
    ("Lee", "Lee Chen", True, True),  # a first name alone
    ("Max Müller", "Max Mueller", True, True),  # transliteration
    ("Sergey Ivanov", "Сергей Иванов", True, True),
    ("Sergey Ivanov", "Sergei Ivanov", True, True),
    ("Bob Miller", "Robert Miller", True, True),  # a nickname of one name
    ("Smith, John", "John Smith", True, True),
    ("Wei Li", "Li Wei", True, True),
    ("Jamilla Wallner", "Jamilla Waller", True, True),  # a family name's typo
    ("", "Tom Hardy Jr", True, True),  # a missing name
    ("Mrs Ada Byron", "Ada Byron", True, True),
    ("Anna Berg", "Erik Berg", False, False),
]


@pytest.mark.parametrize(("a", "b", "phone", "email"), KEYS)
def test_which_names_a_shared_key_joins(a: str, b: str, phone: bool, email: bool) -> None:
    for x, y in ((a, b), (b, a)):
        assert joins(parse_name(x), parse_name(y), "phone") is phone
        assert joins(parse_name(x), parse_name(y), "email") is email
        assert joins(parse_name(x), parse_name(y), "telegram_username") is email


def test_markers_are_read_from_the_raw_name() -> None:
    assert name_markers("Mrs. Jane Kim") == ("f", "")
    assert name_markers("KIM, TOM JR.") == ("", "jr")
    assert name_markers("Sir Tom Hardy Snr") == ("m", "sr")
    assert name_tokens("Mr Tom Hardy Jr") == name_tokens("Tom Hardy")  # similarity ignores them
    assert not parse_name("") and parse_name("Mr").tokens == ("mr",)


@pytest.mark.parametrize(
    ("a", "b", "apart"),
    [
        ("Grace 🧤", "Grace", True),  # a marked first name is one person's label, not any Grace
        ("Grace 🧤", "Grace 🍒", True),
        ("Sam ★", "sam ★", False),  # marked alike
        ("Grace ❤️", "Grace ❤", False),  # an emoji's presentation selector draws the same heart
        ("Jane Doe, MBA ★", "Jane Doe", False),  # a longer name is told by its words
        ("John Doe 🤓", "John Doe", False),
        ("Grace", "grace", False),
    ],
)
def test_marks_apart(a: str, b: str, apart: bool) -> None:
    assert marks_apart(a, b) is apart and marks_apart(b, a) is apart
