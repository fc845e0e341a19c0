"""`pcrm tags rename | delete`: whole-tag edits on every contact that carries the tag [tag-edits]."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, confirm, out, run
from pcrm.cli._render import undo_line
from pcrm.cli.interactions import tags_app
from pcrm.domain.wording import counted
from pcrm.services import tags


def _in_taxonomy(d: dict[str, Any]) -> str:
    """' and in the taxonomy (Industry, Interests)' when the edit changed its categories."""
    cats = d.get("taxonomy") or []
    return f" and in the taxonomy ({', '.join(cats)})" if cats else ""


@tags_app.command("rename")
def rename(
    old: Annotated[str, typer.Argument(help="The tag to rename.")],
    new: Annotated[str, typer.Argument(help="Its new name; a tag already in use merges with it.")],
    yes: o.Yes = False,
    dry_run: o.DryRun = False,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Rename a tag on every contact that carries it, archived ones included, and in the tag taxonomy.
    Renaming onto a tag in use merges the two: that asks first; --yes when not at a terminal. It says its id:
    `pcrm contacts bulk-undo ID` puts each contact's tags back as they were.

    Example: pcrm tags rename conference events
    """

    def call(ctx: Any) -> Any:
        if not (yes or dry_run):
            d = tags.rename_tag(ctx, old, new, dry_run=True).data
            if d["merges_with"]:
                confirm(
                    yes,
                    f"{d['tag']!r} is already a tag, on {counted(d['merges_with'], 'contact')}: renaming "
                    f"{d['renamed_from']!r} ({counted(d['contacts'], 'contact')}) to it merges the two tags "
                    "(pcrm contacts bulk-undo takes it back). Merge them?",
                )
        return tags.rename_tag(ctx, old, new, dry_run=dry_run)

    def render(result: Any) -> None:
        from rich.markup import escape

        d = result.data
        merged = f", {d['already_tagged']} of them already tagged it" if d["already_tagged"] else ""
        if d["merges_with"]:
            verb = "would merge" if dry_run else "merged"
            said = f"{verb} '{escape(d['renamed_from'])}' into '{escape(d['tag'])}' on "
        else:
            verb = "would rename" if dry_run else "renamed"
            said = f"{verb} '{escape(d['renamed_from'])}' to '{escape(d['tag'])}' on "
        out().print(
            f"{said}{counted(d['contacts'], 'contact')}{merged}{escape(_in_taxonomy(d))}", highlight=False
        )
        undo_line(result)

    run(Opts(json_out, now=now, render=render, options=(("old", "OLD"), ("new", "NEW"))), call)


@tags_app.command("delete")
def delete(
    tag: Annotated[str, typer.Argument(help="The tag to remove.")],
    yes: o.Yes = False,
    dry_run: o.DryRun = False,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Remove a tag from every contact that carries it, archived ones included, and from the tag taxonomy.
    Asks first; --yes when not at a terminal. It says its id: `pcrm contacts bulk-undo ID` puts the tag
    back where it was.

    Example: pcrm tags delete conference --yes
    """

    def call(ctx: Any) -> Any:
        if not (yes or dry_run):
            d = tags.delete_tag(ctx, tag, dry_run=True).data
            confirm(
                yes, f"Remove the tag {d['tag']!r} from {counted(d['contacts'], 'contact')}{_in_taxonomy(d)}?"
            )
        return tags.delete_tag(ctx, tag, dry_run=dry_run)

    def render(result: Any) -> None:
        from rich.markup import escape

        d = result.data
        verb = "would remove" if dry_run else "removed"
        out().print(
            f"{verb} '{escape(d['tag'])}' from {counted(d['contacts'], 'contact')}{escape(_in_taxonomy(d))}",
            highlight=False,
        )
        undo_line(result)

    run(Opts(json_out, now=now, render=render, options=(("tag", "TAG"),)), call)
