"""`pcrm score recalc|explain`: the relationship score [score-breakdown], recomputed and explained."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, Ref, moment, out, run
from pcrm.cli._render import busy, list_opts, print_indented
from pcrm.cli._table import Col, pick, print_rows, resolve_format
from pcrm.domain.wording import counted
from pcrm.services import activity, contacts

app = typer.Typer(help="Recompute relationship scores and explain them.", no_args_is_help=True)

Contact = o.Contact


@app.command("recalc")
def recalc(json_out: o.Json = False, now: o.Now = None) -> None:
    """Recompute every contact's score in one pass (POST /contacts/scores/recalculate).

    Example: pcrm score recalc --json
    """

    def render(result: Any) -> None:
        # [score-formula]: `updated` counts every contact rescored, most to the score they had; say how many
        # moved, which is what --json's meta.changed says
        rescored, moved = result.data["updated"], result.meta.get("changed", 0)
        out().print(f"rescored {counted(rescored, 'contact')}: {moved or 'none'} changed")

    def call(ctx: Any) -> Any:
        with busy("recomputing scores…"):
            return activity.recalculate_scores(ctx)

    run(Opts(json_out, now=now, render=render), call)


def _facts(dim: dict[str, Any]) -> str:
    return ", ".join(
        f"{k}={'none' if v is None else ', '.join(v) if isinstance(v, list) else v}"
        for k, v in dim["facts"].items()
    )


# one line a dimension, its rule after the facts (dropped first at a narrow terminal) [readable-tables]
COLS = (
    Col("dimension", lambda d: d["name"], keep=9),
    Col("value", lambda d: f"{d['value']}/{d['max']}", keep=8, right=True),
    Col("facts", _facts, keep=7, flex=True, least=20, most=80),
    Col("rule", lambda d: d["rule"], keep=3, flex=True, least=20, most=100),
)


@app.command("explain")
def explain(
    contact: Contact,
    fmt: o.Format = None,
    fields: o.Fields = None,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Show each score dimension, its value and maximum, and the facts behind it (--format, --fields; a
    pipe gets one tab-separated row a dimension).

    Example: pcrm score explain "Ada Lovelace"
    """
    opts = list_opts(COLS, fmt, fields, json_out, False, now)  # a bad --format or --fields fails here
    resolved = resolve_format(fmt, json_out, False)[0]
    chosen = pick(COLS, fields)

    def render(result: Any) -> None:
        from rich.markup import escape

        d = result.data
        if resolved == "table":
            out().print(
                f"[bold]{escape(d['contact']['display_name'] or '(no name)')}[/]"
                f"  score [bold]{d['score']}[/]/10"
                + ("  (capped at 10)" if d["capped"] else "")
                + f"  [dim]as of {moment(d['now'])}[/]"
            )
        items = [{"name": name, **dim} for name, dim in d["dimensions"].items()]
        if resolved == "table" and fmt is None and fields is None:
            # at a terminal, with no --format or --fields: a block a dimension, its facts and rule wrapped
            # under it. As a table at 80 columns the facts were cut to a few words and the rule left out,
            # which left nothing of the explanation [readable-tables: a detail view is not a list]
            for item in items:
                out().print(f"[bold]{escape(item['name'])}[/]  {item['value']}/{item['max']}")
                print_indented(escape(_facts(item)) or "[dim]no facts[/]", "    ")
                print_indented(f"[dim]rule: {escape(item['rule'])}[/]", "    ")
            return
        print_rows(items, chosen, resolved, pager=False, asked=fields is not None)

    run(replace(opts, render=render), activity.explain_score, Ref(contacts.resolve_ref, contact))
