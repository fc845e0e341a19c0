"""Identity matches [review-queue] and the light contact rows the matcher scores."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import apsw

from pcrm.domain.normalize import full_name
from pcrm.serialize import dumps, loads
from pcrm.store.contacts import IDENTITY_FIELDS, fetch_contacts
from pcrm.store.rows import MissingRow, integer, new_uuid, one, rows


def load_people(
    conn: apsw.Connection, *, include_archived: bool = False, ids: Sequence[int] | None = None
) -> list[dict[str, Any]]:
    """Contacts as the matcher needs them, in list order (created_at, id): a handful of queries. Each
    row also carries `addresses` (its `address` field values) and `name_count` (how many non-archived
    contacts have the same folded name)."""
    where = []
    params: list[Any] = []
    if not include_archived:
        where.append("priority_level != 'archived'")
    if ids is not None:
        if not ids:
            return []
        where.append(f"id IN ({','.join(str(int(i)) for i in ids)})")
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    base: dict[int, dict[str, Any]] = {}
    for r in conn.execute(
        "SELECT id, uuid, full_name, given_name, family_name, company, birthday, location, notes, "
        "priority_level, created_at, name_fold, title, source "
        f"FROM contacts {clause} ORDER BY created_at, id",
        params,
    ):
        base[r[0]] = {
            "_rowid": r[0],
            "id": r[1],
            "full_name": r[2],
            "given_name": r[3],
            "family_name": r[4],
            "company": r[5],
            "birthday": r[6],
            "location": r[7],
            "notes": r[8],
            "priority_level": r[9],
            "created_at": r[10],
            "name_count": r[11],  # the folded name for now; its count below
            "title": r[12],
            "source": r[13],
            "emails": [],
            "phones": [],
            "tags": [],
            "extra_handles": [],
            "addresses": [],
        }
    sub = f"(SELECT id FROM contacts {clause})" if clause else None
    # how many non-archived contacts carry each of these names: a name many share says little alone
    shared = dict(
        conn.execute(
            "SELECT name_fold, count(*) FROM contacts WHERE priority_level != 'archived' AND name_fold != '' "
            + (f"AND name_fold IN (SELECT name_fold FROM contacts {clause}) " if ids is not None else "")
            + "GROUP BY name_fold HAVING count(*) > 1",
            params,
        )
    )
    for r in base.values():
        r["name_count"] = shared.get(r["name_count"], 1)

    def _child(sql: str) -> apsw.Cursor:
        if sub:
            sql = sql.replace("{in}", f"WHERE contact_id IN {sub}")
        else:
            sql = sql.replace("{in}", "")
        return conn.execute(sql, params)

    for cid, email in _child("SELECT contact_id, email FROM contact_emails {in} ORDER BY position, id"):
        if cid in base:
            base[cid]["emails"].append(email)
    for cid, norm in _child("SELECT contact_id, normalized FROM contact_phones {in} ORDER BY position, id"):
        if cid in base:
            base[cid]["phones"].append(norm)
    for cid, tag in _child("SELECT contact_id, tag FROM contact_tags {in} ORDER BY position, tag"):
        if cid in base:
            base[cid]["tags"].append(tag)
    for cid, value in _child(
        "SELECT contact_id, value FROM contact_fields {in} "
        + ("AND" if sub else "WHERE")
        + " kind = 'address' ORDER BY contact_id, pref IS NULL, pref, id"
    ):
        if cid in base:
            base[cid]["addresses"].append(value)
    for cid, platform, ext, handle in _child(
        "SELECT contact_id, platform, external_id, handle FROM contact_identities {in} ORDER BY id DESC"
    ):
        r = base.get(cid)
        if r is None:
            continue
        for f, (p, col) in IDENTITY_FIELDS.items():
            if p == platform:
                v = ext if col == "external_id" else handle
                if v is not None:
                    r[f] = v
        if handle:
            r["extra_handles"].append((platform, handle))
    return list(base.values())


Tier1Row = tuple[int, str, str, list[str], list[str], str]


def load_tier1(conn: apsw.Connection) -> list[Tier1Row]:
    """What the deterministic pass (tier 1) compares, for every non-archived contact in list order
    (created_at, id): (rowid, uuid, notes, emails, normalized phones, full name or given + family), emails
    and phones in position order. Three plain scans; no tags or identities (tier 1 never looks at them)."""
    base: dict[int, Tier1Row] = {}
    for cid, uuid, notes, full, given, family in conn.execute(
        "SELECT id, uuid, notes, full_name, given_name, family_name FROM contacts "
        "WHERE priority_level != 'archived' ORDER BY created_at, id"
    ):
        base[cid] = (cid, uuid, notes or "", [], [], full_name(full, given, family) or "")
    for cid, email in conn.execute("SELECT contact_id, email FROM contact_emails ORDER BY position, id"):
        r = base.get(cid)
        if r is not None:
            r[3].append(email)
    for cid, norm in conn.execute("SELECT contact_id, normalized FROM contact_phones ORDER BY position, id"):
        r = base.get(cid)
        if r is not None:
            r[4].append(norm)
    return list(base.values())


def tier1_notes_with_at(conn: apsw.Connection) -> bool:
    """Whether a non-archived contact's notes hold an `@` (they may name another's email)."""
    return (
        conn.execute(
            "SELECT 1 FROM contacts WHERE priority_level != 'archived' AND instr(notes, '@') > 0 LIMIT 1"
        ).fetchone()
        is not None
    )


def tier1_keys(conn: apsw.Connection, table: str) -> Iterator[tuple[int, str]]:
    """(contact rowid, value) of every non-archived contact's emails (`contact_emails`) or normalized
    phones (`contact_phones`), by contact: read as a cursor, never a list [streamed-imports]."""
    column = {"contact_emails": "email", "contact_phones": "normalized"}[table]
    for cid, value in conn.execute(
        f"SELECT k.contact_id, k.{column} FROM {table} k JOIN contacts c ON c.id = k.contact_id "
        f"WHERE c.priority_level != 'archived' AND k.{column} IS NOT NULL ORDER BY k.contact_id"
    ):
        yield int(cid), str(value)


def typed_phones(conn: apsw.Connection, ids: Sequence[int]) -> list[tuple[int, str, str]]:
    """(contact rowid, the number as typed, normalized) of these contacts, in each one's order."""
    if not ids:
        return []
    marks = ",".join(str(int(i)) for i in ids)
    found = conn.execute(
        f"SELECT contact_id, phone, normalized FROM contact_phones WHERE contact_id IN ({marks}) "
        "ORDER BY contact_id, position, id"
    )
    return [(int(cid), str(typed), str(norm)) for cid, typed, norm in found]


