"""Search [contact-search]: FTS5 trigram for terms of 3+ characters, a casefolded scan for shorter ones."""

from __future__ import annotations

import re
from dataclasses import dataclass

import apsw

from pcrm.domain.normalize import (
    INDEXED_TERM_MIN,
    INVISIBLE_RANGES,
    NO_JOINERS,
    ampersand_forms,
    has_inner_joiner,
    has_other_spellings,
    is_phone_term,
    message_letters,
    phone_search_forms,
    search_fold,
    search_term,
    search_words,
    umlaut_spelling,
    umlaut_text_spellings,
    word_forms,
)
from pcrm.store import rows
from pcrm.store.rows import integer


def flush_dirty(conn: apsw.Connection) -> None:
    """Rebuild the search documents of contacts the triggers marked dirty in this transaction.

    Documents are stored casefolded, Latin letters without diacritics (pcrm_search_fold: NFKC, casefold,
    then normalize.search_fold's table), exactly like the search term, so "Straße" is found by "strasse"
    and "STRASSE" alike and "Zoë" by "zoe"; the trigram tokenizer alone only lowercases character by
    character."""
    if conn.execute("SELECT 1 FROM search_dirty LIMIT 1").fetchone() is None:
        return
    words = _has_words(conn)
    # a contact created in this transaction has no document to delete yet: dirty ids above every indexed
    # row id are not looked for (into a fresh store, nothing is)
    top = _top(conn, "contacts_fts")
    top_words = _top(conn, "contacts_fts_words") if words else None
    if words:
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS search_flush(id INTEGER PRIMARY KEY, names, org, handles, other)"
        )
    lo = -(1 << 63)
    while True:
        # a chunk of the dirty contacts at a time [streamed-imports]: the documents of a 200k-contact
        # import are never materialised at once (temp tables live in memory)
        row = conn.execute(
            "SELECT max(contact_id) FROM (SELECT contact_id FROM search_dirty WHERE contact_id > ? "
            "ORDER BY contact_id LIMIT ?)",
            (lo, FLUSH_CHUNK),
        ).fetchone()
        hi = row[0] if row else None
        if hi is None:
            break
        _delete_chunk(conn, "contacts_fts", lo, min(hi, top))
        docs = f"""
            WITH d AS MATERIALIZED (
                SELECT id, names, org, handles, other FROM contact_search_doc WHERE id IN ({_CHUNK}))
            SELECT id, {_fold_sql("names", joined=True)}, {_fold_sql("org", joined=True)},
                   {_fold_sql("handles")}, {_fold_sql("other")}
            FROM d
            """
        if top_words is None:  # migrations before m010 flush without the word index
            conn.execute(
                f"INSERT INTO contacts_fts(rowid, names, org, handles, other) {docs}", {"lo": lo, "hi": hi}
            )
        else:
            # the word-prefix index of short terms (m010) takes the same documents: built once into a temp
            # table and written to both indexes from there (reading them back out of contacts_fts costs
            # FTS5 a look-up per document); m010 fills it from contacts_fts
            _delete_chunk(conn, "contacts_fts_words", lo, min(hi, top_words))
            conn.execute(
                f"INSERT INTO temp.search_flush(id, names, org, handles, other) {docs}", {"lo": lo, "hi": hi}
            )
            for index in ("contacts_fts", "contacts_fts_words"):
                conn.execute(
                    f"INSERT INTO {index}(rowid, names, org, handles, other) "
                    "SELECT id, names, org, handles, other FROM temp.search_flush"
                )
            conn.execute("DELETE FROM temp.search_flush")
        lo = hi
    conn.execute("DELETE FROM search_dirty")


FLUSH_CHUNK = 5000  # dirty contacts indexed per statement
_CHUNK = "SELECT contact_id FROM search_dirty WHERE contact_id > :lo AND contact_id <= :hi"


def _delete_chunk(conn: apsw.Connection, table: str, lo: int, hi: int) -> None:
    """Delete the documents of the dirty contacts with ids in (lo, hi] from one of the search indexes."""
    if hi > lo:
        conn.execute(f"DELETE FROM {table} WHERE rowid IN ({_CHUNK})", {"lo": lo, "hi": hi})


