"""Contacts and their child rows (emails, phones, tags, identities, fields)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any, cast

import apsw

from pcrm.domain import models
from pcrm.domain.models import Contact
from pcrm.domain.normalize import fold, full_name, search_fold, umlaut_spelling
from pcrm.serialize import dumps, loads
from pcrm.store import memo
from pcrm.store.rows import integer, maybe_int, maybe_str, new_uuid, rows, text

# Scalar columns a caller may write directly: the contact's own columns and the store's provenance
# columns, which no contact shows (everything else is derived or child rows).
SCALAR_FIELDS = (*models.COLUMNS, "import_batch_id", "sync_run_id")
JSON_FIELDS = models.JSON_COLUMNS
# How the [child-tables] identity columns project from contact_identities: field -> (platform, column).
IDENTITY_FIELDS = models.IDENTITIES


def _select(field: str, spec: models.Spec) -> str | None:
    """The SELECT expression of one contact field, or None for those filled from child tables."""
    if spec.store == "key":
        return "c.uuid AS id"
    if spec.store == "organization":
        return f"o.uuid AS {field}"
    if spec.store in ("column", "json", "stamp"):
        return f"c.{field}"
    return None


_RESPONSE_COLUMNS = ", ".join(
    ["c.id AS _rowid"] + [e for f, s in models.SPECS.items() if (e := _select(f, s)) is not None]
)


def _encode(field: str, value: Any) -> Any:
    if field in JSON_FIELDS and value is not None and not isinstance(value, str):
        return dumps(value).decode()
    return value


def plain_name(name_fold: str | None) -> str | None:
    """What contacts.name_plain holds beside a folded name (name_fold): the name as search documents fold
    it (normalize.search_fold: Latin letters without their diacritics, "émile zola" -> "emile zola"), or
    None when that is name_fold itself (most names: `coalesce(name_plain, name_fold)` is then name_fold).
    A search's first tier compares the term with it [plain-names]; import matching keeps name_fold."""
    plain = search_fold(name_fold)
    return None if plain == (name_fold or "") else plain


def umlaut_name(name_fold: str | None) -> str | None:
    """What contacts.name_umlaut holds beside a folded name (name_fold): the name search-folded with ä, ö, ü
    written ae, oe, ue ("hans müller" -> "hans mueller"), or None for a name without them (most names). A
    search's first tier compares the term with it too, so "mueller" puts "Müller Anna" there as it does
    "Mueller Karl" [plain-names] [search-spellings]."""
    return umlaut_spelling(name_fold) if name_fold else None


def with_plain_name(data: dict[str, Any]) -> dict[str, Any]:
    """`data` (columns about to be written to a contacts row) with name_plain and name_umlaut following its
    name_fold, computed anew (a journal written before m032_name_plain or m033_name_umlaut holds none, and
    a later fold may differ); without them when it holds no name_fold (they follow name_fold alone)."""
    data.pop("name_plain", None)
    data.pop("name_umlaut", None)
    if "name_fold" in data:
        data["name_plain"] = plain_name(data["name_fold"])
        data["name_umlaut"] = umlaut_name(data["name_fold"])
    return data


def fill_plain_names(conn: apsw.Connection) -> int:
    """Bring every contact's name_plain in line with its name_fold (plain_name): m032_name_plain fills it,
    a restore of an export an older pcrm wrote (without it, or of an older fold) sets it right. Returns how
    many rows changed. A folded ASCII name is its own search fold (as the documents' flush assumes,
    store.search._fold_sql): only names holding other text are folded, in SQL."""
    plain = "nullif(pcrm_search_fold(name_fold), name_fold)"
    conn.execute(
        f"UPDATE contacts SET name_plain = {plain} "
        f"WHERE octet_length(name_fold) != length(name_fold) AND name_plain IS NOT {plain}"
    )
    changed = int(conn.changes())
    conn.execute(
        "UPDATE contacts SET name_plain = NULL "
        "WHERE name_plain IS NOT NULL AND octet_length(name_fold) = length(name_fold)"
    )
    return changed + int(conn.changes())


# a folded name holding ä, ö or ü (NFKC has composed them), as a GLOB
_UMLAUT_GLOB = "'*[äöü]*'"


def fill_umlaut_names(conn: apsw.Connection) -> int:
    """Bring every contact's name_umlaut in line with its name_fold (umlaut_name): m033_name_umlaut fills it,
    a restore of an export an older pcrm wrote (without it) sets it. Returns how many rows changed. Only the
    names holding ä, ö or ü are passed to Python (a GLOB, after a test for non-ASCII text)."""
    has = f"octet_length(name_fold) != length(name_fold) AND name_fold GLOB {_UMLAUT_GLOB}"
    conn.execute(
        "UPDATE contacts SET name_umlaut = pcrm_umlaut_spelling(name_fold) "
        f"WHERE {has} AND name_umlaut IS NOT pcrm_umlaut_spelling(name_fold)"
    )
    changed = int(conn.changes())
    conn.execute(f"UPDATE contacts SET name_umlaut = NULL WHERE name_umlaut IS NOT NULL AND NOT ({has})")
    return changed + int(conn.changes())


