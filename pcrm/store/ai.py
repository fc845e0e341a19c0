"""What the AI features read and write [ai-taxonomy] [ai-events]: the tag taxonomy row, contacts' text for
prompts, append-only tags, detected events."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import apsw

from pcrm.serialize import dumps, loads
from pcrm.store.rows import new_uuid, one, rows

# ------------------------------------------------------------------ taxonomy


def get_taxonomy(conn: apsw.Connection) -> dict[str, Any] | None:
    r = one(conn, "SELECT categories, status, created_at, updated_at FROM tag_taxonomies WHERE id = 1")
    if r is None:
        return None
    r["categories"] = loads(r["categories"])
    return r


def put_taxonomy(conn: apsw.Connection, categories: dict[str, list[str]], status: str, now: str) -> None:
    conn.execute(
        "INSERT INTO tag_taxonomies(id, categories, status, created_at, updated_at) VALUES (1, ?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET categories = excluded.categories, status = excluded.status, "
        "updated_at = excluded.updated_at",
        (dumps(categories).decode(), status, now, now),
    )


def fold_taxonomy(
    conn: apsw.Connection, fold: Callable[[dict[str, list[str]]], dict[str, list[str]]]
) -> bool:
    """The taxonomy's categories as `fold` makes them (migration m022), its status and times kept; whether
    they changed."""
    t = get_taxonomy(conn)
    if t is None:
        return False
    folded = fold(t["categories"])
    if folded == t["categories"]:
        return False
    conn.execute("UPDATE tag_taxonomies SET categories = ? WHERE id = 1", (dumps(folded).decode(),))
    return True


# ------------------------------------------------------------------ contacts' text

_TEXT = (
    "c.id AS rowid, c.uuid AS id, c.full_name, c.given_name, c.title, c.company, c.location, c.twitter_bio, "
    "c.telegram_bio, c.linkedin_headline, c.notes, "
    "(SELECT json_group_array(tag) FROM (SELECT tag FROM contact_tags t WHERE t.contact_id = c.id "
    "ORDER BY position)) AS tags"
)
_ACTIVE = (
    "c.priority_level != 'archived' "
    "AND NOT EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag = '2nd tier')"
)


def _decode(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for r in items:
        r["tags"] = loads(r["tags"]) if r["tags"] else []
    return items


def active_texts(conn: apsw.Connection) -> list[dict[str, Any]]:
    """Every non-archived, non-2nd-tier contact's text fields and tags, oldest first."""
    return _decode(rows(conn, f"SELECT {_TEXT} FROM contacts c WHERE {_ACTIVE} ORDER BY c.id"))


def texts_of(conn: apsw.Connection, uuids: Sequence[str]) -> list[dict[str, Any]]:
    """The same for the given contacts (unknown ids skipped), in the given order."""
    out: list[dict[str, Any]] = []
    for i in range(0, len(uuids), 500):
        chunk = list(uuids[i : i + 500])
        marks = ", ".join("?" for _ in chunk)
        out += rows(conn, f"SELECT {_TEXT} FROM contacts c WHERE c.uuid IN ({marks})", chunk)
    order = {u: i for i, u in enumerate(uuids)}
    return _decode(sorted(out, key=lambda r: order[r["id"]]))


def topics(
    conn: apsw.Connection, cids: Sequence[int], per_contact: int, no_text: Iterable[str]
) -> dict[int, list[str]]:
    """Up to `per_contact` recent message previews per contact, skipping platforms that keep no text."""
    skip = tuple(no_text)
    out: dict[int, list[str]] = {}
    marks = ", ".join("?" for _ in skip) or "''"
    for cid in cids:
        out[cid] = [
            r["content_preview"]
            for r in rows(
                conn,
                "SELECT content_preview FROM interactions WHERE contact_id = ? "
                "AND content_preview IS NOT NULL AND content_preview != '' AND direction != 'event' "
                f"AND platform NOT IN ({marks}) "
                "ORDER BY occurred_at DESC, id DESC LIMIT ?",
                (cid, *skip, per_contact),
            )
        ]
    return out


def recent_interactions(conn: apsw.Connection, cid: int, now: str, limit: int) -> list[dict[str, Any]]:
    """The latest `limit` interactions up to now (notes and events excluded), oldest first."""
    items = rows(
        conn,
        "SELECT platform, direction, content_preview, occurred_at FROM interactions "
        "WHERE contact_id = ? AND occurred_at <= ? AND direction IN ('inbound', 'outbound', 'mutual') "
        "ORDER BY occurred_at DESC, id DESC LIMIT ?",
        (cid, now, limit),
    )
    return list(reversed(items))


def append_tags(conn: apsw.Connection, additions: dict[int, list[str]], now: str) -> None:
    """Add tags after a contact's existing ones (already lowercase; existing tags never removed)."""
    for cid, tags in additions.items():
        if not tags:
            continue
        conn.executemany(
            "INSERT OR IGNORE INTO contact_tags(contact_id, tag, position) VALUES (?, ?, "
            "(SELECT coalesce(max(position), -1) + 1 FROM contact_tags WHERE contact_id = ?))",
            [(cid, t, cid) for t in tags],
        )
        conn.execute("UPDATE contacts SET updated_at = ? WHERE id = ?", (now, cid))


def append_tags_by_uuid(conn: apsw.Connection, additions: dict[str, list[str]], now: str) -> None:
    """The same, each contact found by its uuid: one that is gone gets nothing (tags chosen before this
    transaction, for a contact deleted or merged away meanwhile, whose row number another may now have)."""
    for uuid, tags in additions.items():
        if not tags:
            continue
        conn.executemany(
            "INSERT OR IGNORE INTO contact_tags(contact_id, tag, position) SELECT c.id, ?, "
            "(SELECT coalesce(max(position), -1) + 1 FROM contact_tags WHERE contact_id = c.id) "
            "FROM contacts c WHERE c.uuid = ?",
            [(t, uuid) for t in tags],
        )
        conn.execute("UPDATE contacts SET updated_at = ? WHERE uuid = ?", (now, uuid))


# ------------------------------------------------------------------ detected events


def insert_event(
    conn: apsw.Connection,
    cid: int,
    event_type: str,
    confidence: float,
    summary: str,
    details: dict[str, Any],
    now: str,
) -> str:
    uuid = new_uuid()
    conn.execute(
        "INSERT INTO detected_events(uuid, contact_id, event_type, confidence, summary, details, "
        "detected_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (uuid, cid, event_type, confidence, summary, dumps(details).decode(), now, now),
    )
    return uuid


def events_of(conn: apsw.Connection, cid: int) -> list[dict[str, Any]]:
    """A contact's detected events, newest first (`details` as the JSON text stored)."""
    return rows(
        conn,
        "SELECT uuid AS id, event_type, confidence, summary, details, source_url, detected_at "
        "FROM detected_events WHERE contact_id = ? ORDER BY detected_at DESC, id DESC",
        (cid,),
    )
