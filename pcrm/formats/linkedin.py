"""LinkedIn export files [csv-imports]: Connections.csv, messages.csv and Profile.csv.

Connections.csv: skip the 'Notes:' preamble up to the 'First Name,' header; columns First Name, Last
Name, URL, Email Address, Company, Position ('Connected On' is ignored); rows with neither first nor
last name are skipped. LinkedIn owns company and title: a re-import with a new company or position
updates them (unless you edited them) and records a `job_change` detected event [csv-imports].

messages.csv: CONVERSATION ID, FROM, TO, DATE, CONTENT. Your side is recognised from the `me`
setting (or --me): FROM = you is outbound to TO, TO = you is inbound from FROM, neither is skipped.
The other person is matched by their profile URL (also learnt from the rows they sent), then exact
name, then the normalised name (suffixes, emoji and punctuation removed); messages never create
contacts, unmatched names are reported. Refs are `linkedin:{conversation id}:{DATE}`; naive dates are
read in --tz / `timezone`.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from pcrm.clock import iso
from pcrm.domain.normalize import linkedin_profile_id
from pcrm.domain.records import ContactRecord, Counterpart, Direction, InteractionRecord, Me
from pcrm.errors import BadRequest
from pcrm.formats.base import Input, Options, Parsed
from pcrm.formats.names import normalize_name
from pcrm.formats.textio import find_header, read_csv

_MSG_COLUMNS = ("CONVERSATION ID", "FROM", "TO", "DATE", "CONTENT")


def _first_line(inp: Input) -> str:
    for line in inp.text().splitlines()[:50]:
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
        text = inp.text()
        first = _first_line(inp)
        if first.startswith("Notes:") and find_header(text, "First Name,") >= 0:
            return True
        return first.startswith("First Name,Last Name,") and (
            "Connected On" in first or ("URL" in first and "Position" in first)
        )

    def parse(self, inp: Input, opts: Options) -> Parsed:
        text = inp.text()
        at = find_header(text, "First Name,")
        table = read_csv(
            text, inp.filename, header_at=max(at, 0), required=("First Name", "Last Name"), label=self.LABEL
        )
        out = Parsed(errors=list(table.errors))
        for row in table.rows:
            v = row.values
            first, last = v.get("First Name", ""), v.get("Last Name", "")
            if not first and not last:
                out.contacts_skipped += 1
                continue
            data = {
                "full_name": " ".join(p for p in (first, last) if p),
                "given_name": first or None,
                "family_name": last or None,
                "emails": [v["Email Address"]] if v.get("Email Address") else [],
                "company": v.get("Company") or None,
                "title": v.get("Position") or None,
                "linkedin_url": v.get("URL") or None,
            }
            out.contacts.append(
                ContactRecord(
                    row=row.line, data=data, overwrite=frozenset({"company", "title"}), job_change=True
                )
            )
        return out


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
        # a person's profile URL appears on the rows they sent: reuse it for the rows you sent them
        known: dict[str, str] = {}
        for row in table.rows:
            slug = _slug(row.values.get("SENDER PROFILE URL", ""))
            if slug and row.values.get("FROM"):
                known.setdefault(normalize_name(row.values["FROM"]), slug)
        for row in table.rows:
            v = row.values
            content, date = v.get("CONTENT", ""), v.get("DATE", "")
            if not content or not date:
                out.interactions_skipped += 1
                continue
            frm, to = v.get("FROM", ""), v.get("TO", "")
            direction: Direction
            if is_me(frm, v.get("SENDER PROFILE URL", "")):
                direction, other, url = "outbound", to, v.get("RECIPIENT PROFILE URLS", "")
            elif is_me(to, v.get("RECIPIENT PROFILE URLS", "")):
                direction, other, url = "inbound", frm, v.get("SENDER PROFILE URL", "")
            else:
                out.interactions_skipped += 1
                continue
            try:
                when = parse_date(date, opts)
            except ValueError:
                out.errors.append(f"Row {row.line}: DATE {date!r} is not a date like 2024-03-15 09:30:00 UTC")
                continue
            conv = v.get("CONVERSATION ID", "")
            slug = _slug(url) if "," not in url else None
            who = Counterpart(
                name=other or None, linkedin_profile_id=slug or known.get(normalize_name(other))
            )
            out.interactions.append(
                InteractionRecord(
                    row=row.line,
                    contact=who,
                    platform="linkedin",
                    direction=direction,
                    occurred_at=iso(when),
                    raw_reference_id=f"linkedin:{conv}:{date}",
                    content_preview=content,
                )
            )
        return out


def _slug(url: str) -> str | None:
    return linkedin_profile_id(url) if url and "linkedin.com" in url.lower() else None


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


def parse_date(text: str, opts: Options) -> datetime:
    """'2024-03-15 09:30:00 UTC' (LinkedIn), else ISO 8601; naive values are in the import's zone
    [local-days]."""
    t = text.strip()
    parts = t.rsplit(" ", 1)
    if len(parts) == 2 and parts[1].isalpha() and parts[1].upper() in ("UTC", "GMT", "Z"):
        dt = datetime.strptime(parts[0], "%Y-%m-%d %H:%M:%S")
        return dt.replace(tzinfo=UTC)
    s = t[:-1] + "+00:00" if t.endswith(("Z", "z")) else t
    dt = datetime.fromisoformat(s)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=opts.tz)
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


Connections = _Connections()
Messages = _Messages()
