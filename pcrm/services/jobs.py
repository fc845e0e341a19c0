"""Background jobs [scheduled-jobs]: what runs on a schedule, run by the daemon's tick or by hand.

`pcrm jobs list` -> list_jobs, `pcrm jobs run NAME` -> run; the daemon's scheduler (pcrm/daemon/scheduler.py)
calls run_due every tick. Each job calls the same service function as the matching command, and records
its start and outcome (success, failed, interrupted) in `job_runs`; what is due is decided from those rows
by the pure rule of pcrm.domain.schedules, so a run missed while the laptop slept happens once on waking
and a failed run is retried at the next tick.

Jobs, in the order a tick runs them (times in the `timezone` setting's zone):
- `meetings` hourly: future meetings that have passed advance `last_interaction_at` [future-interactions];
- `snoozes` hourly: snoozed suggestions whose time has come are pending again;
- `scores` daily 02:00: the day's score catch-up [score-freshness];
- `suggestions` daily 08:00: generate suggestions, with a notification when there are new ones;
- `digest` Mondays 09:00: a `digest` notification summing up the pending suggestions [weekly-digest];
- `whatsapp_health` daily 01:00, while WhatsApp is set up: the sidecar's session status; a lost session is
  recorded and notified once [whatsapp-health];
- `sync:<source>` per the source's `sync.<source>.auto_sync`, `.schedule` and `.hour` settings, for connected
  sources only [sync-runs]; `sync:twitter` then polls the contacts' X bios [x-api].
"""

from __future__ import annotations

import contextlib
import difflib
import fcntl
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from pcrm import paths
from pcrm.clock import iso, parse_iso
from pcrm.domain import schedules
from pcrm.domain.dates import local_moment
from pcrm.domain.schedules import Schedule
from pcrm.domain.sources import SOURCES, SourceSpec
from pcrm.domain.wording import brought
from pcrm.errors import Conflict, NotFound, PcrmError
from pcrm.serialize import loads
from pcrm.services import bulk, notifications, scores, suggestions, sync
from pcrm.services.context import Context, Result
from pcrm.store import job_runs as store
from pcrm.store.db import write

log = logging.getLogger("pcrm.jobs")

SYNC_PREFIX = "sync:"

# The failure the daemon's log last said of each job (by store and job name), in this process: a due job
# that fails is retried at every tick, so one that fails the same way each time (X's client id not set, a
# source offline) is said once, then again only when its error changes, and its recovery is said too
# [scheduled-jobs]
_said_failing: dict[str, str] = {}


@dataclass(frozen=True)
class Job:
    name: str
    description: str
    schedule: Schedule
    action: Callable[[Context, bool], dict[str, Any]]  # (ctx, by_hand) -> what it did
    source: str | None = None  # the source a job needs connected (a `sync:` job's, the WhatsApp health check)


# ------------------------------------------------------------------ the actions


def _meetings(ctx: Context, by_hand: bool) -> dict[str, Any]:
    return dict(bulk.reconcile_last_interaction(ctx).data)


def _snoozes(ctx: Context, by_hand: bool) -> dict[str, Any]:
    return dict(suggestions.reactivate_snoozed(ctx).data)


def _scores(ctx: Context, by_hand: bool) -> dict[str, Any]:
    # once per local day: a command run earlier today may have done it already (caught_up false)
    return {"caught_up": scores.catch_up(ctx)}


def _suggestions(ctx: Context, by_hand: bool) -> dict[str, Any]:
    result = suggestions.generate(ctx, notify=True)
    if result.meta.get("locked"):
        raise Conflict(
            "another suggestion run was in progress",
            hint="the job runs again at the daemon's next tick",
        )
    return {"generated": result.meta.get("generated", 0)}


