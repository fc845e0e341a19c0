"""`pcrm second-tier count | rm` (2nd-tier contacts carry the tag `2nd tier`; promote is
`pcrm contacts promote`)."""

from __future__ import annotations

from typing import Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, confirm, out, run
from pcrm.domain.wording import counted
from pcrm.services import bulk

app = typer.Typer(
    help="2nd-tier contacts: people you only share groups with (tag `2nd tier`).", no_args_is_help=True
)


@app.command("count")
def count(json_out: o.Json = False) -> None:
    """How many contacts are 2nd tier.

    Example: pcrm second-tier count
    """

    def render(result: Any) -> None:
        import sys

        sys.stdout.write(f"{result.data['count']}\n")

    run(Opts(json_out, render=render), bulk.second_tier_count)


@app.command("rm")
def rm(yes: o.Yes = False, dry_run: o.DryRun = False, json_out: o.Json = False) -> None:
    """Delete every 2nd-tier contact with their timelines (promote the ones to keep first).

    Example: pcrm second-tier rm --dry-run
    """

    def call(ctx: Any) -> Any:
        if not dry_run and not yes:
            n = bulk.second_tier_count(ctx).data["count"]
            if n:
                yours = bulk.second_tier_yours(ctx).get("yours") or []
                confirm(yes, f"Delete {counted(n, '2nd-tier contact')} and their timelines?{_yours(yours)}")
        return bulk.delete_second_tier(ctx, dry_run=dry_run)

    def render(result: Any) -> None:
        from rich.markup import escape

        n = result.data["deleted_count"]
        yours = result.meta.get("yours") or []
        if not result.meta.get("dry_run"):
            out().print(f"deleted {counted(n, 'contact')}{escape(_yours(yours, deleted=True))}")
            return
        out().print(f"would delete {counted(n, 'contact')} (dry run: nothing changed)")
        worked = {c["id"] for c in yours}
        for c in result.data.get("contacts") or []:
            mark = "  [yellow](your notes or edits)[/]" if c["id"] in worked else ""
            out().print(f"  {c['id'][:8]}  {escape(c['display_name'])}{mark}")

    run(Opts(json_out, render=render), call)


def _yours(yours: list[dict[str, Any]], *, deleted: bool = False) -> str:
    """What the question (or the answer) adds about the 2nd-tier contacts the user worked on [second-tier]:
    their notes and edits go with them, and promoting keeps one."""
    if not yours:
        return ""
    names = [f"{c['display_name']} ({c['id'][:8]})" for c in yours[:5]]
    more = f" and {len(yours) - 5} more" if len(yours) > 5 else ""
    if deleted:
        return f", {len(yours)} with your own notes or edits: {', '.join(names)}{more}"
    return (
        f" {len(yours)} of them {'holds' if len(yours) == 1 else 'hold'} notes or edits of yours, which go "
        f"too: {', '.join(names)}{more}"
        " (keep one with `pcrm contacts promote CONTACT`)"
    )
