"""The follow-up calendar [followup-calendar]: an RFC 5545 iCalendar feed of who to contact when, and
birthdays.

- Non-archived, non-2nd-tier contacts. A follow-up is an all-day event on
  max(today, last interaction + the priority's interval), UID `followup-{id}@pcrm`.
- Birthdays are yearly all-day events, UID `birthday-{id}@pcrm`; a Feb 29 birthday recurs on the last
  day of February (Feb 28 in other years). `suggestions.birthday_reminders=false` leaves them out.
- CRLF line ends, lines folded at 75 octets without splitting a UTF-8 character, TEXT values escaped.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, timedelta
from pathlib import Path
from typing import Any

from pcrm import paths
from pcrm.clock import parse_iso
from pcrm.errors import Unauthorized
from pcrm.services import tokens
from pcrm.services.context import Context, Result
from pcrm.store import activity as store
from pcrm.store import contacts as cstore

PRODID = "-//pcrm//Follow-up calendar 1.0//EN"
MAX_OCTETS = 75


def escape_text(value: str) -> str:
    """RFC 5545 §3.3.11 TEXT escaping."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line so no physical line exceeds 75 octets (continuations start with a space)."""
    parts: list[str] = []
    cur: list[str] = []
    size = 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > MAX_OCTETS:
            parts.append("".join(cur))
            cur, size = [" "], 1
        cur.append(ch)
        size += n
    parts.append("".join(cur))
    return "\r\n".join(parts)


def _day(d: date) -> str:
    return d.strftime("%Y%m%d")


def _event(
    uid: str, stamp: str, start: date, summary: str, description: str | None, rrule: str | None = None
) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp}", f"DTSTART;VALUE=DATE:{_day(start)}"]
    if rrule:
        lines.append(f"RRULE:{rrule}")
    else:
        lines.append(f"DTEND;VALUE=DATE:{_day(start + timedelta(days=1))}")
    lines.append(f"SUMMARY:{escape_text(summary)}")
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    return lines


def _birthday_start(birthday: str) -> tuple[date, str] | None:
    """The first occurrence and the RRULE of a stored birthday (`MM-DD` or `YYYY-MM-DD`)."""
    md = birthday[-5:]
    month, day = int(md[:2]), int(md[3:])
    year = int(birthday[:4]) if len(birthday) == 10 else 2000  # 2000 is a leap year
    if (month, day) == (2, 29):
        if not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
            year = 2000
        return date(year, 2, 29), "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"
    try:
        return date(year, month, day), "FREQ=YEARLY"
    except ValueError:
        return None


def _contact_events(ctx: Context) -> Iterator[tuple[str, tuple[date, list[str]] | None, list[str] | None]]:
    """(uuid, its follow-up (due day, event) or None, its birthday event or None) of each contact the
    calendar may name; one place decides which contacts have which events, for the calendar and its count."""
    now = ctx.now()
    tz = ctx.tz()
    today = now.astimezone(tz).date()
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    intervals = {lvl: int(ctx.setting(f"priority.{lvl}")) for lvl in ("high", "medium", "low")}
    birthdays_on = bool(ctx.setting("suggestions.birthday_reminders"))
    found = store.calendar_contacts(ctx.conn)
    shown = cstore.display_names(ctx.conn, [r[5] for r in found if not r[1]])  # [display-name]
    for uuid, name, level, last, birthday, cid in found:
        who = name or shown.get(cid) or "(no name)"
        followup = None
        if last and level in intervals:
            last_day = parse_iso(last).astimezone(tz).date()
            due = max(today, last_day + timedelta(days=intervals[level]))
            desc = (
                f"Last interaction {last_day.isoformat()}; {level} priority: every {intervals[level]} days.\n"
                f"pcrm contacts show {uuid}"
            )
            followup = (due, _event(f"followup-{uuid}@pcrm", stamp, due, f"Follow up with {who}", desc))
        first = _birthday_start(birthday) if birthday and birthdays_on else None
        born = (
            _event(f"birthday-{uuid}@pcrm", stamp, first[0], f"{who}'s birthday", None, first[1])
            if first
            else None
        )
        yield uuid, followup, born


