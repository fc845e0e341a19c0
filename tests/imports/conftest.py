"""Fixtures for the import/export tests: fixture paths, an import helper and the canonical dump.

`canonical_dump(db)` reads every table of a store the way a person would compare two stores: integer
row ids dropped, integer foreign keys replaced by the referenced row's uuid, rows sorted. Two stores
with the same dump hold the same data, whatever rowids they use. It is written independently of
pcrm.store.exports on purpose, so the round-trip test checks the exporter rather than mirroring it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import apsw
import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"
REPO = Path(__file__).resolve().parents[2]
TESTDATA = REPO.parent / "shared" / "testdata"
NOW = "2026-03-01T12:00:00Z"

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


@pytest.fixture
def fx() -> Path:
    return FIXTURES


@pytest.fixture
def db(pcrm_home: Path) -> Path:
    """The test's store, created (empty) so dumps can be taken before the first command."""
    from pcrm.store.db import connect

    path = pcrm_home / "pcrm.db"
    connect(path).close()
    return path


@pytest.fixture
def dump(db: Path) -> Any:
    def take(**kw: Any) -> dict[str, Any]:
        return canonical_dump(db, **kw)

    return take


@pytest.fixture
def imp(cli: Any) -> Any:
    """Run `pcrm import PATH ARGS... --json --now NOW` and return the parsed envelope."""

    def run(path: Path | str, *args: str, ok: bool | None = True) -> Any:
        return cli.json("import", str(path), *args, "--now", NOW, ok=ok)

    return run


def contacts_by_name(cli: Any) -> dict[str, dict[str, Any]]:
    data = cli.json("contacts", "list", "--page-size", "100", "--include-archived")["data"]
    return {c["full_name"]: c for c in data}


def require_testdata() -> Path:
    """The shared real-format samples; under CI=true their absence fails instead of skipping."""
    if not TESTDATA.is_dir():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{TESTDATA} is missing (CI=true): the import manifest tests need ../shared/testdata")
        pytest.skip(f"{TESTDATA} not present")
    return TESTDATA


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
