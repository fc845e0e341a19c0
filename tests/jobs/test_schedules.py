"""[scheduled-jobs]: the catch-up rule, a pure function of a schedule, the job's last start, success and
error, the clock and the zone. Slots are wall-clock times in the user's zone; sleeping through any number
of slots means one run on waking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pcrm.domain import schedules
from pcrm.domain.schedules import MANUAL, due, from_setting, last_slot, next_run, next_slot

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_every_6h_is_due_once_its_next_slot_passes() -> None:
    six = from_setting("6h", 0)  # 00:00, 06:00, 12:00, 18:00
    ran = at("2026-06-15T06:00:05")
    assert not due(six, ran, ran, at("2026-06-15T11:59:59"), UTC)
    assert due(six, ran, ran, at("2026-06-15T12:00:00"), UTC)
    assert next_run(six, ran, ran, at("2026-06-15T07:00:00"), UTC) == at("2026-06-15T12:00:00")


def test_6h_and_12h_count_from_the_hour_setting() -> None:
    six = from_setting("6h", 3)
    twelve = from_setting("12h", 3)
    now = at("2026-06-15T10:00:00")
    assert last_slot(six, now, UTC) == at("2026-06-15T09:00:00")
    assert last_slot(twelve, now, UTC) == at("2026-06-15T03:00:00")
    assert next_slot(twelve, now, UTC) == at("2026-06-15T15:00:00")
    ran = at("2026-06-15T03:30:00")
    assert not due(twelve, ran, ran, now, UTC)
    assert due(six, ran, ran, now, UTC)
    assert six.describe() == "every 6 h from 03:00" and twelve.describe() == "every 12 h from 03:00"


def test_a_daily_hour_is_the_users_hour() -> None:
    """daily at 08:00 means 08:00 in the zone: 12:00 UTC in New York (summer time), 06:00 UTC in Berlin."""
    eight = schedules.daily(8)
    ran = at("2026-06-14T12:05:00")  # yesterday, 08:05 in New York
    assert not due(eight, ran, ran, at("2026-06-15T11:59:00"), NEW_YORK)  # 07:59 there
    assert due(eight, ran, ran, at("2026-06-15T12:00:00"), NEW_YORK)
    assert due(eight, ran, ran, at("2026-06-15T11:59:00"), UTC)  # 08:00 UTC has passed
    assert next_slot(eight, at("2026-06-15T05:00:00"), BERLIN) == at("2026-06-15T06:00:00")
    # in winter New York is UTC-5: the same setting is 13:00 UTC
    assert next_slot(eight, at("2026-01-15T12:30:00"), NEW_YORK) == at("2026-01-15T13:00:00")


def test_a_local_day_is_not_the_utc_day() -> None:
    """Late evening in New York is already tomorrow in UTC: the slot is still today's, in New York."""
    two = schedules.daily(2)
    now = at("2026-06-16T03:00:00")  # 23:00 on the 15th in New York
    assert last_slot(two, now, NEW_YORK) == at("2026-06-15T06:00:00")  # 02:00 EDT on the 15th
    assert last_slot(two, now, UTC) == at("2026-06-16T02:00:00")


def test_a_week_asleep_runs_each_job_once_on_waking() -> None:
    """Ticks every minute, then the laptop sleeps a week, then ticks again for a day: every missed slot
    collapses into one run at the first tick after waking."""
    for schedule, runs_in_the_day_after in (
        (schedules.daily(8), 1),  # the wake-up run, then 08:00 the next morning
        (schedules.hourly(), 24),
        (from_setting("6h", 0), 4),
        (schedules.weekly(0, 9), 0),  # woke on a Tuesday: the next Monday is a week away
    ):
        runs: list[datetime] = []
        last: datetime | None = None
        start = at("2026-06-01T10:00:00")
        ticks = [start + timedelta(minutes=m) for m in range(60)]
        wake = at("2026-06-09T10:30:00")  # a Tuesday
        ticks += [wake + timedelta(minutes=m) for m in range(24 * 60)]
        for now in ticks:
            if due(schedule, last, last, now, UTC):
                runs.append(now)
                last = now
        after_wake = [r for r in runs if r >= wake]
        assert after_wake[0] == wake, schedule
        assert len(after_wake) == 1 + runs_in_the_day_after, (schedule, after_wake)


def test_never_run_is_due_at_once_and_manual_never() -> None:
    now = at("2026-06-15T12:00:00")
    for schedule in (schedules.daily(8), schedules.hourly(), schedules.weekly(3, 9), from_setting("12h", 3)):
        assert due(schedule, None, None, now, UTC)
        assert next_run(schedule, None, None, now, UTC) == now
    assert from_setting("manual", 3) is MANUAL
    assert not due(MANUAL, None, None, now, UTC)
    assert not due(MANUAL, at("2020-01-01T00:00:00"), at("2020-01-01T00:00:00"), now, UTC)
    assert next_run(MANUAL, None, None, now, UTC) is None and MANUAL.describe() == "manual"


