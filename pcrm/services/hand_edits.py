"""What the user typed in an edit by hand, recorded where an undo reads it [import-undo] [reversible-merges].

An import undo reverts a value only while it is still what the import left, and an unmerge puts back what the
merge brought unless it changed since: both compare values, so a value the user typed again as it was (an
imported email given once more with `--email`, a merged contact's title typed on the survivor) looked
untouched and went. Each edit therefore records the values it sets (`typed`) in the journal of every
applied import that changed the contact and of every merge in force the contact survived; the undo and the
unmerge leave those values where the user put them.

`typed` is JSON: {"fields": [column, ...], "emails": [...], "phones": [normalised, ...], "tags": [...],
"identities": [[field, value], ...]}, the lists only where the edit set something.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pcrm.domain import models
from pcrm.store import imports as istore
from pcrm.store import merges as mstore

_LISTS = ("emails", "phones", "tags")
# journal child table -> the contact field a user types it as (identities: one field per platform and id)
_TABLE_FIELDS = {"contact_emails": "emails", "contact_phones": "phones", "contact_tags": "tags"}


def typed_of(changes: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The values an edit sets, from parse_contact's output (phones as (raw, normalised) pairs)."""
    out: dict[str, list[Any]] = {}
    fields = [k for k in changes if k in models.COLUMNS]
    if fields:
        out["fields"] = fields
    for field in _LISTS:
        values = changes.get(field) or []
        if values:
            out[field] = [v[1] for v in values] if field == "phones" else list(values)
    ids = [[f, changes[f]] for f in models.IDENTITIES if changes.get(f)]
    if ids:
        out["identities"] = ids
    return out


def union(a: Mapping[str, list[Any]], b: Mapping[str, list[Any]]) -> dict[str, list[Any]]:
    """Two records of typed values as one, each list in the order first typed."""
    out = {k: list(v) for k, v in a.items()}
    for k, values in b.items():
        have = out.setdefault(k, [])
        have += [v for v in values if v not in have]
    return out


def typed_field(table: str, row: list[Any], typed: Mapping[str, list[Any]]) -> str | None:
    """The contact field under which `typed` holds this journaled child row (import journal layout:
    istore.CHILD_TABLES, its key first), or None when the user typed no such value."""
    field = _TABLE_FIELDS.get(table)
    if field is not None:
        value = istore.stored_tag(row[0]) if field == "tags" else row[0]
        return field if value in (typed.get(field) or ()) else None
    if table == "contact_identities":
        platform, external_id, handle = row[0], row[1], row[2]
        for f, value in typed.get("identities") or ():
            spec = models.IDENTITIES.get(f)
            if (
                spec
                and spec[0] == platform
                and (external_id if spec[1] == "external_id" else handle) == value
            ):
                return str(f)
    return None


def _for_batch(diff: Mapping[str, Any], typed: Mapping[str, list[Any]]) -> dict[str, list[Any]]:
    """The part of `typed` an import's journal of the contact concerns: the columns it changed and the
    child rows it added."""
    out: dict[str, list[Any]] = {}
    fields = [c for c in typed.get("fields") or () if c in (diff.get("fields") or {})]
    if fields:
        out["fields"] = fields
    for table, items in (diff.get("added") or {}).items():
        for row in items:
            field = typed_field(table, row, typed)
            if field is None:
                continue
            if table == "contact_identities":
                value: Any = [field, row[1] if models.IDENTITIES[field][1] == "external_id" else row[2]]
                key = "identities"
            else:
                value, key = (istore.stored_tag(row[0]) if field == "tags" else row[0]), field
            if value not in out.setdefault(key, []):
                out[key].append(value)
    return out


def record(conn: Any, cids: Iterable[int], typed: Mapping[str, list[Any]]) -> None:
    """Record what one edit typed on these contacts: in each applied import batch's journal of a contact it
    changed (only the values that batch changed or added), and in each merge in force the contact survived."""
    ids = list(cids)
    if not typed or not ids:
        return
    by_batch: dict[int, dict[str, dict[str, list[Any]]]] = {}
    for bid, uuid, diff in istore.journaled_contacts(conn, ids):
        part = _for_batch(diff, typed)
        if not part:
            continue
        was = diff.get("typed") or {}
        now = union(was, part)
        if now != was:
            by_batch.setdefault(bid, {})[uuid] = now
    for bid, changed in by_batch.items():
        istore.set_typed(conn, bid, changed)
    for mid, was in mstore.active_merges_of(conn, ids):
        now = union(was, typed)
        if now != was:
            mstore.set_typed(conn, mid, now)
