"""Telegram's per-contact look-ups [telegram-bios]: which contacts' bios are due for a check, and the
contacts' Telegram identities (id and username)."""

from __future__ import annotations

from typing import Any

import apsw

from pcrm.store.rows import rows


def due_for_bio(
    conn: apsw.Connection, checked_before: str, limit: int, *, skip_second_tier: bool
) -> list[dict[str, Any]]:
    """Up to `limit` contacts with a Telegram id or username whose bio was never checked or last checked
    before `checked_before`; those without a photo first, then the longest unchecked. Archived contacts are
    left out; with `skip_second_tier`, 2nd-tier ones too."""
    tier = (
        "AND NOT EXISTS (SELECT 1 FROM contact_tags t "
        "WHERE t.contact_id = c.id AND lower(t.tag) = '2nd tier')"
        if skip_second_tier
        else ""
    )
    return rows(
        conn,
        "SELECT c.id, c.uuid, i.external_id AS telegram_user_id, i.handle AS telegram_username "
        "FROM contacts c JOIN contact_identities i ON i.contact_id = c.id AND i.platform = 'telegram' "
        "WHERE c.priority_level != 'archived' "
        "AND (c.telegram_bio_checked_at IS NULL OR c.telegram_bio_checked_at < ?) "
        f"{tier} "
        "ORDER BY c.avatar_url IS NOT NULL, coalesce(c.telegram_bio_checked_at, ''), c.id LIMIT ?",
        (checked_before, limit),
    )


def identity_of(conn: apsw.Connection, cid: int) -> dict[str, Any] | None:
    """{telegram_user_id, telegram_username} of a contact, or None when it has no Telegram identity."""
    got = rows(
        conn,
        "SELECT external_id AS telegram_user_id, handle AS telegram_username FROM contact_identities "
        "WHERE contact_id = ? AND platform = 'telegram' ORDER BY id LIMIT 1",
        (cid,),
    )
    return got[0] if got else None
