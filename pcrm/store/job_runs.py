"""The `job_runs` table: when each background job last started and last succeeded, and how its last run
ended [scheduled-jobs]. The jobs service decides from these rows what is due.

`last_outcome` is how the last run ended: success, failed (its error in `last_error`) or interrupted (a
daemon's stop ended it at a batch's end: no failure, what it did in `last_note`); NULL while a run has
recorded none (it runs, or its process went away without one) or the job never ran. Whatever the outcome,
the job is due again by its last success, as the schedule rule reads it (m034_job_status gave the table
this column: before it, an interrupted run was a `last_error` begun "interrupted: ")."""

from __future__ import annotations

from typing import Any

import apsw

from pcrm.store.rows import one, rows

_COLUMNS = "job, last_started_at, last_success_at, last_outcome, last_error, last_note"
MAX_ERROR = 2000
OUTCOMES = ("success", "failed", "interrupted")


def all_runs(conn: apsw.Connection) -> dict[str, dict[str, Any]]:
    """Every recorded job's row, by job name."""
    return {r["job"]: r for r in rows(conn, f"SELECT {_COLUMNS} FROM job_runs")}


def get(conn: apsw.Connection, job: str) -> dict[str, Any] | None:
    return one(conn, f"SELECT {_COLUMNS} FROM job_runs WHERE job = ?", (job,))


def started(conn: apsw.Connection, job: str, now: str) -> None:
    """A run begins: its start is stamped and the previous outcome cleared (the run is retrying it)."""
    conn.execute(
        "INSERT INTO job_runs(job, last_started_at) VALUES (?, ?) "
        "ON CONFLICT(job) DO UPDATE SET last_started_at = excluded.last_started_at, last_outcome = NULL, "
        "last_error = NULL, last_note = NULL",
        (job, now),
    )


def _ended(
    conn: apsw.Connection, job: str, now: str, outcome: str, error: str | None, note: str | None
) -> None:
    conn.execute(
        "INSERT INTO job_runs(job, last_started_at, last_outcome, last_error, last_note) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(job) DO UPDATE SET last_outcome = excluded.last_outcome, "
        "last_error = excluded.last_error, last_note = excluded.last_note",
        (job, now, outcome, error, note),
    )


def succeeded(conn: apsw.Connection, job: str, now: str) -> None:
    _ended(conn, job, now, "success", None, None)
    conn.execute("UPDATE job_runs SET last_success_at = ? WHERE job = ?", (now, job))


def failed(conn: apsw.Connection, job: str, now: str, error: str) -> None:
    """A run failed: its error is kept (capped) until the next run starts."""
    _ended(conn, job, now, "failed", error[:MAX_ERROR], None)


def interrupted(conn: apsw.Connection, job: str, now: str, note: str) -> None:
    """A run the daemon's stop ended at a batch's end: no failure, `note` says what it did; the job stays
    due, as after a failure."""
    _ended(conn, job, now, "interrupted", None, note[:MAX_ERROR])
