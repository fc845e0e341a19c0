"""[sync-runs]: a background sync's task id is a sync-history row, readable at GET /tasks/{task_id} and with
`pcrm sync status [TASK]`; `pcrm sync status` also lists the newest run per platform and held locks."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from pcrm.cli import app
from tests.support.api import assert_error

NOW = "2026-06-01T12:00:00.000Z"


def _runs() -> dict[str, str]:
    from pcrm.services.context import open_context
    from pcrm.store import sync_runs
    from pcrm.store.db import write

    with open_context() as ctx, write(ctx.conn):
        old = sync_runs.start(
            ctx.conn,
            "gmail",
            "scheduled",
            "2026-05-01T08:00:00.000Z",
            uuid="0" * 8 + "-0000-4000-8000-" + "0" * 12,
        )
        sync_runs.finish(ctx.conn, old, "failed", "2026-05-01T08:00:03.000Z", error_message="token expired")
        new = sync_runs.start(
            ctx.conn,
            "gmail",
            "manual",
            "2026-05-31T08:00:00.000Z",
            uuid="1" * 8 + "-0000-4000-8000-" + "1" * 12,
        )
        sync_runs.finish(ctx.conn, new, "success", "2026-05-31T08:00:02.000Z", created=4, duration_ms=2000)
        sync_runs.start(
            ctx.conn,
            "telegram",
            "manual",
            "2026-05-31T09:00:00.000Z",
            uuid="2" * 8 + "-0000-4000-8000-" + "2" * 12,
        )
        ctx.conn.execute(
            "INSERT INTO locks(name, holder, acquired_at, expires_at) VALUES "
            "('sync:telegram', 'cli', '2026-05-31T09:00:00.000Z', '2026-06-01T13:00:00.000Z'), "
            "('sync:twitter', 'cli', '2026-05-01T09:00:00.000Z', '2026-05-01T10:00:00.000Z')"
        )
    return {"old": "0" * 8 + "-0000-4000-8000-" + "0" * 12, "new": "1" * 8 + "-0000-4000-8000-" + "1" * 12}


def _cli(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, (json.loads(result.stdout) if "--json" in args else result.stdout)


def test_sync_status_lists_the_newest_run_per_platform_and_live_locks(empty_api: Any) -> None:
    ids = _runs()
    code, out = _cli("sync", "status", "--json", "--now", NOW)
    assert code == 0
    assert sorted(out["data"]["platforms"]) == ["gmail", "telegram"]
    assert out["data"]["platforms"]["gmail"]["id"] == ids["new"]
    assert out["data"]["platforms"]["telegram"]["status"] == "started"
    assert [lock["name"] for lock in out["data"]["running"]] == ["sync:telegram"]  # the expired one is gone
    code, text = _cli("sync", "status", "--now", NOW, "--format", "table")
    assert code == 0 and "running: telegram" in text


def test_a_task_reads_the_same_over_the_api_and_the_cli(empty_api: Any) -> None:
    ids = _runs()
    r = empty_api.get(f"/api/v1/tasks/{ids['old']}")
    assert r.status_code == 200
    body = r.json()
    assert body["data"]["status"] == "failed" and body["data"]["error_message"] == "token expired"
    code, out = _cli("sync", "status", ids["old"], "--json")
    assert code == 0 and out == body
    assert_error(empty_api.get("/api/v1/tasks/" + "9" * 8 + "-0000-4000-8000-" + "9" * 12), "not_found", 404)
    code, out = _cli("sync", "status", "nope", "--json")
    assert code == 1 and out["error"]["code"] == "not_found"


def test_a_run_is_found_by_the_short_id_history_prints(empty_api: Any) -> None:
    ids = _runs()
    code, table = _cli("sync", "history", "--format", "table")
    assert code == 0 and ids["old"][:8] in table and ids["old"] not in table  # what a user can copy
    code, out = _cli("sync", "status", ids["old"][:8], "--json")
    assert code == 0 and out["data"]["id"] == ids["old"] and out["data"]["error_message"] == "token expired"
    code, out = _cli("sync", "status", ids["old"][:4].upper(), "--json")  # any 4+ characters, any case
    assert code == 0 and out["data"]["id"] == ids["old"]
    code, out = _cli("sync", "status", "000", "--json")  # too short to be a reference
    assert code == 1 and out["error"]["code"] == "validation_error" and out["error"]["hint"]


def test_a_source_named_for_a_task_is_told_where_its_syncs_are(cli: Any, db: Any) -> None:
    """`pcrm sync status` takes a run's id, not a source: `pcrm sync status google` says so and where that
    source's syncs are, by the name `pcrm sync history --platform` takes, which takes the other names too."""
    for said, name in (("google", "google_contacts"), ("Google-Calendar", "google_calendar")):
        r = cli("sync", "status", said, ok=False)
        assert f"{name} is a source, and pcrm sync status takes a run's id" in r.stderr
        assert f"pcrm sync history --platform {name}" in r.stderr
        assert cli.json("sync", "history", "--platform", said)["data"] == []
    assert "recent runs: pcrm sync history" in cli("sync", "status", "abcdef", ok=False).stderr


def test_every_other_name_of_a_source_is_a_sync_command(cli: Any) -> None:
    """[google-sources]: the hidden `pcrm sync NAME` commands are the domain's other names of the pull
    sources (one table), each the same as the source's own command."""
    from pcrm.domain import sources

    names = sources.other_names()
    assert names == {
        "google": "google_contacts",
        "google-contacts": "google_contacts",
        "google-calendar": "google_calendar",
    }
    for alias, name in names.items():
        assert f"The same as pcrm sync {name}." in cli("sync", alias, "-h").stdout