def phone_rows(conn: apsw.Connection) -> list[tuple[int, str]]:
    """(contact rowid, normalized phone) of every contact, archived ones too: who holds each number, so
    a shared line is known [shared-keys]."""
    found = conn.execute("SELECT contact_id, normalized FROM contact_phones")
    return [(int(cid), str(norm)) for cid, norm in found]


# ---------------------------------------------------------------- matches

_MATCH_COLS = (
    "m.id AS _rowid, m.uuid AS id, m.contact_a_id AS _a, m.contact_b_id AS _b, "
    "m.contact_a_uuid AS contact_a_id, m.contact_b_uuid AS contact_b_id, m.match_score, "
    "m.match_method, m.status, m.explanation, m.created_at, m.resolved_at"
)


def _shape(r: dict[str, Any]) -> dict[str, Any]:
    if r.get("explanation") is not None:
        r["explanation"] = loads(r["explanation"])
    return r


def seen_pairs(conn: apsw.Connection) -> set[frozenset[str]]:
    """Every pair that has a match row, whatever its status (tier 2 never re-queues them)."""
    return {frozenset(r) for r in conn.execute("SELECT contact_a_uuid, contact_b_uuid FROM identity_matches")}


def rejected_pairs(conn: apsw.Connection) -> set[frozenset[str]]:
    return {
        frozenset(r)
        for r in conn.execute(
            "SELECT contact_a_uuid, contact_b_uuid FROM identity_matches WHERE status = 'rejected'"
        )
    }


def not_same_as(conn: apsw.Connection) -> dict[str, list[str]]:
    """contact uuid -> the uuids of the contacts the user said it is not (rejected pairs), both contacts
    still in the store, sorted: what pcrm's CSV and vCard exports carry [kept-apart]."""
    out: dict[str, list[str]] = {}
    for a, b in conn.execute(
        "SELECT m.contact_a_uuid, m.contact_b_uuid FROM identity_matches m "
        "JOIN contacts a ON a.uuid = m.contact_a_uuid JOIN contacts b ON b.uuid = m.contact_b_uuid "
        "WHERE m.status = 'rejected' AND a.id != b.id"
    ):
        out.setdefault(a, []).append(b)
        out.setdefault(b, []).append(a)
    return {k: sorted(set(v)) for k, v in out.items()}


def kept_apart_pairs(conn: apsw.Connection) -> set[frozenset[str]]:
    """The pending pairs an import asked about because the file that brought them kept the two apart
    (their shared key marked `apart` [own-exports]): no identity pass merges them unasked."""
    return {
        frozenset(r)
        for r in conn.execute(
            "SELECT contact_a_uuid, contact_b_uuid FROM identity_matches WHERE status = 'pending_review' "
            "AND json_extract(explanation, '$.shared_key.apart') IS NOT NULL"
        )
    }


