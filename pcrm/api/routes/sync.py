"""Syncs: per contact, account-wide (background, [sync-runs]), their history and task status."""

from __future__ import annotations

from pcrm.api import schemas as s
from pcrm.api.declare import Param, op, svc
from pcrm.api.schemas import telegram as tg
from pcrm.services import google, sync, sync_history, telegram, telegram_contact, x_contacts

T = "sync"
PER_CONTACT = "per-contact syncs"
ACCOUNT = "account-wide background syncs"
PLATFORM = Param("platform", enum=sync_history.OFFERED)

OPS = [
    op(
        "POST",
        "/contacts/{contact_id}/sync-emails",
        "Sync Gmail thread for a single contact",
        T,
        call=svc(google.sync_contact_emails, query=("force",)),
        query=(Param("force", "boolean", "Sync even if it ran less than an hour ago."),),
        response=s.ContactSyncResult,
        description="[gmail-routing]: a year of messages from or to the contact's addresses, in every "
        "connected account. {new_interactions}, or {new_interactions: 0, skipped: true, reason}; while "
        "Gmail is not connected, reason google_not_connected with a message and hint [idle-answers].",
    ),
    op(
        "POST",
        "/contacts/{contact_id}/sync-telegram",
        "Sync Telegram DM for a single contact",
        T,
        call=svc(telegram_contact.sync_contact, query=("force",), prepared=True),
        prepare=svc(telegram_contact.fetch_dm, query=("force",)),  # off the writer lane [prepare-off-lane]
        query=(Param("force", "boolean", "Sync even if it ran less than an hour ago."),),
        response=s.ContactSyncResult,
        extra_statuses=(400, 404, 429, 502),
        description="[telegram-sync]: the DM's last 50 messages through the ingest engine. "
        "{new_interactions}, or {new_interactions: 0, skipped: true, reason: synced_recently | "
        "entity_not_resolved | no_telegram | telegram_not_connected}, the last with a message and hint "
        "[idle-answers].",
    ),
    op(
        "POST",
        "/contacts/{contact_id}/sync-twitter",
        "Sync Twitter DM for a single contact",
        T,
        call=svc(x_contacts.sync_contact, query=("force",)),
        query=(Param("force", "boolean", "Sync even if it ran less than an hour ago."),),
        response=s.ContactSyncResult,
        extra_statuses=(429, 502),
        description="[x-api]: the DMs with the contact (by their X id, else their handle). "
        "{new_interactions}, or {new_interactions: 0, skipped: true, reason}; twitter_not_connected with a "
        "message and hint [idle-answers]; 429 during X's rate limit.",
    ),
    op(
        "GET",
        "/contacts/{contact_id}/telegram/common-groups",
        "Telegram groups shared with a contact",
        T,
        call=svc(telegram_contact.common_groups, query=("force",), prepared=True),
        prepare=svc(
            telegram_contact.fetch_groups, query=("force",)
        ),  # off the writer lane [prepare-off-lane]
        query=(Param("force", "boolean", "Ask Telegram even if the list is less than a day old."),),
        response=list[tg.CommonGroup],
        extra_statuses=(404, 429, 502),
        description="[telegram-common-groups]: [] when Telegram is not connected or the contact has no "
        "Telegram identity; cached for 24 hours (also while the rate-limit gate is closed).",
    ),
    *(
        op(
            "POST",
            path,
            summary,
            T,
            call=svc(sync.start, fixed={"source": source}) if sync.available(source) else None,
            todo=None if sync.available(source) else ACCOUNT,
            response=s.TaskStarted,
            description=f"[sync-runs]: starts a {source} sync in the background and answers at once with "
            "{status: started, task_id}; GET /tasks/{task_id} follows it. 400 not_connected when the account "
            "is not connected; 409 when a sync of the source is already running.",
        )
        for path, summary, source in (
            ("/contacts/sync/gmail", "Sync Gmail email threads", "gmail"),
            ("/contacts/sync/google", "Import from Google Contacts", "google_contacts"),
            ("/contacts/sync/google-calendar", "Sync Google Calendar events", "google_calendar"),
            ("/contacts/sync/telegram", "Sync Telegram chats, groups, and bios", "telegram"),
            ("/contacts/sync/twitter", "Sync Twitter DMs and mentions", "twitter"),
            ("/contacts/sync/whatsapp", "Backfill WhatsApp messages", "whatsapp"),
        )
    ),
    op(
        "POST",
        "/sync/{source}",
        "Start a sync of any pull source",
        T,
        call=svc(sync.start, path=("source",)),
        response=s.TaskStarted,
        pcrm=True,
        description="The account-wide sync routes, for any source of `pcrm sync --help` by name.",
    ),
    op(
        "GET",
        "/telegram/sync-progress",
        "Poll Telegram sync progress",
        T,
        read=True,
        inline=True,
        call=svc(telegram.sync_progress),
        response=tg.TelegramProgress,
        description="[telegram-progress]: {active: false} when no Telegram sync ran in the last 5 minutes; "
        "else the phase (collecting, messages, groups, done) and the run's counters.",
    ),
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
            "{platform: {total_syncs, success_count, failed_count, partial_count, success_rate, last_sync}}; "
            "{} when nothing was recorded. partial_count (runs that wrote some batches, then failed) is "
            "pcrm's [sync-runs]."
        ),
    ),
    op(
        "GET",
        "/tasks/{task_id}",
        "Status of a background task (a sync-history row,)",
        T,
        read=True,
        inline=True,
        call=svc(sync_history.task_status, path=("task_id",)),
        response=s.SyncRun,
        pcrm=True,
        description="The run an account-wide sync route started: status, counts, error, timing.",
    ),
]
