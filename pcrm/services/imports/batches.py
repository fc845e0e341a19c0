"""Import history and undo [import-undo].

Undo removes what a batch created (contacts, their interactions, interactions it added to existing
contacts, detected events, organizations nobody else uses, review pairs still pending; a contact it created
that the user has edited or added to since is kept, detached from the batch) and reverts what
it changed on existing contacts from the batch's journal (values it added or kept aside included). A
value is reverted only while it is still what the import left there and the user has not typed it since
(the edit journal, [hand-edits]; a protected field user_edited_fields names), so later edits survive.
A batch whose contacts a newer, still-applied batch also touched must wait until that newer batch is
undone (newest first, as merges do).
"""

from __future__ import annotations

from typing import Any

from pcrm import paths
from pcrm.domain.dates import local_moment
from pcrm.domain.models import PROTECTABLE
from pcrm.domain.query import parse_limit_offset
from pcrm.errors import BadRequest, Conflict, NotFound, ValidationError
from pcrm.serialize import loads
from pcrm.services import hand_edits, scores
from pcrm.services.context import Context, Result
from pcrm.store import imports as store
from pcrm.store import interactions as itstore
from pcrm.store import merges
from pcrm.store import settings as sstore
from pcrm.store.db import write


def history(ctx: Context, *, limit: Any = None, offset: Any = None) -> Result:
    """`pcrm import history`: batches, newest first."""
    lim, off = parse_limit_offset(limit, offset, default=50, hi=500)
    items, total = store.list_batches(ctx.conn, lim, off)
    return Result(items, {"total": total, "limit": lim, "offset": off})


def _find(ctx: Context, ref: str) -> dict[str, Any]:
    low = (ref or "").strip().lower()
    if len(low) < 4:
        raise ValidationError(
            "give at least 4 characters of the batch id",
            field="batch",
            hint="list batches with `pcrm import history`",
        )
    found = store.find_batches(ctx.conn, low)
    if not found:
        raise NotFound(f"no import batch {ref}", hint="list batches with `pcrm import history`")
    if len(found) > 1 and not any(b["id"] == low for b in found):
        raise BadRequest(f"{ref!r} matches {len(found)} import batches", hint="give more of the batch id")
    return next((b for b in found if b["id"] == low), found[0])


# Child lists a protected field covers [protected-fields]: an import adds no tags to a contact whose tags the
# user has set by hand, so a contact whose user_edited_fields name them now was edited after the import. An
# edit that recorded what it typed [hand-edits] keeps the tags it typed; one made before typed values were
# recorded (the edit journal marks its contact `tags_untracked`) keeps the whole list, as it did [import-undo]
_HAND_SET = {"contact_tags": "tags"}


def _edited(scalars: dict[str, Any]) -> set[str]:
    """The protected fields the user has set by hand on a contact (user_edited_fields)."""
    raw = scalars.get("user_edited_fields")
    try:
        fields = loads(raw) if raw else []
    except ValueError:
        return set()
    return {f for f in fields if isinstance(f, str)} if isinstance(fields, list) else set()


def _touched(batch: dict[str, Any], created: list[str]) -> set[str]:
    changes = batch.get("changes") or {}
    return set(changes.get("contacts", {})) | set(changes.get("touched", [])) | set(created)


class _Preview(Exception):  # not an error: it carries a dry run's answer out of its rollback
    def __init__(self, result: Result) -> None:
        self.result = result


def undo(ctx: Context, ref: str, *, dry_run: bool = False) -> Result:
    """`pcrm import undo BATCH [--dry-run]`: remove what the batch created and revert what it changed.
    Every result names the contacts removed and reverted; a dry run [dry-run-names] does the whole undo in its
    transaction and rolls it back, so it reports exactly what the undo would do."""
    try:
        return _undo(ctx, ref, dry_run=dry_run)
    except _Preview as p:
        return p.result


def _not_undone(ctx: Context, batch: dict[str, Any]) -> None:
    if batch["status"] == "undone":
        undone = local_moment(batch["undone_at"], ctx.tz())
        raise Conflict(
            f"import batch {batch['id'][:8]} was already undone at {undone}",
            hint="see `pcrm import history`; re-import the file to bring it back",
        )


def undo_target(ctx: Context, ref: str) -> dict[str, Any]:
    """The batch `pcrm import undo REF` would undo ({id, filename, source}), or the error the undo would
    give (no such batch, an ambiguous prefix, already undone): what the CLI checks before it asks whether
    to go ahead, so that a mistyped id is said at once, not after a yes."""
    batch = _find(ctx, ref)
    _not_undone(ctx, batch)
    return {"id": batch["id"], "filename": batch.get("filename"), "source": batch.get("source")}


