"""Organizations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import apsw

from pcrm.domain.normalize import fold
from pcrm.serialize import dumps, loads
from pcrm.store.rows import exists, integer, maybe_int, maybe_str, new_uuid, one, rows

ORG_FIELDS = (
    "name",
    "domain",
    "industry",
    "location",
    "website",
    "linkedin_url",
    "twitter_handle",
    "notes",
    "logo_url",
)


def rowid_for_uuid(conn: apsw.Connection, uuid: str) -> int | None:
    return maybe_int(conn, "SELECT id FROM organizations WHERE uuid = ?", (str(uuid).lower(),))


def find_by_name(conn: apsw.Connection, name: str) -> int | None:
    return maybe_int(
        conn, "SELECT id FROM organizations WHERE name_fold = ? ORDER BY id LIMIT 1", (fold(name),)
    )


def holding_domain(conn: apsw.Connection, domain: str) -> list[tuple[int, str]]:
    """(rowid, name) of the organizations holding this domain (stored lower-case, as typed domains and email
    domains are)."""
    return [
        (r[0], r[1])
        for r in conn.execute("SELECT id, name FROM organizations WHERE domain = ? ORDER BY id", (domain,))
    ]


def others_holding_domain(conn: apsw.Connection, domain: str, oid: int) -> list[dict[str, Any]]:
    """{id (public), name} of the organizations other than `oid` holding this domain."""
    return [
        {"id": r[0], "name": r[1]}
        for r in conn.execute(
            "SELECT uuid, name FROM organizations WHERE domain = ? AND id != ? ORDER BY id", (domain, oid)
        )
    ]


# the names organizations gave up: renamed away from them by an edit not undone (bulk_updates kind org-edit,
# oldest first), or merged away under them while the merge stands (to its target). The rename is picked by
# `changes`, which comes before a bulk update's list of contacts in the row: a big bulk update's list is
# never read
_RENAMES = (
    "SELECT json_extract(changes, '$.organization.uuid'),"
    " json_extract(changes, '$.organization.before.name'),"
    " json_extract(changes, '$.organization.after.name'), created_at, id FROM bulk_updates"
    " WHERE kind = 'org-edit' AND undone_at IS NULL"
    " AND json_extract(changes, '$.organization.after.name') IS NOT NULL ORDER BY created_at, id"
)
_MERGED_NAMES = (
    "SELECT target_uuid, json_extract(source_before, '$.name'), merged_at, id FROM org_merges"
    " WHERE unmerged_at IS NULL ORDER BY merged_at, id"
)


def aliases(conn: apsw.Connection) -> dict[str, tuple[str, str]]:
    """The names organizations gave up [company-orgs]: folded name -> (uuid of the organization that was
    last called so, the name as it was written), read in two queries (an import reads them once). A rename
    is the user's word on what the employer is called now, except one that gives an organization back a
    name it had: the names it passed through since are a slip put right, not its names, and are dropped.
    The latest rename or merge to give a name up wins."""
    gave: list[tuple[str, str, str, str, int]] = []  # (folded, uuid, name, at, id) of each name given up
    dropped: set[int] = set()  # indexes in `gave` of the names passed through by a slip
    left: dict[str, list[tuple[str, int]]] = {}  # org uuid -> (folded, index in `gave`) of names it left
    for uuid, was, now, at, rid in conn.execute(_RENAMES):
        if not uuid or was is None or fold(str(was)) == fold(str(now)):
            continue
        names = left.setdefault(uuid, [])
        back = next((i for i, (f, _) in enumerate(names) if f == fold(str(now))), None)
        if back is not None:  # a name it had: those it took since were no names of its own
            dropped.update(i for _, i in names[back:])
            del names[back:]
            continue
        names.append((fold(str(was)), len(gave)))
        gave.append((fold(str(was)), uuid, str(was), at, rid))
    gave = [g for i, g in enumerate(gave) if i not in dropped]
    for target, was, at, rid in conn.execute(_MERGED_NAMES):
        if was is not None:
            gave.append((fold(str(was)), target, str(was), at, rid))
    out: dict[str, tuple[str, str, str, int]] = {}
    for key, uuid, name, at, rid in gave:
        if key not in out or (at, rid) >= out[key][2:]:
            out[key] = (uuid, name, at, rid)
    return {k: (v[0], v[1]) for k, v in out.items()}


def live_for(conn: apsw.Connection, uuid: str | None) -> int | None:
    """The live organization `uuid` is, or was merged into (followed through the merges in force)."""
    for _ in range(32):  # each step a merge in force; a chain this long is none a user made
        if uuid is None:
            return None
        live = rowid_for_uuid(conn, uuid)
        if live is not None:
            return live
        uuid = maybe_str(
            conn,
            "SELECT target_uuid FROM org_merges WHERE source_uuid = ? AND unmerged_at IS NULL "
            "ORDER BY merged_at DESC, id DESC LIMIT 1",
            (uuid,),
        )
    return None


def once_called(
    conn: apsw.Connection, name: str, known: Mapping[str, tuple[str, str]] | None = None
) -> int | None:
    """The live organization that the user's rename or merge took the name `name` (any case) from, if any
    [company-orgs]: the latest such rename (not undone) or merge (in force), followed through the merges in
    force that took that organization since. A company named so is that employer still. `known`: `aliases`
    read before (an import reads them once), else they are read here."""
    got = (aliases(conn) if known is None else known).get(fold(name))
    return live_for(conn, got[0]) if got is not None else None


def former_names(conn: apsw.Connection, oid: int) -> list[str]:
    """The names the organization `oid` gave up by a rename or a merge into it, that a company still names
    it by (`once_called`), in alphabetical order."""
    return sorted((name for uuid, name in aliases(conn).values() if live_for(conn, uuid) == oid), key=fold)


def insert(
    conn: apsw.Connection,
    fields: dict[str, Any],
    now: str,
    *,
    uuid: str | None = None,
    for_company: bool = False,
) -> int:
    """A new organization; `for_company`: pcrm makes it for a contact's company (m046), not the user."""
    data: dict[str, Any] = {k: v for k, v in fields.items() if k in ORG_FIELDS}
    data["name_fold"] = fold(data["name"])
    data["uuid"] = uuid or new_uuid()
    data["created_at"] = data["updated_at"] = now
    data["made_for_company"] = int(for_company)
    conn.execute(
        f"INSERT INTO organizations ({', '.join(data)}) VALUES ({', '.join('?' * len(data))})",
        tuple(data.values()),
    )
    return conn.last_insert_rowid()


