"""The settings table: JSON values by key (defaults live in domain/settings.py)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

import apsw

from pcrm import clock
from pcrm.domain.dates import zone as named_zone
from pcrm.serialize import dumps, loads


def all_values(conn: apsw.Connection) -> dict[str, Any]:
    """Every stored setting but the `_internal.` bookkeeping (read by key where it is used: some is large,
    e.g. the uuids a vCard folder export wrote, and every command and daemon read resolves the settings)."""
    return {
        k: loads(v)
        for k, v in conn.execute("SELECT key, value FROM settings WHERE substr(key, 1, 10) != '_internal.'")
    }


def get(conn: apsw.Connection, key: str) -> Any:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return loads(row[0]) if row else None


def zone(conn: apsw.Connection) -> tzinfo:
    """The zone of this store's `timezone` setting, the system's without one, as Context.tz() gives it; the
    system's too while a migration has yet to create the settings table."""
    try:
        name = get(conn, "timezone")
    except apsw.SQLError:  # no settings table yet: the first migration is running
        name = None
    return named_zone(name)


def now(conn: apsw.Connection) -> datetime:
    """The clock for code that holds a connection but no Context (a backup's name, a migration's stamp):
    a pinned time without a zone is read in this store's zone, as Context.now reads it [pinned-clock]."""
    return clock.now(lambda: zone(conn))


def put(conn: apsw.Connection, key: str, value: Any, now: str) -> None:
    conn.execute(
        "INSERT INTO settings(key, value, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        (key, dumps(value).decode(), now),
    )


def delete(conn: apsw.Connection, key: str) -> None:
    conn.execute("DELETE FROM settings WHERE key = ?", (key,))


INTERNAL_PREFIX = "_internal."


def user_values(conn: apsw.Connection) -> dict[str, Any]:
    """Stored values the user may see: everything except the `_internal.` bookkeeping keys."""
    return {
        k: loads(v)
        for k, v in conn.execute(
            "SELECT key, value FROM settings WHERE substr(key, 1, ?) != ?",
            (len(INTERNAL_PREFIX), INTERNAL_PREFIX),
        )
    }


def put_many(conn: apsw.Connection, values: dict[str, Any], now: str) -> None:
    """Store several values; a None value removes the key (back to its default)."""
    for key, value in values.items():
        if value is None:
            delete(conn, key)
        else:
            put(conn, key, value, now)
