"""Short search terms (1-2 characters) [contact-search]: letters and digits are word prefixes of the contact's
fields, from the word-prefix index; other short terms are substrings of the contact's stored documents."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pcrm.domain.normalize import JOINERS, search_document, search_fold
from pcrm.store.db import connect
from tests.support.people import add_people
from tests.support.store import search_documents

# Characters whose folding is not lower(): ß -> ss, the Kelvin sign -> k, the fi ligature -> fi,
# İ -> i̇, NBSP and \x1c are whitespace to str.split(), a combining accent; umlauts (also written ae, oe, ue),
# a combining diaeresis and invisible format characters [search-spellings].
ALPHABET = "abcsSKkiIfß\u212a\ufb01\u0130 \t\x1c\u00a0\u0301é.@1üÖ\u0308\u200b\u00ad&"


_CONNS: dict[Path, object] = {}


def _conn(path: Path):  # one store for all examples: connecting and migrating per example is slow
    if path not in _CONNS:
        conn = connect(path)
        conn.execute("CREATE TABLE t (contact_id INTEGER, content_preview TEXT)")
        _CONNS[path] = conn
    return _CONNS[path]


def _people_with_a_message(cli, *people: tuple[str, str]):
    """Each (name, message) as a contact with one inbound message; returns names(term) -> sorted matches."""
    add_people(cli, [(name, [], message) for name, message in people])

    def names(term: str) -> list[str]:
        return sorted(c["full_name"] for c in cli.json("contacts", "list", "--search", term)["data"])

    return names


def test_short_terms_through_the_cli(cli) -> None:
    names = _people_with_a_message(
        cli, ("Ada Lovelace", "Grüße aus Straßburg"), ("Jürgen Weiß", "MOTH in the relay")
    )

    assert names("ss") == []  # Straßburg is in a message, Weiß's "ss" is inside a word
    assert names("we") == ["Jürgen Weiß"]  # a word of the name starts with it
    assert names("mo") == []  # messages are not searched by short terms
    assert names("JÜ") == ["Jürgen Weiß"]
    assert names("l") == ["Ada Lovelace"]
    assert names("zz") == []


def test_short_terms_follow_edits_and_deletes(cli) -> None:
    added = cli.json("contacts", "add", "--name", "Ada Lovelace", "--company", "Analytical Engines")
    cid = added["data"]["id"]

    def names(term: str) -> list[str]:
        return sorted(c["full_name"] for c in cli.json("contacts", "list", "--search", term)["data"])

    assert names("an") == ["Ada Lovelace"]  # the company
    cli("contacts", "edit", cid, "--name", "Augusta King", "--company", "Difference Engines")
    assert names("an") == [] and names("lo") == [] and names("ki") == ["Augusta King"]
    assert names("di") == ["Augusta King"]
    cli("contacts", "rm", cid, "--yes")
    assert names("ki") == []


@settings(max_examples=400, deadline=None)
@given(
    text=st.one_of(st.none(), st.text(ALPHABET + "ABC xyz" + JOINERS, max_size=16), st.text(max_size=16)),
    joined=st.booleans(),
)
def test_stored_documents_fold_like_python(tmp_path_factory, text: str | None, joined: bool) -> None:
    """flush_dirty's SQL shortcut for folding documents gives exactly search_fold's result, and for names and
    organisations search_document's (the words joined by punctuation also written without it)."""
    from pcrm.store.search import _fold_sql

    conn = _conn(tmp_path_factory.getbasetemp() / "short.db")
    got = conn.execute(f"SELECT {_fold_sql('x', joined=joined)} FROM (SELECT ? AS x)", (text,)).fetchone()[0]
    want = (search_document if joined else search_fold)(text)
    assert got == (None if text is None else want), repr(text)


def test_message_text_is_found_by_its_casefolded_spelling(cli) -> None:
    """Message text is indexed as written (the trigram tokenizer only lowercases), while terms are
    casefolded: "STRASSE" must still find "Straße", and "ΛΌΓΟΣ" a word-final "ς"."""
    names = _people_with_a_message(
        cli,
        ("Ada Lovelace", "Wir treffen uns in der Hauptstraße"),
        ("Eleni Papadopoulou", "Ένας καλός λόγος"),
    )

    for term in ("HAUPTSTRASSE", "hauptstrasse", "Hauptstraße", "STRASSE"):
        assert names(term) == ["Ada Lovelace"], term
    for term in ("ΛΌΓΟΣ", "λόγος", "λόγοσ", "καλός"):
        assert names(term) == ["Eleni Papadopoulou"], term
    assert names("strassen") == []


