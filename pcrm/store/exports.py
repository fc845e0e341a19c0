"""Whole-store dump and restore for the lossless JSON export [lossless-export] [canonical-json].

Rows travel with public ids only [public-ids]: a table's integer `id` is dropped and every integer foreign key
is replaced by the referenced row's `uuid`; the restore maps them back to the new rowids. Tables are
discovered from the schema, so tables added by later migrations are exported too, except the ones
listed in EXCLUDED (credentials and runtime state) and derived indexes (search, geo).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import apsw

from pcrm.store.contacts import fill_name_forms
from pcrm.store.db import read_transaction
from pcrm.store.rows import first, integer
from pcrm.store.search import rebuild_all

# Credentials never leave the store [secret-store], runtime state is rebuilt, derived tables are recomputed.
EXCLUDED = frozenset(
    {
        "users",  # the local account: hashed password (register again after a restore)
        "api_tokens",  # token hashes
        "extension_pairings",  # pairing codes and token references
        "locks",  # runtime
        "schema_migrations",  # the target store records its own
        "search_dirty",  # search index bookkeeping
    }
)
_DERIVED_PREFIXES = ("contacts_fts", "interactions_fts", "contacts_geo", "sqlite_")
# The 2nd-tier trigger on interactions deletes the '2nd tier' tag: tags go in after interactions.
_AFTER = {"contact_tags": "interactions"}


def tables(conn: apsw.Connection) -> list[str]:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return [n for n in names if n not in EXCLUDED and not n.startswith(_DERIVED_PREFIXES)]


def columns(conn: apsw.Connection, table: str) -> list[tuple[str, bool]]:
    """(column, is the INTEGER PRIMARY KEY `id`) in schema order."""
    out = []
    for _cid, name, ctype, _notnull, _default, pk in conn.execute(f"PRAGMA table_info({table})"):
        out.append((name, bool(pk) and name == "id" and ctype.upper() == "INTEGER"))
    return out


def has_uuid(conn: apsw.Connection, table: str) -> bool:
    return any(name == "uuid" for name, _ in columns(conn, table))


def foreign_keys(conn: apsw.Connection, table: str) -> dict[str, str]:
    """column -> parent table, for integer keys into tables that have a uuid."""
    out = {}
    for row in conn.execute(f"PRAGMA foreign_key_list({table})"):
        parent, col, to = row[2], row[3], row[4]
        if (to in (None, "id")) and has_uuid(conn, parent):
            out[col] = parent
    return out


def restore_order(conn: apsw.Connection, names: Sequence[str]) -> list[str]:
    """Parents before children (foreign keys), ties alphabetical."""
    pending = sorted(names)
    deps = {t: {p for p in foreign_keys(conn, t).values() if p != t and p in names} for t in pending}
    for t, after in _AFTER.items():
        if t in deps and after in names:
            deps[t].add(after)
    order: list[str] = []
    while pending:
        ready = [t for t in pending if deps[t] <= set(order)]
        if not ready:  # a cycle: take the rest as they come
            ready = pending[:1]
        for t in ready:
            order.append(t)
            pending.remove(t)
    return order


def export_columns(conn: apsw.Connection, table: str) -> list[str]:
    return [name for name, is_id in columns(conn, table) if not is_id]


def avatar_urls(conn: apsw.Connection) -> list[str]:
    """Every contact's avatar_url that is set."""
    return [r[0] for r in conn.execute("SELECT avatar_url FROM contacts WHERE avatar_url IS NOT NULL")]


def file_photos(conn: apsw.Connection, prefix: str) -> list[str]:
    """The uuids of the contacts whose photo is a file pcrm keeps (avatar_url under `prefix`)."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT uuid FROM contacts WHERE substr(avatar_url, 1, length(?1)) = ?1", (prefix,)
        )
    ]


def dump_rows(conn: apsw.Connection, table: str) -> Iterator[list[Any]]:
    """The table's rows in rowid order (WITHOUT ROWID tables by key), foreign keys as uuids."""
    cols = export_columns(conn, table)
    fks = foreign_keys(conn, table)
    select = []
    joins = []
    for i, c in enumerate(cols):
        if c in fks:
            alias = f"p{i}"
            joins.append(f"LEFT JOIN {fks[c]} {alias} ON {alias}.id = t.{c}")
            select.append(f"{alias}.uuid")
        else:
            select.append(f"t.{c}")
    without_rowid = not _has_rowid(conn, table)
    order = "" if without_rowid else " ORDER BY t.rowid"
    sql = f"SELECT {', '.join(select)} FROM {table} t {' '.join(joins)}{order}"
    for row in conn.execute(sql):
        yield list(row)


def _has_rowid(conn: apsw.Connection, table: str) -> bool:
    sql = first(conn, "SELECT sql FROM sqlite_master WHERE name = ?", (table,))[0] or ""
    return "WITHOUT ROWID" not in sql.upper()