def is_rejected(conn: apsw.Connection, uuid_a: str, uuid_b: str) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM identity_matches WHERE status = 'rejected' "
            "AND min(contact_a_uuid, contact_b_uuid) = ? AND max(contact_a_uuid, contact_b_uuid) = ?",
            (min(uuid_a, uuid_b), max(uuid_a, uuid_b)),
        ).fetchone()
        is not None
    )


def rejected_partners(conn: apsw.Connection, uuid: str) -> set[str]:
    return {
        a if b == uuid else b
        for a, b in conn.execute(
            "SELECT contact_a_uuid, contact_b_uuid FROM identity_matches WHERE status = 'rejected' "
            "AND (contact_a_uuid = ? OR contact_b_uuid = ?)",
            (uuid, uuid),
        )
    }


def find_pair(conn: apsw.Connection, uuid_a: str, uuid_b: str) -> dict[str, Any] | None:
    r = one(
        conn,
        f"SELECT {_MATCH_COLS} FROM identity_matches m WHERE min(contact_a_uuid, contact_b_uuid) = ? "
        "AND max(contact_a_uuid, contact_b_uuid) = ?",
        (min(uuid_a, uuid_b), max(uuid_a, uuid_b)),
    )
    return _shape(r) if r else None


def get(conn: apsw.Connection, match_id: str) -> dict[str, Any] | None:
    r = one(conn, f"SELECT {_MATCH_COLS} FROM identity_matches m WHERE m.uuid = ?", (str(match_id).lower(),))
    return _shape(r) if r else None


def by_prefix(conn: apsw.Connection, prefix: str) -> list[str]:
    low = prefix.strip().lower()
    return [
        r[0]
        for r in conn.execute(
            "SELECT uuid FROM identity_matches WHERE uuid >= ? AND uuid < ? LIMIT 10", (low, low + "\uffff")
        )
    ]


def insert(
    conn: apsw.Connection,
    a: tuple[int | None, str],
    b: tuple[int | None, str],
    *,
    score: float,
    method: str,
    status: str,
    now: str,
    explanation: Any = None,
    resolved: bool = False,
) -> int:
    return integer(
        conn,
        "INSERT INTO identity_matches(uuid, contact_a_id, contact_b_id, contact_a_uuid, contact_b_uuid, "
        "match_score, match_method, status, explanation, created_at, resolved_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        (
            new_uuid(),
            a[0],
            b[0],
            a[1],
            b[1],
            score,
            method,
            status,
            dumps(explanation).decode() if explanation is not None else None,
            now,
            now if resolved else None,
        ),
    )


def update(conn: apsw.Connection, rowid: int, **fields: Any) -> None:
    if "explanation" in fields and fields["explanation"] is not None:
        fields["explanation"] = dumps(fields["explanation"]).decode()
    conn.execute(
        f"UPDATE identity_matches SET {', '.join(f'{k} = ?' for k in fields)} WHERE id = ?",
        (*fields.values(), rowid),
    )


def delete(conn: apsw.Connection, rowid: int) -> None:
    conn.execute("DELETE FROM identity_matches WHERE id = ?", (rowid,))


def delete_match(conn: apsw.Connection, ref: int | str) -> None:
    """Delete a match by its uuid (or its rowid, as journals written before uuids name it)."""
    col = "uuid" if isinstance(ref, str) else "id"
    conn.execute(f"DELETE FROM identity_matches WHERE {col} = ?", (ref,))


def pending(conn: apsw.Connection) -> list[dict[str, Any]]:
    """Pending matches whose two contacts exist and are not archived, best first [review-queue]."""
    return [
        _shape(r)
        for r in rows(
            conn,
            f"SELECT {_MATCH_COLS} FROM identity_matches m "
            "JOIN contacts a ON a.id = m.contact_a_id JOIN contacts b ON b.id = m.contact_b_id "
            "WHERE m.status = 'pending_review' AND a.priority_level != 'archived' "
            "AND b.priority_level != 'archived' ORDER BY m.match_score DESC, m.created_at, m.id",
        )
    ]