def _digest(ctx: Context, by_hand: bool) -> dict[str, Any]:
    """A `digest` notification naming the first few people with a pending suggestion; none when there is
    nothing pending (an empty digest is noise)."""
    items = suggestions.digest(ctx).data
    n = len(items)
    if not n:
        return {"pending": 0, "notified": False}
    # [display-name]: a contact without a name by its address or number, as the suggestions list it
    names = [str((it.get("contact") or {}).get("display_name") or "someone") for it in items[:3]]
    body = ", ".join(names) + (f" and {n - 3} more" if n > 3 else "") + ". See them with `pcrm digest`."
    people = "person" if n == 1 else "people"
    notifications.notify(
        ctx, "digest", f"Weekly digest: {n} {people} to get back in touch with", body, "/suggestions"
    )
    return {"pending": n, "notified": True}


GEOCODE_BATCH = 200  # locations per run: at Nominatim's 1 a second, a few minutes of the scheduler's thread


def _geocode(ctx: Context, by_hand: bool) -> dict[str, Any]:
    """New and changed locations, a batch an hour, while `geocoding.provider` is set [geocoding]."""
    from pcrm.services import geocode

    got = geocode.geocode(ctx, limit=None if by_hand else GEOCODE_BATCH).data
    return {k: got[k] for k in ("to_geocode", "located", "not_found", "cleared", "failed")}


def _geocode_job(ctx: Context) -> Job:
    on = str(ctx.settings().get("geocoding.provider") or "none") != "none"
    return Job(
        "geocode",
        "Geocode new and changed contact locations for the map (while geocoding.provider is set)",
        schedules.hourly() if on else schedules.MANUAL,
        _geocode,
    )


def _whatsapp_health(ctx: Context, by_hand: bool) -> dict[str, Any]:
    from pcrm.services import whatsapp  # the sidecar's client: only when the job runs

    return whatsapp.health_check(ctx)


def _sync_action(source: str) -> Callable[[Context, bool], dict[str, Any]]:
    def action(ctx: Context, by_hand: bool) -> dict[str, Any]:
        result = sync.run(ctx, source, sync_type="manual" if by_hand else "scheduled")
        data = result.data if isinstance(result.data, dict) else {"result": result.data}
        if isinstance(data.get("details"), str):  # what it brought, in the words the CLI says it
            data = {"brought": brought(loads(data["details"])), **data}
        if source == "twitter":  # the daily X job also polls the contacts' bios [x-api]
            from pcrm.services import x_contacts

            data = {**data, "bios": x_contacts.poll_bios(ctx).data}
        return data

    return action


# ------------------------------------------------------------------ the list


_FIXED = (
    Job(
        "whatsapp_health",
        "Check the WhatsApp sidecar's session (notifies once when it is lost)",
        schedules.daily(1),
        _whatsapp_health,
        source="whatsapp",
    ),
    Job(
        "meetings", "Advance last interaction past meetings that have happened", schedules.hourly(), _meetings
    ),
    Job("snoozes", "Bring back snoozed suggestions whose time has come", schedules.hourly(), _snoozes),
    Job("scores", "Bring relationship scores up to the day", schedules.daily(2), _scores),
    Job(
        "suggestions", "Generate follow-up suggestions (notifies new ones)", schedules.daily(8), _suggestions
    ),
    Job("digest", "Weekly digest notification of pending suggestions", schedules.weekly(0, 9), _digest),
)


def _sync_schedule(ctx: Context, spec: SourceSpec) -> Schedule:
    """The source's schedule from its settings (the source's own defaults where it has none yet)."""
    values = ctx.settings()
    auto = values.get(f"sync.{spec.name}.auto_sync", spec.auto_sync)
    schedule = values.get(f"sync.{spec.name}.schedule", spec.schedule)
    hour = values.get(f"sync.{spec.name}.hour", spec.hour)
    if not auto:
        return schedules.MANUAL
    return schedules.from_setting(str(schedule), int(hour))


def _sync_job(ctx: Context, spec: SourceSpec) -> Job:
    return Job(
        SYNC_PREFIX + spec.name,
        f"Sync {spec.label}",
        _sync_schedule(ctx, spec),
        _sync_action(spec.name),
        source=spec.name,
    )


