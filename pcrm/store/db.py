"""Opening the store: pragmas, functions, migrations, and the one write-transaction helper."""

from __future__ import annotations

import contextlib
import os
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

import apsw

from pcrm import clock, paths
from pcrm.domain.normalize import fold, search_document, search_fold, umlaut_spelling
from pcrm.errors import PcrmError
from pcrm.store import memo, settings
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
CorruptError = apsw.CorruptError
NotADBError = apsw.NotADBError
CantOpenError = apsw.CantOpenError

BUSY_TIMEOUT_MS = 5000
READER_BUSY_TIMEOUT_MS = 100
# a connection whose writes wait less (or more) than BUSY_TIMEOUT_MS for the lock: the daemon's worker lane
_WAITS: weakref.WeakKeyDictionary[apsw.Connection, int] = weakref.WeakKeyDictionary()


def set_write_wait(conn: apsw.Connection, ms: int) -> None:
    """How long conn's writes wait for another process's write lock, from now on [store-busy]."""
    _WAITS[conn] = ms
    conn.set_busy_timeout(ms)


def _wait_of(conn: apsw.Connection) -> int:
    return _WAITS.get(conn, BUSY_TIMEOUT_MS)


def _text_function(name: str, fn: Callable[[str], str | None]) -> Callable[..., str | None]:
    """A one-argument SQL function of text: NULL stays NULL. Registered with one argument (apsw's type for
    a SQL function is variadic); called on name and document columns (TEXT affinity: numbers arrive as
    text), so a blob there is a caller's bug."""

    def call(*args: apsw.SQLiteValue) -> str | None:
        (value,) = args
        if value is None:
            return None
        if not isinstance(value, str):
            raise TypeError(f"{name} takes text, not {type(value).__name__}")
        return fn(value)

    return call


def _register_functions(conn: apsw.Connection) -> None:
    # Used by queries only, never by triggers or views, so the file stays readable by any SQLite.
    conn.create_scalar_function("pcrm_fold", _text_function("pcrm_fold", fold), 1, deterministic=True)
    # the text of a contact search document [contact-search]
    conn.create_scalar_function(
        "pcrm_search_fold", _text_function("pcrm_search_fold", search_fold), 1, deterministic=True
    )
    # ... and of its names and organisation: words joined by punctuation also without it [search-words]
    conn.create_scalar_function(
        "pcrm_search_doc", _text_function("pcrm_search_doc", search_document), 1, deterministic=True
    )
    # a folded name with ä, ö, ü written ae, oe, ue (NULL without them): a search's first tier [plain-names]
    conn.create_scalar_function(
        "pcrm_umlaut_spelling",
        _text_function("pcrm_umlaut_spelling", umlaut_spelling),
        1,
        deterministic=True,
    )


