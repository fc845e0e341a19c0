"""`pcrm send CONTACT TEXT [--at WHEN]`: POST /contacts/{id}/send-message; `pcrm send --list [CONTACT]` and
`pcrm send --cancel ID`: the scheduled ones (no API route) [telegram-send].

Options rather than `send list` / `send cancel` subcommands: a group would read the first word as a
command's name, and `pcrm send list "hi"` to a contact called List would stop working."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, Ref, err, moment, out, run
from pcrm.cli._render import list_opts
from pcrm.cli._table import Col
from pcrm.services import contacts, telegram_contact


class _Usage(typer.BadParameter):
    """A usage error (exit 2, after the usage line) worded as it stands, as Typer's own `Missing argument`:
    CONTACT and TEXT are optional to Typer, since --list and --cancel take neither."""

    def format_message(self) -> str:
        return self.message


def _sent(result: Any) -> None:
    d = result.data
    when = f"scheduled for {moment(d['scheduled_for'])}" if d["scheduled_for"] else "sent"
    out().print(f"Telegram message {when} (message {d['message_id']}); logged on the contact's timeline.")


def _cancelled(result: Any) -> None:
    d = result.data
    line = f"Cancelled scheduled message {d['message_id']}; removed from the contact's timeline."
    if not d["on_telegram"]:
        line += " Telegram no longer held it: cancelled in the app, or sent (the next sync brings that back)."
    out().print(line)


def _on_telegram(s: dict[str, Any]) -> str:
    return {True: "yes", False: "no", None: "?"}[s["on_telegram"]]


SCHEDULED_COLS = (
    Col("id", lambda s: s["id"], keep=9, short=lambda s: s["id"][:8]),
    Col("when", lambda s: moment(s["scheduled_for"]), keep=10),
    Col("contact", lambda s: s["display_name"], keep=8, flex=True, least=12, most=30),
    Col("on telegram", _on_telegram, keep=7),
    Col("message", lambda s: s["message"] or "", keep=6, flex=True, least=20, most=200),
)


def send(
    contact: Annotated[
        str | None,
        typer.Argument(
            help="A contact: id or id prefix, email, full name, first name or @handle (--list: only theirs)."
        ),
    ] = None,
    text: Annotated[str | None, typer.Argument(help=f"The message; {o.FROM_STDIN}")] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="Send later with Telegram's scheduled send: in 2h, tomorrow 09:00, friday 17:00, "
            "2026-12-24T09:00.",
        ),
    ] = None,
    channel: Annotated[str, typer.Option("--channel", help="Only telegram is available.")] = "telegram",
    list_: Annotated[
        bool,
        typer.Option(
            "--list", help="List the messages scheduled and not yet sent (all, or CONTACT's), soonest first."
        ),
    ] = False,
    cancel: Annotated[
        str | None,
        typer.Option("--cancel", metavar="ID", help="Cancel a scheduled message: its id from --list."),
    ] = None,
    fmt: o.Format = None,
    fields: o.Fields = None,
    json_out: o.Json = False,
    nl: o.Nl = False,
    now: o.Now = None,
) -> None:
    """Send a Telegram message to a contact, now or scheduled (it is logged as an outbound interaction).

    --list shows what is scheduled, as pcrm recorded it and as Telegram holds it (`on telegram`: no when it
    was sent or cancelled in the app since); --cancel ID takes one out of Telegram's schedule and off the
    contact's timeline.

    Example: pcrm send "Ada Lovelace" "Congrats on the launch! Coffee next week?"

    Example: pcrm send "Ada Lovelace" "Happy birthday!" --at "tomorrow 09:00"

    Example: pcrm send --list

    Example: pcrm send --cancel "$(pcrm send --list --json | jq -r '.data[0].id')"
    """
    if list_ or cancel is not None:
        _scheduled(contact, text, at, list_, cancel, fmt, fields, json_out, nl, now)
        return
    if contact is None or text is None:
        raise _Usage(f"Missing argument '{'contact' if contact is None else 'text'}'.")
    text = o.text_or_stdin(text)
    run(
        Opts(json_out, now=now, render=_sent, options=(("scheduled_for", "--at"),)),
        telegram_contact.send_message,
        Ref(contacts.resolve_ref, contact),
        {"message": text, "channel": channel, "scheduled_for": at},
    )


def _scheduled(
    contact: str | None,
    text: str | None,
    at: str | None,
    list_: bool,
    cancel: str | None,
    fmt: str | None,
    fields: str | None,
    json_out: bool,
    nl: bool,
    now: str | None,
) -> None:
    """--list [CONTACT] or --cancel ID: each alone, never with a message to send."""
    if list_ and cancel is not None:
        raise _Usage("give --list or --cancel, not both")
    flag = "--list" if list_ else "--cancel"
    if text is not None or at is not None or (cancel is not None and contact is not None):
        extra = "" if list_ else ", or a contact"
        raise _Usage(f"{flag} sends nothing: give it no message, no --at{extra}")
    if cancel is not None:
        run(Opts(json_out, now=now, render=_cancelled), telegram_contact.cancel_scheduled, cancel)
        return
    opts = list_opts(
        SCHEDULED_COLS,
        fmt,
        fields,
        json_out,
        nl,
        now,
        empty="nothing scheduled; schedule a message with `pcrm send CONTACT TEXT --at TIME`",
    )

    def render(result: Any) -> None:
        assert opts.render is not None
        opts.render(result)
        if result.meta.get("unchecked"):
            err().print(
                f"not checked with Telegram: {result.meta['unchecked']}", soft_wrap=True, markup=False
            )

    args = (Ref(contacts.resolve_ref, contact),) if contact is not None else ()
    run(dataclasses.replace(opts, render=render), telegram_contact.scheduled_sends, *args)
