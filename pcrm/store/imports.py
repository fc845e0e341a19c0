"""Import batches, their journal of changes, and the look-ups and child-row writes importers need.

A batch row records one import ([import-undo] provenance): contacts and interactions it created point at it
through `import_batch_id`; what it changed on existing contacts is journaled in `changes` as
before/after values, so `pcrm import undo` can revert exactly what is still as the import left it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import apsw

from pcrm.domain.models import NO_NAME
from pcrm.domain.normalize import tag as norm_tag
from pcrm.domain.wording import counted
from pcrm.serialize import dumps, loads
from pcrm.store.contacts import display_names, with_plain_name
from pcrm.store.rows import integer, maybe_int, new_uuid, one, rows

# ---------------------------------------------------------------- batches


def insert_batch(
    conn: apsw.Connection, *, source: str, fmt: str, filename: str | None, now: str
) -> tuple[int, str]:
    uuid = new_uuid()
    conn.execute(
        "INSERT INTO import_batches(uuid, source, format, filename, status, created_at) "
        "VALUES (?, ?, ?, ?, 'applied', ?)",
        (uuid, source, fmt, filename, now),
    )
    return conn.last_insert_rowid(), uuid


def finish_batch(conn: apsw.Connection, bid: int, report: dict[str, Any], changes: dict[str, Any]) -> None:
    conn.execute(
        "UPDATE import_batches SET report = ?, changes = ? WHERE id = ?",
        (dumps(report).decode(), dumps(changes).decode(), bid),
    )


def delete_batch(conn: apsw.Connection, bid: int) -> None:
    conn.execute("DELETE FROM import_batches WHERE id = ?", (bid,))


def _batch_shape(r: dict[str, Any]) -> dict[str, Any]:
    r["report"] = loads(r["report"]) if r.get("report") else None
    if "changes" in r:
        r["changes"] = loads(r["changes"]) if r.get("changes") else {}
    return r


def list_batches(conn: apsw.Connection, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    total = integer(conn, "SELECT count(*) FROM import_batches")
    # import_batches.id: the row's number (a bare `id` is the uuid's alias here)
    items = rows(
        conn,
        "SELECT uuid AS id, source, format, filename, status, report, created_at, undone_at "
        "FROM import_batches ORDER BY created_at DESC, import_batches.id DESC LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return [_batch_shape(r) for r in items], total


def find_batches(conn: apsw.Connection, ref: str) -> list[dict[str, Any]]:
    """Batches whose uuid is or starts with `ref` (at most 10)."""
    low = ref.strip().lower()
    return [
        _batch_shape(r)
        for r in rows(
            conn,
            "SELECT id AS _rowid, uuid AS id, source, format, filename, status, report, changes, created_at, "
            "undone_at FROM import_batches WHERE uuid >= ? AND uuid < ? ORDER BY id LIMIT 10",
            (low, low + "\uffff"),
        )
    ]


def later_applied_batches(conn: apsw.Connection, bid: int) -> list[dict[str, Any]]:
    return [
        _batch_shape(r)
        for r in rows(
            conn,
            "SELECT id AS _rowid, uuid AS id, changes, report, created_at, status, source, format, filename, "
            "undone_at FROM import_batches WHERE id > ? AND status = 'applied' ORDER BY id",
            (bid,),
        )
    ]


def mark_undone(conn: apsw.Connection, bid: int, now: str) -> None:
    conn.execute("UPDATE import_batches SET status = 'undone', undone_at = ? WHERE id = ?", (now, bid))


def created_contact_uuids(conn: apsw.Connection, bid: int) -> list[str]:
    return [
        r[0] for r in conn.execute("SELECT uuid FROM contacts WHERE import_batch_id = ? ORDER BY id", (bid,))
    ]


def created_avatar_urls(conn: apsw.Connection, bid: int) -> list[str]:
    """The photos an import saved for the contacts it created: named after the contact (<uuid>.<ext>)."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT avatar_url FROM contacts WHERE import_batch_id = ? "
            "AND avatar_url LIKE '/static/avatars/' || uuid || '.%'",
            (bid,),
        )
    ]


