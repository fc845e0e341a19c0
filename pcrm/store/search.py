"""Search (D12): FTS5 trigram for terms of 3+ characters, a casefolded scan for shorter ones."""

from __future__ import annotations

import apsw

from pcrm.domain.normalize import fold


def flush_dirty(conn: apsw.Connection) -> None:
    """Rebuild the search documents of contacts the triggers marked dirty in this transaction.

    Documents are stored casefolded (pcrm_fold: Unicode casefold + NFKC), exactly like the search
    term, so "Straße" is found by "strasse" and "STRASSE" alike; the trigram tokenizer alone only
    lowercases character by character."""
    if conn.execute("SELECT 1 FROM search_dirty LIMIT 1").fetchone() is None:
        return
    conn.execute(
        """
        DELETE FROM contacts_fts WHERE rowid IN (SELECT contact_id FROM search_dirty);
        INSERT INTO contacts_fts(rowid, names, org, handles, other)
            SELECT d.id, pcrm_fold(d.names), pcrm_fold(d.org), pcrm_fold(d.handles), pcrm_fold(d.other)
            FROM contact_search_doc d
            WHERE d.id IN (SELECT contact_id FROM search_dirty);
        DELETE FROM search_dirty;
        """
    )


def rebuild_all(conn: apsw.Connection) -> None:
    conn.execute("DELETE FROM contacts_fts; INSERT INTO search_dirty SELECT id FROM contacts")
    flush_dirty(conn)
    conn.execute("INSERT INTO interactions_fts(interactions_fts) VALUES ('rebuild')")


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def term_key(term: str) -> str:
    """The search term as the spec wants it: trimmed, one leading @ stripped, casefolded."""
    t = term.strip()
    if t.startswith("@"):
        t = t[1:]
    return fold(t)


def matching_ids_sql(term: str) -> tuple[str, tuple[object, ...]]:
    """SQL (a subquery yielding contact ids) and its parameters for a casefolded term.

    The trigram index answers terms of 3+ characters (it folds case itself); shorter terms scan the
    search documents with Python's casefold. Both cover contact fields and interaction text.
    """
    if len(term) >= 3:
        phrase = _fts_phrase(term)
        return (
            "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ? "
            "UNION SELECT i.contact_id FROM interactions_fts f JOIN interactions i ON i.id = f.rowid "
            "WHERE interactions_fts MATCH ?",
            (phrase, phrase),
        )
    # A short term has no whitespace (it is folded and stripped), so it cannot span two columns and
    # needs no whitespace collapsing: the contacts' stored documents, already folded, are searched as
    # they are; an all-ASCII message folds to lower() exactly, so Python's fold runs only on the others.
    # (One scan of 100k contacts / 1M messages: ~0.4 s CPU instead of ~1.2 s with a Python call per row.)
    return (
        "SELECT rowid FROM contacts_fts WHERE instr(concat_ws(' ', names, org, handles, other), ?) > 0 "
        "UNION SELECT contact_id FROM interactions WHERE instr(CASE WHEN octet_length(content_preview) > "
        "length(content_preview) THEN pcrm_fold(content_preview) ELSE lower(content_preview) END, ?) > 0",
        (term, term),
    )
