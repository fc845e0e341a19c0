"""A name that fits more contacts than the picker offers (10) [contact-references]: at a terminal `pcrm
contacts show Ana` printed the error's whole paragraph of ten candidates and then the same ten numbered,
said nothing of the others, and offered no way to them. The picker now says how many there are, lists the
first ten once, and says how to reach the rest."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.crm import Crm

SURNAMES = ["Abe", "Baro", "Cruz", "Dahl", "Eng", "Faro", "Gill", "Holt", "Ito", "Jama", "Kerr", "Lund"]


@pytest.fixture
def anas(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from pcrm.cli import _output

    ids = [crm.add(f"Ana {s}", "--email", f"ana.{s.lower()}@example.com")["id"] for s in SURNAMES]
    monkeypatch.setattr(_output, "at_terminal", lambda: True)
    return ids


def test_the_picker_says_how_many_more_and_how_to_reach_them(crm: Crm, anas: list[str]) -> None:
    got = crm.cli("contacts", "show", "Ana", input="\n", ok=False)
    lines = got.stderr.splitlines()
    assert lines[0] == "'Ana' matches 12 contacts; the first 10:"
    numbered = [line for line in lines if line.startswith(("  1  ", "  10  "))]
    assert len(numbered) == 2
    # each candidate is named once: the paragraph of the error is not printed above the list
    assert got.stderr.count("ana.abe@example.com") == 1
    assert "  and 2 more: stop here and name one by its full name, email or id" in lines
    assert "  (`pcrm contacts list --search Ana` lists them all)" in lines
    assert "nothing chosen, nothing changed" in got.stderr


def test_the_picker_still_chooses_among_those_it_offers(crm: Crm, anas: list[str]) -> None:
    got: Any = crm.cli("contacts", "show", "Ana", "--json", input="3\n")
    assert got.stdout.count(anas[2]) >= 1
