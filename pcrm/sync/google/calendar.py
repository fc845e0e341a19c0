"""The Google Calendar source [google-sources]: meetings of every connected account's primary calendar,
as `meeting` interactions (direction `mutual`) with each attendee.

The first run reads the events from three years back to 30 days ahead (single events, 250 a page, one
batch per page). Later runs read the events changed since the last run (`updatedMin`) and those the
30-day horizon has reached since. Skipped: cancelled events and events with nobody but you (and room
resources). Each attendee is found by email or created, named by their display name, else (one-to-one
meetings) from the title ("Coffee with Ada Lovelace"), else from the email ("ada.lovelace@" -> Ada
Lovelace; never for generic mailboxes). The ref is `gcal:{eventId}:{attendee email}`, so merging two
contacts never duplicates a meeting. A meeting in the future is stored but counts for nothing until it
has happened [future-interactions].

The cursor is JSON per account: `{"passes": [query, ...], "page": pageToken|null, "then": state}` while a
run is under way, `{"checked": when the last run started, "until": its horizon}` after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

from pcrm import clock
from pcrm.domain.records import ContactRecord, InteractionRecord, Me, Records
from pcrm.domain.sources import source
from pcrm.sync import google
from pcrm.sync.base import Batch, Source, each_account
from pcrm.sync.google.contacts import name_from_email
from pcrm.sync.google.gmail import dump_cursor, load_cursor

PAGE = 250
BACK = timedelta(days=3 * 365)
AHEAD = timedelta(days=30)
GENERIC = {"noreply", "no-reply", "info", "support", "admin", "hello", "team", "contact"}
_TITLE = re.compile(
    r"(?:\bbetween\s+.+?\s+and\s+(?P<a>.+)$)"
    r"|(?:\b(?:meeting|call|chat|coffee|lunch|dinner|sync|catchup|catch-up)\s+with\s+(?P<b>.+)$)",
    re.IGNORECASE,
)


def _z(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def name_from_title(title: str) -> str | None:
    m = _TITLE.search(title or "")
    if not m:
        return None
    name = (m.group("a") or m.group("b") or "").strip(" .!?")
    return name if 0 < len(name) <= 80 else None


def start_of(event: dict[str, Any]) -> str | None:
    start = event.get("start") or {}
    if start.get("dateTime"):
        return clock.iso(datetime.fromisoformat(start["dateTime"]))
    if start.get("date"):  # all-day: the date at UTC midnight
        return f"{start['date']}T00:00:00.000Z"
    return None


def event_records(event: dict[str, Any], mine: set[str], account: str, row: int) -> Records:
    records = Records()
    at = start_of(event)
    if event.get("status") == "cancelled" or at is None:
        return records
    people = [
        a
        for a in event.get("attendees") or []
        if a.get("email")
        and not a.get("self")
        and not a.get("resource")
        and str(a["email"]).lower() not in mine
        and not str(a["email"]).lower().endswith("resource.calendar.google.com")
    ]
    title = str(event.get("summary") or "")
    for a in people:
        email = str(a["email"]).strip().lower()
        name = (a.get("displayName") or "").strip() or None
        if name is None and len(people) == 1:
            name = name_from_title(title)
        if name is None and email.partition("@")[0] not in GENERIC:
            name = name_from_email(email)
        data: dict[str, Any] = {"emails": [email]}
        if name:
            data["full_name"] = name
        records.contacts.append(ContactRecord(row=row, data=data, where="calendar"))
        records.interactions.append(
            InteractionRecord(
                row=row,
                contact=len(records.contacts) - 1,
                platform="meeting",
                direction="mutual",
                occurred_at=at,
                raw_reference_id=f"gcal:{event['id']}:{email}",
                content_preview=title[:500] or None,
                extra_data={"event_id": event["id"], "account": account},
            )
        )
    return records


class GoogleCalendarSource(Source):
    spec = source("google_calendar")
    capabilities = frozenset({"contacts", "interactions"})

    @classmethod
    def connect(cls, secrets: Mapping[str, str], settings: Mapping[str, Any]) -> Any:
        return google.connect(secrets, settings)

    def fetch(self, cursor: str | None) -> Iterator[Batch]:
        state = load_cursor(cursor)
        now = self.now()
        tmin, tmax = _z(now - BACK), _z(now + AHEAD)

        def one(acct: Any) -> Iterator[Batch]:
            mine = state.get(acct.email) or {}
            if "passes" not in mine:
                then = {"checked": _z(now), "until": tmax}
                if "checked" in mine:
                    passes = [
                        {"timeMin": tmin, "timeMax": tmax, "updatedMin": mine["checked"]},
                        {"timeMin": mine["until"], "timeMax": tmax},
                    ]
                    if mine["until"] >= tmax:
                        passes.pop()
                else:
                    passes = [{"timeMin": tmin, "timeMax": tmax}]
                mine = {"passes": passes, "page": None, "then": then, "first": "checked" not in mine}
            yield from self._passes(acct, state, mine)

        yield from each_account(self.client.accounts, one, name=lambda a: a.email)

    def _passes(self, acct: Any, state: dict[str, Any], mine: dict[str, Any]) -> Iterator[Batch]:
        from pcrm.sync.google.client import pages

        events = acct.calendar().events()
        me = {acct.email.lower(), *(e.lower() for e in Me.from_setting(self.settings.get("me")).emails)}
        passes = list(mine["passes"])
        page_token = mine.get("page")
        while passes:
            query = passes[0]

            def request(tok: str | None, q: dict[str, Any] = query) -> Any:
                return events.list(
                    calendarId="primary",
                    singleEvents=True,
                    orderBy="startTime",
                    maxResults=PAGE,
                    pageToken=tok,
                    showDeleted=False,
                    **q,
                )

            listed = pages(request, account=acct.email, what="Google Calendar", start=page_token)
            for page, nxt in listed:
                rest = passes if nxt else passes[1:]
                if rest:
                    state[acct.email] = {**mine, "passes": rest, "page": nxt}
                else:
                    state[acct.email] = mine["then"]
                items = page.get("items") or []
                if not items and not mine.get("first") and rest:
                    continue  # an incremental pass with nothing in it
                records = Records()
                for k, ev in enumerate(items):
                    records.extend(event_records(ev, me, acct.email, k + 1))
                if not items and not mine.get("first"):
                    continue  # nothing changed: keep the older checkpoint, write nothing
                yield Batch(records, dump_cursor(state), details={"account": acct.email})
            passes = passes[1:]
            page_token = None
