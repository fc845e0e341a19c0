"""Parsing what users type as dates and times, in their time zone [local-days]."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from pcrm.clock import SYSTEM_ZONE, check_year, checked, parse_iso, relative
from pcrm.errors import ValidationError

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_HINT = "dates are YYYY-MM-DD, e.g. 2026-03-14"
INSTANT_HINT = (
    "e.g. 2026-03-14, 2026-03-14T09:30, 2026-03-14T09:30:00Z, now, today, yesterday, monday, last friday "
    "or 3d ago"
)
BIRTHDAY_HINT = "use MM-DD or YYYY-MM-DD, e.g. 12-10 or 1815-12-10"
FUTURE_BIRTHDAY_HINT = (
    "check the year of birth; when it is not known, give the day alone as MM-DD, e.g. 12-10"
)
# the forms parse_future takes, all ahead: `yesterday` or `3d ago` would be refused as past [future-times]
FUTURE_HINT = (
    "e.g. in 2h, in 3 days, in 2 weeks, tomorrow, tomorrow 09:00, friday, next monday 10:00, 2026-12-24 or "
    "2026-12-24T09:00"
)
# the forms parse_when takes, either side of now [interaction-times]
WHEN_HINT = (
    "e.g. 2026-03-14, 2026-03-14T09:30, now, yesterday, yesterday 18:00, monday, last friday 18:00, 3d ago, "
    "tomorrow 14:30, next friday or in 2 days"
)
_IN = re.compile(r"^in\s+(\d+)\s*(m|min|mins|minutes?|h|hours?|d|days?|w|weeks?)$")


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


def canonical_zone(name: str) -> str:
    """The IANA name of zone `name` as zoneinfo spells it, matched without regard to case
    (`europe/berlin` -> `Europe/Berlin`: no two zones differ only in case, so the match is never
    ambiguous) [local-days]. An unknown name is refused, with the nearest zone in the hint when one is
    close."""
    # imported here, as in zone(): only setting the time zone needs the list (~20 ms to read)
    import difflib
    from zoneinfo import available_timezones

    names = available_timezones()
    if name in names:
        return name
    found = {n.lower(): n for n in names}.get(name.lower())
    if found is not None:
        return found
    try:
        zone(name)  # a zone the list leaves out but zoneinfo still reads
    except ValidationError as exc:
        near = difflib.get_close_matches(name, sorted(names), n=1)
        if not near:
            raise
        raise ValidationError(exc.message, field="timezone", hint=f"did you mean {near[0]}?") from exc
    return name


def local_zone() -> tzinfo:
    """The machine's zone, each moment with its own offset (clock.SYSTEM_ZONE) [local-days]."""
    return SYSTEM_ZONE


def local_day(instant: str, tz: tzinfo) -> str:
    """The day of a stored instant in `tz` (the user's zone, Context.tz()), for a message that names it
    [local-days]: as the CLI's tables show that day."""
    return parse_iso(instant).astimezone(tz).date().isoformat()


def local_moment(instant: str, tz: tzinfo) -> str:
    """A stored instant as `YYYY-MM-DD HH:MM` in `tz`, for a message that names it [local-days]: as the CLI's
    tables show that moment."""
    dt = parse_iso(instant).astimezone(tz)
    return f"{dt.date().isoformat()} {dt:%H:%M}"


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


def parse_day(text: str, *, field: str) -> date:
    """A day something happened or will happen (a date filter, a bare date for an instant): a calendar date
    in the years a user may give [time-range]. Birthdays are not moments: they keep parse_date's range."""
    d = parse_date(text, field=field)
    check_year(d.year, field=field, text=text)
    return d


def parse_instant(
    text: str,
    *,
    field: str,
    tz: tzinfo | None = None,
    now: datetime | None = None,
    hint: str = INSTANT_HINT,
) -> datetime:
    """An instant from ISO 8601 (with or without offset), a bare date (midnight in `tz`), `now`,
    `today`, `yesterday`, `3d ago` / `2w ago` / `5h ago` (also `3 days ago`, `1 week ago`, ...) or a weekday
    (`monday`, `last friday 18:00`: weekday_date), the words counted from `now` when given.
    Naive values are read in `tz`. Every form is refused outside the years a user may give [time-range].
    `hint` replaces the list of forms for a caller that takes others (a send time is never in the past)."""
    t = (text or "").strip()
    tz = tz or UTC
    if now is not None:
        rel = relative(t, now=now, tz=tz, field=field)
        if rel is None:
            low = " ".join(t.lower().split())
            rel = _named_day(low, field=field, tz=tz, now=now, text=text, hint=hint, ahead=False)
        if rel is not None:
            return rel
    if _DATE.match(t):
        d = parse_day(t, field=field)
        return datetime.combine(d, time(0, 0), tz).astimezone(UTC)
    try:
        s = t[:-1] + "+00:00" if t.endswith(("Z", "z")) else t
        dt = datetime.fromisoformat(s)
    except ValueError as exc:
        raise ValidationError(_not_an_instant(t, field, text), field=field, hint=hint) from exc
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=tz)
    return checked(dt, field=field, text=text).astimezone(UTC)


