"""The sync engine [sync-engine]: runs a live source (pcrm/sync) through the one ingest engine.

`run(ctx, "telegram")` is `pcrm sync telegram` and what the scheduler's jobs call; `start` is what the
account-wide sync routes call: it takes the lock and opens the run at once, answers
`{status: "started", task_id}` and does the work in a background thread on its own connection
([sync-runs]).

A run:
1. checks the source: known (hidden ones only when enabled), pull (push sources send to the daemon), built
   in this version, connected (its secrets are in the secret store: else `not_connected` with the
   command that connects it);
2. takes the source's lock row (one run per source, whichever process: a lock left by a process that
   died is taken over, and its run is marked interrupted) and opens a `sync_runs` row;
3. asks the adapter for batches from the saved cursor; each batch is written by `ingest.apply` in ONE
   transaction together with its cursor and the run's progress, so a crash or a failing batch keeps every
   earlier batch and loses nothing committed, and the rerun resumes after the last committed one
   (re-sent records are no-ops: interactions are keyed by their reference);
4. ends the run as success, partial (some batches written, then a failure) or failed, with the error and
   a hint, writes a notification, runs the tier-1 identity pass when contacts were created, and releases
   the lock. One source failing never stops another: each run is its own.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from pcrm import clock, processes
from pcrm import secrets as secret_store
from pcrm.domain.dates import local_moment
from pcrm.domain.records import Me
from pcrm.domain.sources import SourceSpec, hidden_enabled, source_key, visible
from pcrm.domain.sources import source as spec_of
from pcrm.domain.wording import brought
from pcrm.errors import BadRequest, Conflict, NotFound, NotImplementedYet, PcrmError
from pcrm.formats.base import Options
from pcrm.serialize import dumps, loads
from pcrm.services import ingest, scores
from pcrm.services.context import Context, Result, collector_paused, open_context
from pcrm.services.import_report import empty_report
from pcrm.store import locks
from pcrm.store import suggestions as notes_store
from pcrm.store import sync_cursors as cursors
from pcrm.store import sync_runs as runs
from pcrm.store.db import large_cache, write
from pcrm.store.rows import new_uuid
from pcrm.sync import registry
from pcrm.sync.base import SourceError

ProgressFn = Callable[[str, int, int | None], None]
LOCK_TTL = timedelta(minutes=10)  # renewed at every batch; a run silent for this long has died
FORMAT = "sync"  # the import_batches format of a sync's batches [ingest-engine]


def _choices(*, built: bool = False) -> str:
    names = [s.name for s in visible() if s.kind == "pull" and (not built or s.name in registry.ADAPTERS)]
    return ", ".join(names) or "none yet"


def source_spec(name: str) -> SourceSpec:
    """The source `name` as the user may name it (hidden sources only when enabled)."""
    key = source_key(name)
    try:
        spec = spec_of(key)
    except KeyError:
        spec = None
    if spec is None or (spec.hidden and not hidden_enabled()):
        import difflib

        close = difflib.get_close_matches(key, [s.name for s in visible()], n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        raise NotFound(f"no source {name!r}", hint=f"{hint}sources: {_choices()}")
    return spec


def available(source: str) -> bool:
    """Whether this version has an adapter for the source (the routes of the others stay 501)."""
    return source in registry.ADAPTERS


def _missing_secrets(spec: SourceSpec) -> list[str]:
    return [n for n in spec.secrets if not secret_store.get(n)]


def is_connected(ctx: Context, source: str) -> bool:
    """Whether the source's secrets are stored (and it can be pulled in this version)."""
    try:
        spec = spec_of(source)
    except KeyError:
        return False
    if spec.hidden and not hidden_enabled():
        return False
    return spec.kind == "pull" and registry.adapter(spec.name) is not None and not _missing_secrets(spec)


def unready(ctx: Context, source: str) -> dict[str, str | None] | None:
    """{error, hint}: what keeps a connected source from syncing that its secrets do not show (X without
    its app's client id), or None. `pcrm sync status` and `pcrm auth x --status` say it; the sync fails so."""
    if not is_connected(ctx, source):
        return None
    cls = registry.adapter(source)
    missing = cls.unready(ctx.settings()) if cls is not None else None
    return {"error": missing.message, "hint": missing.hint} if missing is not None else None