def test_many_matches_take_the_best_tiers_and_estimate_the_total(cli, monkeypatch) -> None:
    """Past COUNT_CAP matches, the page is taken tier by tier (the same page a full ranking gives) and the
    total says it is an estimate; below it, the total is exact; when the tiers hold fewer than the page,
    every match is listed and the total is exact again."""
    from pcrm.store import contact_query

    for name in ("Anna Berg", "Anton Vogel", "Bea Anders", "Carl Ansel", "Andy Ray", "Dora Kim"):
        cli("contacts", "add", "--name", name, "--company", "Anvil Co")

    def page(term: str, size: int = 2) -> tuple[list[str], dict]:
        got = cli.json("contacts", "list", "--search", term, "--page-size", str(size))
        return [c["full_name"] for c in got["data"]], got["meta"]

    full = {(t, n): page(t, n) for t in ("an", "a", "anvil", "ans") for n in (2, 5)}
    assert full["an", 2][1]["total"] == 6 and full["an", 2][1]["total_is_estimate"] is False
    monkeypatch.setattr(contact_query, "COUNT_CAP", 3)
    for (term, size), (names, meta) in full.items():
        got, got_meta = page(term, size)
        assert got == names, (term, size)
        if meta["total"] >= 3 and size < meta["total"]:
            assert got_meta["total"] == max(3, size) and got_meta["total_is_estimate"] is True, term
        else:
            assert got_meta == meta, (term, size)
    # a page larger than every match: all listed, the total exact
    got, meta = page("anvil", 10)
    assert meta["total"] == 6 and meta["total_is_estimate"] is False and len(got) == 6


def test_a_word_common_in_messages_takes_its_page_tier_by_tier_and_estimates(cli, monkeypatch) -> None:
    """A 3+ character term in the messages of COUNT_CAP or more contacts (fewer contacts' own fields hold it):
    the page is the one a full ranking gives (the contacts whose fields hold it first, then those whose
    messages do, in score order), the total an estimate; with a filter, every match is ranked."""
    from pcrm.store import contact_query

    names = _people_with_a_message(
        cli,
        ("Youssef Amari", "hello"),  # tier 1: the name starts with it
        ("Ana Youngblood", "hello"),  # tier 2: a name holds it
        ("Bo Lind", "thank you"),  # messages only: the last tier
        ("Cy Park", "see you soon"),
        ("Di Moss", "you there?"),
        ("Ed Fox", "nothing here"),
    )
    full = {n: cli.json("contacts", "list", "--search", "you", "--page-size", str(n)) for n in (2, 3, 4)}
    assert [c["full_name"] for c in full[2]["data"]] == ["Youssef Amari", "Ana Youngblood"]
    assert full[2]["meta"]["total"] == 5 and full[2]["meta"]["total_is_estimate"] is False
    assert names("you") == ["Ana Youngblood", "Bo Lind", "Cy Park", "Di Moss", "Youssef Amari"]

    monkeypatch.setattr(contact_query, "COUNT_CAP", 3)
    for n, want in full.items():
        got = cli.json("contacts", "list", "--search", "you", "--page-size", str(n))
        assert got["data"] == want["data"], n
        assert got["meta"]["total"] == max(3, n) and got["meta"]["total_is_estimate"] is True
    for name in ("Bo Lind", "Cy Park", "Di Moss", "Ed Fox"):
        cli("contacts", "tag", name, "x")
    got = cli.json("contacts", "list", "--search", "you", "--tag", "x", "--page-size", "2")
    assert len(got["data"]) == 2
    assert got["meta"]["total"] == 3 and got["meta"]["total_is_estimate"] is False


def _as_before(raw, documents: list[tuple], *migrations: str) -> None:
    """Put back the search documents (rowid, names, org, handles, other) an older pcrm wrote, in both
    indexes, and mark `migrations` not applied, so the next command migrates the store again; closes raw."""
    raw.execute("BEGIN")
    for doc in documents:
        for table in ("contacts_fts", "contacts_fts_words"):
            raw.execute(f"DELETE FROM {table} WHERE rowid = ?", doc[:1])
            raw.execute(f"INSERT INTO {table}(rowid, names, org, handles, other) VALUES (?, ?, ?, ?, ?)", doc)
    raw.executemany("DELETE FROM schema_migrations WHERE name = ?", [(m,) for m in migrations])
    raw.execute("COMMIT")
    raw.close()


