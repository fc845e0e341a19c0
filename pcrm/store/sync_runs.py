"""Sync history: one row per sync run [sync-runs]. The sync engine writes through start/finish."""

from __future__ import annotations

import json
from typing import Any

import apsw

from pcrm.store.rows import integer, maybe_str, new_uuid, rows

_COLUMNS = (
    "uuid AS id, platform, sync_type, status, records_created, records_updated, records_failed, "
    "duration_ms, error_message, details, started_at, completed_at"
)


def start(conn: apsw.Connection, platform: str, sync_type: str, now: str, *, uuid: str | None = None) -> int:
    return integer(
        conn,
        "INSERT INTO sync_runs(uuid, platform, sync_type, status, started_at) VALUES (?, ?, ?, 'started', ?) "
        "RETURNING id",
        (uuid or new_uuid(), platform, sync_type, now),
    )


def finish(
    conn: apsw.Connection,
    run_id: int,
    status: str,
    now: str,
    *,
    created: int = 0,
    updated: int = 0,
    failed: int = 0,
    duration_ms: int | None = None,
    error_message: str | None = None,
    details: str | None = None,
) -> None:
    """Close a run. `details` is a JSON string as the API returns it; errors are capped at 2000 chars."""
    conn.execute(
        "UPDATE sync_runs SET status = ?, records_created = ?, records_updated = ?, records_failed = ?, "
        "duration_ms = ?, error_message = ?, details = ?, completed_at = ? WHERE id = ?",
        (
            status,
            created,
            updated,
            failed,
            duration_ms,
            error_message[:2000] if error_message is not None else None,
            details,
            now,
            run_id,
        ),
    )


def _where(platform: str | None, status: str | None) -> tuple[str, list[Any]]:
    conds, params = [], []
    if platform is not None:
        conds.append("platform = ?")
        params.append(platform)
    if status is not None:
        conds.append("status = ?")
        params.append(status)
    return " AND ".join(conds) or "1", params


def page(
    conn: apsw.Connection, *, platform: str | None, status: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Newest first."""
    where, params = _where(platform, status)
    total = integer(conn, f"SELECT count(*) FROM sync_runs WHERE {where}", params)
    items = rows(
        conn,
        f"SELECT {_COLUMNS} FROM sync_runs WHERE {where} ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return items, total


def stats(conn: apsw.Connection, platform: str | None) -> list[dict[str, Any]]:
    where, params = _where(platform, None)
    return rows(
        conn,
        f"SELECT platform, count(*) AS total_syncs, sum(status = 'success') AS success_count, "
        f"sum(status = 'failed') AS failed_count, sum(status = 'partial') AS partial_count, "
        f"max(started_at) AS last_sync "
        f"FROM sync_runs WHERE {where} GROUP BY platform ORDER BY platform",
        params,
    )


def get(conn: apsw.Connection, uuid: str) -> dict[str, Any] | None:
    found = rows(conn, f"SELECT {_COLUMNS} FROM sync_runs WHERE uuid = ?", (uuid.lower(),))
    return found[0] if found else None


def uuids_by_prefix(conn: apsw.Connection, prefix: str, limit: int = 10) -> list[str]:
    """The ids of the runs whose id starts with `prefix` (the short ids the CLI prints)."""
    low = prefix.strip().lower()
    return [
        r[0]
        for r in conn.execute(
            "SELECT uuid FROM sync_runs WHERE uuid >= ? AND uuid < ? ORDER BY id LIMIT ?",
            (low, low + "\uffff", limit),
        )
    ]


def latest_per_platform(conn: apsw.Connection, *, status: str | None = None) -> list[dict[str, Any]]:
    """The newest run of each platform (of that status, when given), by platform name."""
    only = "AND s.status = ?" if status else ""
    return rows(
        conn,
        f"SELECT {_COLUMNS} FROM sync_runs r WHERE id = (SELECT id FROM sync_runs s "
        f"WHERE s.platform = r.platform {only} ORDER BY started_at DESC, id DESC LIMIT 1) ORDER BY platform",
        (status,) if status else (),
    )


def held_locks(conn: apsw.Connection, now: str | None) -> list[dict[str, Any]]:
    """Sync locks still in force ([sync-runs]: one run per source at a time); every one with `now` None."""
    return rows(
        conn,
        "SELECT name, holder, acquired_at, expires_at FROM locks WHERE expires_at > ? "
        "AND name LIKE 'sync:%' ORDER BY name",
        (now or "",),
    )


def set_details(conn: apsw.Connection, run_id: int, details: str) -> None:
    """A running run's progress (a JSON string), committed with each batch so other processes see it."""
    conn.execute("UPDATE sync_runs SET details = ? WHERE id = ?", (details, run_id))


INTERRUPTED = "interrupted: the process running it ended"


def as_interrupted(run: dict[str, Any]) -> dict[str, Any]:
    """A run marked started whose process ended without finishing it, as it is closed: partial when its
    committed batches recorded progress in `details` (failed when none did), their counts as its counts."""
    try:
        d = json.loads(run["details"]) if run["details"] else None
    except ValueError:
        d = None
    d = d if isinstance(d, dict) else None

    def n(key: str) -> int:
        v = (d or {}).get(key)
        return v if isinstance(v, int) and not isinstance(v, bool) else 0

    errors = (d or {}).get("errors")
    return {
        **run,
        "status": "failed" if run["details"] is None else "partial",
        "error_message": INTERRUPTED,
        "records_created": n("contacts_created") + n("interactions_created"),
        "records_updated": n("contacts_updated"),
        "records_failed": len(errors) if isinstance(errors, list) else 0,
    }


def interrupt(conn: apsw.Connection, platform: str, now: str) -> int:
    """Close the platform's runs still marked started: their process ended without finishing them
    (`as_interrupted`)."""
    started = rows(
        conn, f"SELECT {_COLUMNS} FROM sync_runs WHERE platform = ? AND status = 'started'", (platform,)
    )
    for run in started:
        r = as_interrupted(run)
        conn.execute(
            "UPDATE sync_runs SET status = ?, error_message = ?, completed_at = ?, records_created = ?, "
            "records_updated = ?, records_failed = ? WHERE uuid = ?",
            (
                r["status"],
                r["error_message"],
                now,
                r["records_created"],
                r["records_updated"],
                r["records_failed"],
                r["id"],
            ),
        )
    return len(started)


def previous_error(conn: apsw.Connection, platform: str, run_id: int) -> str | None:
    """The error the platform's last finished run before `run_id` ended with (None: it succeeded, or
    there is none)."""
    return maybe_str(
        conn,
        "SELECT error_message FROM sync_runs WHERE platform = ? AND id < ? AND status != 'started' "
        "ORDER BY id DESC LIMIT 1",
        (platform, run_id),
    )


def latest(conn: apsw.Connection, platform: str) -> dict[str, Any] | None:
    """The platform's newest run (the sync_runs_platform index answers it)."""
    found = rows(
        conn,
        f"SELECT {_COLUMNS} FROM sync_runs WHERE platform = ? ORDER BY started_at DESC, id DESC LIMIT 1",
        (platform,),
    )
    return found[0] if found else None
