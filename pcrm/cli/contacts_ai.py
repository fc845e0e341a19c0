"""`pcrm contacts extract-bio | auto-tag | enrich`: AI and Apollo on one contact [ai-extract-bio]
[ai-taxonomy] [apollo-enrichment]."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._ai_render import either, fields, tags_added
from pcrm.cli._output import Opts, Ref, err, out, run
from pcrm.cli.contacts import app
from pcrm.domain.wording import counted
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


def _enriched(result: Any) -> None:
    import sys

    import orjson

    d = result.data
    if result.meta.get("dry_run"):
        sends = d.get("results", [d])
        err().print(f"[dim]dry run: {counted(len(sends), 'request')} would go to Apollo; nothing sent[/]")
        for s in sends:
            sys.stdout.write(orjson.dumps(s["would_send"]).decode() + "\n")
        return
    if "results" in d:
        out().print(
            f"{counted(d['contacts'], 'contact')} looked up: {d['enriched']} enriched, "
            f"{d['no_match']} not found",
            highlight=False,
        )
        return
    if not d["matched"]:
        out().print("Apollo knows nobody with this email or LinkedIn URL; nothing changed")
    elif d["fields_updated"]:
        out().print("filled from Apollo: " + ", ".join(d["fields_updated"]), highlight=False)
    else:
        out().print("Apollo matched, but had nothing the contact lacks; nothing changed")


@app.command("enrich")
def enrich(
    contact: Annotated[
        str | None,
        typer.Argument(help="A contact: id or id prefix, email, full name, first name or @handle."),
    ] = None,
    all_missing: Annotated[
        bool, typer.Option("--all-missing", help="Every active contact lacking a title or company.")
    ] = False,
    dry_run_: o.DryRun = False,
    json_out: o.Json = False,
) -> None:
    """Fill a contact's empty fields from Apollo (needs `enrichment.apollo` and `pcrm secrets set apollo`;
    --dry-run: the request that would be sent). Fields you edited are never overwritten.

    Example: pcrm contacts enrich "Ada Lovelace" --dry-run
    """
    from pcrm.services import enrich as svc

    if (contact is None) == (not all_missing):
        raise typer.BadParameter("name one CONTACT, or pass --all-missing")
    if all_missing:
        run(Opts(json_out, render=_enriched), svc.enrich_missing, dry_run=dry_run_)
    else:
        assert contact is not None
        run(
            Opts(json_out, render=_enriched), svc.enrich, Ref(contacts.resolve_ref, contact), dry_run=dry_run_
        )
