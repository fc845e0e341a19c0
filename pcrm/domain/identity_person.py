"""What the identity matcher knows about one contact [match-scoring]: a `Person` with the forms it
compares precomputed (name tokens, work domains, aliases, handles, addresses), built by `person` from a
contact dict.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pcrm.domain import models
from pcrm.domain.identity_evidence import Address, parse_address
from pcrm.domain.identity_names import (
    Markers,
    compact,
    company_key,
    distinctive_name,
    name_number,
    parse_name,
    strip_accents,
)
from pcrm.domain.mail_domains import COMMON_DOMAINS as COMMON_DOMAINS  # re-exported for the matcher
from pcrm.domain.normalize import full_name


@dataclass(slots=True)
class Person:
    """What the matcher knows about a contact, with the derived forms it compares precomputed."""

    rowid: int
    uuid: str
    tokens: tuple[str, ...] = ()
    markers: Markers = ("", "")  # the name's gender and generation [shared-keys]
    family_only: bool = False  # a title with a family name alone ("Mr Kim") [shared-keys]
    label: str = ""  # a name written without a word ("🙂", "★"), folded [shared-keys]
    marks: str = ""  # the emoji and symbols beside the name's words ("Anna 🙂": "🙂") [shared-keys]
    number: str = ""  # the number the name's words carry ("Flat 12": "12"), `name_number` [shared-keys]
    emails: frozenset[str] = frozenset()
    work_domains: frozenset[str] = frozenset()  # email domains that are not personal mailboxes
    locals: frozenset[str] = frozenset()  # compact email local parts
    phones: tuple[str, ...] = ()  # as stored: E.164 (or digits) with ;ext=N [value-normalisation]
    company: str = ""
    title: str = ""  # folded
    handles: tuple[str, ...] = ()  # every platform's handle (compared across platforms)
    aliases: tuple[str, ...] = ()  # compact local parts and handles that may stand for a name
    forms: tuple[str, ...] = ()  # compact forms of the name an alias may spell
    tags: frozenset[str] = frozenset()
    birthday: str | None = None  # YYYY-MM-DD, or MM-DD without a year
    location: str = ""  # folded
    town: str = ""  # the town of the first address, else the first part of the location ("st james")
    addresses: tuple[Address, ...] = ()
    name_count: int = 1  # contacts in the store with this name (1 when unknown)
    display: str = ""  # the name folded, when a symbol or an emoji marks it [distinctive-names]
    source: str = ""  # where the contact came from (telegram, whatsapp, vcard, manual...)
    notes: str = ""
    platforms: frozenset[str] = frozenset()  # same-source flags
    archived: bool = False

    @property
    def name(self) -> str:
        return " ".join(self.tokens)


def person(row: dict[str, Any]) -> Person:
    """Build a Person from a contact dict (full response shape, or the store's light rows). Postal
    addresses come from `addresses`: the values of the contact's `address` fields (vCard ADR form, or
    one line of text); `name_count` is how many contacts in the store carry the same name (the store's
    `load_people` fills both)."""
    name = full_name(row.get("full_name"), row.get("given_name"), row.get("family_name"))
    parsed = parse_name(name)
    tokens = parsed.tokens
    handles: list[str] = []
    flags: set[str] = set()
    for f, flag in (
        ("telegram_user_id", "tg_id"),
        ("telegram_username", "tg_user"),
        ("linkedin_profile_id", "li"),
        ("twitter_user_id", "tw_id"),
        ("twitter_handle", "tw_user"),
    ):
        if row.get(f):
            flags.add(flag)
    for f in ("twitter_handle", "telegram_username", "instagram_username"):
        if row.get(f) and str(row[f]).lower() not in handles:
            handles.append(str(row[f]).lower())
    for _p, h in row.get("extra_handles") or ():
        if h not in handles:
            handles.append(h)
    emails = frozenset(e.lower() for e in row.get("emails") or ())
    domains = {e.partition("@")[2] for e in emails}
    locals_ = frozenset(c for c in (compact(e.partition("@")[0]) for e in emails) if len(c) >= 4)
    aliases = tuple(sorted(locals_ | {c for c in (compact(h) for h in handles) if len(c) >= 4}))
    forms: set[str] = set()
    if tokens:
        forms.add("".join(tokens))
        if len(tokens) >= 2:
            forms.update((tokens[0] + tokens[-1], tokens[0][0] + tokens[-1], tokens[-1] + tokens[0]))
    addresses = tuple(a for a in (parse_address(v) for v in row.get("addresses") or ()) if a is not None)
    location = " ".join(strip_accents(row.get("location") or "").split())
    town = next((a.town for a in addresses if a.town), "") or _town(location)
    return Person(
        rowid=row.get("_rowid") or 0,
        uuid=row.get("id") or row.get("uuid") or "",
        tokens=tokens,
        markers=parsed.markers,
        family_only=parsed.family_only,
        label=parsed.label,
        marks=parsed.marks,
        number=name_number(tokens),
        emails=emails,
        work_domains=frozenset(domains - COMMON_DOMAINS),
        locals=locals_,
        phones=tuple(p for p in row.get("phones") or () if p),
        company=company_key(row.get("company")),
        title=" ".join(strip_accents(row.get("title") or "").split()),
        handles=tuple(handles),
        aliases=aliases,
        forms=tuple(sorted(forms)),
        tags=frozenset(t for t in row.get("tags") or () if t != "2nd tier"),
        birthday=row.get("birthday"),
        location=location,
        town=town,
        addresses=addresses,
        name_count=int(row.get("name_count") or 1),
        display=distinctive_name(name),
        source=row.get("source") or "",
        notes=row.get("notes") or "",
        platforms=frozenset(flags),
        archived=row.get("priority_level") == "archived",
    )


def same_source(a: Person, b: Person) -> bool:
    """Two accounts on the same platform are different people [match-scoring]."""
    return not a.platforms.isdisjoint(b.platforms)


_PUNCT = re.compile(r"[^0-9a-z]+")


def _town(location: str) -> str:
    """The town of a location line: its first part ("st james, wa" -> "st james")."""
    return " ".join(_PUNCT.sub(" ", location.split(",")[0]).split())


# ---------------------------------------------------------------- data weight [merge-rules]

# the fields the model marks as counting towards the data weight
RICHNESS_FIELDS = models.WEIGHT_FIELDS


def data_weight(c: Mapping[str, Any]) -> int:
    """Non-empty fields plus the number of emails, phones and tags."""
    return (
        sum(1 for f in RICHNESS_FIELDS if c.get(f) not in (None, ""))
        + len(c.get("emails") or ())
        + len(c.get("phones") or ())
        + len(c.get("tags") or ())
    )


_EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")


def emails_in_text(text: str | None) -> list[str]:
    return [m.lower() for m in _EMAIL_IN_TEXT.findall(text or "")]
