"""What the running app holds: the store's connections, one worker lane, limiters, allowed origins.

Services are synchronous (apsw). Calls that may write run in a worker thread, one at a time (a
capacity limiter of 1), over the writer connection: the daemon is a single writer, as ARCHITECTURE.md
asks. Operations declared `read=True` run on the event loop itself, over a second, query-only
connection, inside one read snapshot: for a cheap read the hop to the lane and back cost more than the
read (GET /contacts/{id}: ~0.25 of ~0.5 ms of daemon CPU). A read that turns out to write (the day's
score catch-up, a token's last-used stamp) is abandoned unchanged and run again in the lane. Each
call gets a fresh Context, so settings that the CLI changed are read again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pcrm import paths
from pcrm.api.ratelimit import RateLimiter, default_limiters
from pcrm.domain.settings import REGISTRY
from pcrm.services.context import (
    READ_BUDGET_S,
    Context,
    NeedsWriter,
    open_context,
    open_reader,
    read_only,
)


@dataclass
class Runtime:
    db_path: Path | None
    allowed_hosts: frozenset[str]
    ui_origins: tuple[str, ...] = ()
    max_body_bytes: int = 10 * 1024 * 1024
    limiters: dict[str, RateLimiter] = field(default_factory=default_limiters)
    conn: Any = None
    reader: Any = None
    cors_origins: frozenset[str] = frozenset()
    read_budget_s: float = READ_BUDGET_S  # [read-budget]: every GET's queries stop after this long
    _lane: Any = None

    def open(self) -> None:
        if self.db_path is None:
            self.db_path = paths.db_path()

        self.conn = open_context(self.db_path, remember=True).conn
        try:
            self.reader = open_reader(self.db_path).conn
            self.refresh_origins()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._lane is not None:
            self._lane.shutdown(wait=True)
            self._lane = None
        for name in ("reader", "conn"):
            conn = getattr(self, name)
            if conn is not None:
                conn.close()
                setattr(self, name, None)

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
        return await asyncio.get_running_loop().run_in_executor(self._lane, lambda: fn(self.context()))

    def read(self, fn: Callable[[Any], Any]) -> tuple[bool, Any]:
        """(True, fn(ctx)) run here, on the event loop, over the query-only connection in one snapshot;
        (False, None) when fn tried to write: nothing changed, run it with `run`."""
        if self.reader is None:
            return False, None
        try:
            return True, read_only(Context(conn=self.reader, path=self.db_path), fn)  # type: ignore[arg-type]
        except NeedsWriter:
            return False, None

    def refresh_origins(self) -> None:
        """CORS origins: the local UI and the `cors_origins` setting (extension ids or full origins)."""
        values = self.context().setting("cors_origins") if self.conn is not None else None
        extra = values if isinstance(values, list) else REGISTRY["cors_origins"].default
        origins = set(self.ui_origins)
        for v in extra:
            v = str(v).strip().rstrip("/")
            if v:
                origins.add(v if "://" in v else f"chrome-extension://{v}")
        self.cors_origins = frozenset(origins)