def fill_name_forms(conn: apsw.Connection) -> None:
    """fill_plain_names and fill_umlaut_names: every contact's forms of its name for a search's first tier
    in line with its name_fold."""
    fill_plain_names(conn)
    fill_umlaut_names(conn)


def with_names(conn: apsw.Connection, cid: int, data: dict[str, Any]) -> dict[str, Any]:
    """`data` (columns about to be written to contact `cid`) with the name_fold, name_plain and name_umlaut
    of the name the contact is left with, when it writes a part of the name."""
    if {"full_name", "given_name", "family_name"} & data.keys():
        cur = rows(conn, "SELECT full_name, given_name, family_name FROM contacts WHERE id = ?", (cid,))[0]
        cur.update({k: v for k, v in data.items() if k in cur})
        data["name_fold"] = fold(full_name(cur["full_name"], cur["given_name"], cur["family_name"]))
    return with_plain_name(data)


def insert_contact(
    conn: apsw.Connection,
    fields: dict[str, Any],
    now: str,
    *,
    uuid: str | None = None,
    created_at: str | None = None,
) -> int:
    data = {k: _encode(k, v) for k, v in fields.items() if k in SCALAR_FIELDS}
    data["name_fold"] = fold(
        full_name(fields.get("full_name"), fields.get("given_name"), fields.get("family_name"))
    )
    data["name_plain"] = plain_name(data["name_fold"])
    data["name_umlaut"] = umlaut_name(data["name_fold"])
    data["uuid"] = uuid or new_uuid()
    data["created_at"] = created_at or now
    data["updated_at"] = now
    cols = ", ".join(data)
    marks = ", ".join("?" for _ in data)
    conn.execute(f"INSERT INTO contacts ({cols}) VALUES ({marks})", tuple(data.values()))
    return conn.last_insert_rowid()


def update_contact(conn: apsw.Connection, cid: int, fields: dict[str, Any], now: str) -> None:
    data = {k: _encode(k, v) for k, v in fields.items() if k in SCALAR_FIELDS}
    if not data:
        return
    with_names(conn, cid, data)
    data["updated_at"] = now
    sets = ", ".join(f"{k} = ?" for k in data)
    conn.execute(f"UPDATE contacts SET {sets} WHERE id = ?", (*data.values(), cid))


def touch(conn: apsw.Connection, cid: int, now: str) -> None:
    conn.execute("UPDATE contacts SET updated_at = ? WHERE id = ?", (now, cid))


def delete_contact(conn: apsw.Connection, cid: int) -> None:
    conn.execute("DELETE FROM contacts WHERE id = ?", (cid,))


def replace_emails(conn: apsw.Connection, cid: int, emails: Sequence[tuple[str, str | None]]) -> None:
    conn.execute("DELETE FROM contact_emails WHERE contact_id = ?", (cid,))
    conn.executemany(
        "INSERT OR IGNORE INTO contact_emails(contact_id, email, label, position) VALUES (?, ?, ?, ?)",
        [(cid, e, label, i) for i, (e, label) in enumerate(emails)],
    )


def replace_phones(conn: apsw.Connection, cid: int, phones: Sequence[tuple[str, str, str | None]]) -> None:
    conn.execute("DELETE FROM contact_phones WHERE contact_id = ?", (cid,))
    conn.executemany(
        "INSERT OR IGNORE INTO contact_phones(contact_id, phone, normalized, label, position) "
        "VALUES (?, ?, ?, ?, ?)",
        [(cid, raw, norm, label, i) for i, (raw, norm, label) in enumerate(phones)],
    )


def drop_value_labels(conn: apsw.Connection, cid: int, kind: str, values: Sequence[str]) -> None:
    """Delete a contact's kept labels (`contact_fields` rows of `kind`: "email" or "phone") of these values,
    an email in any case, a phone also as kept with its extension ("+1 555 0100 ext. 9")."""
    for value in values:
        conn.execute(
            "DELETE FROM contact_fields WHERE contact_id = ? AND kind = ? AND (lower(value) = lower(?) "
            "OR (kind = 'phone' AND substr(value, 1, length(?) + 6) = ? || ' ext. '))",
            (cid, kind, value, value, value),
        )


def replace_tags(conn: apsw.Connection, cid: int, tags: Sequence[str]) -> None:
    conn.execute("DELETE FROM contact_tags WHERE contact_id = ?", (cid,))
    conn.executemany(
        "INSERT OR IGNORE INTO contact_tags(contact_id, tag, position) VALUES (?, ?, ?)",
        [(cid, t, i) for i, t in enumerate(tags)],
    )


