"""What the user typed in an edit by hand, recorded where an undo reads it [hand-edits] [import-undo]
[reversible-merges].

An import undo reverts a value only while it is still what the import left, and an unmerge puts back what the
merge brought unless it changed since: both compare values, so a value the user typed again as it was (an
imported email given once more with `--email`, a merged contact's title typed on the survivor) looked
untouched and went. Each edit therefore records the values it sets (`typed`) in the edit journal
(store/edit_journal.py: one small row per contact and per newest import batch and merge), and the undo and
the unmerge leave those values where the user put them. Journals of imports and merges written by an older
pcrm hold them too (under the journal's entry of the contact, as the merge's `moved.typed`): both are read.

`typed` is JSON: {"fields": [column, ...], "emails": [...], "phones": [normalised, ...], "tags": [...],
"identities": [[field, value], ...]}, the lists only where the edit set something; and the emails and phones
(normalised) and platform identities ([field, value]) an edit took off the contact, "removed_emails",
"removed_phones" and "removed_identities" [protected-fields]: an import or a sync never brings those back
to it (`removed`), until the user types one again.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from pcrm.domain import models
from pcrm.store import edit_journal as ejournal
from pcrm.store import imports as istore

_LISTS = ("emails", "phones", "tags")
# the values an edit's removal is remembered of [protected-fields]; identities as [field, value]
_REMOVABLE = ("emails", "phones", "identities")
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


def gathered(records: Iterable[Mapping[str, list[Any]]]) -> dict[str, list[Any]]:
    """Several records of typed values as one."""
    out: dict[str, list[Any]] = {}
    for r in records:
        out = union(out, r)
    return out


def record(
    conn: Any,
    cids: Iterable[int],
    typed: Mapping[str, list[Any]],
    now: str,
    *,
    removed: Mapping[str, list[str]] | None = None,
) -> list[dict[str, Any]]:
    """Record an edit by hand of these contacts and what it typed (possibly nothing: an edit that only removes
    marks the contact edited, [import-undo] keeps a contact an import created that the user has edited), and
    the emails and phones it took off (`removed`: {"emails": [...], "phones": [normalised, ...]}), which no
    import brings back [protected-fields]. Nothing is written while the store holds neither an import nor a
    merge, unless the edit removed something: no undo can concern the edit, but a first import may still
    bring back what it took off. What it wrote, for a change that can be taken back [bulk-undo]
    (`take_back`): each row's key {contact, batch, merge} with its typed values `before` (None: there was
    no row) and `after`."""
    ids = list(cids)
    batch, merge = ejournal.marks(conn)
    took = {k: list(v) for k, v in (removed or {}).items() if k in _REMOVABLE and v}
    if not ids or (batch is None and merge is None and not took):
        return []
    new: list[tuple[str, dict[str, Any]]] = []
    changed: list[tuple[int, dict[str, Any]]] = []
    wrote: list[dict[str, Any]] = []
    for uuid, rowid, was in ejournal.held(conn, ids, batch, merge):
        after = _with_removals(dict(typed) if rowid is None else union(was, typed), typed, took)
        if rowid is None:
            new.append((uuid, after))
        else:
            changed.append((rowid, after))
        if rowid is None or after != was:
            before = None if rowid is None else was
            wrote.append({"contact": uuid, "batch": batch, "merge": merge, "before": before, "after": after})
    ejournal.write(conn, new, changed, batch, merge, now)
    return wrote


def _with_removals(
    after: dict[str, list[Any]], typed: Mapping[str, list[Any]], took: Mapping[str, list[str]]
) -> dict[str, list[Any]]:
    """A row's values once an edit typed `typed` and took `took` off: a value typed again is removed no
    longer, one taken off is (so within a row, a value both typed and removed was removed last)."""
    for field in _REMOVABLE:
        key = f"removed_{field}"
        again = typed.get(field) or ()
        gone = [v for v in after.get(key) or () if v not in again]
        gone += [v for v in took.get(field) or () if v not in gone]
        if gone:
            after[key] = gone
        else:
            after.pop(key, None)
    return after


def removed(conn: Any) -> dict[int, dict[str, set[Any]]]:
    """Contact rowid -> the emails, phones (normalised) and identities ((field, value)) the user took off it
    by hand and has not typed again since [protected-fields], {"emails": {...}, "phones": {...},
    "identities": {...}}; those taken off a contact merged into it (a merge in force) count as its own.
    One read of the journal's rows that hold removals or typed emails, phones or identities, in the order
    they were written (a value typed again in a later row is removed no longer)."""
    out: dict[int, dict[str, set[Any]]] = {}
    for cid, typed in ejournal.removals(conn):
        mine = out.setdefault(cid, {f: set() for f in _REMOVABLE})
        for field in _REMOVABLE:
            mine[field] -= {_hashable(v) for v in typed.get(field) or ()}
            mine[field] |= {_hashable(v) for v in typed.get(f"removed_{field}") or ()}
    return {cid: m for cid, m in out.items() if any(m.values())}


def _hashable(value: Any) -> Any:
    """An identity's [field, value] as a tuple; an email or phone as it is."""
    return tuple(str(v) for v in value) if isinstance(value, list) else value


def _without(typed: Mapping[str, list[Any]], drop: Mapping[str, list[Any]]) -> dict[str, list[Any]]:
    """`typed` less the values `drop` holds, empty lists left out."""
    out = {k: [v for v in values if v not in (drop.get(k) or ())] for k, values in typed.items()}
    return {k: v for k, v in out.items() if v}


def take_back(conn: Any, wrote: Iterable[Mapping[str, Any]], skip: Collection[str] = ()) -> None:
    """Undo what `record` wrote (its answer), except on the contacts in `skip` (by uuid) [bulk-undo]: a row
    nothing has written to since gets its typed values back (one the change added goes); in a row a later
    edit wrote to, only the values the change added go, those of the later edit stay."""
    for w in wrote:
        if w["contact"] in skip:
            continue
        found = ejournal.row(conn, w["contact"], w["batch"], w["merge"])
        if found is None:  # the contact is gone and its rows with it
            continue
        rowid, typed, untracked = found
        before = w["before"]
        if typed == w["after"]:
            back = before
        else:
            added = _without(w["after"], before or {})
            back = _without(typed, added)
            if before is None and not back and not untracked:
                back = None
        ejournal.set_typed(conn, rowid, back)


def since_batch(conn: Any, bid: int) -> dict[str, tuple[dict[str, list[Any]], bool]]:
    """What was typed on each contact after import batch `bid` was applied: uuid -> (the typed values,
    whether its tags were set by hand before typed values were recorded)."""
    return {
        uuid: (gathered(rows), untracked)
        for uuid, (rows, untracked) in ejournal.since_batch(conn, bid).items()
    }


def since_merge(conn: Any, merge: Mapping[str, Any]) -> dict[str, list[Any]]:
    """What was typed on a merge's survivor after the merge (the journal's `moved.typed` from an older pcrm
    included)."""
    rows = ejournal.since_merge(conn, merge["primary_uuid"], merge["_rowid"])
    return gathered([merge["moved"].get("typed") or {}, *rows])


def forget_deleted(conn: Any) -> int:
    """After deleting contacts: drop the edit journal's rows no undo and no unmerge can read any more (those
    of contacts gone for good, not those of a contact merged away while the merge stands) [hand-edits]."""
    return ejournal.prune(conn)