@dataclass
class _Run:
    spec: SourceSpec
    adapter: Any
    run_id: int
    uuid: str
    holder: str
    sync_type: str
    started: float = field(default_factory=time.monotonic)

    @property
    def lock(self) -> str:
        return f"sync:{self.spec.name}"


def _holder_of(pid: int, uuid: str) -> str:
    """A sync lock's holder: `pid@started:run uuid`, or `pid:run uuid` where the start time cannot be read
    (as pcrm wrote it before it recorded the start)."""
    started = processes.started(pid)
    return f"{pid}@{started}:{uuid}" if started else f"{pid}:{uuid}"


def _who(holder: str) -> tuple[int | None, str | None]:
    """The pid and the start time (None when the holder has none) a sync lock's holder names; no pid for
    a holder pcrm did not write."""
    who = holder.partition(":")[0]
    pid_text, _, started = who.partition("@")
    return (int(pid_text) if pid_text.isdigit() else None), (started or None)


# The sync locks this process holds (their holders): a holder with this process's pid that is not among
# them was left by an earlier process that had the same pid (a crash or power cut, then a restart that gave
# the new daemon its old pid)
_holding: set[str] = set()


def holder_alive(holder: str) -> bool:
    """Whether the process that took a sync lock (holder `pid@started:run id`) still runs: with this
    process's pid, only a lock this process holds; a pid that is gone (kill -9, a crash, a daemon stopped
    mid-run, also while its parent has not reaped it yet) does not, nor one that another process has taken
    since (its start time is not the holder's). A holder with no start time (an older pcrm wrote it, or no
    /proc to read it from) is alive while its pid is."""
    pid, started = _who(holder)
    if pid is None:
        return True
    if pid == os.getpid():
        return holder in _holding
    return processes.same(pid, started)


# The runs under way in this process (run uuid -> its source's {name, label}), and the daemon's request,
# as it stops, that each ends after the batch it is writing [sync-engine]
_live: dict[str, dict[str, str]] = {}
_stopping = threading.Event()
STOPPED = "the daemon was stopping"


class StoppedWithDaemon(PcrmError):
    """A run the stopping daemon ended at a batch's end [daemon-stop]: no failure of the source, its next run
    goes on from the last batch written. Raised as any run's error is (same code, same message), so only a
    caller that tells a stop from a failure (the scheduled jobs) needs to know it."""


def stop_after_batch() -> list[dict[str, str]]:
    """The daemon is stopping: every run of this process ends once the batch it is writing is committed,
    as partial (its next run goes on from there), and no run starts a batch any more. Returns the sources
    ({name, label}) whose runs are under way."""
    _stopping.set()
    return live_runs()


def runs_go_on() -> None:
    """Runs go on to their end again: the daemon's lifespan, once its scheduler has stopped (and as it
    starts), ends what stop_after_batch asked, so that a process that lives on (tests enter the daemon's
    app in-process) syncs as before."""
    _stopping.clear()


def live_runs() -> list[dict[str, str]]:
    """The sources ({name, label}) this process is syncing now."""
    return sorted({s["name"]: s for s in list(_live.values())}.values(), key=lambda s: s["name"])


def cut_short(ctx: Context, names: list[str]) -> list[str]:
    """Those of the sources `names` whose newest run a stopping daemon did not let end at a batch's end
    (the run is still marked started: the process ended in the middle of a batch)."""
    return [n for n in names if (run := runs.latest(ctx.conn, n)) is not None and run["status"] == "started"]


def running_in(ctx: Context, pid: int) -> list[dict[str, str]]:
    """[{name, label}] of the sources whose sync the process `pid` runs now (it holds their locks)."""
    out: list[dict[str, str]] = []
    for lock in runs.held_locks(ctx.conn, None):
        name = lock["name"][len("sync:") :]
        held_by, started = _who(lock["holder"])
        if held_by == pid and (started is None or processes.started(pid) in (None, started)):
            try:
                out.append({"name": name, "label": spec_of(name).label})
            except KeyError:
                out.append({"name": name, "label": name})
    return out


