"""[scheduled-jobs]: a real `pcrm serve` (subprocess, clock pinned by PCRM_NOW) starts its scheduler, catches
up at start on what job_runs says is due, leaves alone what is not, and keeps ticking afterwards."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from typing import Any

from tests.support.crm import NOW
from tests.support.procs import ended

DEADLINE_S = 60  # generous: a loaded CI machine starting the daemon; never a measured time


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(what: str, check: Callable[[], bool], proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not check():
        assert proc.poll() is None, f"the daemon exited early, waiting for {what}"
        assert time.monotonic() < deadline, f"{what}: not within {DEADLINE_S} s"
        time.sleep(0.1)


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=5) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def test_the_daemon_runs_due_jobs_at_start_and_at_each_tick(crm: Any, cli: Any) -> None:
    ada = crm.add("Ada Lovelace", "--email", "ada@example.com")
    crm.history(
        ada["id"],
        [("email", "inbound", "2026-04-02T10:00:00Z")]
        + [("email", "outbound", f"2026-04-0{d}T10:00:00Z") for d in (4, 5, 6)],
    )
    seed = [
        ("suggestions", "2026-06-12T08:00:00.000Z", "2026-06-12T08:00:03.000Z"),  # three days late
        ("scores", "2026-06-15T11:00:00.000Z", "2026-06-15T11:00:01.000Z"),  # done today: not due
    ]
    for job, started, success in seed:
        crm.sql(
            "INSERT INTO job_runs(job, last_started_at, last_success_at) VALUES (?, ?, ?)",
            (job, started, success),
        )

    def runs() -> dict[str, tuple[Any, ...]]:
        return {
            r[0]: tuple(r[1:]) for r in crm.sql("SELECT job, last_started_at, last_success_at FROM job_runs")
        }

    port = _free_port()
    log = open(crm.home.parent / "daemon.log", "w+")  # noqa: SIM115 - closed in `finally`
    env = {**os.environ, "PCRM_JOBS_TICK_SECONDS": "0.2"}
    assert env["PCRM_NOW"] == NOW  # the daemon's clock: every job it runs is stamped NOW
    proc = subprocess.Popen(
        [sys.executable, "-m", "pcrm", "serve", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        _wait_for("the daemon to answer", lambda: _healthy(port), proc)
        _wait_for(
            "the suggestions job to catch up", lambda: runs().get("suggestions", (None, None))[1] == NOW, proc
        )
        _wait_for("the digest job (Monday, after 09:00)", lambda: "digest" in runs(), proc)
        assert runs()["scores"] == (
            "2026-06-15T11:00:00.000Z",
            "2026-06-15T11:00:01.000Z",
        )  # not due: untouched
        kinds = {n["notification_type"] for n in cli.json("notifications")["data"]}
        assert {"suggestion", "digest"} <= kinds

        # a later tick: make the hourly job late again behind the daemon's back; the heartbeat runs it
        crm.sql(
            "UPDATE job_runs SET last_started_at = ?, last_success_at = ? WHERE job = 'snoozes'",
            ("2026-06-15T10:00:00.000Z", "2026-06-15T10:00:00.000Z"),
        )
        _wait_for("a tick to run the late hourly job", lambda: runs()["snoozes"] == (NOW, NOW), proc)

        stopped = subprocess.run(
            [sys.executable, "-m", "pcrm", "daemon", "stop", "--json"],
            capture_output=True,
            text=True,
            env=os.environ.copy(),
            timeout=60,
            check=False,
        )
        assert stopped.returncode == 0, stopped.stderr
        assert json.loads(stopped.stdout)["data"]["stopped"] is True
        assert proc.wait(timeout=30) == 0
    finally:
        output = ended(proc, log)
    assert "job suggestions done" in output, output
    assert "Traceback" not in output, output
