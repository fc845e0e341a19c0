"""The daemon's background scheduler: APScheduler 3.x running one heartbeat, the jobs tick [scheduled-jobs].

`start(runtime)` is called from the daemon's lifespan hook (server.py, entered by the app's lifespan) after
the store is open, and `stop(handle)` before it closes; pcrm/api never starts it. APScheduler holds no
job list of its own: a single tick, every TICK_SECONDS (PCRM_JOBS_TICK_SECONDS) and once at start for
catch-up, calls `services.jobs.run_due`, which reads the schedules from the settings and decides from the
`job_runs` table what is due. So a slot missed while the laptop slept (APScheduler's timer does not
advance during suspend) runs once at the first tick after waking, settings changed by the CLI apply at
the next tick, and `pcrm jobs run` does exactly what a tick does.

The tick opens its own connection to the store rather than using the API's writer lane: a sync may run
for minutes, and in the lane it would hold up every API write behind it. SQLite's busy timeout orders the
two writers, and each job writes in short transactions. apscheduler is imported here, inside start(),
never by the CLI.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger("pcrm.jobs")

TICK_SECONDS = 60.0
TICK_ENV = "PCRM_JOBS_TICK_SECONDS"


@dataclass
class Handle:
    scheduler: Any
    stopping: threading.Event


def tick_seconds() -> float:
    """The heartbeat's period: $PCRM_JOBS_TICK_SECONDS (tests) or TICK_SECONDS."""
    text = os.environ.get(TICK_ENV, "").strip()
    if not text:
        return TICK_SECONDS
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0.05 <= value <= 86400:
        log.warning(
            "%s=%r is not a number of seconds in 0.05..86400: ticking every %g s",
            TICK_ENV,
            text,
            TICK_SECONDS,
        )
        return TICK_SECONDS
    return value


def tick(db_path: Path | None, stopping: threading.Event) -> None:
    """One heartbeat: run what is due, on a connection of its own. Never raises (the next tick retries)."""
    # lazy: `pcrm daemon status|stop` import this module and need none of the services
    from pcrm.services import jobs
    from pcrm.services.context import open_context

    try:
        with open_context(db_path) as ctx:
            result = jobs.run_due(ctx, stop=stopping.is_set)
        if result.data["ran"]:  # a failure is logged by the job, once while it fails the same way
            log.info(
                "jobs tick: ran %s, failed %s", result.data["ran"], [f["name"] for f in result.data["failed"]]
            )
    except Exception:
        log.exception("the jobs tick failed; it runs again at the next tick")


def start(runtime: Any, *, seconds: float | None = None) -> Handle:
    """Start the scheduler with its tick (the first one at once); returns the handle for stop()."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.background import BackgroundScheduler

    # APScheduler logs every execution at INFO: once a minute, forever; pcrm.jobs logs what ran
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    stopping = threading.Event()
    scheduler = BackgroundScheduler(
        executors={"default": ThreadPoolExecutor(max_workers=1)},
        # a tick missed while asleep runs once on waking (coalesce), however late (no grace limit);
        # what it then runs is decided from job_runs, not from APScheduler's memory
        job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        timezone=UTC,
    )
    scheduler.add_job(
        tick,
        "interval",
        seconds=seconds if seconds is not None else tick_seconds(),
        args=(runtime.db_path, stopping),
        id="pcrm-jobs-tick",
        name="pcrm jobs tick",
        next_run_time=datetime.now(UTC),  # catch up at start
    )
    scheduler.start()
    return Handle(scheduler, stopping)


def stop(handle: Handle | None) -> None:
    """Stop the scheduler: a tick in progress ends after its current job, and is waited for."""
    if handle is None:
        return
    handle.stopping.set()
    handle.scheduler.shutdown(wait=True)
