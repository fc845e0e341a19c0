"""SQL for the extension's pushes [extension-push]: what the answer's `backfill_needed` lists."""

from __future__ import annotations

from collections.abc import Sequence

import apsw

from pcrm.store.rows import rows


def drop_run(conn: apsw.Connection, run_id: int) -> None:
    """Forget a webhook run that changed nothing (only pushes that change something leave a row)."""
    conn.execute("DELETE FROM sync_runs WHERE id = ? AND sync_type = 'webhook'", (run_id,))


def missing_avatars(conn: apsw.Connection, platform: str, exclude: Sequence[int], limit: int) -> list[int]:
    """Contacts with an id on `platform` and no avatar, oldest first (the backfill top-up)."""
    if limit <= 0:
        return []
    marks = ",".join("?" * len(exclude)) or "NULL"
    found = rows(
        conn,
        "SELECT c.id FROM contacts c JOIN contact_identities i ON i.contact_id = c.id AND i.platform = ? "
        f"WHERE i.external_id IS NOT NULL AND (c.avatar_url IS NULL OR c.avatar_url = '') "
        f"AND c.id NOT IN ({marks}) ORDER BY c.id LIMIT ?",
        (platform, *exclude, limit),
    )
    return [r["id"] for r in found]


def with_avatar(conn: apsw.Connection, platform: str, external_ids: Sequence[str]) -> set[str]:
    """Which of these ids on `platform` belong to a contact that has an avatar already."""
    if not external_ids:
        return set()
    marks = ",".join("?" * len(external_ids))
    found = rows(
        conn,
        "SELECT i.external_id FROM contact_identities i JOIN contacts c ON c.id = i.contact_id "
        f"WHERE i.platform = ? AND i.external_id IN ({marks}) AND c.avatar_url IS NOT NULL "
        "AND c.avatar_url != ''",
        (platform, *external_ids),
    )
    return {str(r["external_id"]) for r in found}
