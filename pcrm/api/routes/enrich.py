"""Per-contact enrichment, AI and messaging [ai-models] [apollo-enrichment] [not-yet-built]."""

from __future__ import annotations

from pcrm.api import schemas as common
from pcrm.api.declare import Param, op, svc
from pcrm.api.schemas import ai as s
from pcrm.services import enrich, idle
from pcrm.services.ai import bio, compose, taxonomy

T = "contacts: enrichment, AI, messaging"

OPS = [
    op(
        "POST",
        "/contacts/{contact_id}/enrich",
        "Enrich via Apollo",
        T,
        call=svc(enrich.enrich),
        response=s.Enriched,
        extra_statuses=(400, 404, 409, 429, 502),
        description="[apollo-enrichment]: 409 feature_disabled until `enrichment.apollo` is on; 400 "
        "not_connected without a key, or when the contact has no email or LinkedIn URL; 429 when Apollo "
        "rate-limits; 502 upstream_error for a refused key or a failing Apollo. No match: fields_updated [].",
    ),
    op(
        "POST",
        "/contacts/{contact_id}/extract-bio",
        "AI-extract structured fields from bios",
        T,
        call=svc(bio.extract_bio),
        response=s.FieldsUpdated,
        description="409 feature_disabled without an AI model (`ai.bio_model` or `ai.model`).",
    ),
    op(
        "POST",
        "/contacts/{contact_id}/auto-tag",
        "Apply AI taxonomy tags to one contact",
        T,
        call=svc(taxonomy.auto_tag),
        response=s.AutoTagged,
        description="Append-only; 400 without an approved taxonomy.",
    ),
    op(
        "POST",
        "/contacts/{contact_id}/refresh-avatar",
        "Re-download avatar from connected platforms",
        T,
        call=svc(idle.refresh_avatar, query=("force",)),
        response=common.AvatarRefreshed,
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
        response=common.BiosRefreshed,
        query=(Param("force", "boolean"),),
        extra_statuses=(400, 404, 501),
        description="[idle-answers]: 400 not_connected while no Telegram or X account is connected.",
    ),
    op(
        "POST",
        "/contacts/{contact_id}/compose",
        "Generate an AI-drafted message",
        T,
        call=svc(compose.compose, body=True),
        body=s.ComposeIn,
        response=s.Composed,
        description="Sends and stores nothing; without an AI model, the template draft.",
    ),
    op(
        "POST",
        "/contacts/{contact_id}/send-message",
        "Send a message via channel (email, Telegram, Twitter, LinkedIn)",
        T,
        todo="sending messages",
    ),
]
