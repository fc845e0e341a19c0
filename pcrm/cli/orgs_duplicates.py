"""`pcrm orgs duplicates [scan | merge MATCH --target ORG | dismiss MATCH]` ([org-dedupe] organization
dedupe)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, Ref, out, run
from pcrm.cli.orgs import app as orgs_app
from pcrm.cli.orgs import kept_words
from pcrm.domain.wording import counted
from pcrm.services import organizations

app = typer.Typer(help="Find and merge duplicate organizations.", invoke_without_command=True)
orgs_app.add_typer(app, name="duplicates")

OrgMatch = Annotated[str, typer.Argument(help="A duplicate pair id (or a unique prefix of 4+ characters).")]


def _render_list(result: Any) -> None:
    from rich.markup import escape

    console = out()
    if not result.data:
        console.print("[dim]no organization pairs waiting for review (run `pcrm orgs duplicates scan`)[/]")
        return
    for m in result.data:
        a, b = m["org_a"], m["org_b"]
        console.print(
            f"[bold]{m['id'][:8]}[/] score {m['match_score']:.2f}  "
            f"{escape(a['name'])} [dim]{a['id'][:8]} ({a['contact_count']})[/]  ⟷  "
            f"{escape(b['name'])} [dim]{b['id'][:8]} ({b['contact_count']})[/]"
        )


@app.callback()
def duplicates(ctx: typer.Context, json_out: o.Json = False, nl: o.Nl = False) -> None:
    """List organization pairs waiting for review; `scan` finds them, `merge` and `dismiss` decide.

    Example: pcrm orgs duplicates scan && pcrm orgs duplicates
    """
    if ctx.invoked_subcommand is not None:
        return
    # lazy: it loads rapidfuzz (~15 ms), which the other `pcrm orgs` commands do not need
    from pcrm.services import org_dedupe

    run(Opts(json_out, nl=nl, render=_render_list), org_dedupe.list_duplicates)


@app.command("scan")
def scan(dry_run: o.DryRun = False, json_out: o.Json = False) -> None:
    """Merge organizations that are certainly the same (domain, LinkedIn page, name + website) and queue
    the likely ones.

    Example: pcrm orgs duplicates scan --dry-run
    """
    # lazy: it loads rapidfuzz (~15 ms), which the other `pcrm orgs` commands do not need
    from pcrm.services import org_dedupe

    def render(result: Any) -> None:
        from rich.markup import escape

        d, dry = result.data, bool(result.meta.get("dry_run"))
        merged, queued = counted(d["auto_merged"], "pair"), counted(d["pending_review"], "pair")
        if dry:
            out().print(f"would merge {merged}; {queued} would wait for review (dry run: nothing changed)")
        else:
            out().print(f"merged {merged}; {queued} to review")
        for m in result.meta.get("merges") or []:
            undo = "" if dry else f" [dim]undo: pcrm orgs unmerge {m['merge_id'][:8]}[/]"
            out().print(
                f"  {escape(m['merged_away'])} → {escape(m['kept'])} "
                f"({counted(m['contacts_moved'], 'contact')} {'would move' if dry else 'moved'}){undo}",
                highlight=False,
            )
            kept = kept_words(m.get("values_kept") or [])
            if kept:
                verb = "would keep" if dry else "kept"
                out().print(f"    {verb} in {m['kept']}'s notes: {kept}", markup=False, highlight=False)

    run(Opts(json_out, render=render), org_dedupe.scan_duplicates, dry_run=dry_run)


@app.command("merge")
def merge(
    match: OrgMatch,
    target: Annotated[str, typer.Option("--target", help="The organization to keep (one of the pair).")],
    json_out: o.Json = False,
) -> None:
    """Merge a pending pair into the organization you choose.

    Example: pcrm orgs add "Globex Corp" && pcrm orgs duplicates scan && pcrm orgs duplicates merge
    "$(pcrm orgs duplicates --json | jq -r '.data[0].id')" --target Globex
    """
    # lazy: it loads rapidfuzz (~15 ms), which the other `pcrm orgs` commands do not need
    from pcrm.services import org_dedupe

    def render(result: Any) -> None:
        d = result.data
        out().print(
            f"merged {d['merged_away']} into {d['target_name']} ({d['target_id'][:8]}); "
            f"{counted(d['contacts_moved'], 'contact')} moved",
            markup=False,
            highlight=False,
        )
        kept = kept_words(d.get("values_kept") or [])
        if kept:
            out().print(f"kept in {d['target_name']}'s notes: {kept}", markup=False, highlight=False)
        for merge_id in result.meta.get("merge_ids") or []:
            out().print(f"[dim]undo: pcrm orgs unmerge {merge_id[:8]}[/]")

    run(
        Opts(json_out, render=render, options=(("target_id", "--target"),)),
        org_dedupe.merge_duplicate,
        match,
        Ref(organizations.resolve_ref, target),
    )


@app.command("dismiss")
def dismiss(match: OrgMatch, json_out: o.Json = False) -> None:
    """Mark a pair as two different organizations.

    Example: pcrm orgs add "Globex Corp" && pcrm orgs duplicates scan && pcrm orgs duplicates dismiss
    "$(pcrm orgs duplicates --json | jq -r '.data[0].id')"
    """
    # lazy: it loads rapidfuzz (~15 ms), which the other `pcrm orgs` commands do not need
    from pcrm.services import org_dedupe

    def render(result: Any) -> None:
        out().print("dismissed")

    run(Opts(json_out, render=render), org_dedupe.dismiss_duplicate, match)
