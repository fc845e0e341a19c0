"""`pcrm account create EMAIL | show | password`: the local account [local-account], the login the web UI and
the browser extension's pairing need. Each command calls the service the matching /auth route calls
(register, me, change-password). Passwords are asked at the terminal without echo, twice when new, or read
from stdin with --password-stdin (for scripts); they are never printed."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli import _output
from pcrm.cli._output import Opts, err, moment, run
from pcrm.domain.wording import counted
from pcrm.errors import BadRequest
from pcrm.services import auth

app = typer.Typer(
    help="The local account: the login of the web UI and the browser extension.", no_args_is_help=True
)

PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from stdin, one per line, instead of asking (for scripts).",
    ),
]


def _passwords(from_stdin: bool, prompts: tuple[tuple[str, bool], ...], command: str) -> list[str]:
    """One password per prompt (text, whether it is a new one, asked twice): from stdin's lines in that
    order with --password-stdin, else asked at the terminal without echo. Anywhere else nobody could
    type them, nor can a stdin that ends too soon tell them, so it refuses before anything changes."""
    import sys

    if from_stdin:
        lines = [sys.stdin.readline() for _ in prompts]
        if not lines[-1]:  # stdin ended first: an empty password is a blank line, not a missing one
            wanted = " then ".join(f"the {text.lower()}" for text, _new in prompts)
            raise BadRequest(
                f"--password-stdin read {sum(1 for x in lines if x)} of {counted(len(prompts), 'line')} "
                f"({wanted}); nothing changed",
                hint="pipe one line per password, e.g. printf '%s\\n' "
                + " ".join(f'"${text.split()[0].upper()}"' for text, _new in prompts)
                + f" | {command} --password-stdin",
            )
        return [x.rstrip("\r\n") for x in lines]
    if not _output.at_terminal():  # looked up now: tests stand in for the terminal
        raise BadRequest(
            "not at a terminal, so the password cannot be asked for; nothing changed",
            hint="pipe it in with --password-stdin (one line per password asked)",
        )
    return [
        str(typer.prompt(text, hide_input=True, confirmation_prompt=new, err=True)) for text, new in prompts
    ]


def _created(result: Any) -> None:
    err().print(
        f"account {result.data['email']} created: log in to the web UI with it, and pair the browser "
        "extension with `pcrm extension pair CODE`.",
        markup=False,
    )


@app.command("create")
def create(
    email: Annotated[str, typer.Argument(help="The email you log in with.")],
    name: Annotated[str | None, typer.Option("--name", help="Your full name.")] = None,
    password_stdin: PasswordStdin = False,
    json_out: o.Json = False,
) -> None:
    """Create the local account (once per store); the password is asked twice, without echo.

    Example: pcrm account create ada@example.com --name "Ada Lovelace"
    """
    data: dict[str, Any] = {"email": email, "full_name": name}

    def call(ctx: Any) -> Any:
        auth.check_register(ctx, data)  # a bad email or a second account is refused before the prompt
        (password,) = _passwords(password_stdin, (("Password", True),), f"pcrm account create {email}")
        return auth.register(ctx, {**data, "password": password})

    run(Opts(json_out, render=_created), call)


def _shown(result: Any) -> None:
    d = result.data
    print(f"{d['email']}  {d['full_name'] or '-'}  created {moment(d['created_at'])}")


@app.command("show")
def show(json_out: o.Json = False) -> None:
    """Show the local account (--json: what GET /api/v1/auth/me answers).

    Example: pcrm account create ada@example.com && pcrm account show
    """
    run(Opts(json_out, render=_shown), auth.me)


def _changed(result: Any) -> None:
    err().print(f"password changed: {result.meta['note']}", markup=False)


@app.command("password")
def password(password_stdin: PasswordStdin = False, json_out: o.Json = False) -> None:
    """Change the account's password: asks the current one, then the new one twice. Every login token
    issued before stops working. With --password-stdin: the current password on the first line, the new
    one on the second.

    Example: pcrm account create ada@example.com && pcrm account password
    """

    def call(ctx: Any) -> Any:
        auth.me(ctx)  # no account: said before anything is asked
        prompts = (("Current password", False), ("New password", True))
        current, new = _passwords(password_stdin, prompts, "pcrm account password")
        return auth.change_password(ctx, {"current_password": current, "new_password": new})

    run(Opts(json_out, render=_changed), call)
