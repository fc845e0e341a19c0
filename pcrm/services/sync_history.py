"""Sync history [sync-runs]: GET /sync-history and GET /sync-history/stats over the sync_runs table."""

from __future__ import annotations

import re
from typing import Any

from pcrm.domain import sources
from pcrm.domain.query import choice, parse_limit_offset
from pcrm.errors import BadRequest, NotFound, ValidationError
from pcrm.services.context import Context, Result
from pcrm.store import sync_cursors as cursor_store
from pcrm.store import sync_runs as store

# what the API documents for ?platform: the memory source of the tests is offered to nobody [source-registry]
OFFERED = tuple(s.name for s in sources.SOURCES if not s.hidden)
STATUSES = ("started", "success", "failed", "partial")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _live_platforms(ctx: Context) -> set[str]:
    """The platforms a live process is syncing: the holder of their sync lock still runs. (A run takes
    the lock over from a holder that died and closes that holder's runs first, so a platform has one
    live run at most.)"""
    from pcrm.services.sync import holder_alive

    return {
        lock["name"].removeprefix("sync:")
        for lock in store.held_locks(ctx.conn, None)
        if holder_alive(lock["holder"])
    }


def _as_it_is(run: dict[str, Any], live: set[str]) -> dict[str, Any]:
    """A run as it is, not as a process that died left it: a sync engine's run (manual or scheduled: it
    holds its source's lock) still marked started that no live process runs (a `pcrm sync` killed, a
    daemon stopped mid-run) is interrupted, as the next run of its source will record it [sync-runs]."""
    engine = run["status"] == "started" and run["sync_type"] != "webhook"
    return store.as_interrupted(run) if engine and run["platform"] not in live else run


def _platform(value: Any) -> str | None:
    """A platform to filter by, among the sources a user is offered: a hidden one (the memory source) only
    with PCRM_ENABLE_TEST_SOURCES set, so an unknown name's hint never lists it [source-registry]."""
    if isinstance(value, str) and value.strip():  # "google", "google-calendar": as `pcrm sync` takes them
        value = sources.source_key(value)
    return choice(value, "platform", tuple(s.name for s in sources.visible()))


def list_sync_history(
    ctx: Context,
    *,
    platform: str | None = None,
    status: str | None = None,
    limit: Any = None,
    offset: Any = None,
) -> Result:
    """GET /sync-history: runs newest first; meta {total, limit, offset} (limit 50 by default, at most
    200)."""
    p = _platform(platform)
    s = choice(status, "status", STATUSES)
    n, off = parse_limit_offset(limit, offset, default=50, hi=200)
    items, total = store.page(ctx.conn, platform=p, status=s, limit=n, offset=off)
    live = _live_platforms(ctx) if any(r["status"] == "started" for r in items) else set()
    return Result([_as_it_is(r, live) for r in items], {"total": total, "limit": n, "offset": off})


def sync_stats(ctx: Context, *, platform: str | None = None) -> Result:
    """GET /sync-history/stats: {platform: {total_syncs, success_count, failed_count, partial_count,
    success_rate (percent, one decimal), last_sync}}; {} when there is no history. partial_count, beside the
    reference's keys, counts the runs that wrote some batches and then failed, so every finished run is
    counted once; runs still going are in total_syncs only [sync-runs]."""
    p = _platform(platform)
    out: dict[str, Any] = {}
    for r in store.stats(ctx.conn, p):
        total = r["total_syncs"]
        out[r["platform"]] = {
            "total_syncs": total,
            "success_count": r["success_count"],
            "failed_count": r["failed_count"],
            "partial_count": r["partial_count"],
            "success_rate": round(100.0 * r["success_count"] / total, 1) if total else 0.0,
            "last_sync": r["last_sync"],
        }
    return Result(out)


