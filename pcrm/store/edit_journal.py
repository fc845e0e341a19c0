"""The edit journal [hand-edits]: what each edit by hand typed on a contact, found by index.

One row per contact and per pair of marks: the newest import batch and the newest merge (their uuids) when the
edit was made; the edits made while both stayed the newest share the row (its `typed` is their union, kept by
services/hand_edits.py). A row naming batch B or a later one was typed after B was applied, one naming merge M
or a later one after M: what `pcrm import undo` and `pcrm contacts unmerge` read. Everything is named by uuid,
which an unmerge gives back to the merged contact and a JSON restore keeps (it numbers rows anew, in order).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import apsw

from pcrm.serialize import dumps, loads
from pcrm.store.rows import first

_MARKS = (
    "SELECT (SELECT uuid FROM import_batches ORDER BY id DESC LIMIT 1), "
    "(SELECT uuid FROM contact_merges ORDER BY id DESC LIMIT 1)"
)


def marks(conn: apsw.Connection) -> tuple[str | None, str | None]:
    """The newest import batch and the newest merge (uuids; None where there is none)."""
    batch, merge = first(conn, _MARKS)
    return (batch if isinstance(batch, str) else None), (merge if isinstance(merge, str) else None)


def held(
    conn: apsw.Connection, cids: Sequence[int], batch: str | None, merge: str | None
) -> list[tuple[str, int | None, dict[str, Any]]]:
    """(uuid, the row for these marks or None, what it holds) of each of these contacts."""
    out: list[tuple[str, int | None, dict[str, Any]]] = []
    for start in range(0, len(cids), 500):
        part = dumps(list(cids[start : start + 500])).decode()
        for uuid, rowid, typed in conn.execute(
            "SELECT c.uuid, j.id, j.typed FROM contacts c LEFT JOIN edit_journal j ON j.contact_uuid = c.uuid"
            " AND coalesce(j.batch_uuid, '') = ? AND coalesce(j.merge_uuid, '') = ? "
            "WHERE c.id IN (SELECT value FROM json_each(?))",
            (batch or "", merge or "", part),
        ):
            out.append((uuid, rowid, loads(typed) if typed else {}))
    return out


def write(
    conn: apsw.Connection,
    new: Sequence[tuple[str, dict[str, Any]]],
    changed: Sequence[tuple[int, dict[str, Any]]],
    batch: str | None,
    merge: str | None,
    now: str,
) -> None:
    """Add rows for these marks ({uuid, typed}) and set what rows already held ({rowid, typed})."""
    conn.executemany(
        "INSERT INTO edit_journal(contact_uuid, batch_uuid, merge_uuid, typed, edited_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [(uuid, batch, merge, dumps(typed).decode(), now) for uuid, typed in new],
    )
    conn.executemany(
        "UPDATE edit_journal SET typed = ?, edited_at = ? WHERE id = ?",
        [(dumps(typed).decode(), now, rowid) for rowid, typed in changed],
    )


def row(
    conn: apsw.Connection, contact: str, batch: str | None, merge: str | None
) -> tuple[int, dict[str, Any], bool] | None:
    """(id, typed values, tags_untracked) of the row of this contact for these marks, or None."""
    found = conn.execute(
        "SELECT id, typed, tags_untracked FROM edit_journal WHERE contact_uuid = ? "
        "AND coalesce(batch_uuid, '') = ? AND coalesce(merge_uuid, '') = ?",
        (contact, batch or "", merge or ""),
    ).fetchone()
    return (int(found[0]), loads(found[1]), bool(found[2])) if found else None


def set_typed(conn: apsw.Connection, rowid: int, typed: dict[str, Any] | None) -> None:
    """Give a row these typed values; None deletes it."""
    if typed is None:
        conn.execute("DELETE FROM edit_journal WHERE id = ?", (rowid,))
    else:
        conn.execute("UPDATE edit_journal SET typed = ? WHERE id = ?", (dumps(typed).decode(), rowid))


def since_batch(conn: apsw.Connection, bid: int) -> dict[str, tuple[list[dict[str, Any]], bool]]:
    """What was typed on each contact after import batch `bid`: uuid -> (each row's typed values, whether
    its tags were set by hand before typed values were recorded)."""
    out: dict[str, tuple[list[dict[str, Any]], bool]] = {}
    for uuid, typed, untracked in conn.execute(
        "SELECT contact_uuid, typed, tags_untracked FROM edit_journal "
        "WHERE batch_uuid IN (SELECT uuid FROM import_batches WHERE id >= ?) ORDER BY id",
        (bid,),
    ):
        values, was = out.get(uuid, ([], False))
        values.append(loads(typed))
        out[uuid] = (values, was or bool(untracked))
    return out


def since_merge(conn: apsw.Connection, uuid: str, mid: int) -> list[dict[str, Any]]:
    """What was typed on contact `uuid` after merge `mid`, row by row."""
    return [
        loads(typed)
        for (typed,) in conn.execute(
            "SELECT j.typed FROM edit_journal j JOIN contact_merges m ON m.uuid = j.merge_uuid "
            "WHERE j.contact_uuid = ? AND m.id >= ? ORDER BY j.id",
            (uuid, mid),
        )
    ]


def removals(conn: apsw.Connection) -> list[tuple[int, dict[str, Any]]]:
    """(contact rowid, typed values) of each row recording emails, phones or identities the user took off a
    contact (`removed_emails`, `removed_phones`, `removed_identities`) or typed on it (`emails`, `phones`,
    `identities`: a value typed again after its removal, in a later row, is removed no longer)
    [protected-fields], oldest first; the rows of a contact merged into another, through merges in force,
    as the survivor's. One pass over the journal."""
    return [
        (int(cid), loads(typed))
        for cid, typed in conn.execute(
            "WITH RECURSIVE up(row, u) AS (SELECT id, contact_uuid FROM edit_journal "
            "WHERE json_type(typed, '$.removed_emails') IS NOT NULL "
            "OR json_type(typed, '$.removed_phones') IS NOT NULL "
            "OR json_type(typed, '$.removed_identities') IS NOT NULL "
            "OR json_type(typed, '$.emails') IS NOT NULL OR json_type(typed, '$.phones') IS NOT NULL "
            "OR json_type(typed, '$.identities') IS NOT NULL "
            "UNION SELECT up.row, m.primary_uuid FROM contact_merges m JOIN up ON m.merged_uuid = up.u "
            "WHERE m.unmerged_at IS NULL) "
            "SELECT c.id, j.typed FROM up JOIN contacts c ON c.uuid = up.u "
            "JOIN edit_journal j ON j.id = up.row ORDER BY j.id"
        )
    ]


