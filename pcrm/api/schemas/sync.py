"""Sync history [sync-runs]."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from pcrm.api.schemas.common import Out, skip_hint, skip_words


class SyncRun(Out):
    id: str
    platform: str
    sync_type: Literal["manual", "scheduled", "webhook"]
    status: Literal["started", "success", "failed", "partial"]
    records_created: int
    records_updated: int
    records_failed: int
    duration_ms: int | None
    error_message: str | None
    details: str | None = Field(description="A JSON string.")
    started_at: str
    completed_at: str | None


class SyncPlatformStats(Out):
    total_syncs: int
    success_count: int
    failed_count: int
    partial_count: int = Field(
        description="Runs that wrote some batches, then failed (not in the reference)."
    )
    success_rate: float
    last_sync: str | None


class TaskStarted(Out):
    status: Literal["started"]
    task_id: str = Field(description="The sync-history row of the run: GET /tasks/{task_id}.")
    source: str


class ContactSyncResult(Out):
    new_interactions: int
    skipped: bool | None = None
    reason: str | None = Field(
        default=None,
        description="Why it was skipped, as a code: the reference's (no_emails, no_telegram, no_twitter, "
        "no_twitter_id, entity_not_resolved, synced_recently, google_not_connected, telegram_not_connected, "
        "twitter_not_connected).",
    )
    message: str | None = skip_words()
    hint: str | None = skip_hint()
