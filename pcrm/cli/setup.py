"""`pcrm init`, `pcrm paths`, `pcrm demo`, `pcrm db ...`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, confirm, emit, err, fail, out, run
from pcrm.cli._render import BACKUP_COLS, contact_table, list_opts
from pcrm.domain.wording import counted
from pcrm.services import admin
from pcrm.services import demo as svc
from pcrm.services.context import Result


def _e(text: Any) -> str:
    """Paths and messages are printed literally: `[x]` in a folder name is not rich markup."""
    from rich.markup import escape

    return escape(str(text))


db_app = typer.Typer(help="Backups, restore, integrity checks and migrations.", no_args_is_help=True)


def is_terminal() -> bool:
    """Whether a person can answer a question: stdin and stderr (where it is asked) are terminals. Tests
    replace it to drive the prompt."""
    import sys

    return sys.stdin.isatty() and sys.stderr.isatty()


PhoneRegion = Annotated[
    str | None,
    typer.Option(
        "--phone-region",
        help="Country of numbers written without a country code (GB, US, DE, ...; `none` for none). Default: "
        "asked at a terminal, else guessed from the locale (LANG); an existing store keeps its own.",
    ),
]


def _check_region(value: str, json_out: bool) -> None:
    from pcrm.errors import ValidationError
    from pcrm.services.phones import validate_region

    try:
        validate_region(value)
    except ValidationError as e:
        fail(e, json_out)


def _region_for_new_store(json_out: bool) -> str | None:
    """At a terminal, ask, with the locale's country as the default; otherwise the locale's country
    silently (None when it names none) [value-normalisation]."""
    import os

    from pcrm.domain.settings import region_from_locale
    from pcrm.errors import ValidationError
    from pcrm.services.phones import validate_region

    guess = region_from_locale(os.environ)
    if json_out or not is_terminal():
        return guess

    def check(text: str) -> str:
        try:
            return validate_region(text) or "none"
        except ValidationError as e:
            raise typer.BadParameter(f"{e.message} ({e.hint})" if e.hint else e.message) from None

    answer: str = typer.prompt(
        "Country of phone numbers written without a country code (ISO code such as GB or US; none to skip)",
        default=guess or "none",
        value_proc=check,
        err=True,
    )
    return answer


Me = Annotated[
    str | None,
    typer.Option(
        "--me",
        help="Your name as your chats show it (and your emails, comma-separated): chat imports use it to "
        "tell your messages from theirs. Default: asked at a terminal for a new store.",
    ),
]


def _me_for_new_store(json_out: bool) -> str | None:
    """At a terminal, ask for the user's own name (empty: skip); otherwise nothing [me-setting]."""
    if json_out or not is_terminal():
        return None
    answer: str = typer.prompt(
        "Your name as your chats show it, for chat imports "
        "(e.g. Ada Lovelace, ada@example.com; empty to skip)",
        default="",
        show_default=False,
        err=True,
    )
    return answer.strip() or None


def init(phone_region: PhoneRegion = None, me: Me = None, json_out: o.Json = False) -> None:
    """Create the store (safe to run again).

    A new store also gets phone_region, the country of numbers written without a country code: from
    --phone-region, else asked at a terminal (the locale's country as the default), else the locale's
    country. An existing store keeps its setting unless --phone-region is given. Likewise `me`, your own
    name, which chat imports need: from --me, else asked at a terminal for a new store.

    Example: PCRM_HOME=~/crm pcrm init --phone-region GB --me "Ada Lovelace, ada@example.com"
    """
    from pcrm import paths as where

    region = phone_region
    new_store = not where.db_path().exists()
    if region is not None:
        _check_region(region, json_out)  # before the store is created: a typo must not leave one behind
    elif new_store:
        region = _region_for_new_store(json_out) or None
    if me is None and new_store:
        me = _me_for_new_store(json_out)

    def render(result: Any) -> None:
        from pcrm.cli.settings import phone_report

        d = result.data
        out().print(f"store ready at {_e(d['database'])} ({counted(d['contacts'], 'contact')})")
        if "phones" in result.meta and result.meta["phones"]["checked"]:
            phone_report(result.meta["phones"])
        _region_line(d["phone_region"])
        _me_line(result.meta.get("me") or {})

    run(Opts(json_out, render=render), admin.init, phone_region=region, me=me)


def _me_line(me: dict[str, list[str]]) -> None:
    known = [*me.get("names", []), *me.get("emails", []), *me.get("phones", [])]
    known += [f"@{h}" for h in me.get("handles", [])]
    if known:
        out().print(f"[bold]me[/] {_e(', '.join(known))}: chat imports tell your messages by these")
    else:
        out().print("[bold]me[/] not set: chat imports will ask who you are")
        err().print('[yellow]hint:[/] pcrm settings set me "Your Name, you@example.com"')


def _region_line(region: str | None, hint: str | None = None) -> None:
    if region:
        out().print(
            f"[bold]phone_region[/] {_e(region)}: numbers without a country code are read as {_e(region)}"
        )
    else:
        out().print("[bold]phone_region[/] not set: numbers without a country code are kept as digits")
        hint = hint or "pcrm settings set phone_region GB (your country's code)"
        err().print(f"[yellow]hint:[/] {_e(hint)}")


