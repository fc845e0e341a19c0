"""Per-contact enrichment, AI and messaging [not-yet-built]."""

from __future__ import annotations

from pcrm.api import schemas as s
from pcrm.api.declare import Param, op, svc
from pcrm.services import idle

T = "contacts: enrichment, AI, messaging"

OPS = [
    op("POST", "/contacts/{contact_id}/enrich", "Enrich via Apollo", T, todo="Apollo enrichment"),
    op(
        "POST",
        "/contacts/{contact_id}/extract-bio",
        "AI-extract structured fields from bios",
        T,
        todo="AI extract-bio",
    ),
    op(
        "POST",
        "/contacts/{contact_id}/auto-tag",
        "Apply AI taxonomy tags to one contact",
        T,
        todo="AI auto-tag",
    ),
    op(
        "POST",
        "/contacts/{contact_id}/refresh-avatar",
        "Re-download avatar from connected platforms",
        T,
        call=svc(idle.refresh_avatar, query=("force",)),
        response=s.AvatarRefreshed,
        query=(Param("force", "boolean"),),
        extra_statuses=(400, 404, 501),
        description="[idle-answers]: 400 not_connected while no Telegram or X account is connected.",
    ),
    op(
        "POST",
        "/contacts/{contact_id}/refresh-bios",
        "Re-fetch Twitter/Telegram bios",
        T,
        call=svc(idle.refresh_bios, query=("force",)),
        response=s.BiosRefreshed,
        query=(Param("force", "boolean"),),
        extra_statuses=(400, 404, 501),
        description="[idle-answers]: 400 not_connected while no Telegram or X account is connected.",
    ),
    op("POST", "/contacts/{contact_id}/compose", "Generate an AI-drafted message", T, todo="AI compose"),
    op(
        "POST",
        "/contacts/{contact_id}/send-message",
        "Send a message via channel (email, Telegram, Twitter, LinkedIn)",
        T,
        todo="sending messages",
    ),
]
