"""What a source yields: the records a file parser (pcrm/formats/) hands to the services that write them.

A record is raw data about one thing the source saw: a person (`ContactRecord`), a message or a call
(`InteractionRecord`) and, when the source names the other side of a message instead of listing them,
who that is (`Counterpart`). `Me` carries the user's own identities, which tell sent from received.

Nothing here has been matched against the store or normalised: values are as the source wrote them
(the services validate them through `domain.contact_input.parse_contact`, match them to contacts and
write them). Records point at each other by position only, so a parser needs no database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, NotRequired, TypedDict

Direction = Literal["inbound", "outbound", "mutual", "event"]  # mutual: a meeting; event: a bio change
CallType = Literal["phone", "video"]


class ContactField(TypedDict):
    """One extra value kept in `contact_fields` (an address, URL, IM handle, nickname, a verbatim vCard
    line, ...), so a round trip through pcrm loses nothing the source had."""

    kind: str  # address | url | im | nickname | email | phone | birthday | n | org | prop | x | ...
    label: str | None  # the source's label (`home`, `work,fax`, `spouse`, an IM service), None if none
    value: str  # as the source wrote it (vCard structured values stay escaped)
    pref: NotRequired[int | None]  # preference rank (1 = preferred) when the source gives one
    # the `x` line an earlier pcrm kept this value as (`X-EVOLUTION-SPOUSE:Maria` for a related field): a
    # contact holding that line without a label gets this field in its place on a re-import
    # [relabelled-fields]
    was: NotRequired[str]


@dataclass(frozen=True)
class Thread:
    """The conversation a chat record was read from, on a platform that names its conversations (a pushed
    LinkedIn or Meta chat): a contact of the record's name holding earlier messages of it is the record's
    contact, so a later batch of new messages finds it too [import-matching]. An interaction belongs to it
    when it is on `platform` and its extra_data says `conversation_id`, or its reference starts with
    `ref_prefix` (LinkedIn's references carry their conversation)."""

    platform: str
    conversation_id: str
    ref_prefix: str | None = None


@dataclass
class ContactRecord:
    """One person as the source describes them.

    `data` is contact input with the keys `parse_contact` accepts: `full_name`, `given_name`,
    `family_name`, `emails` and `phones` (lists of raw strings), `company`, `title`, `notes`, `tags`
    (list), `birthday`, `location`, `linkedin_url`, `priority_level`, and the platform identities
    (`domain.contact_input.IDENTITY_INPUTS`: `twitter_user_id`, `telegram_user_id`, `whatsapp_phone`,
    `linkedin_profile_id`, handles, ...), which are what matches a record to a contact across sources.
    Every key is optional; None, "" and [] mean "the source does not say"."""

    row: int  # where the record is in its file (its spreadsheet row, a card's number, an entry's ordinal)
    data: dict[str, Any]
    # extra values for contact_fields
    fields: list[ContactField] = field(default_factory=list)
    # keys the source owns: a new value replaces an older one (LinkedIn's company and title)
    overwrite: frozenset[str] = frozenset()
    # a changed company or title on an existing contact is recorded as a job_change event (LinkedIn)
    job_change: bool = False
    # create a contact when nobody matches; False: only enrich existing contacts
    create: bool = True
    # the member file inside an archive or folder (or a section of the file), prefixed to row errors
    where: str = ""
    # how row errors name the record when not by its row: a vCard's card, "Card 3 (Ada Lovelace)"
    # [import-report]; "" for a row of a table ("Row 4", its row as a spreadsheet numbers it)
    place: str = ""
    # keys applied only when this record creates the contact (the `2nd tier` tag of group members)
    new_only: frozenset[str] = frozenset()
    # a photo: image bytes and file extension (jpg, png, gif, webp)
    avatar: tuple[bytes, str] | None = None
    # the Google Contacts `resourceName`: matched before other keys, kept on the contact [google-sources]
    google_resource_name: str | None = None
    # the stored contact (rowid) this record is about, matched before any key (an enrichment of one
    # contact, such as Apollo's answer for it): its keys then only fill that contact
    contact_id: int | None = None
    # the conversation a chat's sender known by name alone was read from: its earlier messages find them
    thread: Thread | None = None
    # other ids of the same account, each (identity field, value), on a field `data` gives its id of
    # (LinkedIn's anonymised member id `ACo...` beside the profile's slug): kept as more identities of the
    # contact, so a later record giving only one of them finds it; one another contact holds stays theirs,
    # and the two contacts are asked about [extension-push] [shared-keys]
    more_ids: tuple[tuple[str, str], ...] = ()
    # the contact's id in the pcrm store that wrote the file (its CSV's `id`, its vCard's UID): the store's
    # contact of that id, when it holds one, is the record's before any key [own-exports]
    pcrm_id: str | None = None
    # extra values kept only when `pcrm_id` names no contact of the store (the CSV's `id` and `created_at`)
    id_fields: list[ContactField] = field(default_factory=list)
    # the values of `fields` that are a UTC time read from a wall clock the file writes without its zone, in
    # --tz (Telegram's contacts-list date of an older export): a contact holding the same field at a time
    # off by whole zone offsets holds it already, read under another --tz [import-rerun-safety]
    zoned: tuple[str, ...] = ()
    # the creation time the file gives beside `pcrm_id` (the CSV's `created_at`, a card's X-PCRM-CREATED-AT),
    # and whether no other record of the file names that id: a row the user renamed rather than copied
    # [own-exports]
    pcrm_created_at: str | None = None
    pcrm_id_once: bool = False
    # the id is written inside the record itself (a vCard's UID), never in a column a sort can move apart
    # from the record's other cells: named once in the file, it is enough to ask about a renamed record
    # [own-exports]
    pcrm_id_inside: bool = False
    # the id the app that wrote the file gives the record (a pcrm CSV's `id`, any vCard's UID): records of
    # one file under two ids are two contacts in that app, never folded into each other by the import
    # [own-exports]
    file_id: str | None = None
    # how an earlier pcrm read the same record, where it read it otherwise (the generic CSV's "Name | Org"
    # name it kept whole beside a company column): `full_name` and `company` as it stored them. A name-only
    # record finds the contact that reading made by them, and a contact still called that earlier name
    # takes the record's [csv-imports]
    earlier: dict[str, Any] | None = None
    # the ids (the exporting store's, as `pcrm_id`) of contacts the user said this one is not the same
    # person as: an `X-PCRM-NOT-SAME-AS` line of pcrm's own CSV or vCard export, which the import records as
    # the same answer instead of keeping as a field [kept-apart]
    not_same_as: list[str] = field(default_factory=list)
    # the birthday as the source wrote it, where `data["birthday"]` is the reader's reading of it in pcrm's
    # form (a CSV's 19600231 as 1960-02-31): what the import keeps when the reading is no birthday
    # [kept-birthdays]
    birthday_written: str | None = None
    # a pcrm contact list's row whose `name` cell (an email or a phone) was read as the contact's email or
    # phone, the list showing a contact without a name by it: the cells as they were (`full_name` and the
    # list the value went into). When `pcrm_id` names a contact of the store whose name that cell is (its
    # full name, or the email, phone or handle it is shown by), the row is read as these [list-csv]
    as_listed: dict[str, Any] | None = None
    # the fields the user typed by hand in the store that wrote the file (`user_edited_fields`, pcrm's own
    # CSV `edited_fields` or vCard `X-PCRM-EDITED`): a contact the import makes from the record keeps them
    # protected from later imports and syncs [protected-fields] [own-exports]
    edited: tuple[str, ...] = ()
    # a record of a file that cannot vouch for its account ids (a CSV no pcrm export wrote): an id joins only
    # a contact whose name agrees, another holder is a pair for review [own-exports] [shared-keys]
    accounts_by_name: bool = False

    @property
    def at(self) -> str:
        """How a row error names the record: its `place`, else "Row n" [import-report]."""
        return self.place or f"Row {self.row}"


_PCRM_ID = re.compile(r"(?:urn:uuid:)?([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})", re.IGNORECASE)


def pcrm_id_of(value: str) -> str | None:
    """The contact id a file pcrm wrote gives a person (CSV `id`, vCard 3.0 `UID`, 4.0 `UID:urn:uuid:`),
    in lowercase; None for anything else [own-exports]."""
    m = _PCRM_ID.fullmatch(value.strip())
    return m.group(1).lower() if m else None


# the property pcrm's CSV (in its extra_fields cell, as an `x` line) and vCard exports write once for each
# contact the user said a contact is not (a rejected review pair, a dismissed duplicate, an unmerge)
NOT_SAME_AS = "X-PCRM-NOT-SAME-AS"


def not_same_as_field(uuid: str) -> ContactField:
    """The line an export writes for one such answer, as an `x` field: `X-PCRM-NOT-SAME-AS:<id>`."""
    return {"kind": "x", "label": None, "value": f"{NOT_SAME_AS}:{uuid}", "pref": None}


def not_same_as_of(value: str) -> str | None:
    """The contact id a kept property line `X-PCRM-NOT-SAME-AS:<id>` names (params allowed, any case, a
    vCard 4.0 `urn:uuid:`), or None for any other line."""
    name, sep, rest = value.partition(":")
    if not sep or name.split(";", 1)[0].strip().upper() != NOT_SAME_AS:
        return None
    return pcrm_id_of(rest)


def take_not_same_as(rec: ContactRecord) -> None:
    """Move the record's `X-PCRM-NOT-SAME-AS` fields into `rec.not_same_as`: answers, not values."""
    kept: list[ContactField] = []
    for f in rec.fields:
        other = not_same_as_of(f["value"]) if f["kind"] == "x" else None
        if other is None:
            kept.append(f)
        elif other not in rec.not_same_as:
            rec.not_same_as.append(other)
    rec.fields = kept


@dataclass
class Counterpart:
    """The person on the other side of a message when the file names them instead of listing them; the
    services look them up, and create them only when `create` is set. At least one field is set."""

    name: str | None = None  # as the file shows it; also reported when nobody matches
    linkedin_profile_id: str | None = None  # the slug of their profile URL
    emails: list[str] = field(default_factory=list)
    # the 7-hex code of a contact's BCC address (`you+code@yourdomain`): names them first [gmail-routing]
    bcc_hash: str | None = None
    # nobody matches: a contact is created from the name and LinkedIn profile (files that name both)
    create: bool = False


@dataclass
class InteractionRecord:
    """One message or call between the user and one person."""

    row: int  # where it is in its file, for row errors
    contact: int | Counterpart  # an index into the same parse's contact records, or someone to look up
    platform: str  # linkedin | telegram | whatsapp | twitter | ...
    direction: Direction  # as seen from the user
    occurred_at: str  # canonical UTC timestamp (clock.iso)
    raw_reference_id: str  # stable per message: what makes a re-import (or a later sync) a no-op
    content_preview: str | None = None  # the text, if any
    extra_data: dict[str, Any] | None = None  # source-specific details, stored as JSON
    where: str = ""  # the member file or chat, prefixed to row errors
    call_type: CallType | None = None  # set for calls only
    duration_seconds: int | None = None  # a call's length, when known
    is_read_by_recipient: bool | None = None  # outbound messages of sources with read receipts
    # the reference an earlier pcrm gave the same message, still recognised as it (WhatsApp's exports)
    earlier_ref: str | None = None
    # a message whose time is a wall clock the file writes without its zone (WhatsApp, older Telegram
    # exports): the reference an earlier pcrm gave it for the UTC time it read that wall clock as, in
    # whatever zone that import ran. A stored row whose own time gives its own reference is this message,
    # read under another --tz [import-rerun-safety]
    earlier_ref_at: Callable[[str], str] | None = None
    # no message: what stands in an export for one deleted before it (WhatsApp's "This message was
    # deleted"). Nothing is stored; a row an earlier reader stored under its reference (or `earlier_ref`)
    # with this text is removed, journaled so that undo brings it back [chat-takeouts]
    withdrawn: bool = False
    # how earlier readers of the same file stored this message, each as the columns it gave otherwise
    # (`content_preview`, `extra_data`, `occurred_at`, or `occurred_in_a_zone`: this UTC time read as a wall
    # clock in some zone, off by a whole zone offset; `except`: extra_data keys that may hold anything): a
    # row held under this reference that is still exactly one of them is brought to this reading, journaled
    # so that undo puts it back [chat-takeouts]
    earlier_readings: list[dict[str, Any]] = field(default_factory=list)
    # the entries of `extra_data` whose `at` is a wall clock the file writes without its zone, read in --tz
    # (an older Telegram export's reactions), as (key, index): the stored message holding the entry alike
    # but at a time off by whole zone offsets holds it already, read under another --tz; it keeps its time,
    # as the message keeps its own [chat-takeouts]
    zoned_extra: tuple[tuple[str, int], ...] = ()


@dataclass
class ReadReceipt:
    """The other side has read the user's messages up to `max_id` (a chat's read cursor): outbound
    interactions of `platform` with the contact whose reference is `ref_prefix` followed by a message id
    at most `max_id` are marked read. Telegram's cursor is also kept on the contact
    (`telegram_read_outbox_max_id`)."""

    contact: int  # an index into the same batch's contact records
    platform: str
    ref_prefix: str  # e.g. "{peerId}:" for Telegram's `{peerId}:{msgId}` references
    max_id: int


@dataclass
class Me:
    """The user's own names, e-mail addresses, phone numbers and handles: the `me` setting's value.

    Parsers read it to tell the user's messages from the other side's; an export that names its owner
    (an account export, LinkedIn's Profile.csv) yields one, which fills the setting when it is empty."""

    KEYS: ClassVar[tuple[str, ...]] = ("names", "emails", "phones", "handles")

    names: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    handles: list[str] = field(default_factory=list)

    @classmethod
    def from_setting(cls, value: Mapping[str, Any] | None) -> Me:
        """From the stored setting (any missing or empty key is an empty list)."""
        v = value or {}
        return cls(*(list(v.get(k) or []) for k in cls.KEYS))

    def as_setting(self) -> dict[str, list[str]]:
        """The value stored in the `me` setting."""
        return {k: list(getattr(self, k)) for k in self.KEYS}

    def with_account(self, names: Iterable[str | None], emails: Iterable[str | None]) -> Me:
        """These identities plus the account's names and emails that are not among them yet (a name
        compared without case or spacing, an email lowercased), after the ones already listed [me-setting]."""
        have_names = {" ".join(n.split()).casefold() for n in self.names}
        have_emails = {e.strip().lower() for e in self.emails}
        out = Me(*(list(getattr(self, k)) for k in self.KEYS))
        for name in names:
            clean = " ".join((name or "").split())
            if clean and clean.casefold() not in have_names:
                have_names.add(clean.casefold())
                out.names.append(clean)
        for email in emails:
            clean = (email or "").strip().lower()
            if clean and clean not in have_emails:
                have_emails.add(clean)
                out.emails.append(clean)
        return out


@dataclass
class NotImported:
    """Messages a parse left out by design, and why [import-report]: the reason as a code
    (`group_chat`, `not_yours`, `direction_unknown`, ...), how many, the reason in words, and what
    would import them (e.g. `--me`)."""

    reason: str
    count: int
    why: str
    hint: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"reason": self.reason, "count": self.count, "why": self.why, "hint": self.hint}


