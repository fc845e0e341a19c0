"""Short search terms (1-2 characters) scan instead of using the trigram index: the scan's lower()
shortcut for ASCII text must find exactly what Python's fold would."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pcrm.domain.normalize import fold
from pcrm.store.db import connect
from pcrm.store.search import matching_ids_sql, term_key

# Characters whose folding is not lower(): ß -> ss, the Kelvin sign -> k, the fi ligature -> fi,
# İ -> i̇, NBSP and \x1c are whitespace to str.split(), a combining accent.
ALPHABET = "abcsSKkiIfß\u212a\ufb01\u0130 \t\x1c\u00a0\u0301é.@1"


@settings(max_examples=300, deadline=None)
@given(text=st.text(ALPHABET, max_size=12), raw_term=st.text(ALPHABET, min_size=1, max_size=2))
def test_short_scan_matches_python_fold(tmp_path_factory, text: str, raw_term: str) -> None:
    term = term_key(raw_term)
    if not term or len(term) >= 3:
        return
    conn = _conn(tmp_path_factory.getbasetemp() / "short.db")
    sql, params = matching_ids_sql(term)
    interactions_part = sql.split(" UNION ")[1]
    conn.execute("DELETE FROM t")
    conn.execute("INSERT INTO t(contact_id, content_preview) VALUES (1, ?)", (text,))
    found = bool(
        conn.execute(interactions_part.replace("FROM interactions", "FROM t"), (params[1],)).fetchall()
    )
    assert found == (term in fold(text)), (text, term)


_CONNS: dict[Path, object] = {}


def _conn(path: Path):  # one store for all examples: connecting and migrating per example is slow
    if path not in _CONNS:
        conn = connect(path)
        conn.execute("CREATE TABLE t (contact_id INTEGER, content_preview TEXT)")
        _CONNS[path] = conn
    return _CONNS[path]


def _people_with_a_message(cli, *people: tuple[str, str]):
    """Each (name, message) as a contact with one inbound message; returns names(term) -> sorted matches."""
    for name, message in people:
        cid = cli.json("contacts", "add", "--name", name)["data"]["id"]
        cli(
            "log",
            cid,
            message,
            "--platform",
            "email",
            "--direction",
            "inbound",
            "--at",
            "2026-01-02T10:00:00Z",
        )

    def names(term: str) -> list[str]:
        return sorted(c["full_name"] for c in cli.json("contacts", "list", "--search", term)["data"])

    return names


def test_short_terms_through_the_cli(cli) -> None:
    names = _people_with_a_message(
        cli, ("Ada Lovelace", "Grüße aus Straßburg"), ("Jürgen Weiß", "MOTH in the relay")
    )

    assert names("ss") == ["Ada Lovelace", "Jürgen Weiß"]  # Straßburg (a message), Weiß (a name)
    assert names("mo") == ["Jürgen Weiß"]  # an ASCII message, any case
    assert names("JÜ") == ["Jürgen Weiß"]
    assert names("zz") == []


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.none(), st.text(ALPHABET + "ABC xyz", max_size=16), st.text(max_size=16)))
def test_stored_documents_fold_like_python(tmp_path_factory, text: str | None) -> None:
    """flush_dirty's SQL shortcut for folding documents gives exactly pcrm_fold's result."""
    from pcrm.store.search import _fold_sql

    conn = _conn(tmp_path_factory.getbasetemp() / "short.db")
    got = conn.execute(f"SELECT {_fold_sql('x')} FROM (SELECT ? AS x)", (text,)).fetchone()[0]
    assert got == (None if text is None else fold(text)), repr(text)


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
