"""The journal of one import batch [import-undo]: what it changed on contacts and organizations that
existed before it, the organizations it created, the `me` setting it filled and the review pairs it
queued, so `pcrm import undo` can revert exactly that."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pcrm.store import contacts as cstore
from pcrm.store import imports as istore

if TYPE_CHECKING:
    from pcrm.services.ingest.engine import Writer


def build(w: Writer, queued: list[str]) -> tuple[dict[str, Any], bool]:
    """The journal of the writer's batch, and whether the import changed anything at all."""
    conn = w.conn
    journal: dict[str, Any] = {
        "version": 1,
        "contacts": {},
        "organizations": {},
        "organizations_created": [],
        "settings": {},
    }
    for cid, before in w.before.items():
        after = istore.snapshot(conn, cid, w.columns)
        diff: dict[str, Any] = {}
        fields = {
            c: [before["scalars"].get(c), after["scalars"].get(c)]
            for c in w.columns
            if before["scalars"].get(c) != after["scalars"].get(c)
        }
        if fields:
            diff["fields"] = fields
        for table in istore.CHILD_TABLES:
            add = [r for r in after[table] if r not in before[table]]
            rem = [r for r in before[table] if r not in after[table]]
            if add:
                diff.setdefault("added", {})[table] = add
            if rem:
                diff.setdefault("removed", {})[table] = rem
        if diff:
            uuid = cstore.summaries(conn, [cid])[0]["id"]
            journal["contacts"][uuid] = diff
    for oid, before in w.orgs_before.items():
        after = istore.org_snapshot(conn, oid)
        diff = {
            c: [before.get(c), after.get(c)] for c in after if c != "uuid" and before.get(c) != after.get(c)
        }
        if diff:
            journal["organizations"][after["uuid"]] = diff
    journal["organizations_created"] = istore.org_uuids_after(conn, w.org_mark)
    # the domain each of them was left with, and when: what undo takes back from one the user uses since
    domains = istore.org_domains_left(conn, journal["organizations_created"])
    if domains:
        journal["organizations_created_domains"] = domains
    touched = sorted(w.touched - set(w.before))
    if touched:
        journal["touched"] = sorted(r["id"] for r in cstore.summaries(conn, touched))
    if w.me_change is not None:
        journal["settings"]["me"] = w.me_change
    if w.completed:
        # [cut-exports]: messages cut short that this import completed, put back as they were by undo
        journal["interactions_completed"] = w.completed
    if w.withdrawn:
        # [chat-takeouts]: rows of messages that are none (a deleted message's placeholder) an earlier
        # import stored, taken out by this one: [contact uuid, row], put back by undo
        journal["interactions_withdrawn"] = w.withdrawn
    if w.contacts_withdrawn:
        # [chat-takeouts]: the contacts made only for those messages, taken out with them: snapshots
        # (store/merges.snapshot), put back by undo before their messages
        journal["contacts_withdrawn"] = w.contacts_withdrawn
        journal.setdefault("touched", []).extend(c["contact"]["uuid"] for c in w.contacts_withdrawn)
    if w.reread:
        # [chat-takeouts]: stored messages an earlier reader read otherwise, brought to this reading:
        # [uuid, [text, extra_data, occurred_at, updated_at] before, [text, extra_data, occurred_at] after],
        # put back by undo
        journal["interactions_reread"] = w.reread
    if w.marks_set:
        # [import-undo]: the hand-edit marks this import brought from pcrm's own file, which undo does not
        # take for the user's work since
        journal["marks_set"] = w.marks_set
    if queued:
        # [shared-keys]: the pairs this import asked about; undo takes back those still pending
        journal["matches_queued"] = queued
    if w.kept_apart:
        # [kept-apart]: the pairs the file's answers added or rejected; undo takes them back
        journal["matches_kept_apart"] = w.kept_apart
    changed = bool(
        w.created
        or journal["contacts"]
        or journal["organizations_created"]
        or w.events
        or journal["organizations"]
        or w.report["interactions_created"]
        or w.completed
        or w.withdrawn
        or w.contacts_withdrawn
        or w.reread
        or w.me_change is not None
        or queued
        or bool(w.kept_apart)
    )
    return journal, changed
