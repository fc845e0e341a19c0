"""A daemon killed under a scheduled sync [scheduled-jobs] [daemon-stop]: a stop cut short (a second `pcrm
daemon stop`, the grace run out, the service manager's SIGKILL, a crash, a power cut) ends the process with
no outcome recorded for the job it ran. The next daemon took that job as still running for the run lease
(an hour), so its first tick did not go on with the sync, and `pcrm jobs list` said `running` for a run no
process was running any more. The runner holds an OS lock for the run; a run whose lock nobody holds is
unfinished and due at once.

The first daemon is a real `pcrm serve` process (its Gmail a fake whose second batch never comes, as a
network that hangs), killed with SIGKILL; the next one is the daemon's app entered in this process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.daemon.test_graceful_stop import _free_port, _until
from tests.support.crm import NOW
from tests.support.procs import ended

# the first daemon: `pcrm serve` with a fake Gmail whose second batch hangs once the first is written
_KILLED_DAEMON = """
import sys, time
from pathlib import Path
from pcrm.domain.sources import source
from pcrm.sync import registry
from pcrm.sync.memory import MemoryClient, MemorySource

asked = Path(sys.argv[1])

class Hanging(MemoryClient):
    def take(self):
        if self.fetched == 1:
            asked.write_text("the second batch is asked for")
            time.sleep(3600)
        super().take()

class FakeGmail(MemorySource):
    spec = source("gmail")

    @classmethod
    def connect(cls, secrets, settings):
        made = MemoryClient.generate(5, 50, batch_size=10)
        return Hanging(made.contacts, made.interactions, batch_size=10)

