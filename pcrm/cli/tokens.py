"""`pcrm token create|list|revoke [--calendar]`: script tokens for the API [opaque-tokens], and calendar
tokens for the follow-up calendar feed (`--calendar`: GET /api/v1/calendar.ics?token=..., [public-routes],
[followup-calendar])."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, confirm, err, moment, run, when
from pcrm.cli._render import done, list_opts
from pcrm.cli._table import Col
from pcrm.services import tokens

app = typer.Typer(help="API tokens for scripts: create, list, revoke.", no_args_is_help=True)

Name = Annotated[str, typer.Argument(help="A name to recognise the token by, e.g. laptop-scripts.")]
Calendar = Annotated[
    bool,
    typer.Option(
        "--calendar",
        help="A calendar-feed token (only opens /api/v1/calendar.ics?token=...; not an API token).",
    ),
]


def _daemon_url() -> str:
    """The running daemon's URL, else where `pcrm serve` listens by default: the feed's address must be the
    one the daemon answers on (it was always port 8765, even with a daemon on another port)."""
    from pcrm.daemon.server import running

    live = running()
    return str(live["url"]) if live and live.get("url") else "http://127.0.0.1:8765"


def _created(result: Any) -> None:
    import sys

    sys.stdout.write(result.data["token"] + "\n")
    if "feed" in result.meta:
        err().print(
            f"created calendar token {result.data['name']!r}: it is shown only now, store it somewhere "
            f"safe.\nWhile `pcrm serve` runs, subscribe your calendar app to {_daemon_url()}"
            "/api/v1/calendar.ics?token=TOKEN; revoke it with "
            f"`pcrm token revoke --calendar {result.data['name']}`.",
            markup=False,
        )
        return
    err().print(
        f"created token {result.data['name']!r}: it is shown only now, store it somewhere safe.\n"
        "Use it as `Authorization: Bearer TOKEN`; revoke it with "
        f"`pcrm token revoke {result.data['name']}`.",
        markup=False,
    )


@app.command("create")
def create(name: Name, calendar: Calendar = False, json_out: o.Json = False) -> None:
    """Create an API token (shown once; works as a login token, even before any account exists).
    With --calendar: a token for the follow-up calendar feed only.

    Example: pcrm token create laptop-scripts
    """
    run(Opts(json_out, render=_created), tokens.create_script_token, name, calendar=calendar)


# names and dates only: the tokens themselves are never shown again [readable-tables]
COLS = (
    Col("name", lambda t: t["name"], keep=9, flex=True, least=12, most=40),
    Col("created", lambda t: moment(t["created_at"]), keep=8, short=lambda t: when(t["created_at"])),
    Col("last used", lambda t: moment(t["last_used_at"]), keep=7, short=lambda t: when(t["last_used_at"])),
    Col("revoked", lambda t: moment(t["revoked_at"]), keep=6, short=lambda t: when(t["revoked_at"])),
)


def _no_tokens(all_: bool, calendar: bool) -> str:
    """What an empty token list says, with the command that makes one [readable-tables]."""
    create = "pcrm token create --calendar NAME" if calendar else "pcrm token create NAME"
    if all_:
        return f"no tokens; create one with `{create}`"
    return f"no live tokens (`pcrm token list --all` shows revoked ones too); create one with `{create}`"


@app.command("list")
def list_(
    all_: Annotated[bool, typer.Option("--all", help="Include revoked tokens.")] = False,
    calendar: Calendar = False,
    fmt: o.Format = None,
    fields: o.Fields = None,
    json_out: o.Json = False,
    nl: o.Nl = False,
) -> None:
    """List API tokens (names and dates; the tokens themselves are never shown again; --format, --fields).
    Calendar-feed tokens are listed with --calendar; each listing says how many of the other kind exist.

    Example: pcrm token list --all
    """
    opts = list_opts(COLS, fmt, fields, json_out, nl, empty=_no_tokens(all_, calendar))
    rows = opts.render

    def render(result: Any) -> None:
        assert rows is not None
        rows(result)
        _other_kind(result.meta["other_kind"])

    run(
        Opts(opts.json_out, nl=opts.nl, render=render),
        tokens.list_script_tokens,
        include_revoked=all_,
        calendar=calendar,
    )


def _other_kind(other: dict[str, Any]) -> None:
    """On stderr, under the rows: the live tokens of the other kind, which the listing leaves out, and the
    command that lists them [opaque-tokens]."""
    n = other["live"]
    if not n:
        return
    if other["kind"] == "calendar":
        what, command = f"calendar-feed token{'s' if n > 1 else ''}", "pcrm token list --calendar"
    else:
        what, command = f"API token{'s' if n > 1 else ''}", "pcrm token list"
    err().print(f"{n} live {what} not listed here: `{command}`", markup=False)


@app.command("revoke")
def revoke(name: Name, calendar: Calendar = False, yes: o.Yes = False, json_out: o.Json = False) -> None:
    """Revoke an API token: requests using it get 401 from now on. Asks first; --yes when not at a terminal.

    Example: pcrm token create laptop-scripts && pcrm token revoke laptop-scripts --yes
    """

    def call(ctx: Any) -> Any:
        if not yes:  # a name with nothing to revoke says so before anyone is asked
            tokens.live_script_token(ctx, name, calendar=calendar)
        confirm(yes, f"Revoke the token {name}? Scripts using it get 401 from now on.")
        return tokens.revoke_script_token(ctx, name, calendar=calendar)

    run(Opts(json_out, render=done("revoked {name}")), call)