def set_identity(
    conn: apsw.Connection, cid: int, platform: str, column: str, value: str | None, now: str
) -> None:
    """Set (or with None clear) one identity column for a platform on a contact."""
    assert column in ("external_id", "handle")
    other = "handle" if column == "external_id" else "external_id"
    row = conn.execute(
        (
            f"SELECT id, {other} FROM contact_identities WHERE contact_id = ? AND platform = ? "
            "ORDER BY id LIMIT 1"
        ),
        (cid, platform),
    ).fetchone()
    if row is None:
        if value is not None:
            conn.execute(
                (
                    f"INSERT INTO contact_identities(contact_id, platform, {column}, created_at) "
                    "VALUES (?, ?, ?, ?)"
                ),
                (cid, platform, value, now),
            )
        return
    ident_id, other_value = row
    if value is None and other_value is None:
        conn.execute("DELETE FROM contact_identities WHERE id = ?", (ident_id,))
        return
    if value is not None:
        # the value may already be one of this contact's other identities on the platform (a merge brings
        # the merged contact's along): that row goes, its other id kept here, so the two never collide
        dup = conn.execute(
            f"SELECT id, {other} FROM contact_identities WHERE contact_id = ? AND platform = ? "
            f"AND {column} = ? AND id != ?",
            (cid, platform, value, ident_id),
        ).fetchone()
        if dup is not None:
            conn.execute("DELETE FROM contact_identities WHERE id = ?", (dup[0],))
            if other_value is None and dup[1] is not None:
                conn.execute(f"UPDATE contact_identities SET {other} = ? WHERE id = ?", (dup[1], ident_id))
    conn.execute(f"UPDATE contact_identities SET {column} = ? WHERE id = ?", (value, ident_id))


def replace_fields(conn: apsw.Connection, cid: int, items: Iterable[dict[str, Any]]) -> None:
    conn.execute("DELETE FROM contact_fields WHERE contact_id = ?", (cid,))
    conn.executemany(
        (
            "INSERT INTO contact_fields(contact_id, kind, label, value, pref, position) "
            "VALUES (?, ?, ?, ?, ?, ?)"
        ),
        [(cid, f["kind"], f.get("label"), f["value"], f.get("pref"), i) for i, f in enumerate(items)],
    )


# ---------------------------------------------------------------- lookups


def rowid_for_uuid(conn: apsw.Connection, uuid: str) -> int | None:
    """The rowid of the contact with this public id (remembered by a daemon connection until the store
    changes, as its contact is)."""
    uid = uuid.lower()
    return memo.row(
        conn, uid, lambda: maybe_int(conn, "SELECT id FROM contacts WHERE uuid = ?", (uid,)), kind="ids"
    )


def company_and_org(conn: apsw.Connection, cid: int) -> dict[str, Any]:
    """{company, organization_id (rowid)} of one contact."""
    return rows(conn, "SELECT company, organization_id FROM contacts WHERE id = ?", (cid,))[0]


def named_in_file(conn: apsw.Connection, uuid: str) -> tuple[int, str, str, str] | None:
    """The rowid, folded name, name and creation time of the contact with this public id, as a file names it
    (not remembered: a file's ids are mostly another store's, and would push out the ones worth
    remembering)."""
    row = conn.execute(
        "SELECT id, name_fold, full_name, created_at FROM contacts WHERE uuid = ?", (uuid.lower(),)
    ).fetchone()
    return (int(row[0]), str(row[1] or ""), str(row[2] or ""), str(row[3] or "")) if row else None


def uuids_in_use(conn: apsw.Connection, uuids: Sequence[str]) -> set[str]:
    """Those of `uuids` the store knows as a contact's id: a contact's, a merged-away contact's or a
    survivor's in the merge journal, one side of an identity match (a rejected pair outlives its contacts),
    the edit journal's or the audit log's. Each table is read once, whatever the number asked about."""
    if not uuids:
        return set()
    return {
        str(r[0])
        for r in conn.execute(
            "SELECT value FROM json_each(?1) WHERE value IN (SELECT uuid FROM contacts) "
            "OR value IN (SELECT merged_uuid FROM contact_merges) "
            "OR value IN (SELECT primary_uuid FROM contact_merges) "
            "OR value IN (SELECT contact_a_uuid FROM identity_matches) "
            "OR value IN (SELECT contact_b_uuid FROM identity_matches) "
            "OR value IN (SELECT contact_uuid FROM edit_journal) "
            "OR value IN (SELECT contact_id FROM audit_log WHERE contact_id IS NOT NULL)",
            (dumps(list(uuids)).decode(),),
        )
    }


def uuid_for_rowid(conn: apsw.Connection, cid: int) -> str:
    """The public id of a contact known to exist."""
    return text(conn, "SELECT uuid FROM contacts WHERE id = ?", (cid,))


def ids_by_created(conn: apsw.Connection) -> list[int]:
    """Every contact rowid, oldest first (exports)."""
    return [r[0] for r in conn.execute("SELECT id FROM contacts ORDER BY created_at, id")]


