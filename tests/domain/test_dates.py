"""Dates and times as users type them [local-days] [strict-validation]."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pcrm.domain.dates import local_zone, parse_birthday, parse_date, parse_instant, zone
from pcrm.errors import ValidationError

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_parse_date():
    assert parse_date(" 2026-03-14 ", field="d") == date(2026, 3, 14)
    assert parse_date("2024-02-29", field="d") == date(2024, 2, 29)
    for bad in ("2026-02-29", "2026-13-01", "2026-3-14", "14/03/2026", "yesterday", "", "2026-03-14T00:00"):
        with pytest.raises(ValidationError) as e:
            parse_date(bad, field="date_from")
        assert e.value.details["fields"][0]["field"] == "date_from" and e.value.hint


@pytest.mark.parametrize(
    "text, tz, expected",
    [
        ("2026-03-14", UTC, utc(2026, 3, 14)),
        ("2026-03-14", BERLIN, utc(2026, 3, 13, 23)),  # midnight in Berlin (CET)
        ("2026-07-14", BERLIN, utc(2026, 7, 13, 22)),  # CEST
        ("2026-03-14T09:30", BERLIN, utc(2026, 3, 14, 8, 30)),  # naive: read in the zone
        ("2026-03-14T09:30:00Z", BERLIN, utc(2026, 3, 14, 9, 30)),
        ("2026-03-14T09:30:00z", UTC, utc(2026, 3, 14, 9, 30)),
        ("2026-03-14T09:30:00+05:30", UTC, utc(2026, 3, 14, 4, 0)),
        ("2026-03-14 09:30", UTC, utc(2026, 3, 14, 9, 30)),
        ("now", BERLIN, NOW),
        ("NOW", UTC, NOW),
        ("today", UTC, utc(2026, 6, 15, 12)),
        ("yesterday", BERLIN, utc(2026, 6, 14, 10)),  # noon in Berlin
        ("3d ago", UTC, utc(2026, 6, 12, 12)),
        ("2w ago", UTC, utc(2026, 6, 1, 12)),
        ("5h ago", UTC, utc(2026, 6, 15, 7)),
        ("10 d ago", UTC, utc(2026, 6, 5, 12)),
        ("3 days ago", UTC, utc(2026, 6, 12, 12)),
        ("1 day ago", UTC, utc(2026, 6, 14, 12)),
        ("1 week ago", UTC, utc(2026, 6, 8, 12)),
        ("2 hours ago", UTC, utc(2026, 6, 15, 10)),
    ],
)
def test_parse_instant(text, tz, expected):
    got = parse_instant(text, field="at", tz=tz, now=NOW)
    assert got == expected and got.tzinfo is not None


@pytest.mark.parametrize(
    "text", ["", "soon", "3 months ago", "ago", "-3d ago", "2026-02-30", "2026-03-14T25:00", "14.03.2026"]
)
def test_parse_instant_refuses(text):
    with pytest.raises(ValidationError) as e:
        parse_instant(text, field="occurred_at", tz=UTC, now=NOW)
    assert e.value.details["fields"][0]["field"] == "occurred_at" and "e.g." in e.value.hint


def test_relative_words_need_a_now():
    with pytest.raises(ValidationError):
        parse_instant("yesterday", field="at")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12-10", "12-10"),
        ("02-29", "02-29"),
        ("1815-12-10", "1815-12-10"),
        ("2000-02-29", "2000-02-29"),
        ("--1210", "12-10"),
        ("--12-10", "12-10"),
        ("  ", None),
        (None, None),
    ],
)
def test_parse_birthday(text, expected):
    assert parse_birthday(text) == expected


@pytest.mark.parametrize("text", ["02-30", "13-01", "00-10", "1815/12/10", "2001-02-29", "Dec 10", "1210"])
def test_parse_birthday_refuses(text):
    with pytest.raises(ValidationError) as e:
        parse_birthday(text)
    assert e.value.hint


def test_zone():
    assert zone("Europe/Berlin") == BERLIN
    assert zone(None) is not None
    with pytest.raises(ValidationError) as e:
        zone("Mars/Olympus")
    assert "IANA" in e.value.hint


@pytest.mark.parametrize("name", ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"])
def test_the_system_zone_gives_each_moment_its_own_offset(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a `timezone` setting: the machine's zone agrees with zoneinfo on every quarter hour of a
    year, both ways (UTC to wall time, wall time to UTC, the hour seen twice and the hour skipped)."""
    monkeypatch.setenv("TZ", name)
    time.tzset()
    try:
        system, real = local_zone(), ZoneInfo(name)
        t = utc(2026, 1, 1)
        while t < utc(2027, 1, 1):
            shown = t.astimezone(system)
            expected = t.astimezone(real)
            assert (shown.replace(tzinfo=None), shown.fold, shown.utcoffset()) == (
                expected.replace(tzinfo=None),
                expected.fold,
                expected.utcoffset(),
            ), t
            for fold in (0, 1):
                wall = expected.replace(tzinfo=None, fold=fold)
                assert wall.replace(tzinfo=system).utcoffset() == wall.replace(tzinfo=real).utcoffset()
            t += timedelta(minutes=15)
        assert datetime(2026, 7, 1, tzinfo=system).tzname() == datetime(2026, 7, 1, tzinfo=real).tzname()
    finally:
        monkeypatch.undo()
        time.tzset()
