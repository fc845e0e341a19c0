"""A search by a message's words finds the contact that holds the message now [contact-search], through every
way a message changes hands or text, whether its matches are ranked all at once or tier by tier."""

from __future__ import annotations

import pytest

from pcrm.store.backup import integrity
from pcrm.store.db import connect


@pytest.mark.parametrize("cap", [1000, 1], ids=["ranked", "tier by tier"])
def test_a_message_is_found_under_whoever_holds_it(crm, monkeypatch, cap) -> None:
    from pcrm.store import contact_query

    monkeypatch.setattr(contact_query, "COUNT_CAP", cap)
    ada = crm.add("Ada Lovelace")["id"]
    king = crm.add("Augusta King")["id"]
    note = crm.cli.json("note", "add", ada, "the orrery blueprint")["data"]["id"]
    crm.cli.json("note", "add", king, "orrery gears, second batch")

    assert crm.names("--search", "blueprint") == ["Ada Lovelace"]
    assert sorted(crm.names("--search", "orrery")) == ["Ada Lovelace", "Augusta King"]

    merged = crm.cli.json("contacts", "merge", ada, king)["data"]  # both messages now on one contact
    survivor = merged["full_name"]
    assert crm.names("--search", "blueprint") == [survivor]
    assert crm.names("--search", "orrery") == [survivor]

    crm.cli.json("contacts", "unmerge", merged["merge_id"])  # and back where they were
    assert crm.names("--search", "blueprint") == ["Ada Lovelace"]
    assert sorted(crm.names("--search", "orrery")) == ["Ada Lovelace", "Augusta King"]

    crm.cli.json("note", "edit", note, "the difference engine")  # new text in, old text out
    assert crm.names("--search", "blueprint") == []
    assert crm.names("--search", "difference") == ["Ada Lovelace"]
    crm.cli.json("note", "rm", note, "--yes")
    assert crm.names("--search", "difference") == []

    crm.cli("contacts", "rm", king, "--yes")  # its messages go with it
    assert crm.names("--search", "orrery") == []
    conn = connect(crm.db)
    try:
        assert integrity(conn) == []
    finally:
        conn.close()


@pytest.mark.parametrize("cap", [1000, 1], ids=["ranked", "tier by tier"])
def test_a_note_is_found_by_its_words_in_any_order_and_without_their_accents(crm, monkeypatch, cap) -> None:
    """Several words of 3+ characters find a message holding all of them, in any order; the accents of
    Latin letters count neither in the term nor in the text (m042_message_accents), as in the contacts'
    own fields [contact-search] [search-words]. Words found in two different messages are not one match,
    and a word of one or two letters keeps the term matching as typed."""
    from pcrm.store import contact_query

    monkeypatch.setattr(contact_query, "COUNT_CAP", cap)
    ada = crm.add("Ada Lovelace")["id"]
    crm.add("Augusta King")
    crm.cli.json("note", "add", ada, "Dinner at Café Zoë in Zürich, she wants an intro to a Lyon investor")
    crm.cli.json("note", "add", crm.add("Grace Hopper")["id"], "lunch in Zurich")
    crm.cli.json("note", "add", crm.add("Mary Somerville")["id"], "a dinner party")

    for term in ("dinner zürich", "zurich dinner", "ZÜRICH DINNER", "cafe zoe", "zoe café", "investor lyon"):
        assert crm.names("--search", term) == ["Ada Lovelace"], term
    assert sorted(crm.names("--search", "zurich")) == ["Ada Lovelace", "Grace Hopper"]
    assert sorted(crm.names("--search", "Zürich")) == ["Ada Lovelace", "Grace Hopper"]
    assert crm.names("--search", "lunch dinner") == []  # one word in each of two people's notes
    assert crm.names("--search", "dinner in zurich") == []  # "in": as typed, and the note says "Dinner at"
    assert crm.names("--search", "zoë in zürich") == ["Ada Lovelace"]
    assert crm.names("--search", "dinner xyzzy") == []


