"""What a changed bio or headline announces, by keywords: the fallback of [ai-events] when no events model is
set. Only phrases the new text adds count (a bio that always said "founder" announces nothing new), and only
unambiguous ones, so the fallback stays quiet rather than noisy."""

from __future__ import annotations

import re

CONFIDENCE = 0.7  # exactly the storing threshold: a keyword hit is an event, never more certain than that

# (event type, phrases); the first type with a phrase new in the text wins
RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "fundraising",
        (
            "raised",
            "seed round",
            "pre-seed",
            "series a",
            "series b",
            "series c",
            "backed by",
            "funding round",
        ),
    ),
    ("promotion", ("promoted", "promotion to", "newly promoted")),
    (
        "job_change",
        (
            "joined",
            "new role",
            "new job",
            "starting at",
            "started at",
            "excited to join",
            "now at",
            "just joined",
        ),
    ),
    ("product_launch", ("launched", "launching", "just shipped", "now live", "out now", "product hunt")),
    ("event_attendance", ("speaking at", "see you at", "attending", "keynote at")),
    ("milestone", ("acquired by", "anniversary", "milestone", "went public", " ipo")),
)
_SUMMARY = {
    "fundraising": "Announced a funding round",
    "promotion": "Announced a promotion",
    "job_change": "Announced a new role",
    "product_launch": "Announced a launch",
    "event_attendance": "Announced an event they attend",
    "milestone": "Announced a milestone",
}


def _has(text: str, phrase: str) -> bool:
    return re.search(r"(?<![a-z])" + re.escape(phrase.strip()) + r"(?![a-z])", text) is not None


def keyword_event(old: str | None, new: str | None) -> tuple[str, float, str] | None:
    """(event type, confidence, summary) when the new text adds a phrase of a rule, else None."""
    before, after = (old or "").casefold(), (new or "").casefold()
    if not after or before == after:
        return None
    for kind, phrases in RULES:
        for p in phrases:
            if _has(after, p) and not _has(before, p):
                return kind, CONFIDENCE, f'{_SUMMARY[kind]} ("{p.strip()}")'
    return None
