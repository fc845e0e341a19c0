"""`pcrm jobs list | run NAME`: the background jobs the daemon runs on a schedule [scheduled-jobs]."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, moment, out, run
from pcrm.cli._render import list_opts
from pcrm.cli._table import Col, pick, print_rows, resolve_format
from pcrm.services import jobs

app = typer.Typer(
    help="Background jobs the daemon runs on a schedule: list them, run one now.", no_args_is_help=True
)


def _at(ts: str | None) -> str:
    return moment(ts)


def _next(j: Any, now: str | None) -> str:
    if not j["next_run_at"]:
        return "by hand"
    return "due now" if j["next_run_at"] == now else _at(j["next_run_at"])


# `next` is worked out against the clock the service answered at (meta.now) before printing
COLS = (
    Col("job", lambda j: j["name"], keep=9),
    Col("schedule", lambda j: j["schedule"], keep=7, flex=True, least=10, most=30),
    Col("last success", lambda j: _at(j["last_success_at"]), keep=6),
    Col(
        "last run",  # interrupted: the daemon's stop ended it, no failure [scheduled-jobs]
        lambda j: j.get("last_status") or "",
        keep=4,
        hide_empty=True,
        style=lambda j: {"failed": "red", "interrupted": "yellow"}.get(j.get("last_status") or ""),
    ),
    Col("next run", lambda j: j["next"], keep=8),
    Col(
        "last error",
        lambda j: j["last_error"] or "",
        keep=5,
        flex=True,
        least=12,
        most=100,
        style=lambda j: "red" if j["last_error"] else None,
    ),
)


@app.command("list")
def list_(
    fmt: o.Format = None,
    fields: o.Fields = None,
    json_out: o.Json = False,
    nl: o.Nl = False,
    now: o.Now = None,
) -> None:
    """Each job: its schedule, last success, how its last run went, next run and last error (--format,
    --fields). `pcrm serve` runs them; a job missed while the machine slept runs once when it wakes, and
    one a daemon stop interrupted goes on at the next start.

    Example: pcrm jobs list --json
    """
    opts = list_opts(COLS, fmt, fields, json_out, nl, now)  # a bad --format or --fields fails here
    resolved = resolve_format(fmt, json_out, nl)[0]
    chosen = pick(COLS, fields)

    def render(result: Any) -> None:
        at = result.meta.get("now")
        items = [{**j, "next": _next(j, at)} for j in result.data]
        print_rows(items, chosen, resolved, empty="no jobs", pager=False, asked=fields is not None)
        if resolved == "table" and items:
            system = result.meta.get("timezone_is_system")
            which = " (the system's zone; `pcrm settings set timezone ZONE` sets one)" if system else ""
            out().print(f"[dim]times in {result.meta.get('timezone')}{which}[/]")

    run(replace(opts, render=render), jobs.list_jobs)


@app.command("run")
def run_(
    name: Annotated[
        str, typer.Argument(help="The job's name, as `pcrm jobs list` shows it (e.g. suggestions).")
    ],
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Run one job now, whatever its schedule, exactly as the daemon would; it is recorded like a
    scheduled run.

    Example: pcrm jobs run suggestions
    """

    def render(result: Any) -> None:
        from rich.markup import escape

        d = result.data
        what = ", ".join(f"{k}={v}" for k, v in d["result"].items()) if d["result"] else "done"
        out().print(f"{escape(d['name'])}: {escape(what)}")

    run(Opts(json_out, now=now, render=render), jobs.run, name)
