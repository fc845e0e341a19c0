"""The merge journal [reversible-merges]: full snapshots of contacts, the moves a merge makes, and their
undoing.

A snapshot is every row that belongs to a contact: the `contacts` row itself (all columns), its
emails, phones, tags, identities and contact_fields, the ids of its interactions, and its suggestions
and detected events in full (those cascade away with a merged contact, so the journal keeps them).

What an unmerge acts on is named by public ids [public-ids]: the interactions moved and the matches added
by their uuids, and a journaled row's organization, import batch and sync run by theirs (`refs`) beside
the rowids. A rowid is taken again by the next row once its own is deleted (a note removed, then one
written: the new note had the old one's id), and a JSON restore numbers every table anew, so an unmerge
by rowids moved other messages than the merge had and linked the contact to another organization or
batch. Journals written before keep their rowids and are read as before.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import apsw

from pcrm.domain import models
from pcrm.domain.field_keys import field_key
from pcrm.serialize import dumps, loads
from pcrm.store.contacts import with_names, with_plain_name
from pcrm.store.imports import CHILD_ORDER, CHILD_TABLES, add_child, next_position, remove_child, stored_tag
from pcrm.store.rows import first, integer, new_uuid, one, rows

# child table -> ORDER BY that keeps positions stable
CHILDREN = CHILD_ORDER
_FK_CHECKS = {
    "organization_id": "organizations",
    "import_batch_id": "import_batches",
    "sync_run_id": "sync_runs",
}


def refs(conn: apsw.Connection, row: dict[str, Any]) -> dict[str, str | None]:
    """The uuids of the rows a journaled row points at (_FK_CHECKS), by column; None for a dangling one."""
    out: dict[str, str | None] = {}
    for col, table in _FK_CHECKS.items():
        if row.get(col) is not None:
            found = conn.execute(f"SELECT uuid FROM {table} WHERE id = ?", (row[col],)).fetchone()
            out[col] = found[0] if found else None
    return out


def _with_refs(conn: apsw.Connection, row: dict[str, Any]) -> dict[str, Any]:
    found = refs(conn, row)
    return dict(row, _refs=found) if found else row


def _resolved(conn: apsw.Connection, row: dict[str, Any], found: dict[str, Any] | None) -> dict[str, Any]:
    """`row` with its foreign keys pointing at the rows they pointed at when journaled: through `found`
    (column -> uuid) where the journal has it, None when that row is gone; otherwise (an older journal)
    a rowid that no longer exists becomes None."""
    data = dict(row)
    for col, table in _FK_CHECKS.items():
        if data.get(col) is None:
            continue
        if found is not None and col in found:
            uuid = found[col]
            hit = conn.execute(f"SELECT id FROM {table} WHERE uuid = ?", (uuid,)).fetchone() if uuid else None
            data[col] = hit[0] if hit else None
        elif not _exists(conn, table, data[col]):
            data[col] = None
    return data


def snapshot(conn: apsw.Connection, cid: int) -> dict[str, Any]:
    state: dict[str, Any] = {"contact": one(conn, "SELECT * FROM contacts WHERE id = ?", (cid,))}
    if state["contact"] is not None:
        state["refs"] = refs(conn, state["contact"])
    for table, order in CHILDREN.items():
        state[table] = rows(conn, f"SELECT * FROM {table} WHERE contact_id = ? ORDER BY {order}", (cid,))
    state["interactions"] = [
        r[0] for r in conn.execute("SELECT id FROM interactions WHERE contact_id = ? ORDER BY id", (cid,))
    ]
    state["follow_up_suggestions"] = rows(
        conn, "SELECT * FROM follow_up_suggestions WHERE contact_id = ? ORDER BY id", (cid,)
    )
    state["detected_events"] = [
        _with_refs(conn, r)
        for r in rows(conn, "SELECT * FROM detected_events WHERE contact_id = ? ORDER BY id", (cid,))
    ]
    return state


def _exists(conn: apsw.Connection, table: str, rowid: Any) -> bool:
    return (
        rowid is not None
        and conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (rowid,)).fetchone() is not None
    )


def insert_row(conn: apsw.Connection, table: str, row: dict[str, Any], *, keep_id: bool = True) -> int:
    """Insert a journaled row again, under its old rowid when that is free; a row journaled with its
    `_refs` points at the same organization, batch and sync run again."""
    data = dict(row)
    if "_refs" in data:
        data = _resolved(conn, data, data.pop("_refs"))
    if "id" in data and (not keep_id or _exists(conn, table, data["id"])):
        data.pop("id")
    cols = ", ".join(data)
    marks = ", ".join("?" * len(data))
    conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuple(data.values()))
    return conn.last_insert_rowid()


# contacts columns that are computed, identify the row, or are a sync's bookkeeping, rather than edited:
# the row's keys and provenance, and the fields the model marks as derived
_NOT_EDITS = {"id", "uuid", "import_batch_id", "sync_run_id", "name_plain", "name_umlaut", *models.DERIVED}


def _edited(table: str) -> tuple[str, ...]:
    key, extra = CHILD_TABLES[table]
    return key + tuple(c for c in extra if c != "position")


def edit_state(conn: apsw.Connection, cid: int) -> dict[str, Any]:
    """What a user can edit of a contact: its row (without computed columns) and its child rows, compact."""
    row = one(conn, "SELECT * FROM contacts WHERE id = ?", (cid,)) or {}
    state: dict[str, Any] = {
        "contact": {k: v for k, v in row.items() if k not in _NOT_EDITS},
        "user_edited_fields": loads(row.get("user_edited_fields") or "[]"),
    }
    for table in CHILD_TABLES:  # the child rows an import undo compares too, without their position
        state[table] = rows(
            conn,
            f"SELECT {', '.join(_edited(table))} FROM {table} WHERE contact_id = ? "
            f"ORDER BY {CHILDREN[table]}",
            (cid,),
        )
    return state


def replay_edits(conn: apsw.Connection, cid: int, before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """Apply to contact `cid` what changed from edit state `before` to `now` (two edit_state results):
    the columns that differ take their `now` value; child rows added since are appended, those removed
    since are deleted. Returns the names of the columns and child tables touched."""
    touched: list[str] = []
    cols = {k: v for k, v in now["contact"].items() if before["contact"].get(k) != v}
    marked = [f for f in now["user_edited_fields"] if f not in before["user_edited_fields"]]
    if marked:
        kept = loads(first(conn, "SELECT user_edited_fields FROM contacts WHERE id = ?", (cid,))[0] or "[]")
        cols["user_edited_fields"] = dumps(kept + [f for f in marked if f not in kept]).decode()
    if cols:
        written = with_plain_name(dict(cols))
        conn.execute(
            f"UPDATE contacts SET {', '.join(f'{k} = ?' for k in written)} WHERE id = ?",
            (*written.values(), cid),
        )
        touched += sorted(cols)
    for table, (key, extra) in CHILD_TABLES.items():

        def ident(r: dict[str, Any], key: tuple[str, ...] = key) -> tuple[Any, ...]:
            return tuple(r.get(k) for k in key)

        was_rows = before[table]
        if table == "contact_tags":  # journaled by an older pcrm: compared in the form stored now
            was_rows = [dict(r, tag=stored_tag(r["tag"])) for r in was_rows]
        was = {ident(r): r for r in was_rows}
        is_now = {ident(r): r for r in now[table]}
        removed = [k for k in was if k not in is_now]
        added = [r for k, r in is_now.items() if k not in was]
        changed = [r for k, r in is_now.items() if k in was and r != was[k]]
        for gone in removed:
            remove_child(conn, table, cid, gone)
        where = " AND ".join(f"{k} IS ?" for k in key)
        for r in changed:  # e.g. an email's label
            cols = {k: v for k, v in r.items() if k not in key}
            conn.execute(
                f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in cols)} WHERE contact_id = ? AND {where}",
                (*cols.values(), cid, *ident(r)),
            )
        pos = next_position(conn, table, cid) if added and "position" in extra else 0
        for i, r in enumerate(added):
            add_child(conn, table, cid, [pos + i if c == "position" else r.get(c) for c in key + extra])
        if removed or added or changed:
            touched.append(table)
    return touched


# the contact fields of the child tables a user types whole lists of: field -> table
_TYPED_LISTS = {"emails": "contact_emails", "phones": "contact_phones", "tags": "contact_tags"}


def keep_typed(
    conn: apsw.Connection, pid: int, sid: int, typed: dict[str, Any], now_state: dict[str, Any], now: str
) -> tuple[list[str], list[dict[str, str]]]:
    """After an unmerge has put survivor `pid` back and replayed the edits made since the merge: the values
    the user typed on the survivor since (`typed`, recorded by each edit) that it still held at the unmerge
    (`now_state`, its edit_state then) and lost because the merge had brought them, back on it. A column
    takes its value then (the organization with the company); an email, phone or tag is added again (the
    merged contact keeps its own copy: an address two people share); a platform identity, which one
    contact holds, is taken from the merged contact (`sid`) that came back with it. Returns the names of
    the columns and child tables changed, and the identities taken ({field, value})."""
    cur = edit_state(conn, pid)
    touched: list[str] = []
    was, is_now = now_state["contact"], cur["contact"]
    cols = {c: was[c] for c in typed.get("fields") or () if c in was and is_now.get(c) != was[c]}
    if "company" in cols and is_now.get("organization_id") != was.get("organization_id"):
        cols["organization_id"] = was.get("organization_id")  # [merge-rules]: it travels with the company
    if cols:
        set_columns(conn, pid, cols)
        touched += sorted(cols)
    for field, table in _TYPED_LISTS.items():
        key, extra = CHILD_TABLES[table]
        held = {tuple(r[k] for k in key) for r in cur[table]}
        wanted = set(typed.get(field) or ())
        back = [r for r in now_state[table] if r[key[0]] in wanted and tuple(r[k] for k in key) not in held]
        if not back:
            continue
        pos = next_position(conn, table, pid)
        for i, r in enumerate(back):
            add_child(conn, table, pid, [pos + i if c == "position" else r.get(c) for c in key + extra])
        # in the order the survivor had them (the first email is the one mail goes to)
        then = [r[key[0]] for r in now_state[table]]
        held_now = [
            r[0]
            for r in conn.execute(
                f"SELECT {key[0]} FROM {table} WHERE contact_id = ? ORDER BY {CHILDREN[table]}", (pid,)
            )
        ]
        order = [v for v in then if v in held_now] + [v for v in held_now if v not in then]
        conn.executemany(
            f"UPDATE {table} SET position = ? WHERE contact_id = ? AND {key[0]} = ?",
            [(i, pid, v) for i, v in enumerate(order)],
        )
        touched.append(table)
    taken: list[dict[str, str]] = []
    for field, value in typed.get("identities") or ():
        if field not in models.IDENTITIES:
            continue
        platform, column = models.IDENTITIES[field]
        rows_then = [r for r in now_state["contact_identities"] if r["platform"] == platform]
        if not any(r[column] == value for r in rows_then):
            continue  # changed again since it was typed: the replay put back what it is now
        found = conn.execute(
            f"SELECT id, contact_id FROM contact_identities WHERE platform = ? AND {column} = ?",
            (platform, value),
        ).fetchone()
        if found is not None and found[1] == pid:
            continue
        if found is not None and found[1] != sid:
            continue  # another contact's (not reachable: the survivor held it until now)
        if found is not None:
            _release_identity(conn, found[0], column)
            taken.append({"field": field, "value": value})
        conn.execute(
            f"INSERT INTO contact_identities(contact_id, platform, {column}, created_at) VALUES (?, ?, ?, ?)",
            (pid, platform, value, now),
        )
        if "contact_identities" not in touched:
            touched.append("contact_identities")
    return touched, taken


def _release_identity(conn: apsw.Connection, ident_id: int, column: str) -> None:
    """Drop one id of an identity row: the row goes when it held no other."""
    other = "handle" if column == "external_id" else "external_id"
    conn.execute(f"DELETE FROM contact_identities WHERE id = ? AND {other} IS NULL", (ident_id,))
    conn.execute(f"UPDATE contact_identities SET {column} = NULL WHERE id = ?", (ident_id,))


def restore_contact_row(conn: apsw.Connection, state: dict[str, Any], *, into: int | None = None) -> int:
    """Write a snapshot's contacts row back: over contact `into`, or as a new row (same UUID)."""
    data = with_plain_name(_resolved(conn, state["contact"], state.get("refs")))
    if into is None:
        return insert_row(conn, "contacts", data)
    data.pop("id", None)
    conn.execute(
        f"UPDATE contacts SET {', '.join(f'{k} = ?' for k in data)} WHERE id = ?", (*data.values(), into)
    )
    return into