def ids_by_email(conn: apsw.Connection, email: str) -> list[int]:
    """Contacts having this (normalised) email, oldest first."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT c.id FROM contact_emails e JOIN contacts c ON c.id = e.contact_id "
            "WHERE e.email = ? ORDER BY c.created_at, c.id",
            (email,),
        )
    ]


def ids_by_emails(conn: apsw.Connection, emails: Collection[str]) -> dict[str, list[int]]:
    """`ids_by_email` for many addresses at once [batched-lookups]: address -> its holders, oldest first
    (addresses nobody holds are left out)."""
    out: dict[str, list[int]] = {}
    for part in _parts(sorted(emails)):
        for email, cid in conn.execute(
            "SELECT e.email, c.id FROM contact_emails e JOIN contacts c ON c.id = e.contact_id "
            f"WHERE e.email IN ({','.join('?' * len(part))}) ORDER BY c.created_at, c.id",
            part,
        ):
            held = out.setdefault(email, [])
            if cid not in held:
                held.append(cid)
    return out


def ids_by_identities(
    conn: apsw.Connection, platform: str, column: str, values: Collection[str]
) -> dict[str, int]:
    """`id_by_identity` for many values of one platform's column at once [batched-lookups]."""
    assert column in ("external_id", "handle")
    out: dict[str, int] = {}
    for part in _parts(sorted(values)):
        out.update(
            conn.execute(
                f"SELECT {column}, contact_id FROM contact_identities WHERE platform = ? "
                f"AND {column} IN ({','.join('?' * len(part))})",
                (platform, *part),
            )
        )
    return out


def _parts(values: list[Any], size: int = 500) -> Iterator[list[Any]]:
    """`values` in slices of at most `size` (bound parameters per statement)."""
    for i in range(0, len(values), size):
        yield values[i : i + size]


def id_by_identity(conn: apsw.Connection, platform: str, column: str, value: str) -> int | None:
    assert column in ("external_id", "handle")
    return maybe_int(
        conn,
        f"SELECT contact_id FROM contact_identities WHERE platform = ? AND {column} = ?",
        (platform, value),
    )


def id_by_bcc_hash(conn: apsw.Connection, code: str) -> int | None:
    """The contact whose BCC address code this is [gmail-routing]."""
    return maybe_int(conn, "SELECT id FROM contacts WHERE bcc_hash = ? ORDER BY id LIMIT 1", (code,))


def ids_by_google_resource(conn: apsw.Connection, names: Sequence[str]) -> dict[str, int]:
    """resourceName -> contact rowid, for the Google Contacts resource names known here."""
    out: dict[str, int] = {}
    for i in range(0, len(names), 500):
        chunk = list(names[i : i + 500])
        marks = ",".join("?" * len(chunk))
        out.update(
            conn.execute(
                f"SELECT google_resource_name, id FROM contacts WHERE google_resource_name IN ({marks}) "
                "ORDER BY id DESC",
                chunk,
            )
        )
    return out


def set_google_resource(conn: apsw.Connection, cid: int, name: str) -> None:
    conn.execute(
        "UPDATE contacts SET google_resource_name = ? WHERE id = ? AND google_resource_name IS NULL",
        (name, cid),
    )


