"""Interactions: notes, messages and events on a contact's timeline."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from pcrm.api.schemas.common import AnyCase, In, Out


class InteractionIn(In):
    platform: str | None = Field(default=None, description="default manual")
    direction: Annotated[Literal["inbound", "outbound", "mutual", "event", "note"], AnyCase] | None = Field(
        default=None, description="default note for manual, else outbound"
    )
    content_preview: str | None = None
    raw_reference_id: str | None = None
    occurred_at: str | None = Field(default=None, description="ISO 8601; default now")


class InteractionPatch(In):
    content_preview: str | None = None


class Interaction(Out):
    id: str
    contact_id: str
    platform: str
    direction: Literal["inbound", "outbound", "mutual", "event", "note"]
    content_preview: str | None
    raw_reference_id: str | None
    is_read_by_recipient: bool | None
    call_type: Literal["phone", "video"] | None
    duration_seconds: int | None
    extra_data: Any | None
    occurred_at: str
    created_at: str
    updated_at: str | None


class RecentActivity(Out):
    type: Literal["message"]
    contact_id: str
    contact_name: str | None
    contact_avatar_url: str | None
    platform: str
    direction: Literal["inbound", "outbound", "mutual", "event", "note"]
    content_preview: str | None
    timestamp: str