def restore_contact(conn: apsw.Connection, state: dict[str, Any]) -> int | None:
    """Put a contact deleted whole back from its `snapshot` (its row under the same uuid, its child rows,
    events and suggestions), leaving no trace of the deletion among the deleted ids; None when a contact
    of that uuid exists again."""
    uuid = state["contact"]["uuid"]
    if conn.execute("SELECT 1 FROM contacts WHERE uuid = ?", (uuid,)).fetchone() is not None:
        return None
    cid = restore_contact_row(conn, state)
    restore_children(conn, cid, state, tables=list(CHILDREN))
    restore_events(conn, cid, state)
    conn.execute("DELETE FROM deleted_contacts WHERE contact_uuid = ?", (uuid,))
    return cid


def clear_children(conn: apsw.Connection, cid: int) -> None:
    for table in CHILDREN:
        conn.execute(f"DELETE FROM {table} WHERE contact_id = ?", (cid,))


def restore_children(
    conn: apsw.Connection, cid: int, state: dict[str, Any], *, tables: Sequence[str]
) -> None:
    for table in tables:
        for r in state[table]:
            if table == "contact_tags":
                # a journal written before tags were composed (NFC) holds them as they were then; they
                # come back in today's form, two that fold into one as one [value-normalisation]
                add_child(conn, table, cid, [r["tag"], r["position"]])
            else:
                insert_row(conn, table, dict(r, contact_id=cid))


