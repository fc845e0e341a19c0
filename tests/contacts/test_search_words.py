"""A search term of several words, or with punctuation inside a name, matches word by word [search-words]:
through the CLI (`contacts list -s`, `contacts ids`), the API (GET /contacts?search=) and the MCP
`search_contacts` tool, on real stores."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import search_names
from tests.support.people import add_people, searched_names

PROFILE = "https://www.linkedin.com/in/ada-lovelace-1815/"

PEOPLE = [
    ("Tim Berners-Lee", ["--company", "CERN"], None),
    ("Ada Lovelace", ["--company", "Analytical Engines", "--linkedin", PROFILE], None),
    ("Conan O'Brien", [], None),
    ("Jean-Luc Picard", ["--title", "Captain"], None),
    ("Jean Luc Ponty", [], None),
    ("J.R.R. Tolkien", [], None),
    # decoys: each holds some of the words of a term, never all of them
    ("Timothy Lee", ["--company", "Berner Bank"], None),
    ("Ada Byron", ["--company", "CERN"], "a note on the analytical engine"),
    ("Brien Walsh", [], None),
]


@pytest.fixture
def names(cli: Any) -> Any:
    add_people(cli, PEOPLE)

    return lambda term: searched_names(cli, term)


def test_words_match_in_any_order_whatever_the_punctuation(names: Any) -> None:
    for term in (
        "berners lee",
        "lee berners",
        "Berners-Lee",
        "bernerslee",
        "tim berners lee",
        "berners-lee tim",
    ):
        assert names(term) == ["Tim Berners-Lee"], term
    for term in ("lovelace ada", "Lovelace, Ada", "ada  lovelace"):
        assert names(term) == ["Ada Lovelace"], term
    for term in ("o'brien", "obrien", "o brien", "O’Brien", "conan obrien"):
        assert names(term) == ["Conan O'Brien"], term
    assert names("brien") == ["Brien Walsh", "Conan O'Brien"]
    for term in ("jean luc", "jean-luc", "luc jean"):
        assert names(term) == ["Jean Luc Ponty", "Jean-Luc Picard"], term
    assert names("jeanluc") == ["Jean Luc Ponty", "Jean-Luc Picard"]  # a name written as one word
    assert names("o'brien walsh") == [] and names("o-b") == []
    for term in ("jrr tolkien", "j.r.r. tolkien", "tolkien j"):
        assert names(term) == ["J.R.R. Tolkien"], term


def test_each_word_may_be_in_another_field(names: Any) -> None:
    """A word in the company and another in the name; one word missing matches nobody."""
    assert names("engines lovelace") == ["Ada Lovelace"]
    assert names("ada cern") == ["Ada Byron"]
    assert names("picard captain") == ["Jean-Luc Picard"]
    assert names("ada berners") == [] and names("lovelace cern") == []
    # in a message, the whole term or every word of 3+ characters in any order; a word in a message and
    # another in the contact's fields match too (Byron's note says "analytical", her name "Ada")
    assert names("analytical engine") == ["Ada Byron", "Ada Lovelace"]
    assert names("note engine") == names("engine note") == ["Ada Byron"]
    assert names("ada analytical") == ["Ada Byron", "Ada Lovelace"]
    assert names("note cern") == ["Ada Byron"] and names("note lovelace") == []


def test_short_words_start_a_word(names: Any) -> None:
    """While typing: "ada l" is Ada and a word starting with l; the order does not matter."""
    assert names("ada l") == ["Ada Lovelace"]
    assert names("l ada") == ["Ada Lovelace"]
    assert names("ada lo") == ["Ada Lovelace"]
    assert names("j p") == ["Jean Luc Ponty", "Jean-Luc Picard"]
    assert names("ti l") == ["Tim Berners-Lee", "Timothy Lee"]
    assert names("ada x") == []


def test_the_linkedin_slug_is_searchable(names: Any) -> None:
    for term in ("ada-lovelace-1815", "lovelace-1815", "1815", "ada lovelace 1815", PROFILE, PROFILE.upper()):
        assert names(term) == ["Ada Lovelace"], term
    assert names("www.linkedin.com") == []  # the address around the slug is not in the document


def test_multi_word_terms_rank_by_where_their_words_are(cli: Any) -> None:
    """The full name starting with the term, then every word in the names, then in names, company or title,
    then in those or a handle, then anywhere (an email here)."""
    add_people(
        cli,
        [
            ("Bo Jones", ["--email", "ada.lovelace@example.com"], None),
            ("Ann Smith", ["--telegram", "lovelace_ada"], None),
            ("Ada Byron", ["--company", "Lovelace Labs"], None),
            ("Augusta Ada Lovelace", [], None),
            ("Lovelace Ada King", [], None),
        ],
    )
    got = cli.json("contacts", "list", "--search", "lovelace ada")
    assert [c["full_name"] for c in got["data"]] == [
        "Lovelace Ada King",
        "Augusta Ada Lovelace",
        "Ada Byron",
        "Ann Smith",
        "Bo Jones",
    ]
    # the same through `contacts ids`, which a bulk update by filter uses
    ids = cli.json("contacts", "ids", "--search", "lovelace ada")["data"]
    assert sorted(ids) == sorted(c["id"] for c in got["data"])


@pytest.mark.anyio
async def test_the_api_searches_word_by_word(client: Any, script: dict[str, str]) -> None:
    made = {}
    for body in (
        {"full_name": "Tim Berners-Lee", "company": "CERN"},
        {"full_name": "Ada Lovelace", "company": "Analytical Engines", "linkedin_url": PROFILE},
        {"full_name": "Conan O'Brien"},
        {"full_name": "Timothy Lee", "company": "Berner Bank"},
    ):
        r = await client.post("/api/v1/contacts", headers=script, json=body)
        assert r.status_code == 201, r.text
        made[body["full_name"]] = r.json()["data"]["id"]

    async def found(term: str) -> list[str]:
        return await search_names(client, script, term)

    assert await found("berners lee") == ["Tim Berners-Lee"]
    assert await found("lovelace ada") == ["Ada Lovelace"]
    assert await found("ada analytical") == ["Ada Lovelace"]
    assert await found("obrien") == ["Conan O'Brien"]
    assert await found("o brien") == ["Conan O'Brien"]
    assert await found("ada-lovelace-1815") == ["Ada Lovelace"]
    assert await found(PROFILE) == ["Ada Lovelace"]
    assert await found("lee tim") == ["Tim Berners-Lee", "Timothy Lee"]


@pytest.mark.anyio
async def test_the_mcp_tool_searches_word_by_word(cli: Any) -> None:
    from tests.support.mcp import memory_session

    add_people(cli, PEOPLE)
    async with memory_session() as client:
        for term, want in (
            ("lovelace ada", ["Ada Lovelace"]),
            ("berners lee", ["Tim Berners-Lee"]),
            ("ada-lovelace-1815", ["Ada Lovelace"]),
        ):
            got = (await client.call_tool("search_contacts", {"query": term})).structured_content
            assert [c["full_name"] for c in got["contacts"]] == want, term
