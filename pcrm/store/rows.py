"""Reading rows: small typed helpers over a connection, for every store module.

They live apart from db.py (which opens connections and runs migrations) so that migrations, backups
and the rest can use them without importing the module that imports them.
"""

from __future__ import annotations

import uuid as _uuid
from typing import Any

import apsw


def new_uuid() -> str:
    return str(_uuid.uuid4())


class MissingRow(LookupError):
    """A query that always answers a row (an aggregate, a row just written or known to exist) answered
    none, or not the type its caller reads: the SQL is wrong or the row went away underneath."""


def rows(conn: apsw.Connection, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    cur = conn.execute(sql, params)
    out = []
    desc = None
    for row in cur:
        if desc is None:
            desc = [d[0] for d in cur.get_description()]
        out.append(dict(zip(desc, row, strict=False)))
    return out


def one(conn: apsw.Connection, sql: str, params: Any = ()) -> dict[str, Any] | None:
    r = rows(conn, sql, params)
    return r[0] if r else None


def first(conn: apsw.Connection, sql: str, params: Any = ()) -> tuple[Any, ...]:
    """The first row of a query that always answers one (an aggregate, a row known to exist)."""
    row = conn.execute(sql, params).fetchone()
    if not isinstance(row, tuple):  # None: no row (apsw rows are tuples: no row tracer is set)
        raise MissingRow(f"no row from: {sql}")
    return row


def integer(conn: apsw.Connection, sql: str, params: Any = ()) -> int:
    """The integer a query always answers: a count, a max, the id an INSERT ... RETURNING made."""
    value = first(conn, sql, params)[0]
    if not isinstance(value, int):
        raise MissingRow(f"not an integer ({value!r}) from: {sql}")
    return value


def text(conn: apsw.Connection, sql: str, params: Any = ()) -> str:
    """The text a query always answers: a column of a row known to exist."""
    value = first(conn, sql, params)[0]
    if not isinstance(value, str):
        raise MissingRow(f"not text ({value!r}) from: {sql}")
    return value


def maybe_int(conn: apsw.Connection, sql: str, params: Any = ()) -> int | None:
    """The first column of the first row, an integer; None when no row matches (or it is NULL)."""
    value = _first_value(conn, sql, params)
    if value is not None and not isinstance(value, int):
        raise MissingRow(f"not an integer ({value!r}) from: {sql}")
    return value


def maybe_str(conn: apsw.Connection, sql: str, params: Any = ()) -> str | None:
    """The first column of the first row, text; None when no row matches (or it is NULL)."""
    value = _first_value(conn, sql, params)
    if value is not None and not isinstance(value, str):
        raise MissingRow(f"not text ({value!r}) from: {sql}")
    return value


def exists(conn: apsw.Connection, sql: str, params: Any = ()) -> bool:
    """Whether the query answers any row."""
    return conn.execute(sql, params).fetchone() is not None


def _first_value(conn: apsw.Connection, sql: str, params: Any) -> apsw.SQLiteValue:
    for row in conn.execute(sql, params):
        value: apsw.SQLiteValue = row[0]
        return value
    return None