def _top(conn: apsw.Connection, table: str) -> int:
    """The highest row id an FTS5 table holds (FTS5 reads it from the end of its rowid order)."""
    row = conn.execute(f"SELECT rowid FROM {table} ORDER BY rowid DESC LIMIT 1").fetchone()
    return int(row[0]) if row else -(1 << 63)


def _has_words(conn: apsw.Connection) -> bool:
    return (
        conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'contacts_fts_words'").fetchone() is not None
    )


def _fold_sql(x: str, *, joined: bool = False) -> str:
    """pcrm_search_fold(x), skipping the Python call where lower() gives the same text: printable ASCII
    with no leading, trailing or doubled space (NFKC and casefold are then lower(), and split/join change
    nothing). octet_length != length catches non-ASCII and embedded NULs (length stops at a NUL);
    json_quote escapes every other control character (and a quote or a backslash: those few take the
    Python call too), and DEL is looked for on its own. Saves ~0.4 s of Python calls per 100k documents in
    a bulk load; each test is one pass of C over the text (a GLOB with a character set costs several).

    joined: pcrm_search_doc(x) instead, which also writes the words joined by punctuation without it
    [search-words]; ASCII text without any of its joiners (- ' . ` _) is still lower(x)."""
    fn, joiners = (
        ("pcrm_search_doc", "".join(f" OR instr({x}, '{j}') > 0" for j in _ASCII_JOINER_CHARS))
        if joined
        else ("pcrm_search_fold", "")
    )
    return (
        f"CASE WHEN octet_length({x}) != length({x}) OR length(json_quote({x})) != length({x}) + 2 "
        f"OR instr({x}, char(127)) > 0 OR substr({x}, 1, 1) = ' ' OR substr({x}, -1) = ' ' "
        f"OR instr({x}, '  ') > 0{joiners} THEN {fn}({x}) ELSE lower({x}) END"
    )


# the ASCII joiners of normalize.JOINERS, each as an SQL string's text (the quote doubled)
_ASCII_JOINER_CHARS = ("-", "''", ".", "`", "_")
# the ASCII joiners of normalize.JOINERS as a GLOB (a '-' first in a set is itself; the quote doubled in SQL)
_ASCII_JOINERS = "*[-''.`_]*"


def rebuild_all(conn: apsw.Connection) -> None:
    # a DELETE leaves an FTS5 index's segments (the deleted words) in place behind tombstones: 'rebuild' of
    # the now empty table and 'delete-all' of the contentless one leave nothing of them [local-account]
    conn.execute(
        "DELETE FROM contacts_fts; INSERT INTO contacts_fts(contacts_fts) VALUES ('rebuild'); "
        "INSERT INTO contacts_fts_words(contacts_fts_words) VALUES ('delete-all'); "
        "INSERT OR IGNORE INTO search_dirty SELECT id FROM contacts"
    )
    flush_dirty(conn)
    conn.execute("INSERT INTO interactions_fts(interactions_fts) VALUES ('rebuild')")


def fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def doc_query(term: str) -> str:
    """The FTS5 query of a 3+ character term over the contacts' documents: the term, or, when it is written
    like a phone number, any of the forms such a number may be stored in (normalize.phone_search_forms)."""
    plain = search_fold(term)
    return " OR ".join(fts_phrase(v) for v in [plain, *phone_search_forms(term)])


def column_query(term: str, column: str) -> str:
    """The FTS5 query of a 3+ character term over one column of the contacts' documents."""
    return f"{column} : {fts_phrase(search_fold(term))}"


def term_key(term: str) -> str:
    """The search term as the spec wants it (see domain.normalize.search_term)."""
    return search_term(term)


# Scripts written without spaces between words [contact-search]: Han, Hiragana, Katakana (and their
# half-width forms), Hangul (names are written as one block), Thai, Lao, Myanmar and Khmer. The unicode61
# tokenizer makes a whole run of them one "word", so a word prefix would miss "小龍" in "李小龍".
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u19e0-\u19ff\u3040-\u30ff\u3130-\u318f"
    "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\ua9e0-\ua9ff\uaa60-\uaa7f\uac00-\ud7ff"
    "\uf900-\ufaff\uff66-\uffdc\U00020000-\U0003134f]"
)