def _take_lock(ctx: Context, name: str, holder: str) -> None:
    """The source's lock, or Conflict naming who holds it. A holder whose process is gone (kill -9, a
    crash) loses it: its run is marked interrupted."""
    conn = ctx.conn
    now = ctx.now_iso()
    expires = clock.iso(ctx.now() + LOCK_TTL)
    lock = f"sync:{name}"
    if locks.acquire(conn, lock, holder, now, expires):
        return
    held = locks.get(conn, lock)
    if held is not None:
        gone = not holder_alive(held["holder"])
        if gone and locks.steal(conn, lock, holder, held["holder"], now, expires):
            return
        since = local_moment(held["acquired_at"], ctx.tz())  # as `pcrm sync status` shows it [local-days]
        raise Conflict(
            f"a {spec_of(name).label} sync is already running (since {since})",
            hint="wait for it to finish: pcrm sync status",
        )
    if not locks.acquire(conn, lock, holder, now, expires):  # released in between: try once more
        raise Conflict(f"a {spec_of(name).label} sync is already running", hint="pcrm sync status")


def gate_wait(ctx: Context, source: str) -> int:
    """Seconds left before the source may be asked anything again after a rate limit ([telegram-flood]);
    0 when its gate is open."""
    held = locks.get(ctx.conn, f"flood:{source}")
    if held is None:
        return 0
    left = (clock.parse_iso(held["expires_at"]) - ctx.now()).total_seconds()
    return max(0, int(left + 0.999))


def check_gate(ctx: Context, source: str) -> None:
    """Raise `rate_limited` (429 with Retry-After) while the source's rate-limit gate is closed."""
    wait_s = gate_wait(ctx, source)
    if wait_s:
        label = spec_of(source).label
        raise PcrmError(
            f"{label} rate limit: please wait {wait_s} s",
            code="rate_limited",
            hint=f"{label} asked pcrm to slow down; try again after {wait_s} s",
            details={"retry_after": wait_s, "source": source},
        )


def close_gate(ctx: Context, source: str, seconds: int) -> str:
    """A rate limit: close the source's gate for `seconds` and say so in a `system` notification, inside
    the caller's write transaction. Returns when it reopens."""
    until = clock.iso(ctx.now() + timedelta(seconds=seconds))
    locks.put(ctx.conn, f"flood:{source}", "rate-limit", ctx.now_iso(), until)
    label = spec_of(source).label
    notes_store.add_notification(
        ctx.conn,
        "system",
        f"{label} rate limit",
        f"{label} asked pcrm to wait {seconds} s; syncing resumes after {local_moment(until, ctx.tz())}",
        "/settings",
        ctx.now_iso(),
    )
    return until


def _begin(ctx: Context, source: str, sync_type: str, client: Any) -> _Run:
    spec = source_spec(source)
    check_gate(ctx, spec.name)
    if spec.kind != "pull":
        raise BadRequest(
            f"{spec.label} sends its data to pcrm; there is nothing to sync from here",
            hint=f"connect it through {spec.connect}",
        )
    cls = registry.adapter(spec.name)
    if cls is None:
        raise NotImplementedYet(
            f"{spec.label} sync is not available in this version of pcrm",
            hint="import its export file instead (pcrm import FILE); sources that sync now: "
            + _choices(built=True),
        )
    if client is None:
        missing = _missing_secrets(spec)
        if missing:
            raise PcrmError(
                f"{spec.label} is not connected",
                code="not_connected",
                hint=f"connect it with: {spec.connect}",
                details={"source": spec.name, "missing": missing},
            )
        try:
            client = cls.connect({n: secret_store.get(n) or "" for n in spec.secrets}, ctx.settings())
        except SourceError as exc:
            raise PcrmError(exc.message, code="upstream_error", hint=exc.hint) from None
    adapter = cls(client, ctx.settings())
    uuid = new_uuid()
    holder = _holder_of(os.getpid(), uuid)
    _holding.add(holder)
    try:
        _take_lock(ctx, spec.name, holder)
    except BaseException:
        _holding.discard(holder)
        raise
    try:
        with write(ctx.conn):
            # any run of this source still "started" died with its process: we hold the lock now
            runs.interrupt(ctx.conn, spec.name, ctx.now_iso())
            run_id = runs.start(ctx.conn, spec.name, sync_type, ctx.now_iso(), uuid=uuid)
    except BaseException:
        locks.release(ctx.conn, f"sync:{spec.name}", holder)
        _holding.discard(holder)
        raise
    _live[uuid] = {"name": spec.name, "label": spec.label}  # until _loop ends it
    return _Run(spec, adapter, run_id, uuid, holder, sync_type)