def restore_events(conn: apsw.Connection, cid: int, state: dict[str, Any]) -> None:
    ids: dict[int, int] = {}
    for r in state["detected_events"]:
        ids[r["id"]] = insert_row(conn, "detected_events", dict(r, contact_id=cid))
    for r in state["follow_up_suggestions"]:
        ev = r.get("trigger_event_id")
        if ev in ids:
            ev = ids[ev]
        elif ev is not None and not _exists(conn, "detected_events", ev):
            ev = None
        insert_row(conn, "follow_up_suggestions", dict(r, contact_id=cid, trigger_event_id=ev))


# ---------------------------------------------------------------- merge moves


def colliding_interactions(conn: apsw.Connection, src: int, dst: int) -> list[dict[str, Any]]:
    """The source's interactions whose reference the destination already holds, with their `_refs`."""
    found = rows(
        conn,
        "SELECT * FROM interactions s WHERE s.contact_id = ? AND s.raw_reference_id IS NOT NULL "
        "AND EXISTS (SELECT 1 FROM interactions d WHERE d.contact_id = ? "
        "AND d.raw_reference_id = s.raw_reference_id) ORDER BY s.id",
        (src, dst),
    )
    return [_with_refs(conn, r) for r in found]


def delete_interactions(conn: apsw.Connection, ids: Sequence[int]) -> None:
    conn.executemany("DELETE FROM interactions WHERE id = ?", [(i,) for i in ids])


