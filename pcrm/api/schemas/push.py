"""The extension's pushes [extension-push]. Items are checked one by one by the services (a bad item is
reported while the others are stored), so the bodies here only fix the envelope of a push."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pcrm.api.schemas.common import Out


class _Push(BaseModel):
    model_config = ConfigDict(extra="allow")


class LinkedInPushIn(_Push):
    profiles: list[Any] = Field(default=[], description="At most 50 profiles (more: 413).")
    messages: list[Any] = Field(default=[], description="At most 500 messages (more: 413).")
    enrich_only: bool = Field(default=False, description="Only update contacts that exist already.")


class MetaPushIn(_Push):
    platform: Literal["facebook", "instagram"]
    profiles: list[Any] = Field(default=[], description="At most 50 profiles (more: 413).")
    messages: list[Any] = Field(default=[], description="At most 500 messages (more: 413).")


class LinkedInBackfill(Out):
    contact_id: str
    linkedin_profile_id: str | None
    linkedin_url: str | None


class MetaBackfill(Out):
    contact_id: str
    platform_id: str | None
    platform: str


class _Pushed(Out):
    contacts_created: int
    contacts_updated: int
    interactions_created: int
    interactions_skipped: int
    errors: list[str] = Field(
        description="One line per malformed item (`messages[3]: ...`); the rest was stored."
    )


class LinkedInPushed(_Pushed):
    backfill_needed: list[LinkedInBackfill]


class MetaPushed(_Pushed):
    backfill_needed: list[MetaBackfill]


class PushMeta(Out):
    batch_id: str | None = Field(description="The import batch (`pcrm import undo BATCH` reverts the push).")