def ingest_options(ctx: Context) -> Options:
    """How a sync's records are read: time zone, `me`, phone region, 2nd-tier members."""
    return _options(ctx)


def _options(ctx: Context) -> Options:
    return Options(
        tz=ctx.tz(),
        me=Me.from_setting(ctx.setting("me")),
        phone_region=ctx.phone_region(),
        second_tier=ctx.setting("telegram.sync_2nd_tier") is not False,
    )


def _loop(ctx: Context, r: _Run, progress: ProgressFn | None) -> Result:
    try:
        return _batches(ctx, r, progress)
    finally:
        _live.pop(r.uuid, None)


def _batches(ctx: Context, r: _Run, progress: ProgressFn | None) -> Result:
    conn = ctx.conn
    name = r.spec.name
    opts = _options(ctx)
    metadata_only = bool(r.adapter.metadata_only or ctx.settings().get(f"metadata_only.{name}", False))
    totals = _zero()
    error: tuple[str, str | None] | None = None
    cancelled = False
    retry_after: int | None = None  # a rate limit stopped the run [telegram-flood]
    some_synced = False  # another account of the source was synced beside the failure [sync-engine]
    seen: dict[bytes, int] = {}  # records this run wrote, by content: re-sent ones are not matched again
    valid: dict[bytes, dict[str, Any] | None] = {}  # ... nor validated again
    rescore: set[int] = set()  # contacts that got interactions: scores refreshed once, at the end
    # the contacts the run's batches named, by rowid, each with the most any batch did to it: counted once
    # however many batches (or accounts) re-send the person [sync-counts]
    people: dict[int, str] = {}
    bios: list[tuple[int, str, str | None, str | None]] = []  # replaced bios, classified at the end
    cursor = cursors.get(conn, name)
    stopped = _stopping.is_set()  # the daemon is stopping: no batch is started
    batches = iter(() if stopped else r.adapter.fetch(cursor))
    try:
        with collector_paused(), large_cache(conn):
            for batch in batches:
                report = empty_report(name)
                changes = ingest.validate(batch.records, opts, valid)  # adds its row errors to the batch's
                report["errors"] = list(batch.records.errors)
                with write(conn):
                    applied = ingest.apply(
                        ctx,
                        batch.records,
                        changes,
                        report,
                        opts,
                        source=name,
                        fmt=FORMAT,
                        filename=f"{name} sync {r.uuid[:8]}",
                        sync_run_id=r.run_id,
                        metadata_only=metadata_only,
                        seen=seen,
                        rescore=rescore,
                    )
                    if batch.cursor is not None:
                        cursors.put(conn, name, batch.cursor, ctx.now_iso())
                    _add(totals, report, applied.batch_uuid)
                    _count_people(totals, people, applied.people)
                    bios += applied.bio_changes
                    totals.update(batch.details)
                    totals["done"], totals["total"] = batch.done, batch.total
                    runs.set_details(conn, r.run_id, _details(totals))
                    if not locks.renew(conn, r.lock, r.holder, clock.iso(ctx.now() + LOCK_TTL)):
                        raise Conflict(
                            f"the {r.spec.label} sync lost its lock (another run took it over)",
                            hint="pcrm sync status",
                        )
                if progress:
                    progress(name, batch.done or totals["batches"], batch.total)
                if _stopping.is_set():  # the batch is committed: the run ends here, to be resumed
                    stopped = True
                    break
            after = None if stopped else _after_batches(name)
            if after is not None:

                def note(details: dict[str, Any]) -> None:
                    totals.update(details)
                    with write(conn):
                        runs.set_details(conn, r.run_id, _details(totals))

                totals.update(after(ctx, r.adapter.client, r.run_id, cursor is None, note))
    except SourceError as exc:
        error = (exc.message, exc.hint)
        retry_after = getattr(exc, "retry_after", None)
        some_synced = exc.some_synced
    except PcrmError as exc:
        error = (exc.message, exc.hint)
    except Exception as exc:  # an adapter's unexpected failure: contained to this source's run
        error = (f"{type(exc).__name__}: {exc}", "pcrm sync status shows the error; run the sync again later")
    except KeyboardInterrupt:  # Ctrl-C: the run ends here, as what was committed, and the lock is let go
        cancelled = True
        totals = _committed(conn, r)
        error = ("cancelled (Ctrl-C)", f"pcrm sync {name} resumes after the last batch written")
    finally:
        close = getattr(batches, "close", None)  # a generator left at a batch's end: its finally runs now
        if close is not None:
            with contextlib.suppress(Exception):
                close()
    interrupted = stopped and error is None  # only the stop ended it: no failure [scheduled-jobs]
    if interrupted:
        error = (
            STOPPED,
            f"the batches it wrote stay; pcrm sync {name} (or its next scheduled run) goes on from there",
        )
    if cancelled:
        with contextlib.suppress(PcrmError):
            _end(ctx, r, totals, error, notify=False)
        raise KeyboardInterrupt
    if rescore:  # the committed batches' contacts (a crash before this leaves them to the daily catch-up)
        scores.refresh(ctx, sorted(rescore))
    if bios:
        totals["events_detected"] = ingest.classify_bio_changes(ctx, bios)
    return _end(
        ctx,
        r,
        totals,
        error,
        retry_after,
        some_synced=some_synced,
        notify=not stopped,
        interrupted=interrupted,
    )


