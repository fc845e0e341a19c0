"""What the running app holds: the store's connections, one worker lane, a read pool, limiters, origins.

Services are synchronous (apsw). Calls that may write run in a worker thread, one at a time, over the
writer connection: the daemon is a single writer, as ARCHITECTURE.md asks. Operations declared
`read=True` run in a small pool of reader threads, each over its own query-only connection, inside one
read snapshot [read-pool]: a slow search never makes `/api/health` or another request wait for it, and
SQLite's work (apsw lets go of the GIL while a statement runs) spreads over the cores. Those declared
`inline=True` as well (a contact by id, a page of the list with no search) are first tried on the event
loop itself over its own connection, for a few milliseconds of queries at most, and go to the pool
only past that [inline-reads]. A read that turns out to write (the day's score catch-up, a token's
last-used stamp) is abandoned unchanged and run again in the lane. Each call gets a fresh Context, so
settings that the CLI changed are read again; so are the CORS origins, on the first request with an Origin
header after the store changed [cors-origins-live].
"""

from __future__ import annotations

import os
import queue
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pcrm import paths
from pcrm.api.ratelimit import RateLimiter, default_limiters
from pcrm.domain.settings import REGISTRY
from pcrm.services.auth import jwt_secret_known
from pcrm.services.context import (
    READ_BUDGET_S,
    BusyError,
    Context,
    LockedError,
    NeedsWriter,
    SliceOver,
    open_context,
    open_reader,
    read_only,
    store_busy,
    wait_as_the_daemon,
)

IO_THREADS = 4  # network and file waits at once, off the lane [prepare-off-lane]
# [inline-reads]: an inline read's queries stop after this long on the event loop; it then goes to the pool
INLINE_SLICE_S = 0.008


def default_readers() -> int:
    """Reader threads: one per core, at least 2 and at most 4 (each holds a connection, its page cache and
    its memo; the event loop has one more for inline reads [inline-reads]). A third thread on 2 cores made
    no difference to searches at 32 connections (176-295 requests/s either way, the noise of the machine)
    but cost 6 MB."""
    return max(2, min(4, os.cpu_count() or 1))


def log_notice(line: str) -> None:
    """What a migration of a store holding data says, in the daemon's log [migration-notice]."""
    import logging

    logging.getLogger("pcrm.store").info(line)