def update(
    conn: apsw.Connection, oid: int, fields: dict[str, Any], now: str, *, by_pcrm: bool = False
) -> None:
    """Set these values; an organization pcrm made for a company is the user's from then on (m046), unless
    `by_pcrm`: the domain the company rule gives or takes back [company-orgs]."""
    data: dict[str, Any] = {k: v for k, v in fields.items() if k in ORG_FIELDS}
    if "name" in data:
        data["name_fold"] = fold(data["name"])
    data["updated_at"] = now
    if not by_pcrm:
        data["made_for_company"] = 0
    conn.execute(
        f"UPDATE organizations SET {', '.join(f'{k} = ?' for k in data)} WHERE id = ?", (*data.values(), oid)
    )


def get(conn: apsw.Connection, oid: int) -> dict[str, Any] | None:
    r = rows(
        conn,
        "SELECT id AS _rowid, uuid AS id, "
        + ", ".join(ORG_FIELDS)
        + ", created_at, updated_at FROM organizations WHERE id = ?",
        (oid,),
    )
    return r[0] if r else None


def link_contact(conn: apsw.Connection, cid: int, oid: int | None) -> None:
    conn.execute("UPDATE contacts SET organization_id = ? WHERE id = ?", (oid, cid))


# ---------------------------------------------------------------- reads with stats [company-orgs]
# [org-dedupe]

_ORG_COLUMNS = (
    "o.id AS _rowid, o.uuid AS id, "
    + ", ".join(f"o.{f}" for f in ORG_FIELDS)
    + ", o.created_at, o.updated_at"
)
_ACTIVE = "c.priority_level != 'archived'"