def _zero() -> dict[str, Any]:
    """A run's counters before its first batch."""
    return {
        "batches": 0,
        "contacts_created": 0,
        "contacts_updated": 0,
        "contacts_unchanged": 0,
        "interactions_created": 0,
        "interactions_skipped": 0,
        "interactions_known": 0,
        "pending_review": 0,
        "values_kept": 0,
        "values_removed": 0,
        "text_repaired": 0,
        "errors": [],
        "batch_ids": [],
    }


def _committed(conn: Any, r: _Run) -> dict[str, Any]:
    """The run's counters as its last committed batch left them: a batch cut short by Ctrl-C was rolled
    back, and must not be counted."""
    row = runs.get(conn, r.uuid)
    return {**_zero(), **(loads(row["details"]) if row and row["details"] else {})}


def _after_batches(name: str) -> Callable[..., dict[str, Any]] | None:
    """A source's own phase after its batches, on the run's client: Telegram's profile checks
    [telegram-bios] (ctx, client, run_id, first_run, note_progress) -> counters for the run's details."""
    if name == "telegram":
        from pcrm.services.telegram_profiles import after_sync

        return after_sync
    return None


def _add(totals: dict[str, Any], report: dict[str, Any], batch_uuid: str | None) -> None:
    """A batch's counts into the run's; its contacts are counted by `_count_people`."""
    totals["batches"] += 1
    for k in (
        "interactions_created",
        "interactions_skipped",
        "interactions_known",
        "pending_review",
        "values_kept",
        "values_removed",
        "text_repaired",
    ):
        totals[k] += report.get(k, 0)
    totals["errors"] = (totals["errors"] + report["errors"])[:50]
    if batch_uuid:
        totals["batch_ids"].append(batch_uuid)


# what a batch did to a contact, least first: a contact several batches name counts as the most any did
_RANK = {"contacts_skipped": 0, "contacts_updated": 1, "contacts_created": 2}