def _no_task(ref: str) -> NotFound:
    """No sync run by this id; a source's name said for one (`pcrm sync status google`) is told where that
    source's syncs are: status takes a run, not a source."""
    key = sources.source_key(ref)
    try:
        spec = sources.source(key)
    except KeyError:
        return NotFound(f"no task {ref}", hint="recent runs: pcrm sync history")
    return NotFound(
        f"no task {ref}: {spec.name} is a source, and pcrm sync status takes a run's id",
        hint=f"pcrm sync status shows the last sync of each source; its runs: "
        f"pcrm sync history --platform {spec.name}",
    )


def task_status(ctx: Context, task_id: str) -> Result:
    """GET /tasks/{task_id} [sync-runs]: a background sync's run, by the task id its route answered with."""
    run = store.get(ctx.conn, str(task_id))
    if run is None:
        raise _no_task(str(task_id))
    return Result(_as_it_is(run, _live_platforms(ctx)) if run["status"] == "started" else run)


def resolve_task(ctx: Context, ref: str) -> str:
    """A CLI reference to a sync run: its id or a unique id prefix (4+ characters), as `pcrm sync history`
    and a sync's own summary print it (8 characters)."""
    low = (ref or "").strip().lower()
    if _UUID.match(low):
        return low
    if len(low) < 4:
        raise ValidationError(
            "give a task id or at least 4 characters of it", field="task", hint="ids are in pcrm sync history"
        )
    ids = store.uuids_by_prefix(ctx.conn, low)
    if not ids:
        raise _no_task(ref)
    if len(ids) > 1:
        raise BadRequest(f"{ref!r} matches {len(ids)} sync runs", hint="give more characters of the id")
    return ids[0]


def sync_status(ctx: Context) -> Result:
    """`pcrm sync status`: per pull source, whether it can run, its schedule, last run, last success, last
    error, where it resumes (the cursor's age) and its next scheduled run; the newest run of each platform;
    the syncs running now."""
    from pcrm.services import jobs, sync

    next_run = {
        j["name"][len(jobs.SYNC_PREFIX) :]: j["next_run_at"]
        for j in jobs.list_jobs(ctx).data
        if j["name"].startswith(jobs.SYNC_PREFIX)
    }
    live = _live_platforms(ctx)
    latest = store.latest_per_platform(ctx.conn)
    by_platform = {r["platform"]: _as_it_is(r, live) for r in latest}
    last_ok = {r["platform"]: r for r in store.latest_per_platform(ctx.conn, status="success")}
    cursor_at: dict[str, str] = {}
    for c in cursor_store.all_cursors(ctx.conn):
        cursor_at[c["source"]] = max(cursor_at.get(c["source"], ""), c["updated_at"])
    out: dict[str, Any] = {}
    for spec in sources.visible():
        if spec.kind != "pull":
            continue
        last = by_platform.get(spec.name)
        settings = ctx.settings()
        out[spec.name] = {
            "label": spec.label,
            "available": sync.available(spec.name),
            "connected": sync.is_connected(ctx, spec.name),
            "unready": sync.unready(ctx, spec.name),  # connected, but a setting it needs is missing
            "connect": spec.connect,
            "auto_sync": settings.get(f"sync.{spec.name}.auto_sync", False),
            "schedule": settings.get(f"sync.{spec.name}.schedule", "manual"),
            "hour": settings.get(f"sync.{spec.name}.hour"),
            "last_run": last,
            "last_success_at": (last_ok.get(spec.name) or {}).get("completed_at"),
            "last_error": last["error_message"] if last and last["status"] != "success" else None,
            "cursor_updated_at": cursor_at.get(spec.name),
            "next_run_at": next_run.get(spec.name),  # None: only by hand (or not connected)
        }
    # a lock whose holder is gone runs nothing: the next run of its source takes it over
    running = [lock for lock in store.held_locks(ctx.conn, ctx.now_iso()) if lock["name"][5:] in live]
    return Result({"sources": out, "platforms": by_platform, "running": running})
