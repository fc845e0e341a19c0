"""What people read is in the zone they type in [local-days]: `--at` is read in the `timezone` setting, and
every list, detail view and echo line shows moments in that zone too; --json keeps the stored UTC instant;
a birthday (a day, no time) never shifts."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.support.crm import Crm

# the clock of the `crm` fixture is 2026-06-15T12:00Z: 2026-06-16 02:00 in Kiritimati (UTC+14)
KIRITIMATI = "Pacific/Kiritimati"


def _rows(crm: Crm, *args: str) -> list[list[str]]:
    return [line.split("\t") for line in crm.cli(*args).stdout.splitlines()]


@pytest.fixture
def ann(crm: Crm) -> Crm:
    crm.add("Ann Lee", "--birthday", "1990-06-10")
    return crm


def test_a_note_added_at_nine_in_berlin_is_shown_at_nine(ann: Crm) -> None:
    ann.cli("settings", "set", "timezone", "Europe/Berlin")
    echo = ann.cli("note", "add", "Ann Lee", "berlin", "--at", "2026-03-14T09:30").stdout
    assert "at 2026-03-14 09:30 " in echo
    stored = ann.cli.json("interactions", "list", "Ann Lee")["data"][0]
    assert stored["occurred_at"] == "2026-03-14T08:30:00.000Z"  # --json: the API's UTC instant
    assert _rows(ann, "interactions", "list", "Ann Lee", "--fields", "when,content") == [
        ["2026-03-14 09:30", "berlin"]
    ]
    table = ann.cli("interactions", "list", "Ann Lee", "--format", "table").stdout
    assert "2026-03-14 09:30" in table and "08:30" not in table
    csv_out = ann.cli("interactions", "list", "Ann Lee", "--format", "csv", "--fields", "when").stdout
    assert csv_out.splitlines() == ["when", "2026-03-14 09:30"]
    # summer time: the same zone, another offset
    ann.cli("note", "add", "Ann Lee", "summer", "--at", "2026-06-01T09:30")
    assert ["2026-06-01 09:30", "summer"] in _rows(
        ann, "interactions", "list", "Ann Lee", "--fields", "when,content"
    )


def test_a_moment_a_day_ahead_of_utc_keeps_its_local_day_everywhere(ann: Crm) -> None:
    ann.cli("settings", "set", "timezone", KIRITIMATI)
    echo = ann.cli("note", "add", "Ann Lee", "kiri", "--at", "2026-06-15T09:30").stdout
    assert "at 2026-06-15 09:30 " in echo  # 2026-06-14T19:30Z: the day before in UTC
    assert ann.cli.json("contacts", "show", "Ann Lee")["data"]["last_interaction_at"].startswith(
        "2026-06-14T19:30"
    )
    assert _rows(ann, "interactions", "list", "Ann Lee", "--fields", "when") == [["2026-06-15 09:30"]]
    assert _rows(ann, "contacts", "list", "--fields", "name,last") == [["Ann Lee", "2026-06-15"]]
    assert _rows(ann, "activity", "recent", "--fields", "when,content") == [["2026-06-15 09:30", "kiri"]]
    show = ann.cli("contacts", "show", "Ann Lee").stdout
    # now is 2026-06-16 02:00 there: the note was yesterday, not two days ago
    assert "yesterday (2026-06-15)" in show
    assert "1990-06-10" in show  # a birthday is a day: not shifted
    assert "created at" in show and "2026-06-16 02:00" in show  # created at the fixture's now, local
    table = ann.cli("contacts", "list", "--format", "table", "--fields", "name,last").stdout
    assert "yesterday" in table


def test_an_echo_line_and_a_snooze_are_in_the_setting_zone(ann: Crm) -> None:
    ann.cli("settings", "set", "timezone", KIRITIMATI)
    logged = ann.cli(
        "log", "Ann Lee", "--platform", "call", "--direction", "inbound", "--at", "2026-06-15T23:45"
    ).stdout
    assert "at 2026-06-15 23:45 " in logged


@contextmanager
def _system_zone(name: str) -> Iterator[None]:
    """The machine's zone (what applies without a `timezone` setting) is `name` while it lasts."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TZ", name)
        time.tzset()
        yield
    time.tzset()


