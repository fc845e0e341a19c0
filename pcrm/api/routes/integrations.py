"""Pushes from the browser extension [extension-push], X cookies, the map config [map-viewport] and webhooks
[not-yet-built]."""

from __future__ import annotations

from pcrm.api import schemas as s
from pcrm.api.declare import WEB_AND_EXTENSION, op, svc
from pcrm.api.schemas import push as ps
from pcrm.services import idle, linkedin_push, meta_push, views

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
        call=svc(linkedin_push.linkedin_push, body=True),
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
        call=svc(idle.twitter_cookie_status),
        response=s.CookieStatus,
        audiences=WEB_AND_EXTENSION,
        description="{status, checked_at}: disconnected while no cookies are stored [idle-answers].",
    ),
    op(
        "POST",
        "/integrations/twitter/cookies",
        "Push fresh cookies (encrypted at rest)",
        T,
        todo="X cookies",
        audiences=WEB_AND_EXTENSION,
    ),
    op(
        "DELETE",
        "/integrations/twitter/cookies",
        "Clear stored cookies",
        T,
        todo="X cookies",
        audiences=WEB_AND_EXTENSION,
    ),
    op(
        "POST",
        "/meta/push",
        "Push Messenger / Instagram DM data from the extension",
        T,
        call=svc(meta_push.meta_push, body=True),
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
        todo="the WhatsApp webhook",
        public=True,
    ),
]
