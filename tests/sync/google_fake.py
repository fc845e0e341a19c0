"""A fake Google behind httplib2's interface: the transport the real googleapiclient services (built from
their bundled discovery documents) and google-auth's token refresh talk to, answering Google's URLs
from an in-memory dataset with realistic JSON (paging, history ids, sync tokens, errors).

One `FakeGoogle` serves several accounts: the token endpoint hands out `at-<refresh token>`, and each API
request's bearer token says whose data it reads. Errors are played by `script` (URL fragment -> statuses
to answer first, e.g. 429 twice), `revoked` refresh tokens (invalid_grant) and `fail_at` (the N-th list
page request answers 403).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import httplib2

from pcrm.sync.google.client import Account, GoogleClient

BASE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@dataclass
class Mailbox:
    email: str
    messages: list[dict[str, Any]] = field(default_factory=list)  # oldest first
    history: list[tuple[int, str]] = field(default_factory=list)  # (historyId, message id added)
    history_id: int = 1000
    min_history: int = 0  # older start ids answer 404 (Google expired them)
    people: list[dict[str, Any]] = field(default_factory=list)
    people_version: int = 0
    people_changes: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    def add_message(
        self,
        mid: str,
        frm: str,
        to: str,
        text: str,
        *,
        at: datetime,
        cc: str = "",
        labels: list[str] | None = None,
    ) -> None:
        body = base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")
        self.history_id += 1
        self.messages.append(
            {
                "id": mid,
                "threadId": f"t{mid}",
                "labelIds": labels or ["INBOX"],
                "snippet": text[:100],
                "historyId": str(self.history_id),
                "internalDate": str(int(at.timestamp() * 1000)),
                "payload": {
                    "mimeType": "multipart/alternative",
                    "headers": [
                        {"name": "From", "value": frm},
                        {"name": "To", "value": to},
                        {"name": "Cc", "value": cc},
                        {"name": "Subject", "value": f"about {mid}"},
                    ],
                    "parts": [
                        {"mimeType": "text/plain", "body": {"data": body, "size": len(text)}},
                        {"mimeType": "text/html", "body": {"data": body, "size": len(text)}},
                    ],
                },
            }
        )
        self.history.append((self.history_id, mid))

    def add_person(self, person: dict[str, Any]) -> None:
        self.people_version += 1
        self.people = [p for p in self.people if p["resourceName"] != person["resourceName"]] + [person]
        self.people_changes.append((self.people_version, person))

    def delete_person(self, rn: str) -> None:
        self.people_version += 1
        self.people = [p for p in self.people if p["resourceName"] != rn]
        self.people_changes.append((self.people_version, {"resourceName": rn, "metadata": {"deleted": True}}))


class FakeGoogle:
    """httplib2.Http's `request` over the mailboxes (keyed by refresh token)."""

    def __init__(self, page_size: int = 10) -> None:
        self.boxes: dict[str, Mailbox] = {}
        self.page_size = page_size
        self.script: dict[str, list[int]] = {}
        self.revoked: set[str] = set()
        self.fail_at: int | None = None
        self.list_calls = 0
        self.calls: list[str] = []
        self.timeout = None
        self.connections: dict[str, Any] = {}
        self.follow_redirects = True
        self.redirect_codes = frozenset()

    def mailbox(self, email: str, token: str | None = None) -> Mailbox:
        box = Mailbox(email)
        self.boxes[token or f"rt-{email}"] = box
        return box

    def client(self) -> GoogleClient:
        return GoogleClient(
            [
                Account(box.email, token, "cid", "csecret", http=self)
                for token, box in sorted(self.boxes.items())
            ]
        )

    def close(self) -> None:
        pass

    # ------------------------------------------------------------ httplib2's interface

    def request(
        self, uri: str, method: str = "GET", body: Any = None, headers: dict[str, str] | None = None, **_: Any
    ) -> tuple[httplib2.Response, bytes]:
        self.calls.append(f"{method} {uri}")
        url = urlparse(uri)
        q = {k: v[-1] for k, v in parse_qs(url.query).items()}
        for fragment, statuses in self.script.items():
            if fragment in uri and statuses:
                status = statuses.pop(0)
                return self._error(status, "rateLimitExceeded" if status in (403, 429) else "backendError")
        if uri.startswith("https://oauth2.googleapis.com/token"):
            form = {k: v[-1] for k, v in parse_qs(body.decode() if isinstance(body, bytes) else body).items()}
            if form.get("refresh_token") in self.revoked:
                return self._json(
                    400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
                )
            return self._json(
                200,
                {"access_token": f"at-{form['refresh_token']}", "expires_in": 3599, "token_type": "Bearer"},
            )
        auth = (headers or {}).get("authorization") or (headers or {}).get("Authorization") or ""
        box = self.boxes.get(auth.removeprefix("Bearer ").removeprefix("at-"))
        if box is None:
            return self._error(401, "authError")
        path = unquote(url.path)
        if ("/messages" in path and not path.split("/messages")[-1]) or path.endswith(
            ("/history", "/connections", "/events")
        ):
            if self.fail_at is not None and self.list_calls == self.fail_at:
                self.list_calls += 1
                return self._error(403, "forbidden")
            self.list_calls += 1
        if path == "/gmail/v1/users/me/profile":
            return self._json(200, {"emailAddress": box.email, "historyId": str(box.history_id)})
        if path == "/gmail/v1/users/me/messages":
            found = list(reversed(box.messages))  # newest first, as Gmail lists
            if q.get("q", "").startswith("("):
                wanted = [w.split(":", 1)[1] for w in q["q"].split(")")[0].strip("(").split(" OR ")]
                found = [m for m in found if any(w in json.dumps(m["payload"]["headers"]) for w in wanted)]
            return self._page(q, found, "messages", lambda m: {"id": m["id"], "threadId": m["threadId"]})
        if path.startswith("/gmail/v1/users/me/messages/"):
            mid = path.rsplit("/", 1)[1]
            msg = next((m for m in box.messages if m["id"] == mid), None)
            return self._json(200, msg) if msg else self._error(404, "notFound")
        if path == "/gmail/v1/users/me/history":
            start = int(q["startHistoryId"])
            if start < box.min_history:
                return self._error(404, "notFound")
            added = [(h, mid) for h, mid in box.history if h > start]
            out = self._page_data(q, added)
            items = [
                {
                    "id": str(h),
                    "messagesAdded": [{"message": {"id": mid, "threadId": f"t{mid}", "labelIds": ["INBOX"]}}],
                }
                for h, mid in out[0]
            ]
            data: dict[str, Any] = {"historyId": str(box.history_id)}
            if items:
                data["history"] = items
            if out[1]:
                data["nextPageToken"] = out[1]
            return self._json(200, data)
        if path == "/v1/people/me/connections":
            token = q.get("syncToken")
            if token:
                if token == "expired":
                    return self._json(
                        410,
                        {"error": {"code": 410, "message": "Sync token is expired.", "status": "ABORTED"}},
                    )
                since = int(token.removeprefix("sync-"))
                people = [p for v, p in box.people_changes if v > since]
            else:
                people = list(box.people)
            people, nxt = self._page_data(q, people)
            data = {"connections": people, "totalPeople": len(box.people)}
            if nxt:
                data["nextPageToken"] = nxt
            else:
                data["nextSyncToken"] = f"sync-{box.people_version}"
            return self._json(200, {k: v for k, v in data.items() if v or k == "totalPeople"})
        if path == "/calendar/v3/calendars/primary/events":
            tmin, tmax, upd = q.get("timeMin", ""), q.get("timeMax", "~"), q.get("updatedMin")
            found = [
                e
                for e in box.events
                if tmin <= _start(e) < tmax and (upd is None or e.get("updated", "") >= upd)
            ]
            found.sort(key=_start)
            return self._page(q, found, "items", lambda e: e)
        return self._error(404, "notFound")

    # ------------------------------------------------------------ answers

    def _page_data(self, q: dict[str, str], items: list[Any]) -> tuple[list[Any], str | None]:
        size = min(int(q.get("maxResults") or q.get("pageSize") or 100), self.page_size)
        start = int(q.get("pageToken") or 0)
        nxt = start + size
        return items[start:nxt], str(nxt) if nxt < len(items) else None

    def _page(
        self, q: dict[str, str], items: list[Any], key: str, shape: Any
    ) -> tuple[httplib2.Response, bytes]:
        chunk, nxt = self._page_data(q, items)
        data: dict[str, Any] = {key: [shape(i) for i in chunk]} if chunk else {}
        if nxt:
            data["nextPageToken"] = nxt
        data["resultSizeEstimate"] = len(items)
        return self._json(200, data)

    @staticmethod
    def _json(status: int, data: Any) -> tuple[httplib2.Response, bytes]:
        return httplib2.Response({"status": str(status), "content-type": "application/json"}), json.dumps(
            data
        ).encode()

    def _error(self, status: int, reason: str) -> tuple[httplib2.Response, bytes]:
        body = {
            "error": {"code": status, "message": reason, "errors": [{"reason": reason, "message": reason}]}
        }
        resp, content = self._json(status, body)
        if status == 429:
            resp["retry-after"] = "3"
        return resp, content


def _start(e: dict[str, Any]) -> str:
    s = e.get("start") or {}
    return str(s.get("dateTime") or (s.get("date", "") + "T00:00:00Z"))


def at(days: float) -> datetime:
    return BASE + timedelta(days=days)


def connect_over(monkeypatch: Any, fake: FakeGoogle) -> None:
    """Make `pcrm.sync.google.connect` build its client from the stored secrets as it does, each account's
    requests then answered by `fake`; no back-off sleeps."""
    from pcrm.sync import google as gpkg
    from pcrm.sync.google import client as gclient

    real = gpkg.connect

    def connect(secrets: Any, settings: Any) -> Any:
        client = real(secrets, settings)  # built from the stored secrets ...
        for acct in client.accounts:
            acct.http = fake  # ... over the fake Google
        return client

    monkeypatch.setattr(gpkg, "connect", connect)
    monkeypatch.setattr(gclient, "_sleep", lambda s: None)
