"""Classifying bio and headline changes into detected events [ai-events].

`classify_change` asks the events model what a changed bio or headline means: {event_type, confidence,
summary}. An unknown type counts as none, the confidence is clamped to 0..1, and an event is stored only
when the type is not none and the confidence is at least 0.7; it then feeds the suggestion engine's
event trigger like any detected event. Syncs and pushes call `classify_quietly` (through
`ingest.classify_bio_changes`) after their batch is written, never inside its transaction (a model call
may take seconds); `pcrm ai classify` runs it by hand. Without an events model, keywords classify
(domain/bio_events.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pcrm.domain import bio_events, prompts
from pcrm.errors import PcrmError, ValidationError
from pcrm.services.ai import models
from pcrm.services.ai.compose import dry_run_data
from pcrm.services.context import Context, Result
from pcrm.store import ai as store
from pcrm.store import contacts as cstore
from pcrm.store.db import write

THRESHOLD = 0.7
MAX_TOKENS = 256
FIELDS = {
    "twitter_bio": "X bio",
    "telegram_bio": "Telegram bio",
    "linkedin_bio": "LinkedIn about",
    "linkedin_headline": "LinkedIn headline",
}


def _kind(field: str) -> str:
    if field not in FIELDS:
        raise ValidationError(
            f"unknown field {field!r}",
            field="field",
            hint=f"use one of: {', '.join(FIELDS)}",
        )
    return FIELDS[field]


def classify_changes(
    ctx: Context, changes: Iterable[tuple[int, str, str | None, str | None]]
) -> list[dict[str, Any]]:
    """Classify (contact rowid, field, old, new) changes, storing the confident events; returns every
    classification. Without an events model, the keyword fallback of domain/bio_events.py classifies."""
    items = [(cid, f, old, new) for cid, f, old, new in changes if (old or "") != (new or "")]
    if not items:
        return []
    chosen = models.choice(ctx, "events")
    found: list[tuple[str, float, str]]
    if chosen is None:  # the keyword fallback
        found = [bio_events.keyword_event(old, new) or ("none", 0.0, "") for _c, _f, old, new in items]
        by = "keywords"
    else:
        names = cstore.names_of(ctx.conn, [cid for cid, *_ in items])
        ask = [
            prompts.change_prompt(_kind(f), old, new, (names.get(cid) or {}).get("full_name"))
            for cid, f, old, new in items
        ]
        answers = models.complete_many(chosen, ask, max_tokens=MAX_TOKENS)
        found = [prompts.classified(prompts.parse_json(a) if isinstance(a, str) else None) for a in answers]
        by = "ai"
    out = []
    now = ctx.now_iso()
    with write(ctx.conn):
        for (cid, field, old, new), (kind, conf, summary) in zip(items, found, strict=True):
            row: dict[str, Any] = {
                "field": field,
                "event_type": kind,
                "confidence": conf,
                "summary": summary,
                "by": by,
            }
            if kind != "none" and conf >= THRESHOLD:
                row["event_id"] = store.insert_event(
                    ctx.conn,
                    cid,
                    kind,
                    conf,
                    summary or f"{FIELDS[field]} changed",
                    {"field": field, "old": old, "new": new, "source": by},
                    now,
                )
            out.append(row)
    return out


def classify_quietly(ctx: Context, changes: Iterable[tuple[int, str, str | None, str | None]]) -> int:
    """For syncs and pushes, after their transaction: classify, and never let a failing model fail the
    sync (the changes are then left unclassified and the failure logged). Returns the events stored."""
    import logging

    try:
        return sum(1 for r in classify_changes(ctx, changes) if r.get("event_id"))
    except PcrmError as e:
        logging.getLogger(__name__).warning("bio changes not classified: %s", e.message)
        return 0


def classify(
    ctx: Context,
    contact_id: str,
    field: str,
    old: str | None,
    new: str | None = None,
    *,
    dry_run: bool = False,
) -> Result:
    """`pcrm ai classify CONTACT --field F --old TEXT [--new TEXT]` (new defaults to the current value)."""
    from pcrm.services.contacts import rowid

    kind = _kind(field)
    cid = rowid(ctx, contact_id)
    c = cstore.fetch_contacts(ctx.conn, [cid])[0]
    new = new if new is not None else str(c.get(field) or "")
    if dry_run:
        prompt = prompts.change_prompt(kind, old, new, c.get("full_name"))
        return Result(dry_run_data(models.choice(ctx, "events"), [prompt]), {"dry_run": True})
    models.require(ctx, "events", "event classification")
    got = classify_changes(ctx, [(cid, field, old, new)])
    if not got:
        raise ValidationError(
            "the old and the new text are the same: nothing changed",
            field="old",
            hint="give the text as it was and as it is now",
        )
    return Result(got[0])