def test_the_api_search_finds_a_note_by_its_words(api) -> None:
    """The daemon's list (the reference web UI's search box) answers as the CLI does: the note's words in
    another order, without their accents."""
    ada = api.get("/api/v1/contacts", params={"search": "Ada Lovelace"}).json()["data"][0]
    note = {"content_preview": "Supper at the Bürgenstock, talk of the orrery gears"}
    assert api.post(f"/api/v1/contacts/{ada['id']}/interactions", json=note).status_code == 201
    found = api.get("/api/v1/contacts", params={"search": "orrery burgenstock"}).json()
    assert [c["full_name"] for c in found["data"]] == ["Ada Lovelace"]


@pytest.mark.parametrize("cap", [1000, 1], ids=["ranked", "tier by tier"])
def test_a_note_is_found_without_its_letters_of_their_own(crm, monkeypatch, cap) -> None:
    """Letters FTS5's remove_diacritics keeps (ß, ł, ø, đ, æ, œ, þ, their capitals, ligatures) are written in
    a message's index as in the contacts' documents (m043_message_letters), so the plain spelling finds them,
    and so does the letter as typed; a message written in the plain spelling is found by the letter too."""
    from pcrm.store import contact_query

    monkeypatch.setattr(contact_query, "COUNT_CAP", cap)
    ada = crm.add("Ada Lovelace")["id"]
    crm.add("Augusta King")
    crm.cli.json("note", "add", ada, "Treffen in der Straße, a week in Łódź with Søren and Đorđe")
    crm.cli.json("note", "add", ada, "ÆGIR and Þóra sent the ŒUVRE, ﬁnal draft")
    crm.cli.json("note", "add", crm.add("Grace Hopper")["id"], "lunch at Lodz station, thorvald came")

    for term in ("strasse", "STRASSE", "straße", "treffen strasse", "søren", "soren", "đorđe", "dorde"):
        assert crm.names("--search", term) == ["Ada Lovelace"], term
    for term in ("aegir", "ægir", "thora", "oeuvre", "œuvre", "final draft", "lodz soren"):
        assert crm.names("--search", term) == ["Ada Lovelace"], term
    assert sorted(crm.names("--search", "lodz")) == ["Ada Lovelace", "Grace Hopper"]
    assert sorted(crm.names("--search", "Łódź")) == ["Ada Lovelace", "Grace Hopper"]
    assert crm.names("--search", "þorvald") == ["Grace Hopper"]


def test_every_letter_search_folds_is_found_so_in_a_message(tmp_path) -> None:
    """The class, letter by letter: a message holding any letter the contacts' documents write in ASCII
    (normalize.search_fold: the Latin letters with diacritics, those of their own, ligatures), as a capital
    or not, is found by the term written as the documents write it, and by the letter itself. (The marks of
    Greek and Cyrillic letters, which the documents drop, message text keeps [contact-search].)"""
    from pcrm.domain import normalize
    from pcrm.store.search import message_query

    conn = connect(tmp_path / "pcrm.db")
    conn.execute(
        "INSERT INTO contacts(uuid, full_name, created_at, updated_at) VALUES ('c1', 'Ann', '2026-01-01', "
        "'2026-01-01')"
    )
    letters = sorted(
        {
            chr(cp)
            for cp, plain in normalize._LATIN_PLAIN.items()
            if plain.isascii() and plain and chr(cp).isalpha()
        }
        | {c for c in normalize.MESSAGE_LETTERS if len(c) == 1}
        | {chr(cp) for cp in range(0xFB00, 0xFB07)}
    )
    texts = {ch: f"qq{ch}zz{ch.upper()}vv" for ch in letters}
    for text in texts.values():
        conn.execute(
            "INSERT INTO interactions(uuid, contact_id, platform, direction, content_preview, occurred_at, "
            "created_at) VALUES (lower(hex(randomblob(16))), 1, 'manual', 'outbound', ?, ?, ?)",
            (text, "2026-01-01", "2026-01-01"),
        )
    sql = (
        "SELECT content_preview FROM interactions "
        "WHERE id IN (SELECT rowid FROM interactions_fts WHERE interactions_fts MATCH ?)"
    )
    found = {
        (ch, typed): text in [r[0] for r in conn.execute(sql, (message_query(typed),))]
        for ch, text in texts.items()
        for typed in (normalize.search_fold(text), normalize.search_term(text))
    }
    conn.close()
    assert [key for key, hit in found.items() if not hit] == []


