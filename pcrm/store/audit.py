"""The audit log [agent-writes]: one row per write an AI agent made through the MCP server."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import apsw

from pcrm.serialize import dumps, loads
from pcrm.store.rows import integer, new_uuid, rows

_COLUMNS = "uuid AS id, occurred_at, actor, action, target_id, contact_id, arguments"


def insert(
    conn: apsw.Connection,
    *,
    at: str,
    actor: str,
    action: str,
    target_id: str | None,
    contact_id: str | None,
    arguments: Mapping[str, Any],
) -> str:
    uid = new_uuid()
    conn.execute(
        "INSERT INTO audit_log(uuid, occurred_at, actor, action, target_id, contact_id, arguments) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (uid, at, actor, action, target_id, contact_id, dumps(dict(arguments)).decode()),
    )
    return uid


def page(
    conn: apsw.Connection, *, actor: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Entries newest first, and how many there are in all."""
    where, params = ("WHERE actor = ?", (actor,)) if actor else ("", ())
    total = integer(conn, f"SELECT count(*) FROM audit_log {where}", params)
    items = rows(
        conn,
        f"SELECT {_COLUMNS} FROM audit_log {where} ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    for r in items:
        r["arguments"] = loads(r["arguments"])
    return items, total