def names_of(conn: apsw.Connection, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """rowid -> {full_name, given_name, family_name, renamed}: what the [shared-keys] name rule compares;
    `renamed`: the user edited the full name ([protected-fields]: in user_edited_fields)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {
        r[0]: {"full_name": r[1], "given_name": r[2], "family_name": r[3], "renamed": bool(r[4])}
        for r in conn.execute(
            "SELECT id, full_name, given_name, family_name, user_edited_fields IS NOT NULL AND EXISTS "
            "(SELECT 1 FROM json_each(user_edited_fields) WHERE value = 'full_name') "
            f"FROM contacts WHERE id IN ({marks})",
            tuple(ids),
        )
    }


def summaries(conn: apsw.Connection, ids: Sequence[int]) -> list[dict[str, Any]]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return rows(
        conn, f"SELECT id AS _rowid, uuid AS id, full_name FROM contacts WHERE id IN ({marks})", tuple(ids)
    )


REFERENCE_KINDS = ("uuid", "prefix", "email", "name", "first_or_handle", "platform_id")
_PLATFORMS = {"x": "twitter", "twitter": "twitter", "telegram": "telegram"}


def reference_candidates(
    conn: apsw.Connection, ref: str, folded: str, kinds: Sequence[str] = REFERENCE_KINDS
) -> dict[str, list[int]]:
    """Candidate rowids for a CLI contact reference, by kind [contact-references]; the service picks among
    them. `kinds`: only those (each is its own look-up: a first name is compared with every contact's)."""
    return {kind: reference_kind(conn, ref, folded, kind) for kind in kinds}


def reference_kind(conn: apsw.Connection, ref: str, folded: str, kind: str) -> list[int]:
    """The rowids a CLI contact reference names as one kind of reference (REFERENCE_KINDS): a full uuid, an
    id prefix (4+ hex characters), an email, a whole name (folded), a first name or a handle, a platform's
    user id as a nameless contact is shown by it ("X user 99999", "Telegram user 123") [display-name]."""
    low = ref.strip().lower()
    if kind == "uuid":
        return [r[0] for r in conn.execute("SELECT id FROM contacts WHERE uuid = ?", (low,))]
    if kind == "prefix":
        if len(low) < 4 or not all(ch in "0123456789abcdef-" for ch in low):
            return []
        return [
            r[0]
            for r in conn.execute(
                "SELECT id FROM contacts WHERE uuid >= ? AND uuid < ? LIMIT 20", (low, low + "\uffff")
            )
        ]
    if kind == "email":
        return ids_by_email(conn, low)
    if kind == "name":
        return [
            r[0]
            for r in conn.execute(
                "SELECT id FROM contacts WHERE name_fold = ? ORDER BY id LIMIT 20", (folded,)
            )
        ]
    if kind == "platform_id":  # "X user 99999": how a contact known by its user id alone is shown
        words = low.split()
        if len(words) != 3 or words[1] != "user" or words[0] not in _PLATFORMS or not words[2].isdigit():
            return []
        return [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT contact_id FROM contact_identities WHERE platform = ? AND external_id = ? "
                "LIMIT 20",
                (_PLATFORMS[words[0]], words[2]),
            )
        ]
    assert kind == "first_or_handle", kind
    handle = low.lstrip("@")  # as a stored handle loses every leading @ [value-normalisation]
    first_name = (
        "pcrm_fold(coalesce(given_name, substr(full_name, 1, instr(full_name || ' ', ' ') - 1))) = :f"
    )
    words = ascii_words(search_fold(folded))
    if words:  # the contacts whose names hold its words, then their first names folded in Python
        sql = f"SELECT id FROM contacts WHERE id IN ({_HOLDING}) AND {first_name} ORDER BY id LIMIT 20"
        args: dict[str, str] = {"f": folded, "words": _names_match(words)}
    else:  # no word to look up (other scripts, punctuation alone): every contact's first name
        sql, args = f"SELECT id FROM contacts WHERE {first_name} ORDER BY id LIMIT 20", {"f": folded}
    first = [r[0] for r in conn.execute(sql, args)]
    handles = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT contact_id FROM contact_identities WHERE handle = ? LIMIT 20", (handle,)
        )
    ]
    return sorted(set(first) | set(handles))


def ids_with_name_words(conn: apsw.Connection, words: Sequence[str], limit: int) -> list[int] | None:
    """Rowids of the contacts whose names (full, given, family and nicknames, as their search documents hold
    them) have every one of these words (search-folded, whole words), in rowid order; None when more than
    `limit` do [contact-references]."""
    from pcrm.store.search import fts_phrase

    if not words:
        return []
    match = " AND ".join(f"names : {fts_phrase(w)}" for w in words)
    ids = sorted(
        int(r[0])
        for r in conn.execute(
            "SELECT rowid FROM contacts_fts_words WHERE contacts_fts_words MATCH ? LIMIT ?",
            (match, limit + 1),
        )
    )
    return None if len(ids) > limit else ids


def name_texts(conn: apsw.Connection, ids: Sequence[int]) -> dict[int, list[str]]:
    """rowid -> every text that names the contact: its full, given and family names, its nicknames and its
    kept vCard N values (family;given;middle;prefix;suffix), for a reference by the words of a name
    [contact-references]."""
    out: dict[int, list[str]] = {}
    for i in range(0, len(ids), 500):
        part = list(ids[i : i + 500])
        marks = ",".join("?" * len(part))
        for cid, *names in conn.execute(
            f"SELECT id, full_name, given_name, family_name FROM contacts WHERE id IN ({marks})", part
        ):
            out.setdefault(int(cid), []).extend(str(n) for n in names if n)
        sql = (
            f"SELECT contact_id, value FROM contact_fields WHERE contact_id IN ({marks}) "
            "AND kind IN ('nickname', 'n') ORDER BY position, id"
        )
        for cid, value in conn.execute(sql, part):
            if value:
                out.setdefault(int(cid), []).append(str(value))
    return out


def folded_names(
    conn: apsw.Connection, *, non_ascii_only: bool, words: Sequence[str] = ()
) -> list[tuple[int, str]]:
    """(rowid, name_fold) of named contacts, or only of those whose name has a non-ASCII character (the
    GLOB runs in SQLite: an accent-blind reference compares few names in Python).

    `words` (ASCII words, from ascii_words) narrows those with a non-ASCII character to the names a
    reference written in ASCII with these words may fit [contact-references]: the names whose search
    document holds every word (its names are search-folded: "Łukasz Ölçer" holds "lukasz" and "olcer") or
    is still to be rebuilt (search_dirty), and the names holding a letter the documents do not write in
    ASCII while identity_names.strip_accents does (Greek, Cyrillic, IPA letters, combining marks: m044's
    partial index contacts_name_lookup). On 100k contacts with 7,275 such names, a miss compared them all in
    Python (~0.3 s); now a few."""
    if words and non_ascii_only:
        sql = (
            f"SELECT id, name_fold FROM contacts WHERE id IN ({_HOLDING}) AND name_fold GLOB '*[^ -~]*' "
            f"UNION SELECT id, name_fold FROM contacts WHERE {NAMES_NOT_FOLDED}"
        )
        return [(int(r[0]), str(r[1])) for r in conn.execute(sql, {"words": _names_match(words)})]
    where = "name_fold GLOB '*[^ -~]*'" if non_ascii_only else "name_fold != ''"
    return [(int(r[0]), str(r[1])) for r in conn.execute(f"SELECT id, name_fold FROM contacts WHERE {where}")]


