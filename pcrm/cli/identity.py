"""`pcrm identity ...`: scan for duplicates, review the queue, merge or reject, see the merge journal."""

from __future__ import annotations

import contextlib
import sys
from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, err, moment, out, run, when
from pcrm.cli._render import list_opts, print_explanation, print_indented
from pcrm.cli._table import Col
from pcrm.domain.models import display_name
from pcrm.domain.wording import counted, merge_values, tags_past_cap
from pcrm.services import identity
from pcrm.services import merge as svc

app = typer.Typer(help="Find and merge duplicate contacts (one person, one contact).", no_args_is_help=True)

Match = Annotated[str, typer.Argument(help="An identity match id (or a unique prefix of 4+ characters).")]
Explain = Annotated[
    bool, typer.Option("--explain", help="Show each signal, its weight, the guards and the score.")
]


def _who(c: dict[str, Any] | None) -> str:
    if not c:
        return "(gone)"
    bits = [display_name(c)]  # by its address or number when it has no name [display-name]
    if c.get("emails") and c["emails"][0] != bits[0]:
        bits.append(c["emails"][0])
    if c.get("company"):
        bits.append(c["company"])
    return " · ".join(bits)


# what a dry run's stages do: it makes the merges to count them and takes them all back, so "merging 0/3"
# read as if it merged (and as if none were done)
_DRY_STAGES = {"merging": "trying merges (dry run: none kept)"}


def _progress(enabled: bool, dry_run: bool = False) -> tuple[Any, Any]:
    """A transient progress bar on stderr, only at a terminal (never with --json); a dry run's stages say
    what it does."""
    if not enabled or not sys.stderr.isatty():
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err(), transient=True
    )
    tasks: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(_DRY_STAGES.get(stage, stage) if dry_run else stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)

    return bar, update


@app.command("scan")
def scan(dry_run: o.DryRun = False, json_out: o.Json = False, now: o.Now = None) -> None:
    """Find duplicates: merge the certain ones and queue the doubtful ones for review.

    Same email or phone under compatible names, or a score above 0.85, merges; a key shared under
    different names, or a score of 0.70-0.85, is queued. A phone on three or more contacts (an office
    line) links nobody. A scan that merges takes a backup first. At a terminal a progress bar shows on
    stderr.

    Example: pcrm identity scan --dry-run
    """

    def render(result: Any) -> None:
        from rich.markup import escape

        d, m = result.data, result.meta
        verb = "would merge" if m.get("dry_run") else "merged"
        out().print(
            f"{verb} {d['auto_merged']} ({m['deterministic_merged']} by email/phone, "
            f"{m['probabilistic_merged']} by score); {counted(d['pending_review'], 'new pair')} to review"
        )
        if m.get("pending_total", d["pending_review"]):  # every pair waiting, not only the new ones
            waits = "would wait" if m.get("dry_run") else "waiting"
            out().print(f"{counted(m['pending_total'], 'pair')} {waits}: `pcrm identity matches --explain`")
        for w in m.get("would_merge", []):
            name = escape(w["display_name"])  # a nameless survivor by its address or number [display-name]
            out().print(f"  {w['merged_contact_id'][:8]} → {w['survivor_id'][:8]} {name}")
        for c in m.get("tags_past_cap", []):  # [contact-tags]: kept, said
            out().print(f"  {c['id'][:8]} {escape(c['display_name'])}: {tags_past_cap(c['tags'])}")
        if m.get("backup"):
            err().print(f"[dim]backup: {m['backup']}[/]")
        if m.get("merge_ids") and not m.get("dry_run"):
            # a line each, so that no command is cut in two at 80 columns
            err().print("[dim]each merge can be undone: `pcrm contacts unmerge MERGE_ID` undoes one[/]")
            err().print("[dim]`pcrm identity history` lists them, with their ids[/]")

    bar, update = _progress(not json_out, dry_run)
    # with a progress bar, the summary is printed once the bar is gone
    opts = Opts(json_out, now=now, render=render if bar is None else lambda r: None)
    with bar if bar is not None else contextlib.nullcontext():
        result = run(opts, identity.scan, dry_run=dry_run, progress=update)
    if bar is not None and result is not None:
        render(result)


