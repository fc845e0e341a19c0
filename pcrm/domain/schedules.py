"""When a background job is due: schedules and the catch-up rule, pure functions [scheduled-jobs].

A schedule names wall-clock slots in the user's zone (hourly at :00, every 6 h, daily at 08:00, Mondays at
09:00). A job is due when its last success is older than the latest slot at or before now: however many
slots passed while the laptop slept, that is one run on waking, never one per missed slot. A job that
never succeeded is due at once; a failed run leaves the job due, so the next tick retries it. A run that
started and has neither finished nor failed (an open run) is running while its runner is (`alive`: the
caller asks the OS whether the process that runs it still does); one whose runner is gone (killed, crashed,
the machine lost power) is unfinished and due at once; when that cannot be told, the run is left alone for
RUN_LEASE (it may still be running).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

KINDS = ("manual", "hourly", "every", "daily", "weekly")
SETTING_SCHEDULES = ("manual", "6h", "12h", "daily")  # what `sync.<source>.schedule` takes
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
RUN_LEASE = timedelta(hours=1)  # an open run whose runner cannot be asked is taken as dead after this long
_LOOK = 9  # days searched for a slot: a weekly schedule has one within 7 days either side


@dataclass(frozen=True)
class Schedule:
    """kind: manual (never due by itself), hourly (at :minute), every (`hours` = 6 or 12, slots at
    `hour` + k*hours), daily (at hour:minute) or weekly (on `weekday`, Monday = 0, at hour:minute)."""

    kind: str
    hours: int = 24
    hour: int = 0
    minute: int = 0
    weekday: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown schedule kind {self.kind!r}")
        if self.kind == "every" and (self.hours < 1 or 24 % self.hours):
            raise ValueError(f"every {self.hours} h does not divide a day")

    def describe(self) -> str:
        if self.kind == "manual":
            return "manual"
        at = f"{self.hour:02d}:{self.minute:02d}"
        if self.kind == "hourly":
            return f"hourly at :{self.minute:02d}"
        if self.kind == "every":
            first = f"{self.hour % self.hours:02d}:{self.minute:02d}"
            return f"every {self.hours} h from {first}"
        if self.kind == "daily":
            return f"daily at {at}"
        return f"{WEEKDAYS[self.weekday]}s at {at}"


MANUAL = Schedule("manual")


def hourly(minute: int = 0) -> Schedule:
    return Schedule("hourly", hours=1, minute=minute)


def daily(hour: int, minute: int = 0) -> Schedule:
    return Schedule("daily", hour=hour, minute=minute)


def weekly(weekday: int, hour: int, minute: int = 0) -> Schedule:
    return Schedule("weekly", hours=168, hour=hour, minute=minute, weekday=weekday)


def from_setting(schedule: str, hour: int) -> Schedule:
    """A sync source's `schedule` (manual, 6h, 12h, daily) and `hour` setting. 6h and 12h are anchored on
    the hour too: 6h with hour 3 runs at 03:00, 09:00, 15:00 and 21:00."""
    if schedule == "manual":
        return MANUAL
    if schedule == "daily":
        return daily(hour)
    if schedule in ("6h", "12h"):
        return Schedule("every", hours=int(schedule[:-1]), hour=hour)
    raise ValueError(f"unknown schedule {schedule!r}; use one of {', '.join(SETTING_SCHEDULES)}")


def _slots(s: Schedule, day: date, tz: tzinfo) -> list[datetime]:
    """The schedule's instants (UTC) on one local calendar day."""
    if s.kind == "manual" or (s.kind == "weekly" and day.weekday() != s.weekday):
        return []
    if s.kind == "hourly":
        hours = list(range(24))
    elif s.kind == "every":
        hours = list(range(s.hour % s.hours, 24, s.hours))
    else:
        hours = [s.hour]
    # a wall time in a DST gap or fold gets zoneinfo's reading (fold=0): still one instant per slot
    return [datetime(day.year, day.month, day.day, h, s.minute, tzinfo=tz).astimezone(UTC) for h in hours]


def last_slot(s: Schedule, now: datetime, tz: tzinfo) -> datetime | None:
    """The latest slot at or before now; None for a manual schedule."""
    today = now.astimezone(tz).date()
    for back in range(_LOOK):
        past = [t for t in _slots(s, today - timedelta(days=back), tz) if t <= now]
        if past:
            return max(past)
    return None


def next_slot(s: Schedule, now: datetime, tz: tzinfo) -> datetime | None:
    """The first slot after now; None for a manual schedule."""
    today = now.astimezone(tz).date()
    for ahead in range(_LOOK):
        later = [t for t in _slots(s, today + timedelta(days=ahead), tz) if t > now]
        if later:
            return min(later)
    return None


def open_run(last_started: datetime | None, last_success: datetime | None, outcome: str | None) -> bool:
    """A run started after the last success has recorded no outcome (success, failed, interrupted) yet."""
    if last_started is None or outcome is not None:
        return False
    return last_success is None or last_started > last_success


def running(
    last_started: datetime | None,
    last_success: datetime | None,
    outcome: str | None,
    now: datetime,
    alive: bool | None = None,
) -> bool:
    """An open run whose runner still runs (`alive`); when that cannot be told (None), one that started
    within RUN_LEASE."""
    if not open_run(last_started, last_success, outcome):
        return False
    if alive is not None:
        return alive
    assert last_started is not None
    return now - last_started < RUN_LEASE


def due(
    s: Schedule,
    last_success: datetime | None,
    last_started: datetime | None,
    now: datetime,
    tz: tzinfo,
    *,
    outcome: str | None = None,
    alive: bool | None = None,
) -> bool:
    """Whether the job should run now (the catch-up rule in the module's docstring)."""
    if s.kind == "manual" or running(last_started, last_success, outcome, now, alive):
        return False
    if last_success is None:
        return True
    slot = last_slot(s, now, tz)
    return slot is not None and last_success < slot


def next_run(
    s: Schedule,
    last_success: datetime | None,
    last_started: datetime | None,
    now: datetime,
    tz: tzinfo,
    *,
    outcome: str | None = None,
    alive: bool | None = None,
) -> datetime | None:
    """When the job runs next: now when it is due (the daemon's next tick), else its next slot."""
    if due(s, last_success, last_started, now, tz, outcome=outcome, alive=alive):
        return now
    return next_slot(s, now, tz)
