"""A hypothesis state machine over the memory source and the real engine [sync-engine]: data arrives in
steps, syncs run whole or fail at a batch, a run dies between batches (its lock and run left behind by a
process that is gone), another process holds the lock, the user clears a field, cursors are forgotten.
After every step: no interaction is stored twice, none that a committed batch carried is lost, and a
field the user edited never changes; after a clean run, everything the source holds is stored."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from pcrm.domain.sources import HIDDEN_ENV
from pcrm.errors import Conflict, PcrmError
from pcrm.services import contacts, sync
from pcrm.services.context import open_context
from pcrm.store import locks
from pcrm.store.db import write
from pcrm.sync.memory import MemoryClient


class _Died(BaseException):
    """The process ends mid-run (kill -9): nothing after this point runs, not even `finally` cleanup
    that would happen in a live process is trusted; the test then plays the process being gone."""


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


class SyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = tempfile.TemporaryDirectory()
        self.ctx = open_context(Path(self.dir.name) / "pcrm.db")
        self.client = MemoryClient(batch_size=4)
        self.cleared: dict[str, None] = {}  # contact uuid -> the company the user cleared
        self.stored_refs: set[str] = set()

    def teardown(self) -> None:
        self.ctx.close()
        self.dir.cleanup()

    # ------------------------------------------------------------ the source's data

    @rule(n=st.integers(1, 5))
    def people_join(self, n: int) -> None:
        base = len(self.client.contacts)
        self.client.contacts += [
            {"full_name": f"Person {base + k}", "emails": [f"p{base + k}@example.com"], "company": "Acme"}
            for k in range(n)
        ]

    @precondition(lambda self: self.client.contacts)
    @rule(n=st.integers(1, 9), who=st.integers(0, 1000))
    def messages_arrive(self, n: int, who: int) -> None:
        base = len(self.client.interactions)
        for k in range(n):
            self.client.interactions.append(
                {
                    "contact": (who + k) % len(self.client.contacts),
                    "id": f"m{base + k}",
                    "at": f"2026-0{1 + k % 9}-1{k % 9}T10:00:00.000Z",
                    "direction": "inbound" if k % 2 else "outbound",
                    "text": f"text {base + k}",
                }
            )

    # ------------------------------------------------------------ runs

    @rule()
    def sync_runs(self) -> None:
        self.client.fail_at = None
        sync.run(self.ctx, "memory", client=self.client)
        self.stored_refs = self.refs()
        assert self.stored_refs == {f"memory:{m['id']}" for m in self.client.interactions}

    @rule(at=st.integers(0, 4))
    def sync_fails_at_a_batch(self, at: int) -> None:
        self.client.fail_at = self.client.fetched + at
        try:
            sync.run(self.ctx, "memory", client=self.client)
        except PcrmError as exc:
            assert exc.code == "upstream_error"
        self.client.fail_at = None

    @rule(after=st.integers(0, 3))
    def the_process_dies_between_batches(self, after: int) -> None:
        r = sync._begin(self.ctx, "memory", "manual", self.client)
        batches = iter(r.adapter.fetch(self._cursor()))
        original_fetch = r.adapter.fetch

        def dying(cursor: Any) -> Any:
            for k, b in enumerate(batches):
                if k == after:
                    raise _Died
                yield b

        r.adapter.fetch = dying
        try:
            sync._loop(self.ctx, r, None)
            return  # fewer batches than `after`: the run ended before the process died
        except _Died:
            pass
        r.adapter.fetch = original_fetch
        # the process is gone: its lock names a pid that no longer exists
        with write(self.ctx.conn):
            self.ctx.conn.execute(
                "UPDATE locks SET holder = ? WHERE name = 'sync:memory'", (f"{_dead_pid()}:{r.uuid}",)
            )

    @rule()
    def another_process_holds_the_lock(self) -> None:
        with write(self.ctx.conn):
            held = locks.acquire(
                self.ctx.conn,
                "sync:memory",
                f"{os.getppid()}:other",
                self.ctx.now_iso(),
                "2999-01-01T00:00:00.000Z",
            )
        before = self.refs()
        if held:
            with pytest.raises(Conflict):
                sync.run(self.ctx, "memory", client=self.client)
            assert self.refs() == before
            with write(self.ctx.conn):
                locks.release(self.ctx.conn, "sync:memory", f"{os.getppid()}:other")

    @rule()
    def the_user_forgets_the_cursor(self) -> None:
        sync.reset(self.ctx, "memory")

    @precondition(lambda self: self.refs())
    @rule(k=st.integers(0, 1000))
    def the_user_clears_a_company(self, k: int) -> None:
        uuids = [r[0] for r in self.ctx.conn.execute("SELECT uuid FROM contacts ORDER BY id")]
        uuid = uuids[k % len(uuids)]
        contacts.update_contact(self.ctx, uuid, {"company": None})
        self.cleared[uuid] = None

    # ------------------------------------------------------------ what must hold

    def _cursor(self) -> str | None:
        from pcrm.store import sync_cursors

        return sync_cursors.get(self.ctx.conn, "memory")

    def refs(self) -> set[str]:
        return {r[0] for r in self.ctx.conn.execute("SELECT raw_reference_id FROM interactions")}

    @invariant()
    def nothing_is_stored_twice(self) -> None:
        n = self.ctx.conn.execute(
            "SELECT count(*), count(DISTINCT raw_reference_id) FROM interactions"
        ).fetchall()
        assert n[0][0] == n[0][1]

    @invariant()
    def nothing_committed_is_lost(self) -> None:
        now = self.refs()
        assert self.stored_refs <= now
        self.stored_refs = now

    @invariant()
    def a_cleared_field_stays_cleared(self) -> None:
        for uuid in self.cleared:
            row = self.ctx.conn.execute("SELECT company FROM contacts WHERE uuid = ?", (uuid,)).fetchall()
            assert row == [(None,)]


@pytest.fixture(autouse=True)
def _memory_enabled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(HIDDEN_ENV, "1")


TestSyncMachine = SyncMachine.TestCase
TestSyncMachine.settings = settings(
    max_examples=30, stateful_step_count=14, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
