"""Syncs: per contact, account-wide (background, D18), their history and task status."""

from __future__ import annotations

from pcrm.api.declare import op

T = "sync"
PER_CONTACT = "per-contact syncs"
ACCOUNT = "account-wide background syncs"
HISTORY = "sync history"

OPS = [
    op("POST", "/contacts/{contact_id}/sync-emails", "Sync Gmail thread for a single contact", T, todo=PER_CONTACT),
    op("POST", "/contacts/{contact_id}/sync-telegram", "Sync Telegram DM for a single contact", T, todo=PER_CONTACT),
    op("POST", "/contacts/{contact_id}/sync-twitter", "Sync Twitter DM for a single contact", T, todo=PER_CONTACT),
    op("GET", "/contacts/{contact_id}/telegram/common-groups", "Telegram groups shared with a contact", T,
       todo="Telegram common groups"),
    op("POST", "/contacts/sync/gmail", "Sync Gmail email threads", T, todo=ACCOUNT),
    op("POST", "/contacts/sync/google", "Import from Google Contacts", T, todo=ACCOUNT),
    op("POST", "/contacts/sync/google-calendar", "Sync Google Calendar events", T, todo=ACCOUNT),
    op("POST", "/contacts/sync/telegram", "Sync Telegram chats, groups, and bios", T, todo=ACCOUNT),
    op("POST", "/contacts/sync/twitter", "Sync Twitter DMs and mentions", T, todo=ACCOUNT),
    op("POST", "/contacts/sync/whatsapp", "Backfill WhatsApp messages", T, todo=ACCOUNT),
    op("GET", "/telegram/sync-progress", "Poll Telegram sync progress", T, todo="Telegram sync progress"),
    op("GET", "/sync-history", "Recent sync events with record counts", T, todo=HISTORY),
    op("GET", "/sync-history/stats", "Aggregate stats per platform", T, todo=HISTORY),
    op("GET", "/tasks/{task_id}", "Status of a background task (a sync-history row, D18)", T,
       todo="background task status", pcrm=True),
]
