"""Which contact an imported record belongs to [import-matching] [shared-keys].

A record with an email, phone or platform identity is matched on those keys, among the store's contacts
and the contacts this import is about to create (a later row of the same file for the same person), by
the [shared-keys] rule: the holder of its account id (a platform's user id), else the first holder whose
name is compatible; holders whose names conflict are pairs for review; a phone held by three or more
contacts joins nobody. A record with none of those keys is never matched on its name alone: the contacts
of the same name are candidates, and it joins one only when that contact already holds everything the
record says (the same row imported again) or the tier-2 scorer, with every signal present, says
auto_merge; a review-band pair is queued. A keyed record that matched nobody is asked about with its
namesakes the scorer rates review or better (another source's copy of the person, with other keys),
never joined to them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pcrm.domain import identity as dom
from pcrm.domain import normalize as n
from pcrm.domain.identity_names import distinctive_name
from pcrm.domain.models import IDENTITY_FIELD, Contact
from pcrm.domain.records import InteractionRecord, Thread
from pcrm.domain.shared_keys import KEPT_FIELDS, Decision, Hit, decide, holds_all, kept_field, name_of
from pcrm.services import resolver
from pcrm.store import bulk_journal, db
from pcrm.store import contacts as cstore
from pcrm.store import identity as idstore
from pcrm.store import import_keys as ikeys
from pcrm.store import imports as istore

if TYPE_CHECKING:
    from pcrm.services.ingest.engine import Writer

Ref = tuple[str, int]  # ("c", contact rowid) or ("p", number of a pending new contact)
Keyed = tuple[list[tuple[str, ...]], bool]  # a record's keys, and whether the store may hold one of them
IDENT = {f: (p, col) for f, p, col in resolver.AXES}
_IDENT_ORDER = {f: i for i, f in enumerate(IDENT)}


def keys_of(ch: dict[str, Any]) -> list[tuple[str, ...]]:
    """A record's identity keys in matching order: emails, platform ids (resolver order), phones."""
    keys: list[tuple[str, ...]] = [("email", e) for e in ch.get("emails") or []]
    for f in idents_in(ch):
        platform, column = IDENT[f]
        keys.append((column, platform, ch[f]))
    if phones := ch.get("phones"):
        keys += [("phone", norm) for _raw, norm in phones]
    return keys


def idents_in(ch: dict[str, Any]) -> list[str]:
    """The platform identity fields `ch` gives a value, in resolver order (IDENT's)."""
    found = [f for f in ch if f in _IDENT_ORDER and ch[f]]
    if len(found) > 1:
        found.sort(key=_IDENT_ORDER.__getitem__)
    return found


def key_field(key: tuple[str, ...]) -> str:
    """The field a key is of: "email", "phone" or the identity field ("telegram_user_id", ...)."""
    return key[0] if key[0] in ("email", "phone") else IDENTITY_FIELD[(key[1], key[0])]


_field = key_field


def identity_field(platform: str, column: str) -> str | None:
    """The contact field an identity of this platform and column is ("telegram_user_id", ...), if any."""
    return IDENTITY_FIELD.get((platform, column))


class Lookups:
    """A batch's store look-ups made together before its records are matched [batched-lookups]: the
    holders of every record's keys (with their names) and the holders' full contacts. Each answer is
    handed out once, and all of them are forgotten as soon as the store has changed since they were read
    (`db.changes_made`), so a record matched after a write sees the store as it is, as it did when each
    record looked on its own."""

    def __init__(self, w: Writer) -> None:
        self.w = w
        self.hits: dict[tuple[Any, ...], list[Hit[int]]] = {}
        self.held: dict[int, Contact] = {}
        self.stamp = -1
        # per record of the last `load`, its keys and whether the store may hold one (None: refused), for
        # `Writer.contact` (the key filter changes only between batches)
        self.keyed: list[Keyed | None] = []

    def load(self, changes: Iterable[dict[str, Any] | None]) -> None:
        """Look up, together, what `by_keys` would look up for each of these validated records."""
        w = self.w
        existing = w.existing
        wanted = []
        keyed: list[Keyed | None] = []
        for ch in changes:
            if ch is None:
                keyed.append(None)
                continue
            keys = keys_of(ch)
            held = bool(keys) and (existing is None or any(k in existing for k in keys))
            keyed.append((keys, held))
            if held:
                wanted.append(ch)
        self.keyed = keyed
        self.hits, self.held = {}, {}
        if len(wanted) < 2:  # one record: its own look-ups are as few
            return
        self.stamp = db.changes_made(w.conn)
        found = resolver.store_hits_many(w.conn, wanted)
        for ch, hits in zip(wanted, found, strict=True):
            self.hits.setdefault(_lookup_key(ch), hits)
        self.held = cstore.contacts_by_rowid(w.conn, sorted({h.holder for hits in found for h in hits}))

    def _fresh(self) -> bool:
        if (self.hits or self.held) and db.changes_made(self.w.conn) != self.stamp:
            self.hits, self.held = {}, {}
        return bool(self.hits or self.held)

    def hits_of(self, ch: dict[str, Any]) -> list[Hit[int]] | None:
        """`resolver.store_hits(conn, ch)` as read before the batch, or None: look now."""
        return self.hits.pop(_lookup_key(ch), None) if self._fresh() else None

    def contact(self, cid: int) -> Contact | None:
        """`fetch_contacts(conn, [cid])[0]` as read before the batch, or None: fetch it now."""
        return self.held.pop(cid, None) if self._fresh() else None


