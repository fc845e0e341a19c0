"""`pcrm calendar export`: the follow-up calendar as an .ics file [followup-calendar]."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, err, run
from pcrm.services import calendar

app = typer.Typer(
    help="The follow-up calendar (follow-ups and birthdays) as iCalendar.", no_args_is_help=True
)


@app.command("export")
def export(
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write to this file (default: stdout).")
    ] = None,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Write the follow-up calendar: one all-day event per follow-up due, and yearly birthdays.

    Example: pcrm calendar export --output ~/pcrm-followups.ics
    """

    def render(result: Any) -> None:
        import sys

        d = result.data
        if d["output"] is None:
            sys.stdout.buffer.write(d["ics"].encode("utf-8"))
            sys.stdout.flush()
        else:
            err().print(f"wrote {d['events']} event(s) to {d['output']}")

    run(Opts(json_out, now=now, render=render), calendar.export_ics, output)
