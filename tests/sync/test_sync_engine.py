"""The sync engine [sync-engine] through its shells: `pcrm sync SOURCE`, the background routes and
`GET /tasks/{id}`, `pcrm sync status`; what it refuses (unknown, hidden, push, unbuilt, unconnected
sources); provenance and undo of a sync's batches; backfill-safe dismissal of suggestions; a run killed
between batches."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from pcrm.domain.sources import HIDDEN_ENV, source
from pcrm.errors import PcrmError
from pcrm.services import sync
from pcrm.services.context import Context
from pcrm.sync import registry
from pcrm.sync.memory import ENV, MemoryClient, MemorySource
from tests.support.api import V, assert_error, ok
from tests.support.cli import Cli


@pytest.fixture
def memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(HIDDEN_ENV, "1")
    monkeypatch.setenv(ENV, "generate:30:120:3")


def _count(ctx: Context, sql: str, *args: Any) -> int:
    return int(ctx.conn.execute(sql, args).fetchall()[0][0])


def test_pcrm_sync_memory_writes_then_resumes_and_status_shows_it(
    memory: None, cli: Cli, ctx: Context
) -> None:
    first = cli.json("sync", "memory")
    assert first["data"]["status"] == "success" and first["data"]["records_created"] == 150
    details = json.loads(first["data"]["details"])
    assert details["interactions_created"] == 120 and details["contacts_created"] == 30
    # scores are brought up to date for every contact that got messages (once, at the end of the run)
    talked = _count(ctx, "SELECT count(DISTINCT contact_id) FROM interactions")
    assert _count(ctx, "SELECT count(*) FROM contacts WHERE interaction_count > 0") == talked > 0
    assert _count(ctx, "SELECT sum(interaction_count) FROM contacts") == 120
    again = cli.json("sync", "memory")
    assert again["data"]["records_created"] == 0
    status = cli.json("sync", "status")["data"]["sources"]["memory"]
    assert status["connected"] and status["last_run"]["id"] == again["data"]["id"]
    assert status["last_success_at"] and status["cursor_updated_at"] and status["last_error"] is None
    assert status["next_run_at"] is None  # the memory source has no schedule
    text = cli("sync", "memory").stdout
    assert "0 new interactions" in text
    assert (
        _count(ctx, "SELECT count(*) FROM notifications WHERE title = 'Memory (tests) sync completed'") == 3
    )


def test_unknown_hidden_push_and_unbuilt_sources_are_refused_with_a_hint(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = cli.json("sync", "reset", "gmial", ok=False)
    assert r["error"]["code"] == "not_found" and "did you mean gmail" in r["error"]["hint"]
    r = cli.json("sync", "memory", ok=False)  # hidden unless enabled
    assert r["error"]["code"] == "not_found" and "memory" not in r["error"]["hint"]
    monkeypatch.delitem(registry.ADAPTERS, "twitter")  # a source without an adapter in this version
    r = cli.json("sync", "twitter", ok=False)
    assert r["error"]["code"] == "not_implemented" and "pcrm import" in r["error"]["hint"]
    monkeypatch.setenv(HIDDEN_ENV, "1")
    r = cli.json("sync", "memory", ok=False)  # enabled, but no data to play
    assert r["error"]["code"] == "upstream_error" and ENV in r["error"]["hint"]


def test_a_source_whose_secret_is_missing_is_not_connected(
    ctx: Context, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    class FakeGmail(MemorySource):
        spec = source("gmail")

    monkeypatch.setitem(registry.ADAPTERS, "gmail", lambda: FakeGmail)
    with pytest.raises(PcrmError) as exc:
        sync.run(ctx, "gmail")
    assert exc.value.code == "not_connected" and exc.value.hint == "connect it with: pcrm auth google"
    assert not sync.is_connected(ctx, "gmail")
    r = cli.json("sync", "gmail", ok=False)
    assert r["error"]["code"] == "not_connected"
    assert cli.json("sync", "status")["data"]["sources"]["gmail"]["connected"] is False
    assert _count(ctx, "SELECT count(*) FROM sync_runs") == 0


def test_sync_all_runs_every_connected_source_and_reports_each(memory: None, cli: Cli) -> None:
    r = cli.json("sync", "--all")
    assert list(r["data"]) == ["memory"] and r["data"]["memory"]["status"] == "success"


def test_routes_start_in_the_background_and_the_task_reports_the_run(
    memory: None, empty_api: Any, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = ok(empty_api.post(f"{V}/sync/memory"))["data"]
    assert started["status"] == "started" and started["source"] == "memory"
    sync.wait(started["task_id"], timeout=30)
    task = ok(empty_api.get(f"{V}/tasks/{started['task_id']}"))["data"]
    assert task["status"] == "success" and task["records_created"] == 150
    assert _count(ctx, "SELECT count(*) FROM interactions WHERE sync_run_id IS NOT NULL") == 120
    history = ok(empty_api.get(f"{V}/sync-history", params={"platform": "memory"}))["data"]
    assert [h["id"] for h in history] == [started["task_id"]]
    # a source without an adapter in this version answers 501; unknown sources 404
    monkeypatch.delitem(registry.ADAPTERS, "twitter")
    assert_error(empty_api.post(f"{V}/sync/twitter"), "not_implemented", 501)
    assert_error(empty_api.post(f"{V}/sync/myspace"), "not_found", 404)


def test_a_second_start_while_one_runs_is_a_conflict(memory: None, empty_api: Any, ctx: Context) -> None:
    from pcrm.store import locks
    from pcrm.store.db import write

    with write(ctx.conn):
        locks.acquire(
            ctx.conn, "sync:memory", f"{os.getppid()}:other", ctx.now_iso(), "2999-01-01T00:00:00.000Z"
        )  # another live process holds it
    assert_error(empty_api.post(f"{V}/sync/memory"), "conflict", 409)


def test_the_conflict_names_when_the_running_sync_started_in_the_users_zone(
    memory: None, cli: Cli, ctx: Context
) -> None:
    """[local-days]: as `pcrm sync status` shows it (Auckland, UTC+12 in June), not in UTC."""
    from pcrm.store import locks
    from pcrm.store.db import write

    cli("settings", "set", "timezone", "Pacific/Auckland")
    with write(ctx.conn):
        locks.acquire(
            ctx.conn,
            "sync:memory",
            f"{os.getppid()}:other",
            "2026-06-01T20:00:00.000Z",
            "2999-01-01T00:00:00.000Z",
        )
    assert "running: memory since 2026-06-02 08:00" in cli("sync", "status").stderr
    err = cli.json("sync", "memory", ok=False)["error"]
    assert err["code"] == "conflict"
    assert err["message"] == "a Memory (tests) sync is already running (since 2026-06-02 08:00)", err


def test_a_sync_batch_is_an_import_batch_that_undo_takes_back(memory: None, cli: Cli, ctx: Context) -> None:
    cli.json("sync", "memory")
    batches = cli.json("import", "history")["data"]
    assert {b["format"] for b in batches} == {"sync"} and len(batches) == 2  # people, then messages
    for b in batches:  # newest first
        cli("import", "undo", b["id"], "--yes")
    assert _count(ctx, "SELECT count(*) FROM interactions") == 0
    assert _count(ctx, "SELECT count(*) FROM contacts") == 0


def test_old_messages_never_dismiss_a_newer_suggestion(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    from pcrm.store import suggestions as sstore
    from pcrm.store.db import write

    monkeypatch.setenv(HIDDEN_ENV, "1")
    client = MemoryClient([{"full_name": "Ada Lovelace", "emails": ["ada@example.com"]}], [])
    sync.run(ctx, "memory", client=client)
    cid = _count(ctx, "SELECT id FROM contacts")
    with write(ctx.conn):
        sstore.insert(
            ctx.conn,
            [
                {
                    "contact_id": cid,
                    "trigger_type": "time_based",
                    "suggested_message": "say hi",
                    "suggested_channel": "email",
                    "pool": "A",
                }
            ],
            "2026-06-01T00:00:00.000Z",
        )

    def status() -> str:
        return str(ctx.conn.execute("SELECT status FROM follow_up_suggestions").fetchall()[0][0])

    client.interactions.append(
        {"contact": 0, "id": "old", "at": "2026-05-01T09:00:00.000Z", "text": "backfill"}
    )
    sync.run(ctx, "memory", client=client)
    assert status() == "pending"  # a backfilled message older than the suggestion
    client.interactions.append({"contact": 0, "id": "new", "at": "2026-06-02T09:00:00.000Z", "text": "hello"})
    sync.run(ctx, "memory", client=client)
    assert status() == "dismissed"


def test_kill_9_between_batches_loses_nothing_and_the_rerun_completes(pcrm_home: Path, ctx: Context) -> None:
    env = {**os.environ, HIDDEN_ENV: "1", ENV: "generate:3000:30000:5", "PCRM_HOME": str(pcrm_home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pcrm", "sync", "memory", "--json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            time.sleep(0.02)
            done = ctx.conn.execute("SELECT count(*) FROM import_batches").fetchall()[0][0]
            if done >= 3:
                break
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    committed = _count(ctx, "SELECT count(*) FROM interactions")
    people = _count(ctx, "SELECT count(*) FROM contacts")
    assert committed < 30000, "the run was killed before it finished"
    assert ctx.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    rerun = subprocess.run(
        [sys.executable, "-m", "pcrm", "sync", "memory", "--json"], env=env, capture_output=True, check=False
    )
    assert rerun.returncode == 0, rerun.stderr
    assert _count(ctx, "SELECT count(*) FROM interactions") == 30000
    assert _count(ctx, "SELECT count(DISTINCT raw_reference_id) FROM interactions") == 30000
    runs = ctx.conn.execute(
        "SELECT status, error_message, records_created FROM sync_runs ORDER BY id"
    ).fetchall()
    assert runs[0][0] == "partial" and "interrupted" in runs[0][1] and runs[1][0] == "success"
    # the killed run's counts are what it committed, so the two runs' counts add up to what is stored
    assert runs[0][2] == people + committed and runs[0][2] + runs[1][2] == 3000 + 30000


def test_ctrl_c_ends_the_run_as_cancelled_with_what_it_wrote_and_frees_the_lock(
    memory: None, cli: Cli, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = MemoryClient.take

    def ctrl_c_at_the_second_batch(self: MemoryClient) -> None:
        if self.fetched == 1:
            raise KeyboardInterrupt
        real(self)

    monkeypatch.setattr(MemoryClient, "take", ctrl_c_at_the_second_batch)
    r = cli("sync", "memory", ok=False)
    assert r.exit_code == 130 and "cancelled" in r.stderr and "pcrm sync memory" in r.stderr
    run = cli.json("sync", "history")["data"][0]
    assert run["status"] == "partial" and run["error_message"] == "cancelled (Ctrl-C)"
    assert run["records_created"] == 30 == _count(ctx, "SELECT count(*) FROM contacts")  # the people batch
    assert json.loads(run["details"])["batches"] == 1 and run["completed_at"]
    assert cli.json("sync", "status")["data"]["running"] == []  # the lock is let go
    assert _count(ctx, "SELECT count(*) FROM notifications WHERE title LIKE '%sync failed'") == 0
    monkeypatch.setattr(MemoryClient, "take", real)
    again = cli.json("sync", "memory")["data"]  # not refused as running; goes on after the people
    assert again["status"] == "success" and again["records_created"] == 120


def test_a_batch_that_fails_while_written_is_rolled_back_whole(
    memory: None, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcrm.services.ingest import engine

    client = MemoryClient.generate(10, 60, seed=2, batch_size=20)  # 1 batch of people, 3 of messages
    real = engine.Writer.interaction
    calls = {"n": 0}

    def flaky(self: Any, it: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 30:  # the 10th message of the second message batch
            raise RuntimeError("disk on fire")
        real(self, it)

    monkeypatch.setattr(engine.Writer, "interaction", flaky)
    with pytest.raises(PcrmError) as exc:
        sync.run(ctx, "memory", client=client)
    assert "disk on fire" in exc.value.message
    assert _count(ctx, "SELECT count(*) FROM interactions") == 20  # the first message batch, whole
    run = ctx.conn.execute("SELECT status, details FROM sync_runs").fetchall()[0]
    assert run[0] == "partial" and json.loads(run[1])["batches"] == 2
    monkeypatch.setattr(engine.Writer, "interaction", real)
    sync.run(ctx, "memory", client=client)  # resumes after the last committed batch
    assert _count(ctx, "SELECT count(*) FROM interactions") == 60


def test_a_record_refused_by_validation_is_a_row_error_of_the_run(memory: None, ctx: Context) -> None:
    client = MemoryClient(
        [{"full_name": "Ada", "emails": ["ada@example.com"]}, {"notes": "nobody at all"}], []
    )
    run = sync.run(ctx, "memory", client=client).data
    assert run["records_failed"] == 1
    assert "no name, email, phone or handle" in json.loads(run["details"])["errors"][0]


def test_a_run_whose_process_died_is_shown_interrupted_not_running(
    memory: None, cli: Cli, ctx: Context, empty_api: Any
) -> None:
    # 'pcrm daemon stop' (or kill -9) during a sync left its run 'started' with no counts: 'pcrm sync
    # status' said 'running: memory since ...' and GET /tasks/{id} answered 'started' until the source's
    # next run, although nothing ran it any more
    from pcrm.store import locks
    from pcrm.store import sync_runs as runs
    from pcrm.store.db import write

    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True
    )
    pid = int(gone.stdout)  # a process that has ended
    progress = {"batches": 2, "contacts_created": 5, "contacts_updated": 1, "interactions_created": 40}
    with write(ctx.conn):
        rid = runs.start(ctx.conn, "memory", "manual", ctx.now_iso())
        task = ctx.conn.execute("SELECT uuid FROM sync_runs WHERE id = ?", (rid,)).fetchall()[0][0]
        runs.set_details(ctx.conn, rid, json.dumps({**progress, "errors": ["row 3: bad"]}))
        locks.acquire(ctx.conn, "sync:memory", f"{pid}:{task}", ctx.now_iso(), "2999-01-01T00:00:00.000Z")
    status = cli.json("sync", "status")["data"]
    assert status["running"] == []
    shown = status["sources"]["memory"]["last_run"]
    assert (shown["status"], shown["records_created"], shown["records_updated"]) == ("partial", 45, 1)
    assert shown["error_message"] == "interrupted: the process running it ended"
    assert shown["records_failed"] == 1
    assert "running:" not in cli("sync", "status", "--format", "table").stdout
    assert cli.json("sync", "history")["data"] == [shown]
    assert cli.json("sync", "status", task[:8])["data"] == shown
    assert ok(empty_api.get(f"{V}/tasks/{task}"))["data"] == shown
    assert ok(empty_api.get(f"{V}/sync-history"))["data"] == [shown]
    # the next run takes the lock over and records the run as it was shown
    cli("sync", "memory")
    recorded = ok(empty_api.get(f"{V}/tasks/{task}"))["data"]
    assert recorded == {**shown, "completed_at": recorded["completed_at"]} and recorded["completed_at"]


def test_a_lock_an_earlier_process_with_this_pid_left_is_taken_over(
    memory: None, cli: Cli, ctx: Context
) -> None:
    """A crash or power cut, then a restart that gave the new daemon the pid of the one that died: the lock
    that one left (holder `pid:run`) named this process's pid, so it was taken as this process's own run,
    and every sync of the source was "already running" until the lock expired. A lock with this pid that
    this process does not hold is a dead process's: its run is interrupted, the new run takes over."""
    from pcrm.store import locks
    from pcrm.store import sync_runs as runs
    from pcrm.store.db import write

    with write(ctx.conn):
        rid = runs.start(ctx.conn, "memory", "scheduled", ctx.now_iso())
        task = ctx.conn.execute("SELECT uuid FROM sync_runs WHERE id = ?", (rid,)).fetchall()[0][0]
        locks.acquire(
            ctx.conn, "sync:memory", f"{os.getpid()}:{task}", ctx.now_iso(), "2999-01-01T00:00:00.000Z"
        )
    assert cli.json("sync", "status")["data"]["running"] == []
    assert cli.json("sync", "memory")["data"]["status"] == "success"
    assert cli.json("sync", "status", task[:8])["data"]["error_message"] == (
        "interrupted: the process running it ended"
    )


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc for a process's start time")
def test_a_lock_whose_pid_another_live_process_took_since_is_taken_over(
    memory: None, cli: Cli, ctx: Context
) -> None:
    """A dead process's lock whose pid the system has since given to an unrelated live process (here this
    test's parent) read as running until it expired (10 minutes): `pcrm sync status` listed it and `pcrm
    sync memory` was "already running". The holder records its process's start time (Linux); a pid whose
    process started at another time is not the holder. The same pid with its own start time, or a lock an
    older pcrm wrote without one, still holds."""
    from pcrm.store import locks
    from pcrm.store import sync_runs as runs
    from pcrm.store.db import write

    other = os.getppid()  # a live process that is not this one
    started = Path(f"/proc/{other}/stat").read_text().rsplit(")", 1)[1].split()[19]  # field 22

    def held_by(holder: str) -> str:
        with write(ctx.conn):
            ctx.conn.execute("DELETE FROM locks")
            rid = runs.start(ctx.conn, "memory", "scheduled", ctx.now_iso())
            task = ctx.conn.execute("SELECT uuid FROM sync_runs WHERE id = ?", (rid,)).fetchall()[0][0]
            locks.acquire(ctx.conn, "sync:memory", holder + task, ctx.now_iso(), "2999-01-01T00:00:00.000Z")
        return str(task)

    for alive in (f"{other}@{started}:", f"{other}:"):  # its own start time; an older pcrm's lock
        held_by(alive)
        assert [r["name"] for r in cli.json("sync", "status")["data"]["running"]] == ["sync:memory"], alive
        assert cli("sync", "memory", ok=False).exit_code == 1

    task = held_by(f"{other}@{int(started) + 1}:")  # the process that took the lock has ended since
    assert cli.json("sync", "status")["data"]["running"] == []
    assert cli.json("sync", "memory")["data"]["status"] == "success"
    assert cli.json("sync", "status", task[:8])["data"]["error_message"] == (
        "interrupted: the process running it ended"
    )


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see a zombie")
def test_a_run_whose_process_ended_unreaped_is_not_running(memory: None, cli: Cli, ctx: Context) -> None:
    """Right after `pcrm daemon stop` cut a sync short, the daemon's process may not be reaped yet (a zombie,
    when the shell that started it in the background has not waited for it): `pcrm sync status` said
    'running: memory since ...' and the run was 'started' with no counts, as if it still ran."""
    from pcrm.store import locks
    from pcrm.store import sync_runs as runs
    from pcrm.store.db import write

    ended = subprocess.Popen([sys.executable, "-c", "pass"])  # not waited for: a zombie once it ends
    try:
        stat = Path(f"/proc/{ended.pid}/stat")
        deadline = time.monotonic() + 30
        while stat.read_bytes().rsplit(b")", 1)[1].split()[0] != b"Z":
            assert time.monotonic() < deadline, "the process did not end"
            time.sleep(0.02)
        with write(ctx.conn):
            rid = runs.start(ctx.conn, "memory", "manual", ctx.now_iso())
            task = ctx.conn.execute("SELECT uuid FROM sync_runs WHERE id = ?", (rid,)).fetchall()[0][0]
            runs.set_details(ctx.conn, rid, json.dumps({"batches": 1, "interactions_created": 10}))
            holder = f"{ended.pid}:{task}"
            locks.acquire(ctx.conn, "sync:memory", holder, ctx.now_iso(), "2999-01-01T00:00:00.000Z")
        status = cli.json("sync", "status")["data"]
        assert status["running"] == []
        shown = status["sources"]["memory"]["last_run"]
        assert (shown["status"], shown["error_message"]) == (
            "partial",
            "interrupted: the process running it ended",
        )
        assert cli.json("sync", "memory")["data"]["status"] == "success"  # takes the lock over
    finally:
        ended.wait()
