"""The service context: one open store, the settings and the clock."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pcrm import clock, paths
from pcrm.domain.dates import zone
from pcrm.domain.records import Me
from pcrm.domain.settings import REGISTRY
from pcrm.errors import PcrmError
from pcrm.store import auth as auth_store
from pcrm.store import memo
from pcrm.store import settings as store
from pcrm.store.db import (
    BusyError,
    Connection,
    LockedError,
    ReadOnlyError,
    SliceOver,
    connect,
    connect_reader,
    in_the_way,
    snapshot,
    time_budget,
    time_slice,
)

if TYPE_CHECKING:
    from tempfile import TemporaryDirectory


@dataclass
class Result:
    """What a service returns: the envelope's `data` and `meta`."""

    data: Any
    meta: dict[str, Any] = field(default_factory=dict)


def _with_account(conn: Connection, me: Any) -> dict[str, list[str]]:
    """The `me` setting as every import and sync reads it: what it lists, plus the account's current name and
    email, which are always you whatever the setting was set to [me-setting]."""
    user = auth_store.the_user(conn)
    value = Me.from_setting(me)
    if user is not None:
        value = value.with_account([user["full_name"]], [user["email"]])
    return value.as_setting()


@dataclass
class Context:
    conn: Connection
    path: Path
    _settings: dict[str, Any] | None = None  # the copy settings() handed out
    _known: dict[str, Any] | None = None  # the resolved settings, shared with the memo
    # the temporary folder of an empty store opened in place of a missing one (open_context's `scratch`)
    _scratch: TemporaryDirectory[str] | None = None
    # where a migration of a store holding data says it runs and how long it took [migration-notice]
    notice: Callable[[str], None] | None = None

    def now(self) -> datetime:
        """The clock; a --now or $PCRM_NOW without a zone is read in this store's zone, as `--at` is
        [time-range]."""
        return clock.now(self.tz)

    def now_iso(self) -> str:
        return clock.iso(self.now())

    def settings(self) -> dict[str, Any]:
        """Every setting, stored or default. A connection that remembers (the daemon's) keeps them until the
        store changes (store.memo): each read the daemon answers asks for them (the day's score catch-up)."""
        if self._settings is None:
            self._settings = dict(self._resolved())  # a caller may change its copy
        return self._settings

    def setting(self, key: str) -> Any:
        return (self._settings if self._settings is not None else self._resolved())[key]

    def _resolved(self) -> dict[str, Any]:
        """The settings, shared (not a copy): this context's own until invalidated, or the memo's."""
        if self._known is not None:
            return self._known
        m = memo.current(self.conn)
        known: dict[str, Any] | None = m.get("settings", "all") if m is not None else None
        if known is None:
            stored = store.all_values(self.conn)
            known = {k: stored.get(k, s.default) for k, s in REGISTRY.items()}
            known["me"] = _with_account(self.conn, known["me"])
            if m is not None:
                m.put("settings", "all", known)
        self._known = known
        return known

    def invalidate_settings(self) -> None:
        self._settings = self._known = None

    def tz(self) -> tzinfo:
        return zone(self.setting("timezone"))

    def phone_region(self) -> str | None:
        return self.setting("phone_region")

    def close(self) -> None:
        self.conn.close()
        if self._scratch is not None:  # a dry run's empty store: gone with it
            self._scratch.cleanup()

    def __enter__(self) -> Context:
        return self

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        self.close()
        if isinstance(exc, (BusyError, LockedError)):
            raise store_busy() from exc


BUSY_RETRY_AFTER_S = 5  # what a busy store's 503 tells a client to wait before it tries again
API_WRITE_WAIT_MS = 2000  # how long a daemon request's write waits for another process's lock [store-busy]


def wait_as_the_daemon(ctx: Context) -> None:
    """ctx's writes wait API_WRITE_WAIT_MS for another process's write lock, not the CLI's BUSY_TIMEOUT_MS
    [store-busy]: the daemon's worker lane, where one request's wait holds up every write queued behind it
    and a browser is waiting for the answer."""
    from pcrm.store import db

    db.set_write_wait(ctx.conn, min(db.BUSY_TIMEOUT_MS, API_WRITE_WAIT_MS))


