"""Writing validated records in one transaction: matching, sync-style filling, the journal.

See framework.py for the steps of an import and validate.py for what comes before. A contact record is
matched as `matching.py` says [import-matching] [shared-keys]: on its emails, platform identities and
phones, names permitting, or, with none of those, only when the record adds nothing or the tier-2 scorer
is sure. A rerun therefore matches every row again and changes nothing. The contacts an import creates
are staged in `pending.py`, the pairs it leaves for the user in `review.py`, its journal in `journal.py`.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Mapping
from datetime import timedelta
from typing import Any

from orjson import OPT_SORT_KEYS, dumps

from pcrm import clock, paths, serialize
from pcrm.domain import map_point, models, positions
from pcrm.domain import normalize as n
from pcrm.domain.contact_input import PROTECTABLE, past_tag_cap
from pcrm.domain.identity_names import marks_apart
from pcrm.domain.keyfilter import KeyFilter
from pcrm.domain.mojibake import repair
from pcrm.domain.records import (
    ContactField,
    ContactRecord,
    Counterpart,
    InteractionRecord,
    Me,
    ReadReceipt,
)
from pcrm.domain.shared_keys import (
    KEPT_FIELDS,
    Hit,
    decide,
    kept_field,
    kept_over_edits,
    kept_values,
    name_of,
    name_parts_over,
    name_shown_already,
    parts_not_filled,
)
from pcrm.domain.wording import value_words
from pcrm.formats.base import Options
from pcrm.formats.names import normalize_name
from pcrm.formats.vcard_text import escape
from pcrm.services import hand_edits, resolver, scores
from pcrm.services.context import Context
from pcrm.services.ingest import journal, matching
from pcrm.services.ingest.matching import Ref
from pcrm.services.ingest.pending import (
    NOT_SCALAR,
    CompanyDomains,
    Pending,
    dedupe_fields,
    other_profiles,
    phone_fields_as_held,
    relabelled,
    social_field,
)
from pcrm.services.ingest.review import Review, keep_apart
from pcrm.services.ingest.validate import repaired_count, row_error
from pcrm.services.organizations import assign_for_company
from pcrm.store import contacts as cstore
from pcrm.store import import_keys as ikeys
from pcrm.store import imports as istore
from pcrm.store import interactions as itstore
from pcrm.store import merges as mstore
from pcrm.store import organizations as ostore
from pcrm.store import settings as sstore
from pcrm.store import suggestions as sugstore
from pcrm.store.rows import new_uuid

MAX_PREVIEW = 10_000
# how far a delivered message's time may be from the time pcrm scheduled it for, to be that send
SCHEDULED_SLACK = timedelta(minutes=5)
# [cut-exports]: the references of chat files that hash the message's text (a WhatsApp export's, not the
# message ids of its live sync), so a message cut short by a partial export has another one than the whole
CUT_REF = re.compile(r"whatsapp:[0-9a-f]{20}:\d+")
BIO_FIELDS = ("twitter_bio", "telegram_bio", "linkedin_bio", "linkedin_headline")


def save_avatar(uuid: str, avatar: tuple[bytes, str], *, dry_run: bool = False) -> str:
    """Write a contact's photo to PCRM_HOME/avatars/<uuid>.<ext> (not on a dry run); its avatar_url. Every
    photo a file or a source brings is saved here, also those a single-contact refresh downloads."""
    blob, ext = avatar
    if not dry_run:
        paths.write_private(paths.avatars_dir() / f"{uuid}.{ext}", blob)  # [private-files]
    return f"{paths.AVATAR_URL_PREFIX}{uuid}.{ext}"


class Writer:
    """Applies one parsed file inside an open write transaction and keeps the journal.

    Rows that match an existing contact are filled at once (SQL through the resolver). Rows nobody
    matches become staged new contacts (`pending.Pending`: a later row of the same file for the same
    person folds into them) inserted together by `flush()`, which is what keeps a 30k-row file fast.
    Pairs left for the user are queued by `finish()` ([shared-keys], `review.Review`)."""

    PRELOAD_AT = 1000  # files with this many contact rows load the store's keys once

    def __init__(
        self,
        ctx: Context,
        source: str,
        opts: Options,
        batch_id: int,
        report: dict[str, Any],
        n_contacts: int = 0,
        *,
        sync_run_id: int | None = None,
        metadata_only: bool = False,
        seen: dict[bytes, int] | None = None,
        rescore: set[int] | None = None,
    ) -> None:
        self.ctx = ctx
        # a sync run refreshes the scores of every contact its batches touched once, at its end
        self.rescore = rescore
        self.conn = ctx.conn
        self.source = source  # the report's source; the `source` of contacts it creates
        self.opts = opts
        self.batch_id = batch_id
        self.sync_run_id = sync_run_id  # set when a live source's run writes (provenance)
        self.metadata_only = metadata_only  # keep no message text [source-registry]
        self.report = report
        self.now = ctx.now_iso()
        self.created: set[int] = set()
        # a file written in many batches inside one transaction [streamed-imports]: the contacts' view
        # indexes may wait for the commit (store.bulk.defer_view_indexes)
        self.streamed = False
        self.orgs_of_run: dict[str, tuple[int, str | None]] = {}  # folded company -> (org, its domain)
        self.domains = CompanyDomains()  # work domains seen for several companies [company-orgs]
        self._org_aliases: dict[str, tuple[str, str]] | None = None  # `org_aliases`
        self.before: dict[int, dict[str, Any]] = {}
        self.orgs_before: dict[int, dict[str, Any]] = {}
        self.scored: set[int] = set()
        self.touched: set[int] = set()  # existing contacts that got interactions
        # [cut-exports]: (contact rowid, ref) of stored messages this file holds too, and the stored
        # messages cut short that it completed: [uuid, [text, ref] before, [text, ref] after]
        self.matched_refs: set[tuple[int, str]] = set()
        self.completed: list[list[Any]] = []
        # [chat-takeouts]: rows an earlier import stored for messages that are none, taken out: [contact, row]
        self.withdrawn: list[list[Any]] = []
        # [chat-takeouts]: contacts pcrm made only for such messages, taken out with them: their snapshots
        self.contacts_withdrawn: list[dict[str, Any]] = []
        self.withdrawn_from: set[int] = set()
        # [chat-takeouts]: stored messages an earlier reader read otherwise, read anew: [uuid, was, to]
        self.reread: list[list[Any]] = []
        self.activity: dict[int, str] = {}  # contact rowid -> newest occurred_at written [auto-dismissal]
        self.columns = istore.contact_columns(self.conn)
        self.events = 0
        self.unmatched: set[str] = set()
        # normalised name -> its one contact and that contact's name (None: two or more have it)
        self._names: dict[str, tuple[int, str] | None] | None = None
        self._spellings: set[tuple[int, str]] = set()  # (contact, name spelling) a counterpart came under
        # (contact record of the batch, name) of counterparts the batch's own records took by name
        self.spelled: list[tuple[int, str]] = []
        self.me_change: list[Any] | None = None
        self.org_mark = istore.max_org_id(self.conn)
        # the store's keys as a Bloom filter [streamed-imports]: a few bytes a key, not a set of tuples
        self.existing = KeyFilter(ikeys.iter_keys(self.conn)) if n_contacts >= self.PRELOAD_AT else None
        self.had_contacts = cstore.any_contact(self.conn)  # an empty store has no other source's copies
        # new contacts with keys, whose namesakes are looked at once per batch (`_ask_namesakes`)
        self.asks: list[tuple[Ref, dict[str, Any], list[Any]]] = []
        self.pending = Pending(self)
        self.lookups = matching.Lookups(self)  # a batch's look-ups made together [batched-lookups]
        self.review = Review(self)
        self.refs = RefList()  # per contact record: ("c", rowid) or ("p", pending number)
        # per contact record (by index) the refs of the batch's messages with them: a chat's evidence
        # of which namesake it was imported into before [import-matching]
        self.message_refs: dict[int, list[tuple[str, str]]] = {}  # (ref, occurred_at)
        # a record's messages an earlier pcrm may have stored under another --tz (`earlier_ref_at`), every
        # reference the file's messages have, and the stored rows none of them holds, read once a contact
        self.zoned_messages: dict[int, list[InteractionRecord]] = {}
        self.file_refs: set[str] = set()
        self.zone_rows: dict[tuple[int, str], dict[tuple[str, int], list[tuple[int, str, str]]]] = {}
        self.zone_claimed: dict[tuple[int, str], InteractionRecord] = {}
        # records already written by this run (one sync run over several batches): their contact rowid
        self.seen: dict[bytes, int] = seen if seen is not None else {}
        # only a sync run remembers records across batches: an import keeps no key per row (2 KB a row)
        self.remembers = seen is not None
        self.seen_keys: list[bytes | None] = []
        self.resources: list[tuple[int, str]] = []  # (record index, Google resourceName) to keep
        # (contact rowid, field, old, new) of bios and headlines a source replaced: classified into detected
        # events after the transaction [ai-events]
        self.bio_changes: list[tuple[int, str, str | None, str | None]] = []
        self.queued: list[tuple[int, dict[str, Any]]] = []  # interactions to insert together
        self.queued_at: list[int] = []  # their indexes among the batch's interaction records
        # per record, in order, what became of it: a contact record's report count ("contacts_created",
        # ...; None when validation refused it), and whether an interaction record was inserted
        self.contact_outcomes: list[str | None] = []
        self.interaction_outcomes: list[bool] = []
        # stored contact rowid -> the report count it went into ("contacts_updated" or "contacts_skipped"):
        # the report counts contacts, so two records of one contact (a card folded into another on the
        # first run, the same person on two rows) count it once [import-report]
        self.counted: dict[int, str] = {}
        # the rows that made no contact (matched one the store held, folded into one an earlier row made,
        # or skipped: by the format, by design, as the caller counted them before, or here), each row once:
        # the reference's `skipped` of a LinkedIn import [import-report]
        self.rows_skipped = int(report.get("contacts_skipped") or 0)
        # (contact rowid, platform) -> its sends scheduled through pcrm, not seen delivered (read lazily)
        self.pending_sends: dict[tuple[int, str], list[dict[str, Any]]] = {}
        self.named_ids: set[str] = (
            set()
        )  # the ids of this store's contacts the file's records named [own-exports]
        # the contacts this run made (and inserted) -> the ids the file's app gave their records [own-exports]
        self.made_ids: dict[int, set[str]] = {}
        # contact rowid -> the tags it holds, of those this run left with more than a contact takes by hand,
        # every one kept and said in the report [contact-tags]
        self.tags_past_cap: dict[int, int] = {}
        # (record index, the ids of the contacts the user said it is not) and the first record of each id
        # the file gives: the answers recorded once the contacts exist [kept-apart]
        self.not_same_as: list[tuple[int, list[str]]] = []
        self.file_records: dict[str, int] = {}
        self.kept_apart: dict[str, list[str]] = {}  # the matches those answers added or decided
        # (record index, the fields typed by hand in the store that wrote the file): given to the contact the
        # record makes once it exists [own-exports]
        self.edited_marks: list[tuple[int, tuple[str, ...]]] = []
        # [import-undo]: the hand-edit marks this import set, by contact uuid; not the user's later work
        self.marks_set: dict[str, list[str]] = {}
        # contact rowid -> the emails, phones and identities the user took off it by hand, read once when
        # first needed (`removed_by_hand`) [protected-fields]
        self._removed: dict[int, dict[str, set[Any]]] | None = None
        self._removed_index: dict[tuple[str, Any], list[int]] = {}  # (list, value) -> those contacts

    # ------------------------------------------------------------ contacts

    def _snap(self, cid: int) -> None:
        if cid not in self.created and cid not in self.before:
            self.before[cid] = istore.snapshot(self.conn, cid, self.columns)

    def note_domains(self, changes: list[dict[str, Any] | None]) -> None:
        """Before a batch is written: note its companies' email domains [company-orgs]. A domain this
        batch shows several companies share, which this import gave an organization in an earlier batch,
        is taken back (an organization created by the import, or one that had no domain before it)."""
        for domain in self.domains.note(changes):
            taken = [
                oid
                for oid, _ in ostore.holding_domain(self.conn, domain)
                if oid > self.org_mark
                or (oid in self.orgs_before and not self.orgs_before[oid].get("domain"))
            ]
            for oid in taken:
                ostore.update(self.conn, oid, {"domain": None}, self.now, by_pcrm=True)
            for company, (oid, _) in list(self.orgs_of_run.items()):
                if oid in taken:
                    self.orgs_of_run[company] = (oid, None)

    def snap_org(self, oid: int) -> None:
        """Journal an organization that existed before the import, before the import changes it."""
        if oid <= self.org_mark and oid not in self.orgs_before:
            self.orgs_before[oid] = istore.org_snapshot(self.conn, oid)

    def count_kept(self, added: list[dict[str, Any]], kept: list[dict[str, Any]]) -> None:
        """Count the values kept aside that were really added (not held already) [import-matching], and the
        misread values repaired that this run writes (a contact holding the repaired value's text as the
        file wrote it already was repaired by an earlier run) [mojibake]."""
        mine = {(k["kind"], k["value"]) for k in kept}
        self.report["values_kept"] += sum(1 for f in added if (f["kind"], f["value"]) in mine)
        self.count_repaired(added)

    def count_repaired(self, added: list[dict[str, Any]]) -> None:
        """Count the repaired values among fields this run adds (the report's `text_repaired`) [mojibake]."""
        if repaired := repaired_count(added):
            self.report["text_repaired"] = self.report.get("text_repaired", 0) + repaired

    def removed_by_hand(self) -> dict[int, dict[str, set[Any]]]:
        """Contact rowid -> {"emails", "phones", "identities"}: the values the user took off it by hand and
        has not typed again [protected-fields] (`hand_edits.removed`: one read of the edit journal per
        batch, when a record first fills a contact or matches nobody by its keys)."""
        if self._removed is None:
            self._removed = hand_edits.removed(self.conn)
            for cid, gone in self._removed.items():
                for field, values in gone.items():
                    for value in values:
                        self._removed_index.setdefault((field, value), []).append(cid)
        return self._removed

    def note_removed(self, count: int) -> None:
        """Count values a record brings that the user removed from its contact: not added back."""
        if count:
            self.report["values_removed"] = self.report.get("values_removed", 0) + count

    def _removed_from(self, ch: dict[str, Any], keys: list[tuple[str, ...]]) -> int | None:
        """The stored contact a record whose keys nobody holds is, by an email, phone or platform identity
        the user took off that contact by hand [protected-fields]: the same person only when the record's
        name agrees with the contact's as the [shared-keys] rule reads names for an email or a handle (an
        account id included: a value removed because it was another person's joins that other person to
        nobody). None when no such contact, or its name disagrees, or the record has no name of its own (none,
        or only its email, phone or handle written as one, `_named`): a value the user took off may have
        been another person's, and nothing but the value would say this one is the contact."""
        if not keys or not self.removed_by_hand() or not _named(ch, keys):
            return None
        found: list[tuple[str, str, int]] = []
        for key in keys:
            what, value = _removed_key(key)
            found += [(key[0], str(key[-1]), cid) for cid in self._removed_index.get((what, value), ())]
        if not found:
            return None
        names = resolver.holder_names(self.conn, sorted({cid for *_k, cid in found}))
        # an email's or a phone's rule for names; an identity's as a handle's, never an account's
        hits = [
            Hit(k if k in ("email", "phone") else "handle", value, cid, names[cid])
            for k, value, cid in found
            if names.get(cid)
        ]
        return decide(name_of(ch), hits).match

    def _not_removed(self, cid: int, conflicts: list[Hit[Ref]]) -> list[Hit[Ref]]:
        """The holders whose names conflict with a record joining contact `cid`, less those holding only a
        value the user took off `cid` by hand [protected-fields]: the user said whose it is (an address
        moved to another contact), so the two are not asked about again on that value."""
        gone = self.removed_by_hand().get(cid)
        if not gone:
            return conflicts
        return [h for h in conflicts if _removed_value(h) not in gone.get(_removed_key_of(h), ())]

    def _without_new_ids(self, cid: int, ch: dict[str, Any]) -> dict[str, Any]:
        """The record without the platform identities it would add to contact `cid`, found only by its name
        and a value the user took off it (`_removed_from`); the ones taken off stay, for the fill to count
        as not added back."""
        gone = self.removed_by_hand().get(cid, {}).get("identities") or set()
        drop = [f for f in matching.idents_in(ch) if (f, str(ch[f])) not in gone]
        if not drop:
            return ch
        out = {**ch, **dict.fromkeys(drop)}
        if "linkedin_profile_id" in drop:
            out["linkedin_url"] = None
        return out

    def _without_removed_ids(
        self, cid: int, ch: dict[str, Any], edited: set[str], more_ids: list[tuple[str, str, str]]
    ) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
        """The record and its other account ids without the platform identities the user took off this
        contact by hand [protected-fields] (a LinkedIn profile id with its address), each counted in the
        report; a protected field the user edited (an X handle emptied) stays for the rule that keeps it
        aside."""
        gone = self.removed_by_hand().get(cid, {}).get("identities")
        if not gone:
            return ch, more_ids
        drop = [
            f
            for f in matching.IDENT
            if ch.get(f) not in (None, "")
            and (f, str(ch[f])) in gone
            and not (f in PROTECTABLE and f in edited)
        ]
        kept_more = [m for m in more_ids if (matching.identity_field(m[0], m[1]), str(m[2])) not in gone]
        self.note_removed(len(drop) + len(more_ids) - len(kept_more))
        if not drop:
            return ch, kept_more
        out = {**ch, **dict.fromkeys(drop)}
        if "linkedin_profile_id" in drop:
            out["linkedin_url"] = None  # the address of the profile the user took off
        return out, kept_more

    def email_free(self, e: str, target: Ref, conflicting: set[Ref]) -> bool:
        """Whether an email may be added to `target`: nobody else holds it, or only contacts whose names
        conflict with the record (an address two people share; the pair is queued [shared-keys])."""
        others = [("c", c) for c in cstore.ids_by_email(self.conn, e)]
        others += [("p", i) for i in self.pending.holders(("email", e))]
        return all(o == target or o in conflicting for o in others)

    def contact(
        self, rec: ContactRecord, ch: dict[str, Any] | None, keyed: matching.Keyed | None = None
    ) -> None:
        """Match or stage one record; `ch` is its validated input (None: refused by validation). `keyed`: its
        keys and the key filter's answer as `Lookups.load` found them."""
        if ch is None:
            self.refs.append(None)
            self.seen_keys.append(None)
            self.contact_outcomes.append(None)
            return
        if rec.not_same_as and rec.pcrm_id:
            # an answer the user has taken back since the export, by merging the two: the merge stands
            since = mstore.merged_since(self.conn, rec.pcrm_id, rec.not_same_as)
            rec.not_same_as = [o for o in rec.not_same_as if o not in since]
        if rec.not_same_as:
            self.not_same_as.append((len(self.refs), rec.not_same_as))
        if rec.file_id:
            self.file_records.setdefault(rec.file_id, len(self.refs))
        if rec.edited:
            self.edited_marks.append((len(self.refs), rec.edited))
        # a record this run has written already, unchanged (a chat source re-sends the person with every
        # batch of their messages): the same contact, nothing to fill again
        key = self._seen_key(rec, ch) if self.remembers else None
        self.seen_keys.append(key)
        if key is not None and key in self.seen:
            self.refs.append(("c", self.seen[key]))
            self._counted("contacts_skipped", self.seen[key])  # a contact, counted once [sync-counts]
            return
        held: bool | None = None
        if rec.new_only:  # e.g. the 2nd-tier tag: only for contacts this record creates
            full, ch = ch, {k: v for k, v in ch.items() if k not in rec.new_only}
            keys = matching.keys_of(ch)
        elif keyed is not None:
            full = ch
            keys, held = keyed
        else:
            full = ch
            keys = matching.keys_of(ch)
        review: list[tuple[Ref, float]] = []
        asked: list[tuple[Ref, dict[str, str]]] = []
        rn = rec.google_resource_name
        known = rec.contact_id
        if known is None and rn:
            known = cstore.ids_by_google_resource(self.conn, [rn]).get(rn)
        renamed: tuple[int, str, str] | None = None  # a row its id may name under another name
        if known is None and rec.pcrm_id:  # a file this store wrote names its contact [own-exports]
            known, renamed = self._named_in_file(rec, ch, keys)
        if rn:
            self.resources.append((len(self.refs), rn))
        target: Ref | None
        by_messages = False  # a chat found by its messages: its name is not the contact's to keep aside
        by_removed = False  # found by a value the user took off the contact: it takes no account id
        if known is not None:  # the source's own id first [google-sources]
            target, conflicts = ("c", known), []
        elif rn and not rec.create and not keys:  # e.g. a deletion of someone never synced here
            self._counted("contacts_skipped")
            self.refs.append(None)
            return
        elif keys:
            by_ids = not rec.accounts_by_name
            decision = matching.by_keys(self, ch, keys, held, accounts=by_ids)
            if decision.match is None and decision.conflicts and _misread_before(rec, ch):
                # a holder of its keys an earlier import named as the file misread the name: the same
                # person, who takes the repaired name [mojibake]
                again = matching.by_keys(self, {**ch, **(rec.earlier or {})}, keys, held, accounts=by_ids)
                decision = again if again.match is not None else decision
            target, conflicts = decision.match, decision.conflicts
            if target is None and (removed_from := self._removed_from(ch, keys)) is not None:
                # the same person again, by a value the user took off it (not added back by the fill);
                # an account id the record brings is not added either: the contact is known only by its
                # name and a value the user said is not its own [protected-fields]
                target = ("c", removed_from)
                full = ch = self._without_new_ids(removed_from, ch)
                by_removed = True
            if target is None and not conflicts and rec.thread is not None:
                # a chat's sender under an id the store does not hold yet (LinkedIn's member id, pushed by
                # a later extension) is still the contact its chat's messages found before [extension-push]
                chat = matching.by_name(
                    self,
                    ch,
                    rec.fields,
                    self.message_refs.get(len(self.refs)),
                    rec.thread,
                    self.zoned_messages.get(len(self.refs)),
                )
                if chat.match is not None:
                    target, by_messages = chat.match, chat.by_messages
        else:
            chat_refs = self.message_refs.get(len(self.refs))
            zoned = self.zoned_messages.get(len(self.refs))
            name_only = matching.by_name(self, ch, rec.fields, chat_refs, rec.thread, zoned)
            if rec.earlier and name_only.match is None:
                # the contact an earlier reading of this very record made, under the name it gave then
                before = matching.by_name(
                    self, {**ch, **rec.earlier}, rec.fields, chat_refs, rec.thread, zoned
                )
                if before.match is not None:
                    name_only = before
            target, conflicts, review, asked = name_only.match, [], name_only.review, name_only.asked
            by_messages = name_only.by_messages
            if name_only.namesakes:
                self.report["errors"].append(
                    row_error(
                        rec.at,
                        rec.where,
                        f"{name_only.namesakes} contacts are called {_name_of(ch)!r} and nothing "
                        "but the name tells which one this is; kept apart (pcrm identity matches asks)",
                    )
                )
        if conflicts and target is not None and target[0] == "c":
            conflicts = self._not_removed(target[1], conflicts)
        # the contact of another record of the file the record would join, or one it says it is not
        apart: Ref | None = None
        if (
            target is not None and rec.file_id and self._apart_in_file(target, rec.file_id)
        ) or self._not_same_as(rec, target, known):
            apart, target = target, None
        conflicting = {h.holder for h in conflicts}
        if target is None:
            if not rec.create:
                self._counted("contacts_skipped")
                self.refs.append(None)
                return
            if full is ch:
                target = ("p", self._stage(rec, dict(full), keys, held))
            else:
                target = ("p", self._stage(rec, dict(full), None))
            self.pending.add_ids(target[1], self._more_ids(rec, ch, target))
            self._counted("contacts_created")
            if keys and self.had_contacts:  # the same person from another source: asked, never joined
                self.asks.append((target, ch, rec.fields))
            if renamed is not None:  # maybe the contact the id names, renamed: asked, never joined
                cid, name, pid = renamed
                self.review.reasoned(target, ("c", cid), {"key": "exported_id", "value": pid})
                renamed = None
                but = "the id" if rec.pcrm_id_inside else "its creation time"
                self.report["errors"].append(
                    row_error(
                        rec.at,
                        rec.where,
                        f"the id {pid} is not taken for this row (nothing in it is {name}'s but {but}): "
                        f"made a contact of its own, next to it; if the row is {name} renamed, merge the "
                        "two (pcrm identity matches asks about them)",
                    )
                )
        elif target[0] == "p":
            self.pending.fold_in(target[1], rec, ch, conflicting)
            self.pending.add_ids(target[1], self._more_ids(rec, ch, target))
            self._counted("contacts_folded")
        else:
            more = [] if by_removed else self._more_ids(rec, ch, target)
            changed = self._fill(target[1], rec, ch, conflicting, by_messages=by_messages, more_ids=more)
            # a later row for a contact this import created (and spilled): folded in, as a staged one is
            made_here = target[1] in self.created
            self._counted(
                "contacts_folded" if made_here else "contacts_updated" if changed else "contacts_skipped",
                target[1],
            )
        if renamed is not None:  # matched someone else: said as for any id not taken
            self.report["errors"].append(
                row_error(
                    rec.at,
                    rec.where,
                    f"the id {renamed[2]} is not taken for this row (nothing in it is {renamed[1]}'s); "
                    "matched as any other",
                )
            )
        if apart is not None:  # asked, never folded: the file's app kept the two apart [own-exports]
            self.review.apart(target, apart, self._apart_reason(apart, keys, ch))
        for h in conflicts:
            self.review.shared_key(target, h)
        for other, score in review:
            self.review.scored(target, other, score)
        for other, reason in asked:
            self.review.reasoned(target, other, reason)
        self.refs.append(target)

    def _more_ids(self, rec: ContactRecord, ch: dict[str, Any], target: Ref) -> list[tuple[str, str, str]]:
        """The record's other ids of its account (`rec.more_ids`) that its contact `target` takes, as
        (platform, column, value): those nobody holds. An account id names one account [shared-keys], so
        one another contact holds (or a contact this import stages) is not taken from it: the two contacts
        are asked about, with the id as the reason, and the answer's errors say so [extension-push]."""
        out: list[tuple[str, str, str]] = []
        for field, value in rec.more_ids:
            if ch.get(field) == value:
                continue  # the record's own id: matched and written as such
            platform, column = matching.IDENT[field]
            key = (column, platform, value)
            holder: Ref | None = None
            if staged := self.pending.holders(key):
                holder = ("p", staged[0])
            elif (cid := cstore.id_by_identity(self.conn, platform, column, value)) is not None:
                holder = ("c", cid)
            if holder is None:
                if (platform, column, value) not in out:
                    out.append((platform, column, value))
                continue
            if holder == target:
                continue
            self.review.reasoned(target, holder, {"key": field, "value": value})
            self.report["errors"].append(
                row_error(
                    rec.at,
                    rec.where,
                    f"{value_words(field, value)} belongs to another contact; not added "
                    "(pcrm identity matches asks about the two)",
                )
            )
        return out

    def _apart_in_file(self, target: Ref, file_id: str) -> bool:
        """Whether `target` is a contact this import made from records of the file under ids other than
        `file_id` (a pcrm CSV's `id`, a vCard's UID): the app that wrote the file kept them apart, so they
        are two people there, whatever a shared phone or a similar name says [own-exports]. A contact of
        the store before the import, or one made from records without an id, is matched as before."""
        if target[0] == "p":
            ids = self.pending.items[target[1]]["file_ids"]
        else:
            ids = self.made_ids.get(target[1], set())
        return bool(ids) and file_id not in ids

    def _not_same_as(self, rec: ContactRecord, target: Ref | None, known: int | None) -> bool:
        """Whether `target` is a contact of the store the record says its person is not (an answer of the
        store the file came from [kept-apart]): never joined. Its own id naming it wins."""
        if target is None or target[0] != "c" or not rec.not_same_as or known is not None:
            return False
        return cstore.uuid_for_rowid(self.conn, target[1]) in rec.not_same_as

    def _apart_reason(self, other: Ref, keys: list[tuple[str, ...]], ch: dict[str, Any]) -> dict[str, str]:
        """Why a record kept apart from `other` is asked about: the first of its keys `other` holds (a
        phone, an email), else its name; marked `apart` so no identity pass merges the pair unasked."""
        reason = {"key": "name", "value": _name_of(ch)}
        if other[0] == "p":
            held = next((k for k in keys if other[1] in self.pending.keys.get(k, [])), None)
            if held is not None:
                reason = {"key": matching.key_field(held), "value": held[-1]}
        else:
            hits = resolver.store_hits(self.conn, ch) if keys else []
            hit = next((h for h in hits if h.holder == other[1]), None)
            if hit is not None:
                reason = {"key": hit.key, "value": hit.value}
        return {**reason, "apart": "kept apart by the file"}

    def _counted(self, what: str, cid: int | None = None) -> None:
        """Count one contact record's outcome in the report, and keep it per record (`contact_outcomes`).
        `cid`: the stored contact it updated or left unchanged, counted once however many records name it
        (one a record changed is counted updated, not also unchanged)."""
        self.contact_outcomes.append(what)
        if what != "contacts_created":
            self.rows_skipped += 1
        if what == "contacts_skipped" and cid is None:  # a record naming no contact and making none
            self.report["rows_skipped_by_design"] = self.report.get("rows_skipped_by_design", 0) + 1
        if cid is not None and what in ("contacts_updated", "contacts_skipped"):
            was = self.counted.get(cid)
            if was == what or was == "contacts_updated":
                return
            if was is not None:  # unchanged by an earlier record, updated by this one
                self.report[was] -= 1
            self.counted[cid] = what
        self.report[what] += 1

    def people(self) -> dict[int, str]:
        """The stored contacts this batch named, by rowid, each with what became of it: "contacts_created",
        "contacts_updated" or "contacts_skipped" (left as it was). A sync run joins its batches' answers, so
        a person several batches (or accounts) re-send is counted once [sync-counts]."""
        out = dict(self.counted)
        out.update(dict.fromkeys(self.created, "contacts_created"))
        return out

    def found_counterpart(self, cid: int) -> None:
        """A chat's counterpart this import would have made (`Counterpart.create`), found stored: the
        contact is counted unchanged, as a rerun of the file that made it says [import-report], once,
        and not when a record of the import counted it already or the import made it."""
        if cid not in self.counted and cid not in self.created:
            self.counted[cid] = "contacts_skipped"
            self.report["contacts_skipped"] += 1

    def _named_in_file(
        self, rec: ContactRecord, ch: dict[str, Any], keys: list[tuple[str, ...]]
    ) -> tuple[int | None, tuple[int, str, str] | None]:
        """The contact a file this store wrote names by its id [own-exports], while the record is still that
        contact's: one of its emails, phones or handles is the contact's, or it has the contact's name; none
        of them is only another contact's (or an earlier record's of the file); and no earlier record took
        the id. Else None: the record is matched as any other and the id's cells are kept as extra fields,
        with a row problem saying why when the id named a contact of the store. Second: (the contact's rowid,
        name, id) when nothing but the name and the creation time tell the two apart and no other record of
        the file names the id (the row renamed, or copied with its original removed): the caller asks about
        the pair if the record makes a contact of its own, and says so."""
        pid = str(rec.pcrm_id)
        named = cstore.named_in_file(self.conn, pid)
        why = ""
        renamed: tuple[int, str, str] | None = None
        if named is not None:
            cid, fold, name, created = named
            hits = resolver.store_hits(self.conn, ch) if keys else []
            mine = {(h.key, h.value) for h in hits if h.holder == cid}
            if any(k in self.pending.keys for k in keys) or any(
                (h.key, h.value) not in mine for h in hits
            ):  # the id and the row's own keys name different people (cells out of step)
                why = "its email, phone or handle is another contact's"
            elif (
                not mine and n.fold(_name_of(ch)) != fold and not self._shown_as(cid, name, _name_of(ch))
            ):  # someone new written on a copy of the row
                name = name or models.display_name(cstore.fetch_contacts(self.conn, [cid])[0])
                why = f"nothing in it is {name}'s"
                # or the row, renamed: its creation time is the contact's, or its id is inside the record
                # (a vCard's UID), where no sort could have moved it from another record
                if rec.pcrm_id_once and (rec.pcrm_id_inside or rec.pcrm_created_at == created):
                    renamed = (cid, name, pid)
            elif pid in self.named_ids:  # the same row twice
                why = "an earlier row of the file took the same id"
        if named is not None and not why:
            self.named_ids.add(pid)
            return named[0], None
        if rec.id_fields:  # another store's, or not to be trusted: kept, as a file's other columns are
            rec.fields = [*rec.fields, *rec.id_fields]
        if renamed is not None:  # said by the caller, once it knows what the record became
            return None, renamed
        if why:
            self.report["errors"].append(
                row_error(
                    rec.at,
                    rec.where,
                    f"the id {pid} is not taken for this row ({why}); matched as any other",
                )
            )
        return None, None

    def _shown_as(self, cid: int, name: str, given: str) -> bool:
        """Whether a contact holding no full name (`name`) is shown by the name `given`: its parts, first
        email, phone or handle, which pcrm's lists and exports write as its name [list-csv]."""
        if name or not given:
            return False
        return name_shown_already(cstore.fetch_contacts(self.conn, [cid])[0], {"full_name": given})

    @staticmethod
    def _seen_key(rec: ContactRecord, ch: dict[str, Any]) -> bytes | None:
        """What identifies a plain record's content (None: a record with side effects beyond its fields)."""
        if (
            rec.fields
            or rec.avatar
            or rec.job_change
            or rec.new_only
            or rec.overwrite
            or rec.contact_id
            or rec.pcrm_id
            or rec.earlier
            or rec.more_ids
        ):
            return None
        return dumps(ch, option=OPT_SORT_KEYS)  # (a record that matched nobody is not remembered)

    def remember(self) -> None:
        """After flush: the contacts of this batch's plain records, for the run's later batches."""
        for i, key in enumerate(self.seen_keys):
            if key is not None and key not in self.seen:
                cid = self.cid_of(i)
                if cid is not None:
                    self.seen[key] = cid

    def _stage(
        self,
        rec: ContactRecord,
        changes: dict[str, Any],
        keys: list[tuple[str, ...]] | None,
        in_store: bool | None = None,
    ) -> int:
        """A record that becomes a contact of its own. Its emails and phones go with it even when
        contacts of other names hold them (shared; the pairs are queued); a platform identity is one
        contact's only ([child-tables]), so one held elsewhere is reported and left out. `keys`: those
        of `changes` when the caller has them; `in_store`: False when the key filter said the store
        holds none of them."""
        for f in matching.idents_in(changes):
            platform, column = matching.IDENT[f]
            value = changes[f]
            key = (column, platform, value)
            held = self.pending.holders(key) or (
                in_store is not False
                and (self.existing is None or key in self.existing)
                and cstore.id_by_identity(self.conn, platform, column, value) is not None
            )
            if held:
                self.report["errors"].append(
                    row_error(
                        rec.at, rec.where, f"{value_words(f, value)} belongs to another contact; not added"
                    )
                )
                del changes[f]
                keys = None
        return self.pending.add(rec, changes, matching.keys_of(changes) if keys is None else keys)

    def flush(self) -> None:
        """Insert the staged new contacts (see `pending.Pending.flush`)."""
        self._ask_namesakes()
        self.pending.flush()

    def _ask_namesakes(self) -> None:
        """Pair the batch's new keyed contacts with their namesakes worth a question [import-matching]."""
        asks, self.asks = self.asks, []
        for target, other, score in matching.namesakes_to_review(self, asks) if asks else []:
            self.review.scored(target, other, score)

    def spill(self) -> None:
        """Insert the staged new contacts now and forget them [streamed-imports]: a streamed file's batch
        is written before the next is read, so memory holds one batch, not the file. The rows that
        follow find these contacts in the store (their keys join the preloaded ones) and fold into them
        with the same rules a staged contact follows."""
        items = self.pending.items
        if not items:
            return
        self._ask_namesakes()
        self.pending.flush()
        cid = [p["cid"] for p in items]

        def moved(ref: Ref | None) -> Ref | None:
            return ("c", cid[ref[1]]) if ref is not None and ref[0] == "p" else ref

        self.refs.settle(cid)
        self.review.pairs = [(moved(a), moved(b), r, sc) for a, b, r, sc in self.review.pairs]  # type: ignore[misc]
        if self.existing is not None:
            self.existing.update(self.pending.keys)  # every key the staged contacts hold
            # their names as the rows hold them (name_fold, set by the flush)
            self.existing.update(("name", p["name_fold"]) for p in items if p["name_fold"])
        self.pending = Pending(self)

    def save_avatar(self, uuid: str, avatar: tuple[bytes, str]) -> str:
        """Write an imported photo to PCRM_HOME/avatars/<uuid>.<ext> (not on a dry run); its avatar_url."""
        return save_avatar(uuid, avatar, dry_run=self.opts.dry_run)

    def cid_of(self, index: int) -> int | None:
        ref = self.refs[index] if 0 <= index < len(self.refs) else None
        if ref is None:
            return None
        return ref[1] if ref[0] == "c" else self.pending.items[ref[1]].get("cid")

    def _assign_org(self, cid: int, company: str) -> None:
        oid = ostore.find_by_name(self.conn, company)
        if oid is not None:
            self.snap_org(oid)
        assign_for_company(
            self.ctx,
            cid,
            self.now,
            before_change=self.snap_org,
            shared=self.domains.shared,
            aliases=self.org_aliases(),
        )

    def org_aliases(self) -> dict[str, tuple[str, str]]:
        """The names organizations gave up (`organizations.aliases`), read once an import: an import renames
        and merges no organization."""
        if self._org_aliases is None:
            self._org_aliases = ostore.aliases(self.conn)
        return self._org_aliases

    @staticmethod
    def _other_texts(
        cur: Mapping[str, Any],
        ch: Mapping[str, Any],
        edited: set[str],
        not_kept: Collection[str],
        updates: Mapping[str, Any],
    ) -> list[dict[str, Any]]:
        """The record's values of the contact's other text fields (a bio, a WhatsApp name or about, a
        Facebook name) that differ from the one the contact holds, as the rows that keep them aside (a source
        owning the field replaces it instead): `kept_values` keeps only the name, birthday, place, company,
        title and notes, so each was dropped without a word [import-matching]."""
        out: list[dict[str, Any]] = []
        for k in _OTHER_TEXTS:
            v, old = ch.get(k), cur.get(k)
            if v in (None, "") or old in (None, "") or k in not_kept or k in updates:
                continue
            if k == "linkedin_headline" and k in edited:  # kept_over_edits keeps it
                continue
            if n.fold(str(old)) != n.fold(str(v)):
                out.append(other_value_field(k, str(v)))
        return out

    def _fill(
        self,
        cid: int,
        rec: ContactRecord,
        ch: dict[str, Any],
        conflicting: set[Ref],
        *,
        by_messages: bool = False,
        more_ids: list[tuple[str, str, str]] | None = None,
    ) -> bool:
        """Sync-style: fill empty fields, never a protected field the user edited; append new emails,
        phones, tags, identities (and `more_ids`, other ids of the account nobody holds: `_more_ids`) and
        extra fields; fields the source owns (rec.overwrite) take the new value.
        A value that differs from a filled field is kept aside as an extra field, never dropped
        [import-matching], except the name of a chat found by its messages (`by_messages`): the contact got
        that chat's messages before, under that name, so a name it now differs by is one the user renamed
        it away from. Plans first and snapshots (for the journal) only when something will change."""
        conn = self.conn
        cur = self.lookups.contact(cid) or cstore.fetch_contacts(conn, [cid])[0]
        if name_shown_already(cur, ch):  # the name the contact is shown by, as pcrm writes it [list-csv]
            ch = {**ch, "full_name": None}
        edited = set(cur.get("user_edited_fields") or [])
        ch = self.employer_as_held(cid, cur, ch)
        ch, more_ids = self._without_removed_ids(cid, ch, edited, more_ids or [])
        # company and title are one fact: written together or kept aside together [job-changes]
        plan = positions.plan(cur, ch, edited, owned=rec.overwrite >= positions.FIELDS)
        updates: dict[str, Any] = dict(plan.updates)
        if plan.unmarked:  # the title typed for the old job went with it
            updates["user_edited_fields"] = [
                f for f in cur.get("user_edited_fields") or [] if f not in plan.unmarked
            ]
        for k, v in ch.items():
            if k in NOT_SCALAR or k not in cstore.SCALAR_FIELDS or v in (None, "") or k in positions.FIELDS:
                continue
            if k in map_point.POINT:  # taken below, with the location it places
                continue
            if k in PROTECTABLE and k in edited:
                continue
            old = cur.get(k)
            if old in (None, "") or (k in rec.overwrite and n.fold(str(old)) != n.fold(str(v))):
                updates[k] = v
        if (
            rec.earlier
            and ch.get("full_name")
            and "full_name" not in edited
            and n.spelling(cur.get("full_name")) == n.spelling(rec.earlier.get("full_name"))
        ):  # still called what an earlier reading of the record misread: the record's name now
            updates["full_name"] = ch["full_name"]
        # another split of the same name: the record's parts where the user typed none [name-parts]
        parts, parts_kept = name_parts_over(
            cur, ch, edited, lambda: [v for k, v in ikeys.fields_of(conn, cid) if k == "n"]
        )
        updates.update({k: v for k, v in parts.items() if k not in updates})
        for f in parts_not_filled(cur, ch, parts):  # the rest of a split kept aside goes with it
            updates.pop(f, None)
        # [own-exports]: never the point of another place than the contact's
        point, point_kept = map_point.point_over(
            cur, ch, location_emptied="location" in edited and not cur.get("location")
        )
        updates.update(point)
        level = ch.get("priority_level")
        other_level = None  # [kept-priority]: the contact's priority is the user's; another is kept aside
        if level and "priority_level" in rec.overwrite and cur.get("priority_level") != level:
            updates["priority_level"] = level  # a source that owns it: a deletion mirrored [google-sources]
        elif level and cur.get("priority_level") != level:
            other_level = kept_field("priority_level", str(level))
        new_emails = []
        # what the user took off the contact by hand stays off, its label too, said in the report
        # [protected-fields]
        held_emails = {e.lower() for e in cur["emails"]}
        left_off: set[tuple[str, str]] = set()  # ("email", address) and ("phone", as the record spells it)
        for e in ch.get("emails") or []:
            if e in cur["emails"] or e.lower() in held_emails or e in new_emails:
                continue
            if e.lower() in self.removed_by_hand().get(cid, {}).get("emails", ()):
                self.note_removed(1)
                left_off.add(("email", e.lower()))
                continue
            if not self.email_free(e, ("c", cid), conflicting):
                self.report["errors"].append(
                    row_error(rec.at, rec.where, f"email {e} belongs to another contact; not added")
                )
                continue
            new_emails.append(e)
        new_phones: list[tuple[str, str]] = []
        if ch.get("phones"):
            have = set(ikeys.phones_of(conn, cid))
            new_phones = _dedupe_phones([(raw, norm) for raw, norm in ch["phones"] if norm not in have])
            if new_phones and (gone := self.removed_by_hand().get(cid, {}).get("phones")):
                self.note_removed(sum(1 for _raw, norm in new_phones if norm in gone))
                left_off |= {("phone", raw) for raw, norm in ch["phones"] if norm in gone}
                new_phones = [(raw, norm) for raw, norm in new_phones if norm not in gone]
        new_tags = [t for t in ch.get("tags") or [] if t not in cur["tags"]] if "tags" not in edited else []
        new_ids = []
        ids_kept: list[dict[str, Any]] = []  # another id of a field the contact holds one of, kept aside
        upgraded: str | None = None  # the anonymised LinkedIn member id a slug replaces
        for field, (platform, column) in matching.IDENT.items():
            value = ch.get(field)
            if not value or (field in PROTECTABLE and field in edited):
                continue
            held = cur.get(field)
            held_id = str(held) if held is not None else None
            if held_id is not None and not _member_to_slug(field, held_id, value):
                if held_id != str(value) and field in models.NUMERIC_IDS and field not in rec.overwrite:
                    # another user number than the contact's (handles, profiles: other_profiles): not taken
                    # (maybe another person's account) nor dropped: kept aside, or said when another holds it
                    other = cstore.id_by_identity(conn, platform, column, value)
                    if other is None and not self.pending.holders((column, platform, value)):
                        ids_kept.append(other_value_field(field, str(value)))
                    elif other is not None and other != cid:
                        self.report["errors"].append(
                            row_error(
                                rec.at,
                                rec.where,
                                f"{value_words(field, value)} belongs to another contact; not added",
                            )
                        )
                continue
            holder = cstore.id_by_identity(conn, platform, column, value)
            if held_id is not None:  # the slug, when nobody holds it, shows; the member id still matches
                if holder is None and not self.pending.holders((column, platform, value)):
                    upgraded = held_id
                    new_ids.append((platform, column, value))
                continue
            if holder is None and not self.pending.holders((column, platform, value)):
                new_ids.append((platform, column, value))
            elif holder != cid:
                self.report["errors"].append(
                    row_error(
                        rec.at,
                        rec.where,
                        f"{value_words(field, value)} belongs to another contact; not added",
                    )
                )
        not_kept = rec.overwrite | positions.FIELDS  # the plan keeps the position's values aside
        if by_messages:
            not_kept |= {"full_name"}
        kept = kept_values(cur, ch, replaced=not_kept, name_parts_held=True) + other_profiles(
            cur, ch, replacing=frozenset(updates) & {"linkedin_url"}
        )
        kept += [kept_field(f, str(ch[f])) for f in plan.kept]
        kept += ids_kept + self._other_texts(cur, ch, edited, not_kept, updates)
        if other_level is not None:
            kept.append(other_level)
        # a field the user emptied by hand stays empty, and what the record brings for it is kept aside
        kept += [
            kept_field(f, str(ch[f]))
            for f in KEPT_FIELDS
            if f not in not_kept and f in edited and cur.get(f) in (None, "") and ch.get(f) not in (None, "")
        ]
        # and so is what it brings for any other field the user edited: the tags the contact does not carry,
        # another headline, other name parts, a handle where the user emptied the contact's
        kept += kept_over_edits(cur, ch, edited) + parts_kept + point_kept
        if "twitter_handle" in edited and not cur.get("twitter_handle") and ch.get("twitter_handle"):
            kept.append(social_field("twitter_handle", str(ch["twitter_handle"])))
        # a nickname that is the contact's name already says nothing more (a chat's other name of someone
        # named by it [telegram-names]); one spelled otherwise, if only by an emoji, is another name
        held_name = n.spelling(cur.get("full_name"))
        fields = [f for f in rec.fields if f["kind"] != "nickname" or n.spelling(f["value"]) != held_name]
        if left_off:  # the label of a value left off: it labels nothing the contact holds
            fields = [f for f in fields if (f["kind"], _label_key(f)) not in left_off]
        if (
            rec.zoned
        ):  # a time read in --tz that the contact holds as read under another [import-rerun-safety]
            held_x = ikeys.field_labels(conn, cid)
            fields = [f for f in fields if f["value"] not in rec.zoned or not _held_zoned(f, held_x)]
        if ch.get("phones") and any(f["kind"] == "phone" for f in fields):
            fields = phone_fields_as_held(fields, ch["phones"], ikeys.phone_spellings(conn, cid))
        # a value held without the label this record gives it (a store from before that label was read) gets
        # the label, in its place [relabelled-fields]
        labels = ikeys.field_labels(conn, cid) if fields or kept else {}
        relabel, fields = relabelled(fields, labels) if fields else ([], fields)
        new_fields = dedupe_fields([*fields, *kept], ikeys.held_fields(labels)) if fields or kept else []
        self.count_kept(new_fields, kept)
        if rec.avatar and not cur.get("avatar_url"):
            updates["avatar_url"] = self.save_avatar(cur["id"], rec.avatar)
        job = self._job_change_of(cur, updates) if rec.job_change else None
        more_ids = more_ids or []
        if not (
            updates
            or new_emails
            or new_phones
            or new_tags
            or new_ids
            or more_ids
            or new_fields
            or relabel
            or job
        ):
            return False
        self._snap(cid)
        if job:
            self._record_job_change(cid, cur, updates, ch.get("linkedin_url"), *job)
        else:  # a job change already recorded is not announced twice by its headline
            self.bio_changes += [
                (cid, f, str(cur.get(f)), str(updates[f])) for f in BIO_FIELDS if f in updates and cur.get(f)
            ]
        if new_emails:
            istore.append_emails(conn, cid, new_emails)
        if new_phones:
            istore.append_phones(conn, cid, new_phones)
        if new_tags:
            istore.append_tags(conn, cid, new_tags)
            if past_tag_cap(len(cur["tags"]), len(cur["tags"]) + len(new_tags)):
                self.tags_past_cap[cid] = len(cur["tags"]) + len(new_tags)
        for platform, column, value in new_ids:
            cstore.set_identity(conn, cid, platform, column, value, self.now)
        if upgraded is not None:
            istore.add_identity(conn, cid, "linkedin", "external_id", upgraded, self.now)
        for more in more_ids:  # after the record's own id: that one shows [child-tables]
            istore.add_identity(conn, cid, *more, self.now)
        if new_fields:
            istore.append_fields(conn, cid, new_fields)
        for kind, value, held, moved in relabel:
            istore.relabel_field(conn, cid, kind, value, held, dict(moved))
        if "company" in updates:
            updates["organization_id"] = None
        if updates:
            cstore.update_contact(conn, cid, updates, self.now)
            if updates.get("company"):
                self._assign_org(cid, updates["company"])
        else:
            cstore.touch(conn, cid, self.now)
        return bool(
            updates or new_emails or new_phones or new_tags or new_ids or more_ids or new_fields or relabel
        )

    def employer_as_held(self, cid: int, cur: Mapping[str, Any], ch: dict[str, Any]) -> dict[str, Any]:
        """The record with the contact's company in place of its own when the record names the contact's
        organization by a name the user took from it [company-orgs] [job-changes]: the name it had before
        the user renamed it, or that of an organization the user merged into it (`orgs edit --name`, `orgs
        merge`, not undone). The rename or merge is the user's word on what the employer is called: the same
        employer, nothing to write, keep aside or record as a job change, and no organization to make again
        for the old name. A name an organization bears now is its own, not an old name of another."""
        new, held = ch.get("company"), cur.get("company")
        if not new or not held or n.fold(str(new)) == n.fold(str(held)):
            return ch
        oid = cstore.company_and_org(self.conn, cid)["organization_id"]
        if oid is None or ostore.find_by_name(self.conn, str(new)) is not None:
            return ch
        if ostore.once_called(self.conn, str(new), self.org_aliases()) != oid:
            return ch
        return {**ch, "company": held}

    @staticmethod
    def _job_change_of(cur: models.Contact, updates: dict[str, Any]) -> tuple[str, str] | None:
        """(now, was) when what the record writes changes the contact's position as a job change does."""
        if not positions.FIELDS & set(updates):
            return None
        company = updates["company"] if "company" in updates else cur.get("company")
        title = updates["title"] if "title" in updates else cur.get("title")
        return positions.change(cur.get("company"), cur.get("title"), company, title)

    def _record_job_change(
        self,
        cid: int,
        cur: models.Contact,
        updates: dict[str, Any],
        url: str | None,
        now_at: str,
        was: str,
    ) -> None:
        """The `job_change` event [job-changes]: the position before and after, and which of the old one's
        fields the user had typed (a title typed for the old job is kept here, its one record)."""
        typed = sorted(positions.FIELDS & set(cur.get("user_edited_fields") or []))
        istore.insert_event(
            self.conn,
            cid,
            event_type="job_change",
            summary=f"Now {now_at} (was {was})",
            details={
                "old_company": cur.get("company"),
                "new_company": updates["company"] if "company" in updates else cur.get("company"),
                "old_title": cur.get("title"),
                "new_title": updates["title"] if "title" in updates else cur.get("title"),
                "old_typed": typed,
                "source": self.source,
            },
            source_url=url or cur.get("linkedin_url"),
            batch_id=self.batch_id,
            now=self.now,
        )
        self.events += 1

    # ------------------------------------------------------------ interactions

    def interaction(self, it: InteractionRecord) -> None:
        self.interaction_outcomes.append(False)
        if it.withdrawn:  # counted by its parse as not imported: only an earlier import's row to take out
            cid = self.cid_of(it.contact) if isinstance(it.contact, int) else self._counterpart(it.contact)
            if cid is not None and cid not in self.created:
                self._withdraw(cid, it)
            return
        if isinstance(it.contact, int):
            cid = self.cid_of(it.contact)
        else:
            cid = self._counterpart(it.contact)
            if cid is None and it.contact.name:
                self.unmatched.add(it.contact.name)
            elif cid is not None and it.contact.name and self._by_name(it.contact):
                self.keep_spelling(cid, it.contact.name)
        if cid is None:
            self.report["interactions_skipped"] += 1
            return
        # a contact this import created has no older refs; a repeat within the batch is caught by the insert
        held = self._held_ref(cid, it) if cid not in self.created else None
        if held is not None:
            if it.earlier_readings and self._reread(cid, held, it):
                return
            self.report["interactions_skipped"] += 1
            self.report["interactions_known"] += 1  # stored already [import-report]
            if CUT_REF.fullmatch(held):
                self.matched_refs.add((cid, held))
            return
        if cid not in self.created and CUT_REF.fullmatch(it.raw_reference_id) and self._cut_short(cid, it):
            return
        if it.direction == "outbound" and cid not in self.created and self._adopt_scheduled(cid, it):
            self.report["interactions_skipped"] += 1  # stored already, as the scheduled send
            self.report["interactions_known"] += 1  # stored already [import-report]
            return
        # an interaction changes only the contact's derived columns (score, count, last interaction),
        # which undo recomputes once it deletes the batch's interactions, and removes a `2nd tier` tag (the
        # promotion trigger): only such a contact needs a snapshot for the journal; the others are only
        # named in it, so undo knows which later batches overlap
        if cid not in self.created and cid not in self.touched:
            self.touched.add(cid)
            if ikeys.has_tag(self.conn, cid, "2nd tier"):
                self._snap(cid)
        content = None if self.metadata_only else it.content_preview
        if content and len(content) > MAX_PREVIEW:
            content = content[:MAX_PREVIEW]
        self.queued.append(
            (
                cid,
                {
                    "uuid": new_uuid(),
                    "platform": it.platform,
                    "direction": it.direction,
                    "content_preview": content,
                    "raw_reference_id": it.raw_reference_id,
                    "occurred_at": it.occurred_at,
                    "extra_data": it.extra_data,
                    "import_batch_id": self.batch_id,
                    "sync_run_id": self.sync_run_id,
                    "call_type": it.call_type,
                    "duration_seconds": it.duration_seconds,
                    "is_read_by_recipient": it.is_read_by_recipient,
                },
            )
        )
        self.queued_at.append(len(self.interaction_outcomes) - 1)
        if len(self.queued) >= itstore.MANY_CHUNK:
            self.flush_interactions()

    def _withdraw(self, cid: int, it: InteractionRecord) -> None:
        """A message that is none (`withdrawn`: a deleted message's placeholder, a LinkedIn message filed as
        spam) that an earlier import stored as one: taken out, its row journaled (undo puts it back),
        counted as `interactions_withdrawn` [chat-takeouts]. One whose text is another now stays."""
        refs = [it.raw_reference_id, *([it.earlier_ref] if it.earlier_ref else [])]
        if (other := self.held_in_another_zone(cid, it)) is not None:
            refs.append(other)
        placeholder = _plain(it.content_preview)
        row = itstore.take(self.conn, cid, it.platform, refs, lambda stored: _plain(stored) == placeholder)
        if row is None:
            return
        self.withdrawn.append([cstore.summaries(self.conn, [cid])[0]["id"], row])
        if not isinstance(it.contact, int):  # a sender the file names, not a contact record of the file
            self.withdrawn_from.add(cid)
        self.touched.add(cid)
        self.scored.add(cid)  # its count and last interaction go back to the messages left
        self.report["interactions_withdrawn"] = self.report.get("interactions_withdrawn", 0) + 1

    def _reread(self, cid: int, ref: str, it: InteractionRecord) -> bool:
        """A stored message that is still exactly what an earlier reader of the file made of it
        (`it.earlier_readings`: a WhatsApp placeholder or edited marker kept as text, an X DM without its
        reactions, a LinkedIn message without its folder, at a local time) is brought to this reading, as a
        fresh import would store it; journaled, undo puts it back [chat-takeouts]. Only a message an import
        of this platform stored (a sync's stays as it is), and only what the earlier reading differs in: its
        time moves only when that reading placed it otherwise (LinkedIn's dates read in --tz); a re-import
        under another --tz leaves it where its chat's other messages are. Whether it was."""
        row = itstore.held(self.conn, cid, it.platform, ref)
        if row is None:
            return False
        stored = {
            "content_preview": row["content_preview"],
            "extra_data": serialize.loads(row["extra_data"]) if row["extra_data"] is not None else None,
            "occurred_at": row["occurred_at"],
        }
        matched = [earlier for earlier in it.earlier_readings if _is_reading(stored, earlier)]
        if not matched:
            return False
        moved = any("occurred_at" in earlier or ZONED in earlier for earlier in matched)
        when = it.occurred_at if moved else row["occurred_at"]
        content = None if self.metadata_only else it.content_preview
        # what the message holds that this run read in --tz keeps its stored time, as the message does
        kept = _keep_zoned(stored["extra_data"], it.extra_data, it.zoned_extra)
        reading: dict[str, Any] = {"content_preview": content[:MAX_PREVIEW] if content else content}
        reading |= {"extra_data": kept, "occurred_at": when}
        if stored == reading:
            return False
        # the journal keeps its updated_at too, which undo gives it back [import-undo]
        was = [row["content_preview"], row["extra_data"], row["occurred_at"], row["updated_at"]]
        extra = serialize.dumps(kept).decode() if kept is not None else None
        to = [reading["content_preview"], extra, when]
        if not itstore.reread(self.conn, row["uuid"], was, to, self.now):
            return False
        self.reread.append([row["uuid"], was, to])
        self.touched.add(cid)
        self.scored.add(cid)  # its time may have moved
        self.report["interactions_reread"] = self.report.get("interactions_reread", 0) + 1
        return True

    def _held_ref(self, cid: int, it: InteractionRecord) -> str | None:
        """The reference the contact holds the message under: its own, or the one an earlier pcrm gave it
        (`earlier_ref`); None when the contact does not hold it."""
        if ikeys.has_ref(self.conn, cid, it.raw_reference_id):
            return it.raw_reference_id
        if it.earlier_ref and ikeys.has_ref(self.conn, cid, it.earlier_ref):
            return it.earlier_ref
        return self.held_in_another_zone(cid, it)

    def held_in_another_zone(self, cid: int, it: InteractionRecord) -> str | None:
        """The reference of the contact's row that is this message as an earlier pcrm stored it, having read
        the file's wall clock under another --tz [import-rerun-safety]: a row sent the same way, at a time off
        from this reading by whole zone offsets, whose reference is the one that pcrm made of its own time
        (the hash names the chat, sender and text, so no other message gives it), and no message of this
        file holds; None when there is none."""
        if it.earlier_ref_at is None:
            return None
        held = self._zoned_rows(cid, it.platform)
        if not held:  # the usual case: every stored row is a message of this file
            return None
        try:
            at = _millis(it.occurred_at)
        except ValueError:
            return None
        rows = held.get((it.direction, at % _QUARTER_MS))
        if not rows:
            return None
        lo = bisect_left(rows, (at - _APART_MS, "", ""))
        hi = bisect_right(rows, (at + _APART_MS, "\uffff", "\uffff"))
        for when, ref, stored in rows[lo:hi]:
            if (
                when != at
                and self.zone_claimed.get((cid, ref), it) is it
                and it.earlier_ref_at(stored) == ref
            ):
                self.zone_claimed[(cid, ref)] = it  # asked again (matching, then the message): the same row
                return ref
        return None

    def _zoned_rows(self, cid: int, platform: str) -> dict[tuple[str, int], list[tuple[int, str, str]]]:
        """The contact's imported messages of `platform` that no message of this file holds by reference,
        read once a batch: (direction, time modulo a quarter hour) -> [(time in ms, ref, occurred_at)], by
        time. A chat imported by this pcrm gives none: its every row is a message of the file."""
        key = (cid, platform)
        if key not in self.zone_rows:
            out: dict[tuple[str, int], list[tuple[int, str, str]]] = {}
            for ref, stored, direction in itstore.imported_refs(self.conn, cid, platform):
                if ref in self.file_refs:
                    continue
                try:
                    when = _millis(stored)
                except ValueError:
                    continue
                out.setdefault((direction, when % _QUARTER_MS), []).append((when, ref, stored))
            for rows in out.values():
                rows.sort()
            self.zone_rows[key] = out
        return self.zone_rows[key]

    def _cut_short(self, cid: int, it: InteractionRecord) -> bool:
        """A message of an export cut short [cut-exports]: the same chat, sender and moment as a message
        stored already, one text the start of the other. When the stored one is the cut one (the last
        message its import wrote with this contact, matched by no message of this file), it takes this
        fuller text and reference, journaled for undo; when this one is, it is skipped. Whether it was
        either."""
        text = None if self.metadata_only else it.content_preview
        if not text:
            return False
        text = text[:MAX_PREVIEW]
        for row in itstore.same_moment(self.conn, cid, it.platform, it.direction, it.occurred_at):
            old, ref = row["content_preview"], row["raw_reference_id"]
            if (cid, ref) in self.matched_refs or not CUT_REF.fullmatch(ref or ""):
                continue  # a message of this file too: another message, not a cut copy of this one
            if old.startswith(text):  # this file is the cut one: the whole message is stored
                self.report["interactions_skipped"] += 1
                self.report["interactions_known"] += 1  # stored already [import-report]
                return True
            if row["last"] and text.startswith(old):
                was, to = (old, ref), (text, it.raw_reference_id)
                itstore.complete(self.conn, row["uuid"], was, to, self.now)
                self.completed.append([row["uuid"], list(was), list(to)])
                self.matched_refs.add((cid, it.raw_reference_id))
                self.touched.add(cid)
                self.report["interactions_completed"] = self.report.get("interactions_completed", 0) + 1
                return True
        return False

    def _adopt_scheduled(self, cid: int, it: InteractionRecord) -> bool:
        """A delivered message pcrm scheduled [telegram-send]: the contact's `sent:scheduled:` row with the
        same text, scheduled within `SCHEDULED_SLACK` of the message's time, takes the delivered reference
        instead of a second row being stored. Whether one did."""
        key = (cid, it.platform)
        if key not in self.pending_sends:
            self.pending_sends[key] = itstore.scheduled_sends(self.conn, cid, it.platform)
        waiting = self.pending_sends[key]
        text = (it.content_preview or "").strip()
        if not waiting or not text:
            return False
        try:
            at = clock.parse_iso(it.occurred_at)
        except ValueError:
            return False
        near = [
            (abs(clock.parse_iso(r["occurred_at"]) - at), r)
            for r in waiting
            if (r["content_preview"] or "").strip() == text
        ]
        near = [(d, r) for d, r in near if d <= SCHEDULED_SLACK]
        if not near:
            return False
        row = min(near, key=lambda p: p[0])[1]
        waiting.remove(row)
        # the row keeps its provenance (sent by pcrm, in no batch): undoing this sync leaves it as delivered
        itstore.adopt_delivered(
            self.conn, row["id"], it.raw_reference_id, it.occurred_at, it.is_read_by_recipient, self.now
        )
        self.scored.add(cid)
        if it.occurred_at <= self.now and it.occurred_at > self.activity.get(cid, ""):
            self.activity[cid] = it.occurred_at
        return True

    def flush_interactions(self) -> None:
        """Insert the queued interactions together (one statement per chunk, see `itstore.insert_many`);
        a (contact, reference) already stored or repeated within the batch is skipped."""
        if not self.queued:
            return
        queued, self.queued = self.queued, []
        at, self.queued_at = self.queued_at, []
        inserted = itstore.insert_many(self.conn, queued, self.now)
        for (cid, data), i in zip(queued, at, strict=True):
            if data["uuid"] not in inserted:
                self.report["interactions_skipped"] += 1
                self.report["interactions_known"] += 1  # stored already [import-report]
                continue
            self.interaction_outcomes[i] = True
            self.report["interactions_created"] += 1
            self.scored.add(cid)
            at = data["occurred_at"]
            if at <= self.now and at > self.activity.get(cid, ""):
                self.activity[cid] = at

    def receipt(self, rc: ReadReceipt) -> None:
        """A chat's read cursor: the user's messages up to it are marked read (not journaled: a derived
        flag, which the next sync sets again)."""
        cid = self.cid_of(rc.contact)
        if cid is None:
            return
        itstore.mark_read(self.conn, cid, rc.platform, rc.ref_prefix, rc.max_id)
        if rc.platform == "telegram":
            cstore.set_telegram_read_cursor(self.conn, cid, rc.max_id)

    def lookup(self, cp: Counterpart) -> int | None:
        """The stored contact a counterpart names, if any."""
        return self._counterpart(cp)

    def _counterpart(self, cp: Counterpart) -> int | None:
        conn = self.conn
        if cp.bcc_hash:
            cid = cstore.id_by_bcc_hash(conn, cp.bcc_hash)
            if cid is not None:
                return cid
        if cp.linkedin_profile_id:
            cid = cstore.id_by_identity(conn, "linkedin", "external_id", cp.linkedin_profile_id)
            if cid is not None:
                return cid
        for e in cp.emails:
            ids = cstore.ids_by_email(conn, e)
            if ids:
                return ids[0]
        if cp.create:
            # a counterpart the import may create is never someone by the name alone [import-matching]:
            # it becomes a record of the batch (`ingest._counterparts_to_create`), which the matcher joins
            # to the contact holding this chat's messages, else asks about beside its namesakes
            return None
        return self.name_alike(cp.name) if cp.name else None

    def name_alike(self, name: str) -> int | None:
        """The one contact a counterpart's name reads as: the one contact of that name (of two namesakes
        neither is picked), else the one whose name reads alike word by word ("Jane Doe, MBA ★", "jane
        doe"), unless the marks beside a one-word name tell two people apart ("Grace 🧤", "Grace"). Only a
        look-up that creates nobody (a message to take out) takes it; one that may create asks about it."""
        ids = ikeys.ids_by_name_fold(self.conn, n.fold(name))
        if ids:
            return ids[0] if len(ids) == 1 else None
        if self._names is None:
            self._names = {}
            for rid, full, given, family in ikeys.all_names(self.conn):
                full_name = n.full_name(full, given, family) or ""
                key = normalize_name(full_name)
                if key:
                    self._names[key] = (rid, full_name) if key not in self._names else None
        found = self._names.get(normalize_name(name))
        return found[0] if found is not None and not marks_apart(name, found[1]) else None

    @staticmethod
    def _by_name(cp: Counterpart) -> bool:
        """Whether a counterpart found a contact by its name: it gives no key that did."""
        return not (cp.bcc_hash or cp.linkedin_profile_id or cp.emails)

    def keep_spelling(self, cid: int, name: str) -> None:
        """A message's counterpart joined contact `cid` by a name spelled otherwise (a star, an emoji,
        punctuation or a post-nominal beside the same words): that spelling is kept as another name of the
        contact, a `nickname` field, as a record's is [import-matching] [telegram-names], unless it is the
        contact's name or some of its words, or held already. Once per contact and spelling a batch."""
        key = (cid, n.spelling(name))
        if key in self._spellings:
            return
        self._spellings.add(key)
        found = cstore.fetch_contacts(self.conn, [cid])
        if not found:
            return
        kept = kept_values(found[0], {"full_name": name}, name_parts_held=True)
        new = dedupe_fields(kept, ikeys.fields_of(self.conn, cid)) if kept else []
        if not new:
            return
        self._snap(cid)
        istore.append_fields(self.conn, cid, new)
        self.count_kept(new, kept)
        cstore.touch(self.conn, cid, self.now)

    # ------------------------------------------------------------ settings and the journal

    def fill_me(self, me: Me) -> None:
        """The `me` setting, from the file owner's identities, when it holds nothing yet: read as every
        import reads it, with the account's name and email [me-setting], so it is never empty once an
        account exists (as the import's check before writing says)."""
        stored = sstore.get(self.conn, "me")
        if any(Me.from_setting(self.ctx.setting("me")).as_setting().values()):
            return
        value = me.as_setting()
        sstore.put(self.conn, "me", value, self.now)
        self.ctx.invalidate_settings()
        self.me_change = [stored, value]

    def finish(self) -> tuple[dict[str, Any], bool]:
        """Refresh scores of contacts that got interactions, queue the pairs left for the user
        [shared-keys]; return the journal and whether anything changed."""
        for i, rn in self.resources:
            cid = self.cid_of(i)
            if cid is not None:
                cstore.set_google_resource(self.conn, cid, rn)
        self._take_out_bare_senders()
        self._mark_edited()
        if self.scored and self.rescore is not None:
            self.rescore |= self.scored
        elif self.scored:
            scores.refresh(self.ctx, sorted(self.scored))
        if self.activity:
            # only suggestions created at or before the activity: a backfill never dismisses a newer one
            sugstore.dismiss_for_activity(self.conn, self.activity, self.now)
        self.kept_apart = keep_apart(self)  # before the queue: a pair answered is not asked [kept-apart]
        queued = self.review.queue()
        self.report["pending_review"] = len(queued)
        self._say_tags_past_cap()
        return journal.build(self, queued)

    def _mark_edited(self) -> None:
        """Give each contact this import made from pcrm's own export the marks of the fields the user typed by
        hand in the store that wrote it (`ContactRecord.edited`): a move keeps them protected, so the next
        LinkedIn import keeps a typed title as the original store does [protected-fields] [own-exports]. A
        contact the store held already keeps its own marks: the file's say nothing of what was typed here."""
        marks: dict[int, list[str]] = {}
        for index, edited in self.edited_marks:
            cid = self.cid_of(index)
            if cid is not None and cid in self.created:
                held = marks.setdefault(cid, [])
                held += [f for f in edited if f not in held]
        for cid, fields in marks.items():
            cur = cstore.fetch_contacts(self.conn, [cid])[0].get("user_edited_fields") or []
            added = [f for f in PROTECTABLE if f in fields and f not in cur]
            if added:
                cstore.update_contact(self.conn, cid, {"user_edited_fields": [*cur, *added]}, self.now)
                self.marks_set[cstore.summaries(self.conn, [cid])[0]["id"]] = added

    def _take_out_bare_senders(self) -> None:
        """A contact an import made only for messages this one took out (a LinkedIn spam sender an older
        pcrm made a contact of), left with nothing, goes with them: snapshotted into the journal (undo puts
        it back), counted as `contacts_withdrawn` [chat-takeouts]. One known otherwise stays."""
        for cid in sorted(self.withdrawn_from - self.created):
            if not istore.made_only_for_messages(self.conn, cid, self.source):
                continue
            self.contacts_withdrawn.append(mstore.snapshot(self.conn, cid))
            cstore.delete_contact(self.conn, cid)
            for held in (self.touched, self.scored):
                held.discard(cid)
            self.before.pop(cid, None)
            self.activity.pop(cid, None)
        if self.contacts_withdrawn:
            self.report["contacts_withdrawn"] = len(self.contacts_withdrawn)

    def _say_tags_past_cap(self) -> None:
        """The report's `tags_past_cap`: each contact this run left holding more tags than a contact takes
        by hand, every one kept [contact-tags] ({id, display_name, tags})."""
        ids = list(self.tags_past_cap)
        if not ids:
            return
        named = cstore.named(self.conn, ids)
        self.report.setdefault("tags_past_cap", []).extend(
            {"id": named[r]["id"], "display_name": named[r]["display_name"], "tags": self.tags_past_cap[r]}
            for r in ids
            if r in named
        )
        self.tags_past_cap.clear()


# the contact's text fields no other rule keeps another value of (`_other_texts`): each editable scalar but
# the name and its parts, the fields `kept_values` keeps, the position, the place's point, the priority, the
# platform identities (kept by `_fill` itself), the profile and photos (other_profiles, the avatar) and the
# source, which says where the contact came from and is no value of the person
_OTHER_TEXTS = tuple(
    f
    for f in cstore.SCALAR_FIELDS
    if f in models.EDITABLE
    and f not in {*KEPT_FIELDS, *positions.FIELDS, *map_point.POINT, *models.IDENTITIES}
    and f not in ("given_name", "family_name", "priority_level", "linkedin_url", "avatar_url", "source")
    and f != "organization_id"
    and not f.endswith("_avatar_url")  # a picture's address changes with each upload: no value of the person
)


def other_value_field(field: str, value: str) -> dict[str, Any]:
    """The extra field that keeps another value of `field` than the contact's (`X-PCRM-OTHER-TWITTER-BIO:...`,
    the headline as `kept_field` keeps it) [import-matching]."""
    if field == "linkedin_headline":
        return kept_field(field, value)
    return {
        "kind": "x",
        "label": None,
        "value": f"X-PCRM-OTHER-{field.upper().replace('_', '-')}:{escape(value)}",
    }


def _misread_before(rec: ContactRecord, ch: dict[str, Any]) -> bool:
    """Whether the record's earlier reading is its name as the file misread it (`misread_repaired`)."""
    was = (rec.earlier or {}).get("full_name")
    return bool(was) and was != ch.get("full_name") and repair(str(was)) == ch.get("full_name")


def _name_of(ch: dict[str, Any]) -> str:
    return n.full_name(ch.get("full_name"), ch.get("given_name"), ch.get("family_name")) or ""


_NONE = -(1 << 63)


class RefList:
    """`Writer.refs` [streamed-imports]: per contact record what became of it, a `Ref` or None. The refs of
    batches already written are all contacts' rowids, kept packed (8 bytes a record, not a tuple)."""

    def __init__(self) -> None:
        self._done = array("q")
        self._live: list[Ref | None] = []

    def append(self, ref: Ref | None) -> None:
        self._live.append(ref)

    def __len__(self) -> int:
        return len(self._done) + len(self._live)

    def __getitem__(self, index: int) -> Ref | None:
        if index < len(self._done):
            v = self._done[index]
            return None if v == _NONE else ("c", v)
        return self._live[index - len(self._done)]

    def settle(self, cid: list[int]) -> None:
        """The staged contacts were inserted, staged contact i as rowid `cid[i]`: pack every ref."""
        self._done.extend(
            _NONE if ref is None else cid[ref[1]] if ref[0] == "p" else _contact(ref) for ref in self._live
        )
        self._live = []


def _is_reading(stored: dict[str, Any], earlier: dict[str, Any]) -> bool:
    """The stored columns are the earlier reading's; its `except` names extra_data keys that may hold
    anything (an X DM's reactions, which change after the message)."""
    skip = earlier.get("except") or ()
    for column, value in earlier.items():
        if column == "except":
            continue
        if column == ZONED:
            if not _in_a_zone(stored.get("occurred_at"), value):
                return False
            continue
        held = stored.get(column)
        if column == "extra_data" and skip:
            held = {k: v for k, v in (held or {}).items() if k not in skip} or None
        if held != _cut(column, value):
            return False
    return True


# an earlier reading's time that is the message's wall clock read in some zone: the time given, off by a
# whole zone offset (a multiple of 15 minutes, at most 14 h) or not at all [chat-takeouts]
ZONED = "occurred_in_a_zone"
_ZONE_STEP = 15 * 60
_ZONE_MOST = 14 * 3600


def _in_a_zone(stored: Any, utc: str) -> bool:
    """Whether a stored time is `utc`'s wall clock read in some zone (`ZONED`)."""
    try:
        off = (clock.parse_iso(str(stored)) - clock.parse_iso(utc)).total_seconds()
    except ValueError:
        return False
    return abs(off) <= _ZONE_MOST and off % _ZONE_STEP == 0


# two readings of one wall clock in two zones: at most UTC-12 against UTC+14 apart, whole quarter hours
_ZONES_APART = timedelta(hours=26)
_APART_MS = int(_ZONES_APART.total_seconds()) * 1000
_QUARTER_MS = 15 * 60 * 1000


def _millis(utc: str) -> int:
    """A canonical UTC time as milliseconds since the epoch."""
    return int(clock.parse_iso(utc).timestamp() * 1000)


def _zones_apart(stored: str, utc: str) -> bool:
    """Whether a stored time may be the wall clock read as `utc` here read in another zone: off by whole
    quarter hours, at most `_ZONES_APART` (time zones' offsets are)."""
    try:
        off = (clock.parse_iso(stored) - clock.parse_iso(utc)).total_seconds()
    except ValueError:
        return False
    return abs(off) <= _ZONES_APART.total_seconds() and off % _ZONE_STEP == 0


def _keep_zoned(
    stored: dict[str, Any] | None, extra: dict[str, Any] | None, zoned: tuple[tuple[str, int], ...]
) -> dict[str, Any] | None:
    """`extra` whose entries read in --tz (`zoned`: (key, index), each an entry with its `at`) take the time
    of the entry the stored message holds alike (every other value the same) at a time off by whole zone
    offsets: that entry read under another --tz [chat-takeouts]. An entry the stored message lacks (a
    reaction given since) keeps this reading."""
    if not zoned or not extra or not stored:
        return extra
    out = dict(extra)
    taken: set[tuple[str, int]] = set()
    for key, i in zoned:
        entries, held = out.get(key), stored.get(key)
        if not isinstance(entries, list) or not isinstance(held, list) or not 0 <= i < len(entries):
            continue
        entry = entries[i]
        if not isinstance(entry, dict) or not isinstance(entry.get("at"), str):
            continue
        alike = {k: v for k, v in entry.items() if k != "at"}
        # the stored entry at the same place first: of two alike, each keeps its own time
        for j in sorted(range(len(held)), key=lambda j: j != i):
            h = held[j]
            if (
                (key, j) not in taken
                and isinstance(h, dict)
                and isinstance(h.get("at"), str)
                and {k: v for k, v in h.items() if k != "at"} == alike
                and _zones_apart(h["at"], entry["at"])
            ):
                taken.add((key, j))
                if out[key] is extra[key]:
                    out[key] = entries = list(entries)
                entries[i] = {**entry, "at": h["at"]}
                break
    return out


def _held_zoned(f: Any, held: dict[tuple[str, str], set[str]]) -> bool:
    """Whether a contact holding `held` (field_labels) holds field `f`, a line `NAME:time` whose UTC time was
    read from a wall clock in --tz, as read under another zone: the same kind and name, the time off by whole
    quarter hours, at most `_ZONES_APART` [import-rerun-safety]."""
    name, sep, at = f["value"].partition(":")
    if not sep:
        return False
    return any(
        kind == f["kind"] and value.startswith(f"{name}:") and _zones_apart(value[len(name) + 1 :], at)
        for kind, value in held
    )


def _cut(column: str, value: Any) -> Any:
    """A value as the store keeps it: a message's text at most MAX_PREVIEW characters."""
    return value[:MAX_PREVIEW] if column == "content_preview" and isinstance(value, str) else value


def _plain(text: str | None) -> str:
    """A message's text as compared with an earlier reading of it: without direction marks, spacing or case
    (a reader may have kept the marks an export wraps its notices in)."""
    return " ".join(_MARKS.sub("", text or "").split()).casefold()


_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _contact(ref: Ref) -> int:
    assert ref[0] == "c", ref
    return ref[1]


def _named(ch: dict[str, Any], keys: list[tuple[str, ...]]) -> bool:
    """Whether a record has a name of its own: one with a letter that is not one of its keys written as a
    name (an address, the part before its "@", a number, a handle with or without its "@"), as an app
    names a person it knows only by a value [protected-fields]."""
    text = n.full_name(ch.get("full_name"), ch.get("given_name"), ch.get("family_name"))
    said = (text or "").strip().casefold().lstrip("@")
    if not any(c.isalpha() for c in said):
        return False
    for key in keys:
        value = str(key[-1]).strip().casefold().lstrip("@")
        if said in (value, value.split("@", 1)[0]):
            return False
    return True


def _removed_key_of(h: Hit[Ref]) -> str:
    """The list of `Writer.removed_by_hand` a conflicting holder's shared key is looked for in."""
    return "emails" if h.key == "email" else "phones" if h.key == "phone" else "identities"


def _removed_value(h: Hit[Ref]) -> Any:
    """A conflicting holder's shared key as `Writer.removed_by_hand` holds it (see `_removed_key`)."""
    if h.key == "email":
        return h.value.lower()
    if h.key == "phone":
        return h.value
    return (h.key, h.value)


def _removed_key(key: tuple[str, ...]) -> tuple[str, Any]:
    """A record's matching key as `Writer.removed_by_hand` indexes a value taken off a contact: ("emails",
    address in lower case), ("phones", normalised) or ("identities", (field, value))."""
    if key[0] == "email":
        return "emails", str(key[-1]).lower()
    if key[0] == "phone":
        return "phones", key[-1]
    return "identities", (matching.identity_field(key[1], key[0]), str(key[-1]))


def _label_key(f: ContactField) -> str:
    """The value an email or phone field labels, as `_fill` compares what it leaves off (addresses in
    lower case, phones as the record spells them)."""
    return str(f["value"]).lower() if f["kind"] == "email" else str(f["value"])


def _dedupe_phones(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: set[str] = set()
    out = []
    for raw, norm in items:
        if norm not in seen:
            seen.add(norm)
            out.append((raw, norm))
    return out


def _member_to_slug(field: str, held: str, value: str) -> bool:
    """Whether a contact's anonymised LinkedIn member id (`ACo...`) gives way to the record's public slug:
    the slug becomes the contact's profile id, the member id stays as another of its identities, so a push
    naming either still finds the contact [extension-push]."""
    return field == "linkedin_profile_id" and held.startswith("ACo") and not value.startswith("ACo")
