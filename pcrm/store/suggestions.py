"""Follow-up suggestions (the engine that fills them comes with the relationship-intelligence work)."""

from __future__ import annotations

import apsw


def dismiss_open_for_contact(conn: apsw.Connection, cid: int, now: str, *, by: str = "system") -> int:
    """Archiving dismisses pending and snoozed suggestions (§8.4)."""
    conn.execute(
        "UPDATE follow_up_suggestions SET status = 'dismissed', dismissed_by = ?, updated_at = ? "
        "WHERE contact_id = ? AND status IN ('pending', 'snoozed')", (by, now, cid))
    return conn.changes()
