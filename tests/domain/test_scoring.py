"""The [score-formula] relationship score as pure functions, against every [score-formula] "Scoring"
expectation (fixed now)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from pcrm.domain.scoring import (
    MAXIMA,
    ScoreInputs,
    breadth,
    frequency,
    inputs_from_interactions,
    recency,
    reciprocity,
    score,
    tenure,
    tier,
)

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


@dataclass
class It:
    platform: str
    direction: str
    occurred_at: datetime


def ago(days: float, hours: float = 0) -> datetime:
    return NOW - timedelta(days=days, hours=hours)


def total(items: list[It]) -> int:
    return score(inputs_from_interactions(items, NOW), NOW).total


# ------------------------------------------------------------------ [score-formula] expectations


def test_no_interactions_scores_zero():
    b = score(inputs_from_interactions([], NOW), NOW)
    assert b.total == 0
    assert (b.reciprocity, b.recency, b.frequency, b.breadth, b.tenure) == (0, 0, 0, 0, 0)


def test_four_outbound_only_messages_over_a_year_score_at_most_two():
    # (four in the last few days would be recency 2 + frequency 1: "over a year" is what [score-formula]
    # tests)
    for offsets in ((5, 100, 200, 300), (1, 120, 240, 360), (80, 150, 250, 360), (0, 91, 182, 364)):
        items = [It("email", "outbound", ago(d)) for d in offsets]
        b = score(inputs_from_interactions(items, NOW), NOW)
        assert b.reciprocity == 0
        assert b.total <= 2, offsets


def test_eight_out_six_in_over_two_weeks_on_two_platforms_scores_at_least_seven():
    items = [It("email", "outbound", ago(d)) for d in range(1, 15, 2)] + [It("telegram", "outbound", ago(13))]
    items += [It("telegram", "inbound", ago(d, 5)) for d in range(2, 14, 2)]
    assert (
        sum(i.direction == "outbound" for i in items) == 8
        and sum(i.direction == "inbound" for i in items) == 6
    )
    b = score(inputs_from_interactions(items, NOW), NOW)
    assert b.total >= 7
    assert (b.reciprocity, b.recency, b.frequency, b.breadth) == (3, 3, 2, 1)  # round(4 * 6/8) = 3


@pytest.mark.parametrize("days", [55, 57, 60])
def test_three_and_three_balanced_about_two_months_ago_scores_four_to_six(days):
    items = [It("email", "inbound", ago(days, h)) for h in (1, 2, 3)]
    items += [It("email", "outbound", ago(days, h)) for h in (4, 5, 6)]
    b = score(inputs_from_interactions(items, NOW), NOW)
    assert 4 <= b.total <= 6
    assert (b.reciprocity, b.recency, b.frequency) == (4, 1, 0)  # 6 * 0.3 = 1.8 < 3


@pytest.mark.parametrize(
    "pattern",
    [
        [("inbound", 1), ("outbound", 2)],
        [("outbound", 40), ("outbound", 100)],
        [("inbound", 3)] * 5 + [("outbound", 4)] * 5,
        [("inbound", 200), ("outbound", 500)],
    ],
)
def test_two_platforms_give_exactly_one_more_than_one_platform(pattern):
    one = [It("email", d, ago(n)) for d, n in pattern]
    two = [It("email" if k % 2 else "telegram", d, ago(n)) for k, (d, n) in enumerate(pattern)]
    assert len({i.platform for i in two}) == 2
    assert total(two) == total(one) + 1


def test_never_above_ten():
    items = [
        It(p, d, ago(k * 2))
        for k in range(600)
        for p, d in [(("email", "telegram", "twitter")[k % 3], ("inbound", "outbound")[k % 2])]
    ]
    items += [It("email", "inbound", ago(0, 1)), It("email", "outbound", ago(0, 2))] * 20
    b = score(inputs_from_interactions(items, NOW), NOW)
    raw = b.reciprocity + b.recency + b.frequency + b.breadth + b.tenure
    assert raw == 12 and b.total == 10
    assert sum(MAXIMA.values()) == 12


def test_four_in_four_out_gives_full_reciprocity():
    items = [It("email", "inbound", ago(d)) for d in (10, 20, 30, 40)]
    items += [It("email", "outbound", ago(d)) for d in (11, 21, 31, 41)]
    assert score(inputs_from_interactions(items, NOW), NOW).reciprocity == 4


def test_platform_names_are_listed():
    items = [
        It("email", "inbound", ago(1)),
        It("telegram", "outbound", ago(2)),
        It("email", "outbound", ago(3)),
        It("manual", "note", ago(4)),
    ]
    assert inputs_from_interactions(items, NOW).platforms == ("email", "telegram")


@pytest.mark.parametrize(
    "count, first_days, expected",
    [
        (19, 400, 0),  # too few
        (20, 365, 0),  # 365 / 365.25 < 1 year
        (20, 366, 1),
        (49, 1000, 1),  # 49 rows: never 2
        (50, 730, 1),  # 730 / 365.25 < 2 years
        (50, 731, 2),
        (200, 20, 0),  # many rows, short tenure
    ],
)
def test_tenure_thresholds(count, first_days, expected):
    items = [It("email", "outbound", ago(first_days))] + [
        It("email", "outbound", ago(1)) for _ in range(count - 1)
    ]
    i = inputs_from_interactions(items, NOW)
    assert i.lifetime_count == count
    assert tenure(i, NOW) == expected


def test_old_rows_still_count_toward_frequency_and_reciprocity():
    # 1-2y: weight 0.05; 2-5y: weight 0.02
    recent_in = [It("email", "inbound", ago(3))]
    old_out = [It("email", "outbound", ago(500)) for _ in range(20)]  # effective 1.0
    assert reciprocity(inputs_from_interactions(recent_in + old_out, NOW)) == 4
    older_out = [It("email", "outbound", ago(1000)) for _ in range(25)]  # effective 0.5
    assert reciprocity(inputs_from_interactions(recent_in + older_out, NOW)) == 2
    beyond = [It("email", "outbound", ago(1900)) for _ in range(100)]  # older than 5y: nothing
    assert reciprocity(inputs_from_interactions(recent_in + beyond, NOW)) == 0
    assert frequency(inputs_from_interactions([It("email", "inbound", ago(400))] * 60, NOW)) == 1  # 3.0
    assert frequency(inputs_from_interactions([It("email", "inbound", ago(1000))] * 150, NOW)) == 1  # 3.0
    assert frequency(inputs_from_interactions([It("email", "inbound", ago(1000))] * 149, NOW)) == 0


# ------------------------------------------------------------------ each dimension, exactly


@pytest.mark.parametrize(
    "inbound, outbound, expected",
    [
        (0, 0, 0),
        (0, 5, 0),
        (5, 0, 0),
        (1, 1, 4),
        (5, 8, 2),  # 4 * 5/8 = 2.5 -> 2 (halves to even)
        (3, 8, 2),  # 1.5 -> 2
        (1, 8, 0),  # 0.5 -> 0
        (7, 8, 4),  # 3.5 -> 4
        (1, 2, 2),
        (1, 3, 1),
    ],
)
def test_reciprocity(inbound, outbound, expected):
    assert reciprocity(ScoreInputs(inbound=inbound, outbound=outbound)) == expected


@pytest.mark.parametrize(
    "last_inbound, last_any, expected",
    [
        (None, None, 0),
        (7, 7, 3),
        (8, 8, 2),
        (30, 0, 2),
        (31, 0, 1),
        (90, 0, 1),
        (91, 0, 0),
        (None, 0, 2),  # outbound only: 3 * 0.5 = 1.5 -> 2
        (None, 7, 2),
        (None, 8, 1),  # 2 * 0.5 = 1.0 -> 1
        (None, 31, 0),  # 1 * 0.5 = 0.5 -> 0
    ],
)
def test_recency(last_inbound, last_any, expected):
    i = ScoreInputs(
        last_inbound=None if last_inbound is None else ago(last_inbound, 1),
        last_any=None if last_any is None else ago(last_any, 1),
    )
    assert recency(i, NOW) == expected


def test_recency_counts_whole_days():
    assert recency(ScoreInputs(last_inbound=ago(7, 23), last_any=ago(7, 23)), NOW) == 3
    assert recency(ScoreInputs(last_inbound=ago(8), last_any=ago(8)), NOW) == 2


@pytest.mark.parametrize(
    "counts, expected",
    [
        ({}, 0),
        ({"c30": 2}, 0),
        ({"c30": 3}, 1),
        ({"c30": 7}, 1),
        ({"c30": 8}, 2),
        ({"c90": 10}, 1),
        ({"c90": 9}, 0),  # 3.0 and 2.7
        ({"c365": 30}, 1),
        ({"c30": 5, "c90": 10}, 2),  # 3.0 and 8.0
        ({"c1_2y": 60}, 1),
        ({"c2_5y": 150}, 1),
    ],
)
def test_frequency(counts, expected):
    assert frequency(ScoreInputs(**counts)) == expected


def test_breadth():
    assert breadth(ScoreInputs(platforms=("email",))) == 0
    assert breadth(ScoreInputs(platforms=("email", "telegram"))) == 1
    assert breadth(ScoreInputs(platforms=("", "email"))) == 0


def test_notes_are_activity_but_neither_reciprocity_nor_breadth():
    notes = [It("manual", "note", ago(d)) for d in (1, 2, 3, 4, 5, 6, 7, 8)]
    i = inputs_from_interactions(notes, NOW)
    assert (i.inbound, i.outbound, i.platforms) == (0, 0, ())
    assert (i.c30, i.lifetime_count, i.last_any, i.last_inbound) == (8, 8, ago(1), None)
    b = score(i, NOW)
    assert (b.reciprocity, b.recency, b.frequency, b.breadth) == (0, 2, 2, 0)
    with_mail = [*notes, It("email", "inbound", ago(2))]
    assert score(inputs_from_interactions(with_mail, NOW), NOW).breadth == 0


def test_meetings_and_events_count_toward_neither_direction():
    items = [It("meeting", "mutual", ago(1)), It("twitter", "event", ago(2)), It("email", "inbound", ago(3))]
    i = inputs_from_interactions(items, NOW)
    assert (i.inbound, i.outbound, i.lifetime_count) == (1, 0, 3)
    assert i.platforms == ("email", "meeting", "twitter")


def test_future_rows_do_not_count():
    items = [It("email", "inbound", NOW + timedelta(days=1)), It("email", "outbound", ago(3))]
    i = inputs_from_interactions(items, NOW)
    assert (i.lifetime_count, i.inbound, i.last_inbound, i.last_any) == (1, 0, None, ago(3))


def test_breakdown_dimensions_and_tiers():
    b = score(ScoreInputs(inbound=1, outbound=1, last_inbound=ago(1), last_any=ago(1), c30=2), NOW)
    assert b.dimensions() == {
        "reciprocity": {"value": 4, "max": 4},
        "recency": {"value": 3, "max": 3},
        "frequency": {"value": 0, "max": 2},
        "breadth": {"value": 0, "max": 1},
        "tenure": {"value": 0, "max": 2},
    }
    assert [tier(v) for v in (0, 3, 4, 7, 8, 10)] == [
        "dormant",
        "dormant",
        "active",
        "active",
        "strong",
        "strong",
    ]
