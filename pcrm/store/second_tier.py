"""Which 2nd-tier contacts hold a history of the user's, which `second-tier rm` keeps [second-tier]."""

from __future__ import annotations

from collections.abc import Sequence

import apsw

from pcrm.store.contact_bulk import SECOND_TIER, _chunks

# a direct interaction: what the trigger interactions_promote_2nd_tier lifts the tag on
DIRECT = ("inbound", "outbound", "mutual")


def with_history(conn: apsw.Connection, ids: Sequence[int]) -> list[int]:
    """Those of `ids` with anything on their timeline (an interaction of any kind, a note, a meeting, from
    an import, a sync or typed), notes on the contact, or a field edited by hand. A hand edit of the tags
    counts only when the contact holds a tag besides `2nd tier` (tagging someone `2nd tier` is no history)."""
    out: list[int] = []
    for marks, part in _chunks(ids):
        out += [
            r[0]
            for r in conn.execute(
                f"SELECT c.id FROM contacts c WHERE c.id IN ({marks}) AND ("
                "EXISTS (SELECT 1 FROM interactions i WHERE i.contact_id = c.id) "
                "OR trim(coalesce(c.notes, '')) != '' "
                "OR EXISTS (SELECT 1 FROM json_each(c.user_edited_fields) e WHERE e.value != 'tags') "
                "OR (EXISTS (SELECT 1 FROM json_each(c.user_edited_fields) e WHERE e.value = 'tags') "
                "AND EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag != ?))"
                ") ORDER BY c.id",
                (*part, SECOND_TIER),
            )
        ]
    return out


def talked_with(conn: apsw.Connection, ids: Sequence[int]) -> list[int]:
    """Those of `ids` with a direct interaction (inbound, outbound, mutual)."""
    out: list[int] = []
    marks_d = ",".join("?" * len(DIRECT))
    for marks, part in _chunks(ids):
        out += [
            r[0]
            for r in conn.execute(
                f"SELECT c.id FROM contacts c WHERE c.id IN ({marks}) AND EXISTS "
                "(SELECT 1 FROM interactions i WHERE i.contact_id = c.id "
                f"AND i.direction IN ({marks_d})) ORDER BY c.id",
                (*part, *DIRECT),
            )
        ]
    return out
