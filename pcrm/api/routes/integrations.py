"""Pushes from the browser extension, X cookies, Meta, the map config and webhooks [not-yet-built]
[map-viewport]."""

from __future__ import annotations

from pcrm.api import schemas as s
from pcrm.api.declare import WEB_AND_EXTENSION, op, svc
from pcrm.services import idle, views

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
        todo="LinkedIn push",
        audiences=WEB_AND_EXTENSION,
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
        todo="Meta push",
        audiences=WEB_AND_EXTENSION,
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
