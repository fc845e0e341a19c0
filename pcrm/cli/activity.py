"""`pcrm activity recent`."""

from __future__ import annotations

from typing import Annotated

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import everything, run
from pcrm.services import views

app = typer.Typer(help="What happened lately across all your contacts.", no_args_is_help=True)


@app.command("recent")
def recent(
    limit: Annotated[int | None, typer.Option(min=1, max=100, help="At most N (1-100, default 20).")] = None,
    all_: o.All = False,
    fmt: o.Format = None,
    fields: o.Fields = None,
    no_pager: o.NoPager = False,
    json_out: o.Json = False,
    nl: o.Nl = False,
    now: o.Now = None,
) -> None:
    """The latest interaction with each person in the last 7 days, newest first (20 unless --limit; --all:
    every one).

    Example: pcrm activity recent --limit 10
    """
    from pcrm.cli._render import ACTIVITY_COLS, list_opts

    run(
        list_opts(
            ACTIVITY_COLS,
            fmt,
            fields,
            json_out,
            nl,
            now,
            empty="nothing in the last 7 days; log a call or a meeting with `pcrm log CONTACT TEXT`, "
            "or sync your accounts: pcrm sync status",
            no_pager=no_pager,
        ),
        views.recent_activity,
        limit=limit,
        everything=everything(all_, nl, limit=limit),
    )