def is_word_prefix(term: str) -> bool:
    """Whether a short term is answered by the word-prefix index (contacts_fts_words): letters and digits
    only, which the unicode61 tokenizer keeps inside one word, and none of a script written without spaces
    (there a "word" is a whole name or sentence: such a term is a substring, like "%")."""
    return 0 < len(term) < INDEXED_TERM_MIN and term.isalnum() and not _UNSPACED.search(term)


def prefix_query(term: str, column: str | None = None) -> str:
    """An FTS5 prefix query on contacts_fts_words: words starting with the (letters-and-digits) term."""
    return (f"{column} : " if column else "") + f'"{search_fold(term)}"*'


# The contacts whose interactions' text matches `?` (a message_query): through the narrow (id, contact_id)
# index (m006), not the message rows, ~3x faster on 50k hits. One row per matching message.
MESSAGE_CONTACTS_SQL = (
    "SELECT i.contact_id FROM interactions_fts f "
    "JOIN interactions i INDEXED BY interactions_contact_of ON i.id = f.rowid WHERE interactions_fts MATCH ?"
)


def message_query(term: str) -> str:
    """The FTS5 query of a 3+ character term over message text: a term of several words, each of 3+
    characters, matches a message holding every word, in any order ("dinner zurich" finds "Dinner at Café
    Zoë in Zürich"); any other term matches as typed (a word of one or two letters is mostly the start of the
    next one, and the trigram index cannot look it up alone) [search-words]. The index folds the accents of
    Latin letters away, term and text alike (m042_message_accents), and the text's letters of their own are
    indexed as the documents write them (m043_message_letters: "Straße" as "strasse", "Łódź" as "lodz"), as
    the term is (normalize.message_letters). A term with a zero-width joiner or non-joiner
    (spelling in Persian: "می‌خواهم") is looked for with and without it; a word with ä, ö, ü also with ae,
    oe, ue, and one with ae, oe, ue also with ä, ö, ü ("mueller" finds "Herr Müller", "müller" "Herr
    Mueller"; normalize.umlaut_text_spellings) [search-spellings]."""
    words = term.split()
    if len(words) > 1 and all(len(w) >= INDEXED_TERM_MIN for w in words):
        return " AND ".join(f"({_message_forms(w)})" for w in words)
    return _message_forms(term)


def _message_forms(term: str) -> str:
    """The FTS5 query of one term as typed over message text: any of the spellings it may be written in, each
    with its letters of their own written as the index holds them (normalize.message_letters)."""
    forms = [term]
    bare = term.translate(NO_JOINERS)
    if bare != term and bare.strip():
        forms.append(bare)
    forms += umlaut_text_spellings(term)
    return " OR ".join(fts_phrase(v) for v in dict.fromkeys(message_letters(f) for f in forms))


def matching_ids_sql(term: str) -> tuple[str, tuple[object, ...]]:
    """SQL (a subquery yielding contact ids, one `?` per parameter) and its parameters for a casefolded
    term [contact-search].

    3+ characters: the trigram indexes, substrings of the contact's fields and of its interactions' text.
    1-2 letters or digits: contacts with a word in their fields that starts with the term, from the prefix
    indexes of contacts_fts_words (the first keystrokes of search-as-you-type; messages are left out:
    nearly every message holds any two letters). Other 1-2 character terms ("%", "_", "+"): a substring
    of the contact's stored (folded) documents, a scan of the contacts only.
    """
    words = term_words(term)
    if words is not None:
        sql, values = words.docs_sql()
        if len(term) >= INDEXED_TERM_MIN:
            sql, values = f"{sql} UNION {MESSAGE_CONTACTS_SQL}", (*values, message_query(term))
        split = words.split_sql()
        if split is not None:
            sql, values = f"{sql} UNION {split[0]}", (*values, *split[1])
        return sql, values
    if len(term) >= INDEXED_TERM_MIN:
        return (
            f"SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ? UNION {MESSAGE_CONTACTS_SQL}",
            (doc_query(term), message_query(term)),
        )
    if is_word_prefix(term):
        return (
            "SELECT rowid FROM contacts_fts_words WHERE contacts_fts_words MATCH ?",
            (prefix_query(term),),
        )
    # A short term has no whitespace (it is folded and stripped), so it cannot span two columns: the
    # stored documents, already folded, are searched as they are.
    return (
        "SELECT rowid FROM contacts_fts WHERE instr(concat_ws(' ', names, org, handles, other), ?) > 0",
        (search_fold(term),),
    )


