"""Compose a follow-up message [ai-compose]: `POST /contacts/{id}/compose`, `pcrm ai compose`, and the
drafts of suggestions when a compose model is set.

The prompt holds the contact's name, company, title, score, last interaction date, bios, and the last 5
interactions' text (120 characters each; none from a source kept metadata-only [ai-prompts]). Without a
model, or when the model fails, the draft is the template of [suggestion-drafts]. Nothing is sent or
stored by compose itself.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from pcrm.domain import limits, prompts
from pcrm.domain import suggestions as rules
from pcrm.domain.sources import SCHEDULED
from pcrm.errors import PcrmError, ValidationError
from pcrm.services.ai import models
from pcrm.services.context import Context, Result
from pcrm.store import ai as store
from pcrm.store import contacts as cstore
from pcrm.store import suggestions as sstore

log = logging.getLogger(__name__)

HISTORY = 5
MAX_TOKENS = 200
CHANNELS = ("email", "telegram", "twitter", "linkedin", "whatsapp")


def platforms_without_text(ctx: Context) -> set[str]:
    """Interaction platforms whose source the user keeps metadata-only: no message text leaves pcrm."""
    return {s.platform for s in SCHEDULED if ctx.setting(f"metadata_only.{s.name}")}


def compose_inputs(ctx: Context, cid: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(the contact, its last interactions oldest first as {direction, text, date})."""
    contact = dict(cstore.fetch_contacts(ctx.conn, [cid])[0])
    quiet = platforms_without_text(ctx)
    history = [
        {
            "direction": r["direction"],
            "text": None if r["platform"] in quiet else r["content_preview"],
            "date": r["occurred_at"],
        }
        for r in store.recent_interactions(ctx.conn, cid, ctx.now_iso(), HISTORY)
    ]
    return contact, history


def _reachable(ctx: Context, cid: int) -> tuple[str, ...]:
    """The channels the contact can be reached on, by what it holds."""
    brief = sstore.contact_brief(ctx.conn, cid)
    return rules.reachable_channels(
        bool(brief["has_email"]),
        bool(brief["has_telegram"]),
        bool(brief["has_twitter"]),
        bool(brief["has_linkedin"]),
    )


def default_channel(ctx: Context, cid: int) -> str:
    return rules.choose_channel(
        sstore.recent_platforms(ctx.conn, cid, ctx.now_iso()),
        _reachable(ctx, cid),
        str(ctx.setting("suggestions.preferred_channel")),
    )


_ON = {
    "email": "no email address",
    "telegram": "no Telegram username",
    "twitter": "no X handle",
    "linkedin": "no LinkedIn profile",
}


def lacking(ctx: Context, cid: int, channel: str | None) -> str | None:
    """What the contact lacks to be reached on `channel` and where it can be ("has no LinkedIn profile
    (reachable on email)"), or None when it can be reached there: a draft or a suggestion set to such a
    channel is kept as asked, but says so [suggestion-drafts]. (WhatsApp is no channel drafts are chosen
    for, so none is said of it.)"""
    if channel not in _ON:
        return None
    reachable = _reachable(ctx, cid)
    if channel in reachable:
        return None
    where = f"reachable on {', '.join(reachable)}" if reachable else "reachable on no channel pcrm knows"
    return f"has {_ON[channel]} ({where})"


def build_prompt(
    ctx: Context,
    cid: int,
    channel: str,
    *,
    trigger: str | None = None,
    pool: str | None = None,
    event_summary: str | None = None,
) -> tuple[str, str]:
    """(prompt, first name) for one contact."""
    contact, history = compose_inputs(ctx, cid)
    first = rules.first_name(contact.get("given_name"), contact.get("full_name"))
    prompt = prompts.compose_prompt(
        contact,
        history,
        first_name=first,
        channel=channel,
        trigger=trigger,
        pool=pool,
        event_summary=event_summary,
    )
    return prompt, first


