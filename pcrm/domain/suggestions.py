"""The follow-up engine of [followup-engine] as pure functions: triggers, priorities, post-filters,
budget, channel and drafts. The store gathers `ContactFacts`; the service wires the steps together.

pcrm choices beyond the reference [suggestion-prefs] [upcoming-birthdays] [followup-engine]:
- `birthday_reminders=false` switches the birthday trigger off; `preferred_channel` wins when the
  contact is reachable on it; the budget default is 5.
- A Feb 29 birthday is celebrated on Feb 28 in other years (as in the ICS calendar).
- One run never suggests the same contact twice: pool B skips contacts pool A already took.
- Ties in priority are broken by the contact's rowid, so runs are reproducible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from pcrm.domain import name_parts

LEVELS = ("high", "medium", "low")
MIN_INTERACTIONS = {"high": 1, "medium": 1, "low": 3}
FOLLOWUP_COOLDOWN_DAYS = 14
USER_DISMISS_COOLDOWN_DAYS = 30
INTERACTION_COOLDOWN_DAYS = 14
GHOST_RECENCY_DAYS = 30
EVENT_DAYS_A = 7
EVENT_DAYS_B = 14
EVENT_MIN_CONFIDENCE = 0.7  # strictly greater
BIRTHDAY_WINDOW_DAYS = 3  # today ... today+3
# a birthday suggestion is shown up to a week after the day (a belated greeting, a weekly digest), then it
# expires [birthday-expiry]
BIRTHDAY_GRACE_DAYS = 7
BIRTHDAY_PRIORITY = 1500
YEAR = 365
HARD_CAP_DAYS = 5 * YEAR
MID_MAX_DAYS = 3 * YEAR
GENERATION_LOCK_SECONDS = 120

TRIGGERS = (
    "time_based",
    "event_based",
    "scheduled",
    "birthday",
    "dormant_deep",
    "dormant_mid",
    "dormant_event",
)
STATUSES = ("pending", "snoozed", "dismissed", "sent")
CHANNELS = ("email", "telegram", "twitter", "linkedin", "whatsapp")
SENDABLE = ("email", "telegram", "twitter")
REASON_LABELS = {
    "time_based": "It's been a while",
    "event_based": "Recent news",
    "scheduled": "Scheduled follow-up",
    "birthday": "Birthday",  # not "coming up": one left in the queue is read after the day too
    "dormant_mid": "Quiet for over a year",
    "dormant_deep": "A close contact, quiet for over a year",
    "dormant_event": "News from someone you lost touch with",
}


@dataclass(frozen=True)
class Event:
    id: int
    confidence: float
    detected_at: datetime
    summary: str | None = None


@dataclass(frozen=True)
class ContactFacts:
    """What the triggers look at for one contact (already past the exclusion set and global filters)."""

    id: int
    priority_level: str
    score: int
    interaction_count: int
    last_interaction_at: datetime | None
    last_followup_at: datetime | None = None
    birthday: str | None = None
    first_interaction_at: datetime | None = None  # only needed for pool B (span)
    events: tuple[Event, ...] = ()


@dataclass(frozen=True)
class Candidate:
    contact_id: int
    pool: str
    trigger: str
    priority: float
    reason: str
    event: Event | None = None
    # among candidates of equal priority the lower goes first: a birthday's days until it, so that with
    # more birthdays in the window than slots the soonest are suggested (a later day still has its turn)
    soon: int = 0


@dataclass(frozen=True)
class Prefs:
    max_suggestions: int = 5
    include_dormant: bool = True
    birthday_reminders: bool = True
    preferred_channel: str = "auto"
    dormancy_threshold_days: int = 365
    intervals: dict[str, int] = field(default_factory=lambda: {"high": 30, "medium": 60, "low": 180})


# ------------------------------------------------------------------ priorities


def days_since(then: datetime | None, now: datetime) -> int:
    return 999 if then is None else (now - then).days


def compute_priority(count: int, days: int, *, event: bool = False) -> int:
    """Pool A: rich history 1000+c, cooling 500+c, else c; +200 for an event trigger."""
    if count >= 10 and days > 90:
        p = 1000 + count
    elif count >= 10 and 14 <= days <= 90:
        p = 500 + count
    else:
        p = count
    return p + (200 if event else 0)


def compute_priority_b(count: int, score: int, span_days: int, *, event: bool = False) -> int:
    """Pool B: 1000+c / 500+c / c by depth, +150 for a span of 180+ days, +300 for an event."""
    if count >= 8 or score >= 5:
        p = 1000 + count
    elif count >= 4 or score >= 3:
        p = 500 + count
    else:
        p = count
    return p + (150 if span_days >= 180 else 0) + (300 if event else 0)


def span_days(f: ContactFacts) -> int:
    if f.first_interaction_at is None or f.last_interaction_at is None:
        return 0
    return (f.last_interaction_at - f.first_interaction_at).days


def fresh_event(f: ContactFacts, now: datetime, days: int) -> Event | None:
    """The most confident event detected in the last `days` days with confidence > 0.7."""
    best = None
    for e in f.events:
        if (
            e.confidence > EVENT_MIN_CONFIDENCE
            and now - timedelta(days=days) <= e.detected_at <= now
            and (
                best is None
                or (e.confidence, e.detected_at, -e.id) > (best.confidence, best.detected_at, -best.id)
            )
        ):
            best = e
    return best


# ------------------------------------------------------------------ birthdays


def birthday_days(birthday: str | None) -> str | None:
    """The MM-DD part of a stored birthday (`MM-DD` or `YYYY-MM-DD`)."""
    return birthday[-5:] if birthday and len(birthday) >= 5 else None


def birthday_on(md: str, year: int) -> date | None:
    """The date a MM-DD birthday falls on in `year` (Feb 29 -> Feb 28 in other years)."""
    month, day = int(md[:2]), int(md[3:])
    try:
        return date(year, month, day)
    except ValueError:
        if (month, day) == (2, 29):
            return date(year, 2, 28)
        return None


def days_until_birthday(birthday: str | None, today: date) -> int | None:
    md = birthday_days(birthday)
    if md is None:
        return None
    for year in (today.year, today.year + 1):
        d = birthday_on(md, year)
        if d is not None and d >= today:
            return (d - today).days
    return None


def days_since_birthday(birthday: str | None, today: date) -> int | None:
    """Days since the birthday last fell (0 = today), or None without one."""
    md = birthday_days(birthday)
    if md is None:
        return None
    for year in (today.year, today.year - 1):
        d = birthday_on(md, year)
        if d is not None and d <= today:
            return (today - d).days
    return None


def birthday_reason(birthday: str | None, today: date) -> str | None:
    """A birthday suggestion's reason as of `today` ("Birthday in 2 days", "Birthday today", "Birthday 3
    days ago"): worked out when it is read, as a suggestion read days after it was made must not still
    say what was true then. None when the contact has no birthday (any more)."""
    until = days_until_birthday(birthday, today)
    if until is None:
        return None
    if until <= BIRTHDAY_WINDOW_DAYS:
        return "Birthday " + ("today" if until == 0 else "tomorrow" if until == 1 else f"in {until} days")
    since = days_since_birthday(birthday, today)
    if since is None or since > YEAR // 2:
        return f"Birthday in {until} days"
    return "Birthday yesterday" if since == 1 else f"Birthday {since} days ago"


def birthday_for(birthday: str | None, made: date) -> date | None:
    """The day of the birthday a suggestion made on `made` (a local day) greets: the contact's birthday
    within the trigger's window from then; None when it falls there no more (changed or removed since)."""
    until = days_until_birthday(birthday, made)
    if until is None or until > BIRTHDAY_WINDOW_DAYS:
        return None
    return made + timedelta(days=until)