# A word of a term of several words held by more messages than this is not looked for in a contact's
# messages apart from the other words (Words.split_sql): the look-up maps each message to its contact, 20-100
# ms for a word in 40k-400k messages of 1M
SPLIT_MESSAGES = 1000


# The columns for each relevance tier after the first of a term searched word by word [search-words]: a
# contact is in tier k when each of its words (of 3+ characters, or, when it has none, all of them) is in
# one of these columns (tier 2: the names; 3: names, company, title or a tag; 4: those or a handle). For one
# word, the first column it is found in, as for a term searched whole.
TIER_COLUMNS = {2: ("names",), 3: ("names", "org"), 4: ("names", "org", "handles")}
_ALL_COLUMNS = ("names", "org", "handles", "other")


@dataclass(frozen=True)
class Words:
    """A term of several words, or one word with punctuation inside it, searched word by word
    [search-words]: every word must be found in the contact's documents, in any order and any column.

    A word of 3+ characters is a substring (the trigram index), written as typed, without its joiners, or
    with a space for them: "jean-luc" finds "Jean-Luc", "JeanLuc" and "Jean Luc". A shorter word of
    letters or digits starts a word (the word-prefix index), any other short word is a substring of the
    stored documents. With a short word, the whole term as typed is also looked for (as a term searched
    whole): "na jo" still finds "Diana Jones"."""

    term: str
    long: tuple[tuple[str, ...], ...]  # per long word: the forms it may be written in
    prefixes: tuple[str, ...]  # short words of letters and digits
    others: tuple[str, ...]  # other short words
    messages: tuple[str, ...] = ()  # per long word: its FTS5 query over message text (message_query's)

    def split_sql(self) -> tuple[str, tuple[object, ...]] | None:
        """A subquery of the ids of the contacts holding every word, each in their own fields or in one of
        their messages, at least one in a message of its own (words split between a note and the fields,
        or over two notes: "lyon ada" finds Ada whose note says "moving to Lyon") [search-words]; None for
        a term of one word. A word of 1-2 characters must be in the contact's fields (it is not looked up
        in messages), and a word of 3+ is looked for in messages apart only when SPLIT_MESSAGES messages or
        fewer hold it: the contacts come from those messages (each mapped to its contact, ~0.3 us a
        message), and each word not in a contact's messages is looked up in its document by row id. A word
        in more messages is found there only with the other words in one message (message_query), as
        before; the check that tells costs one look-up of the word in the messages' index, stopped at
        SPLIT_MESSAGES + 1 rows (~10 us when no message holds it)."""
        if not self.messages or len(self.long) + len(self.prefixes) + len(self.others) < 2:
            return None
        branches: list[str] = []
        values: list[object] = []
        for k, query in enumerate(self.messages):
            # the count decides the branch's LIMIT, all of it or none, which SQLite reads before the look-up
            # (as a condition beside the MATCH it is tested on each message the look-up yields)
            branches.append(
                f"SELECT * FROM (SELECT i.contact_id AS id, {k} AS word FROM interactions_fts f "
                "JOIN interactions i INDEXED BY interactions_contact_of ON i.id = f.rowid "
                "WHERE interactions_fts MATCH ? LIMIT (CASE WHEN (SELECT count(*) FROM (SELECT 1 FROM "
                f"interactions_fts WHERE interactions_fts MATCH ? LIMIT {SPLIT_MESSAGES + 1})) "
                f"BETWEEN 1 AND {SPLIT_MESSAGES} THEN -1 ELSE 0 END))"
            )
            values += [query, query]
        held: list[str] = []
        for k, forms in enumerate(self.long):
            held.append(
                f"(max(m.word = {k}) OR EXISTS (SELECT 1 FROM contacts_fts "
                "WHERE contacts_fts MATCH ? AND rowid = m.id))"
            )
            values.append(" OR ".join(fts_phrase(f) for f in forms))
        for w in self.prefixes:
            held.append(
                "EXISTS (SELECT 1 FROM contacts_fts_words WHERE contacts_fts_words MATCH ? AND rowid = m.id)"
            )
            values.append(f'"{w}"*')
        for w in self.others:
            text = _concat(_ALL_COLUMNS)
            held.append(f"EXISTS (SELECT 1 FROM contacts_fts WHERE rowid = m.id AND instr({text}, ?) > 0)")
            values.append(w)
        sql = f"SELECT m.id FROM ({' UNION ALL '.join(branches)}) m GROUP BY m.id HAVING {' AND '.join(held)}"
        return sql, tuple(values)

    def match_sql(self, columns: tuple[str, ...] | None = None) -> tuple[str, tuple[object, ...]]:
        """A subquery of the ids of the contacts whose documents hold every word within `columns` (None:
        any column), one `?` a value. The index look-ups of the long and short words are intersected."""
        parts: list[str] = []
        values: list[object] = []
        if self.long:
            parts.append("SELECT rowid AS id FROM contacts_fts WHERE contacts_fts MATCH ?")
            values.append(self.long_query(columns))
        if self.prefixes:
            parts.append("SELECT rowid AS id FROM contacts_fts_words WHERE contacts_fts_words MATCH ?")
            values.append(" AND ".join(_column_filter(columns) + f'"{w}"*' for w in self.prefixes))
        sql = " INTERSECT ".join(parts)
        if self.others:
            text = _concat(columns or _ALL_COLUMNS)
            conds = [f"rowid IN ({sql})"] if parts else []
            conds += [f"instr({text}, ?) > 0" for _ in self.others]
            values += self.others
            sql = f"SELECT rowid AS id FROM contacts_fts WHERE {' AND '.join(conds)}"
        return sql, tuple(values)

    def long_query(self, columns: tuple[str, ...] | None = None) -> str:
        """The FTS5 query (trigram index) of the long words within `columns`."""
        return " AND ".join(
            _column_filter(columns) + "(" + " OR ".join(fts_phrase(f) for f in forms) + ")"
            for forms in self.long
        )

    def docs_sql(self) -> tuple[str, tuple[object, ...]]:
        """A subquery of the ids of the contacts whose documents match: every word, or, with a short word,
        the whole term as typed."""
        sql, values = self.match_sql()
        if (self.prefixes or self.others) and len(self.term) >= INDEXED_TERM_MIN:
            whole = "SELECT rowid AS id FROM contacts_fts WHERE contacts_fts MATCH ?"
            return f"{sql} UNION {whole}", (*values, fts_phrase(search_fold(self.term)))
        return sql, values

    def tier_sql(self, k: int) -> tuple[str, tuple[object, ...]]:
        """A subquery of the ids of the contacts in tier k or better among those the documents match
        (TIER_COLUMNS): decided by the long words alone when there are any (a word of one or two letters
        is mostly the start of the next one being typed), else by every word. With long and short words
        it also holds contacts that do not match (see tier_in_docs)."""
        columns = TIER_COLUMNS[k]
        if self.long:
            return (
                "SELECT rowid AS id FROM contacts_fts WHERE contacts_fts MATCH ?",
                (self.long_query(columns),),
            )
        return self.match_sql(columns)

    def stored_tier_sql(self) -> tuple[str, tuple[object, ...]]:
        """With long words: the tier (2-5) of a matching contact read from its stored document `d` (a row of
        contacts_fts), what tier_sql's column-filtered look-ups answer: a form is in those columns when it
        is a substring of one of them (a unit separator between them, which no term holds, so a form
        never spans two), the documents being folded as the forms are [search-segments]."""
        texts = {
            k: _concat(tuple(f"d.{c}" for c in cols), sep="char(31)") for k, cols in TIER_COLUMNS.items()
        }
        cases: list[str] = []
        values: list[object] = []
        for forms in self.long:
            whens = []
            for k, text in texts.items():
                whens.append(f"WHEN {' OR '.join(f'instr({text}, ?) > 0' for _ in forms)} THEN {k}")
                values += forms
            cases.append(f"CASE {' '.join(whens)} ELSE 5 END")
        return (cases[0] if len(cases) == 1 else f"max({', '.join(cases)})"), tuple(values)

    def bound_sql(self) -> tuple[str, tuple[object, ...]] | None:
        """With long and short words: a subquery of the contacts the long words match, which holds every
        match (the whole term as typed holds the long words too); None otherwise."""
        if self.tier_in_docs:
            return None
        return "SELECT rowid AS id FROM contacts_fts WHERE contacts_fts MATCH ?", (self.long_query(),)

    @property
    def tier_in_docs(self) -> bool:
        """Whether every contact tier_sql holds is also a match (else it must be checked against them)."""
        return not (self.long and (self.prefixes or self.others))


