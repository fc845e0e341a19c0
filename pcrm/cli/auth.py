"""`pcrm auth PLATFORM`: connect an account. `pcrm auth google [accounts | rm ACCOUNT]` runs the
installed-app loopback flow, lists and removes accounts [google-oauth]; `pcrm auth telegram` logs in
[telegram-login]; `pcrm auth x` is in auth_x.py [x-api]. Prompts are the shell's; every step is a service
call, the same the API's auth routes make."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli import auth_whatsapp, auth_x
from pcrm.cli._output import Opts, confirm, emit, err, moment, out, run
from pcrm.cli._table import Col
from pcrm.services import google, telegram

app = typer.Typer(
    help="Connect your accounts (Google, Telegram, X, WhatsApp) so pcrm can sync them.", no_args_is_help=True
)
google_app = typer.Typer()
app.add_typer(google_app, name="google")
telegram_app = typer.Typer()
app.add_typer(telegram_app, name="telegram")
app.add_typer(auth_whatsapp.app, name="whatsapp")
app.add_typer(auth_x.app, name="x")


def _connected(result: Any) -> None:
    out().print(
        f"connected {result.data['email']}: pcrm sync gmail, pcrm sync google, pcrm sync google-calendar",
        markup=False,
    )


@google_app.callback(invoke_without_command=True)
def connect(
    ctx: typer.Context,
    # a str, not a Path click checks: a missing file is an error naming it (exit 1), not a usage error
    client_file: Annotated[
        str | None,
        typer.Option(
            "--client-file",
            help="The OAuth client JSON downloaded from Google Cloud console (a Desktop app client): stored "
            "once, then optional.",
        ),
    ] = None,
    port: Annotated[
        int, typer.Option(help="Local port Google redirects to (forward it over SSH: ssh -L N:localhost:N).")
    ] = 8799,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Also open the URL in a browser here.")
    ] = False,
    json_out: o.Json = False,
) -> None:
    """Connect a Google account: prints the consent URL, then waits for Google to redirect to
    http://localhost:PORT/ (run it again to add another account).

    Example: pcrm auth google --client-file ~/Downloads/client_secret.json
    """
    if ctx.invoked_subcommand is not None:
        return

    def say(line: str) -> None:
        err().print(line, markup=False)

    if (
        run(
            Opts(json_out, render=_connected),
            google.connect_loopback,
            client_path=client_file,
            port=port,
            open_browser=open_browser,
            say=say,
        )
        is None
    ):
        raise typer.Exit(1)


# one line an account [readable-tables]
GOOGLE_COLS = (
    Col("id", lambda a: a["id"], keep=9, short=lambda a: a["id"][:8]),
    Col("email", lambda a: a["email"], keep=9, flex=True, least=20, most=60),
    Col("connected at", lambda a: moment(a["created_at"]), keep=6),
    Col("token", lambda a: "stored" if a["connected"] else "missing", keep=8),
)


@google_app.command("accounts")
def list_accounts(fmt: o.Format = None, fields: o.Fields = None, json_out: o.Json = False) -> None:
    """The connected Google accounts (--format, --fields).

    Example: pcrm auth google accounts
    """
    from pcrm.cli._render import list_opts

    opts = list_opts(
        GOOGLE_COLS, fmt, fields, json_out, False, empty="no Google account is connected: pcrm auth google"
    )
    run(opts, google.list_accounts)


@google_app.command("rm")
def remove(
    account: Annotated[str, typer.Argument(help="The account's email or id.")],
    yes: o.Yes = False,
    json_out: o.Json = False,
) -> None:
    """Forget a Google account and its token (what it synced stays). Asks first; --yes when not at a
    terminal.

    Example: pcrm auth google rm ada@gmail.com --yes
    """

    def call(ctx: Any) -> Any:
        found = google.account_id(ctx, account)  # an account that is not there is said before the question
        confirm(yes, f"Forget the Google account {account} and its token?")
        return google.delete_account(ctx, found)

    run(Opts(json_out, render=lambda r: out().print(f"removed {account}", markup=False)), call)


def _quiet(result: Any) -> None:
    return None


@telegram_app.callback(invoke_without_command=True)
def telegram_login(
    ctx: typer.Context,
    phone: Annotated[
        str | None, typer.Option("--phone", help="Your number with its country code; asked for if left out.")
    ] = None,
    status: Annotated[bool, typer.Option("--status", help="Only say whether Telegram is connected.")] = False,
    json_out: o.Json = False,
) -> None:
    """Log in to Telegram: your phone number, the code Telegram sends you, then your two-step
    verification password if you set one (code and password are not shown as you type). Needs the API id
    and hash of your own Telegram app (my.telegram.org), asked for the first time. The session is kept in
    the secret store only.

    Example: pcrm auth telegram --phone +12025550123
    """
    if ctx.invoked_subcommand is not None:
        return
    if status:
        run(Opts(json_out, render=_telegram_status), telegram.login_status)
        return
    quiet = Opts(render=_quiet)
    state = run(quiet, telegram.login_status)
    if state is not None and not state.data["has_api"]:
        err().print("Telegram needs the API id and hash of your own app: https://my.telegram.org")
        api_id = typer.prompt("API id", err=True)
        api_hash = typer.prompt("API hash", hide_input=True, err=True)
        run(quiet, telegram.save_api, api_id, api_hash)
    number = phone or typer.prompt("Phone number (with country code)", err=True)
    sent = run(quiet, telegram.connect, {"phone": number})
    code = typer.prompt("Code Telegram sent you", hide_input=True, err=True)
    body = {"phone": number, "code": code, "phone_code_hash": sent.data["phone_code_hash"]}
    done = Opts(json_out, render=_render)
    first = run(quiet, telegram.verify, body)
    if first.data.get("requires_2fa"):
        password = typer.prompt("Two-step verification password", hide_input=True, err=True)
        run(done, telegram.verify_2fa, {"password": password})
    else:
        emit(first, json_out=json_out, render=_render)


def _render(result: Any) -> None:
    user = result.data.get("username")
    out().print(
        f"[green]Telegram connected[/]{f' as @{user}' if user else ''}. Sync it with: pcrm sync telegram"
    )


def _telegram_status(result: Any) -> None:
    d = result.data
    if d["connected"]:
        user = d.get("username")
        out().print(f"Telegram: connected{f' as @{user}' if user else ''}", markup=False)
    elif not d["has_api"]:
        out().print("Telegram: not connected; it needs your app's API id and hash: pcrm auth telegram")
    else:
        out().print("Telegram: not connected; connect it with: pcrm auth telegram")


@telegram_app.command("disconnect")
def telegram_disconnect(yes: o.Yes = False, json_out: o.Json = False) -> None:
    """Log out at Telegram (when it can be reached) and forget the session, the username and where syncs
    stopped; what was synced stays. Asks first; --yes when not at a terminal.

    Example: pcrm auth telegram disconnect --yes
    """

    def call(ctx: Any) -> Any:
        confirm(yes, "Disconnect Telegram and forget its session?")
        return telegram.disconnect(ctx)

    run(Opts(json_out, render=lambda r: out().print("Telegram disconnected")), call)