def birthday_last_day(birthday: str | None, made: date) -> date:
    """The last day a birthday suggestion made on `made` is shown [birthday-expiry]: a week after the
    birthday it greets; for a birthday changed or removed since, a week after the last day it could have
    fallen on."""
    day = birthday_for(birthday, made) or made + timedelta(days=BIRTHDAY_WINDOW_DAYS)
    return day + timedelta(days=BIRTHDAY_GRACE_DAYS)


def birthday_expired(birthday: str | None, made: date, today: date) -> bool:
    """Whether a birthday suggestion made on `made` has expired by `today` [birthday-expiry]."""
    return today > birthday_last_day(birthday, made)


# the day counts a stored reason holds, by trigger: what each is counted from (the contact's last interaction
# or last follow-up) and the words around the count, as pool_a and pool_b write them
_COUNTED = {
    "time_based": ("interaction", re.compile(r"^(?P<n>\d+)(?P<rest> days since you last talked\b)")),
    "scheduled": ("followup", re.compile(r"^(?P<head>Last follow-up )(?P<n>\d+)(?P<rest> days ago\b)")),
    "dormant_deep": ("interaction", re.compile(r"^(?P<head>Dormant for )(?P<n>\d+)(?P<rest> days\b)")),
    "dormant_mid": ("interaction", re.compile(r"^(?P<head>Dormant for )(?P<n>\d+)(?P<rest> days\b)")),
    "dormant_event": ("interaction", re.compile(r"(?P<head>, after )(?P<n>\d+)(?P<rest> days of silence)$")),
}


