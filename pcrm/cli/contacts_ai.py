"""`pcrm contacts extract-bio | auto-tag`: AI on one contact [ai-extract-bio] [ai-taxonomy]."""

from __future__ import annotations

from pcrm.cli import _options as o
from pcrm.cli._ai_render import either, fields, tags_added
from pcrm.cli._output import Opts, Ref, run
from pcrm.cli.contacts import app
from pcrm.services import contacts

Contact = o.Contact


@app.command("extract-bio")
def extract_bio(contact: Contact, dry_run_: o.DryRun = False, json_out: o.Json = False) -> None:
    """Fill names, title and company from the contact's bios with the AI model (--dry-run: the prompt).

    Example: pcrm contacts extract-bio "Ada Lovelace" --dry-run
    """
    from pcrm.services.ai import bio  # here: `pcrm contacts list` should not pay for the AI modules

    run(
        Opts(json_out, render=either(fields)),
        bio.extract_bio,
        Ref(contacts.resolve_ref, contact),
        dry_run=dry_run_,
    )


@app.command("auto-tag")
def auto_tag(contact: Contact, dry_run_: o.DryRun = False, json_out: o.Json = False) -> None:
    """Add tags from the approved taxonomy to one contact (append-only; --dry-run: the prompt).

    Example: pcrm contacts auto-tag "Ada Lovelace"
    """
    from pcrm.services.ai import taxonomy

    run(
        Opts(json_out, render=either(tags_added)),
        taxonomy.auto_tag,
        Ref(contacts.resolve_ref, contact),
        dry_run=dry_run_,
    )
