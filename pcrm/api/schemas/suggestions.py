"""Follow-up suggestions [followup-engine]."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from pcrm.api.schemas.common import In, Out


class SuggestionContact(Out):
    id: str
    full_name: str | None
    given_name: str | None
    family_name: str | None
    company: str | None
    title: str | None
    avatar_url: str | None
    telegram_username: str | None
    twitter_handle: str | None
    linkedin_profile_id: str | None
    linkedin_url: str | None
    last_interaction_at: str | None
    display_name: str = Field(description="How lists show the contact: its name, else an address or number")


class Suggestion(Out):
    id: str
    contact_id: str
    contact: SuggestionContact
    trigger_type: Literal[
        "time_based", "event_based", "scheduled", "birthday", "dormant_deep", "dormant_mid", "dormant_event"
    ]
    trigger_event_id: str | None
    pool: Literal["A", "B"] | None
    reason: str | None
    suggested_message: str
    suggested_channel: str
    status: Literal["pending", "snoozed", "dismissed", "sent"]
    dismissed_by: Literal["user", "system"] | None
    scheduled_for: str | None
    created_at: str
    updated_at: str


class GenerateMeta(Out):
    generated: int
    locked: bool | None = Field(default=None, description="true: another run held the lock; nothing made.")


class SuggestionUpdateIn(In):
    """Status values and times are checked by the service: an unknown status is 400, snoozing without a
    time 422."""

    status: str | None = Field(default=None, description="pending, snoozed, dismissed or sent")
    snooze_until: str | None = Field(default=None, description="ISO 8601; needed with status snoozed")
    scheduled_for: str | None = Field(default=None, description="the same as snooze_until")
    suggested_message: str | None = None
    suggested_channel: str | None = Field(
        default=None, description="email, telegram, twitter, linkedin, whatsapp"
    )


class RegenerateIn(In):
    channel: str | None = Field(default=None, description="email, telegram, twitter, linkedin or whatsapp")


class Regenerated(Out):
    suggested_message: str
    suggested_channel: str