def reason_as_of(
    trigger: str,
    reason: str | None,
    now: datetime,
    *,
    last_interaction_at: datetime | None,
    last_followup_at: datetime | None,
) -> str | None:
    """A suggestion's reason with its day count worked out as of `now` ("401 days since you last talked",
    "Dormant for 430 days ...", "Last follow-up 75 days ago ..."): the stored reason counted the days to
    the moment the suggestion was made, and one read weeks later (snoozed, or left in the queue) must not
    still say what was true then [active-triggers]. The count is from the contact's last interaction (or
    last follow-up) as it is now; a reason with no count, or whose moment is gone, stays as stored."""
    counted = _COUNTED.get(trigger)
    if reason is None or counted is None:
        return reason
    source, pattern = counted
    since = last_followup_at if source == "followup" else last_interaction_at
    if since is None:
        return reason
    days = max(0, days_since(since, now))
    return pattern.sub(lambda m: f"{m.groupdict().get('head') or ''}{days}{m['rest']}", reason, count=1)


# ------------------------------------------------------------------ pool A


@dataclass(frozen=True)
class Horizon:
    """The cut-off instants of one run, computed once (the triggers run for every contact)."""

    now: datetime
    today: date
    dormancy_cutoff: datetime
    interaction_cooldown: datetime
    event_a: datetime
    event_b: datetime
    due: dict[str, datetime]


def horizon(now: datetime, today: date, prefs: Prefs) -> Horizon:
    return Horizon(
        now=now,
        today=today,
        dormancy_cutoff=now - timedelta(days=prefs.dormancy_threshold_days),
        interaction_cooldown=now - timedelta(days=INTERACTION_COOLDOWN_DAYS),
        event_a=now - timedelta(days=EVENT_DAYS_A),
        event_b=now - timedelta(days=EVENT_DAYS_B),
        due={lvl: now - timedelta(days=prefs.intervals[lvl]) for lvl in LEVELS},
    )


