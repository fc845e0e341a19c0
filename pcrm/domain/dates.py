"""Parsing what users type as dates and times, in their time zone [local-days]."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from pcrm.errors import ValidationError

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_REL = re.compile(r"^(\d+)\s*(d|days?|w|weeks?|h|hours?)\s*ago$")
DATE_HINT = "dates are YYYY-MM-DD, e.g. 2026-03-14"
INSTANT_HINT = "e.g. 2026-03-14, 2026-03-14T09:30, 2026-03-14T09:30:00Z, now, today, yesterday or 3d ago"
BIRTHDAY_HINT = "use MM-DD or YYYY-MM-DD, e.g. 12-10 or 1815-12-10"


def zone(name: str | None) -> tzinfo:
    if not name:
        return local_zone()
    # imported here: zoneinfo reads sysconfig for its search path (~3 ms), and every read command imports
    # this module while only a `timezone` setting needs a zone (CLI start-up)
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            f"unknown time zone {name!r}", field="timezone", hint="use an IANA name such as Europe/Berlin"
        ) from exc


def local_zone() -> tzinfo:
    tz = datetime.now().astimezone().tzinfo
    return tz or UTC


def parse_date(text: str, *, field: str) -> date:
    """A calendar date `YYYY-MM-DD`; anything else is a validation error [strict-validation]."""
    t = (text or "").strip()
    if not _DATE.match(t):
        raise ValidationError(
            f"{field} must be a date like 2026-03-14, not {text!r}", field=field, hint=DATE_HINT
        )
    try:
        return date.fromisoformat(t)
    except ValueError as exc:
        raise ValidationError(f"{field} is not a real date: {text!r}", field=field, hint=DATE_HINT) from exc


def parse_instant(
    text: str, *, field: str, tz: tzinfo | None = None, now: datetime | None = None
) -> datetime:
    """An instant from ISO 8601 (with or without offset), a bare date (midnight in `tz`), `now`,
    `today`, `yesterday` or `3d ago` / `2w ago` / `5h ago` (also `3 days ago`, `1 week ago`, ...).
    Naive values are read in `tz`."""
    t = (text or "").strip()
    tz = tz or UTC
    low = t.lower()
    if now is not None:
        if low == "now":
            return now
        if low in ("today", "yesterday"):
            d = now.astimezone(tz).date() - timedelta(days=1 if low == "yesterday" else 0)
            return datetime.combine(d, time(12, 0), tz).astimezone(UTC)
        m = _REL.match(low)
        if m:
            n, unit = int(m.group(1)), m.group(2)[0]
            delta = {"d": timedelta(days=n), "w": timedelta(weeks=n), "h": timedelta(hours=n)}[unit]
            return now - delta
    if _DATE.match(t):
        d = parse_date(t, field=field)
        return datetime.combine(d, time(0, 0), tz).astimezone(UTC)
    try:
        s = t[:-1] + "+00:00" if t.endswith(("Z", "z")) else t
        dt = datetime.fromisoformat(s)
    except ValueError as exc:
        raise ValidationError(
            f"{field} must be a date or time like 2026-03-14 or 2026-03-14T09:30, not {text!r}",
            field=field,
            hint=INSTANT_HINT,
        ) from exc
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=tz)
    return dt.astimezone(UTC)


def parse_birthday(text: str | None, *, field: str = "birthday") -> str | None:
    """`MM-DD` or `YYYY-MM-DD` (a real day; Feb 29 allowed without a year)."""
    if text is None:
        return None
    t = text.strip()
    if not t:
        return None
    if re.fullmatch(r"--?\d{2}-?\d{2}", t):  # vCard's --MMDD / --MM-DD
        digits = re.sub(r"\D", "", t)
        t = f"{digits[:2]}-{digits[2:]}"
    if re.fullmatch(r"\d{2}-\d{2}", t):
        try:
            date(2000, int(t[:2]), int(t[3:]))  # 2000 is a leap year: 02-29 is valid
        except ValueError as exc:
            raise ValidationError(
                f"{field} {text!r} is not a real day", field=field, hint=BIRTHDAY_HINT
            ) from exc
        return t
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
        parse_date(t, field=field)
        return t
    raise ValidationError(
        f"{field} must be MM-DD or YYYY-MM-DD, not {text!r}", field=field, hint=BIRTHDAY_HINT
    )