@dataclass
class Runtime:
    db_path: Path | None
    allowed_hosts: frozenset[str]
    ui_origins: tuple[str, ...] = ()
    max_body_bytes: int = 10 * 1024 * 1024
    limiters: dict[str, RateLimiter] = field(default_factory=default_limiters)
    conn: Any = None
    readers: int = field(default_factory=default_readers)  # 0: every read goes to the writer lane
    cors_origins: frozenset[str] = frozenset()
    read_budget_s: float = READ_BUDGET_S  # [read-budget]: every GET's queries stop after this long
    inline_slice_s: float = INLINE_SLICE_S  # 0: no read is tried on the event loop [inline-reads]
    _lane: Any = None
    _read_pool: Any = None
    _idle: Any = None  # queue.LifoQueue of query-only connections, as many as reader threads
    _reader_conns: list[Any] = field(default_factory=list)
    _loop_conn: Any = None  # the event loop's own query-only connection, for inline reads [inline-reads]
    _coalescers: dict[str, Any] = field(default_factory=dict)
    _io_pool: Any = None  # threads for network and file waits, off the worker lane [prepare-off-lane]
    _io_local: Any = None  # each of those threads' query-only connection, opened on first use
    _io_conns: list[Any] = field(default_factory=list)
    _origins_conn: Any = None  # the event loop's query-only connection for the `cors_origins` setting
    _origins_from: Any = None  # the setting's value (the memo's own object) `cors_origins` was made from

    def open(self) -> None:
        if self.db_path is None:
            self.db_path = paths.db_path()

        opened = open_context(self.db_path, remember=True, notice=log_notice)
        wait_as_the_daemon(opened)  # [store-busy]
        self.conn = opened.conn
        try:
            self._idle = queue.LifoQueue()
            for _ in range(self.readers):
                conn = open_reader(self.db_path).conn
                self._reader_conns.append(conn)
                self._idle.put(conn)
            if self.readers and self.inline_slice_s > 0:
                self._loop_conn = open_reader(self.db_path, wait=False).conn
            self._origins_conn = open_reader(self.db_path, wait=False).conn
            self.origins()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        for name in ("_lane", "_read_pool", "_io_pool"):
            pool = getattr(self, name)
            if pool is not None:
                pool.shutdown(wait=True)
                setattr(self, name, None)
        self._idle = None
        while self._reader_conns:
            self._reader_conns.pop().close()
        for name in ("_loop_conn", "_origins_conn"):
            conn = getattr(self, name)
            if conn is not None:
                conn.close()
                setattr(self, name, None)
        while self._io_conns:
            self._io_conns.pop().close()
        self._io_local = None
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def context(self) -> Any:
        if self.conn is None:
            raise RuntimeError("the app's lifespan has not run: the store is not open")
        return Context(conn=self.conn, path=self.db_path)  # type: ignore[arg-type]

    async def run(self, fn: Callable[[Any], Any]) -> Any:
        """Run fn(ctx) in the worker lane: one thread, so calls run one at a time in arrival order.

        A plain single-thread executor costs a fraction of anyio's to_thread (no capacity limiter or
        cancel scope per call); a cancelled request still lets its call finish, as before."""
        import asyncio

        if self._lane is None:
            from concurrent.futures import ThreadPoolExecutor

            self._lane = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pcrm-store")

        def call() -> Any:
            try:
                return fn(self.context())
            except (BusyError, LockedError) as exc:  # a `pcrm import` writing for longer than the wait
                raise store_busy() from exc  # a 503 to retry, as the CLI says it; it was a 500

        return await asyncio.get_running_loop().run_in_executor(self._lane, call)

    async def io(self, fn: Callable[..., Any], *args: Any) -> Any:
        """fn(*args) in a thread of the I/O pool: a wait on the network or on files that must hold neither
        the worker lane nor a reader's snapshot [prepare-off-lane]."""
        import asyncio

        if self._io_pool is None:
            import threading
            from concurrent.futures import ThreadPoolExecutor

            self._io_local = threading.local()
            self._io_pool = ThreadPoolExecutor(max_workers=IO_THREADS, thread_name_prefix="pcrm-io")
        return await asyncio.get_running_loop().run_in_executor(self._io_pool, fn, *args)

    async def prepare(self, fn: Callable[[Any], Any]) -> Any:
        """fn(ctx) in the I/O pool, ctx over that thread's own query-only connection: an op's `prepare`
        step reads what it needs (each statement on its own, no snapshot held across the waits) and fetches
        over the network while the lane goes on writing; a write there fails."""
        return await self.io(self._prepare_here, fn)

    def _prepare_here(self, fn: Callable[[Any], Any]) -> Any:
        conn = getattr(self._io_local, "conn", None)
        if conn is None:
            assert self.db_path is not None
            conn = self._io_local.conn = open_reader(self.db_path).conn
            self._io_conns.append(conn)
        return fn(Context(conn=conn, path=self.db_path))  # type: ignore[arg-type]

    def coalescer(self, name: str, run_many: Callable[[Any, list[Any]], list[Any]]) -> Any:
        """The app's `api.coalesce.Coalescer` for one kind of call, made on first use [webhook-coalescing]."""
        if name not in self._coalescers:
            from pcrm.api.coalesce import Coalescer

            self._coalescers[name] = Coalescer(run_many)
        return self._coalescers[name]

    async def read(self, fn: Callable[[Any], Any], *, inline: bool = False) -> tuple[bool, Any]:
        """(True, fn(ctx)) run in a reader thread over a query-only connection in one snapshot;
        (False, None) when fn tried to write: nothing changed, run it with `run`.

        inline: first try fn here, on the event loop, over its own connection: no thread hop, no contest
        for the GIL. Its queries stop after `inline_slice_s` (or at a lock), and then it runs again in a
        reader thread with the whole budget [inline-reads]; fn must be a bounded read (a page, a record),
        whose Python work after its last query is small."""
        import asyncio

        if self._idle is None or not self._reader_conns:
            return False, None
        # not while a login token's check may have to fetch the JWT secret (after an account is deleted)
        if inline and self._loop_conn is not None and jwt_secret_known():
            ctx = Context(conn=self._loop_conn, path=self.db_path)  # type: ignore[arg-type]
            try:
                return True, read_only(ctx, fn, slice_s=self.inline_slice_s)
            except NeedsWriter:
                return False, None
            except SliceOver:
                pass  # too long for the event loop: the pool, from the start
        if self._read_pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._read_pool = ThreadPoolExecutor(max_workers=self.readers, thread_name_prefix="pcrm-read")
        return await asyncio.get_running_loop().run_in_executor(self._read_pool, self._read_here, fn)

    def _read_here(self, fn: Callable[[Any], Any]) -> tuple[bool, Any]:
        # as many connections as threads, so one is always free here; last in, first out, so under light
        # load the same warm connection (its page cache, its memo) answers
        conn = self._idle.get_nowait()
        try:
            return True, read_only(Context(conn=conn, path=self.db_path), fn)  # type: ignore[arg-type]
        except NeedsWriter:
            return False, None
        finally:
            self._idle.put(conn)

    def origins(self) -> frozenset[str]:
        """The CORS origins allowed now: the local UI and the `cors_origins` setting (extension ids or full
        origins) [cors-origins-live]. The setting is read over the event loop's own query-only connection,
        which remembers it until the store changes (store.memo: one `PRAGMA data_version` a call), so a
        `pcrm settings set cors_origins ...` takes effect at the next request, in both directions, without
        a restart; the set is rebuilt only when the value read is another object. A locked store (that
        connection never waits) keeps the last set for this request."""
        conn = self._origins_conn
        if conn is None:
            return self.cors_origins
        try:
            values = Context(conn=conn, path=self.db_path).setting("cors_origins")  # type: ignore[arg-type]
        except BusyError:
            return self.cors_origins
        if values is not self._origins_from:
            self._origins_from = values
            self.cors_origins = allowed_origins(self.ui_origins, values)
        return self.cors_origins


def allowed_origins(ui_origins: tuple[str, ...], values: Any) -> frozenset[str]:
    """The local UI's origins and the `cors_origins` setting's values, an extension id standing for
    chrome-extension://ID."""
    extra = values if isinstance(values, list) else REGISTRY["cors_origins"].default
    origins = set(ui_origins)
    for v in extra:
        v = str(v).strip().rstrip("/")
        if v:
            origins.add(v if "://" in v else f"chrome-extension://{v}")
    return frozenset(origins)