def _undo(ctx: Context, ref: str, *, dry_run: bool) -> Result:
    conn = ctx.conn
    now = ctx.now_iso()
    with write(conn):
        batch = _find(ctx, ref)
        _not_undone(ctx, batch)
        bid = batch.pop("_rowid")
        created = store.created_contact_uuids(conn, bid)
        mine = _touched(batch, created)
        for later in store.later_applied_batches(conn, bid):
            later_created = store.created_contact_uuids(conn, later["_rowid"])
            if mine & _touched(later, later_created):
                raise Conflict(
                    f"the newer import batch {later['id'][:8]} ({later['filename'] or later['source']}) "
                    "also changed contacts of this one",
                    hint=f"undo it first: pcrm import undo {later['id'][:8]}",
                )
        merged = merges.merges_touching_batch(conn, (bid, batch["id"]), sorted(mine), batch["created_at"])
        if merged:
            raise Conflict(
                f"contacts of import batch {batch['id'][:8]} were merged since "
                f"({len(merged)} merge{'s' if len(merged) != 1 else ''}); undoing it now could "
                "delete what the merge combined",
                hint=f"unmerge first, newest first: pcrm contacts unmerge {merged[0]['id'][:8]}",
                details={"merge_ids": [m["id"] for m in merged]},
            )
        # [import-undo]: a contact the batch created that the user has worked on since stays, as theirs
        adopted = store.created_with_later_work(conn, bid)
        store.adopt_created(conn, [a.pop("_rowid") for a in adopted])
        kept_ids = {a["id"] for a in adopted}
        changes = batch.get("changes") or {}
        removed_names = store.names_of(conn, [u for u in created if u not in kept_ids])
        reverted_names = store.names_of(conn, list(changes.get("contacts") or {}))
        rescore = store.contacts_losing_interactions(conn, bid)
        photos = store.created_avatar_urls(conn, bid)  # files the batch saved, removed once undone
        counts = store.delete_created(conn, bid)
        columns = store.contact_columns(conn)
        typed_since = hand_edits.since_batch(conn, bid)  # [hand-edits]
        reverted = 0
        reverted_ids: list[int] = []
        kept: list[str] = []
        for uuid, diff in (changes.get("contacts") or {}).items():
            state = store.contact_state(conn, uuid, columns)
            if state is None:
                continue
            cid, current = state
            edited = _edited(current["scalars"])
            # values the user typed since [hand-edits] (an older pcrm wrote them into the journal)
            typed, untracked = typed_since.get(uuid, ({}, False))
            typed = hand_edits.union(diff.get("typed") or {}, typed)
            # child lists the user set since, by an edit that recorded no typed values
            mine = {t for t, f in _HAND_SET.items() if f in edited and untracked}
            fields = diff.get("fields") or {}
            hand = set(typed.get("fields") or ()) | (edited & set(PROTECTABLE) & set(fields))
            if "company" in hand and "organization_id" in fields:
                hand.add("organization_id")  # [company-orgs]: the organization goes with the company
            back = {}
            for col, (before, after) in fields.items():
                if current["scalars"].get(col) == after and col not in hand:
                    back[col] = before
                elif col not in (
                    "updated_at",
                    "relationship_score",
                    "interaction_count",
                    "last_interaction_at",
                    "score_computed_at",
                ):
                    kept.append(f"{uuid[:8]}.{col}")
            store.set_scalars(conn, cid, back)
            reverted_ids.append(cid)
            if "avatar_url" in back:
                photos.append((diff.get("fields") or {})["avatar_url"][1])
            added, removed = diff.get("added") or {}, diff.get("removed") or {}
            kept_lists = {_HAND_SET[t] for t in mine & {*added, *removed}}
            platforms = set()  # of identities the user typed: their rows before the import stay replaced
            moved: set[str] = set()  # child tables whose rows the undo took out or put back
            for table, items in added.items():
                if table in mine:
                    continue
                for row in items:
                    field = hand_edits.typed_field(table, row, typed)
                    if field is None:
                        store.remove_added(conn, table, cid, row)
                        moved.add(table)
                        continue
                    kept_lists.add(field)
                    if table == "contact_identities":
                        platforms.add(row[0])
            for table, items in removed.items():
                if table not in mine:
                    for row in items:
                        if table != "contact_identities" or row[0] not in platforms:
                            store.add_child(conn, table, cid, row)
                            moved.add(table)
            # what stays keeps its order, numbered without the gaps the rows taken out left
            store.close_gaps(conn, cid, sorted(moved))
            kept += [f"{uuid[:8]}.{f}" for f in sorted(kept_lists)]
            reverted += 1
        # [cut-exports]: messages cut short that the import completed get their cut text back (one the
        # user edited since keeps the edit)
        uncut = 0
        for uuid, was, to in changes.get("interactions_completed") or []:
            uncut += itstore.complete(conn, uuid, (to[0], to[1]), (was[0], was[1]), now)
        # [chat-takeouts]: messages it read anew go back to the earlier reading while still as it left them
        read_back = 0
        for uuid, was, to in changes.get("interactions_reread") or []:
            # as it was, its updated_at too (a journal written before that was kept: now)
            read_back += itstore.reread(conn, uuid, to, was, was[3] if len(was) > 3 else now)
        # [chat-takeouts]: the rows it took out (messages that were none, kept by an earlier import) are
        # stored again as they were, on their contacts (one deleted since stays gone with its contact)
        # the contacts it took out with them (made only for them) come back first, as they were
        contacts_back = 0
        for state in changes.get("contacts_withdrawn") or []:
            came = merges.restore_contact(conn, state)
            if came is not None:
                contacts_back += 1
                reverted_ids.append(came)
        restored = 0
        for uuid, row in changes.get("interactions_withdrawn") or []:
            state = store.contact_state(conn, uuid, columns)
            if state is not None and itstore.put_back(conn, state[0], row):
                restored += 1
                reverted_ids.append(state[0])
        # [shared-keys]: the review pairs the import queued go with it (a pair the user already rejected
        # stays: that was the user's word, not the import's)
        store.delete_pending_matches(conn, changes.get("matches_queued") or [])
        # [kept-apart]: the answers the file carried go too (a pair decided since stays as decided)
        kept_apart = changes.get("matches_kept_apart") or {}
        store.undo_kept_apart(conn, kept_apart.get("added") or [], kept_apart.get("rejected") or [])
        orgs = store.delete_unused_orgs(conn, changes.get("organizations_created") or [])
        kept_orgs = _settle_kept_orgs(conn, changes, kept, now)
        for uuid, diff in (changes.get("organizations") or {}).items():
            org = store.org_state(conn, uuid)
            if org is not None:
                store.set_org_columns(conn, uuid, {c: b for c, (b, a) in diff.items() if org.get(c) == a})
        me = (changes.get("settings") or {}).get("me")
        settings_reverted: list[str] = []
        if me is not None:
            before, after = me
            if sstore.get(conn, "me") == after:
                if before is None:
                    sstore.delete(conn, "me")
                else:
                    sstore.put(conn, "me", before, now)
                ctx.invalidate_settings()
                settings_reverted.append("me")
        # contacts that lost interactions, and those whose columns went back to what they were (scores
        # computed back then), get a fresh score
        stale = sorted(set(rescore) | set(reverted_ids))
        if stale:
            scores.refresh(ctx, stale)
        store.mark_undone(conn, bid, now)
        result = Result(
            {
                "batch_id": batch["id"],
                "undone_at": None if dry_run else now,
                "contacts_removed": counts["contacts_removed"],
                "interactions_removed": counts["interactions_removed"],
                "interactions_reverted": uncut,
                "interactions_restored": restored,  # the messages it had taken out, put back
                "contacts_restored": contacts_back,  # the contacts it had taken out with them
                "interactions_read_back": read_back,  # the messages it had read anew, as they were
                "events_removed": counts["events_removed"],
                "contacts_reverted": reverted,
                "organizations_removed": orgs,
                "kept_later_edits": kept,
                "kept_contacts": adopted,
                "kept_organizations": kept_orgs,
                "removed_names": removed_names,
                "reverted_names": reverted_names,
                "settings_reverted": settings_reverted,  # the `me` the import had filled [import-undo]
            },
            {"dry_run": dry_run},
        )
        if dry_run:
            raise _Preview(result)  # rolls the transaction back
    _remove_photos(photos)
    return result