registry.ADAPTERS["gmail"] = lambda: FakeGmail
from pcrm.cli import main
sys.argv = ["pcrm", "serve", "--port", sys.argv[2]]
main()
"""


def _connect_gmail(crm: Any, cli: Any) -> None:
    from pcrm import secrets

    secrets.put("google.refresh_tokens", '{"ada@example.com": "token"}')  # as `pcrm auth google` leaves it
    secrets.put("google.client_secret", "secret")
    cli("settings", "set", "sync.google_calendar.auto_sync", "false")  # same secrets; only Gmail is due
    for job in ("whatsapp_health", "meetings", "snoozes", "scores", "suggestions", "digest", "geocode"):
        crm.sql(
            "INSERT INTO job_runs(job, last_started_at, last_success_at) VALUES (?, ?, ?)", (job, NOW, NOW)
        )


def test_a_killed_daemons_scheduled_sync_is_unfinished_and_the_next_daemon_goes_on_with_it(
    crm: Any, cli: Any, pcrm_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import anyio
    import uvicorn
    from asgi_lifespan import LifespanManager

    from pcrm.domain.sources import source
    from pcrm.sync import registry
    from pcrm.sync.memory import MemoryClient, MemorySource

    _connect_gmail(crm, cli)
    asked = pcrm_home.parent / "asked"
    log = open(pcrm_home.parent / "daemon.log", "w+")  # noqa: SIM115 - closed below
    first = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(_KILLED_DAEMON), str(asked), str(_free_port())],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _until("the scheduled sync waiting for its second batch", asked.exists, 60)
        first.send_signal(signal.SIGKILL)  # the service manager's kill: no outcome recorded
        assert first.wait(timeout=20) == -signal.SIGKILL
    finally:
        said = ended(first, log)
    assert "job sync:gmail" not in said, said  # it ended with nothing said of the job

    def runs() -> list[tuple[Any, ...]]:
        columns = "sync_type, status, error_message, details"
        return crm.sql(f"SELECT {columns} FROM sync_runs WHERE platform = 'gmail' ORDER BY id")

    assert [r[:2] for r in runs()] == [("scheduled", "started")]
    assert crm.sql("SELECT cursor FROM sync_cursors WHERE source = 'gmail'") == [("c=5;i=0",)]

    # no process runs it any more: not `running` (for the hour of the lease), but unfinished and due now
    [job] = [j for j in cli.json("jobs", "list")["data"] if j["name"] == "sync:gmail"]
    assert (job["last_status"], job["last_started_at"], job["last_error"]) == ("unfinished", NOW, None), job
    assert job["next_run_at"] == NOW

    class FakeGmail(MemorySource):
        spec = source("gmail")

        @classmethod
        def connect(cls, secrets: Any, settings: Any) -> MemoryClient:
            return MemoryClient.generate(5, 50, batch_size=10)

    monkeypatch.setitem(registry.ADAPTERS, "gmail", lambda: FakeGmail)
    apps: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: apps.append(self.config.app))
    cli("serve", "--port", "9", ok=False)  # run() returns at once: the next daemon is the app entered below

    async def the_next_daemon() -> None:
        async with LifespanManager(apps[-1], startup_timeout=30, shutdown_timeout=30):
            with anyio.fail_after(30):
                while len(runs()) < 2 or runs()[-1][1] == "started":
                    await anyio.sleep(0.05)

    anyio.run(the_next_daemon)

    killed, (kind, status, error, details) = runs()
    # its lock taken over from the gone process, the run it left is interrupted with the batch it wrote
    assert killed[1:3] == ("partial", "interrupted: the process running it ended"), killed
    assert (kind, status, error) == ("scheduled", "success", None)
    done = json.loads(details)
    assert (done["batches"], done["interactions_created"]) == (5, 50)  # from its cursor: the people were in
    assert crm.sql("SELECT last_success_at, last_error FROM job_runs WHERE job = 'sync:gmail'") == [
        (NOW, None)
    ]
    [job] = [j for j in cli.json("jobs", "list")["data"] if j["name"] == "sync:gmail"]
    assert job["last_status"] == "success"


def test_a_job_another_process_runs_is_running_there_and_unfinished_once_it_is_killed(
    crm: Any, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two shells: `pcrm jobs run sync:memory` in one (its batches slow to come), `pcrm jobs list` and
    `pcrm jobs run sync:memory` in the other. The second run recorded its start over the first's, then the
    sync's own lock refused it and that refusal was kept as the job's failure (`last_error` "a Memory (tests)
    sync is already running"), though the first run went on. Now it says the job is already running and
    records nothing; the first shows as running while its process lives, and unfinished once it is killed."""
    from pcrm.domain.sources import HIDDEN_ENV
    from pcrm.sync.memory import ENV, PAUSE_ENV

    monkeypatch.setenv(HIDDEN_ENV, "1")
    monkeypatch.setenv(ENV, "generate:5:50:1:10")
    other = subprocess.Popen(
        [sys.executable, "-m", "pcrm", "jobs", "run", "sync:memory"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, PAUSE_ENV: "60"},  # its first batch takes a minute to come
    )
    try:
        _until("the other shell's run starting", lambda: crm.sql("SELECT 1 FROM sync_runs"), 60)

        [job] = [j for j in cli.json("jobs", "list")["data"] if j["name"] == "sync:memory"]
        assert (job["last_status"], job["last_started_at"], job["last_error"]) == ("running", NOW, None), job
        refused = cli("jobs", "run", "sync:memory", ok=False)
        assert refused.exit_code != 0
        said = " ".join(refused.stderr.split())
        assert "job sync:memory is already running (since" in said, said
        assert crm.sql("SELECT last_started_at, last_success_at, last_error FROM job_runs") == [
            (NOW, None, None)
        ]
        assert crm.sql("SELECT count(*) FROM sync_runs") == [(1,)]  # no second run was tried

        other.send_signal(signal.SIGKILL)
        other.wait(timeout=20)
    finally:
        if other.poll() is None:
            other.kill()
            other.wait()
    [job] = [j for j in cli.json("jobs", "list")["data"] if j["name"] == "sync:memory"]
    assert (job["last_status"], job["last_error"]) == ("unfinished", None), job