def _lookup_key(ch: dict[str, Any]) -> tuple[Any, ...]:
    """What `resolver.store_hits` reads of a record: its emails, identities and phones."""
    return (
        tuple(ch.get("emails") or ()),
        tuple(ch.get(f) for f, _p, _c in resolver.AXES),
        tuple(norm for _raw, norm in ch.get("phones") or ()),
    )


def by_keys(
    w: Writer,
    ch: dict[str, Any],
    keys: list[tuple[str, ...]],
    held: bool | None = None,
    *,
    accounts: bool = True,
) -> Decision[Ref]:
    """The [shared-keys] decision for a keyed record, over the store and this import's new contacts.
    `held`: whether the store may hold one of its keys (the key filter's answer), when known already.
    `accounts`: whether the record's account ids name its contact whatever the names say (not for a CSV of
    another program, `ContactRecord.accounts_by_name` [own-exports])."""
    found: list[Hit[int]] = []
    if held is None:
        held = w.existing is None or any(k in w.existing for k in keys)
    pending = w.pending.keys
    if held:
        got = w.lookups.hits_of(ch)
        found = got if got is not None else resolver.store_hits(w.conn, ch)
    elif not any(k in pending for k in keys):  # nobody holds any of its keys (most rows of a first import)
        return Decision()
    hits: list[Hit[Ref]] = []
    for key in keys:
        f, value = _field(key), key[-1]
        mine = [h for h in found if h.key == f and h.value == value]
        pend = pending.get(key, [])
        count = len(mine) + len(pend)  # how many contacts hold it (a phone's shared line)
        hits += [Hit(h.key, h.value, ("c", h.holder), h.names, count, h.renamed) for h in mine]
        hits += [Hit(f, value, ("p", i), w.pending.names(i), count) for i in pend]
    if not hits:  # nobody holds any of its keys (most rows of a first import)
        return Decision()
    out = decide(name_of(ch), hits, rejected=lambda a, b: _rejected(w, a, b), accounts=accounts)
    if out.match is None and not out.conflicts and all(h.shared_line for h in hits):
        out.match = _again_on_line(w, ch, keys, hits)
    return out


def _again_on_line(
    w: Writer, ch: dict[str, Any], keys: list[tuple[str, ...]], hits: list[Hit[Ref]]
) -> Ref | None:
    """The contact a record whose only held keys are shared lines [shared-keys] was made from before: the
    one holder of every key of the record whose name is the record's (folded) and which holds every value
    the record brings, as `by_name` finds a name-only record again [import-matching]. A shared line joins
    nobody on its own, so without this a phone book of an office's people made each of them again on
    every import of it. None when no holder, or more than one, is that record."""
    name = n.fold(n.full_name(ch.get("full_name"), ch.get("given_name"), ch.get("family_name")))
    if not name:
        return None
    wanted = {(_field(k), k[-1]) for k in keys}
    parsed = name_of(ch)
    held: dict[Ref, set[tuple[str, str]]] = {}
    for h in hits:  # only holders of the record's very name are read (a switchboard has many holders)
        if h.names[:1] == (parsed,):
            held.setdefault(h.holder, set()).add((h.key, h.value))
    same: list[Ref] = []
    for ref, got in held.items():
        if got != wanted:
            continue
        if ref[0] == "p":
            p = w.pending.items[ref[1]]
            cur: Mapping[str, Any] = p["changes"]
            have = {(f["kind"], f["value"]) for f in p["fields"]}
        else:
            found = cstore.fetch_contacts(w.conn, [ref[1]])
            if not found:
                continue
            cur, have = found[0], ikeys.fields_of(w.conn, ref[1])
        own = n.fold(n.full_name(cur.get("full_name"), cur.get("given_name"), cur.get("family_name")))
        said = _as_corrected(w, ref[1], cur, ch, have) if ref[0] == "c" else ch
        if own == name and holds_all(cur, said, have):
            same.append(ref)
    return same[0] if len(same) == 1 else None


