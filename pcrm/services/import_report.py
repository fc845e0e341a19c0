"""The ImportReport of [import-report]: what every import, and the JSON restore, returns.

Its own module because both `services/imports/` (which writes files) and `services/exports.py` (which
restores its JSON export) build it, and neither imports the other for it.
"""

from __future__ import annotations

from typing import Any


def empty_report(source: str) -> dict[str, Any]:
    """A report with nothing done yet: the counters the writer increments, row errors, the names of
    message counterparts nobody matched, the values kept aside and the pairs queued for review."""
    return {
        "source": source,
        "batch_id": None,
        "contacts_created": 0,
        "contacts_updated": 0,
        "contacts_skipped": 0,
        # [import-report]: of contacts_skipped, the rows that name no contact and make none (skipped by
        # design: a LinkedIn connection without a name, a CSV row with nothing to import): no contact the
        # CLI may call unchanged
        "rows_skipped_by_design": 0,
        # [import-report]: later rows of a person this import created, folded into that new contact
        "contacts_folded": 0,
        "interactions_created": 0,
        "interactions_skipped": 0,
        # [import-report]: of the skipped messages, those stored already (by an earlier import, or twice in
        # this file): the rest of interactions_skipped has its reasons in interactions_not_imported
        "interactions_known": 0,
        # [cut-exports]: stored messages cut short by a partial export that this file completed
        "interactions_completed": 0,
        # [chat-takeouts]: messages an earlier import stored that are none (WhatsApp's placeholders of
        # deleted messages), taken out by this one
        "interactions_withdrawn": 0,
        # [chat-takeouts]: contacts an earlier import made only for such messages, taken out with them
        "contacts_withdrawn": 0,
        # [chat-takeouts]: stored messages an earlier reader of the format read otherwise, read anew
        "interactions_reread": 0,
        "errors": [],
        "unmatched_names": [],
        # [import-matching]: values that differed from the matched contact's, kept as extra fields
        "values_kept": 0,
        # [mojibake]: names, companies and titles misread in the file (UTF-8 read as Windows-1252),
        # repaired; each kept as the file wrote it in an extra field
        "text_repaired": 0,
        # [protected-fields]: emails, phones and identities the file gives a contact that the user took off
        # it by hand, not added back
        "values_removed": 0,
        # [shared-keys]: pairs this import queued for review (a shared key under another name, or a
        # record with no key that the scorer could not settle)
        "pending_review": 0,
    }