def parse_future(text: str, *, field: str, tz: tzinfo, now: datetime, hint: str = FUTURE_HINT) -> datetime:
    """A time ahead, as people say it [future-times]: `in 2h` / `in 30 minutes` / `in 3 days` / `in 2 weeks`,
    `tomorrow` (09:00 in `tz`) or `tomorrow 14:30`, a weekday (`friday`, `next friday`: the next such day
    after today, 09:00 unless a time is given), or what parse_instant takes (an ISO time or a date, read in
    `tz`). Whether it is really ahead is the caller's check; a refusal's hint lists these forms only."""
    return _parse(text, field=field, tz=tz, now=now, hint=hint, ahead=True)


def _parse(
    text: str, *, field: str, tz: tzinfo, now: datetime, hint: str, ahead: bool, later: str = "09:00"
) -> datetime:
    """parse_future's forms; `ahead` is which way a bare weekday looks (parse_when's look back), `later`
    the time of day of a day ahead named without one."""
    low = " ".join((text or "").strip().lower().split())
    m = _IN.match(low)
    if m:
        n, unit = int(m.group(1)), m.group(2)[0]
        try:
            when = now + timedelta(**{{"m": "minutes", "h": "hours", "d": "days"}.get(unit, "weeks"): n})
        except OverflowError:  # past what a datetime holds: refused as past the years a user may give
            when = datetime.max.replace(tzinfo=UTC)
        return checked(when, field=field, text=text).astimezone(UTC)
    if low == "tomorrow":
        low = f"tomorrow {later}"
    at = _named_day(low, field=field, tz=tz, now=now, text=text, hint=hint, ahead=ahead, later=later)
    if at is not None:
        return at
    return parse_instant(text, field=field, tz=tz, now=now, hint=hint)


# a day word or a weekday, perhaps with a time of day: `tomorrow 14:30`, `yesterday 18:00`, `today 08:15`,
# `monday`, `last friday 18:00`, `next tue 9:30`
_DAY_TIME = re.compile(r"^(?:(last|next)\s+)?([a-z]+)(?:\s+(\S.*))?$")
_SHIFT = {"yesterday": -1, "today": 0, "tomorrow": 1}
_WEEKDAYS = {
    name: n
    for n, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}


def _not_an_instant(t: str, field: str, text: str) -> str:
    """Why `t` (trimmed `text`) is no ISO instant: written as one with a day that does not exist
    ("2026-02-29T10:00Z") or a time that does not ("2026-03-14T25:00"), it is told so, as a bare date is
    (parse_date); anything else is shown the forms it takes."""
    day, sep, clock = t.partition("T") if "T" in t else t.partition(" ")
    if sep and _DATE.match(day) and re.match(r"\d\d:\d\d", clock):
        try:
            date.fromisoformat(day)
        except ValueError:
            return f"{field} is not a real date: {text!r}"
        if re.fullmatch(r"\d\d:\d\d(:\d\d(\.\d+)?)?[Zz]?", clock):
            return f"{field} is not a real time of day: {text!r}"
        at = re.fullmatch(r"(\d\d:\d\d(?::\d\d(?:\.\d+)?)?)[+-]\d\d:?\d\d", clock)
        if at:  # a time with an offset: which of the two is wrong ("10:00+25:00", "25:00+01:00")
            try:
                time.fromisoformat(at.group(1))
            except ValueError:
                return f"{field} is not a real time of day: {text!r}"
            return (
                f"{field} has an offset from UTC that no place has (they run from -23:59 to +23:59): {text!r}"
            )
    return f"{field} must be a date or time like 2026-03-14 or 2026-03-14T09:30, not {text!r}"


def weekday_date(today: date, weekday: int, which: str | None, *, ahead: bool) -> date:
    """The day a weekday names, seen from `today` [interaction-times]: `next` (or a bare weekday where only a
    time ahead is taken, `ahead`) the first such day after today; `last` the last such day before today; a
    bare one the latest such day up to today, today itself on that day (`monday` on a Wednesday is the
    Monday just past, on a Monday today)."""
    if which == "next" or (which is None and ahead):
        return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    back = (today.weekday() - weekday) % 7
    if which == "last":
        back = back or 7
    return today - timedelta(days=back)


