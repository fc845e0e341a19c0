"""`pcrm second-tier count | rm` (2nd-tier contacts carry the tag `2nd tier`; promote is
`pcrm contacts promote`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, confirm, out, run
from pcrm.domain.wording import counted
from pcrm.services import bulk, second_tier

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
    """Delete the 2nd-tier contacts with no history, with their timelines, after a backup.

    Contacts with an interaction, a note or an edit of yours are kept (with a direct interaction they
    are no longer 2nd tier); `pcrm contacts rm` deletes one on purpose. `pcrm db restore` takes the
    deletion back.

    Example: pcrm second-tier rm --dry-run
    """

    def call(ctx: Any) -> Any:
        if not dry_run and not yes:
            n, kept = second_tier.preview(ctx)
            if n:
                ask = f"Delete {counted(n, '2nd-tier contact')} and their timelines?"
                confirm(yes, f"{ask} {_kept(kept, 'It keeps')}".strip())
        return second_tier.delete(ctx, dry_run=dry_run)

    def render(result: Any) -> None:
        from rich.markup import escape

        n = result.data["deleted_count"]
        kept = result.meta.get("kept") or []
        if not result.meta.get("dry_run"):
            said = f"deleted {counted(n, 'contact')}"
            if result.meta.get("backup"):
                name = Path(result.meta["backup"]).name
                said += f" (backup {name}: `pcrm db restore {name}` takes it back)"
            out().print(escape("; ".join(x for x in (said, _kept(kept, "kept")) if x)))
            for org in result.meta.get("organizations_removed") or []:  # [company-orgs]
                out().print(
                    escape(f"removed the organization {org['name']!r}: made for its company, no contact left")
                )
            return
        out().print(f"would delete {counted(n, 'contact')} (dry run: nothing changed)")
        for c in result.data.get("contacts") or []:
            out().print(f"  {c['id'][:8]}  {escape(c['display_name'])}")
        if kept:
            out().print(escape(_kept(kept, "would keep")))

    run(Opts(json_out, render=render), call)


def _kept(kept: list[dict[str, Any]], verb: str) -> str:
    """What the question, the dry run or the answer says of the 2nd-tier contacts with a history, which
    stay [second-tier]: "{verb} N contacts with a history: ...", or "" when there are none."""
    if not kept:
        return ""
    names = [f"{c['display_name']} ({c['id'][:8]})" for c in kept[:5]]
    more = f" and {len(kept) - 5} more" if len(kept) > 5 else ""
    said = f"{verb} {counted(len(kept), 'contact')} with a history: {', '.join(names)}{more}"
    lifted = sum(1 for c in kept if c.get("promoted"))
    if lifted:
        said += f" ({lifted} of them {'has' if lifted == 1 else 'have'} interactions: no longer 2nd tier)"
    return said + "; `pcrm contacts rm CONTACT` deletes one on purpose"
