"""Read-only queries behind the dashboard views (overdue, birthdays, stats, ...)."""

from __future__ import annotations

import apsw


def overdue_candidates(conn: apsw.Connection, before: str, limit: int) -> list[tuple[int, str]]:
    """High-priority, non-2nd-tier contacts with interactions whose last one is before `before`,
    most overdue first (ties by rowid)."""
    return [tuple(r) for r in conn.execute(  # type: ignore[misc]
        "SELECT c.id, c.last_interaction_at FROM contacts c "
        "WHERE c.priority_level = 'high' AND c.last_interaction_at IS NOT NULL AND c.interaction_count > 0 "
        "AND c.last_interaction_at < ? "
        "AND NOT EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag = '2nd tier') "
        "ORDER BY c.last_interaction_at ASC, c.id LIMIT ?", (before, limit))]