def stats_for(conn: apsw.Connection, ids: list[int]) -> dict[int, dict[str, Any]]:
    """The [company-orgs] stats over non-archived contacts, computed live: contact_count,
    avg_relationship_score (rounded to a whole number), total_interactions, last_interaction_at. Orgs without
    such contacts
    are missing from the result (callers fill zeros)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    out: dict[int, dict[str, Any]] = {}
    for oid, n, avg, total, last in conn.execute(
        f"SELECT c.organization_id, count(*), CAST(round(avg(c.relationship_score)) AS INTEGER), "
        f"coalesce(sum(c.interaction_count), 0), max(c.last_interaction_at) FROM contacts c "
        f"WHERE c.organization_id IN ({marks}) AND {_ACTIVE} GROUP BY c.organization_id",
        tuple(ids),
    ):
        out[oid] = {
            "contact_count": n,
            "avg_relationship_score": avg or 0,
            "total_interactions": total,
            "last_interaction_at": last,
        }
    return out


def archived_counts(conn: apsw.Connection, ids: list[int]) -> dict[int, int]:
    """How many archived contacts each org has, for the orgs that have some [org-counts]."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    sql = (
        f"SELECT c.organization_id, count(*) FROM contacts c WHERE c.organization_id IN ({marks}) "
        f"AND NOT ({_ACTIVE}) GROUP BY c.organization_id"
    )
    return {int(oid): int(n) for oid, n in conn.execute(sql, tuple(ids))}


def fetch(conn: apsw.Connection, ids: list[int]) -> list[dict[str, Any]]:
    """Org responses (fields + stats) in the given order, with `archived_contact_count`, the archived
    contacts the stats leave out [org-counts]; the internal rowid is dropped."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    base = {
        r["_rowid"]: r
        for r in rows(conn, f"SELECT {_ORG_COLUMNS} FROM organizations o WHERE o.id IN ({marks})", tuple(ids))
    }
    stats = stats_for(conn, ids)
    archived = archived_counts(conn, ids)
    out = []
    for oid in ids:
        r = base.get(oid)
        if r is None:
            continue
        r.pop("_rowid")
        r.update(
            stats.get(oid)
            or {
                "contact_count": 0,
                "avg_relationship_score": 0,
                "total_interactions": 0,
                "last_interaction_at": None,
            }
        )
        r["archived_contact_count"] = archived.get(oid, 0)
        out.append(r)
    return out


def matching(conn: apsw.Connection, *, include_empty: bool) -> list[tuple[int, str]]:
    """(rowid, folded name) of the orgs to list: by default only those with a non-archived contact (the
    caller filters by name: accents are ignored there, which SQL cannot do)."""
    where = (
        "1"
        if include_empty
        else f"EXISTS (SELECT 1 FROM contacts c WHERE c.organization_id = o.id AND {_ACTIVE})"
    )
    sql = f"SELECT o.id, o.name_fold FROM organizations o WHERE {where}"
    return [(r[0], r[1]) for r in conn.execute(sql)]


def members(conn: apsw.Connection, oid: int, limit: int) -> list[dict[str, Any]]:
    """An org's contacts: active ones first, then archived, each group by score desc."""
    return rows(
        conn,
        "SELECT id AS _rowid, uuid AS id, full_name, given_name, family_name, title, avatar_url, "
        "relationship_score, "
        "priority_level, last_interaction_at FROM contacts WHERE organization_id = ? "
        "ORDER BY priority_level = 'archived', relationship_score DESC, name_fold, id LIMIT ?",
        (oid, limit),
    )


def member_count(conn: apsw.Connection, oid: int) -> int:
    """How many contacts the organization has, archived ones included."""
    return integer(conn, "SELECT count(*) FROM contacts WHERE organization_id = ?", (oid,))


def member_ids(conn: apsw.Connection, oid: int) -> list[int]:
    return [r[0] for r in conn.execute("SELECT id FROM contacts WHERE organization_id = ?", (oid,))]


def ids_by_name(conn: apsw.Connection, name_fold: str, limit: int = 20) -> list[int]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT id FROM organizations WHERE name_fold = ? ORDER BY id LIMIT ?", (name_fold, limit)
        )
    ]


