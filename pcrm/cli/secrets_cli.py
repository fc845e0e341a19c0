"""`pcrm secrets status|encrypt`: where pcrm keeps its secrets [secret-store] and a passphrase for the
file."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm import secrets
from pcrm.cli import _options as o
from pcrm.cli import _output
from pcrm.cli._output import emit, fail, out
from pcrm.domain.wording import counted
from pcrm.errors import BadRequest, PcrmError
from pcrm.services.context import Result

app = typer.Typer(
    help="Where pcrm keeps its secrets (OAuth tokens, keys): status, encrypt with a passphrase.",
    no_args_is_help=True,
)


def _render(result: Any) -> None:
    from rich.markup import escape

    d = result.data
    console = out()
    if d["backend"] == "keyring":
        console.print("secrets are in the OS keyring")
        return
    mode = d.get("file_mode")
    shown = f"mode {mode}" if mode else "not written yet"
    console.print(f"secrets are in {escape(d['path'])} ({shown}): {escape(d['protection'])}", highlight=False)
    if mode and int(mode, 8) & 0o077:
        warning = f"warning: others can read {escape(d['path'])}; fix it with `pcrm db check --fix`"
        console.print(warning, highlight=False)
    if "secrets" in d:
        console.print(
            f"{counted(d['secrets'], 'secret')} re-written with the passphrase; commands that need one "
            "will ask for it at the terminal, and a daemon started without a terminal needs it as "
            "PCRM_SECRET_KEY",
            highlight=False,
        )


@app.command("status")
def status(json_out: o.Json = False) -> None:
    """Show where secrets live and how the file is protected (never the secrets themselves).

    Example: pcrm secrets status
    """
    emit(Result(secrets.describe()), json_out=json_out, render=_render)


def _new_passphrase() -> str:
    """Asked twice at a terminal; anywhere else read from stdin's first line, as `secrets set` reads a
    key. Nothing piped is refused with a hint: click's prompt read the EOF and said only "Aborted!"."""
    import sys

    if _output.at_terminal():  # looked up now: tests stand in for the terminal
        return str(typer.prompt("New passphrase", hide_input=True, confirmation_prompt=True, err=True))
    passphrase = sys.stdin.readline().rstrip("\r\n")
    if not passphrase:
        raise BadRequest(
            "not at a terminal and no passphrase on stdin; nothing changed",
            hint="run `pcrm secrets encrypt` in a terminal, or pipe the passphrase in on one line",
        )
    return passphrase


@app.command("encrypt")
def encrypt(json_out: o.Json = False) -> None:
    """Encrypt the secret file with a passphrase (for machines without an OS keyring). You are asked for
    it twice (a script pipes it in on one line); it is never stored, so commands that need a secret ask for
    it again.

    Example: pcrm secrets encrypt
    """
    try:
        secrets.describe()  # a bad PCRM_SECRETS_BACKEND is reported before asking anything
        passphrase = _new_passphrase()
        emit(Result(secrets.encrypt(passphrase)), json_out=json_out, render=_render)
    except PcrmError as e:
        fail(e, json_out)


@app.command("set")
def set_(
    name: Annotated[str, typer.Argument(help="apollo (enrichment) or mapbox (geocoding).")],
    json_out: o.Json = False,
) -> None:
    """Store a service key (apollo, mapbox); it is asked for at the terminal (or read from stdin).

    Example: pcrm secrets set apollo
    """
    import sys

    from pcrm.services import service_keys

    try:
        service_keys.check_name(name)  # a typo is refused before the key is pasted
        value = (
            typer.prompt(f"Value for {name}", hide_input=True, err=True)
            if sys.stdin.isatty()
            else sys.stdin.readline()
        )
        emit(
            Result(service_keys.set_key(name, value)),
            json_out=json_out,
            render=lambda r: out().print(f"secret {r.data['name']} stored"),
        )
    except PcrmError as e:
        fail(e, json_out)


@app.command("rm")
def rm(
    name: Annotated[str, typer.Argument(help="apollo or mapbox.")],
    json_out: o.Json = False,
) -> None:
    """Forget a service key (apollo, mapbox).

    Example: pcrm secrets rm apollo
    """
    from pcrm.services import service_keys

    try:
        emit(
            Result(service_keys.delete_key(name)),
            json_out=json_out,
            render=lambda r: out().print(
                f"secret {r.data['name']} {'removed' if r.data['deleted'] else 'was not set'}"
            ),
        )
    except PcrmError as e:
        fail(e, json_out)
