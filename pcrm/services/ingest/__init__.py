"""The one ingest engine [ingest-engine]: what every import and every sync writes goes through `apply`.

`apply` writes one batch of records (`domain.records.Records`: a parsed file, or one batch a live source
fetched) inside the caller's open write transaction:

- each contact record is validated (`validate.py`) and matched through the resolver's rules
  [shared-keys] [import-matching] (`matching.py`), then filled sync-style: empty fields filled, a
  user-edited protected field never touched ([protected-fields]), new emails, phones, tags and
  identities appended, a differing value kept aside, never dropped (`engine.Writer`);
- contacts nobody matches are staged and inserted together (`pending.py`); pairs left for the user are
  queued (`review.py`);
- interactions are inserted idempotently by `(contact, raw_reference_id)`, so a rerun or an overlapping
  sync adds nothing; with `metadata_only` no message text is stored;
- provenance: every write carries its batch (an `import_batches` row, which is also what undoes it) and,
  for a sync, the sync run (`interactions.sync_run_id`);
- scores are refreshed for the contacts that got interactions, and open suggestions of those contacts are
  dismissed only by activity newer than the suggestion (the scores refresh does that, backfill-safe);
- the journal of what changed (`journal.py`) is stored with the batch, so `pcrm import undo` reverts an
  import or a sync batch exactly.

The tier-1 identity pass runs after the transaction (`after`), once per import or sync run that created
contacts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pcrm.domain.identity_names import marks_apart
from pcrm.domain.models import display_name
from pcrm.domain.mojibake import repair
from pcrm.domain.normalize import linkedin_profile_id, spelling
from pcrm.domain.records import ContactRecord, Records
from pcrm.formats.base import Options
from pcrm.formats.names import normalize_name
from pcrm.services.context import Context
from pcrm.services.ingest import engine, matching
from pcrm.services.ingest.validate import strict_error, validate
from pcrm.store import contacts as cstore
from pcrm.store import imports as istore

__all__ = ["Applied", "after", "apply", "apply_stream", "named_as_listed", "row_order", "validate"]


def row_order(error: str) -> tuple[str, int]:
    """Sort key for row errors: the member file (archives), then the row number."""
    m = re.match(r"^(?:(.*?): )?(?:Row|Card|Line) (\d+)\b", error)
    return (m.group(1) or "", int(m.group(2))) if m else ("~", 0)


def named_as_listed(conn: Any, records: Records) -> None:
    """Before validation: a pcrm contact list's row whose `name` cell the reader took for an email or a
    phone (`ContactRecord.as_listed`) is read as a name again when its id names a contact of the store
    shown by that name: one whose full name it is (a contact named "+41 79 555 12 12"), or one holding no
    name, shown by its first email, phone or handle (a WhatsApp number held only as its identity). The list
    this store wrote then imports back as nothing new, the name being held already [list-csv]; into another
    store the row still brings the email or phone."""
    for rec in records.contacts:
        if rec.as_listed is None or not rec.pcrm_id:
            continue
        named = cstore.named_in_file(conn, rec.pcrm_id)
        if named is None:
            continue
        (contact,) = cstore.fetch_contacts(conn, [named[0]])
        if spelling(display_name(contact)) == spelling(str(rec.as_listed["full_name"])):
            rec.data.update(rec.as_listed)


@dataclass
class Applied:
    """What one `apply` did: its batch (None when nothing changed or on a dry run), the names of
    counterparts nobody matched, and per record what became of it (`engine.Writer.contact_outcomes`,
    `interaction_outcomes`: for callers that answer per item, such as coalesced webhooks)."""

    batch_uuid: str | None
    changed: bool
    unmatched: list[str]
    # bios and headlines replaced (contact rowid, field, old, new): for `classify_bio_changes` after the
    # transaction
    bio_changes: list[tuple[int, str, str | None, str | None]] = field(default_factory=list)
    contacts: list[str | None] = field(default_factory=list)
    interactions: list[bool] = field(default_factory=list)
    # a dry run's contacts by name: those it would create and those it would change
    would_create: list[str] = field(default_factory=list)
    would_update: list[str] = field(default_factory=list)
    # the stored contacts the batch named, by rowid, with what became of each (`engine.Writer.people`)
    people: dict[int, str] = field(default_factory=dict)
    # the rows that made no contact, each once (`engine.Writer.rows_skipped`)
    rows_skipped: int = 0


def _counterparts_repaired(records: Records) -> dict[int, str]:
    """A message counterpart's name misread ("JosÃ©") is repaired before anyone is looked up by it
    [mojibake]: its name as the file wrote it, by the counterpart's id, for the record that may create them
    (which keeps it aside, as any record's repaired value)."""
    misread: dict[int, str] = {}
    for it in records.interactions:
        cp = it.contact
        if not isinstance(cp, int) and cp.name and (fixed := repair(cp.name)) != cp.name:
            misread[id(cp)] = cp.name
            cp.name = fixed
    return misread


def _counterparts_to_create(
    w: engine.Writer, records: Records, report: dict[str, Any], opts: Options, misread: dict[int, str]
) -> None:
    """Counterparts marked `create` that no stored contact matches become contact records of this batch
    (one per profile or name), matched like any record against the batch's own (a Connections.csv in
    the same archive) and created otherwise; their interactions then point at them."""
    made: dict[str, list[tuple[int, str]]] = {}  # key -> (record index, name) of the records made
    alike: dict[int, int] = {}  # record index -> the stored contact its name reads as (asked about)
    new: list[ContactRecord] = []
    own: dict[str, int] | None = None
    for it in records.interactions:
        cp = it.contact
        if isinstance(cp, int) or not cp.create:
            continue
        if (found := w.lookup(cp)) is not None:
            w.found_counterpart(found)
            continue
        key = cp.linkedin_profile_id or normalize_name(cp.name or "")
        if not key:
            continue
        if own is None:
            own = _own_people(records)
        here = own.get(cp.linkedin_profile_id or "") if cp.linkedin_profile_id else None
        # else, for a counterpart the file gives no profile of, by the words of the name among the
        # records of the same archive (its Connections.csv): not a one-word name that marks tell apart,
        # and a spelling of its own is kept once it is written. A profile that no record of the batch
        # holds is someone else's than a namesake's [import-matching]
        named = (
            own.get(normalize_name(cp.name or "")) if here is None and not cp.linkedin_profile_id else None
        )
        if named is not None and not marks_apart(cp.name, _name_of(records.contacts[named].data)):
            here = named
            if cp.name:
                w.spelled.append((here, cp.name))
        if here is not None:  # a contact record of the same batch names them (Connections.csv beside)
            it.contact = here
            continue
        # one record per profile, or per name read word by word that no marks tell apart (its first
        # spelling names it, the others are kept as its other names)
        same = made.setdefault(key, [])
        to = next((i for i, name in same if cp.linkedin_profile_id or not marks_apart(cp.name, name)), None)
        if to is None:
            to = len(records.contacts) + len(new)
            same.append((to, cp.name or ""))
            if cp.name and (near := w.name_alike(cp.name)) is not None:
                alike[to] = near
            data: dict[str, Any] = {"full_name": misread.get(id(cp), cp.name)}  # repaired by validate
            if cp.linkedin_profile_id:
                data["linkedin_url"] = f"https://www.linkedin.com/in/{cp.linkedin_profile_id}"
            new.append(ContactRecord(row=it.row, data=data, where=it.where))
        elif cp.name and not cp.linkedin_profile_id:
            w.spelled.append((to, cp.name))
        it.contact = to
    if not new:
        return
    # the messages each new record brings: the evidence that finds the contact an earlier import of the
    # same chat made (a name alone finds nobody) [import-matching]
    first = len(records.contacts)
    for it in records.interactions:
        if isinstance(it.contact, int) and it.contact >= first and not it.withdrawn:
            w.message_refs.setdefault(it.contact, []).append((it.raw_reference_id, it.occurred_at))
    extra = Records(contacts=new)
    for i, (rec, ch) in enumerate(zip(new, validate(extra, opts), strict=True), start=first):
        w.contact(rec, ch)
        target = w.refs[len(w.refs) - 1]
        if ch is not None and target is not None and target[0] == "p" and i in alike:
            # a contact of its own: the contact its name reads as is asked about, as the scorer rates them
            matching.ask_namesake(w, target, ch, alike[i])
    records.contacts += new
    report["errors"] += extra.errors


def _own_people(records: Records) -> dict[str, int]:
    """The batch's contact records by LinkedIn profile id and by normalised name (the first wins)."""
    out: dict[str, int] = {}
    for i, rec in enumerate(records.contacts):
        d = rec.data
        slug = d.get("linkedin_profile_id") or (
            linkedin_profile_id(d["linkedin_url"]) if d.get("linkedin_url") else None
        )
        name = normalize_name(_name_of(d))
        for key in (slug, name):
            if key:
                out.setdefault(key, i)
    return out


def _name_of(data: dict[str, Any]) -> str:
    return str(
        data.get("full_name") or " ".join(str(data.get(k) or "") for k in ("given_name", "family_name"))
    )


def apply(
    ctx: Context,
    records: Records,
    changes: list[dict[str, Any] | None],
    report: dict[str, Any],
    opts: Options,
    *,
    source: str,
    fmt: str,
    filename: str | None,
    advance: Callable[[str], None] | None = None,
    sync_run_id: int | None = None,
    metadata_only: bool = False,
    seen: dict[bytes, int] | None = None,
    rescore: set[int] | None = None,
) -> Applied:
    """Write one batch inside the caller's write transaction; `changes` is `validate(records, opts)`.

    Counts go into `report` (the ImportReport of [import-report]). With `opts.strict`, any row error
    raises before the batch is recorded (the caller's transaction rolls back). A batch that changed
    nothing, or a dry run, leaves no `import_batches` row. `seen`: shared by the batches of one sync run,
    so a record re-sent unchanged by a later batch is not matched and filled again. `rescore`: collects the
    contacts whose scores changed instead of refreshing them per batch (the run refreshes them once)."""
    conn = ctx.conn
    bid, buuid = istore.insert_batch(conn, source=source, fmt=fmt, filename=filename, now=ctx.now_iso())
    w = engine.Writer(
        ctx,
        source,
        opts,
        bid,
        report,
        n_contacts=len(records.contacts),
        sync_run_id=sync_run_id,
        metadata_only=metadata_only,
        seen=seen,
        rescore=rescore,
    )
    for it in records.interactions:
        if isinstance(it.contact, int):
            refs = w.message_refs.setdefault(it.contact, [])
            refs.append((it.raw_reference_id, it.occurred_at))
            if it.earlier_ref:  # a chat imported by an earlier pcrm holds its messages under these
                refs.append((it.earlier_ref, it.occurred_at))
            if it.earlier_ref_at:  # or under the reference it made of another zone's reading
                w.zoned_messages.setdefault(it.contact, []).append(it)
        if it.earlier_ref_at:  # what a stored row found by its time must not be (the file's own messages)
            w.file_refs.update(r for r in (it.raw_reference_id, it.earlier_ref) if r)
    misread = _counterparts_repaired(records)
    w.note_domains(changes)
    w.lookups.load(changes)
    for rec, ch, keyed in zip(records.contacts, changes, w.lookups.keyed, strict=True):
        w.contact(rec, ch, keyed)
        if advance:
            advance("contacts")
    _counterparts_to_create(w, records, report, opts, misread)
    w.flush()
    for i, name in w.spelled:  # the records' contacts exist now
        if (cid := w.cid_of(i)) is not None:
            w.keep_spelling(cid, name)
    if seen is not None:
        w.remember()
    for it in records.interactions:
        w.interaction(it)
        if advance:
            advance("messages")
    w.flush_interactions()
    for rc in records.receipts:
        w.receipt(rc)
    if records.me is not None:
        w.fill_me(records.me)
    journal, changed = w.finish()
    report["errors"].sort(key=row_order)
    if opts.strict and report["errors"]:
        raise strict_error(filename or source, report["errors"])
    if changed and not opts.dry_run:
        report["batch_id"] = buuid
        istore.finish_batch(conn, bid, report, journal)
        return Applied(
            buuid,
            True,
            sorted(w.unmatched),
            bio_changes=w.bio_changes,
            contacts=w.contact_outcomes,
            interactions=w.interaction_outcomes,
            people=w.people(),
            rows_skipped=w.rows_skipped,
        )
    would = _would(conn, bid, journal) if opts.dry_run else ([], [])
    istore.delete_batch(conn, bid)
    return Applied(
        None,
        changed,
        sorted(w.unmatched),
        contacts=w.contact_outcomes,
        interactions=w.interaction_outcomes,
        would_create=would[0],
        would_update=would[1],
        people=w.people(),
        rows_skipped=w.rows_skipped,
    )


def _would(conn: Any, bid: int, journal: dict[str, Any]) -> tuple[list[str], list[str]]:
    """A dry run's contacts by name, read inside the transaction it rolls back: those it would create and
    those it would change [dry-run-names]."""
    created = istore.created_contact_uuids(conn, bid)
    made = set(created)
    updated = [u for u in (journal.get("contacts") or {}) if u not in made]
    return istore.names_of(conn, created), istore.names_of(conn, updated)


def classify_bio_changes(ctx: Context, changes: list[tuple[int, str, str | None, str | None]]) -> int:
    """After the transaction: bios and headlines a source replaced, classified into detected events by the
    events model, else by keywords [ai-events]; a failing model never fails the sync. The events stored."""
    if not changes:
        return 0
    from pcrm.services.ai import events

    return events.classify_quietly(ctx, changes)


def apply_stream(
    ctx: Context,
    batches: Iterator[Records],
    report: dict[str, Any],
    opts: Options,
    *,
    source: str,
    fmt: str,
    filename: str | None,
    advance: Callable[[str], None] | None = None,
) -> Applied:
    """`apply` for a file read batch by batch [streamed-imports] (contact records only): one import batch,
    one journal and the caller's one transaction as before, but each batch of records is validated,
    matched and its new contacts inserted (`Writer.spill`) before the next batch is read, so memory
    holds one batch plus a few words per row. The report's row errors and skip counts add up over the
    batches; a file with nothing importable raises `Nothing` (the transaction rolls back)."""
    conn = ctx.conn
    first = next(batches, Records())
    more = next(batches, None)
    bid, buuid = istore.insert_batch(conn, source=source, fmt=fmt, filename=filename, now=ctx.now_iso())
    # a file of one batch is sized as before; a bigger one loads the store's keys once
    n = len(first.contacts) if more is None else engine.Writer.PRELOAD_AT
    w = engine.Writer(ctx, source, opts, bid, report, n_contacts=n)
    w.streamed = more is not None
    importable = False

    def write(records: Records) -> None:
        nonlocal importable
        named_as_listed(conn, records)
        changes = validate(records, opts)
        importable |= any(c is not None for c in changes)
        report["errors"] += records.errors
        report["contacts_skipped"] += records.contacts_skipped
        report["rows_skipped_by_design"] += records.contacts_skipped
        w.rows_skipped += records.contacts_skipped
        w.note_domains(changes)
        w.lookups.load(changes)
        for rec, ch, keyed in zip(records.contacts, changes, w.lookups.keyed, strict=True):
            w.contact(rec, ch, keyed)
            if advance:
                advance("contacts")
        w.spill()
        if opts.strict and report["errors"]:  # the transaction rolls back: nothing is written
            raise strict_error(filename or source, sorted(report["errors"], key=row_order))

    write(first)
    del first
    if more is not None:
        write(more)
        del more
        for records in batches:
            write(records)
    if not importable:
        raise Nothing(report["errors"], report["contacts_skipped"])
    journal, changed = w.finish()
    report["errors"].sort(key=row_order)
    if opts.strict and report["errors"]:
        raise strict_error(filename or source, report["errors"])
    if changed and not opts.dry_run:
        report["batch_id"] = buuid
        istore.finish_batch(conn, bid, report, journal)
        return Applied(
            buuid, True, sorted(w.unmatched), bio_changes=w.bio_changes, rows_skipped=w.rows_skipped
        )
    if opts.dry_run:
        would = _would(conn, bid, journal)
        istore.delete_batch(conn, bid)
        return Applied(
            None,
            changed,
            sorted(w.unmatched),
            would_create=would[0],
            would_update=would[1],
            rows_skipped=w.rows_skipped,
        )
    istore.delete_batch(conn, bid)
    return Applied(None, changed, sorted(w.unmatched), rows_skipped=w.rows_skipped)


class Nothing(Exception):
    """A streamed file with no importable record: its row errors and rows skipped by design."""

    def __init__(self, errors: list[str], skipped: int) -> None:
        super().__init__("nothing importable")
        self.errors, self.skipped = errors, skipped


def after(ctx: Context, created: int) -> dict[str, Any] | None:
    """After the transaction: the tier-1 identity pass when contacts were created [deterministic-merges]
    (backup first, [automatic-backups]); its summary, or None when it did not run."""
    if not created:
        return None
    from pcrm.services.identity import run_tier1

    merged = run_tier1(ctx)
    return {"auto_merged": merged["auto_merged"], "merge_ids": merged["merge_ids"]}