# The names search documents do not write as identity_names.strip_accents does: a letter of Greek or
# Cyrillic (transliterated there), of the IPA or a spacing modifier, or a combining mark NFKC leaves alone
# (U+0250-U+052F, U+1F00-U+1FFF); m044_name_lookup's partial index contacts_name_lookup holds them (the
# same condition, word for word: SQLite uses a partial index only for it)
NAMES_NOT_FOLDED = "name_fold GLOB '*[\u0250-\u052f\u1f00-\u1fff]*'"
# the contacts whose names (as their search documents hold them) have every word of :words, and those whose
# documents are still to be rebuilt
_HOLDING = (
    "SELECT rowid FROM contacts_fts_words WHERE contacts_fts_words MATCH :words "
    "UNION SELECT contact_id FROM search_dirty"
)


def ascii_words(text: str) -> list[str]:
    """The words of a search-folded text as the word index splits them (letters and digits), when it is
    ASCII; empty otherwise (the index's words of other scripts are not looked up so)."""
    return _ASCII_WORD.findall(text) if text.isascii() else []


_ASCII_WORD = re.compile("[a-z0-9]+")


def _names_match(words: Sequence[str]) -> str:
    return " AND ".join(f'names : "{w}"' for w in words)


def folded_names_with_word(
    conn: apsw.Connection, starts: Sequence[str], limit: int
) -> list[tuple[int, str]] | None:
    """(rowid, name_fold) of the contacts with a word of their name starting with one of `starts` (folded,
    no GLOB characters), in rowid order; None when there are more than `limit` (too many to compare one by
    one in Python) [near-names]. Starts of letters and digits are looked up in the word-prefix index of the
    names in the search documents (which also split names at punctuation and hold nicknames: a few more
    names to compare), counted there before a name is read, and the names read from the
    covering contacts_rank index (100k contacts: ~4 ms against ~12 ms for the GLOB scan); others by GLOBs
    over the name_fold index, a scan of every name."""
    from pcrm.store.search import is_word_prefix, prefix_query

    if not starts:
        return []
    if not all(is_word_prefix(s) for s in starts):
        where = " OR ".join("name_fold GLOB ? OR name_fold GLOB ?" for _ in starts)
        args = [g for s in starts for g in (f"{s}*", f"* {s}*")]
        sql = f"SELECT id, name_fold FROM contacts WHERE {where} ORDER BY id LIMIT ?"
        found = [(int(r[0]), str(r[1])) for r in conn.execute(sql, (*args, limit + 1))]
        return None if len(found) > limit else found
    match = " OR ".join(prefix_query(s, "names") for s in starts)
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT rowid FROM contacts_fts_words WHERE contacts_fts_words MATCH ? LIMIT ?",
            (match, limit + 1),
        )
    ]
    if len(ids) > limit:
        return None
    # the names from the covering index keyed by id [search-rank] (a bulk load may have dropped it until
    # its commit)
    rank = "INDEXED BY contacts_rank" if _has_index(conn, "contacts_rank") else ""
    sql = (
        f"SELECT id, name_fold FROM contacts {rank} WHERE id IN (SELECT value FROM json_each(?)) "
        "AND name_fold != '' ORDER BY id"
    )
    return [(int(r[0]), str(r[1])) for r in conn.execute(sql, (dumps(ids).decode(),))]


def _has_index(conn: apsw.Connection, name: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?", (name,)).fetchone()
        is not None
    )


# ---------------------------------------------------------------- full responses


