"""Named lock rows shared by every process on the store [sync-runs]: one sync of a source at a time,
whichever shell started it. Each statement runs on its own (autocommit), so taking a lock is atomic."""

from __future__ import annotations

from typing import Any

import apsw

from pcrm.store.rows import maybe_str, rows


def acquire(conn: apsw.Connection, name: str, holder: str, now: str, expires: str) -> bool:
    """Take the lock unless someone holds an unexpired one; True when `holder` has it now."""
    conn.execute("DELETE FROM locks WHERE name = ? AND expires_at <= ?", (name, now))
    conn.execute(
        "INSERT OR IGNORE INTO locks(name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)",
        (name, holder, now, expires),
    )
    return maybe_str(conn, "SELECT holder FROM locks WHERE name = ?", (name,)) == holder


def get(conn: apsw.Connection, name: str) -> dict[str, Any] | None:
    found = rows(conn, "SELECT name, holder, acquired_at, expires_at FROM locks WHERE name = ?", (name,))
    return found[0] if found else None


def renew(conn: apsw.Connection, name: str, holder: str, expires: str) -> bool:
    """Push the expiry of a lock `holder` still holds; False when it lost it."""
    conn.execute("UPDATE locks SET expires_at = ? WHERE name = ? AND holder = ?", (expires, name, holder))
    return conn.changes() > 0


def steal(conn: apsw.Connection, name: str, holder: str, stale_holder: str, now: str, expires: str) -> bool:
    """Take over a lock whose holder is known to be gone (its process died)."""
    conn.execute(
        "UPDATE locks SET holder = ?, acquired_at = ?, expires_at = ? WHERE name = ? AND holder = ?",
        (holder, now, expires, name, stale_holder),
    )
    return conn.changes() > 0


def release(conn: apsw.Connection, name: str, holder: str) -> None:
    conn.execute("DELETE FROM locks WHERE name = ? AND holder = ?", (name, holder))


def put(conn: apsw.Connection, name: str, holder: str, now: str, expires: str) -> None:
    """Set the row whoever holds it (a gate that closes until `expires`, e.g. a rate limit's wait)."""
    conn.execute(
        "INSERT INTO locks(name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at, "
        "expires_at = max(locks.expires_at, excluded.expires_at)",
        (name, holder, now, expires),
    )