def stale_pending(conn: apsw.Connection) -> list[int]:
    """Pending rows that lost one of their contacts (deleted outside a merge)."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT id FROM identity_matches WHERE status = 'pending_review' "
            "AND (contact_a_id IS NULL OR contact_b_id IS NULL)"
        )
    ]


def rows_involving(conn: apsw.Connection, cid: int) -> list[dict[str, Any]]:
    """Raw match rows that point at a contact (for the merge journal)."""
    return rows(conn, "SELECT * FROM identity_matches WHERE contact_a_id = ? OR contact_b_id = ?", (cid, cid))


SUMMARY_FIELDS = (
    "id",
    "full_name",
    "given_name",
    "family_name",
    "emails",
    "phones",
    "company",
    "title",
    "twitter_handle",
    "telegram_username",
    "linkedin_url",
    "tags",
    "notes",
    "source",
)


def summaries(conn: apsw.Connection, ids: Sequence[int]) -> dict[str, dict[str, Any]]:
    """[review-queue] contact summaries, keyed by contact UUID."""
    return {c["id"]: {k: c.get(k) for k in SUMMARY_FIELDS} for c in fetch_contacts(conn, list(ids))}


def get_by_rowid(conn: apsw.Connection, rowid: int) -> dict[str, Any] | None:
    r = one(conn, f"SELECT {_MATCH_COLS} FROM identity_matches m WHERE m.id = ?", (rowid,))
    return _shape(r) if r else None


def match_row(conn: apsw.Connection, rowid: int) -> dict[str, Any]:
    """A match known to exist (one the caller's transaction just wrote)."""
    r = get_by_rowid(conn, rowid)
    if r is None:
        raise MissingRow(f"no identity match with rowid {rowid}")
    return r


# ---------------------------------------------------------------- organization dedupe [org-dedupe]


def org_rows(conn: apsw.Connection) -> list[dict[str, Any]]:
    """Every organization with its number of linked contacts, oldest first."""
    return rows(
        conn,
        "SELECT o.id AS _rowid, o.uuid AS id, o.name, o.domain, o.website, o.linkedin_url, "
        "o.twitter_handle, o.logo_url, o.created_at, "
        "(SELECT count(*) FROM contacts c WHERE c.organization_id = o.id) AS contact_count "
        "FROM organizations o ORDER BY o.created_at, o.id",
    )


_ORG_MATCH = (
    "m.id AS _rowid, m.uuid AS id, m.org_a_id AS _a, m.org_b_id AS _b, m.match_score, m.match_method, "
    "m.status, m.created_at, m.resolved_at"
)


def org_matches(conn: apsw.Connection) -> dict[frozenset[int], dict[str, Any]]:
    return {
        frozenset((r["_a"], r["_b"])): r
        for r in rows(conn, f"SELECT {_ORG_MATCH} FROM org_identity_matches m")
    }


def org_match(conn: apsw.Connection, match_id: str) -> dict[str, Any] | None:
    return one(conn, f"SELECT {_ORG_MATCH} FROM org_identity_matches m WHERE m.uuid = ?", (match_id.lower(),))


def org_match_prefix(conn: apsw.Connection, prefix: str) -> list[str]:
    low = prefix.strip().lower()
    return [
        r[0]
        for r in conn.execute(
            "SELECT uuid FROM org_identity_matches WHERE uuid >= ? AND uuid < ? LIMIT 10",
            (low, low + "\uffff"),
        )
    ]


def org_pending(conn: apsw.Connection) -> list[dict[str, Any]]:
    return rows(
        conn,
        f"SELECT {_ORG_MATCH} FROM org_identity_matches m WHERE m.status = 'pending_review' "
        "ORDER BY m.match_score DESC, m.created_at, m.id",
    )


def insert_org_match(
    conn: apsw.Connection, a: int, b: int, *, score: float, method: str, status: str, now: str
) -> str:
    uuid = new_uuid()
    conn.execute(
        "INSERT INTO org_identity_matches(uuid, org_a_id, org_b_id, match_score, match_method, status, "
        "created_at, resolved_at) VALUES (?,?,?,?,?,?,?,?)",
        (uuid, min(a, b), max(a, b), score, method, status, now, None if status == "pending_review" else now),
    )
    return uuid


def update_org_match(conn: apsw.Connection, rowid: int, **fields: Any) -> None:
    conn.execute(
        f"UPDATE org_identity_matches SET {', '.join(f'{k} = ?' for k in fields)} WHERE id = ?",
        (*fields.values(), rowid),
    )


def delete_org_match(conn: apsw.Connection, rowid: int) -> None:
    conn.execute("DELETE FROM org_identity_matches WHERE id = ?", (rowid,))


def insert_pending(
    conn: apsw.Connection, items: Sequence[tuple[int, str, int, str, float]], now: str
) -> list[str]:
    """Queue many pairs for review at once: (a rowid, a uuid, b rowid, b uuid, score). Returns the uuids."""
    uuids = [new_uuid() for _ in items]
    conn.executemany(
        "INSERT INTO identity_matches(uuid, contact_a_id, contact_b_id, contact_a_uuid, contact_b_uuid, "
        "match_score, match_method, status, created_at) "
        "VALUES (?,?,?,?,?,?,'probabilistic','pending_review',?)",
        [(u, a, b, au, bu, s, now) for u, (a, au, b, bu, s) in zip(uuids, items, strict=False)],
    )
    return uuids
