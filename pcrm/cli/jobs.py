"""`pcrm jobs list | run NAME`: the background jobs the daemon runs on a schedule [scheduled-jobs]."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, out, run
from pcrm.cli._render import rows_table
from pcrm.services import jobs

app = typer.Typer(
    help="Background jobs the daemon runs on a schedule: list them, run one now.", no_args_is_help=True
)


def _at(ts: str | None) -> str:
    return (ts or "-")[:16].replace("T", " ")


def _next(j: Any, now: str | None) -> str:
    if not j["next_run_at"]:
        return "by hand"
    return "due now" if j["next_run_at"] == now else _at(j["next_run_at"])


def _table(result: Any) -> None:
    from rich.markup import escape

    now = result.meta.get("now")
    rows_table(
        result,
        ("job", "schedule", "last success", "next run", "last error"),
        lambda j: (
            j["name"],
            j["schedule"],
            _at(j["last_success_at"]),
            _next(j, now),
            f"[red]{escape((j['last_error'] or '')[:100])}[/]" if j["last_error"] else "",
        ),
        empty="[dim]no jobs[/]",
    )
    out().print(f"[dim]times in UTC; schedules in {result.meta.get('timezone')}[/]")


@app.command("list")
def list_(json_out: o.Json = False, nl: o.Nl = False, now: o.Now = None) -> None:
    """Each job: its schedule, last success, next run and last error. `pcrm serve` runs them; a job
    missed while the machine slept runs once when it wakes.

    Example: pcrm jobs list --json
    """
    run(Opts(json_out, nl=nl, now=now, render=_table), jobs.list_jobs)


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