def _named_day(
    low: str,
    *,
    field: str,
    tz: tzinfo,
    now: datetime,
    text: str,
    hint: str,
    ahead: bool,
    later: str = "09:00",
) -> datetime | None:
    """A day named by a word, read in `tz`: `yesterday 18:00`, `today 08:15` or `tomorrow 14:30` (the bare
    words are read elsewhere), or a weekday with or without `last`/`next` and a time of day (noon by default
    for a day up to today, as `yesterday` is; 09:00 for one ahead, as `tomorrow` is). None for any other
    text. A time that is not one is refused quoting what was typed, not the date it was turned into."""
    m = _DAY_TIME.match(low)
    if not m:
        return None
    which, word, clock = m.groups()
    today = now.astimezone(tz).date()
    if word in _SHIFT and which is None and clock is not None:
        day = today + timedelta(days=_SHIFT[word])
    elif word in _WEEKDAYS:
        day = weekday_date(today, _WEEKDAYS[word], which, ahead=ahead)
        if clock is None:
            clock = later if day > today else "12:00"
    else:
        return None
    if re.fullmatch(r"\d:\d\d(:\d\d)?", clock):  # `7:05` as people write it: 07:05
        clock = "0" + clock
    try:
        return parse_instant(f"{day.isoformat()}T{clock}", field=field, tz=tz, hint=hint)
    except ValidationError:
        named = f"{which} {word}" if which else word
        raise ValidationError(
            f"{field} must be a date or time like 2026-03-14, 2026-03-14T09:30 or {named} 14:30, "
            f"not {text!r}",
            field=field,
            hint=hint,
        ) from None


def parse_when(text: str, *, field: str, tz: tzinfo, now: datetime) -> datetime:
    """An instant on either side of now, where both are allowed (when an interaction took or takes place
    [interaction-times]): every form parse_instant takes (`yesterday`, `3d ago`, a date, `monday`, `last
    friday`) and every form parse_future takes (`tomorrow`, `tomorrow 14:30`, `in 2 days`, `next friday`),
    its hint listing both. A bare weekday looks back, as one logs what has happened: `monday` on a
    Wednesday is two days ago, and today on a Monday. A day named without a time is noon, whichever side
    of today (`yesterday`, `tomorrow`, `next friday`: when a thing happened or happens, not a reminder's
    09:00); today (`today`, `friday` on a Friday) is noon, or now while noon is still ahead: something that
    happened today has happened, and an instant ahead would count for nothing until it came
    [future-interactions]."""
    when = _parse(text, field=field, tz=tz, now=now, hint=WHEN_HINT, ahead=False, later="12:00")
    low = " ".join((text or "").strip().lower().split())
    if low == "today" or (low in _WEEKDAYS and when.astimezone(tz).date() == now.astimezone(tz).date()):
        return min(when, now.astimezone(UTC))
    return when


def parse_birthday(text: str | None, *, field: str = "birthday", today: date | None = None) -> str | None:
    """`MM-DD` or `YYYY-MM-DD` (a real day; Feb 29 allowed without a year). `today`: a day with a year after
    it is refused (`2030-01-01` is no birthday yet: lists said "turns -3", the calendar started in 2030)."""
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
            # worded as every date that does not exist is (parse_date: `1985-02-29`)
            raise ValidationError(
                f"{field} is not a real date: {text!r}", field=field, hint=BIRTHDAY_HINT
            ) from exc
        return t
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
        day = parse_date(t, field=field)
        if today is not None and day > today:
            raise ValidationError(
                f"{field} {text!r} is in the future (today is {today.isoformat()})",
                field=field,
                hint=FUTURE_BIRTHDAY_HINT,
            )
        return t
    raise ValidationError(
        f"{field} must be MM-DD or YYYY-MM-DD, not {text!r}", field=field, hint=BIRTHDAY_HINT
    )


# what a row error says of a birthday an import keeps aside, after why [kept-birthdays]
KEPT_BIRTHDAY = "kept as an extra field, as text; the birthday is left empty"


def birthday_refusal(text: str, *, today: date | None = None) -> str | None:
    """Why a birthday an import brings cannot be the contact's birthday, in the words a row error gives
    after the value ("is not a real date", "is in the future"), or None when parse_birthday takes it. The
    import keeps such a value as text in a `birthday` field [kept-birthdays]."""
    try:
        parse_birthday(text, today=today)
    except ValidationError as exc:
        if "in the future" in exc.message:
            return "is in the future"
        if "not a real" in exc.message:
            return "is not a real date"
        return "is not a date pcrm can read"
    return None