def ids_by_prefix(conn: apsw.Connection, prefix: str, limit: int = 20) -> list[int]:
    low = prefix.strip().lower()
    return [
        r[0]
        for r in conn.execute(
            "SELECT id FROM organizations WHERE uuid >= ? AND uuid < ? ORDER BY id LIMIT ?",
            (low, low + "\uffff", limit),
        )
    ]


def names(conn: apsw.Connection, ids: list[int]) -> list[dict[str, Any]]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return rows(
        conn,
        f"SELECT id AS _rowid, uuid AS id, name FROM organizations WHERE id IN ({marks}) ORDER BY id",
        tuple(ids),
    )


# ---------------------------------------------------------------- writes on linked contacts


def rename_members(conn: apsw.Connection, oid: int, name: str, now: str) -> int:
    """Copy an org's name into `company` on every linked contact ([company-orgs] PATCH)."""
    conn.execute(
        "UPDATE contacts SET company = ?, updated_at = ? WHERE organization_id = ? AND company IS NOT ?",
        (name, now, oid, name),
    )
    return conn.changes()


def rename_contacts(conn: apsw.Connection, uuids: Sequence[str], name: str, now: str) -> int:
    """Give these contacts (uuids) the company `name` (a rename's undo, for those linked since)."""
    conn.executemany(
        "UPDATE contacts SET company = ?, updated_at = ? WHERE uuid = ?", [(name, now, u) for u in uuids]
    )
    return len(uuids)


def assign_by_domain(conn: apsw.Connection, oid: int, domain: str, name: str, now: str) -> int:
    """Link unlinked contacts that have an email at `domain`, filling an empty company with the org name."""
    conn.execute(
        "UPDATE contacts SET organization_id = ?, company = coalesce(nullif(trim(company), ''), ?), "
        "updated_at = ? WHERE organization_id IS NULL AND id IN "
        "(SELECT contact_id FROM contact_emails WHERE substr(email, -length(?) - 1) = '@' || ?)",
        (oid, name, now, domain, domain),
    )
    return conn.changes()


def unlinked_companies(conn: apsw.Connection) -> list[tuple[int, str]]:
    """(rowid, company) of the contacts that name a company but belong to no organization."""
    return [
        (r[0], r[1])
        for r in conn.execute(
            "SELECT id, company FROM contacts "
            "WHERE organization_id IS NULL AND trim(coalesce(company, '')) != ''"
        )
    ]


def link_contacts(conn: apsw.Connection, oid: int, ids: Sequence[int], now: str) -> int:
    """Link these contacts to the organization (their company text stays as typed)."""
    conn.executemany(
        "UPDATE contacts SET organization_id = ?, updated_at = ? WHERE id = ?",
        [(oid, now, cid) for cid in ids],
    )
    return len(ids)


def move_members(conn: apsw.Connection, source: int, target: int, target_name: str, now: str) -> int:
    """Move every contact of `source` to `target`, setting their company to the target's name."""
    conn.execute(
        "UPDATE contacts SET organization_id = ?, company = ?, updated_at = ? WHERE organization_id = ?",
        (target, target_name, now, source),
    )
    return conn.changes()


def leftovers(conn: apsw.Connection, oids: Sequence[int]) -> list[dict[str, Any]]:
    """{id, uuid, name} of those organizations a delete of contacts left behind that pcrm made for a company
    and may take out [company-orgs]: made by pcrm for a contact's company and not edited since (m046), no
    contact left, no logo, in no organization merge nor duplicate match, and named by no change not undone
    but the company edits of contacts gone since (an `orgs add`, a bulk update: theirs to undo)."""
    if not oids:
        return []
    marks = ", ".join("?" * len(oids))
    return rows(
        conn,
        f"SELECT o.id, o.uuid, o.name FROM organizations o WHERE o.id IN ({marks}) "
        "AND o.made_for_company = 1 AND o.logo_url IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM contacts x WHERE x.organization_id = o.id) "
        "AND NOT EXISTS (SELECT 1 FROM org_merges m WHERE o.uuid IN (m.target_uuid, m.source_uuid)) "
        "AND NOT EXISTS (SELECT 1 FROM org_identity_matches x WHERE o.id IN (x.org_a_id, x.org_b_id)) "
        "AND NOT EXISTS (SELECT 1 FROM bulk_updates b WHERE b.undone_at IS NULL "
        "  AND (instr(b.changes, o.uuid) > 0 OR instr(b.contacts, o.uuid) > 0) "
        "  AND NOT (b.kind = 'contact-company' AND NOT EXISTS (SELECT 1 FROM json_each(b.contacts) j "
        "    JOIN contacts x ON x.uuid = json_extract(j.value, '$.uuid')))) "
        "ORDER BY o.id",
        tuple(oids),
    )


