"""Search as people type it [contact-search] [search-words]: a term wrapped in brackets, quotes or sentence
marks, a pasted `Name <address>` or mailto:/tel: link, through the CLI (`contacts list -s`, `contacts ids`,
`contacts search`) and the API (GET /contacts?search=), on real stores."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import search_names
from tests.support.people import add_people, searched_names

PEOPLE = [
    ("Ada Lovelace", ["--email", "ada.lovelace@analytical.example", "--phone", "+44 20 7946 0958"], None),
    ("Adam Smith", [], None),
    ("Conan O'Brien", [], None),
    ("Olga Dunn", [], None),
]


@pytest.fixture
def names(cli: Any) -> Any:
    add_people(cli, PEOPLE)
    return lambda term: searched_names(cli, term)


def test_a_term_in_brackets_quotes_or_with_a_sentence_mark_is_its_words(names: Any) -> None:
    wrapped = ("(ada)", '"ada"', "'ada'", "“ada”", "«ada»", "[ada]", "ada!", "ada?", "ada:", "ada*", "ada%")
    for term in wrapped:
        assert names(term) == ["Ada Lovelace", "Adam Smith"], term
    for term in ('"ada lovelace"', "(lovelace, ada)", "'Ada Lovelace'"):
        assert names(term) == ["Ada Lovelace"], term


def test_a_pasted_address_or_link_finds_its_contact(names: Any) -> None:
    for term in (
        "<ada.lovelace@analytical.example>",
        "Ada Lovelace <ada.lovelace@analytical.example>",
        "mailto:ada.lovelace@analytical.example",
        "MAILTO:ada.lovelace@analytical.example",
        "tel:+442079460958",
        "tel:+44 20 7946 0958",
    ):
        assert names(term) == ["Ada Lovelace"], term


def test_punctuation_that_means_something_stays(names: Any) -> None:
    """An apostrophe alone is a name's (typing "o'" on the way to "o'brien"), an @ or a dot an address's;
    a term of punctuation alone is looked for as typed."""
    assert names("o'") == ["Conan O'Brien"]
    assert names("ada.") == ["Ada Lovelace"]  # in the address, not "Adam"
    assert names("%") == []
    assert names("?") == []


def test_the_cli_search_command_and_the_ranking_see_the_term_unwrapped(cli: Any) -> None:
    """The full name starting with the term is first, as for "ada" (Sam Adams, added later, would lead by
    the score order's ties)."""
    add_people(cli, [("Ada Lovelace", [], None), ("Sam Adams", [], None)])
    for term in ("(ada)", "ada?"):
        got = cli.json("contacts", "search", term)
        assert [c["full_name"] for c in got["data"]] == ["Ada Lovelace", "Sam Adams"], term


@pytest.mark.anyio
async def test_the_api_unwraps_the_term(client: Any, script: dict[str, str]) -> None:
    for body in (
        {"full_name": "Ada Lovelace", "emails": ["ada.lovelace@analytical.example"]},
        {"full_name": "Olga Dunn"},
    ):
        r = await client.post("/api/v1/contacts", headers=script, json=body)
        assert r.status_code == 201, r.text
    address = "ada.lovelace@analytical.example"
    for term in ("(ada)", "ada?", f"<{address}>", f"mailto:{address}"):
        assert await search_names(client, script, term) == ["Ada Lovelace"], term