@dataclass
class Records:
    """Everything one parse found, or one batch of a live source brought: what the ingest engine writes
    in one transaction (services/ingest)."""

    contacts: list[ContactRecord] = field(default_factory=list)
    interactions: list[InteractionRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    contacts_skipped: int = 0  # rows skipped by design (e.g. Connections.csv rows with no name)
    interactions_skipped: int = 0  # messages skipped by design (no text, not yours)
    me: Me | None = None  # the file owner's identities: fill the `me` setting when it is empty
    receipts: list[ReadReceipt] = field(default_factory=list)  # read cursors of chats (live sources)
    # why messages were left out by design (counted in `interactions_skipped` too), one entry a reason
    not_imported: list[NotImported] = field(default_factory=list)

    def skip(self, count: int, reason: str, why: str, hint: str | None = None) -> None:
        """Leave `count` messages out by design, saying why (`NotImported`; one entry per reason, the
        first words kept)."""
        if count <= 0:
            return
        self.interactions_skipped += count
        self._not_imported(NotImported(reason, count, why, hint))

    def _not_imported(self, item: NotImported) -> None:
        same = next((x for x in self.not_imported if x.reason == item.reason), None)
        if same is None:
            self.not_imported.append(NotImported(item.reason, item.count, item.why, item.hint))
        else:
            same.count += item.count

    def extend(self, other: Records) -> None:
        """Append another parse (a member of the same archive); its contact indexes are shifted."""
        base = len(self.contacts)
        self.contacts += other.contacts
        for it in other.interactions:
            if isinstance(it.contact, int):
                it.contact += base
            self.interactions.append(it)
        self.errors += other.errors
        self.contacts_skipped += other.contacts_skipped
        self.interactions_skipped += other.interactions_skipped
        for item in other.not_imported:
            self._not_imported(item)
        if other.me is not None:
            self.me = other.me
