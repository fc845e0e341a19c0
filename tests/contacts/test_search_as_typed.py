"""A name is found however it is typed [search-words]: a name of several words typed as one ("jeanluc",
"marieclaire", "vanderberg"), initials with or without dots and spaces ("jrr" for "J. R. R. Tolkien"), and a
phone number among other words ("ada +44 20 7946 0958"). Through the CLI (`contacts list --search`, `contacts
search`, `contacts ids`) and the API (GET /contacts?search=, /contacts/ids), on real stores."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import search_names
from tests.support.people import add_people, searched_names
from tests.support.store import search_documents

PEOPLE = [
    ("Jean Luc Picard", ["--given-name", "Jean Luc", "--family-name", "Picard"], None),
    ("Jean Lucas", [], None),
    ("Marie Claire Dubois", [], None),
    ("Anna van der Berg", [], None),
    ("Ada Lovelace", ["--phone", "+44 20 7946 0958"], None),
    ("Grace Hopper", ["--phone", "020 7946 0958"], None),
    # decoys: the same words in another order or apart, another number
    ("Luc Jeanne", [], None),
    ("Claire Marie", [], None),
    ("Berg Vander", [], None),
    ("Ada Byron", ["--phone", "+1 202 555 0123"], None),
]


@pytest.fixture
def names(cli: Any) -> Any:
    add_people(cli, PEOPLE)

    return lambda term: searched_names(cli, term)


def test_a_name_of_several_words_typed_as_one(names: Any) -> None:
    for term in (
        "jeanluc",
        "JeanLuc",
        "jeanlucp",
        "jeanlucpicard",
        "lucpicard",
        "jeanluc picard",
        "picard jeanluc",
    ):
        assert names(term) == (
            ["Jean Luc Picard", "Jean Lucas"] if term.lower() == "jeanluc" else ["Jean Luc Picard"]
        ), term
    for term in ("marieclaire", "marieclaired", "mariec"):
        assert names(term) == ["Marie Claire Dubois"], term
    for term in ("vanderberg", "vanderb", "annavanderberg", "anna vanderberg"):
        assert names(term) == ["Anna van der Berg"], term
    # the words as typed still find what they found
    assert names("jean luc") == ["Jean Luc Picard", "Jean Lucas", "Luc Jeanne"]  # in any order
    assert names("claire marie") == ["Claire Marie", "Marie Claire Dubois"]
    assert names("picardjean") == [] and names("claire marie dubois x") == []


def test_given_and_family_names_apart_from_the_full_name(cli: Any) -> None:
    """A given or family name the full name does not hold as a word is searched (and joined) as before."""
    add_people(
        cli,
        [
            ("Bob Smith", ["--given-name", "Robert James", "--family-name", "Smith"], None),
            ("JoAnn Smith", ["--given-name", "Ann"], None),
        ],
    )

    def names(term: str) -> list[str]:
        return sorted(c["full_name"] for c in cli.json("contacts", "list", "--search", term)["data"])

    assert names("robert") == names("robertjames") == names("ro") == names("james s") == ["Bob Smith"]
    assert names("an") == names("ann smith") == ["JoAnn Smith"]
    assert names("smith") == ["Bob Smith", "JoAnn Smith"]


@pytest.mark.parametrize("written", ["J. R. R. Tolkien", "J.R.R. Tolkien", "J R R Tolkien", "J.R.R.Tolkien"])
def test_initials_with_or_without_dots_and_spaces(cli: Any, written: str) -> None:
    add_people(cli, [(written, [], None), ("Jo Rr", [], None), ("Tolkien Jr", [], None)])

    def names(term: str) -> list[str]:
        return sorted(c["full_name"] for c in cli.json("contacts", "list", "--search", term)["data"])

    for term in ("jrr", "JRR", "j.r.r.", "J.R.R.", "jrr tolkien", "tolkien jrr", "j.r.r. tolkien", "jrrt"):
        assert names(term) == [written], (written, term)
    assert names("tolkien") == sorted(["Tolkien Jr", written])
    assert names("j. r. r. tolkien") == [written]


def test_a_phone_number_among_other_words(names: Any) -> None:
    """Its digits apart are one word, matched as a term of the number alone is (its digits, its national
    number): whichever way the contact's number was written."""
    for term in (
        "ada +44 20 7946 0958",
        "+44 20 7946 0958 ada",
        "lovelace 020 7946",
        "lovelace (020) 7946-0958",
    ):
        assert names(term) == ["Ada Lovelace"], term
    assert names("+44 20 7946 0958") == ["Ada Lovelace", "Grace Hopper"]  # alone, as before
    assert names("grace +44 20 7946 0958") == ["Grace Hopper"]
    assert names("hopper 020 7946 0958") == ["Grace Hopper"]
    assert names("ada 020 7946") == ["Ada Lovelace"]  # not Ada Byron
    assert names("byron 020 7946") == [] and names("ada 7946 020") == []
    assert names("ada +1 202 555") == ["Ada Byron"]


