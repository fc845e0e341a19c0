"""Relationship scores and the activity behind them [score-formula]."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from pcrm.api.schemas.common import Out


class ScoresRecalculated(Out):
    updated: int


class RecalcMeta(Out):
    changed: int


class ScoreDimension(Out):
    value: int
    max: int


class ActivityStats(Out):
    inbound_365d: int
    outbound_365d: int
    count_30d: int
    count_90d: int
    platforms: list[str]
    interaction_count: int
    first_interaction_at: str | None


class MonthCount(Out):
    month: str = Field(description="YYYY-MM in the `timezone` setting")
    count: int


class DetectedEvent(Out):
    id: str
    event_type: str = Field(description="job_change, fundraising, product_launch, promotion, milestone, ...")
    confidence: float
    summary: str | None
    details: dict[str, Any] | None = Field(
        description="a job_change: old_company, new_company, old_title, new_title, old_typed (the old "
        "position's fields the user had typed), source"
    )
    source_url: str | None
    detected_at: str


class Reaction(Out):
    interaction_id: str = Field(description="the message reacted to")
    message: str | None = Field(description="its text")
    by: str = Field(description="`you` or `them`")
    type: str = Field(description="the platform's word for it: X's `like`, `funny`, ... (`emoji` for one)")
    emoji: str | None
    at: str | None = Field(description="when, UTC; the message's time when the platform gives none")


class ContactActivity(Out):
    score: int
    dimensions: dict[str, ScoreDimension]
    stats: ActivityStats
    monthly_trend: list[MonthCount]
    events: list[DetectedEvent] = Field(description="the contact's detected events, newest first")
    reactions: list[Reaction] = Field(
        default_factory=list,
        description="reactions on the contact's 20 newest messages that have any (an X DM's), newest first; "
        "kept on the message (`extra_data.reactions`), no interactions of their own",
    )
