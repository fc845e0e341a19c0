"""What shell completion offers: contact names and tags in use [shell-completion]."""

from __future__ import annotations

import apsw


def contact_names(conn: apsw.Connection) -> list[str]:
    """Distinct full names of contacts that are not archived, strongest relationships first."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT full_name FROM contacts WHERE full_name IS NOT NULL AND full_name != '' "
            "AND priority_level != 'archived' GROUP BY full_name "
            "ORDER BY max(relationship_score) DESC, full_name"
        )
    ]


def tags(conn: apsw.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT DISTINCT tag FROM contact_tags ORDER BY tag")]