def calendar_contact_count(ctx: Context) -> int:
    """How many contacts the calendar has an event for (what `pcrm export ics` reports as written)."""
    return sum(1 for _, followup, born in _contact_events(ctx) if followup or born)


def calendar_event_count(ctx: Context) -> int:
    """How many events the calendar holds: a contact's follow-up and birthday are one each
    [calendar-counts]."""
    return sum(bool(followup) + bool(born) for _, followup, born in _contact_events(ctx))


def follow_up_calendar(ctx: Context) -> str:
    """The whole calendar as text (what `pcrm export ics` writes and GET /calendar.ics serves)."""
    return _calendar(ctx)[0]


def _calendar(ctx: Context) -> tuple[str, int]:
    """The calendar as text and how many contacts it has an event for, read in one pass."""
    followups: list[tuple[date, str, list[str]]] = []
    birthdays: list[list[str]] = []
    contacts = 0
    for uuid, followup, born in _contact_events(ctx):
        contacts += bool(followup or born)
        if followup:
            followups.append((followup[0], uuid, followup[1]))
        if born:
            birthdays.append(born)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:pcrm follow-ups",
    ]
    for _, _, ev in sorted(followups, key=lambda t: (t[0], t[1])):
        lines += ev
    for ev in birthdays:
        lines += ev
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines), contacts


def output_path(ctx: Context, output: str) -> Path:
    """Where `pcrm calendar export --output` writes: a missing folder is created (0700), then the target is
    checked as every export's is (`exports.output_file`): never one of the store's own files (writing the
    calendar over `pcrm.db` destroyed the CRM), a new file inside a folder. Whether it replaces an existing
    file is the caller's question [confirm-destructive]."""
    from pcrm.services import exports  # the file export's helpers; the feed never loads them

    p = Path(output).expanduser()
    if not p.is_dir():
        paths.private_dir(p.parent)
    return exports.output_file(ctx, str(p), "ics", replace=True)


def export_ics(ctx: Context, output: str | None = None, *, replace: bool = False) -> Result:
    """`pcrm calendar export [--output FILE]`: the calendar written to FILE (see output_path; an existing
    file only with `replace`, written whole or not at all), or returned as text.
    data = {output, contacts, events, bytes} (+ ics when no file was given): the contacts and events counted
    as `pcrm export ics` counts them [calendar-counts]."""
    from pcrm.services import exports

    text, contacts = _calendar(ctx)
    events = text.count("BEGIN:VEVENT")
    data: dict[str, Any] = {
        "output": None,
        "contacts": contacts,
        "events": events,
        "bytes": len(text.encode("utf-8")),
    }
    if output:
        target = str(output_path(ctx, output))
        path, _ = exports.write_chunks(  # [private-files]
            ctx, [text.encode("utf-8")], output=target, suffix="ics", replace=replace
        )
        data["output"] = str(path)
    else:
        data["ics"] = text
    return Result(data)


def calendar_feed(ctx: Context, token: str | None) -> Result:
    """GET /api/v1/calendar.ics?token=...: the calendar for a live calendar token [public-routes], else 401.
    data = the calendar text. The token is never repeated in errors or logs."""
    if tokens.verify_calendar_token(ctx, token) is None:
        raise Unauthorized(
            "the calendar feed needs a live calendar token in ?token=",
            hint="create one with `pcrm token create --calendar NAME` (API tokens do not open it)",
        )
    return Result(follow_up_calendar(ctx))


def ics_chunks(ctx: Context) -> Iterator[bytes]:
    """The calendar as an exporter for `pcrm export ics` (services/exports.py's contract)."""
    yield follow_up_calendar(ctx).encode("utf-8")
