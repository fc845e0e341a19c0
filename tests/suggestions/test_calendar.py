"""The follow-up calendar [followup-calendar]: RFC 5545 structure, folding, stable UIDs, and an independent
parser."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.support.world import NOW, due_history


def ics(cli: Any, now: str = NOW) -> bytes:
    return cli("calendar", "export", "--now", now).stdout_bytes


def _seed(world: Any) -> dict[str, str]:
    long_name = "Zoë Ångström-Þórsdóttir " + "Ünïcödé " * 8
    return {
        "due": world.contact("Due Dana", priority="high", history=due_history(70)),
        "soon": world.contact("Soon Sam", priority="low", history=due_history(10)),
        "leap": world.contact("Leap Lee", birthday="02-29"),
        "born": world.contact("Born Bo", birthday="1990-07-14", history=due_history(5)),
        "long": world.contact(long_name, history=[(3, "inbound")]),
        "archived": world.contact(
            "Archived Al", priority="archived", history=due_history(70), birthday="01-01"
        ),
        "tier": world.contact("Tier Two", tags=["2nd tier"], birthday="01-02"),
    }


def test_crlf_and_folding_at_75_octets(cli, world):
    _seed(world)
    raw = ics(cli)
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # the long name was folded
    for line in lines:
        line.decode("utf-8")  # never split inside a UTF-8 character
    unfolded = raw.replace(b"\r\n ", b"").decode("utf-8")
    assert "SUMMARY:Follow up with Zoë Ångström-Þórsdóttir Ünïcödé" in unfolded


def test_required_properties(cli, world):
    ids = _seed(world)
    text = ics(cli).replace(b"\r\n ", b"").decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//pcrm//")
    assert text.rstrip().endswith("END:VCALENDAR")
    assert text.count("BEGIN:VEVENT") == text.count("END:VEVENT") == text.count("DTSTAMP:20260601T080000Z")
    assert f"UID:followup-{ids['due']}@pcrm" in text and f"UID:birthday-{ids['leap']}@pcrm" in text
    for hidden in ("archived", "tier"):
        assert ids[hidden] not in text


def test_followup_dates_and_all_day(cli, world):
    ids = _seed(world)
    text = ics(cli).replace(b"\r\n ", b"").decode("utf-8")

    def block(uid: str) -> str:
        start = text.index(f"UID:{uid}")
        return text[start : text.index("END:VEVENT", start)]

    assert "DTSTART;VALUE=DATE:20260601" in block(f"followup-{ids['due']}@pcrm")  # overdue -> today
    soon = block(f"followup-{ids['soon']}@pcrm")  # last 2026-05-22 + 180 days
    assert "DTSTART;VALUE=DATE:20261118" in soon and "DTEND;VALUE=DATE:20261119" in soon
    assert "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1" in block(f"birthday-{ids['leap']}@pcrm")
    born = block(f"birthday-{ids['born']}@pcrm")
    assert "DTSTART;VALUE=DATE:19900714" in born and "RRULE:FREQ=YEARLY" in born


def test_uids_stable_across_runs(cli, world):
    import re

    _seed(world)
    first = re.findall(rb"UID:[^\r]+", ics(cli).replace(b"\r\n ", b""))
    second = re.findall(rb"UID:[^\r]+", ics(cli, "2026-06-20T08:00:00Z").replace(b"\r\n ", b""))
    assert first and sorted(first) == sorted(second) and len(set(first)) == len(first)


def test_parsed_by_icalendar_library(cli, world):
    import icalendar

    ids = _seed(world)
    cal = icalendar.Calendar.from_ical(ics(cli))
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert str(cal["VERSION"]) == "2.0" and str(cal["PRODID"]).startswith("-//pcrm//")
    due = events[f"followup-{ids['due']}@pcrm"]
    assert due.decoded("DTSTART") == date(2026, 6, 1)
    assert str(due["SUMMARY"]) == "Follow up with Due Dana"
    assert "high priority: every 30 days" in str(due["DESCRIPTION"])
    long = next(e for e in events.values() if "Ångström" in str(e["SUMMARY"]))
    assert str(long["SUMMARY"]).startswith("Follow up with Zoë Ångström-Þórsdóttir Ünïcödé")
    leap = events[f"birthday-{ids['leap']}@pcrm"]
    rule = leap["RRULE"]
    assert rule["FREQ"] == ["YEARLY"] and rule["BYMONTHDAY"] == [-1] and rule["BYMONTH"] == [2]


def test_leap_birthday_falls_on_feb_28_in_common_years(cli, world):
    from dateutil.rrule import rrulestr

    ids = _seed(world)
    text = ics(cli).replace(b"\r\n ", b"").decode("utf-8")
    start = text.index(f"UID:birthday-{ids['leap']}@pcrm")
    block = text[start : text.index("END:VEVENT", start)]
    rule = block.split("RRULE:")[1].split("\r\n")[0]
    occurrences = list(rrulestr(rule, dtstart=__import__("datetime").datetime(2000, 2, 29)))[:6]
    assert [d.date() for d in occurrences[:5]] == [
        date(2000, 2, 29),
        date(2001, 2, 28),
        date(2002, 2, 28),
        date(2003, 2, 28),
        date(2004, 2, 29),
    ]


def test_birthday_reminders_off_leaves_birthdays_out(cli, world):
    _seed(world)
    world.setting("suggestions.birthday_reminders", False)
    text = ics(cli).decode("utf-8")
    assert "UID:birthday-" not in text and "UID:followup-" in text


def test_export_to_file_and_json(cli, world, tmp_path):
    _seed(world)
    target = tmp_path / "out" / "followups.ics"
    out = cli.json("calendar", "export", "--output", str(target), "--now", NOW)["data"]
    assert out["output"] == str(target) and out["events"] == 6
    assert target.read_bytes() == ics(cli)


def test_export_to_a_file_is_checked_as_every_export_is(cli, world, tmp_path, pcrm_home, dump):
    """`calendar export --output` never writes over the store's own files (it replaced pcrm.db with the
    calendar, so the CRM no longer opened), writes a new file into a folder (a traceback before), and
    replaces an existing file only with --yes off a terminal [confirm-destructive]."""
    _seed(world)
    before = dump()
    db = pcrm_home / "pcrm.db"
    res = cli.json("calendar", "export", "--output", str(db), "--now", NOW, ok=False)
    assert res["error"]["code"] == "bad_request" and "part of the pcrm store" in res["error"]["message"]
    assert res["error"]["hint"] and dump() == before

    folder = tmp_path / "cals"
    folder.mkdir()
    out = cli.json("calendar", "export", "--output", str(folder), "--now", NOW)["data"]
    (made,) = folder.iterdir()
    assert out["output"] == str(made) and made.read_bytes() == ics(cli)

    keep = tmp_path / "precious.txt"
    keep.write_text("precious")
    res = cli.json("calendar", "export", "--output", str(keep), "--now", NOW, ok=False)
    assert res["error"]["details"] == {"confirmation": "required"} and keep.read_text() == "precious"
    cli.json("calendar", "export", "--output", str(keep), "--yes", "--now", NOW)
    assert keep.read_bytes() == ics(cli)


def test_export_ics_json_counts_the_contacts_the_calendar_names(cli, world, tmp_path):
    """`export ics --json` reports the contacts with an event in the file (not archived, not 2nd tier, with
    a follow-up or a birthday shown), not every contact of the store."""
    ids = _seed(world)
    target = tmp_path / "followups.ics"

    def exported() -> tuple[int, int]:
        out = cli.json("export", "ics", "--output", str(target), "--yes", "--now", NOW)["data"]
        text = target.read_text()
        return out["contacts"], sum(1 for i in ids.values() if f"-{i}@pcrm" in text)

    assert exported() == (5, 5)
    world.setting("suggestions.birthday_reminders", False)  # Leap Lee has only a birthday
    assert exported() == (4, 4)


def test_escaping_and_fold_helpers():
    from pcrm.services.calendar import escape_text, fold

    assert escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    line = "SUMMARY:" + "€" * 40
    parts = fold(line).split("\r\n")
    assert (
        all(len(p.encode()) <= 75 for p in parts)
        and "".join(p[1:] if i else p for i, p in enumerate(parts)) == line
    )
