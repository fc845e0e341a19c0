"""File imports: the upload form and the report."""

from __future__ import annotations

from pydantic import Field

from pcrm.api.schemas.common import In, Out


class ImportUploadIn(In):
    """multipart/form-data: the file in `file`, options as form fields (as `pcrm import FILE` takes them)."""

    file: bytes | None = Field(default=None, description="The file (a form part with a filename); required.")
    dry_run: str | None = Field(default=None, description="true: report what would happen, write nothing.")
    strict: str | None = Field(default=None, description="true: any row error aborts; nothing is written.")
    tz: str | None = Field(default=None, description="Zone for times without one (default: the setting).")
    me: str | None = Field(default=None, description="Your name or email as the file writes it; repeatable.")
    date_order: str | None = Field(
        default=None,
        description="dmy, mdy or ymd: how to read dates like 01/02/24 when the file leaves it open.",
    )
    map: str | None = Field(
        default=None,
        description="COLUMN=FIELD: read a CSV column as a field (e.g. Vorname=first_name); repeatable.",
    )
    format: str | None = Field(
        default=None,
        description="Read the file as this format, one of the route's (csv, google-csv or outlook-csv on "
        "/contacts/import/csv); default: found from the file, as `pcrm import FILE` finds it.",
    )


class TagsPastCap(Out):
    id: str
    display_name: str = Field(description="How lists show the contact: its name, else an address or number")
    tags: int = Field(description="The tags it holds, every one kept.")


class NotImported(Out):
    reason: str
    count: int
    why: str
    hint: str | None


class ImportReport(Out):
    source: str
    batch_id: str | None = Field(description="For `pcrm import undo`; null when nothing changed or dry run.")
    contacts_created: int
    contacts_updated: int
    contacts_skipped: int = Field(
        description="Contacts of the store the import left as they were (each once, however many rows "
        "name it), and rows skipped by design (no name...)."
    )
    rows_skipped_by_design: int = Field(
        0,
        description="Of contacts_skipped, the rows that name no contact and make none, skipped by design "
        "(a LinkedIn connection without a name, a CSV row with nothing to import): no unchanged contact.",
    )
    contacts_folded: int = Field(
        description="Later rows of a person this import created (a second row of the same contact), folded "
        "into that new contact: neither new contacts nor updates of existing ones."
    )
    interactions_created: int
    interactions_skipped: int
    interactions_known: int = Field(
        0,
        description="Of interactions_skipped, the messages stored already (an earlier import of the same "
        "chat, or a repeat within the file): what a rerun skips.",
    )
    interactions_completed: int = Field(
        0,
        description="Stored messages that an export cut short had written in part, completed by this "
        "fuller file (same chat, sender and moment) instead of stored twice; undo puts the cut text back.",
    )
    interactions_withdrawn: int = Field(
        0,
        description="Stored messages that were none (WhatsApp's placeholders of deleted messages, LinkedIn's "
        "messages filed as spam, which an earlier import kept as messages), taken out by this import; undo "
        "puts them back.",
    )
    contacts_withdrawn: int = Field(
        0,
        description="Contacts an earlier import made only for the messages this one took out (a LinkedIn "
        "spam sender: nothing else known of them, never edited, in no other source), taken out with them; "
        "undo puts them back.",
    )
    interactions_reread: int = Field(
        0,
        description="Stored messages still as an earlier reader of the format had them (a WhatsApp media "
        "placeholder or edited marker kept as text, an X DM without its reactions, a LinkedIn message "
        "without its folder or at a local time), brought to what this import reads; undo puts them back.",
    )
    errors: list[str] = Field(description='"Row n: ..." for rows that were not imported.')
    unmatched_names: list[str]
    values_kept: int = Field(
        description="Values that differed from the matched contact's (another birthday, name spelling, "
        "address...), kept as extra fields instead of dropped."
    )
    values_removed: int = Field(
        0,
        description="Emails, phones and platform identities the file gives a contact that the user took off "
        "that contact by hand (`contacts edit --rm-email`, `--clear phones`, `--clear linkedin`, a list sent "
        "without them): not added back, and not used to match anyone but that contact. Counted on every "
        "import that still holds them.",
    )
    text_repaired: int = Field(
        0,
        description="Names, companies, titles and other short identity values the file held misread "
        "(UTF-8 read as Windows-1252: `JosÃ©`), stored repaired (`José`); each is kept as the file wrote it "
        "in an extra field (`X-PCRM-MISREAD`). Only those this import repaired: a rerun that finds them "
        "repaired already counts none.",
    )
    interactions_not_imported: list[NotImported] = Field(
        default_factory=list,
        description="Messages left out by design, one entry per reason (counted in interactions_skipped "
        "too; the rest of that count were stored already): e.g. `group_chat`, `not_yours`, "
        "`direction_unknown`, with a hint such as `--me` that would import them.",
    )
    pending_review: int = Field(
        description="Pairs queued for review: a key shared with a contact of another name, or a record "
        "with no email, phone or handle that may be an existing contact (`pcrm identity matches`)."
    )
    tags_past_cap: list[TagsPastCap] | None = Field(
        default=None,
        description="Contacts this import left holding more than 50 tags, the most one takes by hand: every "
        "tag is kept, and an edit may keep or cut them, not add more. Present only when there are some.",
    )


class CreatedContact(Out):
    id: str
    full_name: str | None


class CsvImportReport(ImportReport):
    """The ImportReport plus the reference's field for this route."""

    created: list[CreatedContact] = Field(
        description="The contacts created (the reference's field); [] on a dry run."
    )


class LinkedInImportReport(ImportReport):
    created: int = Field(description="The reference's count of contacts created (a row each).")
    skipped: int = Field(
        description="The reference's count of rows that made no contact: each row that matched an existing "
        "contact (two rows of one contact are 2), was folded into one this import created, or was skipped "
        "by design (no name). With created and the rows refused, the file's rows."
    )


class MessagesImportReport(ImportReport):
    new_interactions: int = Field(description="The reference's count of messages added.")
    skipped: int = Field(description="The reference's count of messages already there or skipped.")
    unmatched: int = Field(description="The reference's count of names that matched no contact.")


class ImportIdentity(Out):
    auto_merged: int
    merge_ids: list[str]


class ImportMeta(Out):
    format: str
    filename: str
    dry_run: bool
    identity: ImportIdentity | None = None  # the tier-1 pass after an import that created contacts
