"""`pcrm score recalc|explain`: the relationship score [score-breakdown], recomputed and explained."""

from __future__ import annotations

from typing import Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, Ref, out, run
from pcrm.cli._render import busy
from pcrm.services import activity, contacts

app = typer.Typer(help="Recompute relationship scores and explain them.", no_args_is_help=True)

Contact = o.Contact


@app.command("recalc")
def recalc(json_out: o.Json = False, now: o.Now = None) -> None:
    """Recompute every contact's score in one pass (POST /contacts/scores/recalculate).

    Example: pcrm score recalc --json
    """

    def render(result: Any) -> None:
        out().print(f"updated {result.data['updated']} contact(s)")

    def call(ctx: Any) -> Any:
        with busy("recomputing scores…"):
            return activity.recalculate_scores(ctx)

    run(Opts(json_out, now=now, render=render), call)


def _explain(result: Any) -> None:
    from rich.markup import escape
    from rich.table import Table

    d = result.data
    console = out()
    console.print(
        f"[bold]{escape(d['contact']['full_name'] or '(no name)')}[/]  score [bold]{d['score']}[/]/10"
        + ("  (capped at 10)" if d["capped"] else "")
        + f"  [dim]as of {d['now'][:16]}Z[/]"
    )
    table = Table(show_edge=False, header_style="bold")
    table.add_column("dimension")
    table.add_column("value", justify="right")
    table.add_column("facts", overflow="fold")
    for name, dim in d["dimensions"].items():
        facts = ", ".join(
            f"{k}={'none' if v is None else ', '.join(v) if isinstance(v, list) else v}"
            for k, v in dim["facts"].items()
        )
        table.add_row(
            name, f"{dim['value']}/{dim['max']}", escape(facts) + f"\n[dim]{escape(dim['rule'])}[/]"
        )
    console.print(table)


@app.command("explain")
def explain(contact: Contact, json_out: o.Json = False, now: o.Now = None) -> None:
    """Show each score dimension, its value and maximum, and the facts behind it.

    Example: pcrm score explain "Ada Lovelace"
    """
    run(Opts(json_out, now=now, render=_explain), activity.explain_score, Ref(contacts.resolve_ref, contact))