def created_with_later_work(conn: apsw.Connection, bid: int) -> list[dict[str, Any]]:
    """The contacts a batch created that the user has worked on since [import-undo]: edited by hand
    (a mark in `user_edited_fields` other than those the batch itself brought from pcrm's own file, its
    journal's `marks_set`; a row of the edit journal [hand-edits]; or named in the journal's `edited_since`,
    where an older pcrm noted an edit), or holding an interaction the batch did not bring (a note, a logged
    call, a message of a sync or of another import). Each as {_rowid, id, full_name, display_name, why}."""
    found = conn.execute(
        "SELECT c.id, c.uuid, c.full_name, EXISTS (SELECT 1 FROM json_each(coalesce(c.user_edited_fields, "
        "'[]')) f WHERE f.value NOT IN (SELECT m.value FROM import_batches b, json_each(coalesce(b.changes, "
        "'{}'), '$.marks_set.\"' || c.uuid || '\"') m WHERE b.id = c.import_batch_id)) "
        "OR EXISTS (SELECT 1 FROM edit_journal j WHERE j.contact_uuid = c.uuid) "
        "OR c.uuid IN (SELECT value FROM import_batches b, json_each(coalesce(b.changes, '{}'), "
        "'$.edited_since') WHERE b.id = c.import_batch_id), "
        "(SELECT count(*) FROM interactions i WHERE i.contact_id = c.id AND i.import_batch_id IS NOT ?) "
        "FROM contacts c WHERE c.import_batch_id = ?",
        (bid, bid),
    ).fetchall()
    out: list[dict[str, Any]] = []
    for cid, uuid, name, edited, others in found:
        why = (["edited since"] if edited else []) + (
            [f"{counted(int(others), 'interaction')} not from it"] if others else []
        )
        if why:
            out.append({"_rowid": cid, "id": uuid, "full_name": name, "why": why})
    shown = _shown(conn, [(c["_rowid"], c["full_name"], c["id"]) for c in out])
    for c in out:
        c["display_name"] = shown[c["_rowid"]]  # [display-name]
    return out


# the columns of a contact that say nothing of the person beyond the name and LinkedIn profile a chat's sender
# comes with: its keys, provenance, and what pcrm derives (scores, search forms, the BCC code)
_BARE = {
    "id",
    "uuid",
    "full_name",
    "given_name",
    "family_name",
    "name_fold",
    "name_plain",
    "name_umlaut",
    "linkedin_url",
    "relationship_score",
    "interaction_count",
    "last_interaction_at",
    "score_computed_at",
    "source",
    "user_edited_fields",
    "bcc_hash",
    "import_batch_id",
    "created_at",
    "updated_at",
}


def made_only_for_messages(conn: apsw.Connection, cid: int, source: str) -> bool:
    """Whether contact `cid` is one an import of `source` created for the sender of messages and nothing
    else is known of [chat-takeouts]: no interaction left, no value but its name and LinkedIn profile (no
    email, phone, tag, extra field, note, company, priority; no identity but LinkedIn's), never edited by
    hand, named by no other import's journal, no sync's, in no merge and no review pair."""
    row = one(conn, "SELECT * FROM contacts WHERE id = ?", (cid,))
    if row is None or row["import_batch_id"] is None or row["sync_run_id"] is not None:
        return False
    if (
        row["source"] != source
        or row["priority_level"] != "medium"
        or row["user_edited_fields"] not in ("[]", "")
    ):
        return False
    if any(
        v not in (None, "")
        for k, v in row.items()
        if k not in _BARE and k not in ("priority_level", "sync_run_id")
    ):
        return False
    uuid = row["uuid"]
    found = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM interactions WHERE contact_id = ?1) "
        "OR EXISTS (SELECT 1 FROM contact_emails WHERE contact_id = ?1) "
        "OR EXISTS (SELECT 1 FROM contact_phones WHERE contact_id = ?1) "
        "OR EXISTS (SELECT 1 FROM contact_tags WHERE contact_id = ?1) "
        "OR EXISTS (SELECT 1 FROM contact_fields WHERE contact_id = ?1) "
        "OR EXISTS (SELECT 1 FROM contact_identities WHERE contact_id = ?1 AND platform != 'linkedin') "
        "OR EXISTS (SELECT 1 FROM detected_events WHERE contact_id = ?1) "
        "OR EXISTS (SELECT 1 FROM identity_matches WHERE contact_a_id = ?1 OR contact_b_id = ?1) "
        "OR EXISTS (SELECT 1 FROM edit_journal WHERE contact_uuid = ?2) "
        "OR EXISTS (SELECT 1 FROM contact_merges WHERE primary_uuid = ?2 OR merged_uuid = ?2) "
        "OR EXISTS (SELECT 1 FROM import_batches WHERE id != ?3 AND instr(coalesce(changes, ''), ?2) > 0)",
        (cid, uuid, row["import_batch_id"]),
    ).fetchone()
    return found is not None and not found[0]


