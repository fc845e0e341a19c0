"""The follow-up engine [followup-engine] and the suggestion use cases, one function per API operation:

GET /suggestions -> list_suggestions, GET /suggestions/digest -> digest, POST /suggestions/generate ->
generate, PUT /suggestions/{id} -> update_suggestion, POST /suggestions/{id}/regenerate -> regenerate.
Importers and syncs call `on_new_activity` after writing interactions; the daemon's hourly job calls
`reactivate_snoozed`.
"""

from __future__ import annotations

import heapq
import logging
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from pcrm.clock import iso, parse_iso
from pcrm.domain import limits
from pcrm.domain import suggestions as rules
from pcrm.domain.dates import FUTURE_HINT, local_moment, parse_future
from pcrm.domain.limits import Span, check_utf8
from pcrm.domain.query import parse_limit
from pcrm.domain.suggestions import Candidate, ContactFacts, Event, Prefs, RecentSignals
from pcrm.domain.wording import counted
from pcrm.errors import BadRequest, Conflict, NotFound, ValidationError
from pcrm.services import scores
from pcrm.services.ai import compose as ai_compose
from pcrm.services.ai import models
from pcrm.services.context import Context, Result
from pcrm.store import settings as sstore
from pcrm.store import suggestions as store
from pcrm.store.db import Connection, write, write_if_free
from pcrm.store.rows import new_uuid

log = logging.getLogger(__name__)

LOCK_NAME = "suggestions.generate"
# when suggestions were last generated, whether the run found anyone or not (pcrm's own bookkeeping, as
# the score catch-up's): what tells the digest "nothing generated lately" from "nobody to follow up"
# [weekly-digest]
GENERATED = "_internal.suggestions_generated_at"
_UPDATE_KEYS = {"status", "scheduled_for", "snooze_until", "suggested_message", "suggested_channel"}
MAX_MESSAGE = limits.MAX_MESSAGE
LIST_LIMIT = Span(1, 100, 10)  # list_suggestions(limit=...): the MCP tool get_suggestions
SNOOZE_DAYS = Span(1, 3650, 14)  # snooze --days (the CLI's default: two weeks)


def prefs(ctx: Context) -> Prefs:
    """The suggestion preferences in force ([suggestion-prefs]: every stored preference takes effect)."""
    s = ctx.setting
    return Prefs(
        max_suggestions=int(s("suggestions.max_suggestions")),
        include_dormant=bool(s("suggestions.include_dormant")),
        birthday_reminders=bool(s("suggestions.birthday_reminders")),
        preferred_channel=str(s("suggestions.preferred_channel")),
        dormancy_threshold_days=int(s("suggestions.dormancy_threshold_days")),
        intervals={lvl: int(s(f"priority.{lvl}")) for lvl in rules.LEVELS},
    )


# ------------------------------------------------------------------ maintenance


def _maintain(ctx: Context, *, reading: bool = False) -> str | None:
    """Before reading the queue: scores current, due snoozes back, superseded suggestions dismissed.

    `reading` (a list, the digest): a clock set ahead of the one it replaces (`--now 2027-01-20`) asks what
    the queue would be then [what-if-reads]: the store changes only as far as the present (what any read
    now does), and the moment to show the rest as of is returned for store.list_pending, else None."""
    scores.catch_up(ctx)
    now = ctx.now_iso()
    ahead = None
    if reading:
        from pcrm import clock

        present = iso(clock.unpinned(ctx.tz))
        if now > present:
            now, ahead = present, now
    expired = _expired_birthdays(ctx, now)
    if not expired and not store.maintenance_due(ctx.conn, now):
        return ahead  # nothing to change: no write (the daemon answers the list from its read connection)

    def tidy(conn: Connection) -> None:
        store.expire(conn, expired, now)
        store.reactivate_snoozed(conn, now)
        store.dismiss_superseded(conn, now)

    if not reading:
        with write(ctx.conn):
            tidy(ctx.conn)
    elif not write_if_free(ctx.conn, tidy):
        # another process holds the write lock (a long import) [busy-reads]: the queue is shown as the
        # tidying would leave it, as a clock ahead shows it [what-if-reads]; a later read writes it
        return ahead or now
    return ahead


