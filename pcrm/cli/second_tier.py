"""`pcrm second-tier count | rm` (2nd-tier contacts carry the tag `2nd tier`; promote is
`pcrm contacts promote`)."""

from __future__ import annotations

from typing import Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, confirm, out, run
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
                confirm(yes, f"Delete {n} 2nd-tier contact(s) and their timelines?")
        return bulk.delete_second_tier(ctx, dry_run=dry_run)

    def render(result: Any) -> None:
        n = result.data["deleted_count"]
        out().print(
            f"would delete {n} contact(s) (dry run: nothing changed)"
            if result.meta.get("dry_run")
            else f"deleted {n} contact(s)"
        )

    run(Opts(json_out, render=render), call)
