"""Settings [settings-registry]: follow-up intervals, sync schedules, suggestion preferences, the map."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from pcrm.api.schemas.common import In, Out


def _not_a_bool(value: Any) -> Any:
    """JSON true and false are not numbers: pydantic's lax int read them as 1 and 0, so `{"hour": true}`
    set a sync hour of 1 and `{"high": true}` was refused as "not 1"."""
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "must be a whole number, not true or false")
    return value


Whole = Annotated[int | None, BeforeValidator(_not_a_bool)]


class Priority(Out):
    high: int
    medium: int
    low: int


class PriorityIn(In):
    """Intervals in days (7-365); keys left out keep their value, null restores the default."""

    high: Whole = None
    medium: Whole = None
    low: Whole = None


class SyncSource(Out):
    auto_sync: bool
    schedule: Literal["manual", "6h", "12h", "daily"]
    hour: int


class SyncSourceIn(In):
    auto_sync: bool | None = None
    schedule: str | None = Field(default=None, description="manual, 6h, 12h or daily")
    hour: Whole = Field(default=None, description="0-23, for daily syncs")


class SyncSettings(Out):
    gmail: SyncSource
    google_calendar: SyncSource
    google_contacts: SyncSource
    linkedin: SyncSource
    telegram: SyncSource
    twitter: SyncSource
    whatsapp: SyncSource


class SyncSettingsIn(In):
    """Per source, the fields given change; other sources and fields keep their settings."""

    gmail: SyncSourceIn | None = None
    google_calendar: SyncSourceIn | None = None
    google_contacts: SyncSourceIn | None = None
    linkedin: SyncSourceIn | None = None
    telegram: SyncSourceIn | None = None
    twitter: SyncSourceIn | None = None
    whatsapp: SyncSourceIn | None = None


class TelegramSettings(Out):
    sync_2nd_tier: bool


class TelegramSettingsIn(In):
    sync_2nd_tier: bool | None = None


class SuggestionSettings(Out):
    max_suggestions: int
    include_dormant: bool
    birthday_reminders: bool
    preferred_channel: str
    dormancy_threshold_days: int


class SuggestionSettingsIn(In):
    """Keys given change (validated by the settings registry), the rest keep their values."""

    max_suggestions: Whole = None
    include_dormant: bool | None = None
    birthday_reminders: bool | None = None
    preferred_channel: str | None = None
    dormancy_threshold_days: Whole = None


class MapConfig(Out):
    mapbox_public_token: str