def test_a_failed_run_is_retried_at_the_next_tick() -> None:
    eight = schedules.daily(8)
    ok = at("2026-06-14T08:00:00")
    tried = at("2026-06-15T08:00:00")
    later = tried + timedelta(minutes=1)
    assert due(eight, ok, tried, later, UTC, outcome="failed")
    assert due(eight, None, tried, later, UTC, outcome="failed")  # never succeeded, failed once


def test_a_run_in_progress_is_left_alone_until_its_lease_ends() -> None:
    eight = schedules.daily(8)
    ok = at("2026-06-14T08:00:00")
    started = at("2026-06-15T08:00:00")
    assert not due(eight, ok, started, started + timedelta(minutes=5), UTC)  # no outcome yet: running
    assert due(eight, ok, started, started + schedules.RUN_LEASE, UTC)  # dead (kill -9): run again
    assert not due(eight, None, started, started + timedelta(minutes=5), UTC)


def test_a_run_whose_runner_is_gone_is_due_at_once_and_one_whose_runner_runs_is_left_alone() -> None:
    """The lease is only for a run whose runner cannot be asked: one known gone (its lock free: killed,
    crashed) is due at once, one known running stays running past the lease."""
    eight = schedules.daily(8)
    ok = at("2026-06-14T08:00:00")
    started = at("2026-06-15T08:00:00")
    soon, late = started + timedelta(minutes=5), started + schedules.RUN_LEASE * 3
    assert due(eight, ok, started, soon, UTC, alive=False)
    assert schedules.next_run(eight, ok, started, soon, UTC, alive=False) == soon
    assert not due(eight, ok, started, late, UTC, alive=True)
    assert schedules.running(started, ok, None, late, alive=True)
    assert not schedules.running(started, ok, None, soon, alive=False)
    # a run with an outcome is no open run, whatever is said of its runner
    assert not schedules.running(started, started, None, soon, alive=True)


def test_the_weekly_digest_is_on_mondays_at_nine() -> None:
    digest = schedules.weekly(0, 9)
    assert digest.describe() == "Mondays at 09:00"
    sunday = at("2026-06-14T20:00:00")
    assert next_slot(digest, sunday, UTC) == at("2026-06-15T09:00:00")
    ran = at("2026-06-08T09:00:00")
    assert not due(digest, ran, ran, sunday, UTC)
    assert due(digest, ran, ran, at("2026-06-15T09:00:00"), UTC)
    assert last_slot(digest, at("2026-06-21T23:59:00"), UTC) == at("2026-06-15T09:00:00")


def test_a_clock_set_back_makes_nothing_due() -> None:
    ran = at("2026-06-15T12:00:00")
    assert not due(schedules.hourly(), ran, ran, at("2026-06-10T12:00:00"), UTC)


def test_bad_schedules_are_refused() -> None:
    with pytest.raises(ValueError):
        from_setting("weekly", 3)
    with pytest.raises(ValueError):
        schedules.Schedule("every", hours=5)
    with pytest.raises(ValueError):
        schedules.Schedule("sometimes")


_SCHEDULES = st.sampled_from(
    [
        schedules.hourly(),
        schedules.hourly(30),
        schedules.daily(0),
        schedules.daily(2, 30),
        schedules.daily(23),
        schedules.weekly(0, 9),
        schedules.weekly(6, 23, 59),
        from_setting("6h", 5),
        from_setting("12h", 0),
    ]
)
_INSTANTS = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda d: d.replace(tzinfo=UTC)
)
_ZONES = st.sampled_from([UTC, NEW_YORK, BERLIN, ZoneInfo("Asia/Kolkata"), ZoneInfo("Australia/Lord_Howe")])


@given(_SCHEDULES, _INSTANTS, _INSTANTS, _ZONES)
def test_after_a_run_the_job_waits_for_its_next_slot(
    schedule: schedules.Schedule, before: datetime, now: datetime, tz: ZoneInfo
) -> None:
    """Whatever happened before (any last success), a run at `now` makes the job not due until its next
    slot, and due from then on; the next slot is after now and within a week."""
    if before <= now:
        assert due(schedule, before, before, now, tz) == (before < (last_slot(schedule, now, tz) or now))
    assert not due(schedule, now, now, now, tz)
    nxt = next_slot(schedule, now, tz)
    assert nxt is not None and now < nxt <= now + timedelta(days=7, hours=1)
    assert not due(schedule, now, now, nxt - timedelta(microseconds=1), tz)
    assert due(schedule, now, now, nxt, tz)
