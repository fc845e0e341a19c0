"""Notifications: the in-app inbox [notification-inbox]."""

from __future__ import annotations

from typing import Any

import apsw

from pcrm.store.rows import integer, maybe_int, new_uuid, rows

_COLUMNS = "uuid AS id, notification_type, title, body, read, link, created_at"


def _shape(r: dict[str, Any]) -> dict[str, Any]:
    r["read"] = bool(r["read"])
    return r


def insert(
    conn: apsw.Connection, notification_type: str, title: str, body: str | None, link: str | None, now: str
) -> int:
    return integer(
        conn,
        "INSERT INTO notifications(uuid, notification_type, title, body, link, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        (new_uuid(), notification_type, title, body, link, now),
    )


def get(conn: apsw.Connection, nid: int) -> dict[str, Any] | None:
    r = rows(conn, f"SELECT {_COLUMNS} FROM notifications WHERE id = ?", (nid,))
    return _shape(r[0]) if r else None


def ids_by_prefix(conn: apsw.Connection, prefix: str, limit: int = 10) -> list[int]:
    low = prefix.strip().lower()
    return [
        r[0]
        for r in conn.execute(
            "SELECT id FROM notifications WHERE uuid >= ? AND uuid < ? ORDER BY id LIMIT ?",
            (low, low + "\uffff", limit),
        )
    ]


def rowid_for_uuid(conn: apsw.Connection, uuid: str) -> int | None:
    return maybe_int(conn, "SELECT id FROM notifications WHERE uuid = ?", (uuid.strip().lower(),))


def page(
    conn: apsw.Connection, *, unread_only: bool, link: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Newest first (ties: newest row first)."""
    conds, params = [], []
    if unread_only:
        conds.append("read = 0")
    if link is not None:
        conds.append("link = ?")
        params.append(link)
    where = " AND ".join(conds) or "1"
    total = integer(conn, f"SELECT count(*) FROM notifications WHERE {where}", params)
    items = rows(
        conn,
        f"SELECT {_COLUMNS} FROM notifications WHERE {where} "
        "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return [_shape(r) for r in items], total


def mark_read(conn: apsw.Connection, nid: int) -> bool:
    """Mark one notification read; False when it was read already."""
    conn.execute("UPDATE notifications SET read = 1 WHERE id = ? AND read = 0", (nid,))
    return conn.changes() > 0


def mark_all_read(conn: apsw.Connection) -> int:
    conn.execute("UPDATE notifications SET read = 1 WHERE read = 0")
    return conn.changes()


def unread_count(conn: apsw.Connection) -> int:
    return integer(conn, "SELECT count(*) FROM notifications WHERE read = 0")