def _as_corrected(
    w: Writer, cid: int, cur: Mapping[str, Any], ch: dict[str, Any], have: set[tuple[str, str]]
) -> dict[str, Any]:
    """A record as it is compared with a stored contact the user corrected, to tell whether the contact holds
    all it says [import-matching]: with the contact's company where the record names its organization by the
    name the user took from it [company-orgs], and without a field the user edited by hand only where the
    record's value is the one the contact had before the user typed over it (`_typed_over`): the row that
    made the contact, imported again after the correction, is that contact (the fill keeps its value aside
    [protected-fields]). Any other value of an edited field is the record's own and must be held: a namesake
    saying another company, title and birthday is someone else."""
    said = w.employer_as_held(cid, cur, ch)
    edited = set(cur.get("user_edited_fields") or ()) - {"full_name"}
    asked = [k for k in edited if said.get(k) not in (None, "", []) and said.get(k) != cur.get(k)]
    if not asked:
        return said
    over = _typed_over(w, cid, cur, have)
    drop = {k for k in asked if k in KEPT_FIELDS and _same_value(said[k], over.get(k, ()), k, have)}
    return {k: v for k, v in said.items() if k not in drop} if drop else said


def _typed_over(
    w: Writer, cid: int, cur: Mapping[str, Any], have: set[tuple[str, str]]
) -> dict[str, list[Any]]:
    """Field -> the values contact `cid` had that a hand edit may have typed over: those a change journalled
    in bulk (a company edit) held before it, and those an import wrote or found on it (its journal's before
    and after) [import-undo]."""
    uuid = str(cur.get("id") or cstore.summaries(w.conn, [cid])[0]["id"])
    out: dict[str, list[Any]] = {}
    for before in bulk_journal.values_before(w.conn, uuid):
        for k, v in before.items():
            out.setdefault(k, []).append(v)
    for fields in istore.fields_written(w.conn, uuid):
        for k, pair in fields.items():
            out.setdefault(k, []).extend(pair)
    return out


def _same_value(value: Any, before: Iterable[Any], field: str, have: set[tuple[str, str]]) -> bool:
    """Whether a record's value of a field is one the contact had before the user typed over it, or one
    kept aside on it (an earlier import of the record, `kept_field`)."""
    kept = kept_field(field, str(value))
    if (kept["kind"], kept["value"]) in have:
        return True
    folded = n.fold(str(value))
    return any(b not in (None, "") and n.fold(str(b)) == folded for b in before)


def _rejected(w: Writer, a: Ref, b: Ref) -> bool:
    return a[0] == b[0] == "c" and resolver.rejected(w.conn, a[1], b[1])


@dataclass
class NameOnly:
    """Where a record with no key goes: the contact it joins (None: its own), review-band pairs, and
    how many contacts of its name there were when it joined none of them (an ambiguity to report).
    `by_messages`: the contact was found by the chat's messages, not by its name (it may have been renamed
    since, so the chat's name is no other name of the person to keep [import-matching])."""

    match: Ref | None = None
    review: list[tuple[Ref, float]] = field(default_factory=list)
    namesakes: int = 0
    by_messages: bool = False
    # pairs to ask about for a reason of their own (a conversation the record's contact shares with them)
    asked: list[tuple[Ref, dict[str, str]]] = field(default_factory=list)


REF_PROBE = 20  # how many of a chat record's message refs are looked for on its namesakes


