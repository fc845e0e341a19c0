"""Edits over many contacts at once: bulk-update, reconcile, the 2nd tier [bulk-edits] [future-interactions]
[second-tier]."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import apsw

from pcrm.serialize import dumps, loads
from pcrm.store.rows import integer

SECOND_TIER = "2nd tier"
_CHUNK = 500


def _chunks(ids: Sequence[int]) -> Iterator[tuple[str, tuple[int, ...]]]:
    for i in range(0, len(ids), _CHUNK):
        part = tuple(ids[i : i + _CHUNK])
        yield ",".join("?" * len(part)), part


def rowids_for_uuids(conn: apsw.Connection, uuids: Sequence[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in range(0, len(uuids), _CHUNK):
        part = tuple(uuids[i : i + _CHUNK])
        sql = f"SELECT uuid, id FROM contacts WHERE uuid IN ({','.join('?' * len(part))})"
        out.update(dict(conn.execute(sql, part)))
    return out


def would_change(
    conn: apsw.Connection,
    ids: Sequence[int],
    *,
    add_tags: Sequence[str] = (),
    remove_tags: Sequence[str] = (),
    priority: str | None = None,
    company: tuple[str | None] | None = None,
) -> list[int]:
    """The contacts of `ids` (in their order) a bulk update would change [bulk-edits]: those missing a tag
    to add, carrying a tag to remove, or with another priority or company (`company` is a 1-tuple, so that
    (None,) clears it and None leaves it)."""
    conds: list[str] = []
    args: list[Any] = []
    if add_tags:
        conds.append(
            "(SELECT count(*) FROM contact_tags t WHERE t.contact_id = c.id "
            f"AND t.tag IN ({','.join('?' * len(add_tags))})) < ?"
        )
        args += [*add_tags, len(add_tags)]
    if remove_tags:
        conds.append(
            "EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id "
            f"AND t.tag IN ({','.join('?' * len(remove_tags))}))"
        )
        args += list(remove_tags)
    if priority is not None:
        conds.append("c.priority_level IS NOT ?")
        args.append(priority)
    if company is not None:
        conds.append("c.company IS NOT ?")
        args.append(company[0])
    if not conds:
        return []
    found: set[int] = set()
    for marks, part in _chunks(ids):
        sql = f"SELECT c.id FROM contacts c WHERE c.id IN ({marks}) AND ({' OR '.join(conds)})"
        found.update(r[0] for r in conn.execute(sql, (*part, *args)))
    return [i for i in ids if i in found]


def add_tags(conn: apsw.Connection, ids: Sequence[int], tags: Sequence[str]) -> None:
    """Append tags (after the contact's existing ones); tags it already has are left alone."""
    conn.executemany(
        "INSERT OR IGNORE INTO contact_tags(contact_id, tag, position) "
        "VALUES (?1, ?2, (SELECT coalesce(max(position) + 1, 0) FROM contact_tags WHERE contact_id = ?1))",
        [(cid, t) for cid in ids for t in tags],
    )


def remove_tags(conn: apsw.Connection, ids: Sequence[int], tags: Sequence[str]) -> None:
    tmarks = ",".join("?" * len(tags))
    for marks, part in _chunks(ids):
        conn.execute(
            f"DELETE FROM contact_tags WHERE contact_id IN ({marks}) AND tag IN ({tmarks})", (*part, *tags)
        )


def tag_carriers(conn: apsw.Connection, tag: str) -> list[int]:
    """Every contact carrying `tag`, archived ones included."""
    sql = "SELECT contact_id FROM contact_tags WHERE tag = ? ORDER BY 1"
    return [r[0] for r in conn.execute(sql, (tag,))]


def rename_tag(conn: apsw.Connection, old: str, new: str) -> None:
    """`old` becomes `new` on every contact, in the same place among its tags; a contact that has both keeps
    its `new` (the two merge)."""
    conn.execute("UPDATE OR IGNORE contact_tags SET tag = ? WHERE tag = ?", (new, old))
    conn.execute("DELETE FROM contact_tags WHERE tag = ?", (old,))


def unfolded_tags(conn: apsw.Connection, fold: Callable[[str], str]) -> dict[str, str]:
    """{stored tag: the tag `fold` makes of it} for the stored tags it changes (migration m022); only tags
    holding non-ASCII text are read closely, the only ones Unicode's forms can differ in."""
    tags = (r[0] for r in conn.execute("SELECT DISTINCT tag FROM contact_tags"))
    return {t: f for t in tags if not t.isascii() and (f := fold(t)) and f != t}


def fold_tags(conn: apsw.Connection, fold: Callable[[str], str]) -> int:
    """Every stored tag written as `fold` makes it, in its place; a contact holding two tags that fold into
    one keeps one (as `rename_tag` merges). Returns how many distinct stored tags changed."""
    changes = unfolded_tags(conn, fold)
    for old, new in changes.items():
        rename_tag(conn, old, new)
    return len(changes)


def delete_tag(conn: apsw.Connection, tag: str) -> None:
    conn.execute("DELETE FROM contact_tags WHERE tag = ?", (tag,))


def set_priority(conn: apsw.Connection, ids: Sequence[int], priority: str) -> None:
    for marks, part in _chunks(ids):
        conn.execute(f"UPDATE contacts SET priority_level = ? WHERE id IN ({marks})", (priority, *part))


def set_company(conn: apsw.Connection, ids: Sequence[int], company: str | None) -> list[int]:
    """Set the company where it differs, unlinking the organization (it is re-assigned from the new name).
    Returns the contacts that changed."""
    changed: list[int] = []
    for marks, part in _chunks(ids):
        ids_here = [
            r[0]
            for r in conn.execute(
                f"SELECT id FROM contacts WHERE id IN ({marks}) AND company IS NOT ?", (*part, company)
            )
        ]
        if ids_here:
            m = ",".join("?" * len(ids_here))
            conn.execute(
                f"UPDATE contacts SET company = ?, organization_id = NULL WHERE id IN ({m})",
                (company, *ids_here),
            )
        changed += ids_here
    return changed


def mark_edited(conn: apsw.Connection, ids: Sequence[int], fields: Sequence[str], now: str) -> None:
    """Add `fields` to user_edited_fields [protected-fields] and bump updated_at."""
    updates: list[tuple[Any, ...]] = []
    for marks, part in _chunks(ids):
        for cid, raw in conn.execute(
            f"SELECT id, user_edited_fields FROM contacts WHERE id IN ({marks})", part
        ):
            edited = loads(raw or "[]")
            edited += [f for f in fields if f not in edited]
            updates.append((dumps(edited).decode(), now, cid))
    conn.executemany("UPDATE contacts SET user_edited_fields = ?, updated_at = ? WHERE id = ?", updates)


def touch(conn: apsw.Connection, ids: Sequence[int], now: str) -> None:
    for marks, part in _chunks(ids):
        conn.execute(f"UPDATE contacts SET updated_at = ? WHERE id IN ({marks})", (now, *part))


def stale_last_interaction(conn: apsw.Connection, now: str) -> list[int]:
    """Contacts whose last_interaction_at is not the latest interaction at or before `now` (NULL when they
    have none): missing, behind, or pointing at the future."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT c.id FROM contacts c "
            "LEFT JOIN (SELECT contact_id, max(occurred_at) AS last FROM interactions "
            "WHERE occurred_at <= ? GROUP BY contact_id) x ON x.contact_id = c.id "
            "WHERE c.last_interaction_at IS NOT x.last ORDER BY c.id",
            (now,),
        )
    ]


def second_tier_ids(conn: apsw.Connection) -> list[int]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT contact_id FROM contact_tags WHERE tag = ? ORDER BY contact_id", (SECOND_TIER,)
        )
    ]


def second_tier_count(conn: apsw.Connection) -> int:
    return integer(conn, "SELECT count(*) FROM contact_tags WHERE tag = ?", (SECOND_TIER,))


def organization_ids(conn: apsw.Connection, ids: Sequence[int]) -> list[int]:
    """The organizations these contacts belong to (rowids, each once)."""
    out: set[int] = set()
    for marks, part in _chunks(ids):
        sql = f"SELECT organization_id FROM contacts WHERE id IN ({marks}) AND organization_id IS NOT NULL"
        out.update(r[0] for r in conn.execute(sql, part))
    return sorted(out)


def delete_contacts(conn: apsw.Connection, ids: Sequence[int]) -> int:
    n = 0
    for marks, part in _chunks(ids):
        conn.execute(f"DELETE FROM contacts WHERE id IN ({marks})", part)
        n += conn.changes()
    return n


def remove_tag(conn: apsw.Connection, cid: int, tag: str) -> int:
    conn.execute("DELETE FROM contact_tags WHERE contact_id = ? AND tag = ?", (cid, tag))
    return conn.changes()
