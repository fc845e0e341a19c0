"""Syncs: per contact, account-wide (background, [sync-runs]), their history and task status."""

from __future__ import annotations

from pcrm.api import schemas as s
from pcrm.api.declare import Param, op, svc
from pcrm.services import sync_history

T = "sync"
PER_CONTACT = "per-contact syncs"
ACCOUNT = "account-wide background syncs"
PLATFORM = Param("platform", enum=sync_history.PLATFORMS)

OPS = [
    op(
        "POST",
        "/contacts/{contact_id}/sync-emails",
        "Sync Gmail thread for a single contact",
        T,
        todo=PER_CONTACT,
    ),
    op(
        "POST",
        "/contacts/{contact_id}/sync-telegram",
        "Sync Telegram DM for a single contact",
        T,
        todo=PER_CONTACT,
    ),
    op(
        "POST",
        "/contacts/{contact_id}/sync-twitter",
        "Sync Twitter DM for a single contact",
        T,
        todo=PER_CONTACT,
    ),
    op(
        "GET",
        "/contacts/{contact_id}/telegram/common-groups",
        "Telegram groups shared with a contact",
        T,
        todo="Telegram common groups",
    ),
    op("POST", "/contacts/sync/gmail", "Sync Gmail email threads", T, todo=ACCOUNT),
    op("POST", "/contacts/sync/google", "Import from Google Contacts", T, todo=ACCOUNT),
    op("POST", "/contacts/sync/google-calendar", "Sync Google Calendar events", T, todo=ACCOUNT),
    op("POST", "/contacts/sync/telegram", "Sync Telegram chats, groups, and bios", T, todo=ACCOUNT),
    op("POST", "/contacts/sync/twitter", "Sync Twitter DMs and mentions", T, todo=ACCOUNT),
    op("POST", "/contacts/sync/whatsapp", "Backfill WhatsApp messages", T, todo=ACCOUNT),
    op("GET", "/telegram/sync-progress", "Poll Telegram sync progress", T, todo="Telegram sync progress"),
    op(
        "GET",
        "/sync-history",
        "Recent sync events with record counts",
        T,
        read=True,
        call=svc(sync_history.list_sync_history, query=("platform", "status", "limit", "offset")),
        query=(
            PLATFORM,
            Param("status", enum=sync_history.STATUSES),
            Param("limit", "integer", "Default 50, at most 200."),
            Param("offset", "integer"),
        ),
        response=list[s.SyncRun],
        meta=s.OffsetMeta,
        description="Newest first.",
    ),
    op(
        "GET",
        "/sync-history/stats",
        "Aggregate stats per platform",
        T,
        read=True,
        call=svc(sync_history.sync_stats, query=("platform",)),
        query=(PLATFORM,),
        response=dict[str, s.SyncPlatformStats],
        description=(
            "{platform: {total_syncs, success_count, failed_count, success_rate, last_sync}}; {} when "
            "nothing was recorded."
        ),
    ),
    op(
        "GET",
        "/tasks/{task_id}",
        "Status of a background task (a sync-history row,)",
        T,
        read=True,
        call=svc(sync_history.task_status, path=("task_id",)),
        response=s.SyncRun,
        pcrm=True,
        description="The run an account-wide sync route started: status, counts, error, timing.",
    ),
]