@pytest.mark.parametrize("cap", [1000, 1], ids=["ranked", "tier by tier"])
def test_words_split_between_the_fields_and_the_notes_find_the_contact_last(crm, monkeypatch, cap) -> None:
    """A term of several words finds a contact when each word is in its own fields or in one of its
    messages, not all in one place: a word in a note and one in the name, or words in two notes
    [search-words].
    Such a contact ranks after those the fields or one message match, whatever the sort; a word of one or two
    letters must be in the fields; words in two people's notes are no match."""
    from pcrm.store import contact_query

    monkeypatch.setattr(contact_query, "COUNT_CAP", cap)
    ada = crm.add("Ada Lovelace", "--company", "Analytical Engines")["id"]
    crm.cli.json("note", "add", ada, "moving to Lyon in May")
    crm.cli.json("note", "add", ada, "dinner at the Savoy")
    crm.add("Ada Lyon")
    crm.cli.json("note", "add", crm.add("Grace Hopper")["id"], "Ada and I, Lyon next week")
    crm.cli.json("note", "add", crm.add("Mary Somerville")["id"], "lunch in Lyon")

    for sort in ("score", "created"):
        assert crm.names("--search", "lyon ada", "--sort", sort) == [
            "Ada Lyon",
            "Grace Hopper",
            "Ada Lovelace",
        ]
    assert crm.names("--search", "Lovelace, moving") == ["Ada Lovelace"]
    assert crm.names("--search", "lyon analytical") == ["Ada Lovelace"]  # a note and the company
    assert crm.names("--search", "savoy lyon") == ["Ada Lovelace"]  # two notes
    assert crm.names("--search", "savoy lyon lovelace") == ["Ada Lovelace"]  # two notes and the name
    assert crm.names("--search", "lyon lo") == ["Ada Lovelace"]  # a short word: the start of a word of hers
    assert crm.names("--search", "savoy lunch") == []  # one word in each of two people's notes
    assert crm.names("--search", "lyon xyzzy") == []
    assert crm.names("--search", "may mo") == []  # "mo" starts a word of a note only, and "may mo" is in none


def test_a_word_in_very_many_messages_is_looked_for_apart_only_in_the_fields(crm, monkeypatch) -> None:
    """The bound of the split look-up [search-words]: a word more than SPLIT_MESSAGES messages hold is not
    looked for in a contact's messages apart from the other words (one message holding them all still
    matches)."""
    from pcrm.store import search

    monkeypatch.setattr(search, "SPLIT_MESSAGES", 1)
    ada = crm.add("Ada Lovelace")["id"]
    crm.cli.json("note", "add", ada, "moving to Lyon in May")
    crm.cli.json("note", "add", crm.add("Grace Hopper")["id"], "a week in Lyon")
    crm.cli.json("note", "add", crm.add("Mary Somerville")["id"], "Mary goes to Lyon too")
    assert crm.names("--search", "lyon ada") == []
    assert crm.names("--search", "mary lyon") == ["Mary Somerville"]
    assert crm.names("--search", "may ada") == ["Ada Lovelace"]  # "may": one message holds it


def test_the_api_search_finds_a_note_by_its_letters_and_by_words_split_from_the_name(api) -> None:
    """`GET /contacts?search=` answers as the CLI does: a note's "Łódź" and "Søren" by "lodz soren", and a
    word of a note with one of the name, after the contacts the fields alone match."""
    ada = api.get("/api/v1/contacts", params={"search": "Ada Lovelace"}).json()["data"][0]
    note = {"content_preview": "A week in Łódź with Søren, then Straße des 17. Juni"}
    assert api.post(f"/api/v1/contacts/{ada['id']}/interactions", json=note).status_code == 201

    def names(term: str) -> list[str]:
        return [c["full_name"] for c in api.get("/api/v1/contacts", params={"search": term}).json()["data"]]

    assert names("lodz soren") == ["Ada Lovelace"]
    assert names("strasse") == ["Ada Lovelace"]
    assert names("lodz lovelace") == ["Ada Lovelace"]
    assert names("lodz ada") == ["Ada Lovelace"]  # the demo's other Adas have no such note