def _count_people(totals: dict[str, Any], people: dict[int, str], batch: dict[int, str]) -> None:
    """The run's contact counts, by person rather than by record [sync-counts]: a contact a batch created is
    new, else updated when any batch changed it, else unchanged (a person re-sent as they are: every
    batch of a chat's messages, each account of a shared address book, a rerun with nothing new)."""
    for cid, what in batch.items():
        was = people.get(cid)
        if was is not None and _RANK[what] <= _RANK[was]:
            continue
        if was is not None:
            totals[_TOTAL[was]] -= 1
        people[cid] = what
        totals[_TOTAL[what]] += 1


# the run's count of each
_TOTAL = {
    "contacts_skipped": "contacts_unchanged",
    "contacts_updated": "contacts_updated",
    "contacts_created": "contacts_created",
}


def _details(totals: dict[str, Any]) -> str:
    return dumps(totals).decode()


def _end(
    ctx: Context,
    r: _Run,
    totals: dict[str, Any],
    error: tuple[str, str | None] | None,
    retry_after: int | None = None,
    *,
    notify: bool = True,
    some_synced: bool = False,
    interrupted: bool = False,
) -> Result:
    """Close the run (success, partial or failed), say how it went in a notification (`notify`: not for a
    run the user cancelled), release the lock; raise the run's error, if any (StoppedWithDaemon for a run
    only the daemon's stop ended: `interrupted`). A failed run that wrote batches, or whose other accounts
    were synced (`some_synced`), is partial."""
    conn = ctx.conn
    label = r.spec.label
    partial = bool(totals["batches"]) or some_synced
    status = "success" if error is None else ("partial" if partial else "failed")
    if error is not None:
        totals["hint"] = error[1]
    identity = None
    try:
        if totals["contacts_created"]:
            identity = ingest.after(ctx, totals["contacts_created"])
            totals["identity"] = identity
        with write(conn):
            runs.finish(
                conn,
                r.run_id,
                status,
                ctx.now_iso(),
                created=totals["contacts_created"] + totals["interactions_created"],
                updated=totals["contacts_updated"],
                failed=len(totals["errors"]),
                duration_ms=int(1000 * (time.monotonic() - r.started)),
                error_message=error[0] if error else None,
                details=_details(totals),
            )
            # a failure the source's previous run already reported is not posted again: a source that
            # stays unreachable (offline, an outage) fails at every retry of its job, each minute
            again = error is not None and runs.previous_error(conn, r.spec.name, r.run_id) == error[0][:2000]
            if notify and not again:
                _notify(ctx, label, r.spec.name, totals, error, retry_after, partial=status == "partial")
    finally:
        locks.release(conn, r.lock, r.holder)
        _holding.discard(r.holder)
    row = runs.get(conn, r.uuid)
    result = Result(row, {"source": r.spec.name})
    if error is not None:
        details: dict[str, Any] = {"task_id": r.uuid, "status": status, "batches_written": totals["batches"]}
        if retry_after:
            details["retry_after"] = retry_after
        raise (StoppedWithDaemon if interrupted else PcrmError)(
            f"{label} sync {'stopped' if status == 'partial' else 'failed'}: {error[0]}",
            code="rate_limited" if retry_after else "upstream_error",
            hint=error[1],
            details=details,
        )
    return result


def _notify(
    ctx: Context,
    label: str,
    name: str,
    totals: dict[str, Any],
    error: tuple[str, str | None] | None,
    retry_after: int | None,
    *,
    partial: bool = False,
) -> None:
    """How the run went, as a `sync` notification (a rate limit closes the gate, which says so itself). The
    titles are the spec's, "{Platform} sync completed" and "{Platform} sync failed"; a partial run (batches
    written, then a failure) is the latter, and its body says it stopped partway and what it kept."""
    if error is None:
        notes_store.add_notification(
            ctx.conn,
            "sync",
            f"{label} sync completed",
            brought(totals),
            "/contacts?sort=recent",
            ctx.now_iso(),
        )
    elif retry_after:
        close_gate(ctx, name, retry_after)
    else:
        body = f"Sync failed: {error[0][:200]}"
        if partial:
            kept = f"Kept what came before: {brought(totals)}. " if totals["batches"] else ""
            body = f"Sync stopped partway: {error[0][:200]}. {kept}The next sync goes on from there."
        notes_store.add_notification(
            ctx.conn, "sync", f"{label} sync failed", body, "/settings", ctx.now_iso()
        )


