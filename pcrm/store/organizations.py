"""Organizations."""

from __future__ import annotations

from typing import Any

import apsw

from pcrm.domain.normalize import fold
from pcrm.store.db import new_uuid, rows, scalar

ORG_FIELDS = ("name", "domain", "industry", "location", "website", "linkedin_url", "twitter_handle", "notes",
              "logo_url")


def rowid_for_uuid(conn: apsw.Connection, uuid: str) -> int | None:
    return scalar(conn, "SELECT id FROM organizations WHERE uuid = ?", (str(uuid).lower(),))


def find_by_name(conn: apsw.Connection, name: str) -> int | None:
    return scalar(conn, "SELECT id FROM organizations WHERE name_fold = ? ORDER BY id LIMIT 1", (fold(name),))


def insert(conn: apsw.Connection, fields: dict[str, Any], now: str, *, uuid: str | None = None) -> int:
    data = {k: v for k, v in fields.items() if k in ORG_FIELDS}
    data["name_fold"] = fold(data["name"])
    data["uuid"] = uuid or new_uuid()
    data["created_at"] = data["updated_at"] = now
    conn.execute(f"INSERT INTO organizations ({', '.join(data)}) VALUES ({', '.join('?' * len(data))})",
                 tuple(data.values()))
    return conn.last_insert_rowid()


def update(conn: apsw.Connection, oid: int, fields: dict[str, Any], now: str) -> None:
    data = {k: v for k, v in fields.items() if k in ORG_FIELDS}
    if "name" in data:
        data["name_fold"] = fold(data["name"])
    data["updated_at"] = now
    conn.execute(f"UPDATE organizations SET {', '.join(f'{k} = ?' for k in data)} WHERE id = ?",
                 (*data.values(), oid))


def get(conn: apsw.Connection, oid: int) -> dict[str, Any] | None:
    r = rows(conn, "SELECT id AS _rowid, uuid AS id, " + ", ".join(ORG_FIELDS) +
             ", created_at, updated_at FROM organizations WHERE id = ?", (oid,))
    return r[0] if r else None


def link_contact(conn: apsw.Connection, cid: int, oid: int | None) -> None:
    conn.execute("UPDATE contacts SET organization_id = ? WHERE id = ?", (oid, cid))
