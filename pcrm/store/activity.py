"""Read-only queries behind the score breakdown and the activity trend [score-breakdown]."""

from __future__ import annotations

import apsw

from pcrm.store.rows import first


def occurred_since(conn: apsw.Connection, cid: int, since: str, now: str) -> list[str]:
    """occurred_at of the contact's interactions in [since, now], oldest first."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT occurred_at FROM interactions "
            "WHERE contact_id = ? AND occurred_at >= ? AND occurred_at <= ? ORDER BY occurred_at",
            (cid, since, now),
        )
    ]


def reacted(conn: apsw.Connection, cid: int, limit: int) -> list[tuple[str, str, str | None, str]]:
    """(uuid, occurred_at, content_preview, extra_data) of the contact's newest `limit` messages that
    carry reactions (`extra_data.reactions`, an X DM's) [chat-takeouts]."""
    return [
        (r[0], r[1], r[2], r[3])
        for r in conn.execute(
            "SELECT uuid, occurred_at, content_preview, extra_data FROM interactions "
            "WHERE contact_id = ? AND extra_data IS NOT NULL "
            "AND json_type(extra_data, '$.reactions') = 'array' "
            "ORDER BY occurred_at DESC LIMIT ?",
            (cid, limit),
        )
    ]


def contact_row(conn: apsw.Connection, cid: int) -> tuple[str, str | None, int, int, str | None]:
    """(uuid, full_name, stored score, stored interaction_count, score_computed_at)."""
    uuid, name, score, count, computed_at = first(
        conn,
        "SELECT uuid, full_name, relationship_score, interaction_count, score_computed_at FROM contacts "
        "WHERE id = ?",
        (cid,),
    )
    return uuid, name, score, count, computed_at


def calendar_contacts(
    conn: apsw.Connection,
) -> list[tuple[str, str | None, str, str | None, str | None, int]]:
    """(uuid, full_name, priority_level, last_interaction_at, birthday, rowid) of non-archived, non-2nd-tier
    contacts that have a last interaction or a birthday, by uuid."""
    return [
        tuple(r)
        for r in conn.execute(
            "SELECT c.uuid, c.full_name, c.priority_level, c.last_interaction_at, c.birthday, c.id "
            "FROM contacts c "
            "WHERE c.priority_level != 'archived' "
            "AND (c.last_interaction_at IS NOT NULL OR c.birthday IS NOT NULL) "
            "AND NOT EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag = '2nd tier') "
            "ORDER BY c.uuid"
        )
    ]