def run(
    ctx: Context,
    source: str,
    *,
    sync_type: str = "manual",
    progress: ProgressFn | None = None,
    client: Any = None,
) -> Result:
    """`pcrm sync SOURCE`: run the source now, in this process. Returns the finished sync_runs row;
    raises (after recording the run) when it failed. `client` replaces the one built from the secrets
    (tests hand in a fake)."""
    r = _begin(ctx, source, sync_type, client)
    return _loop(ctx, r, progress)


def run_all(ctx: Context, *, progress: ProgressFn | None = None) -> Result:
    """`pcrm sync --all`: every connected pull source, one after another; one failing does not stop the
    others. {source: {status, task_id, contacts_created, contacts_updated, interactions_created, error?,
    hint?}}: the status the run was recorded with (a partial run is partial) and its id for `pcrm sync
    status ID`; a source that could not start a run (not connected, already running) has no task_id."""
    out: dict[str, Any] = {}
    for spec in visible():
        if spec.kind != "pull" or not is_connected(ctx, spec.name):
            continue
        try:
            row = run(ctx, spec.name, progress=progress).data
            out[spec.name] = {"status": row["status"], "task_id": row["id"], **_counts(row)}
        except PcrmError as exc:
            task_id = exc.details.get("task_id")
            ran = runs.get(ctx.conn, task_id) if task_id else None
            out[spec.name] = {
                "status": ran["status"] if ran else "failed",
                **({"task_id": task_id, **_counts(ran)} if ran else {}),
                "error": exc.message,
                "hint": exc.hint,
            }
    if not out:
        raise PcrmError(
            "no source is connected",
            code="not_connected",
            hint="connect one first (pcrm auth google, pcrm auth telegram, ...), or import a file",
        )
    return Result(out)


def _counts(row: dict[str, Any]) -> dict[str, int]:
    """What a finished run brought, from its details: new contacts, updated ones, new interactions."""
    d = loads(row["details"]) if row.get("details") else {}
    keys = ("contacts_created", "contacts_updated", "contacts_unchanged", "interactions_created")
    return {k: int(d.get(k) or 0) for k in (*keys, "interactions_known")}


# the background runs of this process, by task id (for tests to wait on; the state itself is in the store)
_threads: dict[str, threading.Thread] = {}


def start(ctx: Context, source: str, *, sync_type: str = "manual", client: Any = None) -> Result:
    """The account-wide sync routes ([sync-runs]): lock and open the run now, answer
    {status: "started", task_id}, and sync in a background thread over its own connection."""
    r = _begin(ctx, source, sync_type, client)
    path = ctx.path

    def work() -> None:
        try:
            with open_context(path) as own, contextlib.suppress(PcrmError):  # a failure is on the run
                _loop(own, r, None)
        finally:
            _threads.pop(r.uuid, None)

    t = threading.Thread(target=work, name=f"pcrm-sync-{r.spec.name}", daemon=True)
    _threads[r.uuid] = t
    t.start()
    return Result({"status": "started", "task_id": r.uuid, "source": r.spec.name})


def wait(task_id: str, timeout: float | None = None) -> None:
    """Block until the background run `task_id` of this process has ended (tests, shutdown)."""
    t = _threads.get(task_id)
    if t is not None:
        t.join(timeout)


def reset(ctx: Context, source: str) -> Result:
    """`pcrm sync reset SOURCE`: forget where the source stopped, so the next run fetches everything again
    (what is already stored is not duplicated)."""
    spec = source_spec(source)
    with write(ctx.conn):
        n = cursors.delete(ctx.conn, spec.name)
    return Result({"source": spec.name, "cursors_cleared": n})
