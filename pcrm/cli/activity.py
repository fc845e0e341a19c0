"""`pcrm activity recent`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, out, run
from pcrm.services import views

app = typer.Typer(help="What happened lately across all your contacts.", no_args_is_help=True)


@app.command("recent")
def recent(
    limit: Annotated[int | None, typer.Option(min=1, max=100, help="At most N (1-100, default 20).")] = None,
    json_out: o.Json = False,
    nl: o.Nl = False,
    now: o.Now = None,
) -> None:
    """The latest interaction with each person in the last 7 days, newest first.

    Example: pcrm activity recent --limit 10
    """

    def render(result: Any) -> None:
        from rich.markup import escape
        from rich.table import Table

        if not result.data:
            out().print("[dim]nothing in the last 7 days[/]")
            return
        table = Table(show_edge=False, header_style="bold")
        for col in ("when", "who", "platform", "dir", "content"):
            table.add_column(col, overflow="fold")
        for a in result.data:
            text = (a.get("content_preview") or "").replace("\n", " ")
            table.add_row(
                a["timestamp"][:16].replace("T", " "),
                escape(a["contact_name"] or "(no name)"),
                a["platform"],
                a["direction"],
                escape(text[:120] + ("…" if len(text) > 120 else "")),
            )
        out().print(table)

    run(Opts(json_out, nl=nl, now=now, render=render), views.recent_activity, limit=limit)
