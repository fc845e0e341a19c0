"""The one clock. `--now` and $PCRM_NOW pin it so runs are reproducible [pinned-clock].

Timestamps travel as canonical strings `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC, millisecond precision): the
store keeps them in that form, so they sort as text and serialise without conversion [canonical-json].
"""

from __future__ import annotations

import os
import re
import time as _time
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta, tzinfo
from functools import partial

from pcrm.errors import ValidationError

# The moments a user may give (--at, --now, $PCRM_NOW, date filters, snooze dates) [time-range]: wide enough
# for anything a CRM records or plans, narrow enough that a day or two either side, a local zone or `3d ago`
# never leaves what Python's datetime and the canonical timestamp form can hold.
FIRST_YEAR = 1900
LAST_YEAR = 2200
RANGE_HINT = f"give a moment in the years {FIRST_YEAR} to {LAST_YEAR}, e.g. 2026-03-14"

_REL = re.compile(r"^(\d+)\s*(d|days?|w|weeks?|h|hours?)\s*ago$")


class _SystemZone(tzinfo):
    """The machine's zone as the C library knows it ($TZ, /etc/localtime), where every moment gets the offset
    it had [local-days]: a June note read or shown in December keeps its summer offset. The offset of the
    moment itself, not of today (`datetime.now().astimezone().tzinfo`, an hour off across a DST change);
    without zoneinfo, which costs CLI start-up its search path."""

    def fromutc(self, dt: datetime) -> datetime:
        off = _offset_at(dt.replace(tzinfo=UTC).timestamp())
        local = (dt + off).replace(tzinfo=self)
        # the second of two equal wall times (the hour after summer time ends) is fold=1
        return local if local.utcoffset() == off else local.replace(fold=1)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        if dt is None:
            return _offset_at(_time.time())
        wall = dt.replace(tzinfo=UTC).timestamp()
        before, after = _offset_at(wall - 86400), _offset_at(wall + 86400)
        if before == after:
            return before
        fits = [off for off in (before, after) if _offset_at(wall - off.total_seconds()) == off]
        # one offset fits: it is that one; both (a wall time seen twice) or none (one skipped): PEP 495's
        # fold picks the offset before the change (0) or after it (1)
        return fits[0] if len(fits) == 1 else (after if dt.fold else before)

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str:
        return _time.localtime(None if dt is None else dt.replace(tzinfo=self).timestamp()).tm_zone

    def __repr__(self) -> str:
        return "SYSTEM_ZONE"


def _offset_at(timestamp: float) -> timedelta:
    """The system zone's offset at a moment; today's where the platform cannot say (Windows before 1970)."""
    try:
        return timedelta(seconds=_time.localtime(timestamp).tm_gmtoff)
    except (OverflowError, OSError, ValueError):
        return timedelta(seconds=_time.localtime().tm_gmtoff)


SYSTEM_ZONE: tzinfo = _SystemZone()


class Pin:
    """A moment typed as text (--now, $PCRM_NOW), read like `--at` [time-range]: a text without a zone
    (`2026-11-28T00:30`, `2026-11-28`, `today`) in the zone of whoever asks the time (the store's, as
    Context.now passes it), any other in one reading. Each zone's reading is kept: `3d ago` stays put for
    the run."""

    def __init__(self, text: str, read: Callable[[tzinfo], datetime]) -> None:
        self.text = text
        self._read = read
        self._zoned = _zoned(text)
        self._seen: dict[tzinfo, datetime] = {}

    def at(self, zone: Callable[[], tzinfo] | None) -> datetime:
        tz = (zone() if zone is not None else SYSTEM_ZONE) if self._zoned else UTC
        if tz not in self._seen:
            self._seen[tz] = self._read(tz)
        return self._seen[tz]


def _zoned(text: str) -> bool:
    """Whether the moment `text` names depends on the zone it is read in: anything but a time with an
    offset. A date or time without one, `today` or `yesterday` (noon there), and the relative words (`now`,
    `1h ago`), which count from $PCRM_NOW, itself perhaps a time without a zone."""
    try:
        return datetime.fromisoformat(text.strip()).tzinfo is None
    except ValueError:
        return True


_pinned: datetime | Pin | None = None
_by_env: Pin | None = None  # $PCRM_NOW as last read


def set_now(value: datetime | Pin | None) -> None:
    """Pin the clock to `value`; None: back to $PCRM_NOW, read afresh, else the real clock."""
    global _pinned, _by_env
    _pinned, _by_env = value, None