def count(conn: apsw.Connection, table: str) -> int:
    return integer(conn, f"SELECT count(*) FROM {table}")


def is_empty(conn: apsw.Connection) -> dict[str, int]:
    """Tables holding user data that are not empty (table -> rows)."""
    out = {}
    for t in ("contacts", "organizations", "interactions", "import_batches", "notifications", "sync_runs"):
        n = count(conn, t)
        if n:
            out[t] = n
    return out


def uuid_map(conn: apsw.Connection, table: str) -> dict[str, int]:
    return dict(conn.execute(f"SELECT uuid, id FROM {table}"))


def insert_rows(
    conn: apsw.Connection,
    table: str,
    cols: Sequence[str],
    rows: Sequence[Sequence[Any]],
    maps: dict[str, dict[str, int]],
) -> None:
    """Insert exported rows, mapping uuid foreign keys back to rowids through `maps[parent]`."""
    fks = foreign_keys(conn, table)
    idx = [(i, maps.setdefault(fks[c], {})) for i, c in enumerate(cols) if c in fks]
    verb = "INSERT OR REPLACE" if table == "settings" else "INSERT"
    sql = f"{verb} INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    if idx:

        def mapped() -> Iterator[list[Any]]:
            for r in rows:
                r = list(r)
                for i, m in idx:
                    if r[i] is not None:
                        r[i] = m.get(r[i])
                yield r

        conn.executemany(sql, mapped())
    else:
        conn.executemany(sql, rows)


# Per-row upkeep a restore does once, set-based, instead (the store is empty, so nothing is lost):
# the search-index marks and trigram inserts, the R*Tree point, and the 2nd-tier promotion, which
# must not fire at all: a restore puts back the tags exactly as they were exported.
_DEFERRED_TRIGGERS = (
    "contacts_search_insert",
    "emails_search_insert",
    "phones_search_insert",
    "identities_search_insert",
    "nicknames_search_insert",
    "contacts_geo_insert",
    "interactions_fts_insert",
    "interactions_promote_2nd_tier",
)
_BULK_TABLES = (
    "contacts",
    "interactions",
    "contact_emails",
    "contact_phones",
    "contact_identities",
    "contact_fields",
    "contact_tags",
)


class DeferredUpkeep:
    """Inside one write transaction: drop the per-row triggers above and the big tables' non-unique
    indexes, and `finish()` recreates them from their stored SQL and rebuilds what they maintain
    (search indexes, the geo R*Tree). A rollback brings the dropped objects back with the data."""

    def __init__(self, conn: apsw.Connection) -> None:
        assert not conn.get_autocommit(), "schema changes outside a transaction"
        self.conn = conn
        names = list(_DEFERRED_TRIGGERS)
        for table in _BULK_TABLES:
            names += [r[1] for r in conn.execute(f"PRAGMA index_list({table})") if r[3] == "c" and not r[2]]
        marks = ",".join("?" * len(names))
        self.saved = [
            (r[0], r[1], r[2])
            for r in conn.execute(
                f"SELECT type, name, sql FROM sqlite_schema WHERE name IN ({marks}) AND sql IS NOT NULL",
                tuple(names),
            )
        ]
        self.cache = integer(conn, "PRAGMA cache_size")
        conn.execute("PRAGMA cache_size=-262144")
        for kind, name, _sql in self.saved:
            conn.execute(f'DROP {kind.upper()} "{name}"')

    def finish(self) -> None:
        conn = self.conn
        # an export an older pcrm wrote holds no plain names (m032_name_plain) nor umlaut spellings
        # (m033_name_umlaut): filled before the indexes
        fill_name_forms(conn)
        for _kind, _name, sql in self.saved:
            conn.execute(sql)
        conn.execute(
            "INSERT INTO contacts_geo SELECT id, longitude, longitude, latitude, latitude FROM contacts "
            "WHERE latitude IS NOT NULL AND longitude IS NOT NULL"
        )

        rebuild_all(conn)
        conn.execute(f"PRAGMA cache_size={int(self.cache)}")


def referenced_tables(conn: apsw.Connection, names: Sequence[str]) -> set[str]:
    """Tables some of `names` point at with a uuid-mapped foreign key."""
    return {parent for t in names for parent in foreign_keys(conn, t).values()}


@contextlib.contextmanager
def snapshot(conn: apsw.Connection) -> Iterator[None]:
    """One consistent read of the whole store (a read transaction), for exports: a write another connection
    commits meanwhile is not seen. Inside a transaction already, that one is the snapshot (an export holds
    one around its writer and its count; the JSON writer opens its own when called alone)."""
    if not conn.get_autocommit():
        yield
        return
    with read_transaction(conn, commit=True):
        yield
