"""WhatsApp "Export chat" .txt files (Android and iOS, any locale).

Layouts: Android `dd/mm/yy, HH:MM - Name: text`, iOS `[dd/mm/yy, HH:MM:SS] Name: text`, with `/`, `.`
or `-` between date parts, year first or last, 2- or 4-digit years, 12-hour clocks (`PM`, `p. m.`,
with a narrow no-break space) and Buddhist-calendar years (`2565 BE`). Day/month order is decided per
layout within the file, from all the evidence it holds: --date-order; a first part above 12 means day
first, a second part above 12 month first; else the dates in the names of media files sent with the
messages (IMG-20241202-WA0001.jpg); else the order that keeps the messages in time order. When nothing
decides, day first is assumed (12-hour clocks: month first, as in the US) and the report warns. Date and
time forms of many locales are read (`13.6.2018 klo 21.25.15`, `13/06/2018 à 21:25`, `в`, `um`, no
comma, 2-digit years); a line that looks like a header in an unknown form is reported with its number.
Times have no zone: they are read in --tz or the `timezone` setting [local-days].

Lines without a header continue the message above. System lines are known by their form: no sender,
or on iOS a body that starts with a direction mark on a line that does not (the encryption notice), or
a body that is exactly one of WhatsApp's notices (`whatsapp_notices`: English, German, Spanish, French,
Portuguese, Russian, Italian); a message that mentions one is a message. An Android notice that quotes a
colon (a group's name) is a notice, not a message from a person named like its first half; a name whose
every line is a group notice (iOS writes them under the group's name) is the group's, when it wrote the
chat's first line and two others wrote. System lines are
skipped; media placeholders (`<Media omitted>`, `image omitted`, `<attached: ...>`) are messages, whose
text is the caption, else the file's name, else the kind (`[photo]`), with `extra_data.media`. An edited
message's closing `<This message was edited>` (and its German, Spanish, French, Portuguese and Italian words)
is no text of it: it is left out of the
text and the message says `extra_data.edited` (its reference still hashes the line as written). A
deleted message ("This message was deleted", "You deleted this message", in the same languages and
Arabic) is no message: it is left out and counted in the report (`deleted`); a row a reader that did not
know the notice stored for it (the same chat's reference, the same text) is taken out by a re-import
(`interactions_withdrawn`, journaled: `pcrm import undo` puts it back).

Direction: your own name comes from --me or the `me` setting [me-setting]; the file name ("WhatsApp Chat with
Ann.txt") also names the other person. A message the exporting user deleted reads "You deleted this message"
(in the phone's language) under their own name, another's "This message was deleted": without --me, and
when `me` names no one who wrote, that sender is you, as is the one writer of a two-person chat whose other
writer deleted a message; one shown not to be you is never offered as --me.

A chat with one other person becomes that contact plus its messages (platform `whatsapp`; refs
`whatsapp:{hash of chat, time as written, sender, text}:{ordinal}`, [import-rerun-safety]); a group chat
imports its members as 2nd-tier contacts (tag `2nd tier`, only on contacts it creates) and no messages. A
group's notices write the exporting user as "You" ("Dmitry S added you"): a sender a notice names as acting
("Dmitry S created group") or as one you added or removed is someone else: never offered as --me, and when
every sender is one, the group imports without --me. When `me` names one of them (an export someone else
made), `me` stands and the report says so. Members the notices name who never wrote ("Dmitry S added Anna
K") are members too, unless a later notice has them leave or removed; only in a file whose notices write
the user as "You", so that no name in them is the user's.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, datetime
from functools import partial
from itertools import pairwise

from pcrm.clock import iso
from pcrm.domain.records import ContactRecord, InteractionRecord
from pcrm.domain.wording import counted
from pcrm.errors import BadRequest
from pcrm.formats import whatsapp_notices as notices
from pcrm.formats.base import Input, Options, Parsed
from pcrm.formats.names import normalize_name

NAME = "whatsapp"
SOURCE = "whatsapp"
LABEL = "a WhatsApp chat export"
SECOND_TIER = "2nd tier"

_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_HEADER = re.compile(
    r"^(?P<lead>[" + _MARKS + r"]*)(?P<br>\[)?[" + _MARKS + r"]*"
    r"(?P<d1>\d{1,4})[" + _MARKS + r"]*(?P<sep>[./-])[" + _MARKS + r"]*(?P<d2>\d{1,2})[" + _MARKS + r"]*[./-]"
    r"[" + _MARKS + r"]*(?P<d3>\d{1,4})(?P<be>\s*BE)?[,،]?\s*"
    r"(?:(?:klo|kl\.|à|a las|a les|às|um|в|at|om|alle|o)\s+)?"
    r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?"
    r"(?:[\s_\u202f\u00a0]*(?P<ampm>[aApP]\.?\s?[mM]\.?))?"
    r"(?(br)\]\s?|\s*[-–]\s)(?P<rest>.*)$"
)
# A line that starts like a message header (a date, then a time) but is no known layout: reported.
_LOOSE = re.compile(r"^[\[" + _MARKS + r"]*\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\D{1,12}\d{1,2}[:.]\d{2}")
# Media file names carry the date they were sent: IMG-20241202-WA0001.jpg,
# 00000010-PHOTO-2020-11-02-21-49-51.jpg
_MEDIA_DATE = re.compile(
    r"\b(?:IMG|VID|AUD|PTT|DOC|STK|PHOTO|VIDEO|AUDIO|GIF|STICKER)-(\d{4})-?(\d{2})-?(\d{2})\b"
)
_SENDER = re.compile(r"^(?:~\s?)?(?P<name>[^:\n]{1,80}?):(?: |$)(?P<text>.*)$", re.DOTALL)
_MEDIA = re.compile(
    r"<attached: |<Media omitted>|<Без медиафайлов>|\(file attached\)|\(файл добавлен\)| omitted$|"
    r"weggelassen$|ausgelassen$|لم يتم إدراج|تم حذف",
    re.IGNORECASE,
)
# A link in a body: something a person shared (a location, a page), never a notice of WhatsApp's own
_SHARED_LINK = re.compile(r"\bhttps?://\S")
_GROUP_SYSTEM = re.compile(
    r"created group|added you|\bwere added\b|joined using this group|changed the subject|"
    r"changed this group|changed the group|left$|\bremoved\b|Messages you send to this group|"
    r"group description|now an admin|создал\(а\) группу|hat die Gruppe",
    re.IGNORECASE,
)
# System notices some exports attribute to a sender (the chat partner or the group's name). A line is a
# notice only when its whole body is one: a message that merely mentions "security code" is a message.
_SYSTEM_TEXT = re.compile(
    r"^(?:Your security code with [^\n]{1,80} changed\.(?: Tap to learn more\.)?$|"
    r"[^\n]{1,80} changed (?:their|your) phone number to a new number\.)",
)
# A group's notices are written as the exporting user sees them: the user is "You"/"you" ("You're now an
# admin", "Dmitry S added you", "You added Ann"), so a person a notice names as the one acting ("Dmitry S
# created group", "Dmitry S changed the group description") or as the one you added or removed is someone
# else. These forms are English; `whatsapp_notices` reads the notices of the other languages.
_ACTED = (
    r" (?:created|added|removed|left|changed|joined|was added|was removed|pinned|turned|updated|reset|"
    r"started|made|deleted|set|is now|is no longer)\b"
)
_ABOUT_YOU = re.compile(r" you\.?$")
_YOU_NOTICE = re.compile(r"^You\b| you\.?$")
_YOU_ADDED = re.compile(r"^You (?:added|removed) (?P<names>.+?)\.?$")
# What stands for a deleted message: "You deleted this message" under the exporting user's own name,
# "This message was deleted" under another's, in each language the notices are known in [chat-takeouts]
_YOU_DELETED = notices.YOU_DELETED
_DELETED = notices.DELETED
_FILENAME = re.compile(
    r"(?:WhatsApp Chat (?:with|-) |Чат WhatsApp с (?:контактом )?|WhatsApp-Chat mit )(.+?)"
    r"(?:\s*\(\d+\))?\.txt$",
    re.IGNORECASE,
)


def detect(inp: Input) -> bool:
    if inp.suffix not in ("txt", ""):
        return False
    try:
        lines = inp.first_lines(21)  # one more than it reads: whether the file has more than 3 lines
    except BadRequest:
        return False
    hits = 0
    for line in lines[:20]:
        if _HEADER.match(line.replace("\u202f", " ")):
            hits += 1
            if hits >= 2 or len(lines) == 1:
                return True
    return hits >= 1 and len(lines) <= 3


class _Msg:
    __slots__ = (
        "ampm",
        "be",
        "h",
        "key",
        "marked",
        "media",
        "mi",
        "parts",
        "row",
        "s",
        "sender",
        "system",
        "text",
        "wall",
        "when",
    )

    def __init__(
        self,
        row: int,
        key: tuple[bool, str, bool],
        parts: tuple[str, str, str],
        h: int,
        mi: int,
        s: int,
        ampm: str | None,
        be: bool,
        sender: str | None,
        text: str,
        system: bool,
    ) -> None:
        self.row, self.key, self.parts, self.h, self.mi, self.s = row, key, parts, h, mi, s
        self.ampm, self.be, self.sender, self.text, self.system = ampm, be, sender, text, system
        self.when: datetime | None = None
        self.wall: datetime | None = None  # the time as the file writes it, no zone
        self.media = False
        self.marked = False  # the body starts with a direction mark, as iOS writes its placeholders


def read_messages(text: str) -> tuple[list[_Msg], list[str]]:
    """Every message and system line with its raw date parts, multi-line bodies joined."""
    msgs: list[_Msg] = []
    errors: list[str] = []
    cur: _Msg | None = None
    body: list[str] = []

    def close() -> None:
        if cur is not None:
            cur.text = "\n".join(body).strip()
            msgs.append(cur)

    for no, line in enumerate(text.splitlines(), 1):
        m = _HEADER.match(line.replace("\u202f", " ").replace("\u00a0", " "))
        if not m:
            if _LOOSE.match(line.replace("\u202f", " ").replace("\u00a0", " ")):
                errors.append(
                    f"Row {no}: looks like a message but its date or time layout is unknown; "
                    "kept as text of the message above"
                )
            if cur is not None:
                body.append(line.strip(_MARKS))
            continue
        close()
        rest = m.group("rest")
        sm = _SENDER.match(rest)
        sender, system = None, True
        content = rest
        if sm and not sm.group("name").strip().startswith(tuple(_MARKS)):
            sender = sm.group("name").strip().strip(_MARKS).strip() or None
            content = sm.group("text")
            system = sender is None
            said = content.strip(_MARKS + " ")
            # iOS: a body that starts with a direction mark on a line that does not is a system line,
            # unless it is a media placeholder or a deleted message's (counted as such later), or carries a
            # link: a place the sender shared ("Location: https://maps...", "Standort: ...", "موقع: ...",
            # in the phone's language), which no notice does
            marked = (
                content[:1] in _MARKS
                and not m.group("lead")
                and not _MEDIA.search(content)
                and not _SHARED_LINK.search(content)
            )
            if (marked and not _DELETED.match(said) and not _YOU_DELETED.match(said)) or (
                _SYSTEM_TEXT.match(said) or notices.ENCRYPTED.match(said)
            ):
                system = True
            # Android: a notice that quotes a colon ('Dmitry S hat die Gruppe „Reise: Rom“ erstellt') is
            # no message from 'Dmitry S hat die Gruppe „Reise' (a name with a quote mark in it: cheap to tell)
            if notices.QUOTE.search(sm.group("name")) and notices.notice(rest) is not None:
                sender, content, system = None, rest, True
        ampm = m.group("ampm")
        cur = _Msg(
            no,
            (bool(m.group("br")), m.group("sep"), bool(ampm)),
            (m.group("d1"), m.group("d2"), m.group("d3")),
            int(m.group("h")),
            int(m.group("mi")),
            int(m.group("s") or 0),
            ampm.replace(".", "").replace(" ", "").lower() if ampm else None,
            bool(m.group("be")),
            sender,
            "",
            system,
        )
        cur.marked = content[:1] in _MARKS
        body = [content.strip(_MARKS)]
    close()
    _notices_under_a_name(msgs)
    return msgs, errors


def _notices_under_a_name(msgs: list[_Msg]) -> None:
    """iOS writes a group's notices under the group's name; copies without their direction marks read
    as that name's messages. A name whose every line is a group notice, one of them a kind no person
    writes ('Ana hat die Gruppe „Reise“ erstellt', 'Ana hat dich hinzugefügt'), is the group's: its lines
    are notices. One line that reads like a notice among others ('Bob added Carl') is a message.
    Only the name of the chat's first line (the group's export opens with its notices), and only where two
    people wrote besides: a person whose one line reads so ('Yes, I changed the settings') is a person."""
    by_sender: dict[str, list[_Msg]] = {}
    for m in msgs:
        if m.sender is not None and not m.system:
            by_sender.setdefault(m.sender, []).append(m)
    first = msgs[0].sender if msgs else None
    for name, lines in by_sender.items():
        if name != first or len(by_sender) < 3:
            continue
        found: list[notices.Notice] = []
        for m in lines:  # a person's first message that is no notice ends the look
            n = notices.notice(m.text)
            if n is None:
                break
            found.append(n)
        else:
            if any(n.kind in notices.STRONG for n in found):
                for m in lines:
                    m.system = True


def _orders(
    msgs: list[_Msg], forced: str | None = None, errors: list[str] | None = None
) -> dict[tuple[bool, str, bool], str]:
    """Per header layout: 'ymd', 'dmy' or 'mdy'.

    Evidence, strongest first: --date-order; a year written first; a part above 12; the dates in media
    file names (IMG-20241202-WA0001.jpg) sent with the messages; time running forwards. When none of it
    decides, day first is assumed (12-hour clocks: month first, as in the US) and a warning says so."""
    out: dict[tuple[bool, str, bool], str] = {}
    groups: dict[tuple[bool, str, bool], list[_Msg]] = {}
    for m in msgs:
        groups.setdefault(m.key, []).append(m)
    for key, items in groups.items():
        if all(len(m.parts[0]) == 4 for m in items):
            out[key] = "ymd"
            continue
        if forced:
            out[key] = forced
            continue
        first_big = any(int(m.parts[0]) > 12 for m in items)
        second_big = any(int(m.parts[1]) > 12 for m in items)
        if first_big and not second_big:
            out[key] = "dmy"
            continue
        if second_big and not first_big:
            out[key] = "mdy"
            continue
        dmy_media, mdy_media = _media_votes(items, "dmy"), _media_votes(items, "mdy")
        if dmy_media != mdy_media:
            out[key] = "dmy" if dmy_media > mdy_media else "mdy"
            continue
        dmy, mdy = _disorder(items, "dmy"), _disorder(items, "mdy")
        if dmy != mdy:
            out[key] = "dmy" if dmy < mdy else "mdy"
            continue
        out[key] = "mdy" if key[2] else "dmy"
        sample = next((m for m in items if m.parts[0] != m.parts[1]), None)
        if sample is not None and errors is not None:
            a = sample.parts[0]
            first = "month" if out[key] == "mdy" else "day"
            errors.append(
                f"dates like {'/'.join(sample.parts)} could be day or month first and nothing in the file "
                f"tells; read {first} first ({a} = the {first}); pass --date-order "
                f"{'dmy' if out[key] == 'mdy' else 'mdy'} if that is wrong"
            )
    return out


def _media_votes(items: list[_Msg], order: str) -> int:
    """How many media file names carry the date of their message (or the day after) in this order."""
    votes = 0
    for m in items:
        found = _MEDIA_DATE.search(m.text)
        if not found:
            continue
        stamp = _stamp(m, order)
        if stamp is None:
            continue
        try:
            named = datetime(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        except ValueError:
            continue
        if 0 <= (named.date() - stamp.date()).days <= 1:
            votes += 1
    return votes


def _disorder(items: list[_Msg], order: str) -> int:
    """How often time runs backwards (and dates are impossible) when read in this order."""
    seq = [_stamp(m, order) for m in items]
    ok = [s for s in seq if s is not None]
    return sum(1 for a, b in pairwise(ok) if b < a) + (len(items) - len(ok)) * 2


def _stamp(m: _Msg, order: str) -> datetime | None:
    a, b, c = m.parts
    if len(a) == 4 or order == "ymd":
        y, mo, d = int(a), int(b), int(c)
    elif order == "mdy":
        mo, d, y = int(a), int(b), int(c)
    else:
        d, mo, y = int(a), int(b), int(c)
    if y < 100:
        y += 2000
    if m.be:
        y -= 543
    h = m.h
    if m.ampm:
        pm = m.ampm.startswith("p")
        h = (h % 12) + (12 if pm else 0)
    try:
        return datetime(y, mo, d, h, m.mi, m.s)
    except ValueError:
        return None


def chat_partner_from_filename(filename: str) -> str | None:
    m = _FILENAME.search(filename.replace("\u00a0", " "))
    return m.group(1).strip() if m else None


def _looks_like_phone(name: str) -> bool:
    return bool(re.fullmatch(r"\+?[\d\s().-]{6,}", name)) and sum(ch.isdigit() for ch in name) >= 6


def parse(inp: Input, opts: Options) -> Parsed:
    text = inp.text()
    msgs, errors = read_messages(text)
    if not msgs:
        raise BadRequest(
            f"{inp.filename}: no WhatsApp message lines (like '12/31/23, 21:05 - Ann: hi')",
            hint="export the chat from WhatsApp (⋮ → More → Export chat) and import the .txt",
        )
    out = Parsed(errors=errors)
    undecided: list[str] = []  # reported only for the messages imported (not a group's members)
    orders = _orders(msgs, opts.date_order, undecided)
    for m in msgs:
        local = _stamp(m, orders[m.key])
        if local is None:
            out.errors.append(
                f"Row {m.row}: {'/'.join(m.parts)} {m.h}:{m.mi:02d} is not a real date and time; "
                "message skipped"
            )
            m.system = True
            continue
        m.wall = local
        m.when = local.replace(tzinfo=opts.tz).astimezone(UTC)
    people = [m for m in msgs if not m.system and m.sender]
    senders: list[str] = []
    for m in people:
        if m.sender is not None and m.sender not in senders:
            senders.append(m.sender)
    me_names = {normalize_name(x) for x in opts.me.names} - {""}
    me_phones = {re.sub(r"\D", "", x) for x in opts.me.phones} - {""}

    def is_me(name: str) -> bool:
        if normalize_name(name) in me_names:
            return True
        return _looks_like_phone(name) and re.sub(r"\D", "", name) in me_phones

    partner = chat_partner_from_filename(inp.filename)
    mine = [s for s in senders if is_me(s)]
    others = [s for s in senders if not is_me(s)]
    system_group = any(
        m.system and (_GROUP_SYSTEM.search(m.text or "") or notices.notice(m.text or "") is not None)
        for m in msgs
    )
    # a sender whose deleted message reads "This message was deleted" is not the one who exported the chat
    shown: dict[str, tuple[int, str]] = {}
    writers = set(senders)
    for m in msgs:
        if m.sender in writers and m.sender not in shown and _DELETED.match(m.text.strip(_MARKS + " ")):
            shown[m.sender] = (m.row, f"{m.sender}: {m.text}")
    found = _group_notices(msgs, senders)  # read once, for who is who and who else is there
    shown.update(_shown_as_others(found, senders))
    # "You deleted this message" stands under the exporting user's own name: the export's own account,
    # which counts as you when --me is not given and `me` names no one who wrote [me-setting]; so does the
    # one writer of a two-person chat who is not shown to be someone else
    deleted = {m.sender for m in msgs if m.sender and _YOU_DELETED.match(m.text.strip(_MARKS + " "))}
    exporter = next(iter(deleted)) if len(deleted) == 1 else None
    if exporter is None and len(others) == 2 and not system_group:
        left = [x for x in others if x not in shown]
        exporter = left[0] if len(left) == 1 else None
    if exporter in others and exporter not in shown and not mine and not opts.me_given:
        mine, others = [exporter], [s for s in others if s != exporter]
    # iOS attributes the encryption notice to the chat partner: a name for a chat where only you wrote
    named = [
        m.sender for m in msgs if m.system and m.sender and m.sender not in senders and not is_me(m.sender)
    ]
    if not others and named and not system_group:
        others = [named[0]]
    elif len(others) == 1 and not mine and named and named[0] != others[0] and partner == named[0]:
        others = [named[0]]  # the file's name and the notices name the chat's person: the writer is you
    elif len(others) == 1 and not mine and named and named[0] != others[0]:
        if not me_names and not me_phones:
            raise BadRequest(
                f"{inp.filename}: pcrm needs your own name to tell sent from received messages",
                hint=_me_hint([x for x in [*senders, named[0]] if x not in shown]),
            )
        # a chat with the person its notices name: the one who wrote is you by a name `me` lacks, and
        # taking them for the other person would file your own messages as theirs [chat-takeouts]
        if not system_group:
            raise BadRequest(
                f"{inp.filename}: neither {others[0]!r} nor {named[0]!r} is you ({_me_names(opts)}); "
                "pcrm cannot tell sent from received messages",
                hint=_me_hint([x for x in [*senders, named[0]] if x not in shown]),
            )
    if not mine and not system_group and len(others) == 2:
        if partner in others:
            others = [partner]  # the other sender is you
        elif not me_names and not me_phones:
            raise BadRequest(
                f"{inp.filename}: pcrm needs your own name to tell sent from received messages",
                hint=_me_hint([x for x in senders if x not in shown]),
            )
        else:  # two people wrote and neither is you: a chat with you, under another name of yours
            raise BadRequest(
                f"{inp.filename}: neither {others[0]!r} nor {others[1]!r} is you ({_me_names(opts)}); "
                "pcrm cannot tell sent from received messages",
                hint=_me_hint([x for x in senders if x not in shown]),
            )
    if system_group or len(others) > 1:
        unsure = [s for s in others if s not in shown]
        # members who only appear in the notices ("Dmitry S added Anna K", and Anna never wrote): people
        # the user shares the group with, imported like its writers [second-tier]
        listed = [
            (name, row)
            for name, row in _notice_members(found)
            if name not in senders and name not in mine and not is_me(name)
        ]
        if not me_names and not me_phones and not mine and (unsure or not (others or listed)):
            raise BadRequest(
                f"{inp.filename} is a group chat; pcrm needs your own name to leave you out of its members",
                hint=_me_hint(unsure),
            )
        # `me` names someone the notices show is not the one who exported the chat: the user's word
        # stands (a chat someone else exported names the user so), and the report says so
        who = "--me" if opts.me_given else "the me setting"
        contradicted = [(name, *shown[name]) for name in mine if name in shown]
        if contradicted and not others and not listed:
            name, row, said = contradicted[0]
            raise BadRequest(
                f"{inp.filename}: {who} names {name!r} as you, but the chat shows they are someone "
                f"else (row {row}: {said!r}), and no other member is left to import",
                hint=(
                    "WhatsApp writes the one who exported a chat as 'You' in its notices; if this export "
                    "is yours, "
                    + ("import it without --me" if opts.me_given else "pass --me with your own name")
                ),
            )
        for name, row, said in contradicted:
            out.errors.append(
                f"Row {row}: {said!r} says {name!r} did not export this chat; left out of the members "
                f"as you, as {who} names them"
            )
        members = [(name, _first_row(people, name)) for name in others] + listed
        for name, row in members:
            out.contacts.append(
                ContactRecord(row=row, data=_person(name, [SECOND_TIER]), new_only=frozenset({"tags"}))
            )
        only = f" ({len(listed)} named only in its notices)" if listed else ""
        kind = "a 2nd-tier contact" if len(members) == 1 else "2nd-tier contacts"
        out.skip(
            len(people),
            "group_chat",
            f"a group chat: its {counted(len(members), 'member')} "
            f"{'is' if len(members) == 1 else 'are'} imported as {kind}{only}, its messages are not",
        )
        return out
    if not others:
        if not senders:
            return out  # only system lines
        raise BadRequest(
            f"{inp.filename}: every message is yours; pcrm cannot tell who the chat is with",
            hint="import the chat under its exported name, e.g. 'WhatsApp Chat with Ann.txt'",
        )
    other = others[0]
    out.errors += undecided
    out.contacts.append(ContactRecord(row=_first_row(people, other), data=_person(other, [])))
    counts: dict[str, int] = {}
    for m in people:
        if m.when is None or m.wall is None:
            continue
        said = m.text.strip(_MARKS + " ")
        outbound = m.sender != other
        stamp = iso(m.when)
        # [import-rerun-safety]: the reference hashes the time as the file writes it, so the same chat read
        # under another time zone (--tz, or the machine's zone moved) is the same messages; the one an
        # earlier pcrm gave (the UTC moment under this zone) is still recognised
        # (and one an earlier pcrm read under another zone, by the time stored with it: `earlier_ref_at`)
        ref = _ref(counts, other, m.wall.isoformat(), m)
        ordinal = ref.rsplit(":", 1)[1]
        earlier_at = partial(_ref_at, other, m.sender or "", m.text, ordinal)
        record = partial(
            InteractionRecord,
            row=m.row,
            contact=0,
            platform="whatsapp",
            direction="outbound" if outbound else "inbound",
            occurred_at=stamp,
            raw_reference_id=ref,
            earlier_ref=earlier_at(stamp),
            earlier_ref_at=earlier_at,
        )
        if _DELETED.match(said) or _YOU_DELETED.match(said):
            # WhatsApp keeps only a notice that the message was there: no message to keep, nothing to read;
            # what a reader that did not know the notice stored under its reference is taken out
            out.skip(1, "deleted", "messages deleted before the export (WhatsApp keeps only a notice)")
            out.interactions.append(record(content_preview=m.text or None, withdrawn=True))
            continue
        # a media message is a message; WhatsApp's placeholder is no text of it: its caption, its file's
        # name or its kind stands instead (the reference still hashes the line as written)
        # an edited message ends with WhatsApp's marker, which is no text of it: kept as `extra_data.edited`
        body, edited = notices.edited(m.text)
        text, media = notices.media(body, marked=m.marked) or (body, None)
        extra: dict[str, object] | None = dict(media) if media else None
        if edited:
            extra = {**(extra or {}), "edited": True}
        # what earlier readers stored: the line as written (before placeholders and markers were read),
        # then the placeholder read but the marker kept; a re-import brings such a row to this reading
        readings: list[dict[str, object]] = [{"content_preview": m.text or None, "extra_data": None}]
        if edited:
            kept, was = notices.media(m.text, marked=m.marked) or (m.text, None)
            readings.append({"content_preview": kept or None, "extra_data": dict(was) if was else None})
        out.interactions.append(
            record(
                content_preview=text or None,
                extra_data=extra,
                earlier_readings=readings if (text or None, extra) != (m.text or None, None) else [],
            )
        )
    return out


def _group_notices(msgs: list[_Msg], senders: list[str]) -> list[tuple[_Msg, notices.Notice | None]]:
    """A chat's notices (lines no person wrote) in file order, each with what it says when it is a
    group notice pcrm reads."""
    return [
        (m, notices.notice(m.text))
        for m in msgs
        if m.system and (m.sender is None or m.sender not in senders) and m.text
    ]


def _writes_you(found: list[tuple[_Msg, notices.Notice | None]]) -> bool:
    """Some notice writes the exporting user as "You" (in any language pcrm reads notices in)."""
    return any(_YOU_NOTICE.search(m.text) or (n is not None and n.about_you) for m, n in found)


def _shown_as_others(
    found: list[tuple[_Msg, notices.Notice | None]], senders: list[str]
) -> dict[str, tuple[int, str]]:
    """The senders a group's notices (`found`, _group_notices) show to be someone other than the exporting
    user, who is "You" in them: each with the row and text of the first notice that says so. None unless
    some notice writes the user as "You" ("You were added", "Dmitry S added you", "Ana hat dich
    hinzugefügt"): a file that never does (written by hand or by another tool) may name its user among those
    acting. One pass over the notices, each asked only about the senders it can name (a chat of 300 writers
    and 25,000 notices asked every notice about every writer)."""
    if not _writes_you(found):
        return {}  # a file that never writes its user as "You" does not tell who is who this way
    # "Dmitry S added you" says it best (a stable sort: file order otherwise)
    ordered = sorted(
        found,
        key=lambda x: not (_ABOUT_YOU.search(x[0].text) or (x[1] is not None and x[1].kind == "added_you")),
    )
    by_length: dict[int, set[str]] = {}
    for name in senders:
        by_length.setdefault(len(name), set()).add(name)
    out: dict[str, tuple[int, str]] = {}
    for m, n in ordered:
        if len(out) == len(senders):
            break
        named: set[str] = set()
        for length, names in by_length.items():  # "Dmitry S added ...": the writers the line starts with
            head = m.text[:length]
            if head in names and re.match(_ACTED, m.text[length:]):
                named.add(head)
        if you_did := _YOU_ADDED.match(m.text):
            named.update(re.split(r", | and ", you_did.group("names")))
        if n is not None:
            named.update(name for name in {n.actor, *n.names} if name and _other_in(n, name))
        for name in named:
            if name in senders and name not in out:
                out[name] = (m.row, m.text)
    return out


def _other_in(n: notices.Notice, name: str) -> bool:
    """The notice shows `name` is not the exporting user: they acted, or the user added or removed them."""
    if n.actor is not None and not notices.is_you(n.actor):
        return n.actor == name
    return n.actor is not None and n.kind in ("added", "removed") and name in n.names


def _notice_members(found: list[tuple[_Msg, notices.Notice | None]]) -> list[tuple[str, int]]:
    """The group's members its notices (`found`, _group_notices) name (with the row of the first notice
    naming them), in the order they appear: whoever acted, was added or joined, unless a later notice has
    them leave or removed. None unless the file writes its user as "You", so that no name in it is the
    user's."""
    if not _writes_you(found):
        return []
    state: dict[str, tuple[bool, int]] = {}
    for m, n in found:
        if n is None:
            continue
        changes: list[tuple[str, bool]] = []
        if n.actor is not None and not notices.is_you(n.actor):
            changes.append((n.actor, True))
        stays = n.kind not in ("left", "removed")
        changes += [(name, stays) for name in n.names if not notices.is_you(name)]
        for name, here in changes:
            state[name] = (here, state[name][1] if name in state else m.row)
    return [(name, row) for name, (here, row) in state.items() if here]


