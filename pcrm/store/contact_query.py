"""SQL for the contact list [contact-list]: filters, relevance tiers and sorts, stable on ties."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import apsw

from pcrm.domain.normalize import INDEXED_TERM_MIN, search_fold, umlaut_spelling
from pcrm.domain.query import ContactFilter
from pcrm.store import memo
from pcrm.store.rows import integer
from pcrm.store.search import (
    MESSAGE_CONTACTS_SQL,
    TIER_COLUMNS,
    Words,
    column_query,
    doc_query,
    is_word_prefix,
    matching_ids_sql,
    message_query,
    prefix_query,
    term_words,
)

_ORDER = {
    "score": "c.relationship_score DESC, c.created_at DESC",
    "created": "c.created_at DESC",
    "interaction": "c.last_interaction_at IS NULL, c.last_interaction_at DESC",
    "activity": "c.interaction_count DESC",
    "company": "c.company IS NULL, c.company COLLATE NOCASE ASC",
    "birthday": "c.birthday IS NULL, (substr(c.birthday, -5) < :today_md), substr(c.birthday, -5)",
    "overdue": "c.last_interaction_at IS NOT NULL, c.last_interaction_at ASC, c.relationship_score ASC",
    "priority": "CASE c.priority_level WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END, "
    "c.relationship_score DESC",
}

_GHOSTED = """c.id IN (
    SELECT contact_id FROM (
        SELECT contact_id, direction,
               row_number() OVER (PARTITION BY contact_id ORDER BY occurred_at DESC, id DESC) AS rn
        FROM interactions WHERE direction IN ('inbound', 'outbound') AND occurred_at <= :now)
    WHERE rn <= 3 GROUP BY contact_id
    HAVING count(*) = 3 AND sum(direction = 'outbound') = 3)"""

# The first tier of a search: the name starts with the term, accents aside [plain-names]. name_plain holds
# the name as search folds it where that is not name_fold; the term is compared folded so (:plain).
_NAME = "coalesce(c.name_plain, c.name_fold)"
# ... or, for a term holding "ae", "oe" or "ue", the name with its ä, ö, ü written so starts with it
# (name_umlaut, NULL for a name without them), or a term holding ä, ö or ü starts either form written so
# [search-spellings]: ranges of these indexes, as a set of ids (_other_firsts)
_BY_PLAIN = (
    "SELECT id FROM contacts INDEXED BY contacts_name_plain "
    "WHERE coalesce(name_plain, name_fold) >= :{p} AND coalesce(name_plain, name_fold) < :{p}_hi"
)
_BY_UMLAUT = (
    "SELECT id FROM contacts INDEXED BY contacts_name_umlaut "
    "WHERE name_umlaut >= :{p} AND name_umlaut < :{p}_hi"
)
_UMLAUT_E = ("ae", "oe", "ue")


def _other_firsts(term: str, plain: str, params: dict[str, Any]) -> str | None:
    """A subquery of the contacts in the first tier by another spelling of an umlaut [plain-names]
    [search-spellings]: whose name_umlaut starts with the term (search-folded, `plain`) when it holds "ae",
    "oe" or "ue" (only then can it start name_umlaut and not the plain name), and, for a term (casefolded)
    with ä, ö or ü, whose name or name_umlaut starts with it written ae, oe, ue ("müller" puts "Mueller
    Karl" there). None for most terms: the first tier is then the plain name's alone."""
    spelled = umlaut_spelling(term)
    parts: list[tuple[str, str]] = []
    if any(e in plain for e in _UMLAUT_E):
        parts.append((_BY_UMLAUT, plain))
    # a spelled term starting with the plain one ("rö" -> "roe") adds no one: a name starting with it in
    # either form starts with the plain term, or its umlaut form with a plain term holding "ae", "oe", "ue"
    if spelled is not None and not spelled.startswith(plain):
        parts += [(_BY_PLAIN, spelled), (_BY_UMLAUT, spelled)]
    if not parts:
        return None
    for i, (_, form) in enumerate(parts):
        params.update({f"first{i}": form, f"first{i}_hi": form + _TOP_CHAR})
    return " UNION ".join(sql.format(p=f"first{i}") for i, (sql, _) in enumerate(parts))


def _first_tier(term: str, params: dict[str, Any]) -> str:
    """The condition on contact `c` of a search's first tier: its full name starts with the (casefolded)
    term, accents aside [plain-names], either spelling of an umlaut too [search-spellings]; sets :plain,
    the term as the documents fold it."""
    plain = params["plain"] = search_fold(term)
    other = _other_firsts(term, plain, params)
    head = f"instr({_NAME}, :plain) = 1"
    return head if other is None else f"({head} OR c.id IN ({other}))"


# Relevance tiers [contact-search] without a Python call per row. Indexed terms ask the index (trigrams for 3+
# characters, word prefixes for 1-2 letters or digits) which contacts hold the term in each column (column
# filters: one index look-up per tier); other short terms read the folded search documents of the matches.
_TIER_INDEXED = """CASE
    WHEN {first} THEN 1
    WHEN c.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH :q_names) THEN 2
    WHEN c.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH :q_org) THEN 3
    WHEN c.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH :q_handles) THEN 4
    ELSE 5 END"""
# A 3+ character term finds the contacts' documents once (`docs`, the trigram index) and takes a match's tier
# from _TIER_INDEXED's column-filtered look-ups over the same index pages, not from each match's stored
# document [search-segments].
_DOCS = "WITH docs(id) AS MATERIALIZED (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH :docs) "
_KNOWN_DOCS = "WITH docs(id) AS MATERIALIZED (SELECT value FROM json_each(:known)) "
_MESSAGES = MESSAGE_CONTACTS_SQL.replace("?", ":msgs")
_PLAIN = "c.priority_level != 'archived'"  # where_clause of a filter with nothing set
_TIER_SCAN = """CASE
    WHEN {first} THEN 1
    WHEN instr(f.names, :plain) > 0 THEN 2
    WHEN instr(f.org, :plain) > 0 THEN 3
    WHEN instr(f.handles, :plain) > 0 THEN 4
    ELSE 5 END"""


# The ranking of a search with the plain filter reads each match's priority, score, created and folded name
# from this covering index (m017_search_rank) instead of the contacts table: a small b-tree keyed by id, whose
# pages stay cached, against a row per match scattered over the table [search-rank].
RANK_INDEX = "contacts_rank"
_RANK_SORTS = ("score", "created")


def _plain(f: ContactFilter) -> bool:
    """Whether the filter has nothing set but the search (every column it reads is in RANK_INDEX)."""
    return where_clause(replace(f, search=None))[0] == _PLAIN


def where_clause(f: ContactFilter) -> tuple[str, dict[str, Any]]:
    conds: list[str] = []
    params: dict[str, Any] = {"now": f.now, "today_md": f.today_md}
    if f.archived_only:
        conds.append("c.priority_level = 'archived'")
    elif not f.include_archived:
        conds.append("c.priority_level != 'archived'")
    if f.search:
        sub = _named(*matching_ids_sql(f.search), "s", params)
        # against the search documents [contact-search] and the names as they fold (_NAME)
        params["plain"] = search_fold(f.search)
        conds.append(f"c.id IN ({sub})")
    if f.tag:
        conds.append("c.id IN (SELECT contact_id FROM contact_tags WHERE tag = :tag)")
        params["tag"] = f.tag
    if f.source:
        conds.append("c.source = :source")
        params["source"] = f.source
    if f.score == "strong":
        conds.append("c.relationship_score >= 8")
    elif f.score == "active":
        conds.append("c.relationship_score BETWEEN 4 AND 7")
    elif f.score == "dormant":
        conds.append("c.relationship_score <= 3")
    if f.priority:
        conds.append("c.priority_level = :priority")
        params["priority"] = f.priority
    for key, col, op in (
        ("created_from", "created_at", ">="),
        ("created_to", "created_at", "<"),
        ("interaction_from", "last_interaction_at", ">="),
        ("interaction_to", "last_interaction_at", "<"),
        ("interaction_since", "last_interaction_at", ">="),
    ):
        value = getattr(f, key)
        if value is not None:
            conds.append(f"c.{col} {op} :{key}")
            params[key] = value
    if f.has_interactions is True:
        conds.append("c.last_interaction_at IS NOT NULL")
    elif f.has_interactions is False:
        conds.append("c.last_interaction_at IS NULL")
    if f.has_birthday is True:
        conds.append("coalesce(c.birthday, '') != ''")
    elif f.has_birthday is False:
        conds.append("coalesce(c.birthday, '') = ''")
    if f.ghosted:
        conds.append(_GHOSTED)
    return (" AND ".join(conds) or "1"), params


def _named(sql: str, values: tuple[object, ...], prefix: str, params: dict[str, Any]) -> str:
    """`sql` with its `?` parameters named prefix0, prefix1, ... and their values put in `params`."""
    for i, value in enumerate(values):
        sql = sql.replace("?", f":{prefix}{i}", 1)
        params[f"{prefix}{i}"] = value
    return sql


def _words_tier(words: Words, first: str, params: dict[str, Any], *, split: bool = False) -> str:
    """The relevance tier of a term searched word by word [search-words]: 1 when the name starts with the
    whole term (`first`, _first_tier), then the first of TIER_COLUMNS holding its words (Words.tier_sql)
    among the contacts the documents match (`docs`: one found by a message alone is in the last tier), else
    5; with `split` (the search also finds the words split between the fields and the messages,
    Words.split_sql), 5 for a message holding every word and SPLIT_TIER for the others. With long words,
    read from each match's stored document (Words.stored_tier_sql, one look-up for the matches instead of one
    a tier: a word's forms make each column-filtered look-up dearer, 23% more CPU for
    a hyphenated term [search-segments]); with short words only, one word-prefix look-up a tier."""
    last = f"WHEN c.id IN ({_MESSAGES}) THEN 5 ELSE {SPLIT_TIER}" if split else "ELSE 5"
    if words.long:
        stored = _named(*words.stored_tier_sql(), "t", params)
        return (
            f"CASE WHEN {first} THEN 1 WHEN c.id IN (SELECT id FROM docs) THEN "
            f"(SELECT {stored} FROM contacts_fts d WHERE d.rowid = c.id) {last} END"
        )
    whens = "".join(
        f"WHEN c.id IN ({_named(*words.tier_sql(k), f'w{k}_', params)}) THEN {k} " for k in TIER_COLUMNS
    )
    return f"CASE WHEN {first} THEN 1 {whens}{last} END"


# The tier of a contact found by a term's words split between its fields and its messages, or over several
# of its messages (Words.split_sql): after every contact the fields or one message match [search-words]
SPLIT_TIER = 6


def _in_docs(words: Words | None) -> bool:
    return words is None or words.tier_in_docs


def _page_key(f: ContactFilter, limit: int | None, offset: int) -> Any:
    """What identifies a page for store.memo: the filter without the clock, unless the answer depends
    on it (`interaction_days` and `ghosted` are relative to now, the birthday sort to today). Every id
    at once (limit None: a bulk update by filter) is never kept."""
    if limit is None or f.interaction_since is not None or f.ghosted:
        return None
    return replace(f, now="", today_md=f.today_md if f.sort == "birthday" else ""), limit, offset


# A search whose contact documents match at least COUNT_CAP contacts, in the default (score) order, takes its
# page from the first tier alone when that tier fills it, and stops counting at COUNT_CAP (an estimate).
COUNT_CAP = 1000
_TOP_CHAR = "\U0010ffff"


def list_ids(
    conn: apsw.Connection, f: ContactFilter, *, limit: int | None, offset: int = 0
) -> tuple[list[int], int]:
    """One page of contact rowids in list order, and the total matching (remembered by store.memo)."""
    ids, total, _ = list_page(conn, f, limit=limit, offset=offset)
    return ids, total


def list_page(
    conn: apsw.Connection, f: ContactFilter, *, limit: int | None, offset: int = 0
) -> tuple[list[int], int, bool]:
    """list_ids, and whether the total is an estimate (a lower bound: COUNT_CAP, counting stopped there)."""
    key = _page_key(f, limit, offset)
    m = memo.current(conn) if key is not None else None
    hit = m.get("pages", key) if m is not None else None
    if hit is None:
        hit = _list_ids(conn, f, limit=limit, offset=offset)
        if m is not None:
            m.put("pages", key, hit)
    return list(hit[0]), hit[1], hit[2]


def _list_ids(
    conn: apsw.Connection, f: ContactFilter, *, limit: int | None, offset: int = 0
) -> tuple[list[int], int, bool]:
    """A search ranks every match anyway, so its total comes in the same pass (a window count); a plain
    list walks an index in sort order and stops at the page, so it counts separately. A search with many
    matches in the score order takes its page tier by tier instead (_many_matches_page)."""
    where, params = where_clause(f)
    order = _ORDER[f.sort]
    source = "contacts c"
    head = ""
    tier = scan = ""
    words = term_words(f.search) if f.search else None
    if words is not None:
        where, params = where_clause(replace(f, search=None))
        head = f"WITH docs(id) AS MATERIALIZED ({_named(*words.docs_sql(), 'd', params)}) "
        messages = f" UNION {_MESSAGES}" if len(words.term) >= INDEXED_TERM_MIN else ""
        split = words.split_sql()
        if split is not None:
            messages += f" UNION {_named(*split, 'x', params)}"
        where += f" AND c.id IN (SELECT id FROM docs{messages})"
        params["msgs"] = message_query(words.term)
        tier = _words_tier(words, _first_tier(words.term, params), params, split=split is not None)
    elif f.search and len(f.search) >= INDEXED_TERM_MIN:
        where, params = where_clause(replace(f, search=None))
        params.update(docs=doc_query(f.search), msgs=message_query(f.search))
        params.update({f"q_{col}": column_query(f.search, col) for col in ("names", "org", "handles")})
        tier = _TIER_INDEXED.format(fts="contacts_fts", first=_first_tier(f.search, params))
    elif f.search and is_word_prefix(f.search):
        tier = _TIER_INDEXED.format(fts="contacts_fts_words", first=_first_tier(f.search, params))
        params.update({f"q_{col}": prefix_query(f.search, col) for col in ("names", "org", "handles")})
    elif f.search:
        tier = scan = _TIER_SCAN.format(first=_first_tier(f.search, params))
        source = "contacts c LEFT JOIN contacts_fts f ON f.rowid = c.id"
    if tier:
        order = f"{tier}, {order}"
    if tier and tier != scan and f.sort in _RANK_SORTS and _plain(f):
        source = f"contacts c INDEXED BY {RANK_INDEX}"
    known = _Known()
    if f.search and tier != scan and f.sort == "score" and limit and offset + limit <= 200:
        quick = _many_matches_page(conn, f, words, limit, offset)
        if not isinstance(quick, _Known):
            return quick
        known = quick
    if words is None and f.search and len(f.search) >= INDEXED_TERM_MIN:
        # the documents' matches as _many_matches_page read them, else from the index; the messages only
        # when some hold the term [search-known]
        head = _DOCS
        if known.docs is not None:
            head, params["known"] = _KNOWN_DOCS, known.docs
        messages = f" UNION {_MESSAGES}" if known.messages != 0 else ""
        where += f" AND c.id IN (SELECT id FROM docs{messages})"
    # the page's size written into the statement, not bound: SQLite then runs an ORDER BY with a LIMIT it
    # knows, ~0.1 ms less CPU for a search's statement on 100k contacts (bench/README.md)
    page = f" LIMIT {int(limit)} OFFSET :offset" if limit is not None else ""
    if limit is not None:
        params.update(offset=offset)
    if not f.search or limit == 0:
        total = _count(conn, where, params, head)
        if total == 0 or limit == 0:
            return [], total, False
        sql = f"SELECT c.id FROM {source} WHERE {where} ORDER BY {order}, c.id{page}"
        return [r[0] for r in conn.execute(sql, params)], total, False
    sql = f"{head}SELECT c.id, count(*) OVER () FROM {source} WHERE {where} ORDER BY {order}, c.id{page}"
    found = list(conn.execute(sql, params))
    if not found:
        return [], (_count(conn, where, params, head) if offset else 0), False
    return [r[0] for r in found], found[0][1], False


def _many_matches_page(
    conn: apsw.Connection, f: ContactFilter, words: Words | None, limit: int, offset: int
) -> tuple[list[int], int, bool] | _Known:
    """The page of a search with very many matches [contact-search], without ranking them all.

    When at least COUNT_CAP contacts pass the filters and match (counting stops there), the page is taken
    tier by tier in score order (_tiered_page) and the total is COUNT_CAP, marked as an estimate. Matches
    are counted in the contacts' documents first (with any filter), then, for a 3+ character term in a
    search with no other filter, with the contacts whose messages hold it. Fewer matches: what was learnt
    on the way (_Known), and the caller ranks them all (cheap)."""
    term = f.search or ""
    plain, params = where_clause(replace(f, search=None))
    split = None
    if words is not None:
        docs = _named(*words.docs_sql(), "d", params)
        tiers = {k: _named(*words.tier_sql(k), f"w{k}_", params) for k in TIER_COLUMNS}
        split_sql = words.split_sql()
        split = _named(*split_sql, "x", params) if split_sql is not None else None
    else:
        fts = "contacts_fts_words" if is_word_prefix(term) else "contacts_fts"
        docs = f"SELECT rowid AS id FROM {fts} WHERE {fts} MATCH :docs"
        params["docs"] = prefix_query(term) if fts == "contacts_fts_words" else doc_query(term)
        tiers = {}
        for k, col in zip(TIER_COLUMNS, ("names", "org", "handles"), strict=True):
            params[f"q_{col}"] = (
                prefix_query(term, col) if fts == "contacts_fts_words" else column_query(term, col)
            )
            tiers[k] = f"SELECT rowid FROM {fts} WHERE {fts} MATCH :q_{col}"
    lo = search_fold(term)  # the first tier: names from it (_NAME)
    params.update(cap=COUNT_CAP, lo=lo, hi=lo + _TOP_CHAR, need=offset + limit)
    # the documents alone first (no join): fewer than COUNT_CAP of them, and no filter adds any. Long words
    # with short ones: the long words' matches first, an upper bound from one look-up (the short words'
    # prefix look-up may read half the contacts, and an intersection reads all of both before counting)
    bound = words.bound_sql() if words is not None else None
    found = COUNT_CAP
    if bound is not None:
        found = integer(conn, f"SELECT count(*) FROM ({_named(*bound, 'b', params)} LIMIT :cap)", params)
    known = _Known()
    if found >= COUNT_CAP:
        found, enough, ids = _count_docs(conn, docs, plain, params)
        if enough:
            return _tiered_page(
                conn, term, docs, tiers, offset, plain, params, in_docs=_in_docs(words), split=split
            )
        known.docs = ids
    if len(term) < INDEXED_TERM_MIN or plain != _PLAIN:
        # messages are not searched by short terms; with a filter (a tag, say), counting the messages'
        # contacts could run for a minute when few of them pass it
        return known
    params["msgs"] = message_query(term)
    messages = "SELECT 1 FROM interactions_fts WHERE interactions_fts MATCH :msgs LIMIT :cap"
    known.messages = integer(conn, f"SELECT count(*) FROM ({messages})", params)
    if found + known.messages < COUNT_CAP:
        return known  # fewer than COUNT_CAP contacts can match
    either = f"{docs} UNION ALL {_MESSAGES}"
    counted = integer(
        conn,
        f"SELECT count(*) FROM (SELECT DISTINCT c.id FROM ({either}) m "
        f"JOIN contacts c ON c.id = m.id WHERE {plain} LIMIT :cap)",
        params,
    )
    if counted < COUNT_CAP:
        return known
    return _tiered_page(conn, term, docs, tiers, offset, plain, params, in_docs=_in_docs(words), split=split)


@dataclass
class _Known:
    """What _many_matches_page learnt of a search it found to have fewer than COUNT_CAP matches, for the
    full ranking to reuse [search-known]: a one-word term's document matches (a JSON array of ids, None when
    not read) and how many messages hold the term (up to COUNT_CAP; None when not counted)."""

    docs: str | None = None
    messages: int | None = None


def _count_docs(
    conn: apsw.Connection, docs: str, plain: str, params: dict[str, Any]
) -> tuple[int, bool, str | None]:
    """The contacts the documents match, counted up to COUNT_CAP (those passing the plain filter, when the
    connection knows the archived ones), whether COUNT_CAP of them pass the filters, and, when fewer than
    COUNT_CAP were counted, their ids as a JSON array (a superset of the matches passing the filters: the
    search then reads them from it instead of the index a second time [search-known]). With the plain
    filter the archived contacts are the only ones left out: a connection that remembers keeps a byte per
    contact id, 1 for the archived (_archived), and SQLite skips them as it counts the matches, in the same
    statement, which answers both [search-walk]; else each match is looked up in contacts_rank.
    One statement, not a row at a time in Python: a reader thread gives up the GIL at each SQLite call."""
    archived = _archived(conn) if plain == _PLAIN else None
    listed = "SELECT count(*), json_group_array(id) FROM ({}) "
    if archived:  # some are archived: count the others, which are the matches passing the plain filter
        skipping = f"SELECT m.id FROM ({docs}) m WHERE substr(:archived, m.id + 1, 1) != x'01' LIMIT :cap"
        found, ids = _counted(conn, listed.format(skipping), {**params, "archived": archived})
        return found, found >= COUNT_CAP, ids
    found, ids = _counted(conn, listed.format(f"{docs} LIMIT :cap"), params)
    if found < COUNT_CAP or archived is not None:  # counted (none archived: every match passes)
        return found, found >= COUNT_CAP and not archived, ids
    rank = f" INDEXED BY {RANK_INDEX}" if plain == _PLAIN else ""
    joined = f"SELECT 1 FROM ({docs}) m JOIN contacts c{rank} ON c.id = m.id WHERE {plain} LIMIT :cap"
    return found, integer(conn, f"SELECT count(*) FROM ({joined})", params) >= COUNT_CAP, None


def _counted(conn: apsw.Connection, sql: str, params: dict[str, Any]) -> tuple[int, str | None]:
    """A count and the JSON array of the ids counted, the array only when the count is under COUNT_CAP."""
    found, ids = next(conn.execute(sql, params))
    return int(found), (str(ids) if found < COUNT_CAP else None)


# A remembering connection keeps the archived contacts as a byte per contact id, for ids below this
ARCHIVED_KEPT = 1_000_000


def _archived(conn: apsw.Connection) -> bytes | None:
    """A byte per contact id up to the last archived one, 1 for an archived contact (empty: none is
    archived), remembered until the store changes (store.memo); None when this connection does not remember
    or the last archived id is past ARCHIVED_KEPT."""
    m = memo.current(conn)
    if m is None:
        return None
    kept = m.get("rows", _ARCHIVED_KEY)
    if kept is None:
        ids = [r[0] for r in conn.execute("SELECT id FROM contacts WHERE priority_level = 'archived'")]
        if ids and max(ids) >= ARCHIVED_KEPT:
            kept = _TOO_MANY
        else:
            flags = bytearray(max(ids) + 1 if ids else 0)
            for cid in ids:
                flags[cid] = 1
            kept = bytes(flags)
        m.put("rows", _ARCHIVED_KEY, kept)
    return None if kept is _TOO_MANY else kept


_ARCHIVED_KEY = ("contact_query", "archived ids")
_TOO_MANY = object()


# A tier's contacts are found by walking the score order and keeping the tier's, or by reading the tier's set
# and sorting it [search-walk]. With the plain filter the walk reads the covering contacts_score index alone
# (m027_search_walk: ~40 ns a contact walked past, against ~1 us a member read and sorted), so a tier of
# `size` members is walked when size^2 >= WALK_RATIO x left x contacts (the walk expected to fill `left`
# rows passes left x contacts / size of them); the walk stops after WALK_SLACK times that many (a tier whose
# members the filters or the earlier tiers mostly exclude) and the set is read instead. With other filters
# each contact walked past costs a row look-up: walked only when the set holds at least WALK_MIN members.
WALK_RATIO = 0.05
WALK_SLACK = 4
WALK_FLOOR = 64  # contacts a walk may pass whatever the expectation
WALK_GUESS = 1000  # the members of a tier not counted (the walk then gives up after ~8,000 of 100k contacts)
WALK_MIN = 2000
# the plain filter's walk: the score order read from the covering index alone, at most :scan contacts
_WALKED = (
    "SELECT id, name_fold, name_plain, priority_level, relationship_score, created_at FROM contacts "
    "INDEXED BY contacts_score ORDER BY relationship_score DESC, created_at DESC, id LIMIT :scan"
)
_BEST = "ORDER BY c.relationship_score DESC, c.created_at DESC, c.id LIMIT :left"


def _tier_best(
    conn: apsw.Connection,
    where: str,
    size: int | None,
    plain: str,
    params: dict[str, Any],
    *,
    read: str,
    read_where: str | None = None,
) -> list[int]:
    """The best params["left"] contacts passing `where` (a tier's members, not in the tiers before, passing
    the filters `plain`) in score order: walked or read (`read`: how the contacts table is read for the
    members, e.g. "INDEXED BY contacts_name_plain", by `read_where` when given: the same contacts as a set
    of ids), whichever costs less [search-walk]. `size`: the tier's members, None when not counted (the
    plain filter's tiers after the first: counting would read the index a second time), then taken as
    WALK_GUESS."""
    left, top = params["left"], params["top"]
    if size == 0:
        return []
    if plain == _PLAIN and (size or WALK_GUESS) ** 2 >= WALK_RATIO * left * top:
        params["scan"] = min(top, int(WALK_SLACK * left * top / (size or WALK_GUESS)) + WALK_FLOOR)
        # no ORDER BY outside: the walk's rows come in the walk's order, and it stops at the page
        walked = f"SELECT c.id FROM ({_WALKED}) c WHERE {where} LIMIT :left"
        ids = [r[0] for r in conn.execute(walked, params)]
        if len(ids) >= left or params["scan"] >= top:
            return ids
    elif plain != _PLAIN and (size or 0) >= WALK_MIN:
        read, read_where = "INDEXED BY contacts_score", None
    sql = f"SELECT c.id FROM contacts c {read} WHERE {read_where or where} {_BEST}"
    return [r[0] for r in conn.execute(sql, params)]


def _tiered_page(
    conn: apsw.Connection,
    term: str,
    docs: str,
    tiers: dict[int, str],
    offset: int,
    plain: str,
    params: dict[str, Any],
    *,
    in_docs: bool = True,
    split: str | None = None,
) -> tuple[list[int], int, bool]:
    """The page of a search whose matches passing the filters are at least COUNT_CAP, in the score order,
    tier by tier [contact-search]: the first tier (the name starts with the term, accents aside) is a
    range of contacts_name_plain [plain-names]; the next three are the contacts whose names,
    company/title/tags or handles hold the term (one column-filtered index look-up each, `tiers`, asked only
    when the tiers before them do not fill the page; for a term searched word by word, also checked against
    the matches unless `in_docs`); the last is every other match (the documents, and for 3+ characters the
    messages; then, with `split`, the words split between the fields and the messages, Words.split_sql).
    Within a tier the best in score order come from walking the score order or from the tier's
    set, sorted (_tier_best). The same page a full ranking gives, without reading every match; the total is
    COUNT_CAP, an estimate. When every tier together holds fewer than the page needs, the list is complete
    and its length is the exact total."""
    need = params["need"]
    first = f"{_NAME} >= :lo AND {_NAME} < :hi"
    by_name = "INDEXED BY contacts_name_plain"
    wide_sql = f"SELECT count(*) FROM (SELECT 1 FROM contacts c {by_name} WHERE {first} LIMIT :cap)"
    read_where = None
    other = _other_firsts(term, params["lo"], params)
    if other is not None:
        # the names starting with the term in the other spelling of an umlaut [search-spellings], a few
        # (a partial index), beside the range: counted with it (a name in both counts twice: the size only
        # chooses how the tier is read), walked past as a condition, read as one set of ids
        wide_sql = f"SELECT ({wide_sql}) + (SELECT count(*) FROM ({other} LIMIT :cap))"
        members = f"SELECT c.id FROM contacts c {by_name} WHERE {first} UNION {other}"
        read_where, by_name = f"c.id IN ({members}) AND {plain}", ""
        first = f"({first} OR c.id IN ({other}))"
    wide = integer(conn, wide_sql, params)
    params.update(left=need, top=integer(conn, "SELECT coalesce(max(id), 0) FROM contacts"))
    ids = _tier_best(conn, f"{first} AND {plain}", wide, plain, params, read=by_name, read_where=read_where)
    seen = f"NOT ({first})"
    read = f"INDEXED BY {RANK_INDEX}" if plain == _PLAIN else "NOT INDEXED"
    for k in (*tiers, None, SPLIT_TIER):
        if len(ids) >= need:
            break
        if k == SPLIT_TIER:  # the words split between the fields and the messages, after every other match
            if split is None:
                break
            found = split
            member = f"c.id IN ({found})"
        elif k is None:  # the last tier: any other match
            found = docs
            member = f"c.id IN ({found})"
            if len(term) >= INDEXED_TERM_MIN:
                params["msgs"] = message_query(term)
                member = f"({member} OR c.id IN (SELECT contact_id FROM ({_MESSAGES})))"
                # sized by documents and messages (a message per row: a contact may count more than once)
                found += " UNION ALL SELECT rowid FROM interactions_fts WHERE interactions_fts MATCH :msgs"
        else:
            found = tiers[k]
            member = f"c.id IN ({found})" if in_docs else f"(c.id IN ({found}) AND c.id IN ({docs}))"
        size = None
        if plain != _PLAIN:
            size = integer(conn, f"SELECT count(*) FROM ({found} LIMIT {WALK_MIN})", params)
            if size == 0:
                continue
        params["left"] = need - len(ids)
        ids += _tier_best(conn, f"{member} AND {seen} AND {plain}", size, plain, params, read=read)
        seen += f" AND NOT {member}"
    if len(ids) < need:  # every match listed: the total is exact
        return ids[offset:], len(ids), False
    return ids[offset:need], max(COUNT_CAP, need), True


def _count(conn: apsw.Connection, where: str, params: dict[str, Any], head: str = "") -> int:
    return integer(conn, f"{head}SELECT count(*) FROM contacts c WHERE {where}", params)


def passing(conn: apsw.Connection, f: ContactFilter, ids: Sequence[int]) -> list[int]:
    """The contacts of `ids` (rowids) that pass the filter, in the order given."""
    if not ids:
        return []
    where, params = where_clause(f)
    marks = ",".join(f":id{n}" for n in range(len(ids)))
    params.update({f"id{n}": cid for n, cid in enumerate(ids)})
    found = {
        r[0] for r in conn.execute(f"SELECT c.id FROM contacts c WHERE c.id IN ({marks}) AND {where}", params)
    }
    return [cid for cid in ids if cid in found]


def all_uuids(conn: apsw.Connection, f: ContactFilter) -> list[str]:
    where, params = where_clause(f)
    return [r[0] for r in conn.execute(f"SELECT c.uuid FROM contacts c WHERE {where} ORDER BY c.id", params)]
