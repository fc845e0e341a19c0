"""The X adapter [x-api]: what one `fetch(cursor)` brings, one batch per page X answers.

1. DMs: `GET /2/dm_events` (MessageCreate, 100 a page, at most 15 pages a run) from `since_id` = the
   newest event id of the last run. X answers 400 when it no longer knows that id: the phase then starts
   once more without it and drops the events at or below it, so nothing is sent twice. Direction:
   outbound when the sender is the user. The other person is the sender (inbound), else the first
   participant who is not the user, else the other half of an `a-b` conversation id; people missing from
   the page's `includes` are looked up, 100 at a time. Refs `twitter_dm:{id}`, as the X archive import
   writes them [import-rerun-safety]; every counterpart is a contact keyed on their X user id.
2. Mentions (`/2/users/{me}/mentions`) by people who are already contacts (the records do not create
   anyone): inbound, ref `twitter_mention:{id}`.
3. Replies: the user's own tweets (`/2/users/{me}/tweets`) that reply to someone else (self-threads are
   left out), when that someone is a contact: outbound, ref `twitter_reply:{id}`.

Every person record carries the profile X sends with the page (handle, bio, location): a first-seen bio is
filled silently; changed bios are the bio poll's (services/x.py). The cursor (JSON) keeps each phase's
`since_id`, and for a pass under way its next page token and the newest id seen: a pass stopped by the page
limit (or a failure) resumes on the next run after its last committed page (from its `since_id` again when
X refuses that saved token), and the phase's `since_id` moves up to that newest id only when the pass reaches
its end (no next page, or the old cursor), so the events between the limit and the old `since_id` are
fetched too, each once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from pcrm import clock
from pcrm.domain.records import ContactRecord, InteractionRecord, Records
from pcrm.domain.sources import source
from pcrm.sync.base import Batch, Source, SourceError
from pcrm.sync.x import client as xclient
from pcrm.sync.x.client import BadRequestAnswer, XClient

DM_PAGES = 15
TIMELINE_PAGES = 5
PHASES = ("dm", "mention", "reply")


@dataclass
class _State:
    dm: str | None = None  # since_id of each phase: the newest id of its last complete pass
    mention: str | None = None
    reply: str | None = None
    # the passes under way, by phase: {"next": page token, "top": newest id seen, "floor": a stale since_id
    # dropped (events at or below it are not sent again)}. A pass stopped by the page limit or a failure
    # resumes there on the next run; the phase's since_id moves only when a pass reaches its end.
    open: dict[str, dict[str, str | None]] = field(default_factory=dict)

    @classmethod
    def parse(cls, cursor: str | None) -> _State:
        if not cursor:
            return cls()
        try:
            d = json.loads(cursor)
            st = cls(**{k: d.get(k) for k in PHASES if k in d})
            if isinstance(d.get("open"), dict):
                st.open = {k: dict(v) for k, v in d["open"].items() if k in PHASES and isinstance(v, dict)}
            elif d.get("phase") in PHASES and d.get("next"):  # a cursor of version 1: one pass under way
                st.open = {d["phase"]: {k: d.get(k) for k in ("next", "top", "floor")}}
            return st
        except (ValueError, TypeError, AttributeError):
            return cls()  # a cursor of another version: start over (writes are idempotent)

    def dump(self) -> str:
        return json.dumps({"v": 2, **asdict(self)}, separators=(",", ":"))


def _num(tweet_id: Any) -> int:
    try:
        return int(str(tweet_id))
    except ValueError:
        return 0


def _newer(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if _num(a) >= _num(b) else b


def contact_data(u: Mapping[str, Any]) -> dict[str, Any]:
    """An X user as contact input."""
    handle = u.get("username") or None
    data: dict[str, Any] = {
        "full_name": (u.get("name") or "").strip() or handle or str(u.get("id")),
        "twitter_user_id": str(u.get("id")),
    }
    if handle:
        data["twitter_handle"] = handle
    if u.get("description"):
        data["twitter_bio"] = u["description"]
    if u.get("location"):
        data["location"] = u["location"]
    return data


def photo_url(u: Mapping[str, Any]) -> str | None:
    """The user's profile photo at a usable size: X's `profile_image_url` is the 48 px `_normal` variant,
    and `_400x400` is the same photo larger. None without one, or for X's default (egg) picture, which is
    no photo of the person."""
    url = str(u.get("profile_image_url") or "").strip()
    if not url or "/default_profile_images/" in url:
        return None
    return re.sub(r"_normal(\.[A-Za-z0-9]+)?$", r"_400x400\1", url)


def _at(value: Any, now: Callable[[], datetime]) -> str:
    """X's `created_at` as a canonical timestamp; `now()` (the adapter's clock) when it is missing or not a
    time."""
    try:
        return clock.iso(clock.parse_iso(str(value)))
    except (ValueError, TypeError):
        return clock.iso(now())


class XSource(Source):
    spec = source("twitter")
    capabilities = frozenset({"contacts", "interactions", "bios", "per_contact"})
    client: XClient

    @classmethod
    def connect(cls, secrets: Mapping[str, str], settings: Mapping[str, Any]) -> XClient:
        return xclient.connect(settings)

    @classmethod
    def unready(cls, settings: Mapping[str, Any]) -> SourceError | None:
        return xclient.no_client_id(settings)

    def fetch(self, cursor: str | None) -> Iterator[Batch]:
        try:
            yield from self._fetch(_State.parse(cursor))
        finally:
            self.client.close()

    def _fetch(self, st: _State) -> Iterator[Batch]:
        me = self.client.user_id()
        for phase in PHASES:  # each phase from its since_id, or where its pass under way stopped
            yield from self._phase(phase, st, me)

    def _page(self, phase: str, me: str, since: str | None, token: str | None) -> dict[str, Any]:
        if phase == "dm":
            return self.client.dm_events(since, token)
        if phase == "mention":
            return self.client.mentions(me, since, token)
        return self.client.tweets(me, since, token)

    def _phase(self, phase: str, st: _State, me: str) -> Iterator[Batch]:
        limit = DM_PAGES if phase == "dm" else TIMELINE_PAGES
        since: str | None = getattr(st, phase)
        under_way = st.open.get(phase) or {}
        nxt, top, stale = under_way.get("next"), under_way.get("top"), under_way.get("floor")
        resumed = nxt is not None
        pages = 0
        while True:
            query_since = None if stale else since
            try:
                page = self._page(phase, me, query_since, nxt)
            except BadRequestAnswer:
                if nxt and pages == 0:  # X no longer takes the page token an earlier run saved
                    nxt = None  # the pass starts over from its since_id (writes are idempotent)
                    continue
                if phase != "dm" or not query_since or nxt:
                    raise
                stale = since  # X forgot the cursor: once more without it, dropping what we have
                page = self._page(phase, me, None, None)
            items = [x for x in page.get("data") or [] if isinstance(x, dict)]
            floor = _num(stale) if stale else None
            fresh = [x for x in items if floor is None or _num(x.get("id")) > floor]
            reached_floor = len(fresh) < len(items)
            for x in fresh:
                top = _newer(top, str(x.get("id")))
            pages += 1
            nxt = (page.get("meta") or {}).get("next_token")
            end = not nxt or reached_floor  # the pass is complete: the phase's since_id moves up
            stop = end or pages >= limit  # this run asks no more pages of this phase
            moved = False
            if end:
                done = _newer(since, top)
                moved = done != since
                setattr(st, phase, done)
                st.open.pop(phase, None)
            else:
                st.open[phase] = {"next": nxt, "top": top, "floor": stale}
            users = {
                str(u.get("id")): u
                for u in (page.get("includes") or {}).get("users") or []
                if isinstance(u, dict)
            }
            records = self._records(phase, fresh, users, me)
            # a batch saves the cursor: with records, when a pass ends that moved it, or stops half-way
            if records.interactions or records.contacts or (moved or resumed if end else stop):
                yield Batch(records, st.dump(), details={"phase": phase})
            if stop:
                return

    # ------------------------------------------------------------ records

    def _records(self, phase: str, items: list[dict[str, Any]], users: dict[str, Any], me: str) -> Records:
        if phase == "dm":
            return self.dm_records(items, users, me)
        return self.tweet_records(phase, items, users, me)

    def _people(
        self, wanted: list[str], users: dict[str, Any], *, create: bool
    ) -> tuple[Records, Callable[[str], int]]:
        missing = [u for u in dict.fromkeys(wanted) if u not in users]
        for i in range(0, len(missing), 100):
            for u in self.client.users(missing[i : i + 100]):
                users[str(u.get("id"))] = u
        records = Records()
        index: dict[str, int] = {}
        for uid in dict.fromkeys(wanted):
            index[uid] = len(records.contacts)
            records.contacts.append(
                ContactRecord(
                    row=len(records.contacts) + 1,
                    data=contact_data(users.get(uid) or {"id": uid}),
                    create=create,
                )
            )
        return records, index.__getitem__

    def dm_records(self, events: list[dict[str, Any]], users: dict[str, Any], me: str) -> Records:
        pairs = []
        for e in events:
            if e.get("event_type", "MessageCreate") != "MessageCreate":
                continue
            other = counterpart(e, me)
            if other:
                pairs.append((e, other))
        records, idx = self._people([o for _, o in pairs], users, create=True)
        for e, other in pairs:
            records.interactions.append(
                InteractionRecord(
                    row=len(records.interactions) + 1,
                    contact=idx(other),
                    platform="twitter",
                    direction="outbound" if str(e.get("sender_id")) == me else "inbound",
                    occurred_at=_at(e.get("created_at"), self.now),
                    raw_reference_id=f"twitter_dm:{e.get('id')}",
                    content_preview=e.get("text") or None,
                )
            )
        return records

    def tweet_records(
        self, phase: str, tweets: list[dict[str, Any]], users: dict[str, Any], me: str
    ) -> Records:
        pairs = []
        for t in tweets:
            if phase == "mention":
                who = str(t.get("author_id") or "")
                if who and who != me:
                    pairs.append((t, who))
            else:
                replied = any(
                    isinstance(r, dict) and r.get("type") == "replied_to"
                    for r in t.get("referenced_tweets") or []
                )
                who = str(t.get("in_reply_to_user_id") or "")
                if replied and who and who != me:
                    pairs.append((t, who))
        # mentions and replies only for people who are contacts already: these records create nobody
        records, idx = self._people([w for _, w in pairs], users, create=False)
        for t, who in pairs:
            handle = (users.get(who) or {}).get("username") if phase == "mention" else None
            url = f"https://x.com/{handle or 'i/web'}/status/{t.get('id')}"
            records.interactions.append(
                InteractionRecord(
                    row=len(records.interactions) + 1,
                    contact=idx(who),
                    platform="twitter",
                    direction="inbound" if phase == "mention" else "outbound",
                    occurred_at=_at(t.get("created_at"), self.now),
                    raw_reference_id=f"twitter_{phase}:{t.get('id')}",
                    content_preview=t.get("text") or None,
                    extra_data={"kind": phase, "url": url},
                )
            )
        return records


def counterpart(e: Mapping[str, Any], me: str) -> str | None:
    """The other person of a DM event (see the module docstring)."""
    sender = str(e.get("sender_id") or "")
    if sender and sender != me:
        return sender
    for p in e.get("participant_ids") or []:
        if str(p) != me:
            return str(p)
    conv = str(e.get("dm_conversation_id") or "")
    if "-" in conv:
        a, _, b = conv.partition("-")
        return b if a == me else a if b == me else None
    return None