def test_latin_letters_match_with_or_without_diacritics_and_old_documents_are_refolded(
    cli, pcrm_home
) -> None:
    """Contact search documents and terms lose Latin diacritics alike [contact-search]: "zoe" finds "Zoë",
    "yilmaz" "Yılmaz", "istanbul" "İstanbul". A store indexed before (documents with their accents) is
    brought over by m019_search_accents."""
    names = _people_with_a_message(
        cli, ("Zoë Quux", "hi"), ("Camille Yılmaz", "hello"), ("Ana İstanbullu", "yo")
    )
    assert names("zoe") == ["Zoë Quux"] and names("ZOË") == ["Zoë Quux"] and names("zo") == ["Zoë Quux"]
    assert names("yilmaz") == ["Camille Yılmaz"] and names("istanbul") == ["Ana İstanbullu"]
    # the documents as the previous fold wrote them (diacritics kept), and m019 not applied yet
    import apsw

    raw = apsw.Connection(str(pcrm_home / "pcrm.db"))
    rows = raw.execute(
        "SELECT f.rowid, c.full_name, f.org, f.handles, f.other "
        "FROM contacts_fts f JOIN contacts c ON c.id = f.rowid"
    ).fetchall()
    from pcrm.domain.normalize import fold

    _as_before(raw, [(rowid, fold(name), *cols) for rowid, name, *cols in rows], "m019_search_accents")
    assert names("zoe") == ["Zoë Quux"]  # the next command migrates first
    assert names("yilmaz") == ["Camille Yılmaz"] and names("zo") == ["Zoë Quux"]


def test_a_merged_contact_is_found_by_the_name_it_had(cli) -> None:
    """A merge keeps the merged contact's name as a `nickname` of the survivor; search reads those too
    [contact-search], so looking for the name you knew still finds the person. Unmerged, it no longer does."""
    cli.json("contacts", "add", "--name", "Grace Brewster", "--email", "g1@navy.example")
    cli.json("contacts", "add", "--name", "Grace Hopper", "--email", "g2@navy.example")

    def names(term: str) -> list[str]:
        return sorted(c["full_name"] for c in cli.json("contacts", "list", "--search", term)["data"])

    assert names("brewster") == ["Grace Brewster"] and names("hopper") == ["Grace Hopper"]
    merged = cli.json("contacts", "merge", "Grace Brewster", "g2@navy.example")["data"]
    (survivor,) = [c["full_name"] for c in cli.json("contacts", "list")["data"]]  # the richer one
    assert names("brewster") == names("hopper") == names("br") == names("ho") == [survivor]
    merge_id = merged.get("merge_id") or merged.get("id")
    assert merge_id, merged
    cli.json("contacts", "unmerge", merge_id)
    assert names("brewster") == ["Grace Brewster"] and names("hopper") == ["Grace Hopper"]


def test_old_documents_get_the_linkedin_slug_and_the_joined_words(cli, pcrm_home) -> None:
    """m021_search_words rebuilds the documents it changes in a store indexed before it: the LinkedIn profile
    slug in the handles, and the words of names and organisations joined by punctuation also without it
    [search-words]. Afterwards (m024_search_joined, which follows it, rebuilding them all) the documents are
    what a new store writes."""
    import apsw

    from pcrm.domain.normalize import has_inner_joiner, word_forms

    for args in (
        ("--name", "Tim Berners-Lee", "--company", "W3C"),
        ("--name", "Ada Lovelace", "--linkedin", "https://www.linkedin.com/in/ada-lovelace-1815/"),
        ("--name", "Grace Hopper", "--company", "Remington-Rand"),
        ("--name", "Alan Turing"),
    ):
        cli("contacts", "add", *args)
    db = pcrm_home / "pcrm.db"

    def documents() -> list[tuple]:
        return search_documents(db)

    new = documents()
    assert [r[3] for r in new] == [None, "ada-lovelace-1815", None, None]
    assert "bernerslee" in new[0][1].split() and "remingtonrand" in new[2][2].split()

    def unjoined(text: str | None) -> str | None:  # a document as search_fold alone wrote it
        if text is None:
            return None
        words = text.split(" ")
        joined = {word_forms(w)[0] for w in words if has_inner_joiner(w)}
        return " ".join(w for w in words if w not in joined)

    # the documents as m020's view and fold wrote them (its names: the full name, folded); m024_search_joined
    # follows m021 and is undone with it
    full_names = ("tim berners-lee", "ada lovelace", "grace hopper", "alan turing")
    old = [
        (rowid, name, unjoined(org), None, other)
        for (rowid, _names, org, _h, other), name in zip(new, full_names, strict=True)
    ]
    _as_before(apsw.Connection(str(db)), old, "m021_search_words", "m024_search_joined")
    assert "bernerslee" not in (documents()[0][1] or "")

    def names(term: str) -> list[str]:
        return sorted(c["full_name"] for c in cli.json("contacts", "list", "--search", term)["data"])

    assert names("bernerslee") == ["Tim Berners-Lee"]  # the next command migrates first
    assert names("ada-lovelace-1815") == ["Ada Lovelace"] and names("remingtonrand") == ["Grace Hopper"]
    assert names("lovelace 1815") == ["Ada Lovelace"] and names("18") == ["Ada Lovelace"]
    assert documents() == new