def _column_filter(columns: tuple[str, ...] | None) -> str:
    return "{" + " ".join(columns) + "} : " if columns else ""


def _concat(columns: tuple[str, ...], sep: str = "' '") -> str:
    return columns[0] if len(columns) == 1 else f"concat_ws({sep}, {', '.join(columns)})"


def term_words(term: str) -> Words | None:
    """The term searched word by word (Words), or None when it is searched whole: one word with no joiner
    between its letters, or a term written like a phone number (normalize.phone_search_forms)
    [search-words]. A phone number among other words is one word, found in the forms a term of it alone
    is ("ada +44 20 7946 0958", "lovelace 020 7946"). A word of 3+ characters is also looked for in its
    other spellings [search-spellings]: with ae, oe, ue for ä, ö, ü ("müller" finds "Mueller"), and, with an
    "&" between letters or digits, without it and with spaces around it ("procter&gamble" finds "Procter &
    Gamble", whose document holds "proctergamble"); such a word alone is searched as a Words too."""
    if not term or (
        " " not in term
        and "," not in term
        and ";" not in term
        and not has_inner_joiner(term)
        and not (len(term) >= INDEXED_TERM_MIN and has_other_spellings(term))
    ):
        return None  # the common case, decided without splitting
    if phone_search_forms(term):
        return None
    words = search_words(search_fold(term))
    # each word as written with ae, oe, ue for ä, ö, ü [search-spellings]: the same words, letters apart
    spelled = umlaut_spelling(term)
    others = search_words(spelled) if spelled is not None else words
    if len(others) != len(words):  # never so (only letters differ); then no other spelling
        others = words
    # each word as typed, for message text, which keeps what the documents' fold drops (the joiners of
    # Persian); the folded word when the fold changed how the term splits
    typed = search_words(term)
    if len(typed) != len(words):
        typed = words
    pairs: dict[tuple[str, str], str] = {}
    for w, other, as_typed in zip(words, others, typed, strict=True):
        pairs.setdefault((w, other), as_typed)
    if not pairs:
        return None  # punctuation alone: searched as typed
    long: list[tuple[str, ...]] = []
    messages: list[str] = []
    short: list[str] = []
    for (w, other), as_typed in pairs.items():
        if len(w) < INDEXED_TERM_MIN:
            short.append(word_forms(w)[0])
            continue
        messages.append(_message_forms(as_typed))
        forms: tuple[str, ...] = ()
        for v in dict.fromkeys((w, other, *ampersand_forms(w), *ampersand_forms(other))):
            v_joined, v_parts = word_forms(v)
            forms += (v, v_joined, " ".join(v_parts))
        if is_phone_term(w):
            # a number (search_words keeps a run of words written like one together, the only words with a
            # space) also matches as a term of it alone does: its digits, its national number
            forms = (*(forms if " " not in w else (w,)), *phone_search_forms(w))
        long.append(tuple(f for f in dict.fromkeys(forms) if len(f) >= INDEXED_TERM_MIN))
    short = list(dict.fromkeys(short))
    return Words(
        term,
        tuple(long),
        tuple(w for w in short if is_word_prefix(w)),
        tuple(w for w in short if not is_word_prefix(w)),
        tuple(messages),
    )