def fetch_contacts(conn: apsw.Connection, ids: Sequence[int]) -> list[Contact]:
    """Full contacts (ContactResponse of [contact-list]) for these rowids, in the given order; missing ones
    are left out. A connection that remembers (store.memo) keeps each contact of a small fetch as its JSON
    bytes, so a repeat is a decode (~4 us a contact) instead of five queries, and each caller gets its own
    copy."""
    # The one place rows become a Contact: the SELECT list and the child and identity fields filled in
    # _fetch all come from models.SPECS, so every key of the model is there (tests/store/
    # test_contact_model.py checks fetched contacts against the model, key by key and type by type).
    if not ids:
        return []
    m = memo.current(conn) if len(ids) <= 100 else None
    if m is None:
        found = _fetch(conn, ids)
        out = []
        given = set()
        for cid in ids:
            c = found.get(cid)
            if c is not None:
                # the same id may be asked twice: each place in the answer gets its own dict
                out.append(c if cid not in given else dict(c))
                given.add(cid)
        return cast(list[Contact], out)
    kept = {cid: m.get("contacts", cid) for cid in ids}
    missing = [cid for cid, v in kept.items() if v is None]
    fresh: dict[int, dict[str, Any]] = {}
    if missing:
        fresh = _fetch(conn, missing)
        for cid, c in fresh.items():
            # a compact copy: orjson's own result keeps its whole growth buffer (~8 KB a contact)
            kept[cid] = raw = memoryview(dumps(c)).tobytes()
            m.put("contacts", cid, raw)
    out = []
    for cid in ids:
        # a contact just read is handed out as built (once; a repeat of the id gets its own decoded copy):
        # a first-time search no longer decodes the bytes it has just encoded
        c = fresh.pop(cid, None)
        if c is None and kept.get(cid) is not None:
            c = loads(kept[cid])
        if c is not None:
            out.append(c)
    return cast(list[Contact], out)


def contacts_by_rowid(conn: apsw.Connection, ids: Sequence[int]) -> dict[int, Contact]:
    """Full contacts by rowid, as `fetch_contacts` builds them (never from a memo); missing ones are left
    out. One statement per table for up to 500 contacts [batched-lookups]."""
    out: dict[int, Contact] = {}
    for part in _parts(list(ids)):
        out.update(cast(dict[int, Contact], _fetch(conn, part)))
    return out


