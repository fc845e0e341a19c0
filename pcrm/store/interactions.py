"""Interactions, and the [score-formula] score aggregates computed in SQL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import apsw

from pcrm.clock import iso, parse_iso
from pcrm.serialize import dumps, loads
from pcrm.store.rows import integer, new_uuid, one, rows

if TYPE_CHECKING:
    from pcrm.domain.scoring import ScoreInputs

_COLUMNS = (
    "i.uuid AS id, c.uuid AS contact_id, i.platform, i.direction, i.content_preview, "
    "i.raw_reference_id, i.is_read_by_recipient, i.call_type, i.duration_seconds, i.extra_data, "
    "i.occurred_at, i.created_at, i.updated_at"
)


def _shape(r: dict[str, Any]) -> dict[str, Any]:
    if r.get("extra_data") is not None:
        r["extra_data"] = loads(r["extra_data"])
    if r.get("is_read_by_recipient") is not None:
        r["is_read_by_recipient"] = bool(r["is_read_by_recipient"])
    return r


def insert(conn: apsw.Connection, cid: int, data: dict[str, Any], now: str) -> int | None:
    """Insert one interaction; returns its rowid, or None when (contact, ref) already exists."""
    uuid = data.get("uuid") or new_uuid()
    return insert_many(conn, [(cid, {**data, "uuid": uuid})], now).get(uuid)


_MANY = (
    "INSERT INTO interactions(uuid, contact_id, platform, direction, content_preview, raw_reference_id, "
    "is_read_by_recipient, call_type, duration_seconds, extra_data, occurred_at, created_at, "
    "import_batch_id, sync_run_id) "
    "SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4, j.value->>5, j.value->>6, "
    "j.value->>7, j.value->>8, j.value->>9, j.value->>10, j.value->>11, j.value->>12, j.value->>13 "
    "FROM json_each(?) j WHERE true "
    "ON CONFLICT(contact_id, raw_reference_id) WHERE raw_reference_id IS NOT NULL DO NOTHING "
    "RETURNING uuid, id"
)
MANY_CHUNK = 1000


def insert_many(
    conn: apsw.Connection, items: Sequence[tuple[int, dict[str, Any]]], now: str
) -> dict[str, int]:
    """Insert (contact rowid, data) pairs in order, a chunk per statement; each `data` needs its `uuid`.
    Returns uuid -> rowid of the rows inserted (a (contact, ref) already stored, or repeated earlier in
    `items`, is left out).

    One statement per chunk rather than per row: the search index (FTS5) writes what a statement added
    as it ends, so 500 one-row inserts cost 500 small index segments (~0.3 ms each) where one statement
    costs one."""
    out: dict[str, int] = {}
    for start in range(0, len(items), MANY_CHUNK):
        chunk = [
            (
                data["uuid"],
                cid,
                data["platform"],
                data["direction"],
                data.get("content_preview"),
                data.get("raw_reference_id"),
                data.get("is_read_by_recipient"),
                data.get("call_type"),
                data.get("duration_seconds"),
                dumps(data["extra_data"]).decode() if data.get("extra_data") is not None else None,
                data["occurred_at"],
                data.get("created_at") or now,
                data.get("import_batch_id"),
                data.get("sync_run_id"),
            )
            for cid, data in items[start : start + MANY_CHUNK]
        ]
        out.update((str(u), int(i)) for u, i in conn.execute(_MANY, (dumps(chunk).decode(),)))
    return out


def get(conn: apsw.Connection, iid: int) -> dict[str, Any] | None:
    r = rows(
        conn,
        f"SELECT {_COLUMNS} FROM interactions i JOIN contacts c ON c.id = i.contact_id WHERE i.id = ?",
        (iid,),
    )
    return _shape(r[0]) if r else None


def locate(conn: apsw.Connection, ref: str) -> list[tuple[int, int, str]]:
    """(rowid, contact rowid, platform) of interactions whose uuid is or starts with `ref`."""
    low = ref.strip().lower()
    return [
        tuple(r)
        for r in conn.execute(
            "SELECT id, contact_id, platform FROM interactions WHERE uuid >= ? AND uuid < ? LIMIT 10",
            (low, low + "\uffff"),
        )
    ]


def by_hand(conn: apsw.Connection, iid: int) -> bool:
    """Whether an interaction was recorded by hand [notes-and-logs]: a note, or one logged with no source
    reference and by no import or sync (a source's messages mirror it and carry one of those)."""
    row = conn.execute(
        "SELECT platform = 'manual' OR (raw_reference_id IS NULL AND import_batch_id IS NULL "
        "AND sync_run_id IS NULL) FROM interactions WHERE id = ?",
        (iid,),
    ).fetchone()
    return bool(row and row[0])


SCHEDULED_PREFIX = "sent:scheduled:"  # a send pcrm scheduled, stored before the platform delivers it


def scheduled_sends(conn: apsw.Connection, cid: int, platform: str) -> list[dict[str, Any]]:
    """The contact's outbound `platform` sends scheduled through pcrm and not yet seen delivered:
    id, content_preview, occurred_at (the scheduled time). A range over the (contact, ref) index."""
    return rows(
        conn,
        "SELECT id, content_preview, occurred_at FROM interactions WHERE contact_id = ? "
        "AND raw_reference_id >= ? AND raw_reference_id < ? AND platform = ? AND direction = 'outbound'",
        (cid, SCHEDULED_PREFIX, SCHEDULED_PREFIX[:-1] + ";", platform),
    )


def scheduled_list(conn: apsw.Connection, platform: str, cid: int | None = None) -> list[dict[str, Any]]:
    """Every outbound `platform` send scheduled through pcrm and not yet seen delivered (of contact `cid`
    when given), soonest first: id, contact_id (uuids), _rowid, _contact_rowid, full_name,
    content_preview, raw_reference_id, occurred_at (the scheduled time)."""
    one = "AND i.contact_id = ? " if cid is not None else ""
    return rows(
        conn,
        "SELECT i.uuid AS id, c.uuid AS contact_id, i.id AS _rowid, c.id AS _contact_rowid, c.full_name, "
        "i.content_preview, i.raw_reference_id, i.occurred_at FROM interactions i "
        "JOIN contacts c ON c.id = i.contact_id WHERE i.raw_reference_id >= ? AND i.raw_reference_id < ? "
        f"AND i.platform = ? AND i.direction = 'outbound' {one}ORDER BY i.occurred_at, i.id",
        (SCHEDULED_PREFIX, SCHEDULED_PREFIX[:-1] + ";", platform, *(() if cid is None else (cid,))),
    )


def adopt_delivered(
    conn: apsw.Connection, iid: int, ref: str, occurred_at: str, is_read: bool | None, now: str
) -> None:
    """A scheduled send the platform has delivered: the row takes the delivered message's reference, time
    and read flag (it keeps its uuid, text and provenance)."""
    conn.execute(
        "UPDATE interactions SET raw_reference_id = ?, occurred_at = ?, is_read_by_recipient = ?, "
        "updated_at = ? WHERE id = ?",
        (ref, occurred_at, is_read, now, iid),
    )


def update_content(conn: apsw.Connection, iid: int, content: str | None, now: str) -> None:
    conn.execute(
        "UPDATE interactions SET content_preview = ?, updated_at = ? WHERE id = ?", (content, now, iid)
    )


def same_moment(
    conn: apsw.Connection, cid: int, platform: str, direction: str, occurred_at: str
) -> list[dict[str, Any]]:
    """The contact's imported messages on `platform` sent the same way at the same moment [cut-exports]:
    id, uuid, content_preview, raw_reference_id, and `last`: whether it is the newest message of its
    import batch with this contact (where a file cut short ends)."""
    return rows(
        conn,
        "SELECT i.id, i.uuid, i.content_preview, i.raw_reference_id, NOT EXISTS (SELECT 1 "
        "FROM interactions j WHERE j.contact_id = i.contact_id AND j.import_batch_id = i.import_batch_id "
        "AND j.id > i.id) AS last "
        "FROM interactions i WHERE i.contact_id = ? AND i.platform = ? AND i.direction = ? "
        "AND i.occurred_at = ? AND i.import_batch_id IS NOT NULL AND i.content_preview IS NOT NULL",
        (cid, platform, direction, occurred_at),
    )


def complete(
    conn: apsw.Connection,
    uuid: str,
    was: tuple[str | None, str | None],
    to: tuple[str | None, str | None],
    now: str,
) -> bool:
    """Give the message `uuid` the text and reference `to` if it still has `was` (a message cut short
    completed by a fuller export, or that completion undone [cut-exports]). Whether it did."""
    conn.execute(
        "UPDATE interactions SET content_preview = ?, raw_reference_id = ?, updated_at = ? "
        "WHERE uuid = ? AND content_preview IS ? AND raw_reference_id IS ?",
        (to[0], to[1], now, uuid, was[0], was[1]),
    )
    return bool(conn.changes())


# the columns a message taken out keeps in the journal, to be put back as it was [import-undo]
_KEPT = (
    "uuid, platform, direction, content_preview, raw_reference_id, is_read_by_recipient, call_type, "
    "duration_seconds, extra_data, occurred_at, created_at, updated_at, import_batch_id, sync_run_id"
)


# a message an import stored (in a batch, by no sync run): the only kind a re-import of a file may read anew
# or take out; a sync's message (Telegram's and X's share the export's references), one logged through the
# API with a reference, or one of another platform stays as it is [chat-takeouts]
_IMPORTED = "import_batch_id IS NOT NULL AND sync_run_id IS NULL AND platform = ?"


def take(
    conn: apsw.Connection, cid: int, platform: str, refs: Sequence[str], same: Callable[[str], bool]
) -> dict[str, Any] | None:
    """Remove the contact's message of `platform` an import stored under the first of `refs` it holds,
    while its text is none or still the one `same` recognises (one whose text is another now stays), and
    return its columns (`_KEPT`, extra_data as stored) for `put_back`; None when it holds none such."""
    for ref in refs:
        row = one(
            conn,
            f"SELECT id, {_KEPT} FROM interactions WHERE contact_id = ? AND raw_reference_id = ? "
            f"AND {_IMPORTED}",
            (cid, ref, platform),
        )
        if row is None:
            continue
        if row["content_preview"] is not None and not same(row["content_preview"]):
            return None
        conn.execute("DELETE FROM interactions WHERE id = ?", (row.pop("id"),))
        return row
    return None


def imported_refs(conn: apsw.Connection, cid: int, platform: str) -> list[tuple[str, str, str]]:
    """(raw_reference_id, occurred_at, direction) of the contact's messages of `platform` an import
    stored."""
    return [
        (r[0], r[1], r[2])
        for r in conn.execute(
            "SELECT raw_reference_id, occurred_at, direction FROM interactions WHERE contact_id = ? "
            f"AND {_IMPORTED}",
            (cid, platform),
        )
        if r[0] is not None
    ]


def held(conn: apsw.Connection, cid: int, platform: str, ref: str) -> dict[str, Any] | None:
    """The contact's message of `platform` an import stored under `ref`: uuid, content_preview, extra_data
    (as stored), occurred_at, updated_at; None when it holds none such (a sync's stays out of a re-import's
    reach)."""
    return one(
        conn,
        "SELECT uuid, content_preview, extra_data, occurred_at, updated_at FROM interactions "
        f"WHERE contact_id = ? AND raw_reference_id = ? AND {_IMPORTED}",
        (cid, ref, platform),
    )


def reread(
    conn: apsw.Connection, uuid: str, was: Sequence[Any], to: Sequence[Any], updated_at: str | None
) -> bool:
    """Give the message `uuid` the (content_preview, extra_data as stored, occurred_at) `to` and
    `updated_at` while it still has `was` (a message an earlier reader read otherwise: now; or that
    re-reading undone: the updated_at it had [chat-takeouts]). Whether it did."""
    conn.execute(
        "UPDATE interactions SET content_preview = ?, extra_data = ?, occurred_at = ?, updated_at = ? "
        "WHERE uuid = ? AND content_preview IS ? AND extra_data IS ? AND occurred_at IS ?",
        (*to[:3], updated_at, uuid, *was[:3]),
    )
    return bool(conn.changes())


def put_back(conn: apsw.Connection, cid: int, row: dict[str, Any]) -> bool:
    """Store again a message `take` removed, as it was (its uuid, reference, text, times and batch; a batch
    or sync run no longer stored is none), unless the contact holds its reference again or its uuid is
    stored. Whether it did."""
    cols = [c.strip() for c in _KEPT.split(",")]
    values = [
        "(SELECT id FROM import_batches WHERE id = ?)"
        if c == "import_batch_id"
        else "(SELECT id FROM sync_runs WHERE id = ?)"
        if c == "sync_run_id"
        else "?"
        for c in cols
    ]
    conn.execute(
        f"INSERT INTO interactions(contact_id, {_KEPT}) "
        f"SELECT ?, {', '.join(values)} "
        "WHERE NOT EXISTS (SELECT 1 FROM interactions WHERE uuid = ?) "
        "ON CONFLICT(contact_id, raw_reference_id) WHERE raw_reference_id IS NOT NULL DO NOTHING",
        (cid, *(row.get(c) for c in cols), row.get("uuid")),
    )
    return bool(conn.changes())


def delete(conn: apsw.Connection, iid: int) -> None:
    conn.execute("DELETE FROM interactions WHERE id = ?", (iid,))


def list_for_contact(
    conn: apsw.Connection,
    cid: int,
    limit: int,
    offset: int,
    *,
    platform: str | None = None,
    until: str | None = None,
    after: str | None = None,
    oldest_first: bool = False,
) -> tuple[list[dict[str, Any]], int]:
    """A contact's interactions, newest first (`oldest_first`: the soonest first); `until` keeps those at
    or before that instant, `after` those after it."""
    where, params = (
        ("i.contact_id = ? AND i.platform = ?", (cid, platform)) if platform else ("i.contact_id = ?", (cid,))
    )
    if until is not None:
        where, params = f"{where} AND i.occurred_at <= ?", (*params, until)
    if after is not None:
        where, params = f"{where} AND i.occurred_at > ?", (*params, after)
    total = integer(conn, f"SELECT count(*) FROM interactions i WHERE {where}", params)
    order = "ASC" if oldest_first else "DESC"
    items = rows(
        conn,
        f"SELECT {_COLUMNS} FROM interactions i JOIN contacts c ON c.id = i.contact_id "
        f"WHERE {where} ORDER BY i.occurred_at {order}, i.id {order} LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return [_shape(r) for r in items], total


_AGG = """
SELECT contact_id,
  sum(direction = 'inbound'  AND occurred_at >= :d365) AS inbound,
  sum(direction = 'outbound' AND occurred_at >= :d365) AS outbound,
  sum(direction = 'inbound'  AND occurred_at >= :d730  AND occurred_at < :d365) AS inbound_1_2y,
  sum(direction = 'outbound' AND occurred_at >= :d730  AND occurred_at < :d365) AS outbound_1_2y,
  sum(direction = 'inbound'  AND occurred_at >= :d1825 AND occurred_at < :d730) AS inbound_2_5y,
  sum(direction = 'outbound' AND occurred_at >= :d1825 AND occurred_at < :d730) AS outbound_2_5y,
  max(CASE WHEN direction = 'inbound' THEN occurred_at END) AS last_inbound,
  max(occurred_at) AS last_any,
  sum(occurred_at >= :d30) AS c30,
  sum(occurred_at >= :d90 AND occurred_at < :d30) AS c90,
  sum(occurred_at >= :d365 AND occurred_at < :d90) AS c365,
  sum(occurred_at >= :d730 AND occurred_at < :d365) AS c1_2y,
  sum(occurred_at >= :d1825 AND occurred_at < :d730) AS c2_5y,
  group_concat(DISTINCT CASE WHEN direction != 'note' THEN platform END) AS platforms,
  count(*) AS lifetime_count,
  min(occurred_at) AS first_at
FROM interactions
WHERE occurred_at <= :now {where}
GROUP BY contact_id
"""


def score_inputs(
    conn: apsw.Connection, now: datetime, contact_ids: Sequence[int] | None = None
) -> dict[int, ScoreInputs]:
    """The [score-formula] aggregates per contact, in one grouped query (only interactions up to `now`)."""
    # imported here: read commands import this module for the daily catch-up check, which rarely scores
    # anything, and the score's dataclasses cost ~2 ms to create (CLI start-up)
    from pcrm.domain.scoring import WINDOWS, ScoreInputs

    params: dict[str, Any] = {k: iso(now - timedelta(days=v)) for k, v in WINDOWS.items()}
    params["now"] = iso(now)
    where = ""
    if contact_ids is not None:
        if not contact_ids:
            return {}
        where = f"AND contact_id IN ({','.join(str(int(c)) for c in contact_ids)})"
    out: dict[int, ScoreInputs] = {}
    # a list of ids makes a statement of its own (a few hundred KB for thousands of ids): not kept in the
    # connection's statement cache, where a chunked recompute left ~10 MB of them [daemon-memory]
    cur = conn.execute(_AGG.format(where=where), params, can_cache=not where)
    for row in cur:
        (
            cid,
            inbound,
            outbound,
            in12,
            out12,
            in25,
            out25,
            last_in,
            last_any,
            c30,
            c90,
            c365,
            c12,
            c25,
            platforms,
            lifetime,
            first_at,
        ) = row
        out[cid] = ScoreInputs(
            inbound=inbound,
            outbound=outbound,
            inbound_1_2y=in12,
            outbound_1_2y=out12,
            inbound_2_5y=in25,
            outbound_2_5y=out25,
            last_inbound=parse_iso(last_in) if last_in else None,
            last_any=parse_iso(last_any) if last_any else None,
            c30=c30,
            c90=c90,
            c365=c365,
            c1_2y=c12,
            c2_5y=c25,
            platforms=tuple(sorted(platforms.split(","))) if platforms else (),
            lifetime_count=lifetime,
            first_at=parse_iso(first_at) if first_at else None,
        )
    return out


def write_scores(
    conn: apsw.Connection, updates: Sequence[tuple[int, int, str | None, int]], computed_at: str
) -> int:
    """updates: (score, interaction_count, last_interaction_at, contact rowid). Writes only rows whose
    values differ (an unchanged row costs an index lookup, not four index rewrites); returns how many."""
    before = conn.total_changes()
    conn.executemany(
        "UPDATE contacts SET relationship_score = ?1, interaction_count = ?2, last_interaction_at = ?3, "
        "score_computed_at = ?4 WHERE id = ?5 AND (relationship_score != ?1 OR interaction_count != ?2 "
        "OR last_interaction_at IS NOT ?3)",
        [(s, n, last, computed_at, cid) for s, n, last, cid in updates],
    )
    return conn.total_changes() - before


def contacts_with_interactions_in(
    conn: apsw.Connection, ranges: Sequence[tuple[datetime, datetime]]
) -> list[int]:
    """Contacts with an interaction whose occurred_at lies in one of these closed ranges (index range
    scans of interactions_time_contact)."""
    if not ranges:
        return []
    cond = " OR ".join("occurred_at BETWEEN ? AND ?" for _ in ranges)
    params = [iso(x) for lo_hi in ranges for x in lo_hi]
    return [r[0] for r in conn.execute(f"SELECT DISTINCT contact_id FROM interactions WHERE {cond}", params)]


def contacts_with_stale_scores(conn: apsw.Connection) -> list[int]:
    """Contacts that have interactions or a non-zero score (the ones a recompute may change)."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT id FROM contacts WHERE relationship_score != 0 OR interaction_count != 0 "
            "OR last_interaction_at IS NOT NULL UNION SELECT DISTINCT contact_id FROM interactions"
        )
    ]


def mark_read(conn: apsw.Connection, cid: int, platform: str, ref_prefix: str, max_id: int) -> int:
    """A chat's read cursor: the contact's outbound `platform` interactions whose reference is `ref_prefix`
    and a message id at most `max_id` are marked read. Returns how many changed."""
    n = len(ref_prefix)
    conn.execute(
        "UPDATE interactions SET is_read_by_recipient = 1 WHERE contact_id = ? AND platform = ? "
        "AND direction = 'outbound' AND is_read_by_recipient = 0 AND substr(raw_reference_id, 1, ?) = ? "
        "AND CAST(substr(raw_reference_id, ? + 1) AS INTEGER) <= ?",
        (cid, platform, n, ref_prefix, n, max_id),
    )
    return conn.changes()