def refold_documents(conn: apsw.Connection) -> None:
    """Rebuild the search documents that hold non-ASCII text (the only ones a new fold can change)."""
    conn.execute(
        "INSERT OR IGNORE INTO search_dirty(contact_id) SELECT rowid FROM contacts_fts "
        "WHERE octet_length(concat_ws(' ', names, org, handles, other)) "
        "!= length(concat_ws(' ', names, org, handles, other))"
    )
    flush_dirty(conn)


def rejoin_documents(conn: apsw.Connection) -> None:
    """Rebuild the search documents m021_search_words changes [search-words]: those of contacts with a
    LinkedIn profile slug, and those whose names or organisation hold a word joined by punctuation (ASCII
    text without a joiner is left unread by Python)."""
    changed = " OR ".join(
        f"((octet_length({x}) != length({x}) OR {x} GLOB '{_ASCII_JOINERS}') AND pcrm_search_doc({x}) != {x})"
        for x in ("names", "org")
    )
    conn.execute(
        "INSERT OR IGNORE INTO search_dirty(contact_id) "
        "SELECT contact_id FROM contact_identities WHERE platform = 'linkedin' AND handle IS NULL "
        "AND external_id NOT GLOB 'ACo*' "
        f"UNION ALL SELECT rowid FROM contacts_fts WHERE {changed}"
    )
    _flush_and_merge(conn)