def move_interactions(conn: apsw.Connection, src: int, dst: int) -> list[str]:
    """Move every interaction of `src` onto `dst`; returns their uuids, in rowid order."""
    moved = conn.execute(
        "UPDATE interactions SET contact_id = ? WHERE contact_id = ? RETURNING id, uuid", (dst, src)
    ).fetchall()
    return [str(u) for _i, u in sorted(moved)]


def move_back_interactions(conn: apsw.Connection, moved: Sequence[int | str], frm: int, to: int) -> int:
    """Put the interactions a merge moved (their uuids; rowids in journals written before) that are still
    on `frm` back on `to`."""
    col = "uuid" if all(isinstance(m, str) for m in moved) else "id"
    n = 0
    for chunk_start in range(0, len(moved), 500):
        chunk = [str(m) if col == "uuid" else int(m) for m in moved[chunk_start : chunk_start + 500]]
        conn.execute(
            f"UPDATE interactions SET contact_id = ? WHERE contact_id = ? "
            f"AND {col} IN ({','.join('?' * len(chunk))})",
            (to, frm, *chunk),
        )
        n += conn.changes()
    return n


def newer_interactions(conn: apsw.Connection, cid: int, since: str) -> int:
    return integer(
        conn, "SELECT count(*) FROM interactions WHERE contact_id = ? AND created_at > ?", (cid, since)
    )


