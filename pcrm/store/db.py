"""Opening the store: pragmas, functions, migrations, and the one write-transaction helper."""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterator
from pathlib import Path

import apsw

from pcrm.domain.normalize import fold
from pcrm.errors import PcrmError
from pcrm.store.migrations import migrate as run_migrations
from pcrm.store.search import flush_dirty

# The names the layers above use for a connection and its errors. Only store/ imports apsw (an
# import-linter contract); services catch these, never apsw's own names.
Connection = apsw.Connection
StoreError = apsw.Error
ConstraintError = apsw.ConstraintError
BusyError = apsw.BusyError
LockedError = apsw.LockedError
ReadOnlyError = apsw.ReadOnlyError

BUSY_TIMEOUT_MS = 5000
READER_BUSY_TIMEOUT_MS = 100


def _fold_sql(*args: apsw.SQLiteValue) -> str | None:
    # registered with one argument (apsw's type for a SQL function is variadic); called on name columns
    # (TEXT affinity: numbers arrive as text), so a blob there is a caller's bug
    (value,) = args
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"pcrm_fold takes text, not {type(value).__name__}")
    return fold(value)


def _register_functions(conn: apsw.Connection) -> None:
    # Used by queries only, never by triggers or views, so the file stays readable by any SQLite.
    conn.create_scalar_function("pcrm_fold", _fold_sql, 1, deterministic=True)


def connect(path: Path | str, *, migrate: bool = True, create: bool = True) -> apsw.Connection:
    """Open (and by default create and migrate) the database at `path`."""
    p = Path(path)
    if not create and not p.exists():
        raise PcrmError(f"no pcrm database at {p}", code="not_found", hint="run `pcrm init` first")
    p.parent.mkdir(parents=True, exist_ok=True)
    flags = apsw.SQLITE_OPEN_READWRITE | (apsw.SQLITE_OPEN_CREATE if create else 0)
    conn = _open(p, flags, BUSY_TIMEOUT_MS, "PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    if migrate:
        try:
            run_migrations(conn)
        except BaseException:
            conn.close()
            raise
    return conn


_READERS: weakref.WeakSet[apsw.Connection] = weakref.WeakSet()


def connect_reader(path: Path | str) -> apsw.Connection:
    """A query-only connection to an existing, migrated store (the daemon's reads on its event loop).

    Any write through it fails with apsw.ReadOnlyError: SQLite's own `query_only`, and `write()` below
    refuses at once, before a write block does any work."""
    # a short busy timeout: its user (the daemon's event loop) must not stall; a busy read goes to the writer
    conn = _open(Path(path), apsw.SQLITE_OPEN_READWRITE, READER_BUSY_TIMEOUT_MS, "PRAGMA query_only=ON")
    _READERS.add(conn)
    return conn


def _open(p: Path, flags: int, busy_ms: int, first_pragma: str) -> apsw.Connection:
    try:
        conn = apsw.Connection(str(p), flags=flags)
        conn.set_busy_timeout(busy_ms)
        conn.execute(first_pragma)
    except apsw.Error as exc:
        raise PcrmError(
            f"cannot open the database at {p}: {exc}",
            code="internal",
            hint="check the file is a pcrm database and not in use by another program",
        ) from exc
    conn.execute("PRAGMA temp_store=MEMORY")
    _register_functions(conn)
    return conn


@contextlib.contextmanager
def snapshot(conn: apsw.Connection) -> Iterator[apsw.Connection]:
    """Several reads that see one committed state of the store (a deferred transaction, rolled back)."""
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        if not conn.get_autocommit():  # SQLite may have rolled back already (I/O error, full disk)
            conn.execute("ROLLBACK")


@contextlib.contextmanager
def write(conn: apsw.Connection) -> Iterator[apsw.Connection]:
    """One write transaction: BEGIN IMMEDIATE ... COMMIT, or a savepoint when already inside one.

    Before COMMIT the search index is brought up to date for the contacts the triggers marked dirty, so
    every path that writes through here keeps search right.
    """
    if conn in _READERS:
        raise apsw.ReadOnlyError("a write on a query-only connection")
    if not conn.get_autocommit():
        with conn:  # savepoint
            yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn

        flush_dirty(conn)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextlib.contextmanager
def large_cache(conn: apsw.Connection, kib: int = 65536) -> Iterator[None]:
    """A larger page cache for a bulk write (a sync run): SQLite's default 2 MB makes every batch re-read
    the index pages of the last one (a 100k-message sync: 25 s -> 20 s with 64 MB). The memory goes back
    when it ends, so a long-lived daemon does not keep it."""
    old = int(str(conn.execute("PRAGMA cache_size").fetchall()[0][0]))
    conn.execute(f"PRAGMA cache_size=-{int(kib)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size={old}")
        conn.execute("PRAGMA shrink_memory")
