"""The Gmail source [google-sources] [gmail-routing]: one interaction per message of every connected
account, never a new contact.

Incremental by `historyId`: the first run (and a run whose history Google has expired, HTTP 404) lists
the messages of the last year (`newer_than:1y`, 500 ids a page), one batch per page, after noting the
mailbox's `historyId`; later runs read `users.history.list` from the noted id (messages added) and fetch
only those. A run with nothing new makes one history call per account and yields no batch.

The cursor is JSON, per account: `{"full": {"start": historyId, "page": pageToken|null}}` while the
listing runs, `{"history": historyId, "page": pageToken|null}` afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from pcrm.domain.records import Me, Records
from pcrm.domain.sources import source
from pcrm.sync import google
from pcrm.sync.base import Batch, Source, each_account
from pcrm.sync.google.mail import Reader

QUERY = "newer_than:1y"
PAGE = 500


def load_cursor(cursor: str | None) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(cursor) if cursor else {}
    except ValueError:
        return {}  # a cursor of another version: start over (writes are idempotent)
    return data if isinstance(data, dict) else {}


def dump_cursor(state: dict[str, dict[str, Any]]) -> str:
    return json.dumps(state, sort_keys=True, separators=(",", ":"))


class GmailSource(Source):
    spec = source("gmail")
    capabilities = frozenset({"interactions", "per_contact"})

    @classmethod
    def connect(cls, secrets: Mapping[str, str], settings: Mapping[str, Any]) -> Any:
        return google.connect(secrets, settings)

    def _me(self) -> list[str]:
        return Me.from_setting(self.settings.get("me")).emails

    def fetch(self, cursor: str | None) -> Iterator[Batch]:
        from googleapiclient.errors import HttpError

        from pcrm.sync.google.client import execute, status_of

        state = load_cursor(cursor)

        def one(acct: Any) -> Iterator[Batch]:
            reader = Reader(acct.email, self._me())
            mine = state.get(acct.email) or {}
            if "history" in mine:
                try:
                    yield from self._history(acct, reader, state, mine)
                    return
                except HttpError as exc:
                    if status_of(exc) != 404:
                        raise
                    mine = {}  # Google no longer keeps that history: list everything again
            if "full" not in mine:
                profile = execute(
                    acct.gmail().users().getProfile(userId="me"), account=acct.email, what="Gmail"
                )
                mine = {"full": {"start": str(profile["historyId"]), "page": None}}
            yield from self._full(acct, reader, state, mine["full"])

        yield from each_account(self.client.accounts, one, name=lambda a: a.email)

    def _full(
        self, acct: Any, reader: Reader, state: dict[str, Any], full: dict[str, Any]
    ) -> Iterator[Batch]:
        from pcrm.sync.google.client import pages

        users = acct.gmail().users()
        listed = pages(
            lambda tok: users.messages().list(userId="me", q=QUERY, maxResults=PAGE, pageToken=tok),
            account=acct.email,
            what="Gmail",
            start=full.get("page"),
        )
        for page, nxt in listed:
            ids = [m["id"] for m in page.get("messages") or []]
            records = self._records(acct, reader, ids)
            state[acct.email] = (
                {"full": {"start": full["start"], "page": nxt}} if nxt else {"history": full["start"]}
            )
            yield Batch(records, dump_cursor(state), details={"phase": "full listing"})

    def _history(
        self, acct: Any, reader: Reader, state: dict[str, Any], mine: dict[str, Any]
    ) -> Iterator[Batch]:
        from pcrm.sync.google.client import pages

        users = acct.gmail().users()
        start = str(mine["history"])
        listed = pages(
            lambda tok: users.history().list(
                userId="me", startHistoryId=start, historyTypes="messageAdded", maxResults=PAGE, pageToken=tok
            ),
            account=acct.email,
            what="Gmail history",
            start=mine.get("page"),
        )
        for page, nxt in listed:
            ids = list(
                dict.fromkeys(
                    added["message"]["id"]
                    for h in page.get("history") or []
                    for added in h.get("messagesAdded") or []
                    if "DRAFT" not in (added["message"].get("labelIds") or [])
                )
            )
            new_state = (
                {"history": start, "page": nxt} if nxt else {"history": str(page.get("historyId") or start)}
            )
            if not ids and new_state == {"history": start}:
                continue  # nothing happened since the last run: no batch, nothing to write
            records = self._records(acct, reader, ids)
            state[acct.email] = new_state
            yield Batch(records, dump_cursor(state), details={"phase": "history"})

    def _records(self, acct: Any, reader: Reader, ids: list[str]) -> Records:
        from googleapiclient.errors import HttpError

        from pcrm.sync.google.client import execute, status_of

        records = Records()
        # building a resource object costs ~3 ms (googleapiclient makes every method anew): once per batch
        messages = acct.gmail().users().messages()
        for k, mid in enumerate(ids):
            try:
                msg = execute(
                    messages.get(userId="me", id=mid, format="full"), account=acct.email, what="Gmail"
                )
            except HttpError as exc:
                if status_of(exc) == 404:  # deleted since it was listed
                    continue
                raise
            if "DRAFT" in (msg.get("labelIds") or []):
                continue
            found, empty = reader.interactions(msg, k + 1)
            records.interactions += found
            records.interactions_skipped += int(empty)
        return records

    def contact_messages(self, emails: list[str]) -> Iterator[Records]:
        """Per-contact sync: the last year of messages from or to these addresses, in every account."""
        from pcrm.sync.google.client import pages

        query = "(" + " OR ".join(f"from:{e} OR to:{e}" for e in emails) + f") {QUERY}"
        for acct in self.client.accounts:
            reader = Reader(acct.email, self._me())
            users = acct.gmail().users()

            def request(tok: str | None, users: Any = users) -> Any:
                return users.messages().list(userId="me", q=query, maxResults=PAGE, pageToken=tok)

            for page, _ in pages(request, account=acct.email, what="Gmail"):
                yield self._records(acct, reader, [m["id"] for m in page.get("messages") or []])