def delete(conn: apsw.Connection, oid: int) -> None:
    """Delete an org; its contacts are unlinked by the foreign key (ON DELETE SET NULL)."""
    conn.execute("DELETE FROM organizations WHERE id = ?", (oid,))


# ---------------------------------------------------------------- the merge journal (m007)


def raw_row(conn: apsw.Connection, oid: int) -> dict[str, Any] | None:
    return one(conn, "SELECT * FROM organizations WHERE id = ?", (oid,))


def member_companies(conn: apsw.Connection, oid: int) -> list[list[Any]]:
    """[contact uuid, company] of every contact of the organization."""
    return [
        list(r)
        for r in conn.execute(
            "SELECT uuid, company FROM contacts WHERE organization_id = ? ORDER BY id", (oid,)
        )
    ]


def journal_merge(
    conn: apsw.Connection,
    *,
    target_uuid: str,
    target_name: str,
    source: dict[str, Any],
    filled: dict[str, Any],
    contacts: list[list[Any]],
    now: str,
) -> str:
    uuid = new_uuid()
    conn.execute(
        "INSERT INTO org_merges(uuid, target_uuid, target_name, source_uuid, source_before, target_filled, "
        "contacts, merged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            uuid,
            target_uuid,
            target_name,
            source["uuid"],
            dumps(source).decode(),
            dumps(filled).decode(),
            dumps(contacts).decode(),
            now,
        ),
    )
    return uuid


_MERGE_COLUMNS = (
    "id AS _rowid, uuid AS id, target_uuid, target_name, source_uuid, source_before, target_filled, "
    "contacts, merged_at, unmerged_at"
)


def _merge_row(r: dict[str, Any]) -> dict[str, Any]:
    for k in ("source_before", "target_filled", "contacts"):
        r[k] = loads(r[k])
    return r


def find_merge(conn: apsw.Connection, ref: str) -> list[dict[str, Any]]:
    """Merges whose id is `ref` or starts with it (at most 10)."""
    low = ref.strip().lower()
    return [
        _merge_row(r)
        for r in rows(
            conn,
            f"SELECT {_MERGE_COLUMNS} FROM org_merges WHERE uuid >= ? AND uuid < ? ORDER BY uuid LIMIT 10",
            (low, low + "\uffff"),
        )
    ]


def note_merged_pair(conn: apsw.Connection, merge_uuid: str, pair_uuid: str) -> None:
    """Remember in a merge's journal the duplicate pair it resolved [org-dedupe]: the pair's row goes
    with the organization merged away, and its id is looked up again (`merge_of_pair`). Kept under
    `_pair` in the journaled row, which `restore_row` leaves out."""
    conn.execute(
        "UPDATE org_merges SET source_before = json_set(source_before, '$._pair', ?) WHERE uuid = ?",
        (pair_uuid, merge_uuid),
    )


def merge_of_pair(conn: apsw.Connection, ref: str) -> list[dict[str, Any]]:
    """The merges that resolved the duplicate pair whose id is `ref` or starts with it (at most 10)."""
    low = ref.strip().lower()
    return [
        _merge_row(r)
        for r in rows(
            conn,
            f"SELECT {_MERGE_COLUMNS} FROM org_merges WHERE json_extract(source_before, '$._pair') >= ? "
            "AND json_extract(source_before, '$._pair') < ? ORDER BY merged_at DESC, id DESC LIMIT 10",
            (low, low + "\uffff"),
        )
    ]


