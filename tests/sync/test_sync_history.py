"""`pcrm sync history | stats` over the sync_runs table [sync-runs]."""

from __future__ import annotations


def _runs(*items):
    """(platform, sync_type, status, started_at, created) rows through the store helpers the engine uses."""
    from pcrm.services.context import open_context
    from pcrm.store import sync_runs
    from pcrm.store.db import write

    with open_context() as ctx, write(ctx.conn):
        for platform, kind, status, at, created in items:
            rid = sync_runs.start(ctx.conn, platform, kind, at)
            if status != "started":
                sync_runs.finish(
                    ctx.conn,
                    rid,
                    status,
                    at.replace("00.000Z", "09.000Z"),
                    created=created,
                    duration_ms=9000,
                    error_message="boom" * 600 if status == "failed" else None,
                    details='{"chats": 3}',
                )


RUNS = (
    ("gmail", "scheduled", "success", "2026-06-10T06:00:00.000Z", 4),
    ("gmail", "scheduled", "failed", "2026-06-11T06:00:00.000Z", 0),
    ("telegram", "manual", "success", "2026-06-12T03:00:00.000Z", 10),
    ("gmail", "scheduled", "success", "2026-06-13T06:00:00.000Z", 2),
    ("linkedin", "webhook", "started", "2026-06-14T10:00:00.000Z", 0),
)


def test_empty_history(crm, cli):
    assert cli.json("sync", "history") == {
        "data": [],
        "error": None,
        "meta": {"total": 0, "limit": 50, "offset": 0},
    }
    assert cli.json("sync", "stats") == {"data": {}, "error": None, "meta": {}}
    assert "no syncs recorded yet" in cli("sync", "history", "--format", "table").stdout
    assert "no syncs recorded yet" in cli("sync", "stats", "--format", "table").stdout
    assert cli("sync", "history").stdout == cli("sync", "stats").stdout == ""  # a pipe gets rows only


def test_a_filter_nothing_matches_says_so_not_that_no_sync_ran(crm, cli):
    # 'pcrm sync history --status partial' with five runs recorded said 'no syncs recorded yet'
    _runs(*RUNS)
    table = ("--format", "table")
    assert cli("sync", "history", "--status", "partial", *table).stdout.strip() == (
        "no partial sync runs; `pcrm sync history` lists every run"
    )
    assert cli("sync", "history", "--platform", "Telegram", "--status", "failed", *table).stdout.strip() == (
        "no failed telegram sync runs; `pcrm sync history` lists every run"
    )
    assert cli("sync", "stats", "--platform", "whatsapp", *table).stdout.strip() == (
        "no whatsapp sync runs; `pcrm sync stats` shows every platform"
    )


def test_history_newest_first_with_filters_and_paging(crm, cli):
    _runs(*RUNS)
    env = cli.json("sync", "history")
    assert [(r["platform"], r["started_at"][:10]) for r in env["data"]] == [
        ("linkedin", "2026-06-14"),
        ("gmail", "2026-06-13"),
        ("telegram", "2026-06-12"),
        ("gmail", "2026-06-11"),
        ("gmail", "2026-06-10"),
    ]
    first = env["data"][1]
    assert set(first) == {
        "id",
        "platform",
        "sync_type",
        "status",
        "records_created",
        "records_updated",
        "records_failed",
        "duration_ms",
        "error_message",
        "details",
        "started_at",
        "completed_at",
    }
    assert first["details"] == '{"chats": 3}' and first["completed_at"] == "2026-06-13T06:00:09.000Z"
    failed = cli.json("sync", "history", "--platform", "gmail", "--status", "failed")
    assert len(failed["data"]) == 1 and len(failed["data"][0]["error_message"]) == 2000
    assert failed["meta"] == {"total": 1, "limit": 50, "offset": 0}
    page = cli.json("sync", "history", "--limit", "2", "--offset", "2")
    assert [r["platform"] for r in page["data"]] == ["telegram", "gmail"]
    assert page["meta"] == {"total": 5, "limit": 2, "offset": 2}
    assert "linkedin" in cli("sync", "history").stdout
    crm.rejects("sync", "history", "--status", "exploded", code="validation_error")
    err = crm.rejects("sync", "history", "--platform", "myspace", code="validation_error")
    # the hint lists the sources a user has, never the memory source of the tests [source-registry]
    assert "gmail" in err["hint"] and "memory" not in err["hint"]
    assert (
        "memory" not in crm.rejects("sync", "stats", "--platform", "memory", code="validation_error")["hint"]
    )
    crm.rejects("sync", "history", "--limit", "201", code="validation_error")


def test_stats_per_platform(crm, cli):
    # a partial run (batches written, then a failure) counts as neither success nor failure, but as partial
    _runs(*RUNS, ("telegram", "manual", "partial", "2026-06-09T03:00:00.000Z", 3))
    assert cli.json("sync", "stats")["data"] == {
        "gmail": {
            "total_syncs": 3,
            "success_count": 2,
            "failed_count": 1,
            "partial_count": 0,
            "success_rate": 66.7,
            "last_sync": "2026-06-13T06:00:00.000Z",
        },
        "linkedin": {
            "total_syncs": 1,
            "success_count": 0,
            "failed_count": 0,
            "partial_count": 0,
            "success_rate": 0.0,
            "last_sync": "2026-06-14T10:00:00.000Z",
        },
        "telegram": {
            "total_syncs": 2,
            "success_count": 1,
            "failed_count": 0,
            "partial_count": 1,
            "success_rate": 50.0,
            "last_sync": "2026-06-12T03:00:00.000Z",
        },
    }
    assert list(cli.json("sync", "stats", "--platform", "telegram")["data"]) == ["telegram"]
    assert "66.7" in cli("sync", "stats").stdout
    table = cli("sync", "stats", "--format", "table").stdout
    assert "partial" in table