def by_name(
    w: Writer,
    ch: dict[str, Any],
    fields: list[Any] | None = None,
    refs: list[tuple[str, str]] | None = None,
    thread: Thread | None = None,
    zoned: list[InteractionRecord] | None = None,
) -> NameOnly:
    """A record with no email, phone or handle: never matched on the name alone [import-matching].

    A chat record first joins the one contact holding messages of this very chat (`refs`, a chat
    imported before; `zoned`, its messages an earlier pcrm may have stored after reading their wall clock
    in another zone), whatever its name is now: renamed, or merged into a contact of another name.
    Otherwise the contacts of its folded name (the store's and this import's new ones) are candidates. It
    joins one when the evidence says it is the same record again: it holds everything a
    record saying more than its name says, or, for a record that is nothing but a name and brings no
    messages, is nothing but that name itself (the contact an earlier import of it created). Otherwise
    the tier-2 scorer decides, and only with one candidate: two or more contacts of that name are two
    people the record cannot choose between, so it becomes a contact of its own and every pair in the
    review band or above is queued (`namesakes` says so)."""
    name = n.fold(n.full_name(ch.get("full_name"), ch.get("given_name"), ch.get("family_name")))
    out = NameOnly()
    if not name:
        return out
    store_ids: list[int] = []
    if w.existing is None or ("name", name) in w.existing:
        store_ids = ikeys.ids_by_name_fold(w.conn, name)
    pend_ids = w.pending.by_name.get(name, [])
    if refs and (held := _holder_of(w, store_ids, refs, zoned)) is not None:
        out.match, out.by_messages = ("c", held), True
        return out
    if thread and (in_thread := _in_thread(w, store_ids, thread)) is not None:
        out.match, out.by_messages = ("c", in_thread), True
        return out
    if thread:  # no contact of its name holds the chat: one called otherwise may [import-matching]
        held_by, out.asked = _by_conversation(w, name, thread)
        if held_by is not None:
            out.match, out.by_messages = ("c", held_by), True
            return out
    if not store_ids and not pend_ids:
        return out
    bare = not _says_more(ch, _about_person({(f["kind"], f["value"]) for f in fields or []}))
    same: list[Ref] = []
    if not (bare and refs):  # a chat's bare name is no evidence: its messages are (above)
        for cid, cur in zip(store_ids, cstore.fetch_contacts(w.conn, store_ids), strict=True):
            have = ikeys.fields_of(w.conn, cid)
            said = _as_corrected(w, cid, cur, ch, have)
            if holds_all(cur, said, have) and (not bare or not _says_more(cur, _about_person(have))):
                same.append(("c", cid))
        for i in pend_ids:
            p = w.pending.items[i]
            have = {(f["kind"], f["value"]) for f in p["fields"]}
            if holds_all(p["changes"], ch, have) and (
                not bare or not _says_more(p["changes"], _about_person(have))
            ):
                same.append(("p", i))
    if len(same) == 1:  # the same record again (a rerun, or a row repeated in the file)
        out.match = same[0]
        return out
    # the tier-2 scorer on the full records decides [match-scoring]
    scored = _scored(w, ch, fields or [], store_ids, pend_ids)
    if len(scored) == 1 and dom.band(scored[0][0]) == "auto_merge":
        out.match = scored[0][1]
        return out
    out.review = [(ref, s) for s, ref in scored if dom.band(s) in ("review", "auto_merge")]
    if len(scored) > 1:
        out.namesakes = len(scored)
    return out


def namesakes_to_review(
    w: Writer, asks: list[tuple[Ref, dict[str, Any], list[Any]]]
) -> list[tuple[Ref, Ref, float]]:
    """The contacts of keyed records' names worth asking about, for a batch of records whose keys matched
    nobody and became contacts of their own (`asks`: their contact, validated input and extra fields)
    [import-matching]: the same person from another source often comes with other keys (a vCard's email,
    then LinkedIn's profile address). They are never joined here, only paired (record's contact, namesake,
    score) when the tier-2 scorer puts them in the review band or above, as `pcrm identity scan` would; two
    different emails or phones keep a pair out of that band. Only the store's contacts are candidates, not
    the ones this run created (one file is one source), and a name more than `NAMESAKE_CAP` contacts hold
    asks nothing (it says too little; the scan's blocking takes it). One look-up of the names and one load
    of the candidates serve the whole batch."""
    named: list[tuple[Ref, dict[str, Any], list[Any], str]] = []
    for target, ch, fields in asks:
        name = n.fold(n.full_name(ch.get("full_name"), ch.get("given_name"), ch.get("family_name")))
        if name and (w.existing is None or ("name", name) in w.existing):
            named.append((target, ch, fields, name))
    if not named:
        return []
    holders = ikeys.ids_by_name_folds(w.conn, (name for *_rest, name in named))
    candidates = {
        name: kept
        for name, ids in holders.items()
        if (kept := [cid for cid in ids if cid not in w.created]) and len(kept) <= NAMESAKE_CAP
    }
    wanted = sorted({cid for ids in candidates.values() for cid in ids})
    if not wanted:
        return []
    rows = idstore.load_people(w.conn, include_archived=True, ids=wanted)
    people = {row["_rowid"]: dom.person(row) for row in rows}
    pairs: list[tuple[Ref, Ref, float]] = []
    for target, ch, fields, name in named:
        me = None
        for cid in candidates.get(name, []):
            if cid not in people:
                continue
            me = me or dom.person(_row(ch, fields, w.source, len(candidates[name])))
            if dom.same_source(me, people[cid]):
                continue  # two accounts on one platform (another LinkedIn profile) are two people
            score = dom.score(me, people[cid])
            if dom.band(score) in ("review", "auto_merge"):
                pairs.append((target, ("c", cid), score))
    return pairs


