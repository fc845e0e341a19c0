"""`pcrm calendar export`: the follow-up calendar as an .ics file [followup-calendar]."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, confirm, err, run
from pcrm.domain.wording import counted
from pcrm.services import calendar

app = typer.Typer(
    help="The follow-up calendar (follow-ups and birthdays) as iCalendar.", no_args_is_help=True
)


@app.command("export")
def export(
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", help="Write to this file (default, or -: stdout).", callback=o.dash_is_stdout
        ),
    ] = None,
    yes: o.Yes = False,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Write the follow-up calendar: one all-day event per follow-up due, and yearly birthdays. An
    existing --output file is replaced only after you agree (--yes off a terminal); a folder gets a new
    file.

    Example: pcrm calendar export --output ~/pcrm-followups.ics --yes
    """

    def render(result: Any) -> None:
        import sys

        d = result.data
        if d["output"] is None:
            sys.stdout.buffer.write(d["ics"].encode("utf-8"))
            sys.stdout.flush()
        else:
            # the events and the contacts they are for, as `export ics` says them [calendar-counts]
            err().print(
                f"wrote {counted(d['events'], 'event')} for {counted(d['contacts'], 'contact')} to "
                f"{d['output']} ({counted(d['bytes'], 'byte')})",
                soft_wrap=True,
                markup=False,
            )

    def call(ctx: Any) -> Any:
        if not output:
            return calendar.export_ics(ctx)
        path = calendar.output_path(ctx, output)
        if path.is_file():
            confirm(yes, f"Replace {path}?")  # [confirm-destructive]
        return calendar.export_ics(ctx, str(path), replace=True)

    run(Opts(json_out, now=now, render=render), call)