def adopt_created(conn: apsw.Connection, ids: Sequence[int]) -> None:
    """Detach contacts from the batch that created them, so undoing it keeps them [import-undo]."""
    conn.executemany("UPDATE contacts SET import_batch_id = NULL WHERE id = ?", [(i,) for i in ids])


def delete_created(conn: apsw.Connection, bid: int) -> dict[str, int]:
    """Remove what a batch created: detected events, interactions, then contacts (children cascade), with
    every review pair naming one of them, answered or not (a pair's second contact is only set to NULL when
    deleted, which kept a rejected pair naming a contact the undo removed [import-undo])."""
    out = {}
    conn.execute("DELETE FROM detected_events WHERE import_batch_id = ?", (bid,))
    out["events_removed"] = conn.changes()
    conn.execute("DELETE FROM interactions WHERE import_batch_id = ?", (bid,))
    out["interactions_removed"] = conn.changes()
    mine = "(SELECT id FROM contacts WHERE import_batch_id = ?)"
    conn.execute(
        f"DELETE FROM identity_matches WHERE contact_a_id IN {mine} OR contact_b_id IN {mine}", (bid, bid)
    )
    gone = [r[0] for r in conn.execute("SELECT uuid FROM contacts WHERE import_batch_id = ?", (bid,))]
    conn.execute("DELETE FROM contacts WHERE import_batch_id = ?", (bid,))
    out["contacts_removed"] = conn.changes()
    # the undo puts the store back as it was: the contacts it created leave no id among those deleted
    # (a folder export knows their cards by its record of what it wrote) [vcard-folders]
    for start in range(0, len(gone), 500):
        conn.execute(
            "DELETE FROM deleted_contacts WHERE contact_uuid IN (SELECT value FROM json_each(?))",
            (dumps(gone[start : start + 500]).decode(),),
        )
    return out


def contacts_losing_interactions(conn: apsw.Connection, bid: int) -> list[int]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT i.contact_id FROM interactions i JOIN contacts c ON c.id = i.contact_id "
            "WHERE i.import_batch_id = ? AND (c.import_batch_id IS NOT ? )",
            (bid, bid),
        )
    ]


def delete_pending_matches(conn: apsw.Connection, uuids: Sequence[str]) -> None:
    """Remove the identity matches a batch queued that are still pending review."""
    conn.executemany(
        "DELETE FROM identity_matches WHERE uuid = ? AND status = 'pending_review'", [(u,) for u in uuids]
    )


def undo_kept_apart(conn: apsw.Connection, added: Sequence[str], rejected: Sequence[str]) -> None:
    """Take back the answers an import's file carried [kept-apart]: the rejected pairs it added go, the
    pending pairs it rejected wait for review again; a pair the user merged since stays."""
    conn.executemany(
        "DELETE FROM identity_matches WHERE uuid = ? AND status = 'rejected'", [(u,) for u in added]
    )
    conn.executemany(
        "UPDATE identity_matches SET status = 'pending_review', resolved_at = NULL "
        "WHERE uuid = ? AND status = 'rejected'",
        [(u,) for u in rejected],
    )


# ---------------------------------------------------------------- organizations