def paths(json_out: o.Json = False) -> None:
    """Show where the database, avatars, backups, exports and run state live.

    Also the store's phone_region (null when there is no store yet).

    Example: pcrm paths
    """

    def render(result: Any) -> None:
        for k, v in result.data.items():
            if k != "phone_region":
                out().print(f"[bold]{k:9}[/] {_e(v)}")
        exists = Path(result.data["database"]).is_file()
        _region_line(
            result.data["phone_region"],
            "pcrm init --phone-region GB (creates the store)" if not exists else None,
        )

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
            f"[green]demo ready:[/] {counted(d['contacts'], 'contact')}, "
            f"{counted(d['interactions'], 'interaction')}, {counted(d['organizations'], 'organization')} "
            f"in {_e(result.meta['database'])}"
        )
        contact_table(
            Result(d["overdue"], {}),
            title="Overdue: high priority, past their follow-up interval",
            extra=("days_overdue", "overdue"),
            fmt="table",  # a show for people, piped or not
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


@db_app.command("backups")
def backups(
    fmt: o.Format = None,
    fields: o.Fields = None,
    json_out: o.Json = False,
    nl: o.Nl = False,
    now: o.Now = None,
) -> None:
    """List the backups in the backups folder, newest first: `pcrm db backup` and the automatic ones taken
    before imports, merges and restores.

    Example: pcrm db backups
    """
    # the store as it is: a newer pcrm's store is refused by every other command, and this lists the way
    # back to an older one [opening-the-store]
    opts = list_opts(
        BACKUP_COLS, fmt, fields, json_out, nl, now, empty="no backups yet; make one with `pcrm db backup`"
    )
    run(replace(opts, migrate=False), admin.list_backups)


@db_app.command("restore")
def restore(
    file: Annotated[
        str, typer.Argument(help="A backup by `pcrm db backup`: its path, or a name `pcrm db backups` lists.")
    ],
    yes: o.Yes = False,
    json_out: o.Json = False,
) -> None:
    """Replace the store with a backup (the current store is backed up first).

    Example: pcrm db backup ~/crm-before.db && pcrm db restore ~/crm-before.db --yes
    """

    def call(ctx: Any) -> Any:
        admin.restorable(file)  # a file it would refuse is refused before the question
        confirm(yes, f"Replace the current store with {file}?")
        return admin.restore(ctx, file)

    def render(result: Any) -> None:
        d = result.data
        out().print(
            f"restored {counted(d['contacts'], 'contact')} from {_e(d['restored_from'])}; "
            f"the previous store is saved at {_e(d['previous_saved_to'])}"
        )

    # opened as it is, so a store a newer pcrm wrote can be replaced; restore migrates what it brings back
    # [opening-the-store]
    run(Opts(json_out, render=render, migrate=False), call)


@db_app.command("check")
def check(
    fix: Annotated[
        bool,
        typer.Option(
            "--fix",
            help="Make PCRM_HOME's folders 0700 and its files 0600 (owner only); remove organization logo "
            "files nothing points at any more.",
        ),
    ] = False,
    json_out: o.Json = False,
) -> None:
    """Check the database, its foreign keys, its search indexes and the file modes under PCRM_HOME
    (exit 1 when anything is wrong); --fix repairs modes that let others read the store. Also lists the
    files pcrm made private by itself when it opened a store others could read, and the organization logo
    files nothing points at any more (--fix removes them).

    Example: pcrm db check --fix
    """

    def render(result: Any) -> None:
        for event in result.data["tightened"]:
            for c in event["changed"]:
                out().print(
                    f"[yellow]made private:[/] {_e(c['path'])}: {_e(c['was'])} -> {_e(c['now'])}, when pcrm "
                    f"opened the store at {_e(event['at'])} (others could read it)"
                )
        for f in result.data["fixed"]:
            out().print(f"[yellow]fixed:[/] {_e(f)}")
        stray = result.data.get("stray_logos") or []
        if stray:  # left by an undo of an older pcrm [bulk-undo]: no problem, taken away by --fix
            out().print(
                f"[yellow]left behind:[/] {counted(len(stray), 'organization logo file')} in the avatars "
                "folder that nothing points at any more (`pcrm db check --fix` removes them)",
                soft_wrap=True,
            )
        for u in result.data["unchecked"]:
            out().print(f"[yellow]not checked:[/] {_e(u)} (run `pcrm db check` again once it is done)")
        if result.data["ok"] and result.data["unchecked"]:
            out().print("[green]ok[/]: everything else checked is consistent; only you can read PCRM_HOME")
        elif result.data["ok"]:
            out().print(
                "[green]ok[/]: database, foreign keys and search indexes are consistent; "
                "only you can read PCRM_HOME"
            )
        else:
            for p in result.data["problems"]:
                out().print(f"[red]problem:[/] {_e(p)}")
            if result.data.get("hint"):
                err().print(f"[yellow]hint:[/] {_e(result.data['hint'])}", soft_wrap=True)
            raise typer.Exit(1)

    result = run(Opts(json_out, render=render), admin.check, fix=fix)
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

    def done(result: Any) -> None:  # what it did, not the list (--list shows that)
        d = result.data
        if d["applied"]:
            out().print(f"applied {counted(len(d['applied']), 'migration')}: {', '.join(d['applied'])}")
        else:
            out().print(f"up to date: nothing to apply ({counted(d['known'], 'migration')} applied)")

    # the store opened as it is: the list shows what is pending, and the command itself applies it and says so
    if list_:
        run(Opts(json_out, render=render, migrate=False), admin.migration_status)
    else:
        run(Opts(json_out, render=done, migrate=False), admin.migrate)