def note_untracked_tags(conn: apsw.Connection, now: str) -> int:
    """m025_edit_journal: mark each contact whose tags the user set by hand before typed values were recorded
    (user_edited_fields names them), under the newest batch and merge, so an undo of a batch applied until
    now keeps the whole tag list as it did; the number marked (none in a store without an import)."""
    batch, merge = marks(conn)
    if batch is None:
        return 0
    conn.execute(
        "INSERT INTO edit_journal(contact_uuid, batch_uuid, merge_uuid, tags_untracked, edited_at) "
        "SELECT uuid, ?, ?, 1, ? FROM contacts WHERE EXISTS "
        "(SELECT 1 FROM json_each(user_edited_fields) WHERE value = 'tags')",
        (batch, merge, now),
    )
    return conn.changes()


def prune(conn: apsw.Connection) -> int:
    """Delete the rows nothing can read any more [hand-edits]: those of a contact that is gone and cannot come
    back. A contact comes back only through an unmerge (with its uuid), so the rows of a contact merged into
    another stay while that merge is in force (its survivor deleted too: the unmerge still brings it back);
    a contact deleted (`contacts rm`, `second-tier rm`) never comes back, and an undo or an unmerge reads the
    rows of contacts that exist. The number deleted. One pass over the journal (a row per contact edited by
    hand under the same newest batch and merge: thousands, a few ms), inside the caller's transaction."""
    conn.execute(
        "DELETE FROM edit_journal WHERE contact_uuid NOT IN (SELECT uuid FROM contacts) "
        "AND contact_uuid NOT IN (SELECT merged_uuid FROM contact_merges WHERE unmerged_at IS NULL)"
    )
    return conn.changes()
