"""`pcrm auth x`: connect an X account through OAuth 2.0 PKCE [x-api]; `--status`, `disconnect`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, confirm, err, out, run
from pcrm.services import x

app = typer.Typer()


def _as(username: Any) -> str:
    """' as @name', or nothing when X did not say whose account it is (an older connection)."""
    return f" as @{username}" if username else ""


def _connected(result: Any) -> None:
    out().print(f"X connected{_as(result.data['username'])}. Sync it with: pcrm sync twitter", markup=False)


def _status(result: Any) -> None:
    d = result.data
    unready = result.meta.get("unready")
    if d["connected"] and unready:  # tokens stored, but nothing can refresh them: say what is missing
        out().print(f"X: connected{_as(d['username'])}, but it cannot sync: {unready['error']}", markup=False)
        err().print(f"hint: {unready['hint']}", markup=False, soft_wrap=True)
    elif d["connected"]:
        out().print(f"X: connected{_as(d['username'])}", markup=False)
    elif not d["client_configured"]:
        out().print("X: not connected; set the app's client id first: pcrm settings set twitter.client_id ID")
    else:
        out().print("X: not connected; connect it with: pcrm auth x")


@app.callback(invoke_without_command=True)
def connect(
    ctx: typer.Context,
    port: Annotated[
        int,
        typer.Option(help="Local port X redirects to: register http://127.0.0.1:PORT/callback for your app."),
    ] = x.DEFAULT_PORT,
    paste: Annotated[
        bool,
        typer.Option(
            "--paste",
            help="Don't listen on the port: paste the address your browser was sent to (a browser on "
            "another machine; the page itself will not load).",
        ),
    ] = False,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Also open the URL in a browser here.")
    ] = False,
    status: Annotated[bool, typer.Option("--status", help="Only say whether X is connected.")] = False,
    json_out: o.Json = False,
) -> None:
    """Connect your X account: prints X's consent URL, then waits for X to redirect to
    http://127.0.0.1:PORT/callback (or, with --paste, for the redirect address you paste). Needs your X app's
    client id (developer.x.com; `pcrm settings set twitter.client_id ID` or PCRM_X_CLIENT_ID). The tokens go
    to the secret store only.

    Example: pcrm auth x --open
    """
    if ctx.invoked_subcommand is not None:
        return
    if status:
        run(Opts(json_out, render=_status), x.status)
        return

    def say(line: str) -> None:
        err().print(line, markup=False, soft_wrap=True)

    def pasted() -> str:
        return str(typer.prompt("Paste the address X sent your browser to", err=True))

    done = run(
        Opts(json_out, render=_connected),
        x.connect_cli,
        port=port,
        say=say,
        pasted=pasted if paste else None,
        open_browser=open_browser,
    )
    if done is None:
        raise typer.Exit(1)


@app.command("disconnect")
def disconnect(yes: o.Yes = False, json_out: o.Json = False) -> None:
    """Forget the X tokens (what was synced stays). Asks first; --yes when not at a terminal.

    Example: pcrm auth x disconnect --yes
    """

    def call(ctx: Any) -> Any:
        if x.status(ctx).data["connected"]:  # nothing to ask about when X is not connected
            confirm(yes, "Disconnect X and forget its tokens?")
        return x.disconnect(ctx)

    def render(r: Any) -> None:
        said = "X disconnected" if r.meta.get("was_connected") else "X was not connected: nothing to forget"
        out().print(said)

    run(Opts(json_out, render=render), call)
