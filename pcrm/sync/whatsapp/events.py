"""WhatsApp messages as records [whatsapp-webhook]: what the sidecar's `message_received` and
`backfill_batch` events carry, as the ingest engine writes it. Pure: no store, no network.

A message has `message_id`/`id`, `from`/`phone` (the other side's number, `...@c.us`), `sender_name`/`name`,
`direction` (inbound|outbound), `body`/`content`, its own `type` (only `chat`, text, is stored) and
`timestamp` (unix seconds). Each becomes an interaction `whatsapp:{message_id}` (a replay adds nothing) with
the person it is with, keyed by their WhatsApp number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pcrm import clock
from pcrm.domain.records import ContactRecord, Direction, InteractionRecord, Records

PREVIEW = 500
_SUFFIXES = ("@c.us", "@s.whatsapp.net")
_PUNCT = re.compile(r"[\s\-().]")
_DIGITS = re.compile(r"^\+?\d{5,20}$")


class MessageError(ValueError):
    """One message is malformed: reported as `where[i]: ...`, the others are stored."""


def phone(raw: Any) -> str | None:
    """The sidecar's number as `+DIGITS`: `@c.us` / `@s.whatsapp.net` stripped, spaces, dashes,
    parentheses and dots removed, a leading + added. None for anything that is not a person's number
    (a group `@g.us`, a broadcast, text)."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        return None
    s = str(raw).strip()
    for suffix in _SUFFIXES:
        if s.endswith(suffix):
            s = s[: -len(suffix)]
            break
    s = s.split(":", 1)[0]  # a multi-device id: 15551234567:12@s.whatsapp.net
    s = _PUNCT.sub("", s)
    if not _DIGITS.match(s):
        return None
    return s if s.startswith("+") else "+" + s


def _text(m: Mapping[str, Any], *keys: str, limit: int = 10_000) -> str | None:
    for k in keys:
        v = m.get(k)
        if v is None or v == "":
            continue
        if isinstance(v, bool) or not isinstance(v, (str, int, float)):
            raise MessageError(f"{k} must be text")
        s = str(v).strip()
        if s:
            return s[:limit]
    return None


def occurred_at(value: Any, fallback: str) -> str:
    """Unix seconds (or milliseconds, by size) as the canonical UTC time; anything else is `fallback`."""
    if isinstance(value, str) and value.strip().lstrip("-").replace(".", "", 1).isdigit():
        value = float(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        secs = value / 1000 if value > 1e11 else value
        try:
            return clock.iso(datetime.fromtimestamp(secs, UTC))
        except (OverflowError, OSError, ValueError):
            return fallback
    return fallback


def _direction(m: dict[str, Any], notes: list[str]) -> Direction:
    """`direction` (any case), else `fromMe`; a value of either that says neither is said in `notes` and
    the message is inbound, as the sidecar's messages are unless it says otherwise."""
    said = m.get("direction")
    if isinstance(said, str) and said.strip().lower() in ("inbound", "outbound"):
        return "outbound" if said.strip().lower() == "outbound" else "inbound"
    mine = m.get("fromMe")
    if said is not None:
        notes.append(f"direction {_quoted(said)} is neither inbound nor outbound; fromMe decided it")
    if mine is not None and not isinstance(mine, bool):
        notes.append(f"fromMe {_quoted(mine)} is neither true nor false; inbound was used")
    return "outbound" if mine is True else "inbound"


def _time(value: Any, fallback: str, notes: list[str]) -> str:
    """The message's own time; one given that is no Unix time is the event's (or the arrival's), said."""
    at = occurred_at(value, "")
    if at:
        return at
    if value is not None and value != "":
        notes.append(f"timestamp {_quoted(value)} is no Unix time; the time of the event was used")
    return fallback


def _quoted(value: Any) -> str:
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else f"{value[:57]}...")
    return repr(value) if isinstance(value, (int, float)) else f"of type {type(value).__name__}"


@dataclass
class Converted:
    records: Records = field(default_factory=Records)
    errors: list[str] = field(default_factory=list)
    skipped: int = 0  # by design: not text (media, calls, system messages)
    phones: set[str] = field(default_factory=set)


def convert(
    messages: list[Any], *, where: str, fallback_time: str, message_type: str | None = None
) -> Converted:
    """The records of `messages`; a malformed one is reported as `where[i]: ...` (or `where: ...` for a
    single message) and skipped. `message_type` overrides each message's own `type` (a real-time event
    whose `type` is the event's)."""
    out = Converted()
    index: dict[str, int] = {}
    single = len(messages) == 1 and where == "message"
    for i, m in enumerate(messages):
        label = where if single else f"{where}[{i}]"
        try:
            if not isinstance(m, dict):
                raise MessageError("must be an object")
            notes: list[str] = []
            _one(m, i, out, index, fallback_time, message_type, notes)
        except MessageError as e:
            out.errors.append(f"{label}: {e}")
        else:  # a value replaced is said, as a push says it [extension-push]
            out.errors.extend(f"{label}: {note}" for note in notes)
    return out


def _one(
    m: dict[str, Any],
    i: int,
    out: Converted,
    index: dict[str, int],
    fallback_time: str,
    message_type: str | None,
    notes: list[str],
) -> None:
    mid = _text(m, "message_id", "id", limit=200)
    if not mid:
        raise MessageError("message_id is required")
    raw_phone = m.get("from") if m.get("from") not in (None, "") else m.get("phone")
    number = phone(raw_phone)
    if number is None:
        raise MessageError("from (or phone) must be a WhatsApp number such as 12025550123@c.us")
    kind = message_type or _text(m, "type", limit=40) or "chat"
    if kind != "chat":
        out.skipped += 1
        return
    direction = _direction(m, notes)
    name = _text(m, "sender_name", "name", limit=200)
    if number not in index:
        data: dict[str, Any] = {"whatsapp_phone": number, "phones": [number]}
        if name and direction == "inbound":  # an outbound message's sender is the user
            data["full_name"] = name
            data["whatsapp_name"] = name
        index[number] = len(out.records.contacts)
        out.records.contacts.append(ContactRecord(row=i + 1, data=data, where="messages"))
        out.phones.add(number)
    elif name and direction == "inbound":
        rec = out.records.contacts[index[number]]
        rec.data.setdefault("full_name", name)
        rec.data.setdefault("whatsapp_name", name)
    text = _text(m, "body", "content")
    out.records.interactions.append(
        InteractionRecord(
            row=i + 1,
            contact=index[number],
            platform="whatsapp",
            direction=direction,
            occurred_at=_time(m.get("timestamp"), fallback_time, notes),
            raw_reference_id=f"whatsapp:{mid}",
            content_preview=text[:PREVIEW] if text else None,
            extra_data={"message_type": kind},
            where="messages",
        )
    )
