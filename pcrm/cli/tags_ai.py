"""`pcrm tags discover | taxonomy | approve | apply`: the AI tag taxonomy [ai-taxonomy]."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._ai_render import either
from pcrm.cli._output import Opts, err, out, run
from pcrm.cli._render import undo_line
from pcrm.cli.interactions import tags_app
from pcrm.domain.wording import counted, listed_tags
from pcrm.services import contacts
from pcrm.services.ai import taxonomy


def _taxonomy(result: Any) -> None:
    from rich.markup import escape

    d = result.data
    if d is None:
        out().print("no taxonomy yet: `pcrm tags discover` drafts one")
        return
    for cat, tags in d["categories"].items():
        out().print(f"[bold]{escape(cat)}[/]: {escape(listed_tags(tags))}", highlight=False)
    err().print(f"[dim]{counted(d['total_tags'], 'tag')} · {d['status']}[/]")


def _applied(result: Any) -> None:
    d = result.data
    out().print(
        f"tagged {counted(d['tagged_count'], 'contact')} ({d.get('skipped') or 0} already tagged, "
        f"{d.get('failed') or 0} failed)"
    )
    if d.get("over_tag_cap"):  # left untagged: their tags would pass the cap [contact-tags]
        out().print(taxonomy.over_cap_words(d["over_tag_cap"]), markup=False, soft_wrap=True)
    undo_line(result)
    if result.meta.get("note"):  # `2nd tier` given to people you talked with: kept, said [second-tier]
        err().print(f"note: {result.meta['note']}", markup=False, soft_wrap=True)


@tags_app.command("discover")
def discover(dry_run_: o.DryRun = False, json_out: o.Json = False) -> None:
    """Draft a tag taxonomy from your contacts with the AI model (batches of 50; a sample over 300 contacts).

    Example: pcrm tags discover --dry-run
    """
    run(Opts(json_out, render=either(_taxonomy)), taxonomy.discover, dry_run=dry_run_)


@tags_app.command("taxonomy")
def show(json_out: o.Json = False) -> None:
    """Show the tag taxonomy and its status (draft or approved).

    Example: pcrm tags taxonomy --json
    """
    run(Opts(json_out, render=_taxonomy), taxonomy.get_taxonomy)


@tags_app.command("approve")
def approve(json_out: o.Json = False) -> None:
    """Approve the taxonomy, so that apply and auto-tag may use it.

    Example: pcrm tags approve
    """
    run(Opts(json_out, render=_taxonomy), taxonomy.approve)


@tags_app.command("apply")
def apply(
    contacts_: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[CONTACT]...",
            help="Contacts to tag: id or id prefix, email, full name, first name or @handle "
            "(default: every active contact).",
        ),
    ] = None,
    dry_run_: o.DryRun = False,
    json_out: o.Json = False,
) -> None:
    """Tag contacts from the approved taxonomy (append-only; those already carrying one of its tags are
    skipped). The run can be taken back: it says its id, and `pcrm contacts bulk-undo ID` takes the tags
    off again.

    Example: pcrm tags apply --dry-run | head -40
    """

    def call(ctx: Any) -> Any:
        # each contact read like every other contact argument [contact-references]
        ids = [contacts.resolve_ref(ctx, c) for c in contacts_ or ()]
        return taxonomy.apply(ctx, {"contact_ids": ids} if ids else {}, dry_run=dry_run_)

    run(Opts(json_out, render=either(_applied)), call)
