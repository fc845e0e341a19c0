"""`pcrm notifications [list] | read ID | read-all | unread-count`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, Ref, err, everything, moment, out, run
from pcrm.cli._render import ago, list_opts
from pcrm.cli._table import Col
from pcrm.domain.wording import counted
from pcrm.services import notifications

app = typer.Typer(invoke_without_command=True)

Unread = Annotated[bool, typer.Option("--unread", help="Only unread notifications.")]
Link = Annotated[str | None, typer.Option("--link", help="Only notifications pointing at this link.")]


def _when(n: dict[str, Any]) -> str:
    return moment(n["created_at"])


# one line a notification, the body after the title [readable-tables]
COLS = (
    Col("id", lambda n: n["id"], keep=9, short=lambda n: n["id"][:8]),
    Col(
        "new",
        lambda n: "" if n["read"] else "unread",
        keep=8,
        short=lambda n: "" if n["read"] else "●",
        style=lambda n: None if n["read"] else "bold",
    ),
    Col("when", _when, keep=7, short=lambda n: ago(n["created_at"])),
    Col("type", lambda n: n["notification_type"], keep=6),
    Col("title", lambda n: n["title"], keep=8, flex=True, least=20, most=60),
    Col("body", lambda n: n.get("body") or "", keep=2, flex=True, least=20, most=80, hide_empty=True),
    Col("link", lambda n: n.get("link") or "", keep=3, flex=True, least=12, most=40, hide_empty=True),
)


def _no_notifications(unread: bool, link: str | None) -> str:
    """What an empty list of notifications says, with the next step [readable-tables]."""
    if unread or link:
        return "no notifications match; `pcrm notifications list` shows every one"
    return (
        "no notifications yet; syncs, suggestions and problems to fix post them here "
        "(`pcrm sync status` shows what you can connect)"
    )


def _list(
    unread: bool,
    link: str | None,
    page: int | None,
    page_size: int | None,
    all_: bool,
    json_out: bool,
    nl: bool,
    fmt: str | None = None,
    fields: str | None = None,
    no_pager: bool = False,
) -> None:
    run(
        list_opts(COLS, fmt, fields, json_out, nl, empty=_no_notifications(unread, link), no_pager=no_pager),
        notifications.list_notifications,
        unread=unread,
        link=link,
        page=page,
        page_size=page_size,
        everything=everything(all_, nl, page=page, page_size=page_size),
    )


@app.callback()
def main(
    ctx: typer.Context,
    unread: Unread = False,
    link: Link = None,
    page: o.Page = None,
    page_size: o.PageSize = None,
    all_: o.All = False,
    fmt: o.Format = None,
    fields: o.Fields = None,
    no_pager: o.NoPager = False,
    json_out: o.Json = False,
    nl: o.Nl = False,
) -> None:
    """Your notifications: sync results, suggestions, bio changes, problems to fix. `pcrm notifications`
    alone lists them, newest first.

    Example: pcrm notifications --unread
    """
    if ctx.invoked_subcommand is None:
        _list(unread, link, page, page_size, all_, json_out, nl, fmt, fields, no_pager)
        return
    given = {"unread": unread, "link": link, "page": page, "page_size": page_size, "all_": all_}
    o.pass_down(ctx, **given, fmt=fmt, fields=fields, no_pager=no_pager, json_out=json_out, nl=nl)


@app.command("list")
def list_(
    unread: Unread = False,
    link: Link = None,
    page: o.Page = None,
    page_size: o.PageSize = None,
    all_: o.All = False,
    fmt: o.Format = None,
    fields: o.Fields = None,
    no_pager: o.NoPager = False,
    json_out: o.Json = False,
    nl: o.Nl = False,
) -> None:
    """List notifications, newest first; unread ones are marked with a dot (--format, --fields).

    Example: pcrm notifications list --unread --page-size 50
    """
    _list(unread, link, page, page_size, all_, json_out, nl, fmt, fields, no_pager)


@app.command("read")
def read(
    notification: Annotated[str, typer.Argument(help="The notification's id or id prefix.")],
    json_out: o.Json = False,
) -> None:
    """Mark one notification read.

    Example: pcrm jobs run suggestions && pcrm notifications read
    "$(pcrm notifications --page-size 1 --fields id)"
    """

    def render(result: Any) -> None:
        if result.meta.get("unchanged"):  # it said "marked ... read" again [no-op-edits]
            err().print(f"{result.data['id']} was already read; nothing to change")
            return
        out().print(f"marked {result.data['id']} read")

    run(Opts(json_out, render=render), notifications.mark_read, Ref(notifications.resolve_ref, notification))


@app.command("read-all")
def read_all(json_out: o.Json = False) -> None:
    """Mark every notification read.

    Example: pcrm notifications read-all
    """

    def render(result: Any) -> None:
        out().print(f"marked {counted(result.meta.get('count', 0), 'notification')} read")

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
