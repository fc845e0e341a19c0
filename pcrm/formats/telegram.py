"""Telegram Desktop exports (`result.json`): one chat ("Export chat history") or the whole account
("Settings → Advanced → Export Telegram data").

Shapes read: a single chat `{name, type, id, messages}`; the account `{personal_information, contacts:
{list}, chats: {list: [...]}}` (also `left_chats`); the old format (integer `from_id`, no
`date_unixtime`, names sometimes mojibake, repaired) and the new one (`from_id: "user123"`,
`date_unixtime`, `text_entities`); `text` as a string or a list of strings and entity objects (a
`text_link`'s address kept after its words).

- Personal chats become a contact (telegram_user_id = the chat id, the name Telegram shows) and its
  messages, platform `telegram`, refs `{peerId}:{msgId}` exactly as the Telegram sync writes them
[import-rerun-safety],
  so an export and a later sync never double up. Calls (`phone_call` service messages) become
  interactions with call_type and duration, as in [chat-takeouts]; other service messages are skipped; a
  media-only message (a photo, sticker, voice note, file) is kept with its kind as the text, e.g. `[sticker]`,
  and `extra_data.media`, as WhatsApp exports keep their media placeholders. A message's reactions are kept
  on it (`extra_data.reactions`, who, how, when) and an edited one says `extra_data.edited`, as X DMs and
  WhatsApp messages do; a re-import gives a message stored without them those it has now.
- Direction: messages from the chat's own id are inbound; otherwise your user id
  (`personal_information`), --me or the `me` setting decide, and a sender named like the chat is the
  other person. Chats with no ids at all use a hash ref like WhatsApp's.
- Private groups and supergroups import their members (senders with a user id, you left out) as
  2nd-tier contacts, tag `2nd tier` on contacts the import creates only, as the Telegram sync and the
  WhatsApp import do, unless `telegram.sync_2nd_tier` is off; their messages are not imported (counted
  as skipped). Public groups, channels, bots and saved messages are skipped.
- `contacts.list` entries become contacts (names and phones) without messages; the moment an entry gives
  (when the user added them: `date_unixtime`, else `date` read as `_Clock` reads it) is kept as the `x` field
  `X-ADDED-ON-TELEGRAM`, a UTC instant, and makes no interaction.
- A "personal" chat with three or more people writing in it is read as a private group, with a warning
  in the report's errors [telegram-crowded-personal-chat].
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta, tzinfo
from functools import partial
from typing import Any

import orjson

from pcrm.clock import iso
from pcrm.domain.mojibake import repair
from pcrm.domain.normalize import spelling
from pcrm.domain.records import CallType, ContactField, ContactRecord, InteractionRecord, Me
from pcrm.errors import BadRequest
from pcrm.formats.base import Input, Options, Parsed
from pcrm.formats.generic_csv import x_line
from pcrm.formats.names import normalize_name
from pcrm.formats.textio import json_head, json_utf8

NAME = "telegram"
SOURCE = "telegram"
LABEL = "a Telegram Desktop export (result.json)"
PERSONAL = {"personal_chat"}
GROUPS = {"private_group", "private_supergroup"}  # public groups are strangers, as in the sync [second-tier]
SKIPPED_TYPES = {
    "public_supergroup",
    "public_channel",
    "private_channel",
    "saved_messages",
    "bot_chat",
    "group",
    "supergroup",
    "channel",
}
SECOND_TIER = "2nd tier"
_GROUP_WHY = "group chats: their members are imported as 2nd-tier contacts, their messages are not"
MAX_GROUP_MEMBERS = 200  # per group, as the sync takes at most 200 participants


def detect(inp: Input) -> bool:
    if inp.suffix not in ("json", ""):
        return False
    h = json_head(inp.head)  # UTF-16/32 too, as the CSV reader takes them
    if not h.lstrip(b" \t\r\n").startswith(b"{"):
        return False
    if _FOREIGN.search(h):
        return False
    return (
        (
            b'"messages"' in h
            and (_CHAT_TYPE.search(h) is not None or b'"date"' in h or b'"date_unixtime"' in h)
        )
        or b'"personal_information"' in h
        or (b'"chats"' in h and b'"list"' in h)
    )


# What defines a Telegram Desktop chat: its type, and messages with a `date`. Other chat exporters also
# have "messages" and "type" (DiscordChatExporter: "guild", "channel", messages with "timestamp").
_CHAT_TYPE = re.compile(
    rb'"type"\s*:\s*"(?:personal_chat|private_group|private_supergroup|public_supergroup|saved_messages|'
    rb'bot_chat|public_channel|private_channel)"'
)
_FOREIGN = re.compile(rb'"guild"\s*:|"channel"\s*:\s*\{|"messageCount"\s*:')


def _is_foreign(doc: dict[str, Any]) -> bool:
    """A chat export of another app: a Discord export, or messages none of which has a Telegram `date`."""
    if "guild" in doc or "messageCount" in doc:
        return True
    msgs = doc.get("messages")
    if isinstance(msgs, list) and msgs:
        return not any(isinstance(m, dict) and ("date" in m or "date_unixtime" in m) for m in msgs)
    return False


def parse(inp: Input, opts: Options) -> Parsed:
    data = json_utf8(inp.data, inp.filename)
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        line = data.count(b"\n", 0, getattr(exc, "pos", 0) or 0) + 1
        raise BadRequest(
            f"{inp.filename} line {line}: not valid JSON ({exc}); the file looks damaged or cut short",
            hint="export the chat again from Telegram Desktop (Export chat history → JSON)",
        ) from None
    if not isinstance(doc, dict):
        raise BadRequest(
            f"{inp.filename} is not a Telegram Desktop export (no top-level object)",
            hint="pick the result.json that Telegram Desktop wrote",
        )
    if _is_foreign(doc):
        raise BadRequest(
            f"{inp.filename} is not a Telegram Desktop export: its messages have no Telegram `date`"
            + (" (it looks like a Discord export)" if "guild" in doc else ""),
            hint="pcrm reads Telegram Desktop's result.json; other chat apps' exports are not supported",
        )
    out = Parsed()
    me_id = None
    info = doc.get("personal_information")
    if isinstance(info, dict) and info.get("user_id") is not None:
        me_id = str(info["user_id"])
        name = " ".join(str(info.get(k) or "").strip() for k in ("first_name", "last_name")).strip()
        out.me = Me(
            names=[name] if name else [],
            phones=[str(info["phone_number"])] if info.get("phone_number") else [],
            handles=[str(info["username"]).lstrip("@")] if info.get("username") else [],
        )
    chats: list[dict[str, Any]] = []
    if isinstance(doc.get("messages"), list):
        chats.append(doc)
    for key in ("chats", "left_chats"):
        section = doc.get(key)
        if isinstance(section, dict) and isinstance(section.get("list"), list):
            chats += [c for c in section["list"] if isinstance(c, dict)]
    clock = _Clock(opts.tz, chats)
    contacts = doc.get("contacts")
    if isinstance(contacts, dict) and isinstance(contacts.get("list"), list):
        for i, c in enumerate(contacts["list"], 1):
            _contact_entry(c, i, out, clock)
    if not chats and not out.contacts:
        raise BadRequest(
            f"{inp.filename} has no messages, chats or contacts list",
            hint="pick the result.json of a Telegram Desktop export (JSON, not HTML)",
        )
    for chat in chats:
        _chat(chat, opts, clock, me_id, out, alone=inp.filename if len(chats) == 1 and chat is doc else None)
    return out


def _contact_entry(c: Any, row: int, out: Parsed, clock: _Clock) -> None:
    if not isinstance(c, dict):
        return
    first, last = (
        fix_text(str(c.get("first_name") or "")).strip(),
        fix_text(str(c.get("last_name") or "")).strip(),
    )
    data: dict[str, Any] = {
        "full_name": " ".join(x for x in (first, last) if x) or None,
        "given_name": first or None,
        "family_name": last or None,
        "phones": [str(c["phone_number"])] if c.get("phone_number") else [],
    }
    if c.get("user_id"):
        data["telegram_user_id"] = str(c["user_id"])
    if c.get("username"):
        data["telegram_username"] = str(c["username"])
    if data["full_name"] or data["phones"] or data.get("telegram_user_id"):
        added = _added_on(c, clock)
        zoned = tuple(f["value"] for f in added) if clock.in_tz(c) else ()
        out.contacts.append(ContactRecord(row=row, data=data, fields=added, where="contacts", zoned=zoned))
    else:
        out.contacts_skipped += 1


def _added_on(c: dict[str, Any], clock: _Clock) -> list[ContactField]:
    """When the user added the contact on Telegram (a contacts-list entry's `date_unixtime`; else its `date`,
    the exporting computer's wall clock, read as `_Clock` reads one), as the `x` field
    `X-ADDED-ON-TELEGRAM` holding that UTC instant (`contacts show`: "added on telegram"): a date the contact
    was known from, no interaction [chat-takeouts]. One moment, one value: the same entry exported on a
    computer in another zone adds no second date."""
    when = clock.at(c)
    if when is None or when.year <= 1970:  # a zero date says nothing
        return []
    return [{"kind": "x", "label": None, "value": x_line("Added on Telegram", iso(when))}]


def fix_text(text: str) -> str:
    """Repair UTF-8 read as Windows-1252 or Latin-1 ('Grace ðŸ§¤' -> 'Grace 🧤', 'Î“Î¹ÏŽÏ\x81Î³Î¿Ï‚' ->
    'Γιώργος'), which old exports contain; text that only looks like it ('Ñú' in 'Ñúñez') is kept as it is
    [mojibake]."""
    return repair(text)


def message_text(value: Any) -> str:
    if isinstance(value, str):
        return fix_text(value)
    if isinstance(value, list):
        return fix_text("".join(_entity_text(x) for x in value))
    return ""


def _entity_text(x: Any) -> str:
    """One piece of a message's text: a string, or an entity's text; a `text_link` (words that link
    somewhere, as Telegram shows them) keeps its address after them: 'the docs (https://...)'."""
    if isinstance(x, str):
        return x
    if not isinstance(x, dict):
        return ""
    text = str(x.get("text", ""))
    href = str(x.get("href") or "")
    if x.get("type") == "text_link" and href and href != text:
        return f"{text} ({href})"
    return text


def _unix(entry: dict[str, Any]) -> datetime | None:
    """An entry's `date_unixtime`, the moment itself."""
    unix = entry.get("date_unixtime")
    if unix not in (None, ""):
        try:
            return datetime.fromtimestamp(int(unix), tz=UTC)
        except (TypeError, ValueError, OverflowError):
            pass
    return None


def _written(entry: dict[str, Any]) -> datetime | None:
    """An entry's `date` as written: the exporting computer's wall clock (naive), or a time with its zone."""
    date = entry.get("date")
    if isinstance(date, str) and date:
        try:
            return datetime.fromisoformat(date)
        except ValueError:
            return None
    return None


class _Clock:
    """How the export's times read [local-days]. A `date_unixtime` is the moment. A `date` alone is the
    exporting computer's wall clock (Telegram Desktop writes a reaction's time only so, and older exports
    every time): read in that computer's zone as the file's own pairs of `date` and `date_unixtime` show it
    (the offset of the pair nearest in time, so a summer date takes a summer pair's), and in --tz only when
    the file has no such pair. Otherwise a reaction given a minute after its message was stored hours
    apart from it, wherever --tz was not the exporting computer's zone."""

    def __init__(self, tz: tzinfo, chats: list[dict[str, Any]]) -> None:
        self.tz = tz
        pairs: dict[datetime, timedelta] = {}
        for chat in chats:
            for m in chat.get("messages") or []:
                if not isinstance(m, dict):
                    continue
                unix, wall = _unix(m), _written(m)
                if unix is not None and wall is not None and wall.tzinfo is None:
                    pairs.setdefault(wall, wall - unix.replace(tzinfo=None))
        self.walls = sorted(pairs)
        self.offsets = [pairs[w] for w in self.walls]

    def in_tz(self, entry: dict[str, Any]) -> bool:
        """Whether `at` reads the entry's time in --tz: a wall clock alone, in a file without pairs."""
        wall = _written(entry)
        return _unix(entry) is None and wall is not None and wall.tzinfo is None and not self.walls

    def at(self, entry: dict[str, Any]) -> datetime | None:
        """The moment of a message, a reaction or a contacts-list entry (UTC)."""
        if (unix := _unix(entry)) is not None:
            return unix
        wall = _written(entry)
        if wall is None:
            return None
        if wall.tzinfo is not None:
            return wall.astimezone(UTC)
        if not self.walls:
            return wall.replace(tzinfo=self.tz).astimezone(UTC)
        i = bisect_left(self.walls, wall)
        near = min(
            (j for j in (i - 1, i) if 0 <= j < len(self.walls)), key=lambda j: abs(self.walls[j] - wall)
        )
        return (wall - self.offsets[near]).replace(tzinfo=UTC)


def _wall(msg: dict[str, Any]) -> str | None:
    """The message's `date` as written when its time is read from it (no usable `date_unixtime`): the
    exporting computer's wall clock, which no --tz changes."""
    date = msg.get("date")
    return date if _unix(msg) is None and isinstance(date, str) and date else None


def _hash_ref(counts: dict[str, int], chat: str | None, at: str, name: str, text: str) -> str:
    """`telegram:{hash of chat, time, sender, text}:{ordinal}` for a message without ids; the ordinal
    counts the messages alike."""
    digest = _digest(chat, at, name, text)
    counts[digest] = counts.get(digest, 0) + 1
    return f"telegram:{digest}:{counts[digest]}"


def _digest(chat: str | None, at: str, name: str, text: str) -> str:
    return hashlib.sha1("\x1f".join((chat or "", at, name, text)).encode()).hexdigest()[:20]


def _ref_at(chat: str | None, name: str, text: str, ordinal: str, at: str) -> str:
    """The reference an earlier pcrm gave a message without ids whose wall clock it read as the UTC time
    `at` (in the zone it ran in), the `ordinal`-th message alike."""
    return f"telegram:{_digest(chat, at, name, text)}:{ordinal}"


def _sender_id(msg: dict[str, Any]) -> str | None:
    v = msg.get("from_id", msg.get("actor_id"))
    if v is None:
        return None
    s = str(v)
    m = re.match(r"^(?:user|channel|chat)?(\d+)$", s)
    return m.group(1) if m else s


def _chat(
    chat: dict[str, Any],
    opts: Options,
    clock: _Clock,
    me_id: str | None,
    out: Parsed,
    *,
    alone: str | None = None,
) -> None:
    """One chat's contact and messages. `alone`: the file's name when the file is this one chat."""
    messages = [m for m in chat.get("messages") or [] if isinstance(m, dict)]
    ctype = str(chat.get("type") or "")
    if ctype in GROUPS:
        _group_members(chat, messages, opts, me_id, out)
        return
    if ctype in SKIPPED_TYPES or (ctype and ctype not in PERSONAL):
        out.skip(len(messages), "not_a_person", "channels, public groups, bots and saved messages")
        return
    peer = str(chat["id"]) if chat.get("id") is not None else None
    chat_name = fix_text(str(chat.get("name") or "")).strip() or None
    senders: dict[str, str | None] = {}  # sender name -> id
    for m in messages:
        # a deleted account writes with a `from_id` and no name (`"from": null`): it is a sender too
        if m.get("from") is not None or m.get("actor") is not None or _sender_id(m) is not None:
            name = fix_text(str(m.get("from") or m.get("actor") or "")).strip()
            senders.setdefault(name, _sender_id(m))
    if not ctype and len(senders) > 2:
        out.skip(len(messages), "group_chat", _GROUP_WHY)  # an untyped chat with several people
        return
    people = {sid or name for name, sid in senders.items()}
    if len(people) > 2:
        # [telegram-crowded-personal-chat]: a "personal" chat cannot have three people writing in it
        names = ", ".join(repr(n) for n in list(senders)[:5]) + (", ..." if len(senders) > 5 else "")
        out.errors.append(
            f"chat {chat_name or peer or '?'}: a personal chat with {len(people)} people writing in it "
            f"({names}); read as a group chat: its members are imported, its messages are not"
        )
        _group_members(chat, messages, opts, me_id, out, personal=True)
        return
    me_names = {normalize_name(x) for x in opts.me.names} - {""}
    ids = {i for i in senders.values() if i}
    # [telegram-names]: of two senders, the one whose name holds every word of the chat's ('Jimmeny
    # Marvelton' in the chat 'Jimmeny') is the other person, as the chat's name is the name you saved them
    # under; a sender alone may be you, sharing their first name, writing to someone who never answered
    chat_words = set(normalize_name(chat_name).split()) if chat_name and len(senders) > 1 else set()
    fuller = [n for n in senders if n and chat_words and chat_words <= set(normalize_name(n).split())]
    named_like_chat = fuller[0] if len(fuller) == 1 else None

    def outbound(name: str, sid: str | None) -> bool | None:
        if sid and peer and sid == peer:
            return False
        if sid and me_id and sid == me_id:
            return True
        if peer and peer in ids and sid:
            return sid != peer
        if name and normalize_name(name) in me_names:
            return True
        if chat_name and name and normalize_name(name) == normalize_name(chat_name):
            return False
        if name and name == named_like_chat:
            return False
        return None  # not you by name is not them: another name of yours, or theirs [chat-takeouts]

    decided = {name: outbound(name, sid) for name, sid in senders.items()}
    if any(v is None for v in decided.values()):
        unknown = [n for n, v in decided.items() if v is None]
        if len(senders) == 2 and len(unknown) == 1:
            known = next(v for v in decided.values() if v is not None)
            decided[unknown[0]] = not known
        elif len(senders) == 1 and me_names:
            decided[unknown[0]] = False  # the only one writing, and not you: the other person
        elif len(senders) == 1 and chat_name is None:
            pass
        else:
            why = (
                f"chat {chat_name or peer or '?'}: pcrm cannot tell your messages from theirs (none of "
                f"{', '.join(repr(n) for n in list(senders)[:5])} is you"
                + (f"; me: {', '.join(repr(x) for x in opts.me.names[:3])})" if me_names else ")")
            )
            hint = (
                "pass --me with your name as Telegram shows it (one of "
                + ", ".join(repr(n) for n in list(senders)[:5])
                + f"), e.g. --me {next(iter(senders))!r}"
            )
            if alone:  # a file of one chat: refused naming the file, as a WhatsApp chat is
                raise BadRequest(f"{alone}: {why.removeprefix('chat ?: ')}", hint=hint)
            out.skip(len(messages), "direction_unknown", why, hint=hint)  # the account's other chats import
            return
    other_name = next((n for n, v in decided.items() if v is False and n), None) or chat_name
    other_id = peer or next((senders[n] for n, v in decided.items() if v is False and senders[n]), None)
    if other_name is None and other_id is None:
        out.interactions_skipped += len(messages)
        return
    # [telegram-names]: the chat's name (as you saved them) and the name they write under may differ
    # ("Jimmeny", "Jimmeny Marvelton"): the fuller one names the contact, the other is kept as a nickname
    sender_name = next((n for n, v in decided.items() if v is False and n), None)
    full_name, aka = _fuller(chat_name, sender_name)
    data: dict[str, Any] = {"full_name": full_name or other_name}
    if other_id:
        data["telegram_user_id"] = other_id
    # the same person in the export's contacts list (names and phones, no ids): one contact, not two
    key = normalize_name(chat_name or other_name)
    listed = next(
        (
            i
            for i, r in enumerate(out.contacts)
            if r.where == "contacts"
            and key
            and normalize_name(r.data.get("full_name")) == key
            and not r.data.get("telegram_user_id")
        ),
        None,
    )
    if listed is not None:
        rec = out.contacts[listed]
        rec.data.update({k: v for k, v in data.items() if k != "full_name"})
        listed_as = spelling(rec.data.get("full_name"))
        rec.fields += _nicknames(n for n in (full_name, aka) if n and spelling(n) != listed_as)
        index = listed
    else:
        out.contacts.append(
            ContactRecord(
                row=len(out.contacts) + 1, data=data, fields=_nicknames([aka]), where=chat_name or ""
            )
        )
        index = len(out.contacts) - 1
    counts: dict[str, int] = {}
    for m in messages:
        when = clock.at(m)
        mtype = m.get("type")
        name = fix_text(str(m.get("from") or m.get("actor") or "")).strip()
        direction = decided.get(name)
        if when is None or direction is None:
            out.interactions_skipped += 1
            continue
        call_type: CallType | None = None
        duration: int | None = None
        extra: dict[str, Any] | None = None
        text = message_text(m.get("text"))
        if mtype == "service":
            if m.get("action") != "phone_call":
                out.skip(1, "service", "service messages other than calls (joins, pins, title changes)")
                continue
            call_type = "video" if m.get("is_video") else "phone"
            duration = int(m["duration_seconds"]) if isinstance(m.get("duration_seconds"), int) else None
            text = ""
        elif not text.strip():
            kind = _media_kind(m)
            if kind is None:  # nothing at all: an empty message
                out.interactions_skipped += 1
                continue
            text = f"[{kind.replace('_', ' ')}]"
            extra = {"media": kind}
        # kept on the message, as an X DM's: that it was edited, and its reactions [chat-takeouts]; an
        # earlier reader kept it without them, so a re-import gives the stored message those it has now
        readings = [{"content_preview": text or None, "extra_data": extra, "except": ["edited", "reactions"]}]
        if m.get("edited") or m.get("edited_unixtime"):
            extra = {**(extra or {}), "edited": True}
        reactions, zoned = _reactions(m.get("reactions"), decided, clock)
        if reactions:
            extra = {**(extra or {}), "reactions": reactions}
        stamp = iso(when)
        earlier: str | None = None
        earlier_at: Callable[[str], str] | None = None
        if peer and m.get("id") is not None:
            ref = f"{peer}:{m['id']}"
        else:
            # [import-rerun-safety]: a time read from the wall clock the export writes (no date_unixtime) is
            # hashed as written, so the chat read again under another --tz is the same messages; the
            # reference an earlier pcrm gave it (the UTC moment under this zone) is still recognised
            # one of another --tz is found by the time stored with it (`earlier_ref_at`)
            wall = _wall(m)
            ref = _hash_ref(counts, chat_name, wall or stamp, name, text)
            if wall:
                ordinal = ref.rsplit(":", 1)[1]
                earlier = _ref_at(chat_name, name, text, ordinal, stamp)
                earlier_at = partial(_ref_at, chat_name, name, text, ordinal)
        out.interactions.append(
            InteractionRecord(
                row=index + 1,
                contact=index,
                platform="telegram",
                direction="outbound" if direction else "inbound",
                occurred_at=stamp,
                raw_reference_id=ref,
                earlier_ref=earlier,
                earlier_ref_at=earlier_at,
                content_preview=text or None,
                call_type=call_type,
                duration_seconds=duration,
                where=chat_name or "",
                extra_data=extra,
                earlier_readings=readings if mtype != "service" else [],
                zoned_extra=tuple(("reactions", i) for i in zoned),
            )
        )


def _reactions(
    items: Any, decided: dict[str, bool | None], clock: _Clock
) -> tuple[list[dict[str, Any]], list[int]]:
    """A message's reactions (`reactions: [{type, count, emoji, recent: [{from, from_id, date}]}]`) as the
    message keeps them, one entry a reaction: `by` you or them (`someone` where the export names no one),
    `type` (`emoji`, `custom_emoji`, `paid`), `emoji`, and `at` (UTC) when given; `count` for those the
    export counts without naming who gave them. And the indexes of those whose `at` is read in --tz (a
    `date` alone in a file without pairs): under another --tz they keep the time stored [chat-takeouts]."""
    out: list[dict[str, Any]] = []
    zoned: list[int] = []
    for r in items if isinstance(items, list) else []:
        if not isinstance(r, dict):
            continue
        how: dict[str, Any] = {"type": str(r.get("type") or "emoji")}
        if r.get("emoji"):
            how["emoji"] = str(r["emoji"])
        recent = [x for x in r.get("recent") or [] if isinstance(x, dict)]
        for x in recent:
            who = decided.get(fix_text(str(x.get("from") or "")).strip())
            entry = {"by": "you" if who is True else "them" if who is False else "someone", **how}
            when = clock.at(x)
            if when is not None:
                entry["at"] = iso(when)
                if clock.in_tz(x):
                    zoned.append(len(out))
            out.append(entry)
        count = r.get("count")
        unnamed = count - len(recent) if isinstance(count, int) else 0 if recent else 1
        if unnamed > 0:
            out.append({"by": "someone", **how, "count": unnamed})
    return out, zoned


def _fuller(chat_name: str | None, sender_name: str | None) -> tuple[str | None, str | None]:
    """(the name for the contact, another name of theirs to keep) from a personal chat's name and the
    name its other person writes under [telegram-names]: the sender's when it holds every word of the
    chat's and more ('Jimmeny' -> 'Jimmeny Marvelton'), else the chat's (as you saved them); the other
    when it is spelled otherwise, if only by an emoji, a symbol or punctuation ('Grace 🧤' beside
    'Grace 🧤 💍': emoji are no words, but they are how the person writes their name)."""
    if not chat_name or not sender_name or spelling(chat_name) == spelling(sender_name):
        return chat_name or sender_name, None
    if set(normalize_name(chat_name).split()) < set(normalize_name(sender_name).split()):
        return sender_name, chat_name
    return chat_name, sender_name


def _nicknames(names: Iterable[str | None]) -> list[ContactField]:
    return [{"kind": "nickname", "label": None, "value": n} for n in names if n]


def _media_kind(m: dict[str, Any]) -> str | None:
    """What a message without text carried: Telegram Desktop's `media_type` (sticker, voice_message,
    video_file, animation, audio_file, video_message), else a photo, file, location, contact or poll."""
    if isinstance(m.get("media_type"), str) and m["media_type"]:
        return str(m["media_type"])
    for key, kind in (
        ("photo", "photo"),
        ("file", "file"),
        ("location_information", "location"),
        ("contact_information", "contact"),
        ("poll", "poll"),
    ):
        if m.get(key):
            return kind
    return None


def _group_members(
    chat: dict[str, Any],
    messages: list[dict[str, Any]],
    opts: Options,
    me_id: str | None,
    out: Parsed,
    *,
    personal: bool = False,
) -> None:
    """A private group's members who wrote in it (a user id and a name), as 2nd-tier contacts. In a
    `personal` chat read as a group, the chat's own id and name are a member's, not the group's."""
    out.skip(len(messages), "group_chat", _GROUP_WHY)
    if not opts.second_tier:
        return
    me_names = {normalize_name(x) for x in opts.me.names} - {""}
    title = fix_text(str(chat.get("name") or "")).strip()
    if me_id is None and not me_names and messages:
        senders = list(
            dict.fromkeys(fix_text(str(m.get("from") or "")).strip() for m in messages if m.get("from"))
        )
        raise BadRequest(
            f"{title or 'a group chat'} is a group chat; pcrm needs your own name to leave you out of "
            "its members",
            hint="pass --me with your name as Telegram shows it (one of "
            + ", ".join(repr(n) for n in senders[:5])
            + "), or import the whole-account export",
        )
    chat_id = str(chat["id"]) if chat.get("id") is not None else None
    seen: set[str] = set()
    for m in messages:
        sid = _sender_id(m)
        name = fix_text(str(m.get("from") or m.get("actor") or "")).strip()
        if (
            not sid
            or not name
            or str(m.get("from_id", m.get("actor_id")) or "").startswith(("channel", "chat"))
        ):
            continue  # no id or no name, or a channel posting in the group: not a person
        if (
            sid in seen
            or sid == me_id
            or normalize_name(name) in me_names
            or (not personal and sid == chat_id)
            or (not personal and title and normalize_name(name) == normalize_name(title))
        ):
            continue  # you, or the group posting as itself
        seen.add(sid)
        # someone in your own contacts list is not a stranger: that record gets the id, no 2nd-tier tag
        listed = next(
            (
                r
                for r in out.contacts
                if r.where == "contacts"
                and not r.data.get("telegram_user_id")
                and normalize_name(r.data.get("full_name")) == normalize_name(name)
            ),
            None,
        )
        if listed is not None:
            listed.data["telegram_user_id"] = sid
            if spelling(name) != spelling(listed.data.get("full_name")) and all(
                spelling(f["value"]) != spelling(name) for f in listed.fields if f["kind"] == "nickname"
            ):  # the name they write under, spelled otherwise than listed: another name of theirs
                listed.fields += _nicknames([name])
            continue
        out.contacts.append(
            ContactRecord(
                row=len(out.contacts) + 1,
                data={"full_name": name, "telegram_user_id": sid, "tags": [SECOND_TIER]},
                where=title,
                new_only=frozenset({"tags"}),
            )
        )
        if len(seen) >= MAX_GROUP_MEMBERS:
            break
