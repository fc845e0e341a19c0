"""`pcrm send CONTACT TEXT [--at WHEN]`: POST /contacts/{id}/send-message [telegram-send]."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, Ref, moment, out, run
from pcrm.services import contacts, telegram_contact


def _sent(result: Any) -> None:
    d = result.data
    when = f"scheduled for {moment(d['scheduled_for'])}" if d["scheduled_for"] else "sent"
    out().print(f"Telegram message {when} (message {d['message_id']}); logged on the contact's timeline.")


def send(
    contact: Annotated[
        str, typer.Argument(help="A contact: id or id prefix, email, full name, first name or @handle.")
    ],
    text: Annotated[str, typer.Argument(help="The message; - reads it from stdin.")],
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="Send later with Telegram's scheduled send: in 2h, tomorrow 09:00, 2026-12-24T09:00.",
        ),
    ] = None,
    channel: Annotated[str, typer.Option("--channel", help="Only telegram is available.")] = "telegram",
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Send a Telegram message to a contact, now or scheduled (it is logged as an outbound interaction).

    Example: pcrm send ada "Congrats on the launch! Coffee next week?"

    Example: pcrm send ada "Happy birthday!" --at "tomorrow 09:00"
    """
    text = o.text_or_stdin(text)
    run(
        Opts(json_out, now=now, render=_sent),
        telegram_contact.send_message,
        Ref(contacts.resolve_ref, contact),
        {"message": text, "channel": channel, "scheduled_for": at},
    )
