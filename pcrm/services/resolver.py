"""Identity at write time [write-time-resolver]: every create path asks here first.

SQLite serialises writers (`BEGIN IMMEDIATE`), so a look-up followed by an insert inside one write
transaction cannot race another writer: that is this store's advisory lock.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pcrm.domain import models
from pcrm.errors import Conflict
from pcrm.store import contacts as store
from pcrm.store.db import Connection
from pcrm.store.identity import is_rejected

# Identity inputs in resolver order ([write-time-resolver] axes plus pcrm's extra platforms): the first that
# a contact
# holds decides. Each field's platform and column come from the model.
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
        what = "email" if field == "emails" else field
        raise Conflict(
            f"{other['full_name'] or 'another contact'} already has {what} {value}",
            hint=f"open it with `pcrm contacts show {other['id']}`, or merge the two contacts",
            details={
                "field": field,
                "value": value,
                "conflicting_contact": {"id": other["id"], "full_name": other["full_name"]},
            },
        )


def find(conn: Connection, changes: dict[str, Any]) -> int | None:
    """The contact an incoming record belongs to, by the resolver's keys: email (oldest first), then
    each platform identity. None when nobody matches."""
    by_email: list[int] = []
    for e in changes.get("emails") or []:
        by_email = store.ids_by_email(conn, e)
        if by_email:
            break
    by_identity = None
    for field, platform, column in AXES:
        value = changes.get(field)
        if value:
            by_identity = store.id_by_identity(conn, platform, column, value)
            if by_identity is not None:
                break
    if (
        by_email
        and by_identity is not None
        and by_identity != by_email[0]
        and (by_identity in by_email or _rejected(conn, by_email[0], by_identity))
    ):
        # [rejected-pairs]: the two halves of an unmerged (rejected) pair may share an email; the record's
        # platform
        # identity says which of the two people it is
        return by_identity
    return by_email[0] if by_email else by_identity


def _rejected(conn: Connection, a: int, b: int) -> bool:
    ua = store.summaries(conn, [a])[0]["id"]
    ub = store.summaries(conn, [b])[0]["id"]
    return is_rejected(conn, ua, ub)