NAMESAKE_CAP = 5


def ask_namesake(w: Writer, target: Ref, ch: dict[str, Any], cid: int) -> None:
    """Ask about a new contact (`target`, staged from `ch`: a message's counterpart) beside the stored
    contact `cid` its name reads as, when the tier-2 scorer puts the pair in the review band or above and
    they are not two accounts of one platform (two LinkedIn profiles): never joined [import-matching]."""
    rows = idstore.load_people(w.conn, include_archived=True, ids=[cid])
    if not rows:
        return
    me, other = dom.person(_row(ch, [], w.source, 0)), dom.person(rows[0])
    if dom.same_source(me, other):
        return
    score = dom.score(me, other)
    if dom.band(score) in ("review", "auto_merge"):
        w.review.scored(target, ("c", cid), score)


def _scored(
    w: Writer, ch: dict[str, Any], fields: list[Any], store_ids: list[int], pend_ids: list[int]
) -> list[tuple[float, Ref]]:
    """The tier-2 score of a record against contacts of the store and this import's new ones, best first."""
    me = dom.person(_row(ch, fields, w.source, len(store_ids) + len(pend_ids)))
    rows = idstore.load_people(w.conn, include_archived=True, ids=store_ids) if store_ids else []
    scored = [(dom.score(me, dom.person(row)), ("c", row["_rowid"])) for row in rows]
    scored += [
        (
            dom.score(
                me,
                dom.person(_row(w.pending.items[i]["changes"], w.pending.items[i]["fields"], w.source, 0)),
            ),
            ("p", i),
        )
        for i in pend_ids
    ]
    scored.sort(key=lambda t: -t[0])
    return scored


def _holder_of(
    w: Writer, namesakes: list[int], refs: list[tuple[str, str]], zoned: list[InteractionRecord] | None
) -> int | None:
    """The one contact holding messages of a chat record (`refs`: (raw_reference_id, occurred_at), a
    probe of the first and last ones), looked for in the whole store, then, should the time of a message
    have moved since (another time zone), among the record's namesakes by reference alone, and last by the
    reference an earlier pcrm made of the time it stored (`zoned`, read under another --tz)."""
    probe = [*refs[:REF_PROBE], *refs[-REF_PROBE:]] if len(refs) > 2 * REF_PROBE else refs
    held = ikeys.holders_of_refs(w.conn, probe)
    if len(held) != 1:
        held = [cid for cid in namesakes if any(ikeys.has_ref(w.conn, cid, r) for r, _at in probe)]
    if not held and zoned:
        few = [*zoned[:REF_PROBE], *zoned[-REF_PROBE:]] if len(zoned) > 2 * REF_PROBE else zoned
        held = [cid for cid in namesakes if any(w.held_in_another_zone(cid, it) for it in few)]
    return held[0] if len(held) == 1 else None


def _in_thread(w: Writer, namesakes: list[int], thread: Thread) -> int | None:
    """The oldest of a record's namesakes holding messages of its conversation (same name, same chat: the
    same person; several such are the copies older pushes made, and the oldest stops them multiplying).
    Never a contact of another conversation: a name alone joins nobody."""
    held = ikeys.holding_thread(w.conn, namesakes, thread.platform, thread.conversation_id, thread.ref_prefix)
    return held[0] if held else None


