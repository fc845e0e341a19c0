"""The journal of bulk updates [bulk-undo] (table bulk_updates, m036 and m037): what each changed, per
contact (a bulk update, AI tagging, a tag rename or delete, an organization's edit, removal or addition:
the kinds are services.bulk's), so that `pcrm contacts bulk-undo` can put it back, the edit journal rows it
wrote, and the few writes that undo needs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import apsw

from pcrm.serialize import dumps, loads
from pcrm.store.rows import integer, maybe_str, new_uuid, one, rows

_CHUNK = 500


def states(conn: apsw.Connection, cids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """{rowid: {uuid, priority_level, company, organization (its uuid or None), tags (in order),
    user_edited_fields, updated_at}} of these contacts: what a bulk update can change on them (a contact
    gone is left out)."""
    ids = list(dict.fromkeys(cids))
    out: dict[int, dict[str, Any]] = {}
    for i in range(0, len(ids), _CHUNK):
        part = ids[i : i + _CHUNK]
        marks = ",".join("?" * len(part))
        for cid, uuid, priority, company, org, edited, updated in conn.execute(
            "SELECT c.id, c.uuid, c.priority_level, c.company, o.uuid, c.user_edited_fields, c.updated_at "
            "FROM contacts c "
            f"LEFT JOIN organizations o ON o.id = c.organization_id WHERE c.id IN ({marks})",
            part,
        ):
            out[cid] = {
                "uuid": uuid,
                "priority_level": priority,
                "company": company,
                "organization": org,
                "tags": [],
                "user_edited_fields": loads(edited or "[]"),
                "updated_at": updated,
            }
        for cid, tag in conn.execute(
            f"SELECT contact_id, tag FROM contact_tags WHERE contact_id IN ({marks}) "
            "ORDER BY contact_id, position, tag",
            part,
        ):
            out[cid]["tags"].append(tag)
    return out


def open_suggestions(conn: apsw.Connection, cids: Sequence[int]) -> dict[int, list[list[str]]]:
    """{rowid: [[suggestion uuid, status]]} of the pending and snoozed suggestions of these contacts: what
    archiving them dismisses."""
    out: dict[int, list[list[str]]] = {}
    ids = list(cids)
    for i in range(0, len(ids), _CHUNK):
        part = ids[i : i + _CHUNK]
        marks = ",".join("?" * len(part))
        for cid, uuid, status in conn.execute(
            "SELECT contact_id, uuid, status FROM follow_up_suggestions "
            f"WHERE status IN ('pending', 'snoozed') AND contact_id IN ({marks}) ORDER BY id",
            part,
        ):
            out.setdefault(cid, []).append([uuid, status])
    return out


def reopen(conn: apsw.Connection, items: Sequence[Sequence[str]], now: str) -> int:
    """Give these suggestions ([uuid, status]) their status back where archiving dismissed them and nothing
    has touched them since (still dismissed by the system); the number reopened."""
    n = 0
    for uuid, status in items:
        conn.execute(
            "UPDATE OR IGNORE follow_up_suggestions SET status = ?, dismissed_by = NULL, updated_at = ? "
            "WHERE uuid = ? AND status = 'dismissed' AND dismissed_by = 'system'",
            (status, now, uuid),
        )
        n += conn.changes()
    return n


def add(
    conn: apsw.Connection,
    changes: dict[str, Any],
    contacts: list[dict[str, Any]],
    now: str,
    *,
    kind: str = "bulk-update",
    hand_edits: Sequence[dict[str, Any]] = (),
    uuid: str | None = None,
) -> str:
    """Journal one change over many contacts (`kind`: what made it, m037) with the edit journal rows it
    wrote; its uuid (`uuid` when given: one chosen before the first of several writes)."""
    uuid = uuid or new_uuid()
    conn.execute(
        "INSERT INTO bulk_updates(uuid, created_at, changes, contacts, kind, hand_edits) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            uuid,
            now,
            dumps(changes).decode(),
            dumps(contacts).decode(),
            kind,
            dumps(list(hand_edits)).decode(),
        ),
    )
    return uuid


def extend(conn: apsw.Connection, uuid: str, contacts: list[dict[str, Any]]) -> bool:
    """Add what one more write of a change (AI tagging, batch by batch) did to its journal entry; False when
    there is no such entry not undone yet (the caller adds one)."""
    row = conn.execute(
        "SELECT contacts, changes FROM bulk_updates WHERE uuid = ? AND undone_at IS NULL", (uuid,)
    ).fetchone()
    if row is None:
        return False
    changes = loads(row[1])
    if "changed" in changes:  # an entry an undo left open for some counts these too (narrow)
        changes["changed"] += len(contacts)
    conn.execute(
        "UPDATE bulk_updates SET contacts = ?, changes = ? WHERE uuid = ?",
        (dumps(loads(row[0]) + contacts).decode(), dumps(changes).decode(), uuid),
    )
    return True


def exists(conn: apsw.Connection, uuid: str) -> bool:
    return conn.execute("SELECT 1 FROM bulk_updates WHERE uuid = ?", (uuid,)).fetchone() is not None


def listing(conn: apsw.Connection, limit: int) -> tuple[list[dict[str, Any]], int]:
    """The journalled changes, newest first, at most `limit` ({uuid, kind, created_at, changes (read),
    contacts: how many it changed, undone_at}), and how many there are in all."""
    found = rows(
        conn,
        "SELECT uuid, kind, created_at, changes, json_array_length(contacts) AS contacts, undone_at "
        "FROM bulk_updates ORDER BY id DESC LIMIT ?",
        (limit,),
    )
    for r in found:
        r["changes"] = loads(r["changes"])
    return found, integer(conn, "SELECT count(*) FROM bulk_updates")


def find(conn: apsw.Connection, ref: str) -> list[dict[str, Any]]:
    """The journalled bulk updates whose uuid is `ref` or starts with it (newest first), with their
    changes and contacts read."""
    found = rows(
        conn,
        "SELECT id, uuid, kind, created_at, changes, contacts, hand_edits, undone_at FROM bulk_updates "
        "WHERE uuid = ?1 OR substr(uuid, 1, length(?1)) = ?1 ORDER BY id DESC LIMIT 5",
        (ref,),
    )
    for r in found:
        r["changes"], r["contacts"] = loads(r["changes"]), loads(r["contacts"])
        r["hand_edits"] = loads(r["hand_edits"])
    return found


def merged_away(conn: apsw.Connection, uuids: Sequence[str]) -> set[str]:
    """Those of these contact uuids merged into another by a merge that stands (an unmerge brings them
    back)."""
    out: set[str] = set()
    ids = list(uuids)
    for i in range(0, len(ids), _CHUNK):
        part = ids[i : i + _CHUNK]
        marks = ",".join("?" * len(part))
        out |= {
            str(r[0])
            for r in conn.execute(
                "SELECT merged_uuid FROM contact_merges "
                f"WHERE unmerged_at IS NULL AND merged_uuid IN ({marks})",
                part,
            )
        }
    return out


def narrow(
    conn: apsw.Connection,
    uuid: str,
    changes: dict[str, Any],
    contacts: list[dict[str, Any]],
    hand_edits: Sequence[dict[str, Any]],
) -> None:
    """Leave an entry holding only what is still to undo (an undo left those contacts alone)."""
    conn.execute(
        "UPDATE bulk_updates SET changes = ?, contacts = ?, hand_edits = ? WHERE uuid = ?",
        (dumps(changes).decode(), dumps(contacts).decode(), dumps(list(hand_edits)).decode(), uuid),
    )


def mark_undone(conn: apsw.Connection, uuid: str, now: str) -> None:
    conn.execute("UPDATE bulk_updates SET undone_at = ? WHERE uuid = ?", (now, uuid))


def removal_of(conn: apsw.Connection, org_uuid: str) -> str | None:
    """The id of the newest removal of this organization not undone yet (kind org-delete), or None."""
    return maybe_str(
        conn,
        "SELECT uuid FROM bulk_updates WHERE kind = 'org-delete' AND undone_at IS NULL "
        "AND json_extract(changes, '$.organization.uuid') = ? ORDER BY created_at DESC, id DESC LIMIT 1",
        (org_uuid,),
    )


def organization_id(conn: apsw.Connection, uuid: str) -> int | None:
    row = conn.execute("SELECT id FROM organizations WHERE uuid = ?", (uuid,)).fetchone()
    return int(row[0]) if row else None


def newest_organization(conn: apsw.Connection) -> int:
    """The highest organization rowid (0 with none): those above it were made after this call."""
    return integer(conn, "SELECT coalesce(max(id), 0) FROM organizations")


def organizations_after(conn: apsw.Connection, top: int) -> list[str]:
    """The uuids of the organizations made since `newest_organization` answered `top`."""
    return [
        str(r[0]) for r in conn.execute("SELECT uuid FROM organizations WHERE id > ? ORDER BY id", (top,))
    ]


def organization_state(conn: apsw.Connection, oid: int) -> dict[str, Any] | None:
    """{uuid, domain, updated_at} of an organization, before a change gives it a domain."""
    return one(conn, "SELECT uuid, domain, updated_at FROM organizations WHERE id = ?", (oid,))


def organization_domain(conn: apsw.Connection, uuid: str) -> str | None:
    return maybe_str(conn, "SELECT domain FROM organizations WHERE uuid = ?", (uuid,))


def put_back_organization(conn: apsw.Connection, was: dict[str, Any], given: str | None) -> int:
    """Give an organization back the domain (and updated_at) it had before a change gave it `given`, where
    it still holds that one; how many (0 or 1)."""
    conn.execute(
        "UPDATE organizations SET domain = ?, updated_at = ? WHERE uuid = ? AND domain IS ?",
        (was["domain"], was["updated_at"], was["uuid"], given),
    )
    return conn.changes()


# an organization's values a user gives it (the logo is fetched, by an add, a backfill, a refresh: not theirs)
_OWN_VALUES = ("name", "domain", "industry", "location", "website", "linkedin_url", "twitter_handle", "notes")


def organization_values(conn: apsw.Connection, uuids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """{uuid: its own values} of these organizations, as a change that made them left them: the undo drops
    one that still holds them (`drop_unused_organizations`)."""
    out: dict[str, dict[str, Any]] = {}
    for uuid in uuids:
        row = one(conn, f"SELECT {', '.join(_OWN_VALUES)} FROM organizations WHERE uuid = ?", (uuid,))
        if row is not None:
            out[uuid] = row
    return out


def drop_unused_organizations(
    conn: apsw.Connection,
    uuids: Sequence[str],
    made_as: dict[str, dict[str, Any]] | None = None,
    *,
    dry_run: bool = False,
    leaving: Sequence[int] = (),
    undoing: str | None = None,
) -> tuple[list[str], list[str], list[str]]:
    """Delete those of these organizations nothing has used since they were made: no contact links to them,
    in no organization merge nor duplicate match, and their own values (`_OWN_VALUES`) still those the
    change left (`made_as`, organization_values' answer then; a logo fetched since is no use of it).
    Entries journalled without them: never edited (updated_at is still created_at). -> (the names of those
    deleted, the names of those left: used since, the uuids of those deleted). `dry_run`: deletes nothing,
    and the contacts in `leaving` (rowids: those the undo would take off them) do not count as linked.
    A change not undone yet, other than `undoing` (the entry this undo is of), whose contacts were on the
    organization before it also counts as a use: its undo puts them back on it."""
    dropped: list[str] = []
    left: list[str] = []
    gone: list[str] = []
    for uuid in uuids:
        row = one(conn, "SELECT id, name, created_at, updated_at FROM organizations WHERE uuid = ?", (uuid,))
        if row is None:
            continue
        was = (made_as or {}).get(uuid)
        same = (
            organization_values(conn, [uuid]).get(uuid) == was
            if was is not None
            else row["updated_at"] == row["created_at"]
        )
        used = integer(
            conn,
            "SELECT EXISTS (SELECT 1 FROM contacts c WHERE c.organization_id = ?1 "
            "AND c.id NOT IN (SELECT value FROM json_each(?3))) "
            "OR EXISTS (SELECT 1 FROM org_merges m WHERE ?2 IN (m.target_uuid, m.source_uuid)) "
            "OR EXISTS (SELECT 1 FROM org_identity_matches x WHERE ?1 IN (x.org_a_id, x.org_b_id)) "
            "OR EXISTS (SELECT 1 FROM bulk_updates b WHERE b.undone_at IS NULL "
            "AND b.uuid IS NOT ?4 AND instr(b.contacts, ?2) > 0)",
            (row["id"], uuid, dumps(list(leaving) if dry_run else []).decode(), undoing),
        )
        if same and not used:
            if not dry_run:
                conn.execute("DELETE FROM organizations WHERE id = ?", (row["id"],))
            dropped.append(str(row["name"]))
            gone.append(uuid)
        else:
            left.append(str(row["name"]))
    return dropped, left, gone


_LOGO_FILE = r"org_[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}(?:\.[0-9a-f]{12})?\.png"


def logo_files_named(conn: apsw.Connection, uuid: str | None = None, *, journal: bool = True) -> set[str]:
    """The names of organization `uuid`'s logo files (`org_{uuid}.png`, and the copies kept aside for an
    undo, `org_{uuid}.{digest}.png`; every organization's when None) that something still points at
    [bulk-undo]: an organization's logo_url (its own, or one a merge filled in from it), and with `journal`,
    a change not undone yet (an entry of this journal: a removal's row, an edit's kept copy; an organization
    merge: the row merged away). A file none of them names can never be shown or put back again."""
    name = re.compile(rf"org_{re.escape(uuid)}(?:\.[0-9a-f]{{12}})?\.png" if uuid else _LOGO_FILE)
    like = f"%{uuid}%" if uuid else "%org_%"
    texts = [
        str(r[0]) for r in conn.execute("SELECT logo_url FROM organizations WHERE logo_url LIKE ?", (like,))
    ]
    if journal:
        texts += [
            str(r[0])
            for r in conn.execute(
                "SELECT changes FROM bulk_updates WHERE undone_at IS NULL AND changes LIKE ?", (like,)
            )
        ]
        texts += [
            str(r[0])
            for r in conn.execute(
                "SELECT source_before || target_filled FROM org_merges WHERE unmerged_at IS NULL "
                "AND (source_before LIKE ?1 OR target_filled LIKE ?1)",
                (like,),
            )
        ]
    return {found for text in texts for found in name.findall(text)}


def put_back(
    conn: apsw.Connection, cid: int, values: dict[str, Any], edited: list[str], updated_at: str
) -> None:
    """Set a contact's priority_level / company (with organization_id) / organization_id alone / tags to
    `values` (those present), its user_edited_fields to `edited`, and its updated_at to `updated_at`."""
    if "priority_level" in values:
        conn.execute("UPDATE contacts SET priority_level = ? WHERE id = ?", (values["priority_level"], cid))
    if "company" in values:
        conn.execute(
            "UPDATE contacts SET company = ?, organization_id = ? WHERE id = ?",
            (values["company"], values.get("organization_id"), cid),
        )
    elif "organization_id" in values:
        conn.execute("UPDATE contacts SET organization_id = ? WHERE id = ?", (values["organization_id"], cid))
    if "tags" in values:
        conn.execute("DELETE FROM contact_tags WHERE contact_id = ?", (cid,))
        conn.executemany(
            "INSERT OR IGNORE INTO contact_tags(contact_id, tag, position) VALUES (?, ?, ?)",
            [(cid, t, i) for i, t in enumerate(values["tags"])],
        )
    conn.execute(
        "UPDATE contacts SET user_edited_fields = ?, updated_at = ? WHERE id = ?",
        (dumps(edited).decode(), updated_at, cid),
    )


def values_before(conn: apsw.Connection, uuid: str) -> list[dict[str, Any]]:
    """The values contact `uuid` had before each journalled change of it that stands (not undone), oldest
    first: what a hand edit typed over (a company) [protected-fields]."""
    return [
        loads(before)
        for (before,) in conn.execute(
            "SELECT json_extract(e.value, '$.before') FROM bulk_updates b, json_each(b.contacts) e "
            "WHERE b.undone_at IS NULL AND json_extract(e.value, '$.uuid') = ? "
            "AND json_type(e.value, '$.before') = 'object' ORDER BY b.id",
            (uuid,),
        )
    ]
