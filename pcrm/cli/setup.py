"""`pcrm init`, `pcrm paths`, `pcrm demo`, `pcrm db ...`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, emit, err, out, run
from pcrm.cli._render import contact_table
from pcrm.services import admin
from pcrm.services import demo as svc
from pcrm.services.context import Result


def _e(text: Any) -> str:
    """Paths and messages are printed literally: `[x]` in a folder name is not rich markup."""
    from rich.markup import escape

    return escape(str(text))


db_app = typer.Typer(help="Backups, restore, integrity checks and migrations.", no_args_is_help=True)


def init(json_out: o.Json = False) -> None:
    """Create the store (safe to run again).

    Example: PCRM_HOME=~/crm pcrm init
    """

    def render(result: Any) -> None:
        d = result.data
        out().print(f"store ready at {_e(d['database'])} ({d['contacts']} contacts)")

    run(Opts(json_out, render=render), admin.init)


def paths(json_out: o.Json = False) -> None:
    """Show where the database, avatars, backups, exports and run state live.

    Example: pcrm paths
    """

    def render(result: Any) -> None:
        for k, v in result.data.items():
            out().print(f"[bold]{k:9}[/] {_e(v)}")

    emit(admin.show_paths(), json_out=json_out, render=render)


def demo(
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same people.")] = 7,
    contacts: Annotated[int, typer.Option(min=10, max=100_000, help="How many contacts.")] = 300,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Fill an empty store with a realistic demo CRM and show who is overdue.

    Example: PCRM_HOME=/tmp/pcrm-demo pcrm demo
    """

    def render(result: Any) -> None:
        d = result.data
        err().print(
            f"[green]demo ready:[/] {d['contacts']} contacts, {d['interactions']} interactions, "
            f"{d['organizations']} organizations in {_e(result.meta['database'])}"
        )
        contact_table(
            Result(d["overdue"], {}),
            title="Overdue: high priority, past their follow-up interval",
            extra=("days_overdue", "overdue"),
        )
        err().print('[dim]next: pcrm contacts list · pcrm contacts show NAME · pcrm note add NAME "..."[/]')

    run(Opts(json_out, now=now, render=render), svc.build_demo, seed=seed, contacts=contacts)


@db_app.command("backup")
def backup(
    file: Annotated[
        str | None, typer.Argument(help="Where to write it (default: the backups folder).")
    ] = None,
    json_out: o.Json = False,
) -> None:
    """Take an online backup of the store (safe while pcrm or the daemon runs).

    Example: pcrm db backup ~/crm-2026-11-28.db
    """

    def render(result: Any) -> None:
        out().print(f"backup written to {_e(result.data['path'])} ({result.data['bytes']:,} bytes)")

    run(Opts(json_out, render=render), admin.backup, file)


@db_app.command("restore")
def restore(
    file: Annotated[str, typer.Argument(help="A backup made by `pcrm db backup`.")],
    yes: o.Yes = False,
    json_out: o.Json = False,
) -> None:
    """Replace the store with a backup (the current store is backed up first).

    Example: pcrm db restore ~/crm-2026-11-28.db --yes
    """
    import sys

    def call(ctx: Any) -> Any:
        if (
            not yes
            and not json_out
            and sys.stdin.isatty()
            and not typer.confirm(f"Replace the current store with {file}?")
        ):
            raise typer.Exit(1)
        return admin.restore(ctx, file)

    def render(result: Any) -> None:
        d = result.data
        out().print(
            f"restored {d['contacts']} contacts from {_e(d['restored_from'])}; "
            f"the previous store is saved at {_e(d['previous_saved_to'])}"
        )

    run(Opts(json_out, render=render), call)


@db_app.command("check")
def check(json_out: o.Json = False) -> None:
    """Check the database, its foreign keys and its search indexes (exit 1 when anything is wrong).

    Example: pcrm db check
    """

    def render(result: Any) -> None:
        if result.data["ok"]:
            out().print("[green]ok[/]: database, foreign keys and search indexes are consistent")
        else:
            for p in result.data["problems"]:
                out().print(f"[red]problem:[/] {_e(p)}")
            raise typer.Exit(1)

    result = run(Opts(json_out, render=render), admin.check)
    if result is not None and not result.data["ok"]:
        raise typer.Exit(1)


@db_app.command("migrate")
def migrate(
    list_: Annotated[
        bool, typer.Option("--list", help="List migrations and whether they are applied.")
    ] = False,
    json_out: o.Json = False,
) -> None:
    """Apply pending migrations (opening the store does this anyway); --list shows them.

    Example: pcrm db migrate --list
    """

    def render(result: Any) -> None:
        for m in result.data:
            mark = "[green]applied[/]" if m["applied"] else "[yellow]pending[/]"
            out().print(f"{m['name']:24} {mark}")

    run(Opts(json_out, render=render), admin.migration_status)