def draft(
    ctx: Context,
    cid: int,
    channel: str,
    *,
    trigger: str | None = None,
    pool: str | None = None,
    event_summary: str | None = None,
) -> tuple[str, str | None]:
    """(message, model id or None): the model's draft, or the template when there is no model or it fails."""
    chosen = models.choice(ctx, "compose")
    prompt, first = build_prompt(ctx, cid, channel, trigger=trigger, pool=pool, event_summary=event_summary)
    template = rules.draft(trigger or "scheduled", pool, first, event_summary)
    if chosen is None:
        return template, None
    try:
        text = prompts.tidy_message(models.complete(chosen, prompt, max_tokens=MAX_TOKENS))
    except PcrmError as e:
        log.warning("compose: %s; the template is used instead", e.message)
        return template, None
    if len(text) > limits.MAX_MESSAGE:  # a runaway answer is no draft, and no edit could save it back
        log.warning(
            "compose: the model %s answered %s characters, more than a message takes (%s); the template "
            "is used instead",
            chosen.model_id,
            f"{len(text):,}",
            f"{limits.MAX_MESSAGE:,}",
        )
        return template, None
    return (text or template), (chosen.model_id if text else None)


def _body(body: Mapping[str, Any] | None) -> str | None:
    body = dict(body or {})
    unknown = set(body) - {"channel"}
    if unknown:
        key = min(unknown)
        raise ValidationError(f"unknown field {key!r}", field=key, hint="the only field is channel")
    given = ch = body.get("channel")
    if ch is None:
        return None
    if isinstance(ch, str):
        ch = ch.strip().lower()  # 'EMAIL' is email, as everywhere a channel is named
    if ch not in CHANNELS:
        raise ValidationError(
            f"unknown channel {given!r}",  # a refused choice says so one way, its choices in the hint
            field="channel",
            hint=f"use one of: {', '.join(CHANNELS)}",
        )
    return str(ch)


def compose(
    ctx: Context, contact_id: str, body: Mapping[str, Any] | None = None, *, dry_run: bool = False
) -> Result:
    """POST /contacts/{id}/compose {channel?}: a draft → {suggested_message, suggested_channel}; sends and
    stores nothing. dry_run: the exact prompt a model would get, and no call."""
    from pcrm.services.contacts import rowid

    asked = _body(body)
    cid = rowid(ctx, contact_id)
    channel = asked or default_channel(ctx, cid)
    lacks = lacking(ctx, cid, asked)  # a channel asked for is drafted for, but not in silence
    note: dict[str, str] = {}
    if lacks:
        note["note"] = f"{cstore.display_names(ctx.conn, [cid])[cid]} {lacks}; drafted for {channel} as asked"
    if dry_run:
        prompt, _ = build_prompt(ctx, cid, channel)
        chosen = models.choice(ctx, "compose")
        return Result(dry_run_data(chosen, [prompt]), {"dry_run": True, **note})
    message, model = draft(ctx, cid, channel)
    return Result({"suggested_message": message, "suggested_channel": channel}, {"model": model, **note})


def composed(
    ctx: Context, contact_id: str, body: Mapping[str, Any] | None = None, *, prepared: Result | None = None
) -> Result:
    """The daemon's compose in two steps [prepare-off-lane]: `compose` (reads and the model, nothing written)
    runs as the prepare step off the writer lane, and this, the lane's step, answers its draft (None:
    composes here)."""
    return prepared if prepared is not None else compose(ctx, contact_id, body)


def dry_run_data(chosen: models.ModelChoice | None, prompts_: list[str]) -> dict[str, Any]:
    """What `--dry-run` answers for any AI command: the model and every prompt, exactly as sent."""
    return {
        "model": chosen.model_id if chosen else None,
        "setting": chosen.setting if chosen else None,
        "would_send": chosen is not None,
        "prompts": prompts_,
    }
