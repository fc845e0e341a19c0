"""[scheduled-jobs]: `pcrm jobs list | run NAME` and the daemon's tick (`services.jobs.run_due`) on a real
store at tests.support.crm.NOW (Monday 2026-06-15 12:00 UTC, timezone UTC)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pcrm.services import jobs
from pcrm.services.context import open_context
from tests.support.crm import NOW

FIXED = ["whatsapp_health", "meetings", "snoozes", "scores", "suggestions", "digest", "geocode"]
SYNCS = [
    "sync:gmail",
    "sync:google_contacts",
    "sync:google_calendar",
    "sync:telegram",
    "sync:twitter",
    "sync:whatsapp",
]


def _runs(crm: Any) -> dict[str, tuple[Any, ...]]:
    return {
        r[0]: tuple(r[1:])
        for r in crm.sql("SELECT job, last_started_at, last_success_at, last_error FROM job_runs")
    }


def _seed(crm: Any, job: str, started: str | None, success: str | None, error: str | None = None) -> None:
    crm.sql(
        "INSERT OR REPLACE INTO job_runs(job, last_started_at, last_success_at, last_error) "
        "VALUES (?, ?, ?, ?)",
        (job, started, success, error),
    )


def _tick() -> dict[str, Any]:
    with open_context() as ctx:
        return dict(jobs.run_due(ctx).data)


def _with_a_pending_suggestion(crm: Any) -> None:
    """A medium-priority contact last heard from 70 days ago: past her 60-day interval."""
    ada = crm.add("Ada Lovelace", "--email", "ada@example.com", "--priority", "medium")
    crm.history(
        ada["id"],
        [("email", "inbound", "2026-04-02T10:00:00Z")]
        + [("email", "outbound", f"2026-04-0{d}T10:00:00Z") for d in (4, 5, 6)],
    )


def test_jobs_list_shows_each_job_with_its_schedule_and_next_run(crm: Any, cli: Any) -> None:
    _seed(crm, "suggestions", "2026-06-15T08:00:00.000Z", "2026-06-15T08:00:01.000Z")
    out = cli.json("jobs", "list")
    by_name = {j["name"]: j for j in out["data"]}
    assert list(by_name) == SYNCS + FIXED  # the hidden test source is not listed while not connected
    assert out["meta"]["timezone"] == "UTC" and out["meta"]["now"] == NOW
    sugg = by_name["suggestions"]
    assert sugg["schedule"] == "daily at 08:00"
    assert sugg["last_success_at"] == "2026-06-15T08:00:01.000Z" and sugg["last_error"] is None
    assert sugg["next_run_at"] == "2026-06-16T08:00:00.000Z"
    assert by_name["scores"]["next_run_at"] == NOW  # never ran: due at the next tick
    assert by_name["digest"]["schedule"] == "Mondays at 09:00"
    gmail = by_name["sync:gmail"]  # nothing is connected: a sync job runs only by hand
    assert gmail["schedule"] == "manual" and gmail["next_run_at"] is None
    assert "not connected" in gmail["description"]
    table = cli("jobs", "list").stdout
    assert "daily at 08:00" in table and "due now" in table and "by hand" in table


def test_jobs_run_runs_one_job_and_records_it(crm: Any, cli: Any) -> None:
    _with_a_pending_suggestion(crm)
    out = cli.json("jobs", "run", "suggestions")["data"]
    assert out["name"] == "suggestions" and out["result"]["generated"] == 1
    assert out["last_started_at"] == NOW and out["last_success_at"] == NOW
    assert out["next_run_at"] == "2026-06-16T08:00:00.000Z"
    assert _runs(crm)["suggestions"] == (NOW, NOW, None)
    # only that job ran; beside it, the stamp every generation leaves for the digest [weekly-digest]
    assert set(_runs(crm)) == {"suggestions"}  # only that job ran
    kinds = [n["notification_type"] for n in cli.json("notifications")["data"]]
    assert kinds == ["suggestion"]
    assert "suggestions: generated=0" in cli("jobs", "run", "suggestions").stdout  # nothing new the 2nd time


def test_an_unknown_job_name_says_what_exists(crm: Any, cli: Any) -> None:
    r = cli("jobs", "run", "suggestion", ok=False)
    assert r.exit_code == 1
    assert "no job named 'suggestion'" in r.stderr and "did you mean suggestions?" in r.stderr
    assert "sync:gmail" in r.stderr and "digest" in r.stderr
    err = cli.json("jobs", "run", "nope", ok=False)["error"]
    assert err["code"] == "not_found" and "meetings" in err["details"]["jobs"]
    assert _runs(crm) == {}


def test_the_weekly_digest_notifies_only_when_something_is_pending(crm: Any, cli: Any) -> None:
    assert cli.json("jobs", "run", "digest")["data"]["result"] == {"pending": 0, "notified": False}
    assert cli.json("notifications")["data"] == []
    _with_a_pending_suggestion(crm)
    cli("suggestions", "generate")
    assert cli.json("jobs", "run", "digest")["data"]["result"] == {"pending": 1, "notified": True}
    digest = [n for n in cli.json("notifications")["data"] if n["notification_type"] == "digest"]
    assert len(digest) == 1
    assert digest[0]["title"] == "Weekly digest: 1 person to get back in touch with"
    assert "Ada Lovelace" in digest[0]["body"] and digest[0]["link"] == "/suggestions"


def test_the_weekly_digest_names_a_nameless_contact_by_its_address(crm: Any, cli: Any) -> None:
    """The digest notification called a contact without a name 'someone' ('someone. See them with `pcrm
    digest`.'), where `pcrm digest` and the suggestions name it ada@example.com [display-name]."""
    _with_a_pending_suggestion(crm)
    cli("contacts", "edit", "ada@example.com", "--clear", "name")
    cli("suggestions", "generate")
    cli("jobs", "run", "digest")
    (digest,) = [n for n in cli.json("notifications")["data"] if n["notification_type"] == "digest"]
    assert digest["body"] == "ada@example.com. See them with `pcrm digest`.", digest["body"]


def test_a_tick_runs_every_due_job_once(crm: Any) -> None:
    _seed(crm, "scores", NOW, NOW)  # ran a moment ago: not due until tomorrow 02:00
    _seed(crm, "suggestions", "2026-06-12T08:00:00.000Z", "2026-06-12T08:00:02.000Z")  # days ago
    first = _tick()
    assert first == {"ran": ["meetings", "snoozes", "suggestions", "digest"], "failed": [], "interrupted": []}
    runs = _runs(crm)
    assert runs["scores"] == (NOW, NOW, None)
    assert runs["suggestions"] == (NOW, NOW, None)
    assert _tick() == {"ran": [], "failed": [], "interrupted": []}  # the same minute again: nothing is due


def test_a_failing_job_keeps_its_error_and_is_retried_at_the_next_tick(
    crm: Any, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcrm.services import suggestions

    def broken(ctx: Any, *, notify: bool = False) -> Any:
        raise RuntimeError("the engine broke")

    working = suggestions.generate
    monkeypatch.setattr(suggestions, "generate", broken)
    first = _tick()
    assert first["failed"] == [{"name": "suggestions", "error": "RuntimeError: the engine broke"}]
    assert "suggestions" not in first["ran"] and "digest" in first["ran"]  # the others still ran
    assert _runs(crm)["suggestions"] == (NOW, None, "RuntimeError: the engine broke")
    listed = {j["name"]: j for j in cli.json("jobs", "list")["data"]}["suggestions"]
    assert listed["last_error"] == "RuntimeError: the engine broke" and listed["next_run_at"] == NOW
    assert listed["last_status"] == "failed" and listed["last_note"] is None

    # by hand, the failure is reported and recorded too
    r = cli("jobs", "run", "suggestions", ok=False)
    assert r.exit_code == 1 and "the engine broke" in r.stderr

    monkeypatch.setattr(suggestions, "generate", working)
    # only the failed one was still due
    assert _tick() == {"ran": ["suggestions"], "failed": [], "interrupted": []}
    assert _runs(crm)["suggestions"] == (NOW, NOW, None)
    listed = {j["name"]: j for j in cli.json("jobs", "list")["data"]}["suggestions"]
    assert (listed["last_status"], listed["last_error"]) == ("success", None)


def test_a_tick_stops_between_jobs_when_asked(crm: Any) -> None:
    with open_context() as ctx:
        assert jobs.run_due(ctx, stop=lambda: True).data == {"ran": [], "failed": [], "interrupted": []}
    assert _runs(crm) == {}


def test_sync_jobs_follow_each_source_s_settings(crm: Any, cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Connected sources with auto_sync on and a schedule run as `scheduled` syncs; manual, switched-off and
    unconnected ones do not."""
    from pcrm.services import sync

    calls: list[tuple[str, str]] = []
    connected = {"gmail", "google_contacts", "telegram", "twitter"}
    monkeypatch.setattr(sync, "is_connected", lambda ctx, source: source in connected)

    def fake_run(ctx: Any, source: str, *, sync_type: str = "manual", progress: Any = None) -> Any:
        from pcrm.services.context import Result

        calls.append((source, sync_type))
        return Result({"records_created": 2})

    monkeypatch.setattr(sync, "run", fake_run)
    for job in FIXED:
        _seed(crm, job, NOW, NOW)
    cli("settings", "set", "sync.twitter.auto_sync", "false")
    cli("settings", "set", "sync.telegram.hour", "13")
    # gmail: 6h by default; google_contacts: manual; telegram: daily at 13:00, last synced yesterday
    _seed(crm, "sync:telegram", "2026-06-14T13:00:00.000Z", "2026-06-14T13:00:09.000Z")
    # google_calendar (daily) and whatsapp are not connected
    assert _tick() == {"ran": ["sync:gmail"], "failed": [], "interrupted": []}
    assert calls == [("gmail", "scheduled")]
    listed = {j["name"]: j for j in cli.json("jobs", "list")["data"]}
    assert listed["sync:gmail"]["schedule"] == "every 6 h from 03:00"
    assert listed["sync:gmail"]["next_run_at"] == "2026-06-15T15:00:00.000Z"
    assert listed["sync:telegram"]["next_run_at"] == "2026-06-15T13:00:00.000Z"
    assert listed["sync:twitter"]["schedule"] == "manual"
    assert listed["sync:google_calendar"]["schedule"] == "manual"

    out = cli.json("jobs", "run", "sync:twitter")["data"]  # by hand, whatever the schedule
    assert out["result"]["records_created"] == 2 and calls[-1] == ("twitter", "manual")
    bios = {"checked": 0, "found": 0, "changed": [], "photos": 0, "photo_errors": []}
    assert out["result"]["bios"] == bios  # X's job polls bios (and fills photos) too


def test_a_sync_job_of_an_unconnected_source_fails_by_hand_with_the_engine_s_error(
    crm: Any, cli: Any, monkeypatch: Any
) -> None:
    from pcrm.domain.sources import source
    from pcrm.services import sync
    from pcrm.sync import registry
    from pcrm.sync.memory import MemorySource

    class FakeGmail(MemorySource):  # an adapter for gmail, whose secret is not stored
        spec = source("gmail")

    monkeypatch.setitem(registry.ADAPTERS, "gmail", lambda: FakeGmail)

    with open_context() as ctx:
        assert not sync.is_connected(ctx, "gmail")
    err = cli.json("jobs", "run", "sync:gmail", ok=False)["error"]
    assert err["code"] == "not_connected"
    started, success, error = _runs(crm)["sync:gmail"]
    assert started == NOW and success is None and "not connected" in error


def test_a_store_from_before_job_outcomes_keeps_an_interrupted_run_apart_from_a_failed_one(
    pcrm_home: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """m034_job_status: how a job's last run ended is a column of its own. An interrupted run (a daemon's
    stop ended it, no failure) was a `last_error` begun "interrupted: ", told from a failure by that text
    alone. A store written before it keeps each row's meaning: the interrupted run is interrupted with its
    note, no error, and due at once; the failure stays failed with its error; a success and a run still
    open stay so."""
    from pcrm import paths
    from pcrm.store import migrations
    from pcrm.store.db import connect

    monkeypatch.setenv("PCRM_NOW", NOW)
    earlier, before = "2026-06-15T08:00:00.000Z", "2026-06-14T08:00:00.000Z"
    note = "stopped with the daemon after 2 batches; it goes on at the next start"
    conn = connect(paths.db_path(), migrate=False)
    migrations.migrate(conn, upto="m033_name_umlaut")
    conn.execute("INSERT INTO settings(key, value, updated_at) VALUES ('timezone', '\"UTC\"', ?)", (NOW,))
    for row in (
        ("suggestions", earlier, before, "interrupted: " + note),
        ("digest", earlier, before, "RuntimeError: interrupted: not by a stop"),
        ("scores", earlier, "2026-06-15T08:00:01.000Z", None),
        ("meetings", NOW, before, None),  # started, no outcome yet
    ):
        conn.execute(
            "INSERT INTO job_runs(job, last_started_at, last_success_at, last_error) VALUES (?, ?, ?, ?)", row
        )
    conn.close()

    listed = {j["name"]: j for j in cli.json("jobs", "list")["data"]}

    def shown(name: str) -> tuple[Any, ...]:
        j = listed[name]
        return j["last_status"], j["last_error"], j["last_note"]

    assert shown("suggestions") == ("interrupted", None, note)
    assert listed["suggestions"]["next_run_at"] == NOW  # due at once, as before
    assert shown("digest") == ("failed", "RuntimeError: interrupted: not by a stop", None)
    assert shown("scores") == ("success", None, None)
    assert shown("meetings")[0] == "unfinished"  # no process holds its lock
    conn = connect(paths.db_path())
    try:
        assert {
            r[0]: r[1:]
            for r in conn.execute(
                "SELECT job, last_outcome, last_error, last_note FROM job_runs ORDER BY job"
            )
        } == {
            "digest": ("failed", "RuntimeError: interrupted: not by a stop", None),
            "meetings": (None, None, None),
            "scores": ("success", None, None),
            "suggestions": ("interrupted", None, note),
        }
    finally:
        conn.close()


def test_jobs_list_without_a_timezone_setting_names_the_system_zone(cli: Any, pcrm_home: Path) -> None:
    """With no `timezone` set, `pcrm jobs list` said `times in SYSTEM_ZONE` (and its --json meta the same):
    the Python name of pcrm's stand-in for the machine's zone. It now names the zone as the system does."""
    import os
    import time

    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    try:
        cli("init", "--phone-region", "GB", "--me", "Me, me@example.com")
        pin = ("--now", "2026-06-15T12:00:00Z")
        meta = cli.json("jobs", "list", *pin)["meta"]
        assert meta["timezone"] == "CEST" and meta["timezone_is_system"] is True
        table = cli("jobs", "list", "--format", "table", *pin).stdout
        assert "SYSTEM_ZONE" not in table
        assert "times in CEST (the system's zone; `pcrm settings set timezone ZONE` sets one)" in table
        cli("settings", "set", "timezone", "Europe/Lisbon")
        meta = cli.json("jobs", "list", *pin)["meta"]
        assert meta["timezone"] == "Europe/Lisbon" and meta["timezone_is_system"] is False
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()