def now(zone: Callable[[], tzinfo] | None = None) -> datetime:
    """--now when pinned, else $PCRM_NOW, else the real clock. `zone`: the zone a pinned text without one
    is read in (Context.now: the store's, the zone `--at` is read in); the system's when not given.
    Whatever has a store asks with its zone [pinned-clock]: a service through Context.now, the store's own
    code with a connection through store.settings.now, a sync adapter through Source.now (the settings it
    was given); the system zone is only for what runs with no store at all."""
    if isinstance(_pinned, Pin):
        return _pinned.at(zone)
    if _pinned is not None:
        return _pinned
    return unpinned(zone)


def unpinned(zone: Callable[[], tzinfo] | None = None) -> datetime:
    """The clock --now replaces: $PCRM_NOW (read in `zone`, as `now` reads a pin), else the real one."""
    global _by_env
    env = os.environ.get("PCRM_NOW")
    if env:
        if _by_env is None or _by_env.text != env:
            _by_env = Pin(env, partial(_pinned_by_env, env, datetime.now(UTC)))
        return _by_env.at(zone)
    return datetime.now(UTC)


def _pinned_by_env(text: str, real: datetime, tz: tzinfo) -> datetime:
    """$PCRM_NOW: an ISO 8601 instant (without an offset: in `tz`), a bare date (midnight in `tz`), or what
    `--now` takes besides (now, today, yesterday, 3d ago), counted from `real`, the real clock."""
    t = text.strip()
    rel = relative(t, now=real, tz=tz, field="PCRM_NOW")
    if rel is not None:
        return rel
    try:
        dt = datetime.fromisoformat(t)
    except ValueError:
        raise ValidationError(
            f"PCRM_NOW must be a date or time like 2026-03-14, 2026-03-14T09:30:00Z or 3d ago, not {text!r}",
            field="PCRM_NOW",
            hint="unset PCRM_NOW to use the real clock",
        ) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=tz)
    return checked(dt, field="PCRM_NOW", text=text).astimezone(UTC)


def check_year(year: int, *, field: str, text: str) -> None:
    """The 422 naming the field when `year` is outside the years a user may give [time-range]."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            f"{field} must be in the years {FIRST_YEAR} to {LAST_YEAR}, not {text!r}",
            field=field,
            hint=RANGE_HINT,
        )


def checked(dt: datetime, *, field: str, text: str) -> datetime:
    """`dt` when it falls in the years a user may give [time-range], else the 422 naming the field.
    Checked before any conversion to UTC, which could itself overflow at the ends of datetime's range."""
    check_year(dt.year, field=field, text=text)
    return dt


def relative(text: str, *, now: datetime, tz: tzinfo, field: str) -> datetime | None:
    """`now`, `today` or `yesterday` (noon in `tz`), `3d ago` / `2w ago` / `5h ago` (also `3 days ago`,
    `1 week ago`, ...) counted from `now`; None for any other text. An offset past what datetime holds is
    refused like one past the years a user may give [time-range]."""
    low = text.strip().lower()
    if low == "now":
        return now
    if low in ("today", "yesterday"):
        d = now.astimezone(tz).date() - timedelta(days=1 if low == "yesterday" else 0)
        return checked(datetime.combine(d, time(12, 0), tz), field=field, text=text).astimezone(UTC)
    m = _REL.match(low)
    if not m:
        return None
    n, unit = int(m.group(1)), m.group(2)[0]
    try:
        when = now - {"d": timedelta(days=n), "w": timedelta(weeks=n), "h": timedelta(hours=n)}[unit]
    except OverflowError:
        when = datetime.min.replace(tzinfo=UTC)
    return checked(when, field=field, text=text)


def iso(dt: datetime) -> str:
    """Canonical UTC string with milliseconds and Z."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime given to iso()")
    if dt.tzinfo is not UTC:
        dt = dt.astimezone(UTC)
    if dt.year >= 1000:  # isoformat is done in C, strftime's %Y would not pad an earlier year either
        return dt.isoformat(timespec="milliseconds")[:23] + "Z"
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def parse_iso(text: str) -> datetime:
    """Read back a canonical (or any ISO 8601 with offset) timestamp as an aware UTC datetime."""
    dt = datetime.fromisoformat(text)  # Python 3.11 reads the trailing Z itself
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def now_iso() -> str:
    """`now()` in canonical form, a pinned time without a zone read in the system's zone: for code with no
    store (a benchmark's set-up); code with one uses Context.now_iso [pinned-clock]."""
    return iso(now())