def store_busy() -> PcrmError:
    """Another process held the write lock past the busy timeout: for the CLI (Context) and the daemon (its
    worker lane) alike, `unavailable` (503 with Retry-After in the API) [store-busy]: a state to retry, not
    a `conflict`, which the web UI reads as a duplicate contact and answers with a merge prompt."""
    return PcrmError(
        "the store is busy: another pcrm process has been writing to it for too long",
        code="unavailable",
        hint="try again in a moment (a long import or sync may be running)",
        details={"retry_after": BUSY_RETRY_AFTER_S},
    )


class NeedsWriter(Exception):
    """A call run by `read_only` tried to write: run it again over a writable connection."""


def read_only(ctx: Context, fn: Callable[[Context], Any], *, slice_s: float | None = None) -> Any:
    """fn(ctx) over a query-only connection (store.db.connect_reader), in one read snapshot.

    Raises NeedsWriter, with nothing changed, when fn turns out to write (the day's score catch-up, a
    token's last-used stamp) or the store stays locked past the reader's short busy timeout; the caller
    then runs it where writes go (and waiting is allowed).

    slice_s: a read tried on the daemon's event loop [inline-reads]: its queries stop after that long, and
    then, or at a lock (that connection does not wait on one), SliceOver, with nothing changed: the caller
    runs fn again in the read pool, with the whole budget."""
    timed = time_slice(ctx.conn, slice_s) if slice_s is not None else contextlib.nullcontext()
    try:
        with snapshot(ctx.conn), timed:
            return fn(ctx)
    except BusyError:
        raise (SliceOver() if slice_s is not None else NeedsWriter()) from None
    except ReadOnlyError:
        raise NeedsWriter() from None


READ_BUDGET_S = 5.0  # [read-budget]


def budgeted(fn: Callable[[Context], Any], seconds: float = READ_BUDGET_S) -> Callable[[Context], Any]:
    """fn, stopped with a 400 `bad_request` if its queries run past `seconds` [read-budget]: the daemon
    wraps every read request (GET, MCP read tools) so none holds its event loop or its writer."""

    def run(ctx: Context) -> Any:
        with time_budget(ctx.conn, seconds):
            return fn(ctx)

    return run


def open_reader(path: Path, *, wait: bool = True) -> Context:
    """A query-only context that remembers answers until the store changes (store.memo). wait=False: a
    locked store fails at once (BusyError) instead of waiting a moment, for reads on an event loop."""
    conn = connect_reader(path, wait=wait)
    memo.enable(conn)
    return Context(conn=conn, path=path)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Bulk work (an import, an identity scan) builds a few hundred thousand small objects that all live
    until it ends; the cyclic garbage collector would walk them over and over (it tripled a 100k-contact
    scan and took a quarter of a 100k-vCard import). Nothing there makes cycles worth collecting midway;
    the collector runs again afterwards."""
    import gc

    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def open_context(
    path: Path | str | None = None,
    *,
    create: bool = True,
    remember: bool = False,
    migrate: bool = True,
    scratch: bool = False,
    notice: Callable[[str], None] | None = None,
) -> Context:
    """remember: keep answers until the store changes (store.memo), for a long-lived process (the daemon).
    migrate=False: the store as it is, pending migrations not applied and a newer pcrm's store not refused,
    for the commands that replace or list whole stores [opening-the-store]. scratch: where there is no store
    (and nothing in the way of one), an empty one in a temporary folder, removed when the context closes,
    instead of one made at the path: a dry run that must answer as a first run would, making nothing.
    notice: told when the migrations of a store holding data begin and how long they took (the CLI's
    stderr, the daemon's log) [migration-notice]; the context keeps it for the migrations a command runs
    itself (`pcrm db migrate`, `pcrm db restore`)."""
    p = Path(path) if path is not None else paths.db_path()
    if scratch and not p.exists() and in_the_way(p) is None:
        import tempfile  # only a dry run's: not on every command's start-up

        folder = tempfile.TemporaryDirectory(prefix="pcrm-dry-run-")
        at = Path(folder.name) / p.name  # the path of the store open, for whatever opens it again
        try:
            conn = connect(at, create=True, migrate=migrate)
        except BaseException:
            folder.cleanup()
            raise
        return Context(conn=conn, path=at, _scratch=folder, notice=notice)
    conn = connect(p, create=create, migrate=migrate, notice=notice)
    if remember:
        memo.enable(conn)
    return Context(conn=conn, path=p, notice=notice)
