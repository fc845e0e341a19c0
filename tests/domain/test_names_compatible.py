"""Which names may share a key [shared-keys]: the same person's name as names can tell, or one side
missing or shorter without contradiction."""

from __future__ import annotations

import pytest

from pcrm.domain.identity import name_tokens, names_compatible

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
