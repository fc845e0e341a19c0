"""The look-ups an import matches records with [import-matching]: contacts by folded name, every key of the
store at once (the pre-filter of a large file), a contact's phones and extra fields, interaction refs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import apsw

from pcrm.store.rows import exists, maybe_int


def ids_by_name_fold(conn: apsw.Connection, name_fold: str | None, *, limit: int = -1) -> list[int]:
    """Contacts with this folded full name, oldest first (at most `limit`; -1: all): the candidates of a
    record with no key [import-matching], a new contact's namesakes [namesakes]."""
    if not name_fold:
        return []
    sql = "SELECT id FROM contacts WHERE name_fold = ? ORDER BY id LIMIT ?"
    return [int(r[0]) for r in conn.execute(sql, (name_fold, limit))]


def ids_by_name_folds(conn: apsw.Connection, name_folds: Iterable[str]) -> dict[str, list[int]]:
    """ids_by_name_fold for many names at once (a batch of records), in chunks of 500 parameters."""
    names = sorted({n for n in name_folds if n})
    out: dict[str, list[int]] = {}
    for i in range(0, len(names), 500):
        chunk = names[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for cid, name in conn.execute(
            f"SELECT id, name_fold FROM contacts WHERE name_fold IN ({marks}) ORDER BY id", chunk
        ):
            out.setdefault(str(name), []).append(int(cid))
    return out


def id_by_name(conn: apsw.Connection, name_fold: str) -> int | None:
    return maybe_int(conn, "SELECT id FROM contacts WHERE name_fold = ? ORDER BY id LIMIT 1", (name_fold,))


def all_names(conn: apsw.Connection) -> list[tuple[int, str | None, str | None, str | None]]:
    return [
        tuple(r)
        for r in conn.execute("SELECT id, full_name, given_name, family_name FROM contacts ORDER BY id")
    ]


def all_keys(conn: apsw.Connection) -> set[tuple[str, ...]]:
    """Every identity key in the store (emails, platform ids and handles, phones, folded names), as the
    import engine spells them; a pre-filter that spares a look-up for rows nobody can match."""
    return set(iter_keys(conn))


def iter_keys(conn: apsw.Connection) -> Iterator[tuple[str, ...]]:
    """`all_keys`, one at a time (what the import's Bloom filter is built from) [streamed-imports]."""
    for (e,) in conn.execute("SELECT email FROM contact_emails"):
        yield ("email", e)
    for platform, ext, handle in conn.execute("SELECT platform, external_id, handle FROM contact_identities"):
        if ext is not None:
            yield ("external_id", platform, ext)
        if handle is not None:
            yield ("handle", platform, handle)
    for (p,) in conn.execute("SELECT normalized FROM contact_phones"):
        yield ("phone", p)
    for (nf,) in conn.execute("SELECT DISTINCT name_fold FROM contacts"):
        yield ("name", nf)


def phones_of(conn: apsw.Connection, cid: int) -> list[str]:
    return [r[0] for r in conn.execute("SELECT normalized FROM contact_phones WHERE contact_id = ?", (cid,))]


def phone_spellings(conn: apsw.Connection, cid: int) -> dict[str, str]:
    """A contact's phones: normalised number -> the spelling stored."""
    return dict(conn.execute("SELECT normalized, phone FROM contact_phones WHERE contact_id = ?", (cid,)))


def fields_of(conn: apsw.Connection, cid: int) -> set[tuple[str, str]]:
    """A contact's extra fields as (kind, value) (see `held_fields`)."""
    return held_fields(field_labels(conn, cid))


def field_labels(conn: apsw.Connection, cid: int) -> dict[tuple[str, str], set[str]]:
    """A contact's extra fields as (kind, value) -> the labels it holds them under ("" for none), for a
    re-import to give a label to a value held without one [relabelled-fields]."""
    out: dict[tuple[str, str], set[str]] = {}
    sql = "SELECT kind, label, value FROM contact_fields WHERE contact_id = ?"
    for kind, label, value in conn.execute(sql, (cid,)):
        out.setdefault((kind, value), set()).add(label or "")
    return out


def held_fields(labels: dict[tuple[str, str], set[str]]) -> set[tuple[str, str]]:
    """The (kind, value) pairs of a contact's extra fields as `field_labels` gave them. A `note` labelled
    `birthday` (how stores from before kept a birthday an import could not store) also holds that value as a
    `birthday` field, the kind imports keep it in now [kept-birthdays]: the same file imported again adds it
    no second time."""
    out = set(labels)
    out.update(
        ("birthday", value) for (kind, value), held in labels.items() if kind == "note" and "birthday" in held
    )
    return out


def nicknames_of(conn: apsw.Connection, ids: Sequence[int]) -> dict[int, list[str]]:
    """rowid -> the names each contact is also known by (its `nickname` extra fields, oldest first: a name
    a merge or an import kept aside), for the [shared-keys] name rule; one statement per 500 contacts
    [batched-lookups]."""
    out: dict[int, list[str]] = {}
    wanted = sorted(set(ids))
    for i in range(0, len(wanted), 500):
        part = wanted[i : i + 500]
        for cid, value in conn.execute(
            "SELECT contact_id, value FROM contact_fields WHERE kind = 'nickname' "
            f"AND contact_id IN ({','.join('?' * len(part))}) ORDER BY id",
            part,
        ):
            if value:
                out.setdefault(cid, []).append(value)
    return out


def has_ref(conn: apsw.Connection, cid: int, ref: str) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM interactions WHERE contact_id = ? AND raw_reference_id = ?", (cid, ref)
        ).fetchone()
        is not None
    )


