"""Identity at write time [write-time-resolver]: every create path asks here first.

Two uses. A create or edit from the CLI or API (`check_conflicts`) is refused with a 409 when it would
give a contact an email or platform identity another contact holds: the user decides. A phone is not
refused: phones are not unique (a family landline, an office line), the write goes through, and the next
tier-1 pass judges the pair by the [shared-keys] rule. Imports and syncs (`resolve`) attach a record to
the contact holding one of its keys when the names are compatible, and report the holders whose names
conflict, for review.

SQLite serialises writers (`BEGIN IMMEDIATE`), so a look-up followed by an insert inside one write
transaction cannot race another writer: that is this store's advisory lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pcrm.domain import models
from pcrm.domain.identity_names import Name
from pcrm.domain.normalize import split_phone
from pcrm.domain.shared_keys import Decision, Hit, decide, name_of
from pcrm.domain.wording import value_words
from pcrm.errors import Conflict
from pcrm.store import contacts as store
from pcrm.store import import_keys as ikeys
from pcrm.store import phones as phone_store
from pcrm.store.db import Connection
from pcrm.store.identity import is_rejected

# Identity inputs in resolver order ([write-time-resolver] axes plus pcrm's extra platforms): the first that
# a contact holds decides. Each field's platform and column come from the model.
_ORDER = (
    "telegram_user_id",
    "telegram_username",
    "twitter_user_id",
    "twitter_handle",
    "linkedin_profile_id",
    "whatsapp_phone",
    "facebook_id",
    "instagram_id",
    "instagram_username",
)
AXES = tuple((field, *models.IDENTITIES[field]) for field in _ORDER)


def _holder(conn: Connection, cid: int, name: str | None, value: Any) -> str:
    """The contact holding a value, named as lists name it [display-name]; "another contact" when that
    would only repeat the value (a nameless contact shown by the very address asked for)."""
    shown = name or store.display_names(conn, [cid])[cid]
    same = shown.lstrip("@").casefold() == str(value).lstrip("@").casefold() or any(
        shown == f"{prefix}{value}"
        for _, prefix in models.PLATFORM_IDS  # "X user 99999" by that id
    )
    return "another contact" if same or shown == models.NO_NAME else shown


def holders(
    conn: Connection, changes: dict[str, Any], *, emails: Iterable[str] = ()
) -> list[tuple[str, str, int]]:
    """(field, value, contact rowid) for every identity in `changes` (and each email given) that a
    contact already holds."""
    found: list[tuple[str, str, int]] = []
    for e in emails:
        found.extend(("emails", e, cid) for cid in store.ids_by_email(conn, e))
    for field, platform, column in AXES:
        value = changes.get(field)
        if value:
            cid = store.id_by_identity(conn, platform, column, value)
            if cid is not None:
                found.append((field, value, cid))
    return found


def check_conflicts(
    conn: Connection, changes: dict[str, Any], *, exclude: int | None = None, emails: Iterable[str] = ()
) -> None:
    """Raise a 409 naming the other contact when an email or handle already belongs to someone else."""
    for field, value, cid in holders(conn, changes, emails=emails):
        if cid == exclude:
            continue
        other = store.summaries(conn, [cid])[0]
        # [display-name]: the name pcrm shows for it, so a client (the reference's page shows
        # `full_name || "another contact"`) names the person a nameless contact is; null for "(no name)"
        shown = other["full_name"] or store.display_names(conn, [cid])[cid]
        raise Conflict(  # the field in words in the message, by its name in details
            f"{_holder(conn, cid, other['full_name'], value)} already has {value_words(field, value)}",
            hint=f"open it with `pcrm contacts show {other['id']}`, or merge the two contacts",
            details={
                "field": field,
                "value": value,
                "conflicting_contact": {
                    "id": other["id"],
                    "full_name": None if shown == models.NO_NAME else shown,
                },
            },
        )


def store_hits(conn: Connection, changes: dict[str, Any], *, phones: bool = True) -> list[Hit[int]]:
    """Every key of an incoming record that a contact holds, in matching order: emails (each address's
    holders oldest first), platform identities in resolver order, then phones (with how many contacts
    hold each number). Each hit carries the holder's names for the [shared-keys] rule."""
    return store_hits_many(conn, [changes], phones=phones)[0]


