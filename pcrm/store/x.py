"""Queries of the X bio poll [x-api]: the contacts with an X identity, their current bio and photo."""

from __future__ import annotations

from typing import Any

import apsw

from pcrm.store.rows import rows

_PEOPLE = (
    "SELECT c.id AS rowid, c.uuid AS id, c.full_name, c.twitter_bio, c.avatar_url, "
    "(SELECT external_id FROM contact_identities WHERE contact_id = c.id AND platform = 'twitter' "
    " AND external_id IS NOT NULL ORDER BY id LIMIT 1) AS user_id, "
    "(SELECT handle FROM contact_identities WHERE contact_id = c.id AND platform = 'twitter' "
    " AND handle IS NOT NULL ORDER BY id LIMIT 1) AS handle "
    "FROM contacts c WHERE EXISTS (SELECT 1 FROM contact_identities i WHERE i.contact_id = c.id "
    "AND i.platform = 'twitter') "
)


def people(conn: apsw.Connection) -> list[dict[str, Any]]:
    """Every contact that is not archived and has an X id or handle."""
    return rows(conn, _PEOPLE + "AND coalesce(c.priority_level, '') != 'archived' ORDER BY c.id")


def person(conn: apsw.Connection, cid: int) -> dict[str, Any] | None:
    """One contact's X id, handle, bio and avatar_url (None when they have no X identity)."""
    found = rows(conn, _PEOPLE + "AND c.id = ?", (cid,))
    return found[0] if found else None