def tag_documents(conn: apsw.Connection) -> None:
    """Rebuild the search documents m026_search_tags changes [contact-search]: those of contacts with a tag
    (the only ones whose document gains anything), or every one (_rebuild_some)."""
    _rebuild_some(conn, "SELECT DISTINCT contact_id FROM contact_tags")


def fidelity_documents(conn: apsw.Connection) -> None:
    """Rebuild the search documents m030_search_fidelity changes [contact-search] [search-words]: those
    holding non-ASCII text (search_fold now also writes Vietnamese "ễ", "ǽ" and "’" plainly), and those of
    contacts with a company of several words or with an "&", or a tag of several words (now also written as
    one word); or every one (_rebuild_some)."""
    _rebuild_some(
        conn,
        "SELECT rowid FROM contacts_fts WHERE octet_length(concat_ws(' ', names, org, handles, other)) "
        "!= length(concat_ws(' ', names, org, handles, other)) "
        "UNION SELECT id FROM contacts WHERE instr(company, ' ') > 0 OR instr(company, '&') > 0 "
        "UNION SELECT contact_id FROM contact_tags WHERE instr(tag, ' ') > 0",
    )


def spelling_documents(conn: apsw.Connection) -> None:
    """Rebuild the search documents m031_search_spellings changes [search-spellings]: those holding an
    invisible format character (search_fold now drops them), and those of contacts whose names, company,
    title or tags hold an ä, ö or ü (their names and organisation now also hold the word written with ae,
    oe, ue); or every one (_rebuild_some). ASCII text is passed over without a pattern match. The indexes
    are merged into one segment whenever any was rebuilt: on a 20k store the 2% of documents rebuilt left a
    segment of them and their delete markers that made searches of two words 4-12% slower until merged
    (~0.25 s CPU on 20k contacts) [search-segments]."""
    umlaut = "*[äöüÄÖÜ\u0308]*"  # with a combining diaeresis too, which NFKC composes
    invisible = "*[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in INVISIBLE_RANGES) + "]*"

    def has(x: str, pattern: str) -> str:
        return f"(octet_length({x}) != length({x}) AND {x} GLOB {pattern})"

    names = "concat_ws(' ', full_name, given_name, family_name, company, title)"
    docs = "concat_ws(' ', names, org, handles, other)"
    _rebuild_some(
        conn,
        f"SELECT id FROM contacts WHERE {has(names, ':umlaut')} "
        f"UNION SELECT contact_id FROM contact_fields WHERE kind = 'nickname' AND {has('value', ':umlaut')} "
        f"UNION SELECT contact_id FROM contact_tags WHERE {has('tag', ':umlaut')} "
        f"UNION SELECT rowid FROM contacts_fts WHERE {has(docs, ':invisible')}",
        {"umlaut": umlaut, "invisible": invisible},
        merge_any=True,
    )


