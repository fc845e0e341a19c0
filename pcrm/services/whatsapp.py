"""WhatsApp's own use cases [whatsapp-sidecar]: linking the account through the sidecar (connect, QR,
status, disconnect), the webhook secret, and the connection state `/auth/me` shows. The webhook itself is
`whatsapp_webhook.py`; the backfill is the `whatsapp` source's sync (`pcrm sync whatsapp`).

The state (`_internal.whatsapp`: connected, phone, last_synced_at) is set by the sidecar's webhook events and
by these calls. A sidecar that does not answer is 502 `upstream_error` with the setting that points at it.
"""

from __future__ import annotations

import secrets as random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pcrm import secrets as secret_store
from pcrm.errors import PcrmError
from pcrm.services.context import Context, Result
from pcrm.services.notifications import notify
from pcrm.store import settings as sstore
from pcrm.store.db import write
from pcrm.sync.whatsapp import client as wa
from pcrm.sync.whatsapp.source import sidecar

SECRET = "whatsapp.webhook_secret"  # [secret-store]
STATE = "_internal.whatsapp"


def state(ctx: Context) -> dict[str, Any]:
    """{connected, phone, last_synced_at} as the webhook and these calls last left them."""
    s = sstore.get(ctx.conn, STATE) or {}
    return {
        "connected": bool(s.get("connected")),
        "phone": s.get("phone"),
        "last_synced_at": s.get("last_synced_at"),
    }


def save_state(ctx: Context, **changes: Any) -> dict[str, Any]:
    """Update the state (inside the caller's write transaction, or its own)."""
    s = {**state(ctx), **changes}
    with write(ctx.conn):
        sstore.put(ctx.conn, STATE, s, ctx.now_iso())
    return s


@contextmanager
def _sidecar(ctx: Context) -> Iterator[wa.Sidecar]:
    sc = sidecar(ctx.settings())
    try:
        yield sc
    except wa.SidecarError as exc:
        raise PcrmError(
            exc.message, code="upstream_error", hint=exc.hint, details={"sidecar": sc.url}
        ) from None
    finally:
        sc.close()


def _secret_set() -> bool:
    return bool(secret_store.get(SECRET))


def connect(ctx: Context) -> Result:
    """POST /auth/whatsapp/connect: start the session at the sidecar; `{status, qr}` (scan the QR in
    WhatsApp > Linked devices)."""
    with _sidecar(ctx) as sc:
        got = sc.start()
    if got["status"] == "connected" and not state(ctx)["connected"]:
        save_state(ctx, connected=True)
    return Result({**got, "webhook_secret_set": _secret_set()})


def qr(ctx: Context) -> Result:
    """GET /auth/whatsapp/qr: `{status, qr}` (qr is null once linked, or for no session)."""
    with _sidecar(ctx) as sc:
        return Result(sc.qr())


UNREACHABLE = "unreachable"  # the session status when the sidecar does not answer


def status(ctx: Context) -> Result:
    """GET /auth/whatsapp/status: the sidecar's session status with what pcrm knows. A sidecar that does not
    answer is status `unreachable`, with what pcrm knows still shown and meta {sidecar, problem, hint}: a
    status is what one asks for to find out why the link is not working [whatsapp-sidecar]. A sidecar that
    answers wrongly stays 502."""
    meta: dict[str, Any] = {}
    sc = sidecar(ctx.settings())
    try:
        s = sc.status()
    except wa.SidecarError as exc:
        if exc.kind != "down":
            raise PcrmError(
                exc.message, code="upstream_error", hint=exc.hint, details={"sidecar": sc.url}
            ) from None
        s, meta = UNREACHABLE, {"sidecar": sc.url, "problem": exc.message, "hint": exc.hint}
    finally:
        sc.close()
    return Result({"status": s, **state(ctx), "webhook_secret_set": _secret_set()}, meta)


def disconnect(ctx: Context) -> Result:
    """DELETE /auth/whatsapp/disconnect: end the session at the sidecar (best effort: a sidecar that is down
    does not stop it) and forget connected, phone and last_synced_at. What was synced stays."""
    sc = sidecar(ctx.settings())
    ended = True
    try:
        sc.destroy()
    except wa.SidecarError:
        ended = False
    finally:
        sc.close()
    save_state(ctx, connected=False, phone=None, last_synced_at=None)
    return Result({"disconnected": True, "sidecar_session_ended": ended})


DISCONNECTED = "WhatsApp session disconnected"


def health_check(ctx: Context) -> dict[str, Any]:
    """The `whatsapp_health` job [whatsapp-health]: ask the sidecar for the session's status. A session pcrm
    holds as connected that the sidecar reports otherwise, or a sidecar that does not answer, is recorded
    (connected false) with one `sync` notification; the next runs find it disconnected already and stay
    quiet until the session is linked again. A session that is not connected here is not asked about."""
    if not state(ctx)["connected"]:
        return {"checked": False, "connected": False, "notified": False}
    sc = sidecar(ctx.settings())
    try:
        status, problem = sc.status(), None
    except wa.SidecarError as exc:
        status, problem = "unreachable", exc.message
    finally:
        sc.close()
    if status == "connected":
        return {"checked": True, "status": status, "connected": True, "notified": False}
    body = (problem or f"the sidecar reports the session as {status}") + (
        "; link it again: pcrm auth whatsapp connect"
    )
    with write(ctx.conn):
        save_state(ctx, connected=False)
        notify(ctx, "sync", DISCONNECTED, body)
    return {"checked": True, "status": status, "connected": False, "notified": True}


def rotate_secret(ctx: Context) -> Result:
    """`pcrm auth whatsapp secret`: a new random webhook secret, stored in the secret store and returned
    once (set it as the sidecar's WEBHOOK_SECRET); webhooks signed with the old one are refused from now."""
    had = _secret_set()
    value = random.token_hex(32)
    secret_store.put(SECRET, value)
    return Result({"secret": value, "rotated": had})
