"""The profile rules [telegram-bios]: last seen, the X handle in a bio, birthdays, bio events by keyword."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pcrm.domain import profiles

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)
WAS = datetime(2026, 4, 20, 8, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("online", NOW),
        ("offline", WAS),
        ("recently", NOW - timedelta(days=1)),
        ("last_week", NOW - timedelta(days=4)),
        ("last_month", NOW - timedelta(days=15)),
        ("hidden", None),
        (None, None),
    ],
)
def test_last_seen_mapping(kind: profiles.LastSeen | None, expected: datetime | None) -> None:
    assert profiles.last_seen_at(kind, WAS, NOW) == expected


@pytest.mark.parametrize(
    ("bio", "handle"),
    [
        ("Designer. twitter.com/Ada_L", "ada_l"),
        ("https://x.com/@grace_h and more", "grace_h"),
        ("see x.com/home or x.com/search then x.com/real_one", "real_one"),
        ("Twitter: @AdaLovelace", "adalovelace"),
        ("tw: @someone", "someone"),
        ("𝕏 @xuser", "xuser"),
        ("I love @cats", None),  # an @mention without a word about X
        ("twitter @telegram @phone @real", "real"),
        ("mail me: ada@example.com, twitter fan", None),
        ("twitter.com/this_handle_is_far_too_long", None),
        (None, None),
    ],
)
def test_twitter_handle_from_a_bio(bio: str | None, handle: str | None) -> None:
    assert profiles.twitter_handle(bio) == handle


def test_birthday_with_and_without_a_year() -> None:
    assert profiles.birthday(14, 3, 1990) == "1990-03-14"
    assert profiles.birthday(2, 7, None) == "07-02"
    assert profiles.birthday(0, 7, None) is None and profiles.birthday(2, 13, None) is None