def connect(
    path: Path | str,
    *,
    migrate: bool = True,
    create: bool = True,
    notice: Callable[[str], None] | None = None,
) -> apsw.Connection:
    """Open (and by default create and migrate) the database at `path`. notice: what a migration of a
    store holding data says before and after it runs [migration-notice]."""
    p = Path(path)
    if not create and not p.exists():
        blocked = in_the_way(p)
        if blocked is not None:
            raise PcrmError(
                f"no pcrm store at {p}: {blocked} is a file, not a folder",
                code="bad_request",
                hint="point PCRM_HOME at the folder of your store (`pcrm paths` shows where pcrm looks)",
            )
        raise PcrmError(
            f"no pcrm store at {p}",
            code="not_found",
            hint="run `pcrm init` (or `pcrm demo`) to make one there, or check PCRM_HOME (`pcrm paths` shows "
            "where pcrm looks)",
            details={"path": str(p)},
        )
    if create:
        try:
            paths.create_private(p)  # [private-files]: 0600, and SQLite gives -wal and -shm the same mode
        except OSError as exc:
            raise _cannot_create(p, exc) from None
    # [private-files]: the store at PCRM_HOME, however it came to be 0644, is owner-only from now on (before
    # SQLite opens it, so the -wal and -shm it creates take the tightened mode)
    tightened = paths.tighten_store(p) if os.path.abspath(p) == os.path.abspath(paths.db_path()) else None
    flags = apsw.SQLITE_OPEN_READWRITE | (apsw.SQLITE_OPEN_CREATE if create else 0)
    conn = _open(p, flags, BUSY_TIMEOUT_MS, "PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    if migrate:
        try:
            run_migrations(conn, notice=notice)
        except BaseException:
            conn.close()
            raise
    if tightened is not None and migrate:
        tightened = _tighten_all_once(conn, p, tightened)
    if tightened is not None and tightened.changed:
        with contextlib.suppress(apsw.Error):  # the note is for `pcrm db check`; the command goes on
            paths.note_tightening(tightened, clock.iso(settings.now(conn)))
    return conn


# [private-files]: when opening the store last made every file in pcrm's folders private (the avatars too)
ALL_PRIVATE_AT = settings.INTERNAL_PREFIX + "files_private_at"


def _tighten_all_once(conn: apsw.Connection, p: Path, done: paths.Tightening) -> paths.Tightening:
    """Once per store, what opening it makes private every time (`done`) and everything else in pcrm's
    folders: photos an older pcrm wrote through a loose umask, in avatars/ and its sub-folders. A walk of
    every file costs ~18 ms for 5,000 photos, too much for every command; the store remembers it was done
    (photos pcrm writes since are 0600). A store on a read-only disk cannot remember it: it walks each
    time; one another process is writing to remembers it at a later opening (the walk is not worth a wait)."""
    try:
        if settings.get(conn, ALL_PRIVATE_AT) is not None:
            return done
    except apsw.Error:  # a store too damaged to read its settings: opening goes on, `pcrm db check` says
        return done
    done = paths.tighten_all(p)
    conn.set_busy_timeout(0)  # another process writing (a daemon's import): noted at a later opening
    try:
        with contextlib.suppress(apsw.Error):
            at = clock.iso(settings.now(conn))
            settings.put(conn, ALL_PRIVATE_AT, at, at)
    finally:
        conn.set_busy_timeout(BUSY_TIMEOUT_MS)
    return done


def in_the_way(p: Path) -> Path | None:
    """A file where PCRM_HOME or a folder above it should be."""
    return next((q for q in (p.parent, *p.parent.parents) if q.exists() and not q.is_dir()), None)


def _cannot_create(p: Path, exc: OSError) -> PcrmError:
    """Why there can be no store at `p` [opening-the-store]: a file where PCRM_HOME or a folder above it
    should be, or a place this user may not write (permissions, a read-only disk)."""
    blocked = in_the_way(p)
    if blocked is not None:
        return PcrmError(
            f"cannot create the store at {p}: {blocked} is a file, not a folder",
            code="bad_request",
            hint="point PCRM_HOME at a folder, or at a path that does not exist yet (pcrm creates it)",
        )
    return PcrmError(
        f"cannot create the store at {p}: {exc.strerror or exc}",
        code="bad_request",
        hint="point PCRM_HOME at a folder you can write to, or give yourself write access to this one",
    )


def _not_writable(p: Path) -> bool:
    """The store or its folder exists but this user may not write there (SQLite also writes -wal and -shm
    files beside the database)."""
    folder = p.parent
    return (folder.is_dir() and not os.access(folder, os.W_OK)) or (p.exists() and not os.access(p, os.W_OK))


_READERS: weakref.WeakSet[apsw.Connection] = weakref.WeakSet()


def connect_reader(path: Path | str, *, wait: bool = True) -> apsw.Connection:
    """A query-only connection to an existing, migrated store (the daemon's reads).

    Any write through it fails with apsw.ReadOnlyError: SQLite's own `query_only`, and `write()` below
    refuses at once, before a write block does any work. wait=False: no busy timeout at all (the event
    loop's own connection must never stall on a lock)."""
    # a short busy timeout: its user (a daemon's reader) must not stall; a busy read goes to the writer
    busy = READER_BUSY_TIMEOUT_MS if wait else 0
    conn = _open(Path(path), apsw.SQLITE_OPEN_READWRITE, busy, "PRAGMA query_only=ON")
    _READERS.add(conn)
    return conn


def _open(p: Path, flags: int, busy_ms: int, first_pragma: str) -> apsw.Connection:
    try:
        conn = apsw.Connection(str(p), flags=flags)
        conn.set_busy_timeout(busy_ms)
        conn.execute(first_pragma)
    except apsw.Error as exc:
        from pcrm.store import failures  # it finds backups through store.backup, which imports this

        said = failures.unusable(exc, p)  # a damaged or read-only store [store-failures]
        if said is not None:
            raise said from exc
        hint = (
            f"pcrm must be able to write to {p.parent}: check its permissions (a read-only disk?), or point "
            "PCRM_HOME at a folder you can write to"
            if _not_writable(p)
            else "check the file is a pcrm database and not in use by another program"
        )
        raise PcrmError(f"cannot open the database at {p}: {exc}", code="internal", hint=hint) from exc
    conn.execute("PRAGMA temp_store=MEMORY")
    _register_functions(conn)
    return conn


@contextlib.contextmanager
def snapshot(conn: apsw.Connection) -> Iterator[apsw.Connection]:
    """Several reads that see one committed state of the store (a deferred transaction, rolled back)."""
    with read_transaction(conn, commit=False):
        yield conn


@contextlib.contextmanager
def read_transaction(conn: apsw.Connection, *, commit: bool) -> Iterator[None]:
    """A deferred transaction: every read in it sees one committed state of the store.

    It ends in ROLLBACK for reads alone (snapshot), in COMMIT where a write made inside must stay (an
    export's). The memo checks the store's state once per such transaction: nothing another connection
    commits is seen in it."""
    conn.execute("BEGIN")
    memo.next_snapshot(conn)
    try:
        yield
    finally:
        memo.next_snapshot(conn)
        if not conn.get_autocommit():  # SQLite may have rolled back already (I/O error, full disk)
            conn.execute("COMMIT" if commit else "ROLLBACK")


# [read-budget]: the deadline of the read running on a connection; the progress handler checks it.
_DEADLINES: weakref.WeakKeyDictionary[apsw.Connection, float] = weakref.WeakKeyDictionary()
_PROGRESS_STEPS = 1000  # SQLite VM instructions between checks: ~a few microseconds of work


def _past_deadline(ref: weakref.ref[apsw.Connection]) -> bool:
    conn = ref()
    deadline = _DEADLINES.get(conn) if conn is not None else None
    return deadline is not None and time.monotonic() > deadline


class BudgetExceeded(PcrmError):
    """A read ran past its time budget and SQLite stopped it [read-budget]."""

    code = "bad_request"


class SliceOver(Exception):
    """A read tried on the daemon's event loop ran past its slice and SQLite stopped it, or met a lock;
    nothing changed: run it again in the read pool [inline-reads]."""


@contextlib.contextmanager
def time_budget(conn: apsw.Connection, seconds: float) -> Iterator[None]:
    """Stop any query on `conn` that is still running `seconds` after this block began [read-budget].

    SQLite calls the progress handler every few thousand instructions; past the deadline it interrupts the
    statement, which ends in BudgetExceeded (400, saying so) instead of holding the daemon's event loop or
    its writer. A write block inside (the day's score catch-up a read may trigger) is not timed. Inside an
    earlier deadline (a time_slice), that one still holds and says what happened."""
    with _deadline(conn, seconds) as outer_first:
        try:
            yield
        except apsw.InterruptError:
            if outer_first():
                raise
            raise BudgetExceeded(
                f"the request took longer than its {seconds:g} s budget and was stopped",
                hint="narrow it: a longer search term, a filter, or a smaller page",
                details={"budget_seconds": seconds},
            ) from None


@contextlib.contextmanager
def time_slice(conn: apsw.Connection, seconds: float) -> Iterator[None]:
    """Stop any query on `conn` still running `seconds` after this block began with SliceOver, not an error
    for the client: the event loop tries a read this long before handing it to the pool [inline-reads]."""
    with _deadline(conn, seconds):
        try:
            yield
        except apsw.InterruptError:
            raise SliceOver() from None


@contextlib.contextmanager
def _deadline(conn: apsw.Connection, seconds: float) -> Iterator[Callable[[], bool]]:
    """The connection's deadline for this block: `seconds` from now, or an enclosing block's if earlier.
    Yields whether the enclosing deadline is the one that holds (so its block reports the interruption)."""
    outer = _DEADLINES.get(conn)
    mine = time.monotonic() + seconds
    _DEADLINES[conn] = mine if outer is None else min(outer, mine)
    # (re)installed each time, the same id replacing it; once there it costs a dict lookup per check
    ref = weakref.ref(conn)  # the handler must not keep its connection alive

    def over() -> bool:
        return _past_deadline(ref)

    conn.set_progress_handler(over, _PROGRESS_STEPS, id="pcrm-budget")
    try:
        yield lambda: outer is not None and outer <= mine
    finally:
        if outer is None:
            _DEADLINES.pop(conn, None)
        else:
            _DEADLINES[conn] = outer


# Indexes a bulk write dropped until the end of its transaction [streamed-imports]: their CREATE
# statements, run again just before COMMIT (an index a rolled-back savepoint already brought back is
# skipped).
_BEFORE_COMMIT: weakref.WeakKeyDictionary[apsw.Connection, dict[str, str]] = weakref.WeakKeyDictionary()


def recreate_before_commit(conn: apsw.Connection, name: str, create: str) -> None:
    """Have the index `name`, dropped inside the current write transaction, re-created from its stored
    `create` statement just before that transaction commits."""
    assert not conn.get_autocommit(), "an index dropped outside a transaction"
    _BEFORE_COMMIT.setdefault(conn, {})[name] = create


def deferred_indexes(conn: apsw.Connection) -> set[str]:
    """The indexes dropped until this transaction's commit."""
    return set(_BEFORE_COMMIT.get(conn, ()))


def changes_made(conn: apsw.Connection) -> int:
    """How many rows this connection has inserted, updated or deleted since it opened (triggers'
    included): equal before and after a stretch of work, the stretch wrote nothing [batched-lookups]."""
    return int(conn.total_changes())


def _recreate_deferred(conn: apsw.Connection) -> None:
    for name, create in _BEFORE_COMMIT.pop(conn, {}).items():
        if conn.execute("SELECT 1 FROM sqlite_schema WHERE name = ?", (name,)).fetchone() is None:
            conn.execute(create)


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
    deadline = _DEADLINES.pop(conn, None)  # [read-budget] times reads, not the writes they start
    began = time.monotonic()
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn

        _recreate_deferred(conn)
        flush_dirty(conn)
    except BaseException:
        _BEFORE_COMMIT.pop(conn, None)  # the rollback brings the dropped indexes back itself
        conn.execute("ROLLBACK")
        raise
    finally:
        if deadline is not None:
            _DEADLINES[conn] = deadline + (time.monotonic() - began)
    conn.execute("COMMIT")


@contextlib.contextmanager
def secure_delete(conn: apsw.Connection) -> Iterator[None]:
    """SQLite overwrites with zeros what the writes inside delete (`PRAGMA secure_delete`), instead of
    leaving it in free pages and free space of pages [local-account]."""
    before = conn.execute("PRAGMA secure_delete").fetchall()[0][0]
    conn.execute("PRAGMA secure_delete = ON")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA secure_delete = {before if before in (0, 1, 2) else 0}")


def rewrite_file(conn: apsw.Connection) -> bool:
    """The store's file written anew (VACUUM: only live rows, the file at their size) and its WAL copied in
    and truncated to nothing, so no byte of a deleted row is left in either [local-account]. Outside any
    transaction. False when another connection's read kept the WAL from being truncated (its frames are
    overwritten at the next checkpoint)."""
    conn.execute("VACUUM")
    busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()[0]
    return not busy


def write_if_free(conn: apsw.Connection, fn: Callable[[apsw.Connection], object]) -> bool:
    """fn(conn) in a write transaction when the write lock is free now, else nothing (False): for
    bookkeeping no request should wait on (a token's last-used stamp), which waited out the busy timeout
    behind a long `pcrm import` and then failed the request it was part of. A query-only connection
    refuses at once, as `write` does."""
    if conn in _READERS or not conn.get_autocommit():
        with write(conn):
            fn(conn)
        return True
    conn.set_busy_timeout(0)
    try:
        with write(conn):
            conn.set_busy_timeout(_wait_of(conn))  # the lock is ours: the rest waits as any write does
            fn(conn)
    except (apsw.BusyError, apsw.LockedError):
        return False
    finally:
        conn.set_busy_timeout(_wait_of(conn))
    return True


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
