"""`pcrm daemon stop` lets a running sync end its batch [daemon-stop], on a real `pcrm serve` process: the
stop cut a background sync in the middle of a batch (the run then read as interrupted, its committed
batches kept). Now the sync ends once the batch it is writing is committed, as partial with the daemon's
stop as its reason, the terminal says what the stop waits for and how to cut it short, and a second
`pcrm daemon stop` does cut it short. The memory source's pause ($PCRM_MEMORY_PAUSE) plays a slow network,
so that the stop comes in the middle of the run."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pcrm.domain.sources import HIDDEN_ENV
from pcrm.sync.memory import ENV, PAUSE_ENV
from tests.support.crm import NOW

INTERACTIONS = 400  # 20 people and 400 messages, 10 items a batch: 42 batches


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pcrm(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pcrm", *args],
        capture_output=True,
        text=True,
        timeout=90,
        env=env or os.environ.copy(),
        check=False,
    )


def _api(base: str, token: str, method: str, path: str) -> dict[str, Any]:
    req = urllib.request.Request(base + path, method=method, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return dict(json.loads(r.read())["data"])


def _until(what: str, check: Any, seconds: float = 30) -> Any:
    deadline = time.monotonic() + seconds
    while not (got := check()):
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds:g} s"
        time.sleep(0.05)
    return got


class Daemon:
    def __init__(self, home: Path, pause: float) -> None:
        self.env = {**os.environ, HIDDEN_ENV: "1", ENV: f"generate:20:{INTERACTIONS}:1:10"}
        self.token = _pcrm("token", "create", "stop-test", env=self.env).stdout.strip()
        port = _free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.log = open(home.parent / "daemon.log", "w+")  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pcrm", "serve", "--port", str(port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env={**self.env, PAUSE_ENV: str(pause)},
        )

        def health() -> bool:
            assert self.proc.poll() is None, "the daemon exited early"
            try:
                with urllib.request.urlopen(self.base + "/api/health", timeout=2) as r:
                    return r.status == 200
            except OSError:
                return False

        _until("the daemon answering", health)

    def sync(self) -> str:
        return str(_api(self.base, self.token, "POST", "/api/v1/sync/memory")["task_id"])

    def run(self, task: str) -> dict[str, Any]:
        return json.loads(_pcrm("sync", "status", task, "--json", env=self.env).stdout)["data"]

    def close(self) -> str:
        """Kill it if it still runs; its log."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if not self.log.closed:
            self.log.seek(0)
            self.text = self.log.read()
            self.log.close()
        return self.text


@pytest.fixture
def daemon(pcrm_home: Path) -> Iterator[Any]:
    made: list[Daemon] = []

    def start(pause: float) -> Daemon:
        made.append(Daemon(pcrm_home, pause))
        return made[-1]

    yield start
    for d in made:
        d.close()


def _stored(home: Path) -> int:
    import apsw

    conn = apsw.Connection(str(home / "pcrm.db"), flags=apsw.SQLITE_OPEN_READONLY)
    try:
        return int(conn.execute("SELECT count(*) FROM interactions").fetchall()[0][0])
    finally:
        conn.close()


def test_a_stop_lets_the_running_sync_end_its_batch(daemon: Any, pcrm_home: Path) -> None:
    d = daemon(0.2)
    task = d.sync()
    _until("a batch written", lambda: json.loads(d.run(task)["details"] or "{}").get("batches"))

    stopped = _pcrm("daemon", "stop", env=d.env)

    assert stopped.returncode == 0, stopped.stderr
    said = " ".join(stopped.stderr.split())
    assert (
        "letting the Memory (tests) sync finish the batch it is writing (up to 15 s); "
        "Ctrl-C, or `pcrm daemon stop` again, stops it at once" in said
    ), said
    assert " ".join(stopped.stdout.split()) == (
        f"stopped the daemon (pid {d.proc.pid}) once the Memory (tests) sync had ended its batch; "
        "pcrm sync memory goes on from there"
    )
    assert d.proc.wait(timeout=20) == 0
    run = d.run(task)
    details = json.loads(run["details"])
    assert (run["status"], run["error_message"]) == ("partial", "the daemon was stopping"), run
    # every batch it started was written whole, and the rest is still to come
    assert _stored(pcrm_home) == details["interactions_created"] < INTERACTIONS
    assert "stopping: the Memory (tests) sync ends after the batch it is writing" in d.close()
    rest = json.loads(_pcrm("sync", "memory", "--json", env=d.env).stdout)["data"]
    assert rest["status"] == "success" and _stored(pcrm_home) == INTERACTIONS