def _ref(counts: dict[str, int], other: str, stamp: str, m: _Msg) -> str:
    """`whatsapp:{hash of chat, time, sender, text}:{ordinal}`: the ordinal counts the messages alike."""
    digest = _digest(other, stamp, m.sender or "", m.text)
    counts[digest] = counts.get(digest, 0) + 1
    return f"whatsapp:{digest}:{counts[digest]}"


def _digest(other: str, stamp: str, sender: str, text: str) -> str:
    return hashlib.sha1("\x1f".join((other, stamp, sender, text)).encode("utf-8")).hexdigest()[:20]


def _ref_at(other: str, sender: str, text: str, ordinal: str, stamp: str) -> str:
    """The reference an earlier pcrm gave a message whose wall clock it read as the UTC time `stamp` (in
    the zone it ran in), the `ordinal`-th message alike."""
    return f"whatsapp:{_digest(other, stamp, sender, text)}:{ordinal}"


def _first_row(people: list[_Msg], name: str) -> int:
    return next((m.row for m in people if m.sender == name), 1)


def _person(name: str, tags: list[str]) -> dict[str, object]:
    name = unicodedata.normalize("NFC", name)
    if _looks_like_phone(name):
        return {"phones": [name], "whatsapp_phone": name, "tags": tags}
    return {"full_name": name, "tags": tags}


def _me_names(opts: Options) -> str:
    """Who `me` says you are, for a message: its names and phones."""
    mine = [*opts.me.names, *opts.me.phones]
    return "me: " + ", ".join(repr(x) for x in mine[:4]) if mine else "me is not set"


def _me_hint(senders: list[str]) -> str:
    """Asks for --me, offering the senders who may be you (never one the file shows is someone else)."""
    names = ", ".join(repr(s) for s in senders[:6])
    first = senders[0] if senders else "Your Name"
    return (
        f"pass --me with your name as the chat writes it{f' (one of {names})' if senders else ''}, "
        f"e.g. --me {first!r}; "
        'or set it once: pcrm settings set me \'{"names": ["Your Name"]}\''
    )