def merges_from(conn: apsw.Connection, source_uuid: str, since: str) -> list[dict[str, Any]]:
    """Merges, not undone, that merged `source_uuid` away after `since` (newest first)."""
    return [
        _merge_row(r)
        for r in rows(
            conn,
            f"SELECT {_MERGE_COLUMNS} FROM org_merges WHERE source_uuid = ? "
            "AND merged_at >= ? AND unmerged_at IS NULL ORDER BY merged_at DESC, "
            "id DESC",
            (source_uuid, since),
        )
    ]


def merges_taking(
    conn: apsw.Connection, *, id_prefix: str | None = None, name: str | None = None
) -> list[dict[str, Any]]:
    """Merges still in force that took away an organization whose id starts with `id_prefix`, or whose
    name was `name` (compared folded, as organization names are), newest first (at most 10)."""
    args: tuple[str, ...]
    if id_prefix is not None:
        low = id_prefix.strip().lower()
        where, args = "source_uuid >= ? AND source_uuid < ?", (low, low + "\uffff")
    else:
        where, args = "pcrm_fold(json_extract(source_before, '$.name')) = ?", (fold(name or ""),)
    return [
        _merge_row(r)
        for r in rows(
            conn,
            f"SELECT {_MERGE_COLUMNS} FROM org_merges WHERE unmerged_at IS NULL AND {where} "
            "ORDER BY merged_at DESC, id DESC LIMIT 10",
            args,
        )
    ]


def merge_history(conn: apsw.Connection, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    total = integer(conn, "SELECT count(*) FROM org_merges")
    items = rows(
        conn,
        "SELECT uuid AS id, target_uuid, target_name, source_uuid, "
        "json_extract(source_before, '$.name') AS source_name, json_array_length(contacts) AS contacts, "
        "merged_at, unmerged_at FROM org_merges ORDER BY merged_at DESC, id DESC LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return items, total


def restore_row(conn: apsw.Connection, row: dict[str, Any]) -> int:
    """Insert a journaled organization row again, under its old rowid when that is free."""
    data = {k: v for k, v in row.items() if not k.startswith("_")}  # `_pair`: a note, not a column
    if exists(conn, "SELECT 1 FROM organizations WHERE id = ?", (data.get("id"),)):
        data.pop("id")
    conn.execute(
        f"INSERT INTO organizations ({', '.join(data)}) VALUES ({', '.join('?' * len(data))})",
        tuple(data.values()),
    )
    return conn.last_insert_rowid()


def merges_into(conn: apsw.Connection, target_uuid: str) -> list[dict[str, Any]]:
    """Merges into `target_uuid` that are not undone."""
    return [
        _merge_row(r)
        for r in rows(
            conn,
            f"SELECT {_MERGE_COLUMNS} FROM org_merges WHERE target_uuid = ? AND unmerged_at IS NULL",
            (target_uuid,),
        )
    ]


def clear_filled(
    conn: apsw.Connection,
    oid: int,
    filled: dict[str, Any],
    now: str,
    also_from: Sequence[dict[str, Any]] = (),
) -> list[str]:
    """Empty again the columns a merge filled, where they still hold what it put there and no other
    source still merged in (`also_from`, journal rows) brought the same value."""
    cur = raw_row(conn, oid) or {}
    back = []
    for k, v in filled.items():
        if k not in ORG_FIELDS or cur.get(k) != v:
            continue
        heir = next((m for m in also_from if (m.get("source_before") or {}).get(k) == v), None)
        if heir is None:
            back.append(k)
        else:  # that merge now counts as the one that filled it: undoing it later empties the field
            conn.execute(
                "UPDATE org_merges SET target_filled = json_set(target_filled, '$.' || ?, ?) WHERE id = ?",
                (k, v, heir["_rowid"]),
            )
            heir["target_filled"] = {**heir.get("target_filled", {}), k: v}
    if back:
        conn.execute(
            f"UPDATE organizations SET {', '.join(f'{k} = NULL' for k in back)}, updated_at = ? WHERE id = ?",
            (now, oid),
        )
    return back


def give_back_contact(
    conn: apsw.Connection,
    contact_uuid: str,
    *,
    frm: int | None,
    frm_names: tuple[str, ...],
    to: int,
    company: str | None,
    now: str,
) -> bool:
    """Move a contact back to the organization it came from, with its old company, if it is still where
    the merge put it: the same organization, and a company that is one of its names (the one at the merge,
    or its name now: renaming an organization renames its contacts' company). False when it moved or
    its company was edited. `frm` None: the organization was deleted since, leaving it unlinked."""
    marks = ", ".join("?" * len(frm_names))
    conn.execute(
        f"UPDATE contacts SET organization_id = ?, company = ?, updated_at = ? WHERE uuid = ? "
        f"AND organization_id IS ? AND company IN ({marks})",
        (to, company, now, contact_uuid, frm, *frm_names),
    )
    return conn.changes() > 0


def take_back_by_company(conn: apsw.Connection, *, frm: int | None, to: int, name: str, now: str) -> int:
    """Link to `to` the contacts of `frm` (None: of no organization) whose company is `name` (any case):
    those that joined `frm` while `to` was merged into it, by the company naming `to` [org-dedupe].
    Their company stays as typed. Returns how many moved."""
    conn.execute(
        "UPDATE contacts SET organization_id = ?, updated_at = ? WHERE organization_id IS ? "
        "AND pcrm_fold(company) = ?",
        (to, now, frm, fold(name)),
    )
    return conn.changes()


def mark_merge_undone(conn: apsw.Connection, rowid: int, now: str) -> None:
    conn.execute("UPDATE org_merges SET unmerged_at = ? WHERE id = ?", (now, rowid))


def without_logo(conn: apsw.Connection) -> list[int]:
    """Organizations with a domain or a website and no logo (the logo backfill)."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT id FROM organizations WHERE coalesce(logo_url, '') = '' "
            "AND (coalesce(domain, '') != '' OR coalesce(website, '') != '') ORDER BY id"
        )
    ]


# ---------------------------------------------------------------- an edit's or a removal's undo [bulk-undo]


def unlinked_at_domain(conn: apsw.Connection, domain: str) -> list[int]:
    """The contacts `assign_by_domain` would link: no organization, an email at `domain`."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT id FROM contacts WHERE organization_id IS NULL AND id IN "
            "(SELECT contact_id FROM contact_emails WHERE substr(email, -length(?) - 1) = '@' || ?)",
            (domain, domain),
        )
    ]