def move_identities(conn: apsw.Connection, src: int, dst: int, now: str) -> None:
    """Clear the source's identities first (unique indexes), then give them to the destination. They
    are inserted anew, so the destination's own (older) identities keep winning the [child-tables]
    projection."""
    idents = rows(
        conn,
        "SELECT platform, external_id, handle, created_at FROM contact_identities "
        "WHERE contact_id = ? ORDER BY id",
        (src,),
    )
    conn.execute("DELETE FROM contact_identities WHERE contact_id = ?", (src,))
    conn.executemany(
        "INSERT INTO contact_identities(contact_id, platform, external_id, handle, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [(dst, r["platform"], r["external_id"], r["handle"], r["created_at"]) for r in idents],
    )


def append_children(conn: apsw.Connection, dst: int, src_state: dict[str, Any]) -> None:
    """Unions ([merge-rules] step 2): the source's emails, phones, tags and fields after the destination's."""
    base = integer(
        conn, "SELECT coalesce(max(position), -1) + 1 FROM contact_emails WHERE contact_id = ?", (dst,)
    )
    conn.executemany(
        "INSERT OR IGNORE INTO contact_emails(contact_id, email, label, position) VALUES (?,?,?,?)",
        [(dst, r["email"], r["label"], base + i) for i, r in enumerate(src_state["contact_emails"])],
    )
    base = integer(
        conn, "SELECT coalesce(max(position), -1) + 1 FROM contact_phones WHERE contact_id = ?", (dst,)
    )
    conn.executemany(
        "INSERT OR IGNORE INTO contact_phones(contact_id, phone, normalized, label, position) "
        "VALUES (?,?,?,?,?)",
        [
            (dst, r["phone"], r["normalized"], r["label"], base + i)
            for i, r in enumerate(src_state["contact_phones"])
        ],
    )
    base = integer(
        conn, "SELECT coalesce(max(position), -1) + 1 FROM contact_tags WHERE contact_id = ?", (dst,)
    )
    conn.executemany(
        "INSERT OR IGNORE INTO contact_tags(contact_id, tag, position) VALUES (?,?,?)",
        [(dst, r["tag"], base + i) for i, r in enumerate(src_state["contact_tags"])],
    )
    append_fields(conn, dst, src_state["contact_fields"])


