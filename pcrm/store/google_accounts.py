"""SQL for the connected Google accounts (`google_accounts`) [google-oauth]; their tokens live in the
secret store, never here."""

from __future__ import annotations

from typing import Any

import apsw

from pcrm.store.rows import new_uuid, one, rows

_COLS = "uuid AS id, email, created_at"


def upsert(conn: apsw.Connection, email: str, now: str) -> dict[str, Any]:
    """The account of this email, created when missing."""
    conn.execute(
        "INSERT INTO google_accounts(uuid, email, created_at) VALUES (?, ?, ?) ON CONFLICT(email) DO NOTHING",
        (new_uuid(), email, now),
    )
    found = one(conn, f"SELECT {_COLS} FROM google_accounts WHERE email = ?", (email,))
    assert found is not None
    return found


def all_accounts(conn: apsw.Connection) -> list[dict[str, Any]]:
    return rows(conn, f"SELECT {_COLS} FROM google_accounts ORDER BY created_at, id")


def get(conn: apsw.Connection, uuid: str) -> dict[str, Any] | None:
    return one(conn, f"SELECT {_COLS} FROM google_accounts WHERE uuid = ?", (uuid,))


def delete(conn: apsw.Connection, uuid: str) -> None:
    conn.execute("DELETE FROM google_accounts WHERE uuid = ?", (uuid,))
