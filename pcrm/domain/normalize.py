"""Normalisation rules [value-normalisation], used by every write path."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from functools import lru_cache

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email(value: str | None) -> str | None:
    """Trim and lowercase; plus-aliases are kept. Empty gives None."""
    if value is None:
        return None
    v = value.strip().lower()
    v = v.removeprefix("mailto:")
    return v or None


def is_email(value: str) -> bool:
    return bool(_EMAIL.match(value))


def handle(value: str | None) -> str | None:
    """Telegram/X handles: trim, strip a leading @, lowercase."""
    if value is None:
        return None
    v = value.strip()
    v = v.removeprefix("@")
    v = v.strip().lower()
    return v or None


def phone_digits(value: str | None) -> str | None:
    if value is None:
        return None
    d = re.sub(r"\D", "", value)
    return d or None


# The one stored form of an extension: RFC 3966's parameter, after the E.164 line [value-normalisation].
EXT = ";ext="

# An extension written after a number `phonenumbers` could not parse (no region for a national number):
# `;ext=9`, `ext 9`, `ext. 9`, `extension 9`, `x9`, `#9`, `,9` at the end. The same markers it knows.
_EXT_TAIL = re.compile(r"(?:;\s*ext\s*=|ext(?:ension)?\.?|x|#|,)\s*(\d{1,10})\s*#?\s*$", re.IGNORECASE)


@lru_cache(maxsize=8192)  # pure; imports normalise each number twice (validation, then parse_contact)
def phone(value: str | None, region: str | None = None) -> str | None:
    """E.164 when `phonenumbers` can parse it (with `region` for national numbers), else digits
    only, keeping a leading + when the input had one. An extension follows as `;ext=DIGITS`, never glued
    onto the number. Empty gives None [value-normalisation]."""
    if value is None or not value.strip():
        return None
    raw = value.strip()
    with contextlib.suppress(Exception):
        import phonenumbers

        num = phonenumbers.parse(raw, (region or "").upper() or None)
        if phonenumbers.is_possible_number(num):
            line = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
            return line + EXT + num.extension if num.extension else line
    ext: str | None = None
    m = _EXT_TAIL.search(raw)
    if m and phone_digits(raw[: m.start()]):
        raw, ext = raw[: m.start()].strip(), m.group(1)
    raw = raw.removeprefix("tel:").removeprefix("TEL:").strip()
    digits = phone_digits(raw)
    if digits is None:
        return None
    line = ("+" + digits) if raw.startswith("+") else digits
    return line + EXT + ext if ext else line


def split_phone(stored: str) -> tuple[str, str | None]:
    """A stored number as (line, extension or None): "+442079460958;ext=9" -> ("+442079460958", "9")."""
    line, sep, ext = stored.partition(EXT)
    return line, (ext or None) if sep else None


def phone_line_digits(stored: str) -> str:
    """The digits of a stored number's line, without its extension: what identity compares
    [deterministic-merges]. Digits of the whole value would glue the extension onto the number."""
    return phone_digits(split_phone(stored)[0]) or ""


def phones_match(a: str, b: str) -> bool:
    """Whether two stored numbers reach the same phone [value-normalisation]: the same line (digits) and
    the same extension, or no extension on one side (the switchboard reaches the desk). Two different
    extensions of one line are two phones. Not transitive: the bare line matches every extension of it,
    which is why a line held by three or more contacts is a shared line [shared-keys]."""
    la, ea = split_phone(a)
    lb, eb = split_phone(b)
    if ea is not None and eb is not None and ea != eb:
        return False
    da = phone_digits(la)
    return da is not None and da == phone_digits(lb)


def tag(value: str) -> str:
    return " ".join(value.strip().lower().split())


def tags(values: list[str] | None) -> list[str]:
    """Trim, lowercase and dedupe while keeping order."""
    out: list[str] = []
    for v in values or []:
        t = tag(v)
        if t and t not in out:
            out.append(t)
    return out


def fold(value: str | None) -> str:
    """Case-insensitive comparison key (Unicode casefold, NFKC, collapsed spaces)."""
    if not value:
        return ""
    if value.isascii():  # NFKC changes no ASCII text and casefold is lower() there
        return " ".join(value.lower().split())
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


_SLUG = re.compile(r"linkedin\.com/(?:mwlite/)?in/([^/?#]+)", re.IGNORECASE)


def linkedin_profile_id(url_or_id: str | None) -> str | None:
    """Slug from `/in/<slug>`; a bare slug or anonymised `ACo…` member id is accepted as is."""
    if not url_or_id:
        return None
    v = url_or_id.strip()
    m = _SLUG.search(v)
    if m:
        from urllib.parse import unquote

        return unquote(m.group(1)).strip().lower() or None
    if "/" in v or " " in v:
        return None
    return v if v.startswith("ACo") else v.lower()


def linkedin_url(value: str | None) -> str | None:
    if not value or not value.strip():
        return None
    return value.strip().rstrip("/")


def full_name(full: str | None, given: str | None, family: str | None) -> str | None:
    if full and full.strip():
        return " ".join(full.split())
    parts = [p.strip() for p in (given, family) if p and p.strip()]
    return " ".join(parts) or None


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control(text: str) -> bool:
    """Control characters no name, note or handle holds (tab, newline and carriage return are allowed).
    SQLite's own text functions stop at a NUL, so one would also corrupt searches and checks."""
    return _CONTROL.search(text) is not None


INDEXED_TERM_MIN = (
    3  # the FTS5 trigram index serves terms this long; shorter ones are a full scan [contact-search]
)


def search_term(term: str) -> str:
    """A search term as [contact-search] wants it: trimmed, one leading @ stripped, casefolded. Control
    characters
    are dropped: no stored text holds them, and a NUL would end FTS5's query string early."""
    t = _CONTROL.sub("", term).strip()
    t = t.removeprefix("@")
    return fold(t)


def lowercase_spellings(term: str, limit: int = 16) -> list[str]:
    """The casefolded term, then the spellings that text folded only by lower() (the trigram index of
    message text) may hold for it, where casefold wrote something lower() keeps: "strasse" ->
    ["strasse", "straße"]; a word-final "σ" may be "ς" ("λογοσ" -> ["λογοσ", "λογος"]). At most `limit`,
    the plain term first."""
    choices: list[tuple[str, ...]] = []
    i = 0
    while i < len(term):
        if term.startswith("ss", i):
            choices.append(("ss", "ß"))
            i += 2
            continue
        ch = term[i]
        final = ch == "σ" and (i + 1 == len(term) or not term[i + 1].isalpha())
        choices.append(("σ", "ς") if final else (ch,))
        i += 1
    out = [""]
    for options in choices:
        out = [head + o for head in out for o in options][:limit]
    return out


def first_name(given: str | None, full: str | None) -> str | None:
    if given and given.strip():
        return given.strip()
    if full and full.strip():
        return full.split()[0]
    return None
