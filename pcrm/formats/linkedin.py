"""LinkedIn export files [csv-imports]: Connections.csv, messages.csv and Profile.csv.

Connections.csv: skip the 'Notes:' preamble up to the 'First Name,' header; columns First Name, Last
Name, URL, Email Address, Company, Position and Connected On (kept as an `x` field, `X-CONNECTED-ON`);
rows with neither first nor last name are skipped. A file without First Name, Last Name, Company and
Position, and a URL or Email Address, is not a Connections.csv: `--format linkedin` on it is refused,
naming the missing columns and the format the file looks like. Any other column is kept as an `x` field
and named in the report. LinkedIn owns company and title: a re-import with a new company or position
updates them and records a `job_change` detected event; a new employer moves both together, a title you
typed included, while a company you typed keeps the position and LinkedIn's is kept aside [job-changes].

messages.csv: CONVERSATION ID, FROM, TO, DATE, CONTENT. Your side is recognised from the `me`
setting (or --me): FROM = you is outbound to every other recipient, you among TO is inbound from FROM,
neither is skipped. The other person is matched by their profile URL (also learnt from the rows they
sent, unless two profiles sent under that name), never by the name alone: nobody holding the profile, the
services make a contact of the name and profile URL LinkedIn gives, found again by the conversation's
messages and asked about beside a stored namesake [import-matching]. A group conversation (several
recipients, paired with their profile URLs) gives your message one interaction per member. Refs are
`linkedin:{conversation id}:{DATE}` (another message of the same DATE adds `#` and a hash of its sender and
text; plus `:{member}` in groups); dates in every form LinkedIn writes
(with or without seconds, US forms), all in UTC whether or not they say so ("2023-04-12 10:14:33 UTC",
"2024-05-15 10:30:00"), never in --tz [local-days]. A row's SUBJECT is kept in the message's
`extra_data.subject`, else its CONVERSATION TITLE, which is also kept as `extra_data.conversation_title`;
its FOLDER (INBOX, SENT, ARCHIVE, ...) as `extra_data.folder`, its ATTACHMENTS as `attachments` (a file sent
without words is `[attachment]`), any column pcrm does not read by its name (`IS PINNED` as `is_pinned`). A
message of the SPAM folder is not imported (nor its sender as a contact): counted in the report as `spam`; nor
is a draft (IS MESSAGE DRAFT or IS CONVERSATION DRAFT `Yes`), never sent: counted as `draft` [chat-takeouts].
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

from pcrm.clock import iso
from pcrm.domain.normalize import linkedin_profile_id
from pcrm.domain.records import ContactRecord, Counterpart, Direction, InteractionRecord, Me
from pcrm.errors import BadRequest
from pcrm.formats import generic_csv, google_csv, outlook_csv
from pcrm.formats.base import Input, Options, Parsed, collect, in_batches
from pcrm.formats.generic_csv import Unread, x_line
from pcrm.formats.names import member_ref_name, normalize_name
from pcrm.formats.textio import CsvStream, find_header, read_csv, stream_csv

_MSG_COLUMNS = ("CONVERSATION ID", "FROM", "TO", "DATE", "CONTENT")


def _first_line(inp: Input) -> str:
    for line in inp.first_lines(50):
        if line.strip():
            return line.lstrip("\ufeff")
    return ""


class _Connections:
    NAME = "linkedin"
    SOURCE = "linkedin"
    LABEL = "LinkedIn's Connections.csv"

    def detect(self, inp: Input) -> bool:
        if inp.suffix not in ("csv", ""):
            return False
        first = _first_line(inp)
        if first.startswith("Notes:") and find_header(inp.lines, "First Name,") >= 0:
            return True
        return first.startswith("First Name,Last Name,") and (
            "Connected On" in first or ("URL" in first and "Position" in first)
        )

    def parse(self, inp: Input, opts: Options) -> Parsed:
        return collect(self.stream(inp, opts))

    def stream(self, inp: Input, opts: Options) -> Iterator[Parsed]:
        """The connections in batches, read row by row [streamed-imports]."""
        at = find_header(inp.lines, "First Name,")
        try:
            table = stream_csv(
                inp.lines,
                inp.filename,
                header_at=max(at, 0),
                required=_CONNECTION_COLUMNS,
                required_any=("URL", "Email Address"),
                label=self.LABEL,
            )
        except BadRequest as exc:
            raise _looks_like(exc, inp) from None
        unread = Unread([h for h in table.header if h and h not in _CONNECTION_READ])
        return in_batches(self._records(table, unread), tail=lambda: table.errors + unread.report())

    @staticmethod
    def _records(table: CsvStream, unread: Unread) -> Iterator[ContactRecord | None]:
        for row in table.rows():
            v = row.values
            first, last = v.get("First Name", ""), v.get("Last Name", "")
            if not first and not last:
                yield None  # skipped by design
                continue
            data = {
                "full_name": f"{first} {last}" if first and last else first or last,
                "given_name": first or None,
                "family_name": last or None,
                "emails": [v["Email Address"]] if v.get("Email Address") else [],
                "company": v.get("Company") or None,
                "title": v.get("Position") or None,
                "linkedin_url": v.get("URL") or None,
            }
            fields = unread.fields(v)
            if v.get("Connected On"):
                fields.append(
                    {"kind": "x", "label": None, "value": x_line("Connected On", v["Connected On"])}
                )
            yield ContactRecord(row=row.row, data=data, fields=fields, overwrite=_OWNED, job_change=True)


_OWNED = frozenset({"company", "title"})  # LinkedIn owns them: a re-import's new values replace the old

# the columns that make a CSV a Connections.csv (with a URL or an Email Address column), and all it reads
_CONNECTION_COLUMNS = ("First Name", "Last Name", "Company", "Position")
_CONNECTION_READ = {*_CONNECTION_COLUMNS, "URL", "Email Address", "Connected On"}


def _looks_like(exc: BadRequest, inp: Input) -> BadRequest:
    """The refusal of a file that is not a Connections.csv, its hint naming the format it looks like."""
    for fmt in (google_csv, outlook_csv, generic_csv):
        if fmt.detect(inp):
            return BadRequest(
                exc.message,
                hint=f"it looks like {fmt.LABEL}: import it without --format, or with --format {fmt.NAME}",
            )
    return exc


class _Messages:
    NAME = "linkedin-messages"
    SOURCE = "linkedin"
    LABEL = "LinkedIn's messages.csv"

    def detect(self, inp: Input) -> bool:
        if inp.suffix not in ("csv", ""):
            return False
        first = _first_line(inp)
        return all(c in first for c in ("CONVERSATION ID", "FROM", "TO", "CONTENT"))

    def parse(self, inp: Input, opts: Options) -> Parsed:
        table = read_csv(inp.text(), inp.filename, required=_MSG_COLUMNS, label=self.LABEL)
        out = Parsed(errors=list(table.errors))
        names = {normalize_name(x) for x in opts.me.names} - {""}
        emails = {e.strip().lower() for e in opts.me.emails}
        handles = {h.strip().lower().lstrip("@") for h in opts.me.handles}

        def is_me(name: str, url: str = "") -> bool:
            if name.strip().lower() in emails or (name and normalize_name(name) in names):
                return True
            slug = _slug(url)
            return bool(slug and slug in handles)

        if not names and not emails:
            raise BadRequest(
                f"{inp.filename}: pcrm needs your own name to tell sent from received messages",
                hint=f'pass --me {_guess_me(table)!r}, or set it once: pcrm settings set me "Your Name"',
            )
        other_columns = [h for h in table.header if h and h not in _MSG_READ]
        # a person's profile URL appears on the rows they sent: reuse it for the rows you sent them
        # (one name of two profiles is two people: neither is taken for a row that names no profile)
        senders: dict[str, set[str]] = {}
        for row in table.rows:
            slug = _slug(row.values.get("SENDER PROFILE URL", ""))
            if slug and row.values.get("FROM"):
                senders.setdefault(normalize_name(row.values["FROM"]), set()).add(slug)
        known = {name: next(iter(slugs)) for name, slugs in senders.items() if len(slugs) == 1}
        refs: dict[tuple[str, str], dict[tuple[str, str], str]] = {}  # (conversation, DATE) -> message -> ref
        left_out: list[InteractionRecord] = []
        for row in table.rows:
            v = row.values
            content, date = v.get("CONTENT", ""), v.get("DATE", "")
            attachments = (v.get("ATTACHMENTS") or "").strip()
            if not content and attachments:
                content = "[attachment]"  # a file sent without words: its kind, as chat exports keep it
            if not content or not date:
                out.interactions_skipped += 1
                continue
            # a draft was never sent: no message (read on only to find what an earlier reader stored of it)
            draft = _yes(v.get("IS MESSAGE DRAFT")) or _yes(v.get("IS CONVERSATION DRAFT"))
            if draft:
                out.skip(1, "draft", "drafts LinkedIn kept that were never sent")
            frm, from_url = v.get("FROM", ""), v.get("SENDER PROFILE URL", "")
            recipients = _people(v.get("TO", ""), v.get("RECIPIENT PROFILE URLS", ""))
            direction: Direction
            if is_me(frm, from_url):
                direction = "outbound"
                others = [(n, u) for n, u in recipients if not is_me(n, u)]
            elif any(is_me(n, u) for n, u in recipients):
                direction, others = "inbound", [(frm, from_url)]
            else:
                if not draft:
                    out.skip(1, "not_yours", *_not_yours(opts, table, out))
                continue
            try:
                when = parse_date(date)
            except ValueError:
                if not draft:
                    out.errors.append(
                        f"Row {row.row}: DATE {date!r} is not a date like 2024-03-15 09:30:00 UTC; "
                        "message skipped"
                    )
                continue
            folder = (v.get("FOLDER") or "").strip()
            conv = v.get("CONVERSATION ID", "")
            if draft or folder.upper() == "SPAM":
                # LinkedIn's spam filter spoke: no message of it, and no stranger made a contact by it
                if not draft:
                    out.skip(1, "spam", "messages LinkedIn filed as spam", _SPAM_HINT)
                group = len(recipients) > 1
                left_out += _left_out(row.row, conv, date, content, direction, others, group, known, when)
                continue
            ref = _ref(refs, conv, date, frm, content)
            group = len(recipients) > 1
            title = (v.get("CONVERSATION TITLE") or "").strip()
            extra: dict[str, object] = {"conversation": title or conv, "group": True} if group else {}
            if title:
                extra["conversation_title"] = title
            # an InMail's or a message's subject line, kept beside it; else the conversation's title
            if v.get("SUBJECT") or title:
                extra["subject"] = v.get("SUBJECT") or title
            if folder:
                extra["folder"] = folder
            if attachments:
                extra["attachments"] = attachments
            for header in other_columns:  # a column pcrm does not read is kept with the message
                if v.get(header):
                    extra[_key(header)] = v[header]
            readings = _earlier_readings(content, extra, v, when, date)
            for other, url in others:
                slug = _slug(url) or known.get(normalize_name(other))
                who = Counterpart(name=other or None, linkedin_profile_id=slug, create=bool(other or slug))
                out.interactions.append(
                    InteractionRecord(
                        row=row.row,
                        contact=who,
                        platform="linkedin",
                        direction=direction,
                        occurred_at=iso(when),
                        # a group message is one interaction per member: the member keeps each unique
                        raw_reference_id=f"{ref}:{slug or member_ref_name(other)}" if group else ref,
                        content_preview=content,
                        extra_data=dict(extra) or None,
                        earlier_readings=readings,
                    )
                )
        # what an earlier reader stored of a message left out is taken out, unless the reference is a
        # message's of this file (a sent message at the draft's date, with its text): that one stays
        kept = {it.raw_reference_id for it in out.interactions}
        out.interactions += [it for it in left_out if it.raw_reference_id not in kept]
        return out


def _left_out(
    line: int,
    conv: str,
    date: str,
    content: str,
    direction: Direction,
    others: list[tuple[str, str]],
    group: bool,
    known: dict[str, str],
    when: datetime,
) -> list[InteractionRecord]:
    """A message pcrm does not import (filed as spam, or a draft never sent) as a reader that imported it
    stored it (the conversation's reference at its DATE, per member in a group): withdrawn, so a re-import
    takes such a row out, journaled, as a fresh import would not hold it [chat-takeouts]. Its sender is
    looked up, never created."""
    base = f"linkedin:{conv}:{date}"
    out = []
    for other, url in others:
        slug = _slug(url) or known.get(normalize_name(other))
        who = Counterpart(name=other or None, linkedin_profile_id=slug, create=False)
        out.append(
            InteractionRecord(
                row=line,
                contact=who,
                platform="linkedin",
                direction=direction,
                occurred_at=iso(when),
                raw_reference_id=f"{base}:{slug or member_ref_name(other)}" if group else base,
                content_preview=content,
                withdrawn=True,
            )
        )
    return out


def _earlier_readings(
    content: str, extra: dict[str, object], v: dict[str, str], when: datetime, date: str
) -> list[dict[str, object]]:
    """How earlier readers stored this message, where it differs from this reading: without its folder
    and title (and before that without its subject), and a date without a zone read in the zone of that
    import, whichever it was (`occurred_in_a_zone`: the time off by a whole zone offset, at most 14 h, or
    none), rather than UTC. A stored row still so is brought to this reading by a re-import, under any
    --tz [chat-takeouts]."""
    zoned = _zoned(date)
    base: dict[str, object] = {k: extra[k] for k in ("conversation", "group") if k in extra}
    out: list[dict[str, object]] = []
    for old in ({**base, "subject": v["SUBJECT"]} if v.get("SUBJECT") else base, base):
        reading: dict[str, object] = {"content_preview": content, "extra_data": old or None}
        reading["occurred_at" if zoned else "occurred_in_a_zone"] = iso(when)
        if reading not in out and (old != extra or not zoned):
            out.append(reading)
    return out


def _ref(
    refs: dict[tuple[str, str], dict[tuple[str, str], str]], conv: str, date: str, frm: str, text: str
) -> str:
    """`linkedin:{conversation id}:{DATE}` for the first message of a conversation at that DATE; another
    message at the same DATE (a minute's, where the export writes no seconds) adds `#` and a hash of its
    sender and text, so it is stored beside the first instead of skipped as its repeat; the same message
    written twice keeps one reference."""
    said = refs.setdefault((conv, date), {})
    key = (frm.strip(), text)
    if key not in said:
        base = f"linkedin:{conv}:{date}"
        digest = hashlib.sha1("\x1f".join(key).encode("utf-8")).hexdigest()[:12]
        said[key] = f"{base}#{digest}" if said else base
    return said[key]


def _zoned(date: str) -> bool:
    """A date that says its zone ('... UTC', 'Z', '+02:00'), read so by every reader."""
    t = date.strip()
    return (
        t.rsplit(" ", 1)[-1].upper() in ("UTC", "GMT", "Z")
        or t.endswith(("Z", "z"))
        or bool(re.search(r"[+-]\d{2}:?\d{2}$", t))
    )


# the columns of messages.csv pcrm reads; any other is kept in the message's extra_data by its name
_MSG_READ = {
    *_MSG_COLUMNS,
    "CONVERSATION TITLE",
    "SENDER PROFILE URL",
    "RECIPIENT PROFILE URLS",
    "SUBJECT",
    "FOLDER",
    "ATTACHMENTS",
    "IS MESSAGE DRAFT",
    "IS CONVERSATION DRAFT",
}


def _yes(cell: str | None) -> bool:
    return (cell or "").strip().lower() in ("yes", "true", "1")


def _key(header: str) -> str:
    """A column's name as an extra_data key: `IS PINNED` -> `is_pinned`."""
    return "_".join(header.strip().lower().split()) or "column"


_SPAM_HINT = "move a conversation out of LinkedIn's spam folder and export again to import it"


def _people(names: str, urls: str) -> list[tuple[str, str]]:
    """The recipients of a row as (name, profile URL) pairs. LinkedIn joins several with commas; a name
    with a comma of its own ("Jane Doe, MBA") stays whole unless the URLs say how many there are."""
    url_list = [u.strip() for u in urls.split(",") if u.strip()]
    parts = [p.strip() for p in names.split(",") if p.strip()]
    if len(url_list) > 1 and len(parts) == len(url_list):
        return list(zip(parts, url_list, strict=True))
    if len(url_list) <= 1 and len(parts) > 1 and all(len(p.split()) >= 2 for p in parts):
        return [(p, "") for p in parts]  # "Ann Lee, Bo Chen": whole names, no URLs to pair them with
    return [(names.strip(), url_list[0] if len(url_list) == 1 else "")]


def _slug(url: str) -> str | None:
    return linkedin_profile_id(url) if url and "linkedin.com" in url.lower() else None


def _not_yours(opts: Options, table: object, out: Parsed) -> tuple[str, str | None]:
    """Why a row neither from nor to you is left out, and the --me that would import it (read once)."""
    if any(x.reason == "not_yours" for x in out.not_imported):
        return "", None  # counted under the first row's words
    mine = ", ".join(repr(x) for x in [*opts.me.names, *opts.me.emails][:3])
    return (
        f"no FROM or TO is you ({mine})",
        f"pass --me with your name as LinkedIn writes it, e.g. --me {_guess_me(table)!r}",
    )


def _guess_me(table: object) -> str:
    """The name on every row (sender or recipient): most likely the person who exported the file."""
    rows = getattr(table, "rows", [])
    counts: Counter[str] = Counter()
    for r in rows:
        for name in {r.values.get("FROM", ""), r.values.get("TO", "")}:
            if name:
                counts[name] += 1
    if counts:
        name, n = counts.most_common(1)[0]
        if n == len(rows):
            return name
    return "Your Name"


_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y, %I:%M %p",
    "%m/%d/%Y, %I:%M:%S %p",
    "%m/%d/%y, %I:%M %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%a %b %d %H:%M:%S %Y",
)


def parse_date(text: str) -> datetime:
    """Every form LinkedIn writes: '2024-03-15 09:30:00 UTC', without seconds ('2024-03-15 09:30 UTC'),
    US forms ('3/15/2024, 9:30 AM'), ISO 8601. LinkedIn writes UTC, saying so or not: a value without a
    zone is UTC, whatever --tz or `timezone` say [local-days]."""
    t = " ".join(text.strip().split())
    parts = t.rsplit(" ", 1)
    if len(parts) == 2 and parts[1].upper() in ("UTC", "GMT", "Z"):
        t = parts[0]
    for fmt in _DATE_FORMATS:
        try:
            dt = datetime.strptime(t, fmt)
        except ValueError:
            continue
        return dt.replace(tzinfo=UTC).astimezone(UTC)
    s = t[:-1] + "+00:00" if t.endswith(("Z", "z")) else t
    dt = datetime.fromisoformat(s)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def parse_profile(inp: Input, emails_inp: Input | None = None) -> Me | None:
    """Your own name (Profile.csv) and e-mails (Email Addresses.csv) for the `me` setting."""
    table = read_csv(
        inp.text(), inp.filename, required=("First Name", "Last Name"), label="LinkedIn's Profile.csv"
    )
    if not table.rows:
        return None
    v = table.rows[0].values
    name = " ".join(p for p in (v.get("First Name", ""), v.get("Last Name", "")) if p)
    me = Me(names=[name] if name else [])
    if emails_inp is not None:
        et = read_csv(
            emails_inp.text(),
            emails_inp.filename,
            required=("Email Address",),
            label="LinkedIn's Email Addresses.csv",
        )
        me.emails = [r.values["Email Address"].lower() for r in et.rows if r.values.get("Email Address")]
    return me if me.names or me.emails else None


class _Profile:
    """LinkedIn's Profile.csv: your own profile, not contacts. Recognised so that it is refused with the
    reason instead of importing you as a contact through the generic CSV reader."""

    NAME = "linkedin-profile"
    SOURCE = "linkedin"
    LABEL = "LinkedIn's Profile.csv (your own profile)"

    def detect(self, inp: Input) -> bool:
        if inp.suffix not in ("csv", ""):
            return False
        first = _first_line(inp)
        return first.startswith("First Name,Last Name,") and all(
            c in first for c in ("Headline", "Summary", "Industry")
        )

    def parse(self, inp: Input, opts: Options) -> Parsed:
        raise BadRequest(
            f"{inp.filename} is your own LinkedIn profile, not a list of contacts",
            hint="import Connections.csv or messages.csv, or the whole LinkedIn ZIP (its profile "
            "fills the `me` setting)",
        )


Connections = _Connections()
Profile = _Profile()
Messages = _Messages()
