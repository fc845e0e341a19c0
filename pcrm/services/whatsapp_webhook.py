"""`POST /webhooks/whatsapp`: the sidecar's events [whatsapp-webhook], written through the one ingest engine.

Order of checks, before anything is parsed: the body's size (over 1 MB: 413), then `X-Webhook-Signature`,
the lowercase hex HMAC-SHA256 of the raw body under the stored `whatsapp.webhook_secret`, compared in
constant time (missing, forged, or no secret stored: 401, nothing stored). Then the JSON (invalid: 400),
`user_id` (missing: 422; another session's: 200 `{received: true}`, ignored) and the event:
- `session_connected` / `session_disconnected`: the connection state, a notification on a change;
- `message_received`: one message; `backfill_batch`: `{messages: [...]}` (at most 500, else 413);
- `backfill_complete`: `last_synced_at`.
Messages become records (sync/whatsapp/events.py) written in one transaction with a `webhook` sync-history
row, as the extension's pushes are (services/push.py): a replayed message adds nothing, a malformed one is
listed in `errors` while the others are stored.

The event type is kept: the reference sidecar spreads the message over its envelope, so a real-time
message's own `type` ("chat") replaces the event's. An explicit `event` key wins; a `type` that is not an
event name, on a body carrying a message id, is a `message_received` of that message type.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from pcrm import secrets as secret_store
from pcrm.errors import BadRequest, PcrmError, Unauthorized, ValidationError
from pcrm.serialize import loads
from pcrm.services import push
from pcrm.services import whatsapp as account
from pcrm.services.context import Context, Result
from pcrm.services.notifications import notify
from pcrm.store.db import write
from pcrm.sync.whatsapp import events

MAX_BODY = 1024 * 1024
MAX_MESSAGES = 500
EVENTS = (
    "session_connected",
    "session_disconnected",
    "message_received",
    "backfill_batch",
    "backfill_complete",
)
SIGNATURE = "X-Webhook-Signature"
HINT_SECRET = "set the same secret here and as the sidecar's WEBHOOK_SECRET: pcrm auth whatsapp secret"


def verify(raw: bytes, signature: str | None, secret: str | None = None) -> None:
    """Raise 401 unless `signature` is the HMAC-SHA256 of `raw` under the stored secret (constant time);
    `secret`: the stored secret read once for several calls."""
    secret = secret or secret_store.get(account.SECRET)
    if not secret:
        raise Unauthorized("no WhatsApp webhook secret is set, so no webhook is accepted", hint=HINT_SECRET)
    if not signature:
        raise Unauthorized(f"the {SIGNATURE} header is missing", hint=HINT_SECRET)
    expected = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    given = signature.strip().lower().removeprefix("sha256=")
    if not hmac.compare_digest(expected.encode(), given.encode("ascii", "replace")):
        raise Unauthorized(f"the {SIGNATURE} does not match the body", hint=HINT_SECRET)


def _event(body: dict[str, Any]) -> tuple[str, str]:
    """(event type, message type) of a body, undoing the reference sidecar's `type` collision: the message
    type is `message_type`, else a `type` that is not an event name, else chat."""
    ev, kind = body.get("event"), body.get("type")
    mtype = body.get("message_type")
    if not isinstance(mtype, str) or not mtype:
        mtype = kind if isinstance(kind, str) and kind and kind not in EVENTS else "chat"
    if isinstance(ev, str) and ev in EVENTS:
        return ev, mtype
    if isinstance(kind, str) and kind in EVENTS:
        return kind, mtype
    if isinstance(kind, str) and (body.get("message_id") or body.get("id")):
        return "message_received", mtype  # the message's own type took the event's place
    raise ValidationError(
        f"unknown event {kind!r}" if kind else "type (the event) is required",
        field="type",
        hint=f"events: {', '.join(EVENTS)}",
    )


def receive(ctx: Context, raw: bytes, signature: str | None) -> Result:
    """Verify, parse and apply one webhook call (see the module docstring)."""
    (out,) = receive_many(ctx, [(raw, signature)])
    if isinstance(out, Exception):
        raise out
    return out


def receive_many(ctx: Context, calls: list[tuple[bytes, str | None]]) -> list[Result | Exception]:
    """Several webhook calls that arrived together [webhook-coalescing], each as `receive` answers it (its
    Result, or the error it raises, in its place): every call is checked and parsed on its own, the
    messages of all of them are written in one transaction (`push.write_group`), other events in order."""
    secret = secret_store.get(account.SECRET) if calls else None
    out: list[Result | Exception | None] = [None] * len(calls)
    group: list[tuple[int, dict[str, Any], push.Parsed]] = []
    for k, (raw, signature) in enumerate(calls):
        try:
            ready = _prepare(ctx, raw, signature, secret)
            if isinstance(ready, Result):
                out[k] = ready
            else:
                group.append((k, *ready))
        except Exception as e:  # this call's answer (an unexpected one is its own 500, not the group's)
            out[k] = e
    if group:
        reports = push.write_group(ctx, "whatsapp", [p for _, _, p in group])
        for (k, head, _), report in zip(group, reports, strict=True):
            out[k] = report if isinstance(report, Exception) else Result({**head, **report})
    return [r if r is not None else Result({"received": True}) for r in out]


def _prepare(
    ctx: Context, raw: bytes, signature: str | None, secret: str | None
) -> Result | tuple[dict[str, Any], push.Parsed]:
    """A call's answer, when it is not messages; else its answer's head and its messages as records."""
    if len(raw) > MAX_BODY:
        raise PcrmError(
            f"a webhook body is at most {MAX_BODY // 1024} KB ({len(raw)} bytes sent)",
            code="payload_too_large",
            hint=f"send backfill batches of at most {MAX_MESSAGES} messages",
        )
    verify(raw, signature, secret)
    try:
        body = loads(raw)
    except ValueError:
        raise BadRequest("the body is not valid JSON", hint="the sidecar sends one JSON object") from None
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    user = body.get("user_id")
    if user in (None, ""):
        raise ValidationError("user_id is required", field="user_id")
    event, message_type = _event(body)
    out: dict[str, Any] = {"received": True, "event": event}
    if str(user) != str(ctx.settings().get("whatsapp.session") or "pcrm"):
        return Result({**out, "ignored": True})
    if event in ("message_received", "backfill_batch"):
        return out, _messages(ctx, event, body, message_type)
    with write(ctx.conn):
        if event == "session_connected":
            was = account.state(ctx)["connected"]
            number = events.phone(body.get("phone") or body.get("wid"))
            account.save_state(ctx, connected=True, **({"phone": number} if number else {}))
            if not was:
                notify(ctx, "sync", "WhatsApp connected", number)
        elif event == "session_disconnected":
            if account.state(ctx)["connected"]:
                notify(ctx, "sync", "WhatsApp disconnected", "link it again: pcrm auth whatsapp connect")
            account.save_state(ctx, connected=False)
        else:  # backfill_complete
            account.save_state(ctx, last_synced_at=ctx.now_iso())
    return Result(out)


def _messages(ctx: Context, event: str, body: dict[str, Any], message_type: str) -> push.Parsed:
    fallback = events.occurred_at(body.get("ts"), ctx.now_iso())
    if event == "backfill_batch":
        items = push.items(body, "messages", MAX_MESSAGES)
        conv = events.convert(items, where="messages", fallback_time=fallback)
    else:
        conv = events.convert([body], where="message", fallback_time=fallback, message_type=message_type)
    return push.Parsed(records=conv.records, errors=conv.errors, skipped=conv.skipped)
