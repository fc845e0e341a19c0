"""`pcrm notifications [list] | read ID | read-all | unread-count`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, Ref, everything, out, page_footer, run
from pcrm.cli._render import done
from pcrm.services import notifications

app = typer.Typer(invoke_without_command=True)

Unread = Annotated[bool, typer.Option("--unread", help="Only unread notifications.")]
Link = Annotated[str | None, typer.Option("--link", help="Only notifications pointing at this link.")]


def _table(result: Any) -> None:
    from rich.markup import escape
    from rich.table import Table

    items = result.data
    console = out()
    if not items:
        console.print("[dim]no notifications[/]")
        return
    table = Table(show_edge=False, header_style="bold")
    for col in ("id", "when", "type", "title", "link"):
        table.add_column(col, overflow="fold")
    for n in items:
        title = escape(n["title"]) + (f"\n[dim]{escape(n['body'][:200])}[/]" if n.get("body") else "")
        table.add_row(
            n["id"][:8],
            n["created_at"][:16].replace("T", " "),
            n["notification_type"],
            title if n["read"] else f"[bold]●[/] {title}",
            escape(n.get("link") or ""),
        )
    console.print(table)
    page_footer(result.meta, len(result.data))


def _list(
    unread: bool,
    link: str | None,
    page: int | None,
    page_size: int | None,
    all_: bool,
    json_out: bool,
    nl: bool,
) -> None:
    run(
        Opts(json_out, nl=nl, render=_table),
        notifications.list_notifications,
        unread=unread,
        link=link,
        page=page,
        page_size=page_size,
        everything=everything(all_, nl, page, page_size),
    )


@app.callback()
def main(
    ctx: typer.Context,
    unread: Unread = False,
    link: Link = None,
    page: o.Page = None,
    page_size: o.PageSize = None,
    all_: o.All = False,
    json_out: o.Json = False,
    nl: o.Nl = False,
) -> None:
    """Your notifications: sync results, suggestions, bio changes, problems to fix. `pcrm notifications`
    alone lists them, newest first.

    Example: pcrm notifications --unread
    """
    if ctx.invoked_subcommand is None:
        _list(unread, link, page, page_size, all_, json_out, nl)


@app.command("list")
def list_(
    unread: Unread = False,
    link: Link = None,
    page: o.Page = None,
    page_size: o.PageSize = None,
    all_: o.All = False,
    json_out: o.Json = False,
    nl: o.Nl = False,
) -> None:
    """List notifications, newest first; unread ones are marked with a dot.

    Example: pcrm notifications list --unread --page-size 50
    """
    _list(unread, link, page, page_size, all_, json_out, nl)


@app.command("read")
def read(
    notification: Annotated[str, typer.Argument(help="The notification's id or id prefix.")],
    json_out: o.Json = False,
) -> None:
    """Mark one notification read.

    Example: pcrm notifications read 3f2a9c
    """
    run(
        Opts(json_out, render=done("marked {id} read")),
        notifications.mark_read,
        Ref(notifications.resolve_ref, notification),
    )


@app.command("read-all")
def read_all(json_out: o.Json = False) -> None:
    """Mark every notification read.

    Example: pcrm notifications read-all
    """

    def render(result: Any) -> None:
        out().print(f"marked {result.meta.get('count', 0)} notification(s) read")

    run(Opts(json_out, render=render), notifications.mark_all_read)


@app.command("unread-count")
def unread_count(json_out: o.Json = False) -> None:
    """Print how many notifications are unread.

    Example: pcrm notifications unread-count
    """

    def render(result: Any) -> None:
        import sys

        sys.stdout.write(f"{result.data['count']}\n")

    run(Opts(json_out, render=render), notifications.unread_count)
