"""Reading a store back the way a test compares two stores: dumps of every table, of one contact, and
plain SQL reads. Read with apsw directly where possible, so no pcrm code runs (and nothing is migrated).

`canonical_dump(db)` reads every table of a store the way a person would compare two stores: integer
row ids dropped, integer foreign keys replaced by the referenced row's uuid, rows sorted. Two stores
with the same dump hold the same data, whatever rowids they use. It is written independently of
pcrm.store.exports on purpose, so the round-trip test checks the exporter rather than mirroring it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import apsw

if TYPE_CHECKING:
    from pcrm.services.context import Context


# ------------------------------------------------------------------ every row of every table


def dump_store(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (virtual ones and their shadow tables included) plus the schema, in a
    canonical order. Read with apsw directly, so no pcrm code runs (and nothing is migrated)."""
    conn = apsw.Connection(str(db), flags=apsw.SQLITE_OPEN_READONLY)
    try:
        out: dict[str, list[tuple[Any, ...]]] = {
            "sqlite_master": sorted(
                (tuple(r) for r in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")),
                key=repr,
            ),
        }
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master "
                "WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        for name in names:
            out[name] = sorted((tuple(r) for r in conn.execute(f'SELECT * FROM "{name}"')), key=repr)
        return out
    finally:
        conn.close()


# Bookkeeping that is not data: migration records and the search index's to-do list.
_SKIP = {"schema_migrations", "search_dirty", "sqlite_sequence", "sqlite_stat1", "sqlite_stat4"}
_SHADOW = ("contacts_fts_", "interactions_fts", "contacts_geo_")


def _tables(conn: apsw.Connection) -> list[str]:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return [n for n in names if n not in _SKIP and not n.startswith(_SHADOW)]


def _uuid_tables(conn: apsw.Connection) -> set[str]:
    out = set()
    for t in _tables(conn):
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({t})")]
        if "uuid" in cols:
            out.add(t)
    return out


def canonical_dump(db: Path, *, skip: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    conn = apsw.Connection(str(db), flags=apsw.SQLITE_OPEN_READONLY)
    try:
        with_uuid = _uuid_tables(conn)
        uuids = {t: dict(conn.execute(f"SELECT id, uuid FROM {t}")) for t in with_uuid}
        out: dict[str, list[tuple[Any, ...]]] = {}
        for t in _tables(conn):
            if t in skip:
                continue
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({t})")]
            virtual = t in ("contacts_geo", "contacts_fts")
            key = {"contacts_geo": "id", "contacts_fts": "rowid"}.get(t)
            fks = {row[3]: row[2] for row in conn.execute(f"PRAGMA foreign_key_list({t})")}
            pk_id = any(r[1] == "id" and r[5] for r in conn.execute(f"PRAGMA table_info({t})"))
            select = ", ".join(([f"{key} AS _key"] if virtual else []) + [f'"{c}"' for c in cols])
            names = (["_key"] if virtual else []) + cols
            rows = []
            for r in conn.execute(f"SELECT {select} FROM {t}"):
                d = dict(zip(names, r, strict=False))
                if virtual:
                    d.pop("id", None)
                    d["_key"] = uuids["contacts"].get(d["_key"])
                if pk_id:
                    d.pop("id")
                for col, parent in fks.items():
                    if d.get(col) is not None and parent in uuids:
                        d[col] = uuids[parent].get(d[col], f"<missing {parent} {d[col]}>")
                rows.append(tuple(sorted(d.items())))
            out[t] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


def diff_dumps(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Readable differences (for assertion messages)."""
    out = []
    for t in sorted(set(a) | set(b)):
        ra, rb = a.get(t, []), b.get(t, [])
        if ra != rb:
            only_a = [r for r in ra if r not in rb][:3]
            only_b = [r for r in rb if r not in ra][:3]
            out.append(f"{t}: {len(ra)} vs {len(rb)} rows; only before {only_a}; only after {only_b}")
    return out


# ------------------------------------------------------------------ reads


def people(db: Path) -> dict[str, dict[str, Any]]:
    """Every contact's full response by full name, read without side effects (no score catch-up)."""
    from pcrm.store import contacts as cstore
    from pcrm.store.db import connect

    conn = connect(db, migrate=False, create=False)
    try:
        ids = [r[0] for r in conn.execute("SELECT id FROM contacts ORDER BY id")]
        out = {}
        for c in cstore.fetch_contacts(conn, ids):
            c["fields"] = [dict(f) for f in cstore.fields_of(conn, cstore.rowid_for_uuid(conn, c["id"]))]
            out[c["full_name"] or "(no name)"] = c
        return out
    finally:
        conn.close()


def query(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = apsw.Connection(str(db), flags=apsw.SQLITE_OPEN_READONLY)
    try:
        return [tuple(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def write(store: Any, sql: str, params: Any = ()) -> None:
    """One statement on `store.path` by plain SQL, outside pcrm: the rows an older pcrm (or a sync) left,
    for a test of what a newer one makes of them."""
    conn = apsw.Connection(str(store.path))
    try:
        conn.execute(sql, params)
    finally:
        conn.close()


def search_documents(db: Path) -> list[tuple[Any, ...]]:
    """The contacts' search documents (rowid, names, org, handles, other) as the trigram index holds them."""
    return query(db, "SELECT rowid, names, org, handles, other FROM contacts_fts ORDER BY rowid")


def documents_as_before(
    db: Path,
    docs: list[tuple[Any, ...]],
    migration: str,
    *,
    plain_unset: int | None = None,
) -> None:
    """Put back the search documents an older pcrm wrote, outside pcrm, with `migration` not applied yet: each
    of `docs` is (rowid, names, org, handles, other) as both indexes (trigrams and words) then held; the
    contact `plain_unset` (a rowid) gets no plain form of its name, as before the fold that gave it one."""
    raw = apsw.Connection(str(db))
    raw.execute("BEGIN")
    for table in ("contacts_fts", "contacts_fts_words"):
        for doc in docs:
            raw.execute(f"DELETE FROM {table} WHERE rowid = ?", (doc[0],))
            raw.execute(f"INSERT INTO {table}(rowid, names, org, handles, other) VALUES (?, ?, ?, ?, ?)", doc)
    if plain_unset is not None:
        raw.execute("UPDATE contacts SET name_plain = NULL WHERE id = ?", (plain_unset,))
    raw.execute("DELETE FROM schema_migrations WHERE name = ?", (migration,))
    raw.execute("COMMIT")
    raw.close()


class StoreReader:
    """Reads the store at HOME/pcrm.db with plain SQL, read-only (so nothing of pcrm runs)."""

    def __init__(self, home: Path) -> None:
        self.path = home / "pcrm.db"

    def q(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        conn = apsw.Connection(str(self.path), flags=apsw.SQLITE_OPEN_READONLY)
        try:
            return list(conn.execute(sql, params))
        finally:
            conn.close()

    def fields(self, name: str) -> list[tuple[Any, ...]]:
        return self.q(
            "SELECT f.kind, f.label, f.value, f.pref FROM contact_fields f JOIN contacts c "
            "ON c.id = f.contact_id WHERE c.full_name = ? ORDER BY f.position, f.id",
            (name,),
        )

    def directions(self) -> dict[str, int]:
        return dict(self.q("SELECT direction, count(*) FROM interactions GROUP BY direction"))


# ------------------------------------------------------------------ one contact, through a service context


def _rows(ctx: Context, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    from pcrm.store.rows import rows

    return rows(ctx.conn, sql, params)


def dump_contact(ctx: Context, contact_uuid: str) -> dict[str, Any] | None:
    """Canonical state of one contact: its row (all columns but the rowid) and every child row,
    interaction, suggestion and detected event, with internal ids replaced by public ones."""
    rows = _rows(ctx, "SELECT * FROM contacts WHERE uuid = ?", (contact_uuid,))
    if not rows:
        return None
    c = rows[0]
    cid = c.pop("id")
    org = c.pop("organization_id")
    c["organization"] = (
        ctx.conn.execute("SELECT uuid FROM organizations WHERE id = ?", (org,)).fetchone()[0] if org else None
    )
    out: dict[str, Any] = {"contact": c}
    for table, order in (
        ("contact_emails", "position, email"),
        ("contact_phones", "position, normalized"),
        ("contact_tags", "position, tag"),
        ("contact_fields", "position, kind, value"),
        ("contact_identities", "platform, external_id, handle"),
    ):
        items = _rows(ctx, f"SELECT * FROM {table} WHERE contact_id = ? ORDER BY {order}", (cid,))
        for r in items:
            r.pop("id", None)
            r.pop("contact_id")
        out[table] = items
    inter = _rows(ctx, "SELECT * FROM interactions WHERE contact_id = ? ORDER BY uuid", (cid,))
    for r in inter:
        r.pop("id")
        r.pop("contact_id")
    out["interactions"] = inter
    events = _rows(ctx, "SELECT * FROM detected_events WHERE contact_id = ? ORDER BY uuid", (cid,))
    ev_uuid = {}
    for r in events:
        ev_uuid[r.pop("id")] = r["uuid"]
        r.pop("contact_id")
    out["detected_events"] = events
    sugg = _rows(ctx, "SELECT * FROM follow_up_suggestions WHERE contact_id = ? ORDER BY uuid", (cid,))
    for r in sugg:
        r.pop("id")
        r.pop("contact_id")
        r["trigger_event_id"] = ev_uuid.get(r["trigger_event_id"], r["trigger_event_id"])
    out["follow_up_suggestions"] = sugg
    return out


def count_contacts(ctx: Context) -> int:
    return ctx.conn.execute("SELECT count(*) FROM contacts").fetchone()[0]


# ------------------------------------------------------------------ another process writing


@contextmanager
def held_by_another_writer(db: Path) -> Iterator[apsw.Connection]:
    """The store's write lock held by another connection, as `pcrm import` holds it while it writes its
    batch; its connection is yielded (to write more under the lock), rolled back and closed after."""
    other = apsw.Connection(str(db))
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        if not other.get_autocommit():
            other.execute("ROLLBACK")
        other.close()
