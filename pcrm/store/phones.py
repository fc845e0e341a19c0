"""contact_phones as a whole: read every number, write a re-normalisation, find a line's holders
[value-normalisation]."""

from __future__ import annotations

from pathlib import Path

import apsw

from pcrm.domain import normalize as n
from pcrm.domain.phones import PhoneRow, Plan
from pcrm.store import settings


def all_rows(conn: apsw.Connection) -> list[PhoneRow]:
    return [
        PhoneRow(*r)
        for r in conn.execute(
            "SELECT id, contact_id, phone, normalized, position FROM contact_phones "
            "ORDER BY contact_id, position, id"
        )
    ]


def apply(conn: apsw.Connection, plan: Plan) -> None:
    """Write a plan inside the caller's transaction. Values move through a placeholder no number has, so
    the rows' UNIQUE(contact_id, normalized) never sees two rows of one contact swapping values midway."""
    assert not conn.get_autocommit(), "a re-normalisation outside a transaction"
    conn.executemany("DELETE FROM contact_phones WHERE id = ?", [(r.id,) for r, _ in plan.dropped])
    conn.executemany(
        "UPDATE contact_phones SET normalized = char(1) || id WHERE id = ?",
        [(r.id,) for r, _ in plan.changed],
    )
    conn.executemany(
        "UPDATE contact_phones SET normalized = ? WHERE id = ?", [(v, r.id) for r, v in plan.changed]
    )


def ids_by_phone_line(conn: apsw.Connection, value: str) -> list[int]:
    """Contacts holding a number that matches a normalised `value` (normalize.phones_match): its line with
    the same extension or none, or, for a bare line, the line with any extension. One index range."""
    line, _ext = n.split_phone(value)
    found = conn.execute(
        "SELECT contact_id, normalized FROM contact_phones "
        "WHERE normalized = ? OR (normalized >= ? AND normalized < ?) ORDER BY contact_id",
        (line, line + n.EXT, line + n.EXT[:-1] + ">"),
    )
    return sorted({cid for cid, stored in found if n.phones_match(value, stored)})


def count(conn: apsw.Connection) -> int:
    row = conn.execute("SELECT count(*) FROM contact_phones").fetchone()
    return int(row[0]) if row else 0


def stored_region(path: Path) -> str | None:
    """The `phone_region` a store file holds, read without creating, migrating or locking it; None when
    there is no store or it cannot be read (`pcrm paths` must answer whatever state the store is in)."""
    if not path.is_file():
        return None
    try:
        conn = apsw.Connection(str(path), flags=apsw.SQLITE_OPEN_READONLY)
    except apsw.Error:
        return None
    try:
        value = settings.get(conn, "phone_region")
    except apsw.Error:
        return None
    finally:
        conn.close()
    return value if isinstance(value, str) else None