def pool_a(
    f: ContactFacts, now: datetime, today: date, prefs: Prefs, h: Horizon | None = None
) -> Candidate | None:
    """The best pool A trigger for a contact (time-based, event, scheduled, birthday), or None."""
    h = h or horizon(now, today, prefs)
    found: list[Candidate] = []
    last = f.last_interaction_at
    d = days_since(last, now)
    stale_zero = f.score == 0 and d > YEAR
    level = f.priority_level

    if prefs.birthday_reminders and f.birthday:
        until = days_until_birthday(f.birthday, today)
        if until is not None and until <= BIRTHDAY_WINDOW_DAYS:
            reason = birthday_reason(f.birthday, today) or "Birthday"
            found.append(Candidate(f.id, "A", "birthday", BIRTHDAY_PRIORITY, reason, soon=until))

    if last is not None and last >= h.dormancy_cutoff:
        ev = fresh_event(f, now, EVENT_DAYS_A) if f.events else None
        if ev is not None and last < h.interaction_cooldown:
            text = f"Recent news: {ev.summary}" if ev.summary else "Recent news"
            found.append(
                Candidate(
                    f.id, "A", "event_based", compute_priority(f.interaction_count, d, event=True), text, ev
                )
            )
        if level in LEVELS and f.interaction_count >= MIN_INTERACTIONS[level] and not stale_zero:
            interval = prefs.intervals[level]
            due = h.due[level]
            if f.score < 4 and last < due:
                found.append(
                    Candidate(
                        f.id,
                        "A",
                        "time_based",
                        compute_priority(f.interaction_count, d),
                        f"{d} days since you last talked ({level} priority: every {interval} days)",
                    )
                )
            if f.last_followup_at is not None and f.last_followup_at < due:
                fd = days_since(f.last_followup_at, now)
                found.append(
                    Candidate(
                        f.id,
                        "A",
                        "scheduled",
                        compute_priority(f.interaction_count, d),
                        f"Last follow-up {fd} days ago ({level} priority: every {interval} days)",
                    )
                )
    if not found:
        return None
    return found[0] if len(found) == 1 else max(found, key=lambda c: c.priority)


# ------------------------------------------------------------------ pool B


def is_dormant(f: ContactFacts, now: datetime, prefs: Prefs) -> bool:
    last = f.last_interaction_at
    return last is None or last < now - timedelta(days=prefs.dormancy_threshold_days)


def pool_b(f: ContactFacts, now: datetime, prefs: Prefs) -> Candidate | None:
    """The best pool B (dormant revival) trigger for a contact, or None."""
    if f.score <= 0:
        return None
    last = f.last_interaction_at
    d = days_since(last, now)
    span = span_days(f)
    c, s = f.interaction_count, f.score
    found: list[Candidate] = []
    beyond_cap = last is None or d > HARD_CAP_DAYS
    if not beyond_cap:
        if YEAR <= d <= HARD_CAP_DAYS and (c >= 5 or s >= 5):
            found.append(
                Candidate(
                    f.id,
                    "B",
                    "dormant_deep",
                    compute_priority_b(c, s, span),
                    f"Dormant for {d} days after {c} interactions",
                )
            )
        elif YEAR <= d <= MID_MAX_DAYS and c >= 2 and span >= 0:
            found.append(
                Candidate(
                    f.id,
                    "B",
                    "dormant_mid",
                    compute_priority_b(c, s, span),
                    f"Dormant for {d} days after {c} interactions",
                )
            )
    if is_dormant(f, now, prefs):
        ev = fresh_event(f, now, EVENT_DAYS_B)
        if ev is not None and (c >= 2 or s >= 3 or span >= 30):
            text = f"Recent news: {ev.summary}" if ev.summary else "Recent news"
            found.append(
                Candidate(
                    f.id,
                    "B",
                    "dormant_event",
                    compute_priority_b(c, s, span, event=True),
                    f"{text}, after {d if last else 'no'} days of silence",
                    ev,
                )
            )
    return max(found, key=lambda x: x.priority) if found else None


# ------------------------------------------------------------------ post-filters


@dataclass(frozen=True)
class RecentSignals:
    """The last Telegram read receipt and the 3 latest inbound/outbound directions (newest first)."""

    telegram_read: bool | None = None
    recent: tuple[tuple[str, datetime], ...] = ()


READ_BONUS = 100


def post_filter(c: Candidate, sig: RecentSignals, now: datetime) -> Candidate | None:
    """Read receipts (unread -> drop, read -> +100), then ghosting (3 outbound -> drop, 2 -> x0.5),
    which applies only when the newest of the last 3 messages is within 30 days."""
    p = c.priority
    reason = c.reason
    if sig.telegram_read is False:
        return None
    if sig.telegram_read is True:
        p += READ_BONUS
        reason += "; read your last Telegram message without replying"
    if sig.recent and (now - sig.recent[0][1]).days <= GHOST_RECENCY_DAYS:
        streak = 0
        for direction, _ in sig.recent[:3]:
            if direction != "outbound":
                break
            streak += 1
        if streak >= 3:
            return None
        if streak == 2:
            p *= 0.5
            reason += "; your last 2 messages are unanswered"
    return replace(c, priority=p, reason=reason)


