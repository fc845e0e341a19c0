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
