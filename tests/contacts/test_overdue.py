"""Who is overdue, at each boundary day: `pcrm contacts overdue` (high priority past its interval, in
whole local days) and each priority's due date in the follow-up calendar (last interaction + that
priority's interval, never before today). The clock is pinned at 2026-06-15T12:00Z."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

TODAY = date(2026, 6, 15)


def _at(days_ago: int, hour: int = 12) -> str:
    when = datetime(2026, 6, 15, hour, tzinfo=UTC) - timedelta(days=days_ago)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _overdue(crm) -> list[tuple[str, int]]:
    return [(c["full_name"], c["days_overdue"]) for c in crm.cli.json("contacts", "overdue")["data"]]


@pytest.mark.parametrize("interval", [7, 30, 45, 365])
def test_high_priority_is_overdue_from_the_day_after_its_interval(crm, interval):
    if interval != 30:
        crm.cli("settings", "set", "priority.high", str(interval))
    for days in (interval - 1, interval, interval + 1, interval + 2):
        c = crm.add(f"Last {days} Days", "--priority", "high")
        crm.history(c["id"], [("email", "outbound", _at(days))])
    assert _overdue(crm) == [(f"Last {interval + 2} Days", 2), (f"Last {interval + 1} Days", 1)]
    assert crm.cli.json("contacts", "overdue")["meta"]["interval_days"] == interval


@pytest.mark.parametrize(("level", "interval"), [("medium", 60), ("low", 180)])
def test_other_priorities_are_never_on_the_overdue_list(crm, level, interval):
    for days in (interval + 1, interval + 400):
        c = crm.add(f"{level.title()} {days}", "--priority", level)
        crm.history(c["id"], [("email", "outbound", _at(days))])
    assert _overdue(crm) == []


def test_days_are_counted_in_the_local_calendar(crm):
    """23:00 in Los Angeles on May 15 is already May 16 in UTC: 31 local days before June 15 (overdue
    by one) but 30 UTC days (not yet)."""
    c = crm.add("Late Caller", "--priority", "high")
    crm.history(c["id"], [("call", "inbound", "2026-05-16T06:00:00Z")])
    assert _overdue(crm) == []
    crm.cli("settings", "set", "timezone", "America/Los_Angeles")
    assert _overdue(crm) == [("Late Caller", 1)]


def _due_dates(crm) -> dict[str, str]:
    text = crm.cli("calendar", "export").stdout_bytes.decode().replace("\r\n ", "")
    due = {}
    for block in text.split("BEGIN:VEVENT")[1:]:
        fields = dict(line.split(":", 1) for line in block.split("\r\n") if ":" in line)
        if fields.get("UID", "").startswith("followup-"):
            due[fields["SUMMARY"].removeprefix("Follow up with ")] = fields["DTSTART;VALUE=DATE"]
    return due


@pytest.mark.parametrize(("level", "interval"), [("high", 30), ("medium", 60), ("low", 180)])
def test_each_priority_falls_due_on_its_boundary_day(crm, level, interval):
    for days in (interval - 1, interval, interval + 1):
        c = crm.add(f"{level} {days}", "--priority", level)
        crm.history(c["id"], [("email", "inbound", _at(days))])
    tomorrow = (TODAY + timedelta(days=1)).strftime("%Y%m%d")
    today = TODAY.strftime("%Y%m%d")
    assert _due_dates(crm) == {
        f"{level} {interval - 1}": tomorrow,
        f"{level} {interval}": today,
        f"{level} {interval + 1}": today,  # overdue: due today, not in the past
    }


def test_today_is_the_local_day(crm):
    """At 03:00 UTC on June 16 it is still June 15 in Los Angeles: the count runs to the local today."""
    c = crm.add("Evening Caller", "--priority", "high")
    crm.history(c["id"], [("call", "inbound", "2026-05-15T20:00:00Z")])
    crm.cli("settings", "set", "timezone", "America/Los_Angeles")
    got = crm.cli.json("contacts", "overdue", "--now", "2026-06-16T03:00:00Z")["data"]
    assert [(x["full_name"], x["days_overdue"]) for x in got] == [("Evening Caller", 1)]


def test_nobody_overdue_says_who_is_watched_and_who_is_next(crm):
    """`pcrm contacts overdue` with nobody overdue said "only high-priority contacts can be" even with
    high-priority contacts in the store: it now says none of them is past the interval, and who is due next
    and when (the day after the interval runs out), as meta.next_due does."""
    said = crm.cli("contacts", "overdue").stdout + crm.cli("contacts", "overdue").stderr
    assert "only high-priority contacts can be" in said  # none yet: the hint is true
    ada = crm.add("Ada Lovelace", "--priority", "high")
    grace = crm.add("Grace Hopper", "--priority", "high")
    crm.history(ada["id"], [("email", "outbound", _at(10))])
    crm.history(grace["id"], [("email", "outbound", _at(20))])
    got = crm.cli("contacts", "overdue")
    said = got.stdout + got.stderr
    assert "only high-priority" not in said, said
    assert "none of your 2 high-priority contacts is past the 30-day interval" in said, said
    assert "next due: Grace Hopper on 2026-06-26" in said, said
    meta = crm.cli.json("contacts", "overdue")["meta"]
    assert meta["next_due"] == {"id": grace["id"], "name": "Grace Hopper", "on": "2026-06-26"}
    # the day it names, Grace is overdue
    assert [
        c["full_name"] for c in crm.cli.json("contacts", "overdue", "--now", "2026-06-26T08:00:00Z")["data"]
    ] == ["Grace Hopper"]
    assert crm.cli.json("contacts", "overdue", "--now", "2026-06-25T20:00:00Z")["data"] == []