def append_fields(conn: apsw.Connection, dst: int, fields: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add contact_fields rows (kind, label, value, optional pref) after the destination's, skipping one
    it already holds by `field_key`, as imports do [merge-rules]: an address in another shape (structured
    ADR or one flat text) or under another label ("Home", "home") is the value held. Returns the rows
    added."""
    have = {
        field_key(r[0], r[1])
        for r in conn.execute("SELECT kind, value FROM contact_fields WHERE contact_id = ?", (dst,))
    }
    new: list[dict[str, Any]] = []
    for r in fields:
        key = field_key(r["kind"], r["value"])
        if key not in have:
            have.add(key)
            new.append(r)
    base = integer(
        conn, "SELECT coalesce(max(position), -1) + 1 FROM contact_fields WHERE contact_id = ?", (dst,)
    )
    conn.executemany(
        "INSERT INTO contact_fields(contact_id, kind, label, value, pref, position) VALUES (?,?,?,?,?,?)",
        [(dst, r["kind"], r["label"], r["value"], r.get("pref"), base + i) for i, r in enumerate(new)],
    )
    return new


def set_columns(conn: apsw.Connection, cid: int, values: dict[str, Any]) -> None:
    """Write columns of contact `cid`; a part of its name takes its folded forms along."""
    if values:
        values = with_names(conn, cid, dict(values))
        conn.execute(
            f"UPDATE contacts SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
            (*values.values(), cid),
        )


# ---------------------------------------------------------------- journal

_JOURNAL = (
    "id AS _rowid, uuid AS id, primary_contact_id AS _primary, primary_uuid, merged_uuid, match_score, "
    "match_method, merged_at, unmerged_at"
)


def journal(
    conn: apsw.Connection,
    *,
    primary: int,
    primary_uuid: str,
    merged_uuid: str,
    score: float,
    method: str,
    primary_before: dict[str, Any],
    merged_before: dict[str, Any],
    moved: dict[str, Any],
    now: str,
) -> str:
    uuid = new_uuid()
    conn.execute(
        "INSERT INTO contact_merges(uuid, primary_contact_id, primary_uuid, merged_uuid, match_score, "
        "match_method, primary_before, merged_before, moved, merged_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (
            uuid,
            primary,
            primary_uuid,
            merged_uuid,
            score,
            method,
            dumps(primary_before).decode(),
            dumps(merged_before).decode(),
            dumps(moved).decode(),
            now,
        ),
    )
    return uuid


def get_merge(conn: apsw.Connection, merge_uuid: str, *, full: bool = False) -> dict[str, Any] | None:
    cols = _JOURNAL + (", primary_before, merged_before, moved" if full else "")
    r = one(conn, f"SELECT {cols} FROM contact_merges WHERE uuid = ?", (merge_uuid.lower(),))
    if r and full:
        for k in ("primary_before", "merged_before", "moved"):
            r[k] = loads(r[k])
    return r


def merge_prefix(conn: apsw.Connection, prefix: str) -> list[str]:
    low = prefix.strip().lower()
    return [
        r[0]
        for r in conn.execute(
            "SELECT uuid FROM contact_merges WHERE uuid >= ? AND uuid < ? LIMIT 10", (low, low + "\uffff")
        )
    ]


def history(conn: apsw.Connection, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    """A page of the journal, each merge with both contacts' names as the merge found them and how lists
    showed them then (`primary_shown`, `merged_shown`: by address or number when nameless) [display-name]."""
    total = integer(conn, "SELECT count(*) FROM contact_merges")
    shown = _shown_columns("primary", "merged")
    items = rows(
        conn,
        f"SELECT {_JOURNAL}, json_extract(merged_before, '$.contact.full_name') AS merged_name, "
        "json_extract(primary_before, '$.contact.full_name') AS primary_name, "
        "json_array_length(moved, '$.interactions') AS interactions_moved, "
        f"json_array_length(moved, '$.collisions') AS collisions, {shown} "
        "FROM contact_merges ORDER BY merged_at DESC, id DESC LIMIT ? OFFSET ?",
        (limit, offset),
    )
    for r in items:
        _add_shown(r, "primary", "merged")
    return items, total


def _shown_columns(*sides: str) -> str:
    """The columns `_add_shown` reads: each side's snapshot of the contact, its first address and number."""
    return ", ".join(
        f"json_extract({side}_before, '$.contact') AS _{side}_contact, "
        f"json_extract({side}_before, '$.contact_emails[0].email') AS _{side}_email, "
        f"json_extract({side}_before, '$.contact_phones[0].phone') AS _{side}_phone"
        for side in sides
    )


def _add_shown(r: dict[str, Any], *sides: str) -> None:
    """`<side>_shown` in place of `_shown_columns`' columns: how lists showed that side's contact when the
    merge found it, by its address or number when it had no name [display-name]."""
    for side in sides:
        contact = loads(r.pop(f"_{side}_contact") or "{}")
        email, phone = r.pop(f"_{side}_email"), r.pop(f"_{side}_phone")
        contact["emails"], contact["phones"] = [email] if email else [], [phone] if phone else []
        r[f"{side}_shown"] = models.display_name(contact)


def later_merges(conn: apsw.Connection, merge: dict[str, Any]) -> list[dict[str, Any]]:
    """Merges still in force, made after this one, that involve its survivor."""
    return rows(
        conn,
        f"SELECT {_JOURNAL} FROM contact_merges WHERE unmerged_at IS NULL AND id != ? "
        "AND (merged_at > ? OR (merged_at = ? AND id > ?)) "
        "AND (primary_uuid = ? OR merged_uuid = ?) ORDER BY merged_at DESC, id DESC",
        (
            merge["_rowid"],
            merge["merged_at"],
            merge["merged_at"],
            merge["_rowid"],
            merge["primary_uuid"],
            merge["primary_uuid"],
        ),
    )


def merged_into(conn: apsw.Connection, uuids: Sequence[str]) -> list[dict[str, Any]]:
    """The merges still in force whose survivor is one of `uuids`, newest first, with the merged
    contact's name and how lists showed it (`merged_shown`) [display-name]."""
    found = rows(
        conn,
        f"SELECT {_JOURNAL}, json_extract(merged_before, '$.contact.full_name') AS merged_name, "
        f"{_shown_columns('merged')} "
        "FROM contact_merges WHERE unmerged_at IS NULL AND primary_uuid IN (SELECT value FROM json_each(?)) "
        "ORDER BY merged_at DESC, id DESC",
        (json.dumps(list(uuids)),),
    )
    for r in found:
        _add_shown(r, "merged")
    return found


def merged_since(conn: apsw.Connection, uuid: str, others: Sequence[str]) -> set[str]:
    """Those of `others` the store has merged with the contact of id `uuid` (one into the other, or both
    into a third, through any chain of merges still in force): the user has said they are one person."""
    mine = _merged_into_chain(conn, uuid)
    return {o for o in others if _merged_into_chain(conn, o) & mine}


def _merged_into_chain(conn: apsw.Connection, uuid: str) -> set[str]:
    """The id and each id it was merged into, then that one into, ... (merges still in force)."""
    return {
        str(r[0])
        for r in conn.execute(
            "WITH RECURSIVE up(u) AS (SELECT ?1 UNION SELECT m.primary_uuid FROM contact_merges m "
            "JOIN up ON m.merged_uuid = up.u WHERE m.unmerged_at IS NULL) SELECT u FROM up",
            (uuid.lower(),),
        )
    }


def merges_taking(conn: apsw.Connection, merged: str) -> list[dict[str, Any]]:
    """The merges still in force that took away a contact whose id is `merged` or starts with it (a unique
    prefix as `pcrm identity history` shows it), up to 2 distinct contacts, each with its survivor's name
    as the merge found it (`survivor_name`) and how lists showed it (`primary_shown`) [merged-references].
    Read only once a reference fits no contact: a scan of the journal, which has no index on the merged id."""
    low = merged.strip().lower()
    found = rows(
        conn,
        f"SELECT {_JOURNAL}, json_extract(primary_before, '$.contact.full_name') AS survivor_name, "
        f"{_shown_columns('primary')} "
        "FROM contact_merges WHERE unmerged_at IS NULL AND merged_uuid >= ? AND merged_uuid < ? "
        "ORDER BY merged_at DESC, id DESC LIMIT 10",
        (low, low + "\uffff"),
    )
    for r in found:
        _add_shown(r, "primary")
    return found


def mark_unmerged(conn: apsw.Connection, rowid: int, now: str) -> None:
    conn.execute("UPDATE contact_merges SET unmerged_at = ? WHERE id = ?", (now, rowid))


def merges_touching_batch(
    conn: apsw.Connection, batch: tuple[int, str], uuids: Sequence[str], since: str
) -> list[dict[str, Any]]:
    """Merges still in force, made since `since`, that involve one of `uuids` or a contact the import
    batch (rowid, uuid) created (found in either side's journaled prior state: by the batch's uuid in its
    `refs`, by its rowid in a journal written before those)."""
    # one JSON array parameter, not one variable per uuid: a batch of 50,000 contacts passed SQLite's
    # limit of 32,766 variables ("too many SQL variables")
    wanted = "(SELECT value FROM json_each(?))"
    created = (
        "(CASE WHEN json_type({0}, '$.refs') IS NULL THEN json_extract({0}, '$.contact.import_batch_id') = ? "
        "ELSE json_extract({0}, '$.refs.import_batch_id') = ? END)"
    )
    return rows(
        conn,
        f"SELECT {_JOURNAL} FROM contact_merges WHERE unmerged_at IS NULL AND merged_at >= ? "
        f"AND (primary_uuid IN {wanted} OR merged_uuid IN {wanted} "
        f"OR {created.format('primary_before')} OR {created.format('merged_before')}) "
        "ORDER BY merged_at DESC, id DESC",
        (since, json.dumps(list(uuids)), json.dumps(list(uuids)), *batch, *batch),
    )