def max_org_id(conn: apsw.Connection) -> int:
    return integer(conn, "SELECT coalesce(max(id), 0) FROM organizations")


def org_uuids_after(conn: apsw.Connection, oid: int) -> list[str]:
    return [r[0] for r in conn.execute("SELECT uuid FROM organizations WHERE id > ? ORDER BY id", (oid,))]


def org_domains_left(conn: apsw.Connection, uuids: Sequence[str]) -> dict[str, list[Any]]:
    """uuid -> [domain, updated_at] of each of these organizations that has a domain (an import's journal
    of the organizations it created, as it left them)."""
    out: dict[str, list[Any]] = {}
    for start in range(0, len(uuids), 500):
        part = dumps(list(uuids[start : start + 500])).decode()
        for uuid, domain, updated in conn.execute(
            "SELECT uuid, domain, updated_at FROM organizations "
            "WHERE uuid IN (SELECT value FROM json_each(?)) AND domain IS NOT NULL",
            (part,),
        ):
            out[uuid] = [domain, updated]
    return out


def kept_org(conn: apsw.Connection, uuid: str) -> dict[str, Any] | None:
    """An organization an undo leaves in place: {_rowid, id, name, domain, created_at, updated_at,
    members (how many contacts link to it), emails (theirs)}; None when it is gone."""
    r = rows(
        conn,
        "SELECT id AS _rowid, uuid AS id, name, domain, created_at, updated_at FROM organizations "
        "WHERE uuid = ?",
        (uuid,),
    )
    if not r:
        return None
    org = r[0]
    oid = org["_rowid"]
    org["members"] = integer(conn, "SELECT count(*) FROM contacts WHERE organization_id = ?", (oid,))
    org["emails"] = [
        e
        for (e,) in conn.execute(
            "SELECT e.email FROM contact_emails e JOIN contacts c ON c.id = e.contact_id "
            "WHERE c.organization_id = ?",
            (oid,),
        )
    ]
    return org


def delete_unused_orgs(conn: apsw.Connection, uuids: Sequence[str]) -> int:
    n = 0
    for u in uuids:
        conn.execute(
            "DELETE FROM organizations WHERE uuid = ? AND NOT EXISTS "
            "(SELECT 1 FROM contacts c WHERE c.organization_id = organizations.id)",
            (u,),
        )
        n += conn.changes()
    return n


# ---------------------------------------------------------------- snapshots for the journal

# Contact columns an import may change (everything but keys, provenance and creation time; name_plain and
# name_umlaut follow name_fold, store.contacts.with_plain_name).
_SKIP_COLS = {"id", "uuid", "import_batch_id", "sync_run_id", "created_at", "name_plain", "name_umlaut"}
CHILD_TABLES = {
    # table: (columns identifying a row, extra columns kept)
    "contact_emails": (("email",), ("label", "position")),
    "contact_phones": (("normalized",), ("phone", "label", "position")),
    "contact_tags": (("tag",), ("position",)),
    "contact_identities": (("platform", "external_id", "handle"), ("created_at",)),
    "contact_fields": (("kind", "label", "value"), ("pref", "position")),
}


def contact_columns(conn: apsw.Connection) -> list[str]:
    return [r[1] for r in conn.execute("PRAGMA table_info(contacts)") if r[1] not in _SKIP_COLS]


def snapshot(conn: apsw.Connection, cid: int, columns: Sequence[str]) -> dict[str, Any]:
    """A contact's changeable state: scalar columns (organization as its uuid) and child rows."""
    sel = ", ".join(f"c.{c}" if c != "organization_id" else "o.uuid AS organization_id" for c in columns)
    r = rows(
        conn,
        f"SELECT {sel} FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id WHERE c.id = ?",
        (cid,),
    )
    out: dict[str, Any] = {"scalars": r[0] if r else {}}
    for table, (key, extra) in CHILD_TABLES.items():
        cols = key + extra
        order = "position, " + ", ".join(key) if "position" in extra else "created_at, " + ", ".join(key)
        out[table] = [
            list(x)
            for x in conn.execute(
                f"SELECT {', '.join(cols)} FROM {table} WHERE contact_id = ? ORDER BY {order}", (cid,)
            )
        ]
    return out