def matches_of(conn: apsw.Connection, oid: int) -> list[dict[str, Any]]:
    """The duplicate matches of an organization (its remembered pairs), the other one named by uuid: what
    its removal deletes with it (ON DELETE CASCADE)."""
    return rows(
        conn,
        "SELECT m.uuid, a.uuid AS org_a, b.uuid AS org_b, m.match_score, m.match_method, m.status, "
        "m.created_at, m.resolved_at FROM org_identity_matches m "
        "JOIN organizations a ON a.id = m.org_a_id JOIN organizations b ON b.id = m.org_b_id "
        "WHERE ? IN (m.org_a_id, m.org_b_id) ORDER BY m.id",
        (oid,),
    )


def restore_matches(conn: apsw.Connection, matches: Sequence[dict[str, Any]]) -> int:
    """Insert `matches_of`'s rows again where both organizations are there and the pair is not matched
    again since; how many."""
    n = 0
    for m in matches:
        conn.execute(
            "INSERT OR IGNORE INTO org_identity_matches(uuid, org_a_id, org_b_id, match_score, match_method, "
            "status, created_at, resolved_at) SELECT ?, a.id, b.id, ?, ?, ?, ?, ? "
            "FROM organizations a, organizations b WHERE a.uuid = ? AND b.uuid = ?",
            (
                m["uuid"],
                m["match_score"],
                m["match_method"],
                m["status"],
                m["created_at"],
                m["resolved_at"],
                m["org_a"],
                m["org_b"],
            ),
        )
        n += conn.changes()
    return n


def put_back_values(conn: apsw.Connection, oid: int, values: dict[str, Any]) -> None:
    """Set these columns of an organization (`raw_row`'s names: the ORG_FIELDS, name_fold, updated_at)."""
    cols = [k for k in values if k in (*ORG_FIELDS, "name_fold", "updated_at")]
    if cols:
        conn.execute(
            f"UPDATE organizations SET {', '.join(f'{k} = ?' for k in cols)} WHERE id = ?",
            (*(values[k] for k in cols), oid),
        )
