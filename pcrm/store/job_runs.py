"""The `job_runs` table: when each background job last started and last succeeded, and its last error
[scheduled-jobs]. The jobs service decides from these rows what is due.

`last_error` holds how the last run ended when it did not succeed: a failure's error, or, marked by the
INTERRUPTED prefix, a run the daemon's stop ended (no failure: the jobs service says it so). Either way
the job is due again at the next tick, as the schedule rule reads any outcome that is no success."""

from __future__ import annotations

from typing import Any

import apsw

from pcrm.store.rows import one, rows

_COLUMNS = "job, last_started_at, last_success_at, last_error"
MAX_ERROR = 2000
INTERRUPTED = "interrupted: "  # a `last_error` so begun is a run stopped with the daemon, not a failure


def all_runs(conn: apsw.Connection) -> dict[str, dict[str, Any]]:
    """Every recorded job's row, by job name."""
    return {r["job"]: r for r in rows(conn, f"SELECT {_COLUMNS} FROM job_runs")}


def get(conn: apsw.Connection, job: str) -> dict[str, Any] | None:
    return one(conn, f"SELECT {_COLUMNS} FROM job_runs WHERE job = ?", (job,))


def started(conn: apsw.Connection, job: str, now: str) -> None:
    """A run begins: its start is stamped and the previous error cleared (the run is retrying it)."""
    conn.execute(
        "INSERT INTO job_runs(job, last_started_at, last_error) VALUES (?, ?, NULL) "
        "ON CONFLICT(job) DO UPDATE SET last_started_at = excluded.last_started_at, last_error = NULL",
        (job, now),
    )


def succeeded(conn: apsw.Connection, job: str, now: str) -> None:
    conn.execute(
        "INSERT INTO job_runs(job, last_started_at, last_success_at, last_error) VALUES (?, ?, ?, NULL) "
        "ON CONFLICT(job) DO UPDATE SET last_success_at = excluded.last_success_at, last_error = NULL",
        (job, now, now),
    )


def failed(conn: apsw.Connection, job: str, now: str, error: str) -> None:
    """A run failed: its error is kept (capped) until the next run starts."""
    conn.execute(
        "INSERT INTO job_runs(job, last_started_at, last_error) VALUES (?, ?, ?) "
        "ON CONFLICT(job) DO UPDATE SET last_error = excluded.last_error",
        (job, now, error[:MAX_ERROR]),
    )


def interrupted(conn: apsw.Connection, job: str, now: str, why: str) -> None:
    """A run the daemon's stop ended: kept as its outcome (due again, as after a failure), marked as no
    failure."""
    failed(conn, job, now, INTERRUPTED + why)


def interruption(error: str | None) -> str | None:
    """What interrupted the run whose `last_error` is `error`, when the daemon's stop did; else None."""
    return error[len(INTERRUPTED) :] if error and error.startswith(INTERRUPTED) else None