def contact_state(
    conn: apsw.Connection, uuid: str, columns: Sequence[str]
) -> tuple[int, dict[str, Any]] | None:
    cid = maybe_int(conn, "SELECT id FROM contacts WHERE uuid = ?", (uuid,))
    if cid is None:
        return None
    return cid, snapshot(conn, cid, columns)


def set_scalars(conn: apsw.Connection, cid: int, values: dict[str, Any]) -> None:
    """Write raw column values back (undo); organization_id arrives as a uuid."""
    if not values:
        return
    data = with_plain_name(dict(values))
    if "organization_id" in data and data["organization_id"] is not None:
        data["organization_id"] = maybe_int(
            conn, "SELECT id FROM organizations WHERE uuid = ?", (data["organization_id"],)
        )
    sets = ", ".join(f"{k} = ?" for k in data)
    conn.execute(f"UPDATE contacts SET {sets} WHERE id = ?", (*data.values(), cid))


def stored_tag(tag: str) -> str:
    """A tag read from a journal (an import's, a merge's) in the form the store holds it: a journal an older
    pcrm wrote keeps a tag as it was then, and migration m022 has composed (NFC) every stored tag holding
    non-ASCII text since [value-normalisation]."""
    return tag if tag.isascii() else (norm_tag(tag) or tag)


def remove_child(conn: apsw.Connection, table: str, cid: int, row: Sequence[Any]) -> None:
    key, _extra = CHILD_TABLES[table]
    cond = " AND ".join(f"{k} IS ?" for k in key)
    conn.execute(f"DELETE FROM {table} WHERE contact_id = ? AND {cond}", (cid, *row[: len(key)]))


def remove_added(conn: apsw.Connection, table: str, cid: int, row: Sequence[Any]) -> None:
    """Take back a child row an import added (`pcrm import undo`) [import-undo]. A tag journaled before tags
    were composed is stored composed since m022, which kept a contact's own earlier copy of it where that
    was: the composed tag goes only while it sits at the position the import gave it, so a tag the contact
    held before the import stays [value-normalisation]."""
    remove_child(conn, table, cid, row)
    if table == "contact_tags" and (now := stored_tag(row[0])) != row[0]:
        conn.execute(
            "DELETE FROM contact_tags WHERE contact_id = ? AND tag = ? AND position = ?", (cid, now, row[1])
        )


# child table -> the order its rows are read in (position first; ties, which no write makes on purpose, by
# a stable column), the one every reader of positions follows [import-undo]
CHILD_ORDER = {
    "contact_emails": "position, id",
    "contact_phones": "position, id",
    "contact_tags": "position, tag",
    "contact_identities": "id",
    "contact_fields": "position, id",
}


def close_gaps(conn: apsw.Connection, cid: int, tables: Iterable[str]) -> None:
    """Number a contact's rows of these child tables 0, 1, 2... in the order they are read: after an undo took
    some out (or put some back where others sit now), as a contact that never had them holds them."""
    for table in tables:
        if "position" not in CHILD_TABLES[table][1]:
            continue
        row = "tag" if table == "contact_tags" else "id"  # what names one row (tags: WITHOUT ROWID)
        ids = [
            r[0]
            for r in conn.execute(
                f"SELECT {row} FROM {table} WHERE contact_id = ? ORDER BY {CHILD_ORDER[table]}", (cid,)
            )
        ]
        conn.executemany(
            f"UPDATE {table} SET position = ? WHERE contact_id = ? AND {row} = ? AND position IS NOT ?",
            [(i, cid, one, i) for i, one in enumerate(ids)],
        )


def add_child(conn: apsw.Connection, table: str, cid: int, row: Sequence[Any]) -> None:
    """Write a journaled child row back (INSERT OR IGNORE: a row the contact holds again stays); a tag in
    today's form [value-normalisation]."""
    key, extra = CHILD_TABLES[table]
    cols = ("contact_id", *key, *extra)
    if table == "contact_tags":
        row = [stored_tag(row[0]), *row[1:]]
    conn.execute(
        f"INSERT OR IGNORE INTO {table}({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", (cid, *row)
    )