def upper_bound(c: Candidate, has_read_receipts: bool = True) -> float:
    """The highest priority a candidate can reach after the post-filters (only a Telegram read
    receipt raises it)."""
    return c.priority + (READ_BONUS if has_read_receipts else 0)


# ------------------------------------------------------------------ budget


def budgets(max_total: int) -> tuple[int, int]:
    a = max(1, round(0.6 * max_total))
    return a, max(1, max_total - a)


def rank_key(c: Candidate) -> tuple[float, int, int]:
    return (-c.priority, c.soon, c.contact_id)


def select(a: list[Candidate], b: list[Candidate], max_total: int) -> list[Candidate]:
    """Each pool's best by priority within its budget; unused slots roll over, A first.
    `a` and `b` need not be sorted. A contact is taken at most once."""
    a = sorted(a, key=rank_key)
    b = sorted(b, key=rank_key)
    slots_a, slots_b = budgets(max_total)
    taken: set[int] = set()
    chosen_a: list[Candidate] = []
    chosen_b: list[Candidate] = []

    def take(pool: list[Candidate], into: list[Candidate], n: int) -> None:
        for c in pool:
            if n <= 0:
                return
            if c.contact_id in taken or c in into:
                continue
            taken.add(c.contact_id)
            into.append(c)
            n -= 1

    take(a, chosen_a, slots_a)
    take(b, chosen_b, slots_b)
    left = max_total - len(chosen_a) - len(chosen_b)
    if left > 0:
        take(a, chosen_a, left)
        left = max_total - len(chosen_a) - len(chosen_b)
        take(b, chosen_b, left)
    return chosen_a + chosen_b


# ------------------------------------------------------------------ channel and drafts


def reachable_channels(emails: bool, telegram: bool, twitter: bool, linkedin: bool) -> tuple[str, ...]:
    return tuple(
        ch
        for ch, ok in (
            ("email", emails),
            ("telegram", telegram),
            ("twitter", twitter),
            ("linkedin", linkedin),
        )
        if ok
    )


def choose_channel(recent_platforms: list[str], reachable: tuple[str, ...], preferred: str = "auto") -> str:
    """[suggestion-drafts]: the preferred channel when reachable; else [suggestion-drafts]: the platform of
    the most recent of the latest 5 interactions that is email/telegram/twitter (and that the contact is
    reachable on: no email
    draft for someone without an address); else the first reachable channel; else email."""
    if preferred != "auto" and preferred in reachable:
        return preferred
    for p in recent_platforms[:5]:
        if p in SENDABLE and p in reachable:
            return p
    return reachable[0] if reachable else "email"


def first_name(given: str | None, full: str | None) -> str:
    """The name a draft greets ([suggestion-drafts]): the given name, else the one the full name gives
    ([name-parts]: "Dr. Jane Smith" is Jane, "O'Brien, Clara" Clara, "🦄 Dan" Dan), else "there". Worked
    out when drafting, so a contact stored without a given name (an older store, an import) is greeted
    alike."""
    return name_parts.first_name(given, full) or "there"


def draft(trigger: str, pool: str | None, first: str, event_summary: str | None = None) -> str:
    """[suggestion-drafts] fixed templates (used until an AI model is configured)."""
    if trigger == "birthday":
        return f"Happy birthday, {first}! Hope the year ahead treats you well."
    if pool == "B":
        return f"Hi {first}, it's been a while since we last talked. How have you been?"
    if trigger == "event_based" and event_summary:
        return f"Hey {first}, I just saw your news ({event_summary.rstrip('.')}). How are things going?"
    return f"Hey {first}, just wanted to check in. How have things been going?"


def reason_label(trigger: str) -> str:
    """The reason in words, for people: never an internal trigger name."""
    return REASON_LABELS.get(trigger) or trigger.replace("_", " ").capitalize()
