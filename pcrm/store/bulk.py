"""The bulk load path: many contacts and interactions in one transaction (demo, benchmarks, restores).

Callers must have checked identities already (the demo and the generator make unique ones); the
unique indexes still refuse a clash, which aborts the whole load.

What makes it fast (bench/generate.py measures it on 100k contacts / 1M interactions):
- rows go in through `executemany` with the rowids chosen up front (we hold the write lock, so
  max(id)+1... is ours), instead of one `INSERT ... RETURNING` per contact;
- UUIDs come from one `os.urandom` call per batch instead of `uuid.uuid4()` per row;
- for large batches the per-row triggers (search-dirty marks, the R*Tree point, the FTS5 trigram
  insert, the 2nd-tier promotion) are dropped for the duration of the insert and replaced by one
  set-based statement each; when the batch is at least as big as the table, its non-unique indexes
  are dropped too and rebuilt once. Everything is re-created from its own stored SQL inside the same
  transaction (a failure rolls the DDL back with the data);
- a larger page cache while loading, so the indexes' B-trees are not evicted and re-read.
Afterwards the store is exactly what the row-at-a-time path would have produced.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

import apsw

from pcrm.domain.normalize import fold, full_name
from pcrm.serialize import dumps
from pcrm.store.contacts import plain_name, umlaut_name
from pcrm.store.db import deferred_indexes, recreate_before_commit, write
from pcrm.store.rows import integer, new_uuid

_CONTACT_COLS = (
    "id",
    "uuid",
    "full_name",
    "given_name",
    "family_name",
    "name_fold",
    "name_plain",
    "name_umlaut",
    "company",
    "title",
    "location",
    "latitude",
    "longitude",
    "birthday",
    "notes",
    "priority_level",
    "source",
    "bcc_hash",
    "organization_id",
    "linkedin_url",
    "created_at",
    "updated_at",
    "import_batch_id",
)

# Below this many rows the per-row triggers are cheaper than a schema change.
_SET_BASED_FROM = 500
_BULK_CACHE_KIB = 256 * 1024

_VARIANT = "89ab"


def uuids(n: int) -> list[str]:
    """n random (version 4, RFC 4122 variant) UUIDs in canonical lowercase form, from one urandom call."""
    h = os.urandom(16 * n).hex()
    return [
        f"{h[k : k + 8]}-{h[k + 8 : k + 12]}-4{h[k + 13 : k + 16]}-"
        f"{_VARIANT[int(h[k + 16], 16) & 3]}{h[k + 17 : k + 20]}-{h[k + 20 : k + 32]}"
        for k in range(0, 32 * n, 32)
    ]


class _BigCache:
    """Raise the connection's page cache for the duration of a load, then put it back."""

    def __init__(self, conn: apsw.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.before = integer(self.conn, "PRAGMA cache_size")
        if self.before >= 0 or -self.before < _BULK_CACHE_KIB:
            self.conn.execute(f"PRAGMA cache_size=-{_BULK_CACHE_KIB}")

    def __exit__(self, *exc: object) -> None:
        self.conn.execute(f"PRAGMA cache_size={int(self.before)}")


class _Deferred:
    """Per-row maintenance switched off for one big insert, and redone set-based before it ends.

    Drops the named triggers and (when the batch is at least as large as what the table holds, so a
    rebuild costs no more than the per-row upkeep) the table's non-unique secondary indexes, keeping
    their stored CREATE statements; `restore()` re-runs those statements. Must run inside a
    transaction or savepoint: if anything fails in between, the rollback brings the DDL back too.
    """

    def __init__(self, conn: apsw.Connection, table: str, triggers: Sequence[str], *, batch: int) -> None:
        self.conn = conn
        self.active = batch >= _SET_BASED_FROM
        self.saved: list[str] = []
        if not self.active:
            return
        assert not conn.get_autocommit(), "bulk DDL outside a transaction"
        names = list(triggers)
        existing = integer(conn, f"SELECT count(*) FROM {table}")
        if batch >= existing:
            names += [
                r[1] for r in conn.execute(f"PRAGMA index_list({table})") if r[3] == "c" and not r[2]
            ]  # created by CREATE INDEX, not unique
        marks = ",".join("?" * len(names))
        found = {
            r[0]: r[1]
            for r in conn.execute(
                f"SELECT name, sql FROM sqlite_schema WHERE name IN ({marks}) AND sql IS NOT NULL",
                tuple(names),
            )
        }
        missing = [n for n in triggers if n not in found]
        if missing:
            raise RuntimeError(f"schema objects missing: {', '.join(missing)}; run `pcrm db check`")
        for name in names:
            kind = "TRIGGER" if name in triggers else "INDEX"
            conn.execute(f'DROP {kind} "{name}"')
            self.saved.append(found[name])

    def restore(self) -> None:
        for create in self.saved:
            self.conn.execute(create)
        self.saved = []


# Per-row triggers on a contact insert; in bulk, one statement each does their work.
_CONTACT_TRIGGERS = (
    "contacts_search_insert",
    "emails_search_insert",
    "phones_search_insert",
    "identities_search_insert",
    "tags_search_insert",
    "contacts_geo_insert",
)
_CHILD_TABLES = ("contact_emails", "contact_phones", "contact_tags", "contact_identities", "contact_fields")


# Indexes of contacts that only views read (lists, the map, scores, pages), never a look-up of an import's
# matching (names, companies, organizations, Google resources and import batches keep theirs).
VIEW_INDEXES = (
    "contacts_score",
    "contacts_created",
    "contacts_last_interaction",
    "contacts_interaction_count",
    "contacts_priority_score",
    "contacts_map",
    "contacts_rank",
    "contacts_priority",
    "contacts_name_plain",
    "contacts_name_umlaut",
)


def defer_view_indexes(conn: apsw.Connection, *, made: int, batch: int) -> None:
    """For a transaction that has inserted `made` contacts and is about to insert `batch` more (a streamed
    import [streamed-imports]): once that is at least what the store held before it, drop the contacts'
    view indexes until the transaction commits (store.db.write re-creates them just before). Rebuilt once
    at the end they cost less than kept up to date row by row over the batches still to come; the
    matching's look-ups never read them."""
    held = deferred_indexes(conn)
    if held.issuperset(VIEW_INDEXES):
        return
    if made + batch < max(_SET_BASED_FROM, integer(conn, "SELECT count(*) FROM contacts") - made):
        return
    marks = ",".join("?" * len(VIEW_INDEXES))
    for name, create in conn.execute(
        f"SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'contacts' "
        f"AND name IN ({marks})",
        VIEW_INDEXES,
    ).fetchall():
        if name not in held:
            conn.execute(f'DROP INDEX "{name}"')
            recreate_before_commit(conn, str(name), str(create))


def next_contact_id(conn: apsw.Connection) -> int:
    """The first free contact rowid (inside the write transaction it stays ours)."""
    return integer(conn, "SELECT coalesce(max(id), 0) FROM contacts") + 1


class NewContacts:
    """The deferral around inserting a batch of new contacts whose rowids are all > `base`, for
    callers that insert the rows themselves (the import engine): `children_done()` once their child
    rows are in (child indexes back), `done()` at the end (the contacts' per-row trigger work done
    set-based, their triggers and indexes back). Batches under _SET_BASED_FROM change nothing."""

    def __init__(self, conn: apsw.Connection, base: int, *, contacts: int, children: dict[str, int]) -> None:
        self.conn, self.base = conn, base
        self.contacts = _Deferred(conn, "contacts", _CONTACT_TRIGGERS, batch=contacts)
        self.children = [_Deferred(conn, t, (), batch=children.get(t, 0)) for t in _CHILD_TABLES]

    def children_done(self) -> None:
        for d in self.children:
            d.restore()

    def done(self) -> None:
        self.children_done()
        if self.contacts.active:
            _after_contacts(self.conn, self.base)
            self.contacts.restore()


def _after_contacts(conn: apsw.Connection, base: int) -> None:
    """What the *_search_insert triggers and contacts_geo_insert do, once for contacts with id > base:
    mark them dirty, so write() rebuilds their search documents once before COMMIT, and put their
    points in the R*Tree."""
    conn.execute(
        "INSERT OR IGNORE INTO search_dirty(contact_id) SELECT id FROM contacts WHERE id > ?", (base,)
    )
    conn.execute(
        "INSERT INTO contacts_geo SELECT id, longitude, longitude, latitude, latitude "
        "FROM contacts WHERE id > ? AND latitude IS NOT NULL AND longitude IS NOT NULL",
        (base,),
    )


def insert_contacts(conn: apsw.Connection, records: Sequence[dict[str, Any]], now: str) -> list[int]:
    """Insert contacts with their emails, phones, tags and identities; returns their rowids in order."""
    if not records:
        return []
    sql = f"INSERT INTO contacts ({', '.join(_CONTACT_COLS)}) VALUES ({', '.join('?' * len(_CONTACT_COLS))})"
    emails: list[tuple[Any, ...]] = []
    phones: list[tuple[Any, ...]] = []
    tags: list[tuple[Any, ...]] = []
    idents: list[tuple[Any, ...]] = []
    rows: list[tuple[Any, ...]] = []
    with write(conn), _BigCache(conn):
        base = integer(conn, "SELECT coalesce(max(id), 0) FROM contacts")
        fresh = uuids(len(records))
        ids = list(range(base + 1, base + 1 + len(records)))
        for cid, uid, r in zip(ids, fresh, records, strict=False):
            name = full_name(r.get("full_name"), r.get("given_name"), r.get("family_name"))
            rows.append(
                (
                    cid,
                    r.get("uuid") or uid,
                    name,
                    r.get("given_name"),
                    r.get("family_name"),
                    folded := fold(name),
                    plain_name(folded),
                    umlaut_name(folded),
                    r.get("company"),
                    r.get("title"),
                    r.get("location"),
                    r.get("latitude"),
                    r.get("longitude"),
                    r.get("birthday"),
                    r.get("notes"),
                    r.get("priority_level") or "medium",
                    r.get("source"),
                    r.get("bcc_hash"),
                    r.get("organization_id"),
                    r.get("linkedin_url"),
                    r.get("created_at") or now,
                    r.get("updated_at") or now,
                    r.get("import_batch_id"),
                )
            )
            emails += [(cid, e, i) for i, e in enumerate(r.get("emails") or [])]
            phones += [(cid, raw, norm, i) for i, (raw, norm) in enumerate(r.get("phones") or [])]
            tags += [(cid, t, i) for i, t in enumerate(r.get("tags") or [])]
            idents += [(cid, p, ext, h, now) for p, ext, h in r.get("identities") or []]
        deferred = [
            _Deferred(conn, "contacts", _CONTACT_TRIGGERS, batch=len(rows)),
            _Deferred(conn, "contact_emails", (), batch=len(emails)),
            _Deferred(conn, "contact_phones", (), batch=len(phones)),
            _Deferred(conn, "contact_tags", (), batch=len(tags)),
            _Deferred(conn, "contact_identities", (), batch=len(idents)),
        ]
        conn.executemany(sql, rows)
        conn.executemany("INSERT INTO contact_emails(contact_id, email, position) VALUES (?, ?, ?)", emails)
        conn.executemany(
            "INSERT INTO contact_phones(contact_id, phone, normalized, position) VALUES (?, ?, ?, ?)", phones
        )
        conn.executemany("INSERT INTO contact_tags(contact_id, tag, position) VALUES (?, ?, ?)", tags)
        conn.executemany(
            "INSERT INTO contact_identities(contact_id, platform, external_id, handle, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            idents,
        )
        for d in deferred[1:]:
            d.restore()
        if deferred[0].active:
            _after_contacts(conn, base)
            deferred[0].restore()
    return ids


_INTERACTION_TRIGGERS = ("interactions_fts_insert", "interactions_promote_2nd_tier")


def insert_interactions(
    conn: apsw.Connection, records: Iterable[tuple[int, dict[str, Any]]], now: str
) -> int:
    """Insert (contact rowid, interaction) pairs; duplicates by (contact, ref) are skipped."""
    items = list(records)
    if not items:
        return 0
    fresh = uuids(len(items))
    rows = [
        (
            r.get("uuid") or uid,
            cid,
            r["platform"],
            r["direction"],
            r.get("content_preview"),
            r.get("raw_reference_id"),
            dumps(r["extra_data"]).decode() if r.get("extra_data") is not None else None,
            r["occurred_at"],
            r.get("created_at") or now,
        )
        for uid, (cid, r) in zip(fresh, items, strict=False)
    ]
    with write(conn), _BigCache(conn):
        before = integer(conn, "SELECT coalesce(max(id), 0) FROM interactions")
        deferred = _Deferred(conn, "interactions", _INTERACTION_TRIGGERS, batch=len(rows))
        conn.executemany(
            "INSERT INTO interactions(uuid, contact_id, platform, direction, content_preview, "
            "raw_reference_id, extra_data, occurred_at, created_at) VALUES (?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT(contact_id, raw_reference_id) WHERE raw_reference_id IS NOT NULL DO NOTHING",
            rows,
        )
        if deferred.active:
            # interactions_fts_insert and interactions_promote_2nd_tier, once for the batch.
            conn.execute(
                "INSERT INTO interactions_fts(rowid, content_preview) "
                "SELECT id, content_preview FROM interactions_fts_text WHERE id > ?",
                (before,),
            )
            conn.execute(
                "DELETE FROM contact_tags WHERE tag = '2nd tier' AND contact_id IN ("
                "SELECT contact_id FROM interactions "
                "WHERE id > ? AND direction IN ('inbound', 'outbound', 'mutual'))",
                (before,),
            )
            deferred.restore()
        return integer(conn, "SELECT count(*) FROM interactions WHERE id > ?", (before,))


def insert_organizations(
    conn: apsw.Connection, names: Sequence[tuple[str, str | None]], now: str
) -> dict[str, int]:
    """Organizations by name (name, domain); returns name -> rowid."""
    out: dict[str, int] = {}
    for name, domain in names:
        out[name] = integer(
            conn,
            "INSERT INTO organizations(uuid, name, name_fold, domain, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (new_uuid(), name, fold(name), domain, now, now),
        )
    return out