def all_jobs(ctx: Context, *, hidden: bool = False) -> list[Job]:
    """Every job, with the schedules the settings give now. Sync jobs come first (fresh data before the
    day's scores and suggestions); hidden sources (the test source) only with hidden=True."""
    syncs = [_sync_job(ctx, s) for s in SOURCES if s.kind == "pull" and (hidden or not s.hidden)]
    return [*syncs, *_FIXED, _geocode_job(ctx)]


def _find(ctx: Context, name: str) -> Job:
    wanted = (name or "").strip()
    jobs = all_jobs(ctx, hidden=True)
    for job in jobs:
        if job.name == wanted:
            return job
    names = [j.name for j in all_jobs(ctx)]
    close = difflib.get_close_matches(wanted, names, n=1)
    hint = (f"did you mean {close[0]}? " if close else "") + "jobs: " + ", ".join(names)
    raise NotFound(f"no job named {wanted!r}", hint=hint, details={"jobs": names})


def _tz(ctx: Context) -> tzinfo:
    return ctx.tz()


def _when(value: Any) -> datetime | None:
    return parse_iso(value) if isinstance(value, str) and value else None


def _entry(
    job: Job, row: dict[str, Any] | None, now: datetime, tz: tzinfo, connected: bool, alive: bool | None
) -> dict[str, Any]:
    row = row or {}
    schedule = job.schedule if connected else schedules.MANUAL
    nxt = schedules.next_run(
        schedule,
        _when(row.get("last_success_at")),
        _when(row.get("last_started_at")),
        now,
        tz,
        outcome=row.get("last_outcome"),
        alive=alive,
    )
    return {
        "name": job.name,
        "description": job.description + ("" if connected else " (not connected)"),
        "schedule": schedule.describe(),
        "last_started_at": row.get("last_started_at"),
        "last_success_at": row.get("last_success_at"),
        "last_status": _status(row, now, alive),
        "last_error": row.get("last_error") if row.get("last_outcome") == "failed" else None,
        "last_note": row.get("last_note") if row.get("last_outcome") == "interrupted" else None,
        "next_run_at": iso(nxt) if nxt is not None else None,
    }


def _status(row: dict[str, Any], now: datetime, alive: bool | None) -> str | None:
    """How the last run went: success, failed, interrupted (the daemon's stop ended it: no failure, the job
    is due again), running, unfinished (started, no outcome, its process gone: `alive` false, or, when
    that cannot be told, started longer than the run lease ago), or None (never ran)."""
    started, success = _when(row.get("last_started_at")), _when(row.get("last_success_at"))
    outcome = row.get("last_outcome")
    if outcome is not None:
        return str(outcome)
    if started is None:
        return "success" if success is not None else None
    if success is not None and started <= success:
        return "success"
    return "running" if schedules.running(started, success, outcome, now, alive) else "unfinished"


def _connected(ctx: Context, job: Job) -> bool:
    return job.source is None or sync.is_connected(ctx, job.source)


# ------------------------------------------------------------------ who runs a job now

# A run holds an OS lock (`flock`) on a file of its job beside the store for as long as it runs, so whether a
# started run with no outcome still runs is asked of the OS, not guessed from its age: the OS lets the lock
# go when its holder ends, however it ends (a stop cut short, SIGKILL, a crash; a power cut takes every
# lock with it). A run whose lock nobody holds is unfinished and due at once; the run lease of
# domain.schedules stays for what cannot be asked (no lock file can be had there) [scheduled-jobs].
LOCK_WAIT_S = 2.0  # another process looking (`pcrm jobs list`) holds the lock for an instant


class AlreadyRunning(Conflict):
    """Another process (or thread) runs the job now: it holds the job's lock."""


