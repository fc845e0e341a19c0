"""`pcrm identity ...`: scan for duplicates, review the queue, merge or reject, see the merge journal."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import run

app = typer.Typer(help="Find and merge duplicate contacts (one person, one contact).", no_args_is_help=True)

Match = Annotated[str, typer.Argument(help="An identity match id (or a unique prefix of 4+ characters).")]
Explain = Annotated[
    bool, typer.Option("--explain", help="Show each signal, its weight, the guards and the score.")
]


def print_explanation(ex: dict[str, Any], indent: str = "    ") -> None:
    """Render a score explanation: signals (value × effective weight), guards, final score."""
    from rich.markup import escape

    from pcrm.cli._output import out

    console = out()
    for s in ex["signals"]:
        if s["available"]:
            console.print(
                f"{indent}{s['signal']:<9} {s['value']:.2f} × {s['effective_weight']:.2f} "
                f"(base {s['weight']:.2f}) = {s['contribution']:.2f}"
            )
        else:
            console.print(f"{indent}[dim]{s['signal']:<9} not available (base {s['weight']:.2f})[/]")
    for g in ex["guards"]:
        state = "applied" if g.get("applied", True) else "not binding"
        console.print(
            f"{indent}[yellow]guard[/] {g['guard']}: {escape(g['rule'])} → ≤ {g['cap']:.2f} ({state})"
        )
    if ex.get("shared_blocking_keys"):
        console.print(f"{indent}[dim]blocking keys: {escape(', '.join(ex['shared_blocking_keys']))}[/]")
    console.print(f"{indent}[bold]score {ex['score']:.2f}[/] → {ex['band'].replace('_', ' ')}")


def _who(c: dict[str, Any] | None) -> str:
    if not c:
        return "(gone)"
    bits = [c.get("full_name") or "(no name)"]
    if c.get("emails"):
        bits.append(c["emails"][0])
    if c.get("company"):
        bits.append(c["company"])
    return " · ".join(bits)


@app.command("scan")
def scan(dry_run: o.DryRun = False, json_out: o.Json = False, now: o.Now = None) -> None:
    """Find duplicates: merge the certain ones and queue the doubtful ones for review.

    Same email or phone, or a score above 0.85, merges; 0.70-0.85 is queued. A scan that merges takes a
    backup first.

    Example: pcrm identity scan --dry-run
    """
    from pcrm.services import identity

    def render(result: Any) -> None:
        from pcrm.cli._output import err, out

        d, m = result.data, result.meta
        verb = "would merge" if m.get("dry_run") else "merged"
        out().print(
            f"{verb} {d['auto_merged']} ({m['deterministic_merged']} by email/phone, "
            f"{m['probabilistic_merged']} by score); {d['pending_review']} pair(s) to review"
        )
        for w in m.get("would_merge", []):
            out().print(f"  {w['merged_contact_id'][:8]} → {w['survivor_id'][:8]} {w['full_name'] or ''}")
        if m.get("backup"):
            err().print(f"[dim]backup: {m['backup']}[/]")
        if d["pending_review"] and not m.get("dry_run"):
            err().print("[dim]review them with `pcrm identity matches --explain`[/]")

    run(lambda ctx: identity.scan(ctx, dry_run=dry_run), json_out=json_out, now=now, render=render)


@app.command("matches")
def matches(explain: Explain = False, json_out: o.Json = False, nl: o.Nl = False, now: o.Now = None) -> None:
    """List pairs waiting for review, best score first.

    Example: pcrm identity matches --explain
    """
    from pcrm.services import identity

    def render(result: Any) -> None:
        from rich.markup import escape

        from pcrm.cli._output import out

        console = out()
        if not result.data:
            console.print("[dim]no pairs waiting for review[/]")
            return
        for m in result.data:
            console.print(
                f"[bold]{m['id'][:8]}[/] score {m['match_score']:.2f}  "
                f"{escape(_who(m['contact_a']))}  ⟷  {escape(_who(m['contact_b']))}"
            )
            if "explanation" in m:
                print_explanation(m["explanation"])
        console.print("[dim]merge with `pcrm identity merge ID`, or `pcrm identity reject ID`[/]")

    run(
        lambda ctx: identity.list_matches(ctx, explain=explain),
        json_out=json_out,
        nl=nl,
        now=now,
        render=render,
    )


@app.command("merge")
def merge(match: Match, json_out: o.Json = False, now: o.Now = None) -> None:
    """Merge the two contacts of a pending match (the richer one survives; undo with `pcrm contacts unmerge`).

    Example: pcrm identity merge 3f2a9c1e
    """
    from pcrm.services import identity

    def render(result: Any) -> None:
        from pcrm.cli._output import out

        d = result.data
        out().print(f"merged into {d['survivor_id']} (merge {d['merge_id']})")

    run(lambda ctx: identity.merge_match(ctx, match), json_out=json_out, now=now, render=render)


@app.command("reject")
def reject(match: Match, json_out: o.Json = False, now: o.Now = None) -> None:
    """Mark a pending match as two different people; no scan will pair them again.

    Example: pcrm identity reject 3f2a9c1e
    """
    from pcrm.services import identity

    def render(result: Any) -> None:
        from pcrm.cli._output import out

        out().print(f"rejected {result.data['id']}")

    run(lambda ctx: identity.reject_match(ctx, match), json_out=json_out, now=now, render=render)


@app.command("history")
def history(
    limit: o.Limit = None,
    offset: o.Offset = None,
    json_out: o.Json = False,
    nl: o.Nl = False,
    now: o.Now = None,
) -> None:
    """List merges, newest first, with the id `pcrm contacts unmerge` takes.

    Example: pcrm identity history --limit 10
    """
    from pcrm.services import merge as svc

    def row(r: Any) -> tuple[str, ...]:
        from rich.markup import escape

        return (
            r["id"][:8],
            r["merged_at"][:16].replace("T", " "),
            escape(f"{r['survivor_name'] or '(no name)'} {r['survivor_id'][:8]}"),
            escape(f"{r['merged_name'] or '(no name)'} {r['merged_contact_id'][:8]}"),
            r["match_method"],
            f"{r['match_score']:.2f}",
            str(r["interactions_moved"]),
            (r["unmerged_at"] or "")[:10],
        )

    def render(result: Any) -> None:
        from pcrm.cli._render import rows_table

        rows_table(
            result,
            ("merge id", "when", "kept", "merged away", "method", "score", "moved", "undone"),
            row,
            empty="[dim]no merges yet[/]",
        )

    run(
        lambda ctx: svc.history(ctx, limit=limit, offset=offset),
        json_out=json_out,
        nl=nl,
        now=now,
        render=render,
    )