def _expired_birthdays(ctx: Context, now: str) -> list[int]:
    """The pending or snoozed birthday suggestions whose day passed over a week before `now`
    [birthday-expiry]: dismissed as `system`, so they neither list nor keep their contact from other
    triggers, and start no cooldown."""
    tz = ctx.tz()
    today = parse_iso(now).astimezone(tz).date()
    return [
        sid
        for sid, made, birthday in store.open_birthdays(ctx.conn)
        if rules.birthday_expired(birthday, parse_iso(made).astimezone(tz).date(), today)
    ]


def _current(ctx: Context, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Without the birthday suggestions expired as of now: a read whose clock is ahead of the present
    writes their expiry only up to the present [what-if-reads], and leaves out the rest here."""
    tz = ctx.tz()
    today = ctx.now().astimezone(tz).date()
    return [
        it
        for it in items
        if it["trigger_type"] != "birthday"
        or not rules.birthday_expired(
            it.get("_birthday"), parse_iso(it["created_at"]).astimezone(tz).date(), today
        )
    ]


def reactivate_snoozed(ctx: Context) -> Result:
    """The hourly job: snoozed suggestions whose time has come are pending again; birthday suggestions
    past their day expire instead of coming back [birthday-expiry]."""
    now = ctx.now_iso()
    expired = _expired_birthdays(ctx, now)
    with write(ctx.conn):
        store.expire(ctx.conn, expired, now)
        n = store.reactivate_snoozed(ctx.conn, now)
    return Result({"reactivated": n})


def on_new_activity(ctx: Context, activity: Mapping[int, str]) -> int:
    """Call after writing interactions: {contact rowid: newest occurred_at written (canonical string)}.
    Dismisses (as `system`) pending suggestions created at or before that activity, so old messages
    arriving by backfill or import never dismiss a newer suggestion [auto-dismissal]. Returns how many."""
    with write(ctx.conn):
        return store.dismiss_for_activity(ctx.conn, activity, ctx.now_iso())


# ------------------------------------------------------------------ generation


def _facts(ctx: Context, p: Prefs, now: datetime, today: Any) -> Iterator[ContactFacts]:
    conn = ctx.conn
    cutoff = now - timedelta(days=p.dormancy_threshold_days)
    b_edge = max(now - timedelta(days=rules.YEAR), cutoff) if p.include_dormant else None
    birthdays = None
    if p.birthday_reminders:
        keys = set()
        for k in range(rules.BIRTHDAY_WINDOW_DAYS + 1):
            d = today + timedelta(days=k)
            keys.add(f"{d.month:02d}-{d.day:02d}")
            if (d.month, d.day) == (2, 28) and rules.birthday_on("02-29", d.year) == d:
                keys.add("02-29")  # leap-day birthdays fall on Feb 28 in other years
        birthdays = "[" + ",".join(f'"{k}"' for k in sorted(keys)) + "]"
    event_since = now - timedelta(days=max(rules.EVENT_DAYS_A, rules.EVENT_DAYS_B))
    params = {
        "now": iso(now),
        "followup_cutoff": iso(now - timedelta(days=rules.FOLLOWUP_COOLDOWN_DAYS)),
        "dismiss_cutoff": iso(now - timedelta(days=rules.USER_DISMISS_COOLDOWN_DAYS)),
        "dormancy_cutoff": iso(cutoff),
        "min_due": iso(now - timedelta(days=min(p.intervals.values()))),
        "event_since": iso(event_since),
        "birthdays": birthdays,
        "b_edge": iso(b_edge) if b_edge else None,
    }
    events = {
        cid: tuple(Event(eid, conf, parse_iso(at), summary) for eid, conf, at, summary in evs)
        for cid, evs in store.recent_events(conn, iso(event_since), iso(now)).items()
    }
    # one contact at a time: the candidates are most of a large store [daemon-memory]
    for cid, level, score, count, last, followup, birthday, first in store.candidate_facts(conn, params):
        yield ContactFacts(
            id=cid,
            priority_level=level,
            score=score,
            interaction_count=count,
            last_interaction_at=parse_iso(last) if last else None,
            last_followup_at=parse_iso(followup) if followup else None,
            birthday=birthday,
            first_interaction_at=parse_iso(first) if first else None,
            events=events.get(cid, ()),
        )


def _best(ctx: Context, cands: list[Candidate], k: int, now: datetime) -> list[Candidate]:
    """The top k after the post-filters, exactly, without looking at every candidate.

    Candidates are visited best first; only a Telegram read receipt can raise a priority (+100), so a
    pass stops once no later candidate can reach the k-th kept one. Read flags are fetched in bulk for
    the candidates within reach of that threshold, and the pass repeats until the threshold settles."""
    now_s = iso(now)
    ordered = sorted(cands, key=rules.rank_key)
    flags: dict[int, bool] = {}
    known_floor = float("inf")  # read flags are known for every candidate with priority >= this
    recent: dict[int, tuple[tuple[str, datetime], ...]] = {}

    def one_pass() -> tuple[list[Candidate], float]:
        heap: list[tuple[float, int, int, Candidate]] = []  # the worst kept candidate on top
        for c in ordered:
            if len(heap) >= k:
                if c.priority + rules.READ_BONUS < heap[0][0]:
                    break  # nobody further down can reach the k-th kept candidate
                if rules.upper_bound(c, flags.get(c.contact_id) is True) < heap[0][0]:
                    continue
            if c.contact_id not in recent:
                recent[c.contact_id] = tuple(
                    (d, parse_iso(t)) for d, t in store.recent_directions(ctx.conn, c.contact_id, now_s)
                )
            sig = RecentSignals(telegram_read=flags.get(c.contact_id), recent=recent[c.contact_id])
            f = rules.post_filter(c, sig, now)
            if f is None:
                continue
            heapq.heappush(heap, (f.priority, -f.soon, -f.contact_id, f))
            if len(heap) > k:
                heapq.heappop(heap)
        threshold = heap[0][0] if len(heap) >= k else float("-inf")
        return sorted((c for *_, c in heap), key=rules.rank_key), threshold

    while True:
        best, threshold = one_pass()
        floor = threshold - rules.READ_BONUS
        if floor >= known_floor:
            return best
        ids = [c.contact_id for c in ordered if floor <= c.priority < known_floor]
        flags.update(store.read_flags(ctx.conn, ids, now_s))
        known_floor = floor


def select_candidates(ctx: Context, now: datetime, p: Prefs) -> list[Candidate]:
    """The whole [followup-engine] pipeline up to the winners, without writing anything."""
    today = now.astimezone(ctx.tz()).date()
    h = rules.horizon(now, today, p)
    pool_a: list[Candidate] = []
    pool_b: list[Candidate] = []
    for f in _facts(ctx, p, now, today):
        a = rules.pool_a(f, now, today, p, h)
        if a is not None:
            pool_a.append(a)
        if p.include_dormant and f.score > 0:
            b = rules.pool_b(f, now, p)
            if b is not None:
                pool_b.append(b)
    best_a = _best(ctx, pool_a, p.max_suggestions, now)
    best_b = _best(ctx, pool_b, p.max_suggestions + len(best_a), now)
    return rules.select(best_a, best_b, p.max_suggestions)


def _compose(
    ctx: Context,
    cid: int,
    trigger: str,
    pool: str | None,
    event_id: int | None,
    channel: str | None,
    p: Prefs,
) -> tuple[str, str]:
    brief = store.contact_brief(ctx.conn, cid)
    if channel is None:
        reachable = rules.reachable_channels(
            bool(brief["has_email"]),
            bool(brief["has_telegram"]),
            bool(brief["has_twitter"]),
            bool(brief["has_linkedin"]),
        )
        channel = rules.choose_channel(
            store.recent_platforms(ctx.conn, cid, ctx.now_iso()), reachable, p.preferred_channel
        )
    summary = store.event_summary(ctx.conn, event_id)
    if (
        models.choice(ctx, "compose") is not None
    ):  # the model's draft, or the template if it fails [ai-compose]
        message, _ = ai_compose.draft(ctx, cid, channel, trigger=trigger, pool=pool, event_summary=summary)
        return message, channel
    first = rules.first_name(brief["given_name"], brief["full_name"])
    return rules.draft(trigger, pool, first, summary), channel


def generate(ctx: Context, *, notify: bool = False) -> Result:
    """POST /suggestions/generate: run the engine once; returns the created suggestions,
    meta.generated = n. A concurrent run gets an empty list at once (meta.locked = true)."""
    conn = ctx.conn
    holder = new_uuid()
    wall = datetime.now(UTC)  # the lock is about real concurrency, not the --now clock
    if not store.acquire_lock(
        conn, LOCK_NAME, holder, iso(wall), iso(wall + timedelta(seconds=rules.GENERATION_LOCK_SECONDS))
    ):
        return Result([], {"generated": 0, "locked": True})
    try:
        _maintain(ctx)
        if not store.any_positive_score(conn) and store.any_interactions(conn):
            scores.refresh(ctx)
        now = ctx.now()
        p = prefs(ctx)
        winners = select_candidates(ctx, now, p)
        items = []
        for c in winners:
            try:
                message, channel = _compose(
                    ctx, c.contact_id, c.trigger, c.pool, c.event.id if c.event else None, None, p
                )
            except Exception:
                log.warning(
                    "could not draft a suggestion for contact %s; skipped", c.contact_id, exc_info=True
                )
                continue
            items.append(
                {
                    "contact_id": c.contact_id,
                    "trigger_type": c.trigger,
                    "pool": c.pool,
                    "trigger_event_id": c.event.id if c.event else None,
                    "reason": c.reason,
                    "suggested_message": message,
                    "suggested_channel": channel,
                }
            )
        with write(conn):
            ids = store.insert(conn, items, iso(now))
            sstore.put(conn, GENERATED, iso(now), iso(now))
            if notify and ids:
                n = len(ids)
                store.add_notification(
                    conn,
                    "suggestion",
                    # the reference's words, in the number n takes
                    f"{counted(n, 'new follow-up suggestion')}",
                    f"You have {counted(n, 'new person', 'new people')} to reach out to this week.",
                    "/suggestions",
                    iso(now),
                )
        return Result(_shown(ctx, store.fetch(conn, ids)), {"generated": len(ids)})
    finally:
        store.release_lock(conn, LOCK_NAME, holder)


# ------------------------------------------------------------------ reading


def _shown(ctx: Context, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Suggestions as the shells show them: the reason worded as of now (the stored one was true the day
    it was made): a birthday's days until (or since) it, and the days since the last interaction or
    follow-up that a time-based, scheduled or dormant trigger counted [active-triggers]."""
    now = ctx.now()
    today = now.astimezone(ctx.tz()).date()
    for it in items:
        birthday = it.pop("_birthday", None)
        followup = it.pop("_last_followup_at", None)
        if it["trigger_type"] == "birthday":
            it["reason"] = rules.birthday_reason(birthday, today) or it["reason"]
            continue
        last = (it.get("contact") or {}).get("last_interaction_at")
        it["reason"] = rules.reason_as_of(
            it["trigger_type"],
            it["reason"],
            now,
            last_interaction_at=parse_iso(last) if last else None,
            last_followup_at=parse_iso(followup) if followup else None,
        )
    return items


def list_suggestions(ctx: Context, *, limit: Any = None) -> Result:
    """GET /suggestions: pending, newest first, without archived, 2nd-tier or unreachable contacts.

    limit (the MCP tool get_suggestions): at most LIST_LIMIT.hi (1-100), and meta.total counts them all."""
    n = None if limit is None else parse_limit(limit, default=LIST_LIMIT.default, hi=LIST_LIMIT.hi)
    ahead = _maintain(ctx, reading=True)
    items = _shown(ctx, _current(ctx, store.list_pending(ctx.conn, listing=True, as_of=ahead)))
    if n is None:
        return Result(items, {"count": len(items)})
    return Result(items[:n], {"count": min(n, len(items)), "total": len(items)})


def digest(ctx: Context) -> Result:
    """GET /suggestions/digest: every pending suggestion, newest first, without archived and 2nd-tier
    contacts [hidden-contacts]. meta.last_generated_at: when suggestions were last generated (null: never),
    so an empty list tells "none generated lately" from "nobody to follow up" [weekly-digest]."""
    ahead = _maintain(ctx, reading=True)
    items = _shown(ctx, _current(ctx, store.list_pending(ctx.conn, listing=False, as_of=ahead)))
    return Result(items, {"count": len(items), "last_generated_at": _last_generated(ctx)})


def _last_generated(ctx: Context) -> str | None:
    """When suggestions were last generated: the stamp every generation leaves, or, for a store from before
    it did, the newest suggestion's creation [weekly-digest]."""
    return max(filter(None, (sstore.get(ctx.conn, GENERATED), store.newest_created(ctx.conn))), default=None)


# ------------------------------------------------------------------ changing one


def _rowid(ctx: Context, suggestion_id: str) -> int:
    found = store.locate(ctx.conn, str(suggestion_id)) if len(str(suggestion_id).strip()) == 36 else []
    exact = [r for r in found if r[1] == str(suggestion_id).strip().lower()]
    if not exact:
        raise NotFound(
            f"no suggestion with id {suggestion_id}", hint="list them with `pcrm suggestions list`"
        )
    return exact[0][0]


def resolve_ref(ctx: Context, ref: str, *, done: str | None = None) -> str:
    """A CLI suggestion reference: a full UUID, a unique id prefix of 4+ characters, or a contact (name,
    email, ...) with an open suggestion [suggestion-refs]. A contact's name wins over an id prefix: `abba`
    is Abba's suggestion, not one whose id starts with abba (`resolve_id`). `done`: the status the caller
    sets (see `for_contact`)."""
    from pcrm.services import contacts

    found = resolve_id(ctx, ref)
    if found is not None:
        return found
    try:
        contact_id = contacts.resolve_ref(ctx, ref)
    except NotFound:
        raise NotFound(
            f"no suggestion or contact matches {ref!r}", hint="list them with `pcrm suggestions list`"
        ) from None
    return for_contact(ctx, contact_id, ref, done=done)


def _not_blank(ref: Any) -> None:
    """An empty suggestion reference is refused as one, not as an empty contact reference: the hint says what
    names a suggestion [suggestion-refs]."""
    if not isinstance(ref, str) or not ref.strip():
        raise ValidationError(
            "empty suggestion reference",
            field="suggestion",
            hint="give a suggestion id (or 4+ characters of it) or the name of a contact with a suggestion; "
            "`pcrm suggestions list` lists them",
        )


def resolve_id(ctx: Context, ref: str) -> str | None:
    """The suggestion a full UUID or a unique id prefix of 4+ characters names; None when none does, and
    for a prefix that is also a contact's name, email or handle (`abba`): that names the contact."""
    from pcrm.services import contacts

    _not_blank(ref)
    low = (ref or "").strip().lower()
    found = store.locate(ctx.conn, low) if len(low) >= 4 else []
    if found and all(u != low for _, u in found) and contacts.names_someone(ctx, ref):
        return None
    exact = [u for _, u in found if u == low]
    if exact:
        return exact[0]
    if len(found) == 1:
        return found[0][1]
    if found:
        raise BadRequest(
            f"{ref!r} matches {len(found)} suggestions: " + ", ".join(u[:8] for _, u in found),
            hint="give more of the id",
        )
    return None


def contact_of(ctx: Context, ref: str, *, sent: bool = False, done: str | None = None) -> str:
    """The contact a suggestion command names by a person (`pcrm suggestions snooze "Niklaus Lamport"`):
    among namesakes, the one with a pending or snoozed suggestion (with `sent`, a sent one) when only one has
    it, else the one with a suggestion in the status `done` the command sets (a second dismiss)
    [contact-references]. A name fitting nobody says so with the 'did you mean' hint [near-names]."""
    from pcrm.services import contacts

    _not_blank(ref)
    statuses = ("sent",) if sent else ("pending", "snoozed")

    def among(c: Context, ids: list[int]) -> list[int]:
        found = store.contacts_with(c.conn, ids, statuses)
        return found or (store.contacts_with(c.conn, ids, (done,)) if done else [])

    try:
        return contacts.resolve_ref(ctx, ref, among=among)
    except NotFound as e:
        raise NotFound(
            f"no suggestion or contact matches {ref!r}",
            hint=f"{e.hint}; `pcrm suggestions list` lists the suggestions" if e.hint else None,
            details=e.details,
        ) from None


def for_contact(
    ctx: Context, contact_id: str, ref: str, *, sent: bool = False, done: str | None = None
) -> str:
    """A contact's open suggestion: the newest pending one, else the newest snoozed one; with `sent`, the
    one most recently marked sent (what `pcrm suggestions reopen NAME` means).

    `done`: the status the command sets (`dismissed` for a dismiss, `pending` for a reopen). With none open,
    the contact's latest suggestion is the one meant when it has that status already, so that a command
    repeated by name answers as by id, "nothing to change" [suggestion-status]; or when it is sent and the
    command would dismiss or snooze it, so that the refusal says why and how to reopen it."""
    found = (store.sent_for_contact if sent else store.open_for_contact)(ctx.conn, contact_id)
    if found:
        return found[0]
    latest = store.latest_for_contact(ctx.conn, contact_id)
    if latest is not None and (
        latest[1] == done or (latest[1] == "sent" and done in ("dismissed", "snoozed"))
    ):
        return latest[0]
    hint = "list them with `pcrm suggestions list`"
    if latest is not None:
        hint = f"its latest suggestion, {latest[0][:8]}, is {latest[1]}; {hint}"
    raise NotFound(f"{ref!r} has no {'sent' if sent else 'pending or snoozed'} suggestion", hint=hint)


def _channel(value: Any, field: str = "suggested_channel") -> str:
    """A channel as given in the body's `field` (`channel` for regenerate)."""
    ch = str(value or "").strip().lower()
    if ch not in rules.CHANNELS:
        raise ValidationError(
            f"unknown channel {value!r}",
            field=field,
            hint=f"use one of: {', '.join(rules.CHANNELS)}",
        )
    return ch


def update_suggestion(ctx: Context, suggestion_id: str, body: Mapping[str, Any]) -> Result:
    """PUT /suggestions/{id}: {status?, snooze_until? | scheduled_for?, suggested_message?,
    suggested_channel?}. dismissed -> by the user (30-day cooldown); sent -> the contact's
    last_followup_at = now (14-day cooldown, feeds the scheduled trigger); snoozed needs a time."""
    unknown = set(body) - _UPDATE_KEYS
    if unknown:
        key = min(unknown)
        raise ValidationError(
            f"unknown field {key!r}", field=key, hint=f"fields: {', '.join(sorted(_UPDATE_KEYS))}"
        )
    if not body:
        raise ValidationError(
            "nothing to change",
            field="status",
            hint="give status, suggested_message or suggested_channel (or snooze_until with status snoozed)",
        )
    now = ctx.now()
    fields: dict[str, Any] = {}
    status = body.get("status")
    if status is not None:
        status = str(status).strip().lower()
        if status not in rules.STATUSES:
            raise BadRequest(
                f"unknown status {body.get('status')!r}", hint=f"use one of: {', '.join(rules.STATUSES)}"
            )
        fields["status"] = status
        if status == "snoozed":
            until = body.get("snooze_until") or body.get("scheduled_for")
            if not until:
                raise ValidationError(
                    "snoozing needs snooze_until (or scheduled_for)",
                    field="snooze_until",
                    hint="e.g. pcrm suggestions snooze ID --days 14",
                )

            when = parse_future(str(until), field="snooze_until", tz=ctx.tz(), now=now)  # [future-times]
            if when <= now:
                raise ValidationError(
                    "snooze_until must be in the future",
                    field="snooze_until",
                    hint=f"give a later snooze_until, {FUTURE_HINT}",
                )
            fields["scheduled_for"] = iso(when)
            fields["dismissed_by"] = None
        elif status == "dismissed":
            fields["dismissed_by"] = "user"
            fields["scheduled_for"] = None
        else:
            fields["dismissed_by"] = None
            fields["scheduled_for"] = None
    if "suggested_message" in body:
        msg = body["suggested_message"]
        if not isinstance(msg, str) or not msg.strip():
            raise ValidationError(
                "the message cannot be empty",
                field="suggested_message",
                hint="give the draft's new text; `pcrm suggestions regenerate ID` drafts it again",
            )
        if len(msg) > MAX_MESSAGE:
            raise ValidationError(
                f"the message is longer than {MAX_MESSAGE:,} characters",
                field="suggested_message",
                hint=f"shorten the message to at most {MAX_MESSAGE:,} characters",
            )
        check_utf8("suggested_message", msg)
        fields["suggested_message"] = msg.strip()
    if "suggested_channel" in body:
        fields["suggested_channel"] = _channel(body["suggested_channel"])
    with write(ctx.conn):
        sid = _rowid(ctx, suggestion_id)
        st = store.state(ctx.conn, sid)
        assert st is not None
        _check_after_sent(str(suggestion_id).strip().lower(), st["status"], fields.get("status"))
        birthday_note = None
        if st["trigger_type"] == "birthday" and fields.get("status") == "snoozed":
            birthday_note = _birthday_snooze(ctx, sid, fields, now)
        if st["status"] == "sent" and fields.get("status") == "sent":
            # marked sent again: the follow-up is on record already [suggestion-status]
            fields = {k: v for k, v in fields.items() if k not in ("status", "dismissed_by", "scheduled_for")}
        # what is asked is what it is (dismissed twice, sent twice, the draft it has): no update, and the
        # answer says so [no-op-edits]
        unchanged = all(st.get(k) == v for k, v in fields.items())
        if not unchanged:
            store.update(ctx.conn, sid, fields, iso(now))
            if fields.get("status") == "sent":
                store.advance_last_followup(ctx.conn, st["contact_id"], iso(now))
        notes = [
            n
            for n in (birthday_note, _unreachable(ctx, st["contact_id"], fields.get("suggested_channel")))
            if n
        ]
    item = _shown(ctx, store.fetch(ctx.conn, [sid]))[0]
    name = item["contact"]["display_name"]
    meta: dict[str, Any] = {"note": "; ".join(n.format(name=name) for n in notes)} if notes else {}
    if unchanged:
        meta["unchanged"] = True
    return Result(item, meta)


def _birthday_snooze(ctx: Context, sid: int, fields: dict[str, Any], now: datetime) -> str | None:
    """A birthday suggestion snoozed past its day [birthday-expiry]: before the day, the snooze ends on the
    birthday's morning (09:00, as `--until friday` does) and the note ({name} to fill) says so; on or after
    the day, a snooze ending after the suggestion expires is kept as asked, and the note says it will not
    come back. None when the snooze ends in time."""
    tz = ctx.tz()
    made, birthday = store.made_for(ctx.conn, sid)
    made_day = parse_iso(made).astimezone(tz).date()
    today = now.astimezone(tz).date()
    asked = parse_iso(fields["scheduled_for"])
    day = rules.birthday_for(birthday, made_day)
    last = rules.birthday_last_day(birthday, made_day)
    if day is not None and day > today:
        morning = datetime(day.year, day.month, day.day, 9, tzinfo=tz)
        if asked <= morning:
            return None
        fields["scheduled_for"] = iso(morning)
        return (
            f"{{name}}'s birthday is on {day.isoformat()}: snoozed until that morning, not until "
            f"{local_moment(iso(asked), tz)}, as a birthday suggestion goes a week after the day "
            f"({last.isoformat()}); to drop it, dismiss it"
        )
    if asked.astimezone(tz).date() <= last:
        return None
    if day is None:
        when = "has moved since this suggestion was made"
    else:
        when = "is today" if day == today else f"was on {day.isoformat()}"
    return (
        f"{{name}}'s birthday {when}: this suggestion goes after {last.isoformat()}, before the snooze "
        "ends, so it will not come back; to drop it, dismiss it"
    )


def _unreachable(ctx: Context, cid: int, channel: str | None) -> str | None:
    """The note an edit that sets a channel the contact cannot be reached on gets ({name} to fill): the
    channel is kept as asked, as compose drafts for any channel it is given, but not in silence
    [suggestion-drafts]."""
    lacks = ai_compose.lacking(ctx, cid, channel)
    return f"{{name}} {lacks}; the suggestion is set to {channel} as asked" if lacks else None


def _check_after_sent(uuid: str, current: str, new: str | None) -> None:
    """A sent suggestion is done [suggestion-status]: marking it sent again changes nothing (200,
    meta.unchanged), and
    snoozing or dismissing it would quietly undo the follow-up on record (409). Only status pending
    (`pcrm suggestions reopen`) brings it back, asked for in so many words; draft edits stay allowed."""
    if current != "sent" or new in (None, "pending", "sent"):
        return  # sent again: nothing to change, said by meta.unchanged
    short = uuid[:8]
    verb = "snoozing" if new == "snoozed" else "dismissing"
    raise Conflict(
        f"suggestion {short} was already marked sent; {verb} it would undo that",
        hint=f"if it was marked sent by mistake, reopen it first: pcrm suggestions reopen {short}",
        details={"status": current},
    )


def reopen(ctx: Context, suggestion_id: str) -> Result:
    """`pcrm suggestions reopen ID`: PUT /suggestions/{id} with status pending, for a suggestion marked sent
    by mistake; one pending is in the queue already (meta.unchanged), one snoozed or dismissed has nothing to
    reopen (400). The contact's last_followup_at stays."""
    with write(ctx.conn):
        sid = _rowid(ctx, suggestion_id)
        st = store.state(ctx.conn, sid)
        assert st is not None
        if st["status"] == "pending":  # in the queue already: nothing to change
            return Result(_shown(ctx, store.fetch(ctx.conn, [sid]))[0], {"unchanged": True})
        if st["status"] != "sent":
            raise BadRequest(
                f"suggestion {str(suggestion_id).strip().lower()[:8]} is {st['status']}, not sent; "
                "there is nothing to reopen",
                hint="only a sent suggestion can be reopened; `pcrm suggestions list` shows the open ones",
            )
        return update_suggestion(ctx, suggestion_id, {"status": "pending"})


def edit_draft(
    ctx: Context, suggestion_id: str, *, message: str | None = None, channel: str | None = None
) -> Result:
    """`pcrm suggestions edit ID [--message TEXT] [--channel CH]`: PUT /suggestions/{id} with the draft's
    text or channel."""
    body: dict[str, Any] = {}
    if message is not None:
        body["suggested_message"] = message
    if channel is not None:
        body["suggested_channel"] = channel
    if not body:
        raise ValidationError(
            "nothing to change",
            field="suggested_message",
            hint='give --message or --channel, e.g. pcrm suggestions edit ID --message "Coffee next week?"',
        )
    return update_suggestion(ctx, suggestion_id, body)


def snooze(ctx: Context, suggestion_id: str, *, days: int | None = None, until: str | None = None) -> Result:
    """`pcrm suggestions snooze ID (--days N | --until WHEN)`: PUT /suggestions/{id} with status snoozed."""
    if (days is None) == (until is None):
        raise ValidationError(
            "give either --days or --until",
            field="snooze_until",
            hint="e.g. pcrm suggestions snooze ID --days 14",
        )
    if days is not None:
        lo, hi = SNOOZE_DAYS.lo, SNOOZE_DAYS.hi
        if not lo <= int(days) <= hi:
            raise ValidationError(
                f"--days must be from {lo} to {hi}, not {days}",
                field="days",
                hint=f"snooze for {lo} to {hi} days, e.g. --days 14; to drop it: pcrm suggestions dismiss ID",
            )
        until = iso(ctx.now() + timedelta(days=int(days)))
    return update_suggestion(ctx, suggestion_id, {"status": "snoozed", "snooze_until": until})


def regenerate(
    ctx: Context,
    suggestion_id: str,
    body: Mapping[str, Any] | None = None,
    *,
    prepared: tuple[int, str, str] | None = None,
) -> Result:
    """POST /suggestions/{id}/regenerate {channel?}: a fresh draft for the same trigger (revival framing
    for pool B), saved; keeps the channel unless one is given. Returns {suggested_message,
    suggested_channel}. `prepared`: the draft `redraft` wrote beforehand, off the daemon's writer lane
    [prepare-off-lane]; None drafts here."""
    sid, message, ch = prepared if prepared is not None else redraft(ctx, suggestion_id, body)
    with write(ctx.conn):
        if store.state(ctx.conn, sid) is None:  # gone meanwhile (its contact deleted)
            raise NotFound(
                f"no suggestion with id {suggestion_id}", hint="list them with `pcrm suggestions list`"
            )
        store.update(ctx.conn, sid, {"suggested_message": message, "suggested_channel": ch}, ctx.now_iso())
    return Result({"suggested_message": message, "suggested_channel": ch})


def redraft(ctx: Context, suggestion_id: str, body: Mapping[str, Any] | None = None) -> tuple[int, str, str]:
    """The new draft of a suggestion, nothing written: (its rowid, message, channel). The model is asked
    here, before any write begins: it may take seconds (minutes, retried), and neither the store's write
    lock nor the daemon's writer lane waits on it [ai-compose] [prepare-off-lane]."""
    body = dict(body or {})
    unknown = set(body) - {"channel"}
    if unknown:
        key = min(unknown)
        raise ValidationError(f"unknown field {key!r}", field=key, hint="the only field is channel")
    channel = _channel(body["channel"], "channel") if body.get("channel") else None
    sid = _rowid(ctx, suggestion_id)
    st = store.state(ctx.conn, sid)
    if st is None:
        raise NotFound(
            f"no suggestion with id {suggestion_id}", hint="list them with `pcrm suggestions list`"
        )
    message, ch = _compose(
        ctx,
        st["contact_id"],
        st["trigger_type"],
        st["pool"],
        st["trigger_event_id"],
        channel or st["suggested_channel"],
        prefs(ctx),
    )
    return sid, message, ch