def _lock_file(ctx: Context, name: str) -> int | None:
    """A descriptor of the job's lock file (run/job-NAME.lock beside the store), or None when there is
    none to be had (a store in memory, a folder that cannot be written)."""
    db = Path(ctx.path)
    if not db.parent.is_dir() or str(db) == ":memory:":
        return None
    try:
        folder = paths.private_dir(db.parent / "run")
        return os.open(folder / f"job-{name.replace(':', '-')}.lock", os.O_CREAT | os.O_RDWR, paths.FILE_MODE)
    except OSError:
        return None


@contextlib.contextmanager
def _runner(ctx: Context, job: Job) -> Iterator[None]:
    """Hold the job's lock while it runs; AlreadyRunning when another runner holds it."""
    fd = _lock_file(ctx, job.name)
    if fd is None:  # nothing to hold: the run lease alone says whether it runs
        yield
        return
    try:
        try:
            held = not paths.lock_within(fd, LOCK_WAIT_S)
        except OSError:  # a file system without locks: the run lease alone
            held = False
        if held:
            row = store.get(ctx.conn, job.name) or {}
            since = row.get("last_started_at")
            raise AlreadyRunning(
                f"job {job.name} is already running"
                + (f" (since {local_moment(since, ctx.tz())})" if since else ""),
                hint="wait for it to finish: pcrm jobs list",
            )
        yield
    finally:
        os.close(fd)  # lets the lock go


def _runner_alive(ctx: Context, name: str, row: dict[str, Any] | None) -> bool | None:
    """For a run of job `name` with no outcome yet (`row`), whether its runner still holds the job's lock;
    None when there is no such run, or when the OS cannot be asked."""
    row = row or {}
    if not schedules.open_run(
        _when(row.get("last_started_at")), _when(row.get("last_success_at")), row.get("last_outcome")
    ):
        return None
    fd = _lock_file(ctx, name)
    if fd is None:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # shared: two lookers do not hold each other up
    except BlockingIOError:
        return True
    except OSError:
        return None
    finally:
        os.close(fd)
    return False


# ------------------------------------------------------------------ the use cases


def list_jobs(ctx: Context) -> Result:
    """`pcrm jobs list`: each job with its schedule, last start, last success, last error and next run
    (null: it runs only by hand). A sync job of a source that is not connected is shown as manual."""
    now, tz = ctx.now(), _tz(ctx)
    runs = store.all_runs(ctx.conn)
    hidden = {s.name for s in SOURCES if s.hidden}
    items = []
    for job in all_jobs(ctx, hidden=True):
        connected = _connected(ctx, job)
        if job.source in hidden and not connected:
            continue
        row = runs.get(job.name)
        items.append(_entry(job, row, now, tz, connected, _runner_alive(ctx, job.name, row)))
    # the `timezone` setting, else the system's zone by its name at this moment (`CET`, `UTC`): once the
    # Python name of pcrm's stand-in for it, `SYSTEM_ZONE`
    chosen = ctx.setting("timezone")
    zone = str(chosen) if chosen else (tz.tzname(now) or "the system's zone")
    meta = {"count": len(items), "now": iso(now), "timezone": zone, "timezone_is_system": not chosen}
    return Result(items, meta)


def _execute(ctx: Context, job: Job, *, by_hand: bool) -> dict[str, Any]:
    """Run one job, recording it in job_runs, under its lock. Raises what the job raised, after recording
    it, or AlreadyRunning (nothing recorded) when another runner has the job."""
    with _runner(ctx, job):
        return _recorded(ctx, job, by_hand=by_hand)


