"""How long a piece of text pcrm takes [text-limits]: one table for the CLI, the API, MCP and imports.

A 1 MB name searched with a long term once made a trigram search walk gigabytes; names and other short
text stop at 1,000 characters, bios at 10,000 (a message preview is 10,000 too), notes at 100,000, and a
search term at 200. The 422 names the field and its cap. Text must also be valid UTF-8."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pcrm.errors import ValidationError

MAX_SHORT = 1_000  # names, titles, companies, handles, ids, tags, emails, phones, URLs
MAX_BIO = 10_000  # profile bios and headlines copied from a platform
MAX_NOTES = 100_000  # a contact's or an organization's free notes
MAX_SEARCH = 200  # a search term
MAX_MESSAGE = 5_000  # a suggestion's draft message, typed by the user or written by a model
UTF8_HINT = "pcrm keeps text as UTF-8: convert it first, e.g. iconv -f latin1 -t utf-8 (or save it as UTF-8)"

_LONG = {
    "twitter_bio": MAX_BIO,
    "telegram_bio": MAX_BIO,
    "linkedin_bio": MAX_BIO,
    "linkedin_headline": MAX_BIO,
    "notes": MAX_NOTES,
}


@dataclass(frozen=True)
class Span:
    """The whole numbers an argument takes (`lo` to `hi`) and its default, declared once beside the service
    that checks them: its parser refuses what lies outside, and the MCP tools publish the same range as
    their JSON schema's minimum and maximum, so the two cannot drift apart."""

    lo: int
    hi: int
    default: int


def cap(field: str) -> int:
    """The most characters `field` takes."""
    return _LONG.get(field, MAX_SHORT)


def too_long(field: str, value: str, limit: int | None = None) -> str | None:
    """The 422 message when `value` is over the cap for `field`, else None."""
    n = cap(field) if limit is None else limit
    if len(value) <= n:
        return None
    return f"{field} is {len(value):,} characters long; the most it takes is {n:,}"


def not_utf8(field: str, value: str) -> str | None:
    """The 422 message when `value` is not text UTF-8 can hold, else None. Python reads bytes that are
    not UTF-8 (a Latin-1 file on stdin, an argument typed in another encoding) into lone surrogates, which
    neither SQLite nor JSON can keep: pcrm refuses them rather than guess the encoding or drop characters
    [text-limits]."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return f"{field} is not valid UTF-8 text"
    return None


def check_utf8(field: str, value: Any) -> None:
    """Raise the 422 when text `value` is not valid UTF-8 (see not_utf8)."""
    if isinstance(value, str):
        msg = not_utf8(field, value)
        if msg:
            raise ValidationError(msg, field=field, hint=UTF8_HINT)


def check_length(field: str, value: Any, limit: int | None = None) -> None:
    """Raise the 422 when text `value` is over its cap or not valid UTF-8 (other values pass: their own
    checks follow)."""
    check_utf8(field, value)
    if isinstance(value, str):
        msg = too_long(field, value, limit)
        if msg:
            raise ValidationError(
                msg,
                field=field,
                hint=f"shorten {field} to at most {cap(field) if limit is None else limit:,} characters",
            )
