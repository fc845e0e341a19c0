"""`pcrm auth google [accounts | rm ACCOUNT]`: connect Google accounts through the installed-app loopback
flow, list and remove them [google-oauth]."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, err, out, run
from pcrm.services import google

app = typer.Typer(help="Connect your accounts (Google; other platforms come later).", no_args_is_help=True)
google_app = typer.Typer()
app.add_typer(google_app, name="google")


def _connected(result: Any) -> None:
    out().print(
        f"connected {result.data['email']}: pcrm sync gmail, pcrm sync google, pcrm sync google-calendar",
        markup=False,
    )


@google_app.callback(invoke_without_command=True)
def connect(
    ctx: typer.Context,
    client_file: Annotated[
        Path | None,
        typer.Option(
            "--client-file",
            help="The OAuth client JSON downloaded from Google Cloud console (a Desktop app client): stored "
            "once, then optional.",
            exists=True,
            dir_okay=False,
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
    text = client_file.read_text(encoding="utf-8") if client_file is not None else None

    def say(line: str) -> None:
        err().print(line, markup=False)

    if (
        run(
            Opts(json_out, render=_connected),
            google.connect_loopback,
            client_file=text,
            port=port,
            open_browser=open_browser,
            say=say,
        )
        is None
    ):
        raise typer.Exit(1)


def _table(result: Any) -> None:
    from rich.table import Table

    if not result.data:
        out().print("no Google account is connected: pcrm auth google")
        return
    t = Table("id", "email", "connected at", "token")
    for a in result.data:
        t.add_row(
            a["id"][:8],
            a["email"],
            a["created_at"][:16].replace("T", " "),
            "stored" if a["connected"] else "missing",
        )
    out().print(t)


@google_app.command("accounts")
def list_accounts(json_out: o.Json = False) -> None:
    """The connected Google accounts.

    Example: pcrm auth google accounts
    """
    run(Opts(json_out, render=_table), google.list_accounts)


@google_app.command("rm")
def remove(
    account: Annotated[str, typer.Argument(help="The account's email or id.")],
    json_out: o.Json = False,
) -> None:
    """Forget a Google account and its token (what it synced stays).

    Example: pcrm auth google rm ada@gmail.com
    """
    run(
        Opts(json_out, render=lambda r: out().print(f"removed {account}", markup=False)),
        google.remove_account,
        account,
    )
