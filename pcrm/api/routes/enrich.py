"""Per-contact enrichment, AI and messaging [ai-models] [apollo-enrichment] [not-yet-built]."""

from __future__ import annotations

from pcrm.api import schemas as common
from pcrm.api.declare import Param, op, svc
from pcrm.api.schemas import ai as s
from pcrm.api.schemas import telegram as tgs
from pcrm.services import enrich, profiles, telegram_contact
from pcrm.services.ai import bio, compose, taxonomy

T = "contacts: enrichment, AI, messaging"

OPS = [
    op(
        "POST",
        "/contacts/{contact_id}/enrich",
        "Enrich via Apollo",
        T,
        call=svc(enrich.enrich, prepared=True),
        prepare=svc(enrich.lookup),  # Apollo and the photo download, off the writer lane [prepare-off-lane]
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
        call=svc(bio.extract_bio, prepared=True),
        prepare=svc(bio.read_bio),  # the model, off the writer lane [prepare-off-lane]
        response=s.FieldsUpdated,
        description="409 feature_disabled without an AI model (`ai.bio_model` or `ai.model`).",
    ),
    op(
        "POST",
        "/contacts/{contact_id}/auto-tag",
        "Apply AI taxonomy tags to one contact",
        T,
        call=svc(taxonomy.auto_tag, prepared=True),
        prepare=svc(taxonomy.choose_tags),  # the model, off the writer lane [prepare-off-lane]
        response=s.AutoTagged,
        description="Append-only; 400 without an approved taxonomy.",
    ),
    op(
        "POST",
        "/contacts/{contact_id}/refresh-avatar",
        "Re-download avatar from connected platforms",
        T,
        call=svc(profiles.refresh_avatar, query=("force",)),
        response=common.AvatarRefreshed,
        query=(Param("force", "boolean"),),
        extra_statuses=(400, 404, 429, 502),
        description="[telegram-bios]: Telegram's photo (then X's); once a day unless force. While no "
        "Telegram or X account is connected, [idle-answers]: the stored photo, changed false, skipped true, "
        "reason not_connected, message and hint.",
    ),
    op(
        "POST",
        "/contacts/{contact_id}/refresh-bios",
        "Re-fetch Twitter/Telegram bios",
        T,
        call=svc(profiles.refresh_bios, query=("force",)),
        response=common.BiosRefreshed,
        query=(Param("force", "boolean"),),
        extra_statuses=(400, 404, 429, 502),
        description="[telegram-bios]: {twitter_bio_changed, telegram_bio_changed}, or {skipped: true, "
        "reason: checked_recently} within 7 days unless force. While no Telegram or X account is connected, "
        "[idle-answers]: both false, skipped true, reason not_connected, message and hint.",
    ),
    op(
        "POST",
        "/contacts/{contact_id}/compose",
        "Generate an AI-drafted message",
        T,
        call=svc(compose.composed, body=True, prepared=True),
        prepare=svc(compose.compose, body=True),  # the model, off the writer lane [prepare-off-lane]
        body=s.ComposeIn,
        response=s.Composed,
        description="Sends and stores nothing; without an AI model, the template draft.",
    ),
    op(
        "POST",
        "/contacts/{contact_id}/send-message",
        "Send a message via channel (email, Telegram, Twitter, LinkedIn)",
        T,
        call=svc(telegram_contact.send_message, body=True),
        body=tgs.SendMessageIn,
        response=tgs.MessageSent,
        extra_statuses=(400, 404, 422, 429, 502),
        description="[telegram-send]: Telegram only (other channels 400); scheduled_for uses Telegram's own "
        "scheduled send. Records the outbound interaction and last_followup_at. 429 with Retry-After while "
        "the rate-limit gate is closed.",
    ),
]
