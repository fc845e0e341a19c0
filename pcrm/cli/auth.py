"""`pcrm auth PLATFORM`: connect an account [telegram-login]. Prompts are the shell's; every step is a service
call, the same the API's auth routes make."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, emit, err, out, run
from pcrm.services import telegram

app = typer.Typer(help="Connect your accounts (Telegram, ...) so pcrm can sync them.")


def _quiet(result: Any) -> None:
    return None


@app.command("telegram")
def telegram_login(
    phone: Annotated[
        str | None, typer.Option("--phone", help="Your number with its country code; asked for if left out.")
    ] = None,
    json_out: o.Json = False,
) -> None:
    """Log in to Telegram: your phone number, the code Telegram sends you, then your two-step
    verification password if you set one (code and password are not shown as you type). Needs the API id
    and hash of your own Telegram app (my.telegram.org), asked for the first time. The session is kept in
    the secret store only.

    Example: pcrm auth telegram --phone +12025550123
    """
    quiet = Opts(render=_quiet)
    state = run(quiet, telegram.login_status)
    if state is not None and not state.data["has_api"]:
        err().print("Telegram needs the API id and hash of your own app: https://my.telegram.org")
        api_id = typer.prompt("API id")
        api_hash = typer.prompt("API hash", hide_input=True)
        run(quiet, telegram.save_api, api_id, api_hash)
    number = phone or typer.prompt("Phone number (with country code)")
    sent = run(quiet, telegram.connect, {"phone": number})
    code = typer.prompt("Code Telegram sent you", hide_input=True)
    body = {"phone": number, "code": code, "phone_code_hash": sent.data["phone_code_hash"]}
    done = Opts(json_out, render=_render)
    first = run(quiet, telegram.verify, body)
    if first.data.get("requires_2fa"):
        password = typer.prompt("Two-step verification password", hide_input=True)
        run(done, telegram.verify_2fa, {"password": password})
    else:
        emit(first, json_out=json_out, render=_render)


def _render(result: Any) -> None:
    user = result.data.get("username")
    out().print(
        f"[green]Telegram connected[/]{f' as @{user}' if user else ''}. Sync it with: pcrm sync telegram"
    )