def script_documents(conn: apsw.Connection) -> None:
    """Rebuild the search documents m048_search_scripts changes [contact-search]: those holding a Greek or
    Cyrillic letter (search_fold now drops their marks, and the names and organisation also hold their words
    in Latin letters) or a combining mark NFKC leaves (search_fold now drops it); or every one
    (_rebuild_some). ASCII text is passed over without a pattern match; the indexes are merged into one
    segment whenever any was rebuilt, as m031's [search-segments]."""
    docs = "concat_ws(' ', names, org, handles, other)"
    _rebuild_some(
        conn,
        f"SELECT rowid FROM contacts_fts "
        f"WHERE octet_length({docs}) != length({docs}) AND {docs} GLOB :scripts",
        {"scripts": SCRIPTS_GLOB},
        merge_any=True,
    )


# the combining marks of U+0300-U+036F, Greek and Cyrillic (with the Cyrillic Supplement) and Greek
# Extended, as a GLOB: the text m048_search_scripts' fold and Latin spelling change
SCRIPTS_GLOB = "*[\u0300-\u052f\u1f00-\u1fff]*"


def _rebuild_some(
    conn: apsw.Connection, ids_sql: str, params: dict[str, str] | None = None, *, merge_any: bool = False
) -> None:
    """Rebuild the search documents of the contacts `ids_sql` selects (distinct ids; its named `params`), or
    every one, as rewrite_documents does, when they are at least REWRITE_SHARE of the contacts: replacing a
    document costs FTS5 a read and tokenizing of the old one besides writing the new, so from there writing
    them all anew costs less (100k contacts, 67% of them tagged: 6.1 s CPU one by one, ~4 s all anew).
    merge_any: see _flush_and_merge."""
    some = integer(conn, f"SELECT count(*) FROM ({ids_sql})", params or {})
    if some == 0:
        return
    if some >= REWRITE_SHARE * integer(conn, "SELECT count(*) FROM contacts"):
        rewrite_documents(conn)
        return
    conn.execute(f"INSERT OR IGNORE INTO search_dirty(contact_id) {ids_sql}", params or {})
    _flush_and_merge(conn, merge_any=merge_any)


REWRITE_SHARE = 0.4  # the share of contacts to rebuild from which a migration rewrites every document


def _flush_and_merge(conn: apsw.Connection, *, merge_any: bool = False) -> None:
    """flush_dirty, then, when a tenth of the contacts or more were rebuilt (merge_any: any), each index
    merged into one segment again."""
    rebuilt = integer(conn, "SELECT count(*) FROM search_dirty")
    total = integer(conn, "SELECT count(*) FROM contacts")
    flush_dirty(conn)
    if total > 0 and (rebuilt * 10 >= total or (merge_any and rebuilt > 0)):
        # as many delete markers as new entries, in new segments: merged into one, as m016 left them
        # [search-segments] (~1 s on 100k contacts; 40% of them rebuilt had left the index 45% larger)
        conn.execute(
            "INSERT INTO contacts_fts(contacts_fts) VALUES ('optimize'); "
            "INSERT INTO contacts_fts_words(contacts_fts_words) VALUES ('optimize')"
        )


def rewrite_documents(conn: apsw.Connection) -> None:
    """Rebuild every contact's search documents (a change to what each one holds, m024_search_joined), each
    index in one segment as m016 left them [search-segments]. The trigram index is created anew as it was
    defined (deleting its rows would read and tokenize every old document first: 1.7 s more on 100k
    contacts); the word index, contentless, empties at once."""
    table = rows.text(conn, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'contacts_fts'")
    conn.execute(
        f"DROP TABLE contacts_fts; {table}; "
        "INSERT INTO contacts_fts_words(contacts_fts_words) VALUES ('delete-all'); "
        "INSERT OR IGNORE INTO search_dirty SELECT id FROM contacts"
    )
    flush_dirty(conn)
    conn.execute(
        "INSERT INTO contacts_fts(contacts_fts) VALUES ('optimize'); "
        "INSERT INTO contacts_fts_words(contacts_fts_words) VALUES ('optimize')"
    )