def test_the_search_alias_takes_the_words_apart(cli: Any) -> None:
    """`pcrm contacts search ada +44 20 7946 0958`: the words of the command line are one term."""
    add_people(cli, PEOPLE)
    for argv, want in (
        (["jeanluc", "picard"], ["Jean Luc Picard"]),
        (["jeanlucp"], ["Jean Luc Picard"]),
        (["ada", "+44", "20", "7946", "0958"], ["Ada Lovelace"]),
    ):
        got = cli.json("contacts", "search", *argv)
        assert [c["full_name"] for c in got["data"]] == want, argv


def test_the_name_as_typed_ranks_first(cli: Any) -> None:
    """A name that starts with the term comes before a name that holds it written as one word, whatever their
    scores; as-you-type prefixes keep finding the contact all along."""
    add_people(
        cli,
        [
            ("Marieclaire Lenoir", [], None),
            ("Marie Claire Dubois", [], "a message: a score at least the other's, and newer"),
        ],
    )
    got = cli.json("contacts", "list", "--search", "marieclaire")["data"]
    assert [c["full_name"] for c in got] == ["Marieclaire Lenoir", "Marie Claire Dubois"]
    got = cli.json("contacts", "list", "--search", "marie")["data"]
    assert [c["full_name"] for c in got] == ["Marie Claire Dubois", "Marieclaire Lenoir"]
    for typed in ("m", "ma", "mar", "mari", "marie", "mariec", "mariecl", "marie c", "marie cl"):
        got = cli.json("contacts", "list", "--search", typed)["data"]
        assert "Marie Claire Dubois" in [c["full_name"] for c in got], typed


@pytest.mark.anyio
async def test_the_api_finds_them_too(client: Any, script: dict[str, str]) -> None:
    for body in (
        {"full_name": "Jean Luc Picard"},
        {"full_name": "J. R. R. Tolkien"},
        {"full_name": "Ada Lovelace", "phones": ["+44 20 7946 0958"]},
        {"full_name": "Luc Jeanne", "phones": ["+1 202 555 0123"]},
    ):
        r = await client.post("/api/v1/contacts", headers=script, json=body)
        assert r.status_code == 201, r.text

    async def found(term: str) -> list[str]:
        return await search_names(client, script, term)

    assert await found("jeanluc") == ["Jean Luc Picard"]
    assert await found("jeanlucp") == ["Jean Luc Picard"]
    assert await found("jrr") == ["J. R. R. Tolkien"]
    assert await found("j.r.r. tolkien") == ["J. R. R. Tolkien"]
    assert await found("ada +44 20 7946 0958") == ["Ada Lovelace"]
    assert await found("lovelace 020 7946") == ["Ada Lovelace"]


def test_documents_written_before_are_rebuilt(cli: Any, pcrm_home: Any) -> None:
    """m024_search_joined rebuilds every document of a store indexed before it; afterwards they are what a new
    store writes, and a name typed as one word finds its contact."""

    from pcrm.store import search
    from pcrm.store.db import connect
    from pcrm.store.migrations import _sql

    add_people(cli, PEOPLE[:4])
    db = pcrm_home / "pcrm.db"

    def documents() -> list[tuple]:
        return search_documents(db)

    new = documents()
    assert new[0][1] == "jean luc picard jeanlucpicard"  # the given and family names are in the full name
    conn = connect(db, migrate=False)
    conn.execute("BEGIN")
    conn.execute(_sql("schema_m021_search_words.sql"))  # the documents as m021's view wrote them
    search.rewrite_documents(conn)
    conn.execute("DELETE FROM schema_migrations WHERE name = 'm024_search_joined'")
    conn.execute("COMMIT")
    conn.close()
    assert documents()[0][1] == "jean luc picard jean luc picard"

    got = cli.json("contacts", "list", "--search", "jeanluc")["data"]  # the command migrates first
    assert sorted(c["full_name"] for c in got) == ["Jean Luc Picard", "Jean Lucas"]
    assert documents() == new