def holding_thread(
    conn: apsw.Connection, ids: Iterable[int], platform: str, conversation_id: str, ref_prefix: str | None
) -> list[int]:
    """Those of `ids` (in their order) holding a message of one conversation: an interaction on `platform`
    whose extra_data names `conversation_id`, or whose reference starts with `ref_prefix` [import-matching].
    Asked of a record's namesakes only: each look-up reads one contact's interactions (the
    interactions_contact_time index), where the whole store has no index on either."""
    sql = (
        "SELECT 1 FROM interactions WHERE contact_id = ? AND platform = ? AND "
        "(json_extract(extra_data, '$.conversation_id') = ? OR substr(raw_reference_id, 1, ?) = ?) LIMIT 1"
    )
    size = len(ref_prefix) if ref_prefix else 0
    return [
        cid
        for cid in ids
        if conn.execute(sql, (cid, platform, conversation_id, size, ref_prefix)).fetchone() is not None
    ]


PUSHED_NAME = "pushed_name"  # an interaction's extra_data key: the name its message was pushed with
# the two look-ups of conversation_holders, each served by its m023 index
HOLDERS_BY_REF_PREFIX = (
    "SELECT DISTINCT contact_id, json_extract(extra_data, '$.pushed_name') FROM interactions "
    "WHERE platform = 'linkedin' AND raw_reference_id >= ? AND raw_reference_id < ?"
)
HOLDERS_BY_CONVERSATION = (
    "SELECT DISTINCT contact_id, json_extract(extra_data, '$.pushed_name') FROM interactions "
    "WHERE platform = ? AND json_extract(extra_data, '$.conversation_id') = ?"
)


def conversation_holders(
    conn: apsw.Connection, platform: str, conversation_id: str, ref_prefix: str | None
) -> list[tuple[int, str | None]]:
    """Every contact holding a message of one conversation, whatever it is called now, with each name
    those messages were pushed with (`extra_data.pushed_name`; None for a message that came without one:
    pushed before pcrm kept it, or imported from an export): (contact, name) pairs [import-matching].
    LinkedIn's conversation is its references' prefix (`ref_prefix`): every reference starting with it
    sorts between it and the prefix with its last character's successor, a range of the
    interactions_linkedin_refs index; the others' is `extra_data.conversation_id`, the
    interactions_conversation index (both m023)."""
    if ref_prefix:
        if platform != "linkedin":  # the only platform whose references carry their conversation
            raise ValueError(f"no index serves {platform} references by prefix")
        end = ref_prefix[:-1] + chr(ord(ref_prefix[-1]) + 1)
        rows = conn.execute(HOLDERS_BY_REF_PREFIX, (ref_prefix, end))
    else:
        rows = conn.execute(HOLDERS_BY_CONVERSATION, (platform, conversation_id))
    return sorted({(int(r[0]), r[1] if isinstance(r[1], str) else None) for r in rows}, key=_by_contact)


def _by_contact(holder: tuple[int, str | None]) -> tuple[int, str]:
    return holder[0], holder[1] or ""


def holders_of_refs(conn: apsw.Connection, refs: Iterable[tuple[str, str]]) -> list[int]:
    """The contacts holding any of these messages, `(raw_reference_id, occurred_at)`, whoever they are
    now: the contact a chat was imported into, renamed or merged since (a merge moves the messages)
    [import-matching]. Looked up by time first: the interactions_time_contact index serves it, where the
    reference alone has no index of its own (interactions_ref leads with the contact)."""
    found: set[int] = set()
    for ref, at in refs:
        found.update(
            int(r[0])
            for r in conn.execute(
                "SELECT contact_id FROM interactions WHERE occurred_at = ? AND raw_reference_id = ?",
                (at, ref),
            )
        )
    return sorted(found)


def has_tag(conn: apsw.Connection, cid: int, tag: str) -> bool:
    return exists(conn, "SELECT 1 FROM contact_tags WHERE contact_id = ? AND tag = ?", (cid, tag))