@app.command("matches")
def matches(
    explain: Explain = False,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="At most this many questions (clusters).")
    ] = None,
    json_out: o.Json = False,
    nl: o.Nl = False,
    now: o.Now = None,
) -> None:
    """List the pairs waiting for review, as questions: contacts that may be one person, best evidence
    first (pairs sharing a contact are asked together), each with the signals that decided it.

    Example: pcrm identity matches --limit 10 --explain
    """

    def render(result: Any) -> None:
        from rich.markup import escape

        console = out()
        if not result.data:
            console.print("[dim]no pairs waiting for review; `pcrm identity scan` looks for more[/]")
            return
        rank = None
        for m in result.data:
            if m["cluster_rank"] != rank:
                rank = m["cluster_rank"]
                size = m["cluster_size"]
                what = "are these one person?" if size == 2 else f"which of these {size} are one person?"
                console.print(f"[bold]{rank}.[/] {what}")
            print_indented(
                f"[bold]{m['id'][:8]}[/] {m['match_score']:.2f}  "
                f"{escape(_who(m['contact_a']))}  ⟷  {escape(_who(m['contact_b']))}",
                "   ",
            )
            print_indented(f"[dim]{escape(m['reason'] or '')}[/]", "            ")
            if "explanation" in m:
                print_explanation(m["explanation"], indent="            ")
        meta = result.meta
        if meta["clusters"] < meta["total_clusters"]:
            console.print(f"[dim]{meta['clusters']} of {meta['total_clusters']} questions shown[/]")
        console.print("[dim]merge with `pcrm identity merge ID`, or `pcrm identity reject ID`[/]")

    run(Opts(json_out, nl=nl, now=now, render=render), identity.list_matches, explain=explain, limit=limit)


@app.command("merge")
def merge(match: Match, json_out: o.Json = False, now: o.Now = None) -> None:
    """Merge the two contacts of a pending match (the richer one survives; undo with `pcrm contacts unmerge`).

    Example: pcrm identity scan && pcrm identity merge "$(pcrm identity matches --json | jq -r '.data[0].id')"
    """

    def render(result: Any) -> None:
        from rich.markup import escape

        d = result.data
        name = d["survivor_display_name"]  # as lists show it, by address or number when nameless
        # worded as `pcrm contacts merge` says it: what was filled or kept aside [merge-rules], and the undo
        out().print(
            f"merged into {d['survivor_id']} ({escape(name)}); {merge_values(d)}\n"
            f"merge id {d['merge_id']} (undo: pcrm contacts unmerge {d['merge_id']})"
        )

    run(Opts(json_out, now=now, render=render), identity.merge_match, match)


@app.command("reject")
def reject(match: Match, json_out: o.Json = False, now: o.Now = None) -> None:
    """Mark a pending match as two different people; no scan will pair them again.

    Example: pcrm identity scan && pcrm identity reject
    "$(pcrm identity matches --json | jq -r '.data[0].id')"
    """

    def render(result: Any) -> None:
        out().print(f"rejected {result.data['id']}")

    run(Opts(json_out, now=now, render=render), identity.reject_match, match)


# one line a merge; both contacts' ids come after the names, dropped first at a narrow terminal
HISTORY_COLS = (
    Col("merge id", lambda r: r["id"], keep=9, short=lambda r: r["id"][:8]),
    Col("when", lambda r: moment(r["merged_at"]), keep=7),
    Col("kept", lambda r: r["survivor_display_name"], keep=8, flex=True, least=12, most=30),
    Col("merged away", lambda r: r["merged_display_name"], keep=8, flex=True, least=12, most=30),
    Col("method", lambda r: r["match_method"], keep=4),
    Col("score", lambda r: f"{r['match_score']:.2f}", keep=5, right=True),
    Col("moved", lambda r: str(r["interactions_moved"]), keep=3, right=True),
    Col("undone", lambda r: when(r["unmerged_at"]) if r["unmerged_at"] else "", keep=6),
    Col("kept id", lambda r: r["survivor_id"], keep=2, short=lambda r: r["survivor_id"][:8]),
    Col("merged id", lambda r: r["merged_contact_id"], keep=1, short=lambda r: r["merged_contact_id"][:8]),
)


@app.command("history")
def history(
    limit: o.Limit = None,
    offset: o.Offset = None,
    fmt: o.Format = None,
    fields: o.Fields = None,
    no_pager: o.NoPager = False,
    json_out: o.Json = False,
    nl: o.Nl = False,
    now: o.Now = None,
) -> None:
    """List merges, newest first, with the id `pcrm contacts unmerge` takes (--format, --fields).

    Example: pcrm identity history --limit 10
    """
    opts = list_opts(
        HISTORY_COLS,
        fmt,
        fields,
        json_out,
        nl,
        now,
        empty="no merges yet; `pcrm identity matches` lists the pairs waiting for review",
        more="--offset N or --limit N for more",
        no_pager=no_pager,
    )
    run(opts, svc.history, limit=limit, offset=offset)
