"""SQL for the local account (`users`), opaque tokens (`api_tokens`) and the account wipe [local-account]."""

from __future__ import annotations

from typing import Any

import apsw

from pcrm.store import memo
from pcrm.store.rows import integer, new_uuid, one, rows
from pcrm.store.search import rebuild_all

_USER_COLS = "uuid AS id, email, full_name, created_at, updated_at"


# -- the account ----------------------------------------------------------------------------------------


def user_count(conn: apsw.Connection) -> int:
    return integer(conn, "SELECT count(*) FROM users")


def insert_user(
    conn: apsw.Connection, email: str, hashed_password: str, full_name: str | None, now: str
) -> str:
    uid = new_uuid()
    conn.execute(
        "INSERT INTO users(uuid, email, hashed_password, full_name, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (uid, email, hashed_password, full_name, now, now),
    )
    return uid


def user_by_email(conn: apsw.Connection, email: str) -> dict[str, Any] | None:
    return one(conn, f"SELECT {_USER_COLS}, hashed_password FROM users WHERE email = ?", (email,))


def user_by_uuid(conn: apsw.Connection, uid: str) -> dict[str, Any] | None:
    """The account with this id (remembered as the_user is: every login token's check reads it)."""
    return memo.row(
        conn,
        ("user", uid),
        lambda: one(conn, f"SELECT {_USER_COLS}, hashed_password FROM users WHERE uuid = ?", (uid,)),
    )


def the_user(conn: apsw.Connection) -> dict[str, Any] | None:
    """The account (remembered by a daemon connection until the store changes: every login check reads it)."""
    sql = f"SELECT {_USER_COLS}, hashed_password FROM users ORDER BY id LIMIT 1"
    return memo.row(conn, ("user",), lambda: one(conn, sql))


def update_user(conn: apsw.Connection, uid: str, changes: dict[str, Any], now: str) -> None:
    allowed = {"full_name", "hashed_password", "email"}
    cols = [c for c in changes if c in allowed]
    if not cols:
        return
    sets = ", ".join(f"{c} = ?" for c in cols)
    conn.execute(
        f"UPDATE users SET {sets}, updated_at = ? WHERE uuid = ?", (*[changes[c] for c in cols], now, uid)
    )


# -- opaque tokens ------------------------------------------------------------------------------------------


def insert_token(conn: apsw.Connection, kind: str, name: str, token_hash: str, now: str) -> dict[str, Any]:
    uid = new_uuid()
    conn.execute(
        "INSERT INTO api_tokens(uuid, name, kind, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
        (uid, name, kind, token_hash, now),
    )
    return {"id": uid, "name": name, "created_at": now}


def live_token_by_name(conn: apsw.Connection, kind: str, name: str) -> dict[str, Any] | None:
    return one(
        conn,
        "SELECT uuid AS id, name, created_at, last_used_at FROM api_tokens "
        "WHERE kind = ? AND name = ? AND revoked_at IS NULL",
        (kind, name),
    )


def last_revoked_by_name(conn: apsw.Connection, kind: str, name: str) -> dict[str, Any] | None:
    """The token of this kind and name revoked most recently, or None."""
    return one(
        conn,
        "SELECT uuid AS id, name, revoked_at FROM api_tokens WHERE kind = ? AND name = ? "
        "AND revoked_at IS NOT NULL ORDER BY revoked_at DESC, id DESC LIMIT 1",
        (kind, name),
    )


def token_by_hash(conn: apsw.Connection, kind: str, token_hash: str) -> dict[str, Any] | None:
    """The token with this hash, live or revoked (the caller tells them apart by revoked_at); remembered by a
    daemon connection until the store changes (a revocation is a change)."""
    return memo.row(
        conn,
        ("token", kind, token_hash),
        lambda: one(
            conn,
            "SELECT id AS rowid, uuid AS id, name, created_at, last_used_at, revoked_at "
            "FROM api_tokens WHERE kind = ? AND token_hash = ?",
            (kind, token_hash),
        ),
        missing=False,  # any made-up token would take a place
    )


def list_tokens(conn: apsw.Connection, kind: str, *, include_revoked: bool = False) -> list[dict[str, Any]]:
    where = "" if include_revoked else " AND revoked_at IS NULL"
    return rows(
        conn,
        "SELECT uuid AS id, name, created_at, last_used_at, revoked_at FROM api_tokens "
        f"WHERE kind = ?{where} ORDER BY created_at, id",
        (kind,),
    )


def revoke_tokens(conn: apsw.Connection, kind: str, now: str, name: str | None = None) -> int:
    """Revoke the live token(s) of a kind (by name when given); returns how many."""
    if name is None:
        conn.execute(
            "UPDATE api_tokens SET revoked_at = ? WHERE kind = ? AND revoked_at IS NULL", (now, kind)
        )
    else:
        conn.execute(
            "UPDATE api_tokens SET revoked_at = ? WHERE kind = ? AND name = ? AND revoked_at IS NULL",
            (now, kind, name),
        )
    return conn.changes()


def touch_token(conn: apsw.Connection, rowid: int, now: str) -> None:
    conn.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", (now, rowid))


# -- the account wipe (DELETE /auth/me) ----------------------------------------------------------------------


def wipe_all(conn: apsw.Connection) -> dict[str, int]:
    """Delete every row of every table except the migration record, children before parents, and
    leave the search indexes empty and consistent. Runs inside the caller's write transaction."""
    tables = [
        r["name"]
        for r in rows(
            conn,
            "SELECT name FROM pragma_table_list WHERE schema = 'main' "
            "AND type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
    ]
    tables = [t for t in tables if t != "schema_migrations"]
    parents = {
        t: {r["table"] for r in rows(conn, f"SELECT \"table\" FROM pragma_foreign_key_list('{t}')")}
        for t in tables
    }
    order: list[str] = []
    remaining = set(tables)
    while remaining:
        # a table goes once no remaining table points at it
        ready = sorted(t for t in remaining if not any(t in parents[o] for o in remaining if o != t))
        if not ready:  # a cycle: the transaction defers the checks
            ready = sorted(remaining)
        for t in ready:
            order.append(t)
            remaining.discard(t)
    conn.execute("PRAGMA defer_foreign_keys = ON")
    counts = {}
    for t in order:
        n = integer(conn, f'SELECT count(*) FROM "{t}"')
        conn.execute(f'DELETE FROM "{t}"')
        if n:
            counts[t] = n

    rebuild_all(conn)
    return counts
