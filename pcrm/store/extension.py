"""SQL for the browser extension's pairing codes (`extension_pairings`) [extension-pairing]."""

from __future__ import annotations

from typing import Any

import apsw

from pcrm.store.rows import integer, one


def by_code(conn: apsw.Connection, code: str) -> dict[str, Any] | None:
    return one(
        conn,
        "SELECT id, code, expires_at, claimed_at, attempts FROM extension_pairings WHERE code = ?",
        (code,),
    )


def insert(conn: apsw.Connection, code: str, expires_at: str) -> None:
    conn.execute("INSERT INTO extension_pairings(code, expires_at) VALUES (?, ?)", (code, expires_at))


def extend(conn: apsw.Connection, pid: int, expires_at: str) -> None:
    conn.execute("UPDATE extension_pairings SET expires_at = ? WHERE id = ?", (expires_at, pid))


def count_poll(conn: apsw.Connection, pid: int) -> int:
    """One more poll of a code: its attempts so far, this one included."""
    return integer(
        conn, "UPDATE extension_pairings SET attempts = attempts + 1 WHERE id = ? RETURNING attempts", (pid,)
    )


def claim(conn: apsw.Connection, pid: int, now: str) -> None:
    conn.execute(
        "UPDATE extension_pairings SET claimed_at = coalesce(claimed_at, ?) WHERE id = ?", (now, pid)
    )


def prune(conn: apsw.Connection, before: str) -> None:
    """Forget unclaimed codes that expired before `before`."""
    conn.execute("DELETE FROM extension_pairings WHERE claimed_at IS NULL AND expires_at < ?", (before,))


def delete_all(conn: apsw.Connection) -> int:
    conn.execute("DELETE FROM extension_pairings")
    return conn.changes()


def counts(conn: apsw.Connection, now: str) -> dict[str, int]:
    row = one(
        conn,
        "SELECT count(*) FILTER (WHERE claimed_at IS NULL AND expires_at >= ?) AS pending, "
        "count(*) FILTER (WHERE claimed_at IS NOT NULL) AS claimed FROM extension_pairings",
        (now,),
    )
    return {"pending": int((row or {}).get("pending") or 0), "claimed": int((row or {}).get("claimed") or 0)}