def _recorded(ctx: Context, job: Job, *, by_hand: bool) -> dict[str, Any]:
    with write(ctx.conn):
        store.started(ctx.conn, job.name, ctx.now_iso())
    t0 = time.perf_counter()
    try:
        outcome = job.action(ctx, by_hand)
    except sync.StoppedWithDaemon as exc:
        # no failure: the sync wrote whole batches, and the job stays due, so the next daemon's first tick
        # goes on from the last one [daemon-stop]; the failure said of it (if any) stands
        written = exc.details.get("batches_written") or 0
        kept = (
            f" after {written} {'batch' if written == 1 else 'batches'}"
            if written
            else " before its first batch"
        )
        why = f"stopped with the daemon{kept}; it goes on at the next start"
        with write(ctx.conn):
            store.interrupted(ctx.conn, job.name, ctx.now_iso(), why)
        log.info("job %s %s", job.name, why)
        raise
    except Exception as exc:
        if isinstance(exc, PcrmError):
            error = exc.message + (f" (hint: {exc.hint})" if exc.hint else "")
        else:
            error = f"{type(exc).__name__}: {exc}"
        with write(ctx.conn):
            store.failed(ctx.conn, job.name, ctx.now_iso(), error)
        if by_hand:  # the command reports it
            raise
        said = f"{ctx.path}:{job.name}"
        if _said_failing.get(said) != error:
            _said_failing[said] = error
            log.warning(
                "job %s failed: %s (retried at every tick; said again when this changes)",
                job.name,
                error,
                exc_info=not isinstance(exc, PcrmError),
            )
        else:
            log.debug("job %s failed again: %s", job.name, error)
        raise
    with write(ctx.conn):
        store.succeeded(ctx.conn, job.name, ctx.now_iso())
    if not by_hand and _said_failing.pop(f"{ctx.path}:{job.name}", None) is not None:
        log.info("job %s works again", job.name)
    log.info("job %s done in %.2f s: %s", job.name, time.perf_counter() - t0, outcome)
    return outcome


def run(ctx: Context, name: str) -> Result:
    """`pcrm jobs run NAME`: run one job now, whatever its schedule; returns its list entry and, in
    `result`, what it did. A failure is recorded (`last_error`) and reported."""
    job = _find(ctx, name)
    try:
        outcome = _execute(ctx, job, by_hand=True)
    except PcrmError:
        raise
    except Exception as exc:
        raise PcrmError(
            f"job {job.name} failed: {type(exc).__name__}: {exc}",
            code="internal",
            hint="the error is kept in `pcrm jobs list`; the daemon retries a due job at its next tick",
        ) from exc
    row = store.get(ctx.conn, job.name)
    entry = _entry(job, row, ctx.now(), _tz(ctx), _connected(ctx, job), _runner_alive(ctx, job.name, row))
    return Result({**entry, "result": outcome})


def run_due(ctx: Context, *, stop: Callable[[], bool] | None = None) -> Result:
    """The daemon's tick: run every due job once, in list order; a failing job is recorded and the others
    still run. `stop()` true ends the tick between jobs (the daemon is shutting down); a sync the stop ended
    at a batch's end is interrupted, not failed.
    -> {ran: [names], failed: [{name, error}], interrupted: [names]}."""
    tz = _tz(ctx)
    runs = store.all_runs(ctx.conn)
    ran: list[str] = []
    failed: list[dict[str, str]] = []
    interrupted: list[str] = []
    for job in all_jobs(ctx, hidden=True):
        if stop is not None and stop():
            break
        row = runs.get(job.name) or {}
        if not schedules.due(
            job.schedule,
            _when(row.get("last_success_at")),
            _when(row.get("last_started_at")),
            ctx.now(),
            tz,
            outcome=row.get("last_outcome"),
            alive=_runner_alive(ctx, job.name, row),
        ):
            continue
        # asked only of a sync that is due by its schedule: the answer may cost a keyring lookup
        if job.source is not None and not sync.is_connected(ctx, job.source):
            continue
        try:
            _execute(ctx, job, by_hand=False)
        except AlreadyRunning:  # a shell's `pcrm jobs run` took it meanwhile: its run, its outcome
            continue
        except sync.StoppedWithDaemon:
            interrupted.append(job.name)
        except Exception as exc:
            error = store.get(ctx.conn, job.name) or {}
            failed.append({"name": job.name, "error": str(error.get("last_error") or exc)})
        else:
            ran.append(job.name)
    return Result({"ran": ran, "failed": failed, "interrupted": interrupted})