def test_a_second_stop_cuts_the_sync_short(daemon: Any, pcrm_home: Path) -> None:
    d = daemon(60)  # its first batch takes a minute to come
    task = d.sync()
    first = subprocess.Popen(
        [sys.executable, "-m", "pcrm", "daemon", "stop"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=d.env,
    )
    from pcrm.daemon import runstate

    _until("the daemon waiting for the sync", lambda: (runstate.read() or {}).get("stopping"))
    # while it waits, `pcrm daemon status` says so (it said "running")
    state = json.loads(_pcrm("daemon", "status", "--json", env=d.env).stdout)["data"]
    assert (state["running"], state["state"], state["pid"]) == (True, "stopping", d.proc.pid), state
    assert state["stopping"]["syncs"] == [{"name": "memory", "label": "Memory (tests)"}], state

    second = _pcrm("daemon", "stop", env=d.env)

    out, err = first.communicate(timeout=30)
    assert first.returncode == 0 and second.returncode == 0, (err, second.stderr)
    assert "the daemon is already stopping" in second.stderr and "stopping it at once" in second.stderr
    cut = f"stopped the daemon (pid {d.proc.pid}); the Memory (tests) sync was cut short"
    assert second.stdout.startswith(cut) and out.startswith(cut), (second.stdout, out)
    assert d.proc.wait(timeout=20) == 0
    run = d.run(task)
    assert run["status"] == "failed" and run["error_message"].startswith("interrupted"), run
    assert "stopping now (asked to): the Memory (tests) sync is cut short" in d.close()


def test_syncs_run_to_their_end_after_the_daemon_app_stopped_in_this_process(
    pcrm_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The daemon's app entered and left in-process (as tests and an embedding do): its stop asked the
    syncs to end at a batch's end, and every later sync in the process then stopped after one batch."""
    import anyio
    import uvicorn
    from asgi_lifespan import LifespanManager

    from pcrm.services import sync
    from pcrm.services.context import open_context
    from pcrm.sync.memory import MemoryClient
    from tests.support.cli import Cli

    apps: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: apps.append(self.config.app))
    monkeypatch.setenv(HIDDEN_ENV, "1")
    Cli()("serve", "--port", "9", ok=False)  # run() returned at once: the app is entered below

    async def enter_and_leave() -> None:
        async with LifespanManager(apps[0]):
            pass

    anyio.run(enter_and_leave)
    with open_context() as ctx:
        run = sync.run(ctx, "memory", client=MemoryClient.generate(5, 50, batch_size=10)).data
    assert run["status"] == "success", run


def test_daemon_status_says_the_daemon_is_stopping_while_a_sync_ends_its_batch(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`pcrm daemon status` said "running: pid N, URL" while a stop waited for a sync's batch, the URL no
    longer answering; it reads the stop's mark in the run file (replaced whole, never half written)."""
    import re

    from pcrm.daemon import runstate, server

    monkeypatch.setattr(server, "_looks_like_pcrm", lambda pid: True)
    runstate.write("127.0.0.1", 8765, "2026-01-01T00:00:00.000Z", 15.0)  # this process plays the daemon
    try:
        running = cli.json("daemon", "status")["data"]
        assert (running["running"], running["state"], running["stopping"]) == (True, "running", None)
        assert cli("daemon", "status").stdout.startswith(f"running: pid {os.getpid()}, http://127.0.0.1:8765")

        runstate.mark_stopping([{"name": "gmail", "label": "Gmail"}], 15.0)  # as the stopping daemon does

        out = cli.json("daemon", "status")["data"]
        assert (out["running"], out["state"], out["pid"]) == (True, "stopping", os.getpid())
        assert out["url"] == "http://127.0.0.1:8765" and out["started_at"] == "2026-01-01T00:00:00.000Z"
        stopping = out["stopping"]
        assert stopping["syncs"] == [{"name": "gmail", "label": "Gmail"}] and stopping["grace"] == 15
        assert 0 < stopping["seconds_left"] <= 15
        said = " ".join(cli("daemon", "status").stdout.split())
        assert re.fullmatch(
            rf"stopping \(pid {os.getpid()}\): waiting for the Gmail sync to finish the batch it is writing "
            r"\(up to \d+ s more\); `pcrm daemon stop` stops it at once",
            said,
        ), said
    finally:
        runstate.remove()
    gone = cli.json("daemon", "status")["data"]
    assert (gone["running"], gone["state"], gone["stopping"]) == (False, "stopped", None)


def test_daemon_status_says_stopping_from_the_moment_the_stop_is_received(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`pcrm daemon status` said "running" from the daemon's SIGTERM until uvicorn had closed its
    connections and the lifespan's end got to the syncs, and through the whole stop when no sync ran (no
    mark was written at all). The daemon's app as `pcrm serve` builds it, entered in-process; its server's
    signal handler (what SIGTERM and Ctrl-C call) is the stop."""
    import signal

    import anyio
    import uvicorn
    from asgi_lifespan import LifespanManager

    from pcrm.daemon import runstate, server

    servers: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: servers.append(self))
    monkeypatch.setattr(server, "_looks_like_pcrm", lambda pid: True)  # this process plays the daemon
    cli("serve", "--port", "9", ok=False)  # run() returns at once: the daemon is the app entered below
    seen: dict[str, Any] = {}

    async def daemon() -> None:
        async with LifespanManager(servers[0].config.app, startup_timeout=30, shutdown_timeout=30):
            seen["before"] = cli.json("daemon", "status")["data"]["state"]
            servers[0].handle_exit(signal.SIGTERM, None)  # `pcrm daemon stop`'s SIGTERM reaches it
            seen["json"] = cli.json("daemon", "status")["data"]
            seen["text"] = cli("daemon", "status").stdout

    anyio.run(daemon)
    assert seen["before"] == "running"
    out = seen["json"]
    assert (out["running"], out["state"], out["pid"]) == (True, "stopping", os.getpid())
    assert out["stopping"]["syncs"] == []  # no sync to wait for: the daemon goes straight to its end
    assert seen["text"].splitlines()[0] == f"stopping (pid {os.getpid()})"
    assert runstate.read() is None
    assert cli.json("daemon", "status")["data"]["state"] == "stopped"


def test_a_stop_lets_a_scheduled_sync_end_its_batch_and_the_next_daemon_goes_on_from_there(
    crm: Any, cli: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The scheduled path, end to end in-process: the daemon's app (as `pcrm serve` builds it) entered, its
    first tick runs the due Gmail sync in the scheduler's thread (a fake Gmail whose second batch comes only
    when the test lets it); the stop comes while that batch is awaited, the run ends there as partial once
    the batch is written, with its cursor, and the next daemon's first tick goes on from it to the end.
    The job was recorded as failed (`pcrm jobs list`: last_error "Gmail sync stopped: the daemon was
    stopping"; the log: "job sync:gmail failed"): a clean stop is no failure, the job is interrupted, due
    again, and the log says it goes on at the next start."""
    import logging
    import threading

    import anyio
    import uvicorn
    from asgi_lifespan import LifespanManager

    from pcrm import secrets
    from pcrm.daemon import runstate
    from pcrm.domain.sources import source
    from pcrm.sync import registry
    from pcrm.sync.memory import MemoryClient, MemorySource

    asked, go = threading.Event(), threading.Event()

    class Gated(MemoryClient):
        def take(self) -> None:
            if self.fetched == 1:  # the second batch is in coming: the stop comes now
                asked.set()
                assert go.wait(10), "the test never let the batch come"
            super().take()

    class FakeGmail(MemorySource):
        spec = source("gmail")

        @classmethod
        def connect(cls, secrets: Any, settings: Any) -> MemoryClient:
            made = MemoryClient.generate(5, 50, batch_size=10)  # 5 people, then 50 messages: 6 batches
            return Gated(made.contacts, made.interactions, batch_size=10)

    monkeypatch.setitem(registry.ADAPTERS, "gmail", lambda: FakeGmail)
    for name in (
        "google.refresh_tokens",
        "google.client_secret",
    ):  # connected, as `pcrm auth google` leaves it
        secrets.put(name, '{"ada@example.com": "token"}' if name.endswith("tokens") else "secret")
    cli("settings", "set", "sync.google_calendar.auto_sync", "false")  # same secrets; only Gmail is due
    for job in ("whatsapp_health", "meetings", "snoozes", "scores", "suggestions", "digest", "geocode"):
        crm.sql(
            "INSERT INTO job_runs(job, last_started_at, last_success_at) VALUES (?, ?, ?)", (job, NOW, NOW)
        )

    apps: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: apps.append(self.config.app))
    cli("serve", "--port", "9", ok=False)  # run() returns at once: each daemon is the app entered below

    def release_once_stopping() -> None:  # the stop waits for the sync: let its batch come
        _until("the daemon marking its stop", lambda: (runstate.read() or {}).get("stopping"), 10)
        go.set()

    async def daemon(until: Any) -> None:
        async with LifespanManager(apps[-1], startup_timeout=30, shutdown_timeout=30):
            await until()

    async def the_batch_awaited() -> None:
        assert await anyio.to_thread.run_sync(asked.wait, 10), "the scheduled sync did not start"
        threading.Thread(target=release_once_stopping, daemon=True).start()

    def runs() -> list[tuple[Any, ...]]:
        columns = "sync_type, status, error_message, details"
        return crm.sql(f"SELECT {columns} FROM sync_runs WHERE platform = 'gmail' ORDER BY id")

    def stored() -> int:
        return int(crm.sql("SELECT count(*) FROM interactions WHERE platform = 'email'")[0][0])

    caplog.set_level(logging.INFO, logger="pcrm.jobs")
    monkeypatch.setattr(logging.getLogger("pcrm"), "propagate", True)  # serve gave it stderr's handler only
    anyio.run(daemon, the_batch_awaited)  # leaving it is the stop (SIGTERM's path: the lifespan's end)

    [(kind, status, error, details)] = runs()
    assert (kind, status, error) == ("scheduled", "partial", "the daemon was stopping")
    assert json.loads(details)["batches"] == 2 and stored() == 10  # the batch in coming was written whole
    assert crm.sql("SELECT cursor FROM sync_cursors WHERE source = 'gmail'") == [("c=5;i=10",)]
    [job] = [j for j in cli.json("jobs", "list")["data"] if j["name"] == "sync:gmail"]
    assert (job["last_status"], job["last_error"], job["last_success_at"]) == ("interrupted", None, None)
    assert job["last_note"] == "stopped with the daemon after 2 batches; it goes on at the next start"
    assert job["next_run_at"] == NOW  # due again: the next daemon's first tick runs it
    assert crm.sql("SELECT last_outcome, last_error, last_note FROM job_runs WHERE job = 'sync:gmail'") == [
        ("interrupted", None, job["last_note"])
    ]
    said = [r.getMessage() for r in caplog.records if r.name == "pcrm.jobs"]
    assert "job sync:gmail stopped with the daemon after 2 batches; it goes on at the next start" in said
    assert not [m for m in said if "failed" in m], said
    assert runstate.read() is None
    notes = cli.json("notifications")["data"]
    # a stop is no failure to tell the user about
    assert not [n for n in notes if n["notification_type"] in ("sync", "error")], notes

    async def the_sync_ended() -> None:
        with anyio.fail_after(30):
            while len(runs()) < 2 or runs()[-1][1] == "started":
                await anyio.sleep(0.05)

    apps.clear()
    cli("serve", "--port", "9", ok=False)
    anyio.run(daemon, the_sync_ended)  # the next daemon, its first tick

    (kind, status, error, details) = runs()[-1]
    assert (kind, status, error) == ("scheduled", "success", None)
    done = json.loads(details)
    assert (done["batches"], done["interactions_created"]) == (4, 40)  # only the rest, from the cursor
    assert stored() == 50
    assert crm.sql("SELECT last_success_at, last_error FROM job_runs WHERE job = 'sync:gmail'") == [
        (NOW, None)
    ]
