"""Pure rules over the profiles platforms show [telegram-bios]: where someone was last seen, the X handle a
bio names, a birthday, and which kind of news a changed bio carries (the keyword rules that file a
`detected_events` row when no events model is configured [ai-events])."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Literal

LastSeen = Literal["online", "offline", "recently", "last_week", "last_month", "hidden"]

# how long ago each of Telegram's coarse statuses is taken to mean (hidden: unknown, keep what we had)
_AGO = {"online": timedelta(0), "recently": timedelta(days=1), "last_week": timedelta(days=4)}
_AGO["last_month"] = timedelta(days=15)


def last_seen_at(kind: LastSeen | None, was_online: datetime | None, now: datetime) -> datetime | None:
    """The moment a status stands for: online → now, offline → its time, recently → a day ago, last week →
    four days ago, last month → fifteen days ago; hidden or unknown → None (the stored value stays)."""
    if kind == "offline":
        return was_online
    if kind in _AGO:
        return now - _AGO[kind]
    return None


_URL = re.compile(r"(?:https?://)?(?:www\.|mobile\.)?(?:twitter|x)\.com/@?(\w{1,15})\b", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w.@])@(\w{1,15})\b")
_NOT_PROFILES = frozenset({"home", "search", "explore", "settings", "i", "intent", "share", "hashtag"})
_X_WORDS = ("twitter", "tw:", "𝕏", " x:", "x.com")
_NOT_HANDLES = frozenset({"telegram", "email", "phone"})


def twitter_handle(bio: str | None) -> str | None:
    """The X handle a bio names: a twitter.com / x.com profile URL first, else an @mention when the bio
    also says it is about X ("twitter", "tw:", "𝕏", " x:", "x.com"); lowercase, without the @."""
    if not bio:
        return None
    for m in _URL.finditer(bio):
        if m.group(1).lower() not in _NOT_PROFILES:
            return m.group(1).lower()
    low = " " + bio.lower()
    if any(w in low for w in _X_WORDS):
        for m in _MENTION.finditer(bio):
            if m.group(1).lower() not in _NOT_HANDLES:
                return m.group(1).lower()
    return None


def birthday(day: int | None, month: int | None, year: int | None) -> str | None:
    """Telegram's birthday as pcrm stores one: YYYY-MM-DD, or MM-DD without a year."""
    if not day or not month or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"{month:02d}-{day:02d}"


# (event_type, confidence, words): the first rule any of whose words the new bio has, and the old one had
# not, names the event; confidence is fixed per rule (a keyword is weaker evidence than a model's answer)
_RULES: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    (
        "fundraising",
        0.75,
        ("raised", "raising", "seed round", "series a", "series b", "backed by", "funding"),
    ),
    ("product_launch", 0.7, ("launched", "launching", "just shipped", "now live", "product hunt", "beta")),
    ("promotion", 0.7, ("promoted", "head of", "vp ", "vice president", "director", "chief ", "partner at")),
    (
        "job_change",
        0.7,
        ("joined", "joining", "now at", "new role", "ex-", "formerly", "building", "founder"),
    ),
    (
        "milestone",
        0.65,
        ("married", "engaged", "new baby", "dad of", "mom of", "graduated", "phd", "retired"),
    ),
    ("event_attendance", 0.6, ("speaking at", "see you at", "conference", "summit", "meetup")),
)


def bio_event(old: str | None, new: str | None) -> tuple[str, float, str] | None:
    """(event_type, confidence, summary) for a changed bio by keyword, or None when no rule fires. Only
    words the new bio brings count, so a bio that merely kept "founder" files nothing."""
    if not new or (old or "").strip() == new.strip():
        return None
    before, after = f" {(old or '').lower()} ", f" {new.lower()} "
    for kind, conf, words in _RULES:
        hit = next((w for w in words if w in after and w not in before), None)
        if hit:
            snippet = new.strip().replace("\n", " ")
            if len(snippet) > 200:
                snippet = snippet[:199] + "…"
            return kind, conf, f"Bio now says: {snippet}"
    return None