CONVERSATION_CAP = 5  # more contacts than this the user renamed in one chat: too vague to ask about


def _by_conversation(
    w: Writer, name: str, thread: Thread
) -> tuple[int | None, list[tuple[Ref, dict[str, str]]]]:
    """The contact of a chat sender no namesake holds the chat of, found by the conversation itself
    [import-matching]: among every contact holding messages of it (whatever they are called now, renamed
    or merged into a contact of another name), the one known in it by the sender's name: a message of it
    was pushed with that name (`pushed_name`), or the contact goes by it (a nickname a merge kept). Exactly
    one joins; with several, none does and each is asked about with the record's new contact (the chat
    they share as the reason). None known by the name: contacts of the chat the user renamed whose
    messages there came without a pushed name (before pcrm kept it, or from an export) may be the sender
    renamed, or another member of a group: asked about, never joined. Other members of a group chat, known
    there by other names, are neither joined nor asked about."""
    holders: dict[int, set[str]] = {}
    for cid, pushed in ikeys.conversation_holders(
        w.conn, thread.platform, thread.conversation_id, thread.ref_prefix
    ):
        holders.setdefault(cid, set()).add(n.fold(pushed) if pushed else "")
    if not holders:  # a chat nobody holds yet (its first push): the usual case
        return None, []
    reason = {"key": "conversation", "value": f"{thread.platform} {thread.conversation_id}"}
    nicknames = ikeys.nicknames_of(w.conn, list(holders))
    known = [
        cid
        for cid, pushed in holders.items()
        if name in pushed or any(n.fold(t) == name for t in nicknames.get(cid, ()))
    ]
    if len(known) == 1:
        return known[0], []
    if known:
        return None, [(("c", cid), reason) for cid in known]
    unnamed = [cid for cid, pushed in holders.items() if pushed == {""}]
    renamed = [cid for cid, row in cstore.names_of(w.conn, unnamed).items() if row["renamed"]]
    if len(renamed) > CONVERSATION_CAP:
        return None, []
    return None, [(("c", cid), reason) for cid in sorted(renamed)]


def _says_more(ch: Mapping[str, Any], fields: Iterable[Any]) -> bool:
    """Whether a record (or a contact) holds anything beyond its name: any other value or extra field
    (tags are no such value: they say how the user files a person, not who it is)."""
    if any(True for _ in fields):
        return True
    return any(ch.get(k) not in (None, "", [], ()) for k in _BEYOND_NAME)


# the cells another store's export names its contact by, kept aside as `x` fields [own-exports]: that
# store's bookkeeping, nothing about who the person is
_FOREIGN_ID = ("X-ID:", "X-CREATED-AT:", "X-PCRM-MISREAD;")  # and a repaired value's misread text [mojibake]
# and another priority a file gave [kept-priority]: how a person is filed, as tags, not who they are
_FILED = ("X-PCRM-OTHER-PRIORITY:",)


def _about_person(fields: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """A contact's or a record's extra fields (kind, value) less another store's id and creation time kept
    aside: one known by nothing but its name and those is still nothing but its name [import-matching], on
    both sides (a name-only row of another store's CSV export joined a namesake holding an email)."""
    return {(k, v) for k, v in fields if not (k == "x" and v.startswith((*_FOREIGN_ID, *_FILED)))}


_BEYOND_NAME = (
    "emails",
    "phones",
    "company",
    "title",
    "birthday",
    "location",
    "notes",
    "linkedin_url",
    *IDENT,
)


def _row(ch: dict[str, Any], fields: list[Any], source: str, namesakes: int) -> dict[str, Any]:
    """A record's values as the matcher reads a contact: phones as their normalised numbers, the
    addresses among its extra fields (the evidence a person file's duplicates are found by), and the
    source it comes from (the import's, unless the record says). A name an emoji or a symbol marks is
    counted with the `namesakes` that hold it already, as the store will count it: a third "Grace 🧤" is
    no rare name [distinctive-names]."""
    row = {
        **ch,
        "source": ch.get("source") or source,
        "phones": [norm for _raw, norm in ch.get("phones") or []],
        "addresses": [f["value"] for f in fields if f["kind"] == "address"],
    }
    if namesakes and distinctive_name(
        n.full_name(ch.get("full_name"), ch.get("given_name"), ch.get("family_name"))
    ):
        row["name_count"] = namesakes + 1
    return row