def _settle_kept_orgs(conn: Any, changes: dict[str, Any], kept: list[str], now: str) -> list[dict[str, Any]]:
    """The organizations the batch created that stay, as contacts outside the batch (linked since, or kept
    as the user's) still use them [import-undo]: each keeps its name and what the user set, and loses the
    domain the import gave it (from an email of a contact it brought) unless a contact still linked to it
    has an email there or the organization was edited since (then the domain is named in `kept`).
    -> {id, name, contacts, domain_removed} of each."""
    left = changes.get("organizations_created_domains")
    out: list[dict[str, Any]] = []
    for uuid in changes.get("organizations_created") or []:
        org = store.kept_org(conn, uuid)
        if org is None:  # unused, so gone with the batch; or merged away or deleted since
            continue
        entry = {"id": uuid, "name": org["name"], "contacts": org["members"], "domain_removed": None}
        out.append(entry)
        domain = org["domain"]
        if not domain or any(e.rsplit("@", 1)[-1] == domain for e in org["emails"]):
            continue
        if left is not None:  # the journal says which domain the import left, and when
            was = left.get(uuid)
            if was is None or was[0] != domain:
                continue  # not the import's: given since
            untouched = was[1] == org["updated_at"]
        else:  # a journal of an older pcrm: the domain is the import's while no one changed the org
            untouched = org["updated_at"] == org["created_at"]
            if not untouched:
                continue
        if untouched:
            store.set_org_columns(conn, uuid, {"domain": None, "updated_at": now})
            entry["domain_removed"] = domain
        else:
            kept.append(f"{uuid[:8]}.domain")
    return out


def _remove_photos(urls: list[str]) -> None:
    """After the undo is committed: the avatar files the batch had saved (a failure leaves a file, never
    a contact pointing at a missing one)."""
    for url in urls:
        p = paths.avatar_path(url)
        if p is not None:
            p.unlink(missing_ok=True)
