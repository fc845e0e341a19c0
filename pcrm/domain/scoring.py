"""The relationship score of [score-formula] as pure functions.

`inputs_from_interactions` builds the aggregates from plain interaction records; the store computes the
same aggregates in SQL (store/interactions.score_inputs). Both feed `score`, so there is one formula.

pcrm choices [future-interactions] [notes-and-logs]: only interactions with occurred_at <= now count; notes
(direction `note`) count toward activity (recency via last_any, frequency, lifetime count, tenure) but never
toward reciprocity (they are neither inbound nor outbound) nor breadth (a note is not a channel).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

WINDOWS = {"d30": 30, "d90": 90, "d365": 365, "d730": 730, "d1825": 1825}
MAXIMA = {"reciprocity": 4, "recency": 3, "frequency": 2, "breadth": 1, "tenure": 2}

# How many days after an interaction at time t a contact's score can change with no new data: when t
# leaves a window (t + 30, 90, 365, 730, 1825 days: `t >= now - W` stops holding), when recency's day
# count passes 7, 30 or 90 (`(now - base).days` reaches 8, 31, 91), when tenure's years reach 1 or 2
# (`days / 365.25 >= 1` from day 366, `>= 2` from day 731), and at t itself (a future-dated interaction
# starts to count). Any new constant in the functions below must be added here (tests compare).
BOUNDARY_DAYS = (0, 8, 30, 31, 90, 91, 365, 366, 730, 731, 1825)


@dataclass(frozen=True)
class ScoreInputs:
    inbound: int = 0
    outbound: int = 0
    inbound_1_2y: int = 0
    outbound_1_2y: int = 0
    inbound_2_5y: int = 0
    outbound_2_5y: int = 0
    last_inbound: datetime | None = None
    last_any: datetime | None = None
    c30: int = 0
    c90: int = 0
    c365: int = 0
    c1_2y: int = 0
    c2_5y: int = 0
    platforms: tuple[str, ...] = ()
    lifetime_count: int = 0
    first_at: datetime | None = None


@dataclass(frozen=True)
class ScoreBreakdown:
    reciprocity: int
    recency: int
    frequency: int
    breadth: int
    tenure: int
    total: int
    inputs: ScoreInputs = field(repr=False)

    def dimensions(self) -> dict[str, dict[str, int]]:
        return {k: {"value": getattr(self, k), "max": m} for k, m in MAXIMA.items()}


class InteractionLike(Protocol):
    platform: str
    direction: str
    occurred_at: datetime


def inputs_from_interactions(items: Iterable[InteractionLike], now: datetime) -> ScoreInputs:
    """The [score-formula] aggregates computed in Python over interaction records (the reference for the SQL
    path)."""
    d = {k: now - timedelta(days=v) for k, v in WINDOWS.items()}
    agg = dict.fromkeys(
        [
            "inbound",
            "outbound",
            "inbound_1_2y",
            "outbound_1_2y",
            "inbound_2_5y",
            "outbound_2_5y",
            "c30",
            "c90",
            "c365",
            "c1_2y",
            "c2_5y",
            "lifetime_count",
        ],
        0,
    )
    last_inbound = last_any = first_at = None
    platforms: set[str] = set()
    for it in items:
        t = it.occurred_at
        if t > now:
            continue
        agg["lifetime_count"] += 1
        first_at = t if first_at is None or t < first_at else first_at
        last_any = t if last_any is None or t > last_any else last_any
        if it.direction != "note" and it.platform:
            platforms.add(it.platform)
        if it.direction == "inbound":
            last_inbound = t if last_inbound is None or t > last_inbound else last_inbound
        for dirn in ("inbound", "outbound"):
            if it.direction == dirn:
                if t >= d["d365"]:
                    agg[dirn] += 1
                elif t >= d["d730"]:
                    agg[f"{dirn}_1_2y"] += 1
                elif t >= d["d1825"]:
                    agg[f"{dirn}_2_5y"] += 1
        if t >= d["d30"]:
            agg["c30"] += 1
        elif t >= d["d90"]:
            agg["c90"] += 1
        elif t >= d["d365"]:
            agg["c365"] += 1
        elif t >= d["d730"]:
            agg["c1_2y"] += 1
        elif t >= d["d1825"]:
            agg["c2_5y"] += 1
    return ScoreInputs(
        last_inbound=last_inbound,
        last_any=last_any,
        first_at=first_at,
        platforms=tuple(sorted(platforms)),
        **agg,
    )


def reciprocity(i: ScoreInputs) -> int:
    eff_in = i.inbound + 0.05 * i.inbound_1_2y + 0.02 * i.inbound_2_5y
    eff_out = i.outbound + 0.05 * i.outbound_1_2y + 0.02 * i.outbound_2_5y
    if eff_in == 0 or eff_out == 0:
        return 0
    return round(4 * min(eff_in, eff_out) / max(eff_in, eff_out))


def recency(i: ScoreInputs, now: datetime) -> int:
    if i.last_inbound is not None:
        base, mult = i.last_inbound, 1.0
    elif i.last_any is not None:
        base, mult = i.last_any, 0.5
    else:
        return 0
    days = (now - base).days
    raw = 3 if days <= 7 else 2 if days <= 30 else 1 if days <= 90 else 0
    return round(raw * mult)


def frequency(i: ScoreInputs) -> int:
    weighted = i.c30 * 1.0 + i.c90 * 0.3 + i.c365 * 0.1 + i.c1_2y * 0.05 + i.c2_5y * 0.02
    return 2 if weighted >= 8 else 1 if weighted >= 3 else 0


def breadth(i: ScoreInputs) -> int:
    return 1 if len([p for p in i.platforms if p]) >= 2 else 0


def tenure(i: ScoreInputs, now: datetime) -> int:
    if i.first_at is None:
        return 0
    years = (now - i.first_at).days / 365.25
    if i.lifetime_count >= 50 and years >= 2:
        return 2
    if i.lifetime_count >= 20 and years >= 1:
        return 1
    return 0


def total(i: ScoreInputs, now: datetime) -> int:
    """The score alone, without building the breakdown (the batch path's hot loop)."""
    return min(10, reciprocity(i) + recency(i, now) + frequency(i) + breadth(i) + tenure(i, now))


def score(i: ScoreInputs, now: datetime) -> ScoreBreakdown:
    parts = {
        "reciprocity": reciprocity(i),
        "recency": recency(i, now),
        "frequency": frequency(i),
        "breadth": breadth(i),
        "tenure": tenure(i, now),
    }
    return ScoreBreakdown(total=min(10, sum(parts.values())), inputs=i, **parts)


def tier(value: int) -> str:
    """List-filter tiers [score-formula]: strong >= 8, active 4-7, dormant <= 3."""
    return "strong" if value >= 8 else "active" if value >= 4 else "dormant"


def crossing_ranges(t0: datetime, t1: datetime) -> list[tuple[datetime, datetime]]:
    """Closed ranges of interaction times that have a boundary (BOUNDARY_DAYS) in [t0, t1], merged. A
    contact with no interaction in any of them scores the same at t1 as at t0."""
    spans = sorted((t0 - timedelta(days=d), t1 - timedelta(days=d)) for d in BOUNDARY_DAYS)
    merged: list[tuple[datetime, datetime]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged
