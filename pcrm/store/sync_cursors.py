"""Where each source resumes: one cursor per (source, account), saved in the transaction of the batch it
follows, so a crash resumes after the last committed batch and never skips or repeats one."""

from __future__ import annotations

from typing import Any

import apsw

from pcrm.store.rows import maybe_str, rows


def get(conn: apsw.Connection, source: str, account: str = "") -> str | None:
    return maybe_str(
        conn, "SELECT cursor FROM sync_cursors WHERE source = ? AND account = ?", (source, account)
    )


def put(conn: apsw.Connection, source: str, cursor: str, now: str, account: str = "") -> None:
    conn.execute(
        "INSERT INTO sync_cursors(source, account, cursor, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(source, account) DO UPDATE SET cursor = excluded.cursor, "
        "updated_at = excluded.updated_at",
        (source, account, cursor, now),
    )


def delete(conn: apsw.Connection, source: str) -> int:
    conn.execute("DELETE FROM sync_cursors WHERE source = ?", (source,))
    return conn.changes()


def all_cursors(conn: apsw.Connection) -> list[dict[str, Any]]:
    return rows(conn, "SELECT source, account, cursor, updated_at FROM sync_cursors ORDER BY source, account")