@pytest.fixture
def tokyo_system_zone() -> Iterator[None]:
    with _system_zone("Asia/Tokyo"):
        yield


@pytest.fixture
def berlin_system_zone() -> Iterator[None]:
    with _system_zone("Europe/Berlin"):
        yield


def test_without_a_setting_times_are_shown_in_the_zone_input_is_read_in(
    ann: Crm, tokyo_system_zone: None
) -> None:
    ann.sql("DELETE FROM settings WHERE key = 'timezone'")
    echo = ann.cli("note", "add", "Ann Lee", "tokyo", "--at", "2026-03-14T09:30").stdout
    assert ann.cli.json("interactions", "list", "Ann Lee")["data"][0]["occurred_at"] == (
        "2026-03-14T00:30:00.000Z"
    )
    assert "at 2026-03-14 09:30 " in echo
    assert _rows(ann, "interactions", "list", "Ann Lee", "--fields", "when") == [["2026-03-14 09:30"]]


def test_without_a_setting_winter_and_summer_moments_each_keep_their_own_offset(
    ann: Crm, berlin_system_zone: None
) -> None:
    """The machine's zone gives every moment the offset it had, not today's: whatever the season the
    tests run in, one of these was an hour off."""
    ann.sql("DELETE FROM settings WHERE key = 'timezone'")
    for at, text in [("2026-01-15T09:30", "winter"), ("2026-07-15T09:30", "summer")]:
        assert f"at {at.replace('T', ' ')} " in ann.cli("note", "add", "Ann Lee", text, "--at", at).stdout
    ann.cli("note", "add", "Ann Lee", "utc", "--at", "2026-10-25T00:30:00Z")  # 02:30 CEST, before the change
    stored = {
        i["content_preview"]: i["occurred_at"]
        for i in ann.cli.json("interactions", "list", "Ann Lee")["data"]
    }
    assert stored == {
        "winter": "2026-01-15T08:30:00.000Z",  # CET, UTC+1
        "summer": "2026-07-15T07:30:00.000Z",  # CEST, UTC+2
        "utc": "2026-10-25T00:30:00.000Z",
    }
    assert sorted(_rows(ann, "interactions", "list", "Ann Lee", "--fields", "when,content")) == [
        ["2026-01-15 09:30", "winter"],
        ["2026-07-15 09:30", "summer"],
        ["2026-10-25 02:30", "utc"],
    ]


def test_suggestions_list_in_a_pipe_shows_last_contact_in_the_setting_zone(ann: Crm) -> None:
    """`pcrm suggestions list | cat` gave the last contact as the stored UTC instant
    (2026-03-14T09:00:00.000Z) while a terminal, `interactions list` and `contacts list` show the local time
    [local-days]."""
    ann.cli("settings", "set", "timezone", "Europe/Berlin")
    ann.cli("contacts", "edit", "Ann Lee", "--email", "ann@example.com")  # a channel to suggest
    log = ("log", "Ann Lee", "--platform", "email", "--direction")
    ann.cli(*log, "inbound", "--at", "2026-03-11T09:30")
    for day in ("12", "13", "14"):  # a modest history gone quiet: a suggestion is due
        ann.cli(*log, "outbound", "--at", f"2026-03-{day}T10:00")
    assert ann.cli.json("suggestions", "generate")["data"]
    assert _rows(ann, "suggestions", "list", "--fields", "who,last") == [["Ann Lee", "2026-03-14 10:00"]]
    csv_out = ann.cli("suggestions", "list", "--format", "csv", "--fields", "last").stdout
    assert csv_out.splitlines() == ["last", "2026-03-14 10:00"]
    stored = ann.cli.json("suggestions", "list")["data"][0]["contact"]["last_interaction_at"]
    assert stored == "2026-03-14T09:00:00.000Z"  # --json keeps the API's UTC instant
