"""`pcrm sync history | stats | status` (the sync commands themselves register on this app later)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, out, run
from pcrm.cli._render import rows_table
from pcrm.services import sync_history

app = typer.Typer(help="Sync your accounts and see how past syncs went.", no_args_is_help=True)

Platform = Annotated[
    str | None,
    typer.Option(
        "--platform",
        help="gmail, google_contacts, google_calendar, telegram, twitter, linkedin, whatsapp, ...",
    ),
]


def _history_row(r: Any) -> tuple[str, ...]:
    from rich.markup import escape

    return (
        r["id"][:8],
        r["started_at"][:16].replace("T", " "),
        r["platform"],
        r["sync_type"],
        r["status"],
        str(r["records_created"]),
        str(r["records_updated"]),
        str(r["records_failed"]),
        "" if r["duration_ms"] is None else str(r["duration_ms"]),
        escape((r["error_message"] or "")[:120]),
    )


def _history_table(result: Any) -> None:
    rows_table(
        result,
        ("id", "started", "platform", "type", "status", "created", "updated", "failed", "ms", "error"),
        _history_row,
        empty="[dim]no syncs recorded yet[/]",
    )


@app.command("history")
def history(
    platform: Platform = None,
    status: Annotated[str | None, typer.Option(help="started, success, failed or partial.")] = None,
    limit: o.Limit = None,
    offset: o.Offset = None,
    json_out: o.Json = False,
    nl: o.Nl = False,
) -> None:
    """Past sync runs, newest first.

    Example: pcrm sync history --platform gmail --status failed
    """
    run(
        Opts(json_out, nl=nl, render=_history_table),
        sync_history.list_sync_history,
        platform=platform,
        status=status,
        limit=limit,
        offset=offset,
    )


@app.command("stats")
def stats(platform: Platform = None, json_out: o.Json = False) -> None:
    """How syncs went, per platform: runs, successes, failures, success rate and the last run.

    Example: pcrm sync stats --platform telegram
    """

    def render(result: Any) -> None:
        from rich.table import Table

        if not result.data:
            out().print("[dim]no syncs recorded yet[/]")
            return
        table = Table(show_edge=False, header_style="bold")
        for col in ("platform", "runs", "ok", "failed", "success %", "last sync"):
            table.add_column(col)
        for name, s in result.data.items():
            table.add_row(
                name,
                str(s["total_syncs"]),
                str(s["success_count"]),
                str(s["failed_count"]),
                f"{s['success_rate']:.1f}",
                (s["last_sync"] or "-")[:16].replace("T", " "),
            )
        out().print(table)

    run(Opts(json_out, render=render), sync_history.sync_stats, platform=platform)


@app.command("status")
def status(
    task: Annotated[str | None, typer.Argument(help="A task id a sync route answered with.")] = None,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """The last sync of each platform and what is running now; with TASK, that one run.

    Example: pcrm sync status
    """

    def render(result: Any) -> None:
        data = result.data
        if task is not None:
            _history_table(type(result)([data], {}))
            return
        if not data["platforms"]:
            out().print("[dim]no syncs recorded yet[/]")
        else:
            _history_table(type(result)(list(data["platforms"].values()), {}))
        for lock in data["running"]:
            out().print(f"running: {lock['name'][5:]} since {lock['acquired_at'][:16].replace('T', ' ')}")

    if task is not None:
        run(Opts(json_out, now=now, render=render), sync_history.task_status, task)
    else:
        run(Opts(json_out, now=now, render=render), sync_history.sync_status)