# ---------------------------------------------------------------- child rows appended by imports


def next_position(conn: apsw.Connection, table: str, cid: int) -> int:
    return integer(conn, f"SELECT coalesce(max(position) + 1, 0) FROM {table} WHERE contact_id = ?", (cid,))


def append_emails(conn: apsw.Connection, cid: int, emails: Iterable[str]) -> None:
    pos = next_position(conn, "contact_emails", cid)
    for i, e in enumerate(emails):
        conn.execute(
            "INSERT OR IGNORE INTO contact_emails(contact_id, email, position) VALUES (?, ?, ?)",
            (cid, e, pos + i),
        )


def append_phones(conn: apsw.Connection, cid: int, phones: Iterable[tuple[str, str]]) -> None:
    pos = next_position(conn, "contact_phones", cid)
    for i, (raw, norm) in enumerate(phones):
        conn.execute(
            "INSERT OR IGNORE INTO contact_phones(contact_id, phone, normalized, position) "
            "VALUES (?, ?, ?, ?)",
            (cid, raw, norm, pos + i),
        )


def append_tags(conn: apsw.Connection, cid: int, tags: Iterable[str]) -> None:
    pos = next_position(conn, "contact_tags", cid)
    for i, t in enumerate(tags):
        conn.execute(
            "INSERT OR IGNORE INTO contact_tags(contact_id, tag, position) VALUES (?, ?, ?)",
            (cid, t, pos + i),
        )


def append_fields(conn: apsw.Connection, cid: int, items: Iterable[dict[str, Any]]) -> None:
    pos = next_position(conn, "contact_fields", cid)
    for i, f in enumerate(items):
        conn.execute(
            "INSERT INTO contact_fields(contact_id, kind, label, value, pref, position) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (cid, f["kind"], f.get("label"), f["value"], f.get("pref"), pos + i),
        )


def relabel_field(
    conn: apsw.Connection, cid: int, kind: str, value: str, held: str, field: dict[str, Any]
) -> None:
    """Put `field` in the place of the contact's extra field (kind, value) held under the label `held` ("":
    none) [relabelled-fields]: the same row, its position kept, its pref unless the field brings one."""
    conn.execute(
        "UPDATE contact_fields SET kind = ?, label = ?, value = ?, pref = coalesce(?, pref) WHERE id = ("
        "SELECT id FROM contact_fields WHERE contact_id = ? AND kind = ? AND value = ? "
        "AND coalesce(label, '') = ? ORDER BY position, id LIMIT 1)",
        (
            field["kind"],
            field.get("label") or None,
            field["value"],
            field.get("pref"),
            cid,
            kind,
            value,
            held,
        ),
    )


def add_identity(conn: apsw.Connection, cid: int, platform: str, column: str, value: str, now: str) -> None:
    assert column in ("external_id", "handle")
    conn.execute(
        f"INSERT INTO contact_identities(contact_id, platform, {column}, created_at) VALUES (?, ?, ?, ?)",
        (cid, platform, value, now),
    )


# ---------------------------------------------------------------- detected events


def insert_event(
    conn: apsw.Connection,
    cid: int,
    *,
    event_type: str,
    summary: str,
    details: dict[str, Any],
    source_url: str | None,
    batch_id: int | None,
    now: str,
) -> str:
    uuid = new_uuid()
    conn.execute(
        "INSERT INTO detected_events(uuid, contact_id, event_type, confidence, summary, source_url, "
        "details, import_batch_id, detected_at, created_at) VALUES (?, ?, ?, 1.0, ?, ?, ?, ?, ?, ?)",
        (uuid, cid, event_type, summary, source_url, dumps(details).decode(), batch_id, now, now),
    )
    return uuid


# ---------------------------------------------------------------- the bulk path for new contacts


def insert_contacts(conn: apsw.Connection, columns: Sequence[str], values: Iterable[Sequence[Any]]) -> None:
    conn.executemany(
        f"INSERT INTO contacts ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", values
    )


