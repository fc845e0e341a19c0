"""Pushes from the browser extension [extension-push], X cookies, the map config [map-viewport] and the
WhatsApp webhook [whatsapp-webhook]."""

from __future__ import annotations

from typing import Any

from pcrm.api import lean, responses
from pcrm.api import schemas as s
from pcrm.api.declare import WEB_AND_EXTENSION, Call, op, svc, target_name
from pcrm.api.schemas import push as ps
from pcrm.api.schemas import whatsapp as wa
from pcrm.api.schemas import x as xs
from pcrm.services import linkedin_push, meta_push, views, whatsapp_webhook, x


async def whatsapp_hook(request: Any, call: Call) -> Any:
    """The raw body and the signature header go to the service as they came: it checks the HMAC before
    anything is parsed [whatsapp-webhook]. Calls arriving together are written together
    [webhook-coalescing]."""
    raw = await request.body()
    signature = request.headers.get(whatsapp_webhook.SIGNATURE)
    result = await _received(request.app.state.pcrm, raw, signature)
    return responses.ok(result.data, result.meta)


async def whatsapp_lean(rt: Any, raw: bytes, headers: list[tuple[bytes, bytes]]) -> Any:
    """The same call on the app's lean path [lean-path]: the raw body and the signature header only."""
    return await _received(rt, raw, lean.header(headers, _SIGNATURE))


async def _received(rt: Any, raw: bytes, signature: str | None) -> Any:
    return await rt.coalescer("whatsapp", whatsapp_webhook.receive_many).submit(rt, (raw, signature))


_SIGNATURE = whatsapp_webhook.SIGNATURE.lower().encode()


whatsapp_hook.target = target_name(whatsapp_webhook.receive)  # type: ignore[attr-defined]

T = "integrations"

OPS = [
    op(
        "GET",
        "/map/config",
        "Public Mapbox token for the browser",
        T,
        read=True,
        call=svc(views.map_config),
        response=s.MapConfig,
        description='The `map.mapbox_public_token` setting; "" when unset.',
    ),
    op(
        "POST",
        "/linkedin/push",
        "Push profiles and messages from the extension",
        T,
        call=svc(linkedin_push.linkedin_push, body=True, prepared=True),
        prepare=svc(linkedin_push.download_avatars, body=True),  # [prepare-off-lane]
        body=ps.LinkedInPushIn,
        response=ps.LinkedInPushed,
        meta=ps.PushMeta,
        audiences=WEB_AND_EXTENSION,
        extra_statuses=(413,),
        description="[extension-push]: profiles and messages through the ingest engine; malformed items are "
        "listed in `errors` while the others are stored; more than 50 profiles or 500 messages: 413.",
    ),
    op(
        "GET",
        "/integrations/twitter/cookies",
        "Status of stored cookies for the user",
        T,
        read=True,
        call=svc(x.cookie_status),
        response=s.CookieStatus,
        audiences=WEB_AND_EXTENSION,
        description="[x-api]: {status, checked_at, verified, pushed_at}: `connected` once the extension "
        "pushed cookies, else `disconnected`; `checked_at` null and `verified` false, as pcrm never checks "
        "them with X.",
    ),
    op(
        "POST",
        "/integrations/twitter/cookies",
        "Push fresh cookies (encrypted at rest)",
        T,
        call=svc(x.save_cookies, body=True),
        body=xs.XCookiesIn,
        response=s.CookieStatus,
        audiences=WEB_AND_EXTENSION,
        description="[x-api]: {auth_token, ct0} (each 1-512 characters) into the secret store, never the "
        "database or logs -> {status: connected, checked_at: null, verified: false, pushed_at}. pcrm syncs "
        "X through the API and does not use them.",
    ),
    op(
        "DELETE",
        "/integrations/twitter/cookies",
        "Clear stored cookies",
        T,
        call=svc(x.delete_cookies),
        response=s.CookieStatus,
        audiences=WEB_AND_EXTENSION,
        description="-> {status: disconnected, checked_at: null, verified: false, pushed_at: null}.",
    ),
    op(
        "POST",
        "/meta/push",
        "Push Messenger / Instagram DM data from the extension",
        T,
        call=svc(meta_push.meta_push, body=True, prepared=True),
        prepare=svc(meta_push.download_avatars, body=True),  # [prepare-off-lane]
        body=ps.MetaPushIn,
        response=ps.MetaPushed,
        meta=ps.PushMeta,
        audiences=WEB_AND_EXTENSION,
        extra_statuses=(413,),
        description="[extension-push]: Messenger or Instagram conversations through the ingest engine.",
    ),
    op(
        "POST",
        "/webhooks/whatsapp",
        "WhatsApp sidecar webhook (HMAC-signed)",
        T,
        raw=whatsapp_hook,
        lean=whatsapp_lean,
        public=True,
        response=wa.WhatsAppReceived,
        extra_statuses=(400, 401, 413, 422),
        description="[whatsapp-webhook]: no token; `X-Webhook-Signature` is the lowercase hex HMAC-SHA256 of "
        "the raw body under the secret `pcrm auth whatsapp secret` set (missing or wrong: 401, nothing "
        "stored). Bodies over 1 MB or more than 500 messages: 413; malformed messages are listed in "
        "`errors`.",
    ),
]
