"""Reading one Gmail message (the API's `format=full` JSON) into interactions [gmail-routing]: pure
functions, no Google library.

- direction: outbound when one of your addresses (the account's, and the `me` setting's) is in From;
- who it belongs to: a BCC code first (`you+abc1234@yourdomain` in To/Cc/Bcc names the contact with
  that code), then the counterparts (outbound: To and Cc without you and without plus-addressed
  locals; inbound: From without you); one interaction per contact, ref `gmail:{messageId}`; nobody is
  created: a message whose people are not contacts is skipped by the engine;
- text: the plain-text body (else the snippet), quoted replies and signatures cut off unless the
  message came through a BCC address, at most 500 characters; a message with nothing left is skipped.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime
from email.utils import getaddresses
from typing import Any

from pcrm import clock
from pcrm.domain.records import Counterpart, InteractionRecord

PREVIEW = 500
BODY = 2000
_CUTS = re.compile(
    r"^(?:On\s.{0,200}?wrote:\s*$"  # On Tue, 3 Mar 2026 at 10:00, Ada <ada@x> wrote:
    r"|On\s\d{4}-\d{2}-\d{2}.{0,200}?wrote:"
    r"|-- $"  # signature separator
    r"|_{3,}"
    r"|-{2,}\s*(?:Original Message|Forwarded)"
    r"|>)",
    re.MULTILINE | re.IGNORECASE | re.DOTALL,
)


def clean(text: str) -> str:
    """The message without the quoted text under it (or its signature)."""
    text = text.replace("\r\n", "\n")
    m = _CUTS.search(text)  # DOTALL: an "On ... wrote:" wrapped over two lines is found too
    if m:
        text = text[: m.start()]
    return text.strip()


def headers(msg: dict[str, Any]) -> dict[str, str]:
    return {
        str(h.get("name", "")).lower(): str(h.get("value", ""))
        for h in (msg.get("payload") or {}).get("headers") or []
    }


def addresses(value: str | None) -> list[str]:
    return [a.strip().lower() for _, a in getaddresses([value or ""]) if "@" in a]


def plain_body(payload: dict[str, Any]) -> str | None:
    """The first text/plain part's text, if any."""
    stack = [payload]
    while stack:
        part = stack.pop(0)
        if part.get("mimeType") == "text/plain":
            data = (part.get("body") or {}).get("data")
            if data:
                raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
                return raw.decode("utf-8", errors="replace")
        stack.extend(part.get("parts") or [])
    return None


class Reader:
    """Turns messages of one account into interactions."""

    def __init__(self, account: str, me_emails: list[str]) -> None:
        self.account = account.lower()
        self.mine = {account.lower(), *(e.strip().lower() for e in me_emails if e)}
        local, _, domain = self.account.partition("@")
        self.bcc = re.compile(rf"^{re.escape(local)}\+([0-9a-f]{{7}})@{re.escape(domain)}$")

    def interactions(self, msg: dict[str, Any], row: int) -> tuple[list[InteractionRecord], bool]:
        """The message's interactions (one per contact it belongs to), and whether it was skipped for
        having no text left."""
        h = headers(msg)
        sender = addresses(h.get("from"))
        to, cc, bcc = addresses(h.get("to")), addresses(h.get("cc")), addresses(h.get("bcc"))
        outbound = any(a in self.mine for a in sender)
        codes = list(dict.fromkeys(m.group(1) for a in to + cc + bcc if (m := self.bcc.match(a))))
        if outbound:
            people = [a for a in to + cc if a not in self.mine and "+" not in a.partition("@")[0]]
        else:
            people = [a for a in sender if a not in self.mine]
        people = list(dict.fromkeys(people))
        if not codes and not people:
            return [], False
        body = plain_body(msg.get("payload") or {})
        text = (body[:BODY] if body else None) or str(msg.get("snippet") or "")
        if not codes:
            text = clean(text)
        if not text.strip():
            return [], True
        at = clock.iso(datetime.fromtimestamp(int(msg.get("internalDate") or 0) / 1000, UTC))
        ref = f"gmail:{msg['id']}"
        extra = {"thread_id": msg.get("threadId"), "account": self.account}
        who = [Counterpart(bcc_hash=c) for c in codes] + [Counterpart(emails=[p]) for p in people]
        return [
            InteractionRecord(
                row=row,
                contact=cp,
                platform="email",
                direction="outbound" if outbound else "inbound",
                occurred_at=at,
                raw_reference_id=ref,
                content_preview=text.strip()[:PREVIEW],
                extra_data=extra,
            )
            for cp in who
        ], False
