"""`pcrm auth whatsapp connect | qr | status | disconnect | secret`: link WhatsApp through the sidecar
[whatsapp-sidecar] and set the webhook secret [whatsapp-webhook]. Each command is one service call, the same
the API's `auth/whatsapp/*` routes make."""

from __future__ import annotations

from typing import Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, err, moment, out, run
from pcrm.services import whatsapp

app = typer.Typer(
    help="Link WhatsApp through the sidecar; its messages arrive by signed webhook.", no_args_is_help=True
)


def _qr(result: Any) -> None:
    d = result.data
    out().print(f"status: {d['status']}", markup=False)
    if d.get("qr"):
        err().print("scan this in WhatsApp > Settings > Linked devices > Link a device:", markup=False)
        out().print(d["qr"], markup=False)
    if d.get("webhook_secret_set") is False:
        err().print("no webhook secret yet: pcrm auth whatsapp secret", markup=False)


@app.command("connect")
def connect(json_out: o.Json = False) -> None:
    """Start the WhatsApp session at the sidecar and print the QR payload to scan (then: pcrm auth whatsapp
    status).

    Example: pcrm auth whatsapp connect
    """
    run(Opts(json_out, render=_qr), whatsapp.connect)


@app.command("qr")
def qr(json_out: o.Json = False) -> None:
    """The session's current QR payload (it changes every ~20 s until scanned).

    Example: pcrm auth whatsapp qr --json
    """
    run(Opts(json_out, render=_qr), whatsapp.qr)


def _status(result: Any) -> None:
    d = result.data
    lines = [
        f"sidecar session: {d['status']}",
        f"connected: {'yes' if d['connected'] else 'no'}" + (f" ({d['phone']})" if d.get("phone") else ""),
        f"last backfill: {moment(d['last_synced_at']) if d['last_synced_at'] else 'never'}",
        f"webhook secret: {'set' if d['webhook_secret_set'] else 'not set (pcrm auth whatsapp secret)'}",
    ]
    out().print("\n".join(lines), markup=False)
    if result.meta.get("problem"):
        err().print(
            f"warning: {result.meta['problem']}\nhint: {result.meta['hint']}", markup=False, soft_wrap=True
        )


@app.command("status")
def status(json_out: o.Json = False) -> None:
    """The sidecar's session status and what pcrm knows of the link.

    Example: pcrm auth whatsapp status
    """
    run(Opts(json_out, render=_status), whatsapp.status)


@app.command("disconnect")
def disconnect(json_out: o.Json = False) -> None:
    """End the session at the sidecar (best effort) and forget the link; synced messages stay.

    Example: pcrm auth whatsapp disconnect
    """
    run(
        Opts(json_out, render=lambda r: out().print("WhatsApp disconnected", markup=False)),
        whatsapp.disconnect,
    )


def _secret(result: Any) -> None:
    err().print(
        ("rotated: " if result.data["rotated"] else "")
        + "set this as the sidecar's WEBHOOK_SECRET; it is not shown again:",
        markup=False,
    )
    out().print(result.data["secret"], markup=False)


@app.command("secret")
def secret(json_out: o.Json = False) -> None:
    """Set (or rotate) the secret the sidecar signs webhooks with, and print it once. Webhooks signed with an
    older secret are refused from now on.

    Example: pcrm auth whatsapp secret
    """
    run(Opts(json_out, render=_secret), whatsapp.rotate_secret)