def insert_children(
    conn: apsw.Connection,
    emails: Sequence[tuple[Any, ...]],
    phones: Sequence[tuple[Any, ...]],
    tags: Sequence[tuple[Any, ...]],
    identities: Sequence[tuple[Any, ...]],
    fields: Sequence[tuple[Any, ...]],
) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO contact_emails(contact_id, email, position) VALUES (?, ?, ?)", emails
    )
    conn.executemany(
        "INSERT OR IGNORE INTO contact_phones(contact_id, phone, normalized, position) VALUES (?, ?, ?, ?)",
        phones,
    )
    conn.executemany("INSERT OR IGNORE INTO contact_tags(contact_id, tag, position) VALUES (?, ?, ?)", tags)
    conn.executemany(
        "INSERT INTO contact_identities(contact_id, platform, external_id, handle, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        identities,
    )
    conn.executemany(
        "INSERT INTO contact_fields(contact_id, kind, label, value, pref, position) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        fields,
    )


def org_snapshot(conn: apsw.Connection, oid: int) -> dict[str, Any]:
    r = rows(conn, "SELECT * FROM organizations WHERE id = ?", (oid,))
    if not r:
        return {}
    return {k: v for k, v in r[0].items() if k not in ("id", "created_at")}


def set_org_columns(conn: apsw.Connection, uuid: str, values: dict[str, Any]) -> None:
    if values:
        conn.execute(
            f"UPDATE organizations SET {', '.join(f'{k} = ?' for k in values)} WHERE uuid = ?",
            (*values.values(), uuid),
        )


def org_state(conn: apsw.Connection, uuid: str) -> dict[str, Any] | None:
    oid = maybe_int(conn, "SELECT id FROM organizations WHERE uuid = ?", (uuid,))
    return org_snapshot(conn, oid) if oid is not None else None


def created_contacts(conn: apsw.Connection, batch_uuid: str) -> list[dict[str, Any]]:
    """{id, full_name} of the contacts a batch created, in creation order."""
    return rows(
        conn,
        "SELECT c.uuid AS id, c.full_name FROM contacts c JOIN import_batches b ON b.id = c.import_batch_id "
        "WHERE b.uuid = ? ORDER BY c.id",
        (batch_uuid,),
    )


def names_of(conn: apsw.Connection, uuids: Sequence[str]) -> list[str]:
    """These contacts as lists show them, in name order: by name, else by address or number
    [display-name], else by the id's first 8 characters."""
    out: list[str] = []
    for i in range(0, len(uuids), 500):
        chunk = list(uuids[i : i + 500])
        marks = ",".join("?" * len(chunk))
        found = conn.execute(f"SELECT id, full_name, uuid FROM contacts WHERE uuid IN ({marks})", chunk)
        out += _shown(conn, [(cid, name, uuid) for cid, name, uuid in found]).values()
    return sorted(out, key=str.casefold)


def _shown(conn: apsw.Connection, found: Sequence[tuple[int, str | None, str]]) -> dict[int, str]:
    """rowid -> how lists show the contact [display-name], from (rowid, full_name, uuid): a nameless one by
    its address or number, one with none of those by the id's first 8 characters."""
    by_address = display_names(conn, [cid for cid, name, _ in found if not name])
    return {
        cid: name or (by_address[cid] if by_address.get(cid, NO_NAME) != NO_NAME else uuid[:8])
        for cid, name, uuid in found
    }


def fields_written(conn: apsw.Connection, uuid: str) -> list[dict[str, list[Any]]]:
    """The fields each import batch that stands (not undone) changed on contact `uuid`, as its journal
    holds them ({column: [before, after]}), oldest first [import-undo]."""
    return [
        loads(fields)
        for (fields,) in conn.execute(
            "SELECT json_extract(changes, '$.contacts.\"' || ? || '\".fields') FROM import_batches "
            "WHERE undone_at IS NULL AND json_type(changes, '$.contacts.\"' || ? || '\".fields') = 'object' "
            "ORDER BY id",
            (uuid, uuid),
        )
    ]