def store_hits_many(
    conn: Connection, records: Sequence[dict[str, Any]], *, phones: bool = True
) -> list[list[Hit[int]]]:
    """`store_hits` of each record, the emails, identities and holders' names of all of them looked up
    together [batched-lookups]: a re-import or a sync of 2,000 known people asks a few statements, not
    ten per person."""
    by_email = store.ids_by_emails(conn, {e for ch in records for e in ch.get("emails") or ()})
    by_axis: dict[str, dict[str, int]] = {}
    for field, platform, column in AXES:
        values = {ch[field] for ch in records if ch.get(field)}
        if values:
            by_axis[field] = store.ids_by_identities(conn, platform, column, values)
    each: list[list[tuple[str, str, int, int]]] = []
    for ch in records:
        found = [("emails", e, cid, 1) for e in ch.get("emails") or () for cid in by_email.get(e, ())]
        for field, _platform, _column in AXES:
            value = ch.get(field)
            held = by_axis[field].get(value) if value else None
            if held is not None:
                found.append((field, value, held, 1))
        if phones:
            for _raw, norm in ch.get("phones") or []:
                # holders of this phone ([value-normalisation]: an extension or none on one side), and how
                # many contacts hold its line with any extension (a shared line [shared-keys])
                ids = phone_store.ids_by_phone_line(conn, norm)
                line_holders = len(phone_store.ids_by_phone_line(conn, split_phone(norm)[0]))
                found.extend(("phone", norm, cid, line_holders) for cid in ids)
        each.append(found)
    ids = sorted({cid for found in each for _f, _v, cid, _n in found})
    names, renamed = _names(conn, ids)
    return [
        [
            Hit("email" if f == "emails" else f, v, cid, names.get(cid, ()), n, renamed=cid in renamed)
            for f, v, cid, n in found
        ]
        for found in each
    ]


def holder_names(conn: Connection, ids: list[int]) -> dict[int, tuple[Name, ...]]:
    """rowid -> the names each contact goes by for the [shared-keys] rule (its name, then its nicknames)."""
    return _names(conn, ids)[0]


def _names(conn: Connection, ids: list[int]) -> tuple[dict[int, tuple[Name, ...]], set[int]]:
    """rowid -> the names a holder goes by for the [shared-keys] rule: its name, then the names it is also
    known by (its nicknames: the name of a contact merged into it, another spelling an import kept), so a
    record called like one of them is still that contact's; and the holders the user renamed."""
    full = store.names_of(conn, ids)
    also = ikeys.nicknames_of(conn, ids)
    out: dict[int, tuple[Name, ...]] = {}
    for cid in ids:
        each = [name_of(full.get(cid, {})), *(name_of({"full_name": t}) for t in also.get(cid, ()))]
        out[cid] = tuple(dict.fromkeys(t for t in each if t))
    return out, {cid for cid, row in full.items() if row["renamed"]}


def resolve(conn: Connection, changes: dict[str, Any], *, phones: bool = True) -> Decision[int]:
    """Where an incoming record (an import's row, a sync's person) belongs [shared-keys]: the contact
    holding its account id, else the first contact holding one of its keys whose name is compatible, else
    none; plus the holders whose names conflict (pairs to queue for review). A phone held by three or more
    contacts joins nobody."""
    hits = store_hits(conn, changes, phones=phones)
    return decide(name_of(changes), hits, rejected=lambda a, b: rejected(conn, a, b))


def find(conn: Connection, changes: dict[str, Any]) -> int | None:
    """The contact an incoming record belongs to by the resolver's keys (emails, then platform
    identities), names permitting [shared-keys]. None when nobody matches."""
    return resolve(conn, changes, phones=False).match


def rejected(conn: Connection, a: int, b: int) -> bool:
    """Whether two contacts (rowids) are a rejected pair [rejected-pairs]."""
    ua = store.summaries(conn, [a])[0]["id"]
    ub = store.summaries(conn, [b])[0]["id"]
    return is_rejected(conn, ua, ub)
