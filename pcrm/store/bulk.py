"""The bulk load path: many contacts and interactions in one transaction (demo, benchmarks, restores).

Callers must have checked identities already (the demo and the generator make unique ones); the
unique indexes still refuse a clash, which aborts the whole load.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

import apsw

from pcrm.domain.normalize import fold, full_name
from pcrm.serialize import dumps
from pcrm.store.db import new_uuid

_CONTACT_COLS = ("uuid", "full_name", "given_name", "family_name", "name_fold", "company", "title", "location",
                 "latitude", "longitude", "birthday", "notes", "priority_level", "source", "bcc_hash",
                 "organization_id", "linkedin_url", "created_at", "updated_at", "import_batch_id")


def insert_contacts(conn: apsw.Connection, records: Sequence[dict[str, Any]], now: str) -> list[int]:
    """Insert contacts with their emails, phones, tags and identities; returns their rowids in order."""
    ids: list[int] = []
    sql = (f"INSERT INTO contacts ({', '.join(_CONTACT_COLS)}) VALUES ({', '.join('?' * len(_CONTACT_COLS))}) "
           "RETURNING id")
    emails: list[tuple[Any, ...]] = []
    phones: list[tuple[Any, ...]] = []
    tags: list[tuple[Any, ...]] = []
    idents: list[tuple[Any, ...]] = []
    for r in records:
        name = full_name(r.get("full_name"), r.get("given_name"), r.get("family_name"))
        values = dict(r, uuid=r.get("uuid") or new_uuid(), full_name=name, name_fold=fold(name),
                      priority_level=r.get("priority_level") or "medium",
                      created_at=r.get("created_at") or now, updated_at=r.get("updated_at") or now)
        cid = conn.execute(sql, tuple(values.get(c) for c in _CONTACT_COLS)).fetchone()[0]
        ids.append(cid)
        emails += [(cid, e, i) for i, e in enumerate(r.get("emails") or [])]
        phones += [(cid, raw, norm, i) for i, (raw, norm) in enumerate(r.get("phones") or [])]
        tags += [(cid, t, i) for i, t in enumerate(r.get("tags") or [])]
        idents += [(cid, p, ext, h, now) for p, ext, h in r.get("identities") or []]
    conn.executemany("INSERT INTO contact_emails(contact_id, email, position) VALUES (?, ?, ?)", emails)
    conn.executemany("INSERT INTO contact_phones(contact_id, phone, normalized, position) VALUES (?, ?, ?, ?)",
                     phones)
    conn.executemany("INSERT INTO contact_tags(contact_id, tag, position) VALUES (?, ?, ?)", tags)
    conn.executemany("INSERT INTO contact_identities(contact_id, platform, external_id, handle, created_at) "
                     "VALUES (?, ?, ?, ?, ?)", idents)
    return ids


def insert_interactions(conn: apsw.Connection, records: Iterable[tuple[int, dict[str, Any]]], now: str) -> int:
    """Insert (contact rowid, interaction) pairs; duplicates by (contact, ref) are skipped."""
    rows = [
        (new_uuid(), cid, r["platform"], r["direction"], r.get("content_preview"), r.get("raw_reference_id"),
         dumps(r["extra_data"]).decode() if r.get("extra_data") is not None else None,
         r["occurred_at"], r.get("created_at") or now)
        for cid, r in records
    ]
    before = conn.execute("SELECT coalesce(max(id), 0) FROM interactions").fetchone()[0]
    conn.executemany(
        "INSERT INTO interactions(uuid, contact_id, platform, direction, content_preview, raw_reference_id, "
        "extra_data, occurred_at, created_at) VALUES (?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(contact_id, raw_reference_id) WHERE raw_reference_id IS NOT NULL DO NOTHING", rows)
    return conn.execute("SELECT count(*) FROM interactions WHERE id > ?", (before,)).fetchone()[0]


def insert_organizations(conn: apsw.Connection, names: Sequence[tuple[str, str | None]], now: str) -> dict[str, int]:
    """Organizations by name (name, domain); returns name -> rowid."""
    out: dict[str, int] = {}
    for name, domain in names:
        out[name] = conn.execute(
            "INSERT INTO organizations(uuid, name, name_fold, domain, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id", (new_uuid(), name, fold(name), domain, now, now)).fetchone()[0]
    return out