def _fetch(conn: apsw.Connection, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The contacts of these rowids that exist, by rowid: every field of models.Contact."""
    ids = list(ids)
    marks = ",".join("?" * len(ids))
    params = tuple(ids)
    base: dict[int, dict[str, Any]] = {
        r.pop("_rowid"): r
        for r in rows(
            conn,
            f"SELECT {_RESPONSE_COLUMNS} FROM contacts c "
            f"LEFT JOIN organizations o ON o.id = c.organization_id WHERE c.id IN ({marks})",
            params,
        )
    }
    for r in base.values():
        r["emails"], r["phones"], r["tags"] = [], [], []
        for f in IDENTITY_FIELDS:
            r[f] = None
        for f in JSON_FIELDS:
            if r[f] is not None:
                r[f] = loads(r[f])
    for cid, email in conn.execute(
        f"SELECT contact_id, email FROM contact_emails WHERE contact_id IN ({marks}) ORDER BY position, id",
        params,
    ):
        base[cid]["emails"].append(email)
    for cid, phone in conn.execute(
        f"SELECT contact_id, phone FROM contact_phones WHERE contact_id IN ({marks}) ORDER BY position, id",
        params,
    ):
        base[cid]["phones"].append(phone)
    for cid, tag in conn.execute(
        f"SELECT contact_id, tag FROM contact_tags WHERE contact_id IN ({marks}) ORDER BY position, tag",
        params,
    ):
        base[cid]["tags"].append(tag)
    _fill_identities(
        base,
        conn.execute(
            f"SELECT contact_id, platform, external_id, handle FROM contact_identities "
            f"WHERE contact_id IN ({marks}) ORDER BY id DESC",
            params,
        ),
    )
    return base


def _fill_identities(base: dict[int, dict[str, Any]], found: Iterable[Any]) -> None:
    """Set the identity fields (IDENTITY_FIELDS) of these contacts from their contact_identities rows
    (contact_id, platform, external_id, handle), given newest first: the oldest identity wins."""
    for cid, platform, ext, handle in found:
        r = base.get(cid)
        if r is None:
            continue
        for f, (p, col) in IDENTITY_FIELDS.items():
            if p == platform:
                v = ext if col == "external_id" else handle
                if v is not None:
                    r[f] = v


_NAMELESS = "(c.full_name IS NULL OR c.full_name = '') AND c.priority_level != 'archived'"


def shown_without_name(conn: apsw.Connection) -> list[str]:
    """How each contact that is not archived and has no full name is shown (models.display_name, from only
    the values it reads [display-name]), strongest relationships first; "(no name)" left out. Shell
    completion's words for them, read in one pass where `display_names` reads every field."""
    base: dict[int, dict[str, Any]] = {}
    for cid, given, family, email, phone in conn.execute(
        "SELECT c.id, c.given_name, c.family_name, "
        "(SELECT email FROM contact_emails e WHERE e.contact_id = c.id ORDER BY position, id LIMIT 1), "
        "(SELECT phone FROM contact_phones p WHERE p.contact_id = c.id ORDER BY position, id LIMIT 1) "
        f"FROM contacts c WHERE {_NAMELESS} ORDER BY c.relationship_score DESC, c.id"
    ):
        base[cid] = {
            "given_name": given,
            "family_name": family,
            "emails": [email] if email else [],
            "phones": [phone] if phone else [],
        }
    if base:
        _fill_identities(
            base,
            conn.execute(
                "SELECT i.contact_id, i.platform, i.external_id, i.handle FROM contact_identities i "
                f"JOIN contacts c ON c.id = i.contact_id WHERE {_NAMELESS} ORDER BY i.id DESC"
            ),
        )
    shown = (models.display_name(c) for c in base.values())
    return [name for name in shown if name != models.NO_NAME]


def named(conn: apsw.Connection, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """{id, full_name, display_name} of these contacts by rowid, a nameless one shown by its address or
    number [display-name] (a contact gone is left out); 1,000 at a time."""
    ids = list(ids)
    out: dict[int, dict[str, Any]] = {}
    for i in range(0, len(ids), 1000):
        by_rowid = {c["_rowid"]: c for c in summaries(conn, ids[i : i + 1000])}
        shown = display_names(conn, [r for r, c in by_rowid.items() if not c["full_name"]])
        for r, c in by_rowid.items():
            name = c["full_name"]
            out[r] = {"id": c["id"], "full_name": name, "display_name": name or shown.get(r) or "(no name)"}
    return out


def display_names(conn: apsw.Connection, ids: Sequence[int]) -> dict[int, str]:
    """How each of these contacts is shown wherever a name is [display-name], by rowid."""
    return {cid: models.display_name(c) for cid, c in _fetch(conn, ids).items()} if ids else {}


def emails_of(conn: apsw.Connection, cid: int) -> list[str]:
    """A contact's emails as stored, in their order."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT email FROM contact_emails WHERE contact_id = ? ORDER BY position, id", (cid,)
        )
    ]


def fields_of(conn: apsw.Connection, cid: int) -> list[dict[str, Any]]:
    return rows(
        conn,
        "SELECT kind, label, value, pref FROM contact_fields WHERE contact_id = ? ORDER BY position, id",
        (cid,),
    )


def edited_fields(conn: apsw.Connection, cid: int) -> list[str]:
    """The fields a user's edits protect [future-interactions], in the order they were edited."""
    edited = loads(maybe_str(conn, "SELECT user_edited_fields FROM contacts WHERE id = ?", (cid,)) or "[]")
    return [str(f) for f in edited]


def set_edited_fields(conn: apsw.Connection, cid: int, fields: list[str]) -> None:
    """Mark the fields a user's edit protects [protected-fields] without moving updated_at: for an edit that
    changed no value [no-op-edits]."""
    conn.execute(
        "UPDATE contacts SET user_edited_fields = ? WHERE id = ?",
        (_encode("user_edited_fields", fields), cid),
    )


def tags_in_use(conn: apsw.Connection) -> list[dict[str, Any]]:
    """Every tag in use with the contacts carrying it (`count`, archived ones included) and how many of those
    are archived (`archived`)."""
    return rows(
        conn,
        "SELECT t.tag, count(*) AS count, sum(c.priority_level = 'archived') AS archived"
        " FROM contact_tags t JOIN contacts c ON c.id = t.contact_id GROUP BY t.tag ORDER BY t.tag",
    )


def tag_in_use(conn: apsw.Connection, tag: str) -> bool:
    """Whether some contact, archived ones included, carries `tag` (as stored: normalised)."""
    return conn.execute("SELECT 1 FROM contact_tags WHERE tag = ? LIMIT 1", (tag,)).fetchone() is not None


def source_spelled(conn: apsw.Connection, source: str) -> str | None:
    """A `source` some stored contact carries that equals this one in any case, as stored (None: none)."""
    row = conn.execute(
        "SELECT source FROM contacts WHERE source = ? COLLATE NOCASE LIMIT 1", (source,)
    ).fetchone()
    return str(row[0]) if row else None


def tags_of(conn: apsw.Connection, cid: int) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT tag FROM contact_tags WHERE contact_id = ? ORDER BY position, tag", (cid,)
        )
    ]


def tag_lists(conn: apsw.Connection, cids: Sequence[int]) -> dict[int, list[str]]:
    """{contact rowid: its tags in order} of the given contacts; one with no tag is left out."""
    out: dict[int, list[str]] = {}
    ids = list(dict.fromkeys(cids))
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        sql = (
            f"SELECT contact_id, tag FROM contact_tags WHERE contact_id IN ({','.join('?' * len(part))}) "
            "ORDER BY contact_id, position, tag"
        )
        for cid, tag in conn.execute(sql, part):
            out.setdefault(cid, []).append(tag)
    return out


def count(conn: apsw.Connection) -> int:
    return integer(conn, "SELECT count(*) FROM contacts")


def any_contact(conn: apsw.Connection) -> bool:
    """Whether the store holds a contact at all (one row read, unlike count)."""
    return bool(integer(conn, "SELECT EXISTS (SELECT 1 FROM contacts)"))


def set_telegram_read_cursor(conn: apsw.Connection, cid: int, max_id: int) -> None:
    """Telegram's read receipt of the contact's DM (the cursor only moves forward)."""
    conn.execute(
        "UPDATE contacts SET telegram_read_outbox_max_id = ? WHERE id = ? "
        "AND coalesce(telegram_read_outbox_max_id, -1) < ?",
        (max_id, cid, max_id),
    )
