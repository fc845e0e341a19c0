"""Contact list filters and sorts [contact-list], validated once for both shells ([strict-validation]: bad
values are errors)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from typing import Any, ParamSpec, TypeVar

from pcrm.clock import iso
from pcrm.domain.dates import parse_day
from pcrm.domain.limits import MAX_SEARCH, check_length
from pcrm.domain.normalize import search_term
from pcrm.domain.normalize import tag as norm_tag
from pcrm.errors import ValidationError

SORTS = ("score", "created", "interaction", "activity", "company", "birthday", "overdue", "priority")
# `recent` is the reference's own link after a sync (`/contacts?sort=recent`): the people heard from last
# [contact-list]
SORT_ALIASES = {"recent": "interaction"}
SCORES = ("strong", "active", "dormant")
PRIORITIES = ("high", "medium", "low")
FILTER_KEYS = (
    "search",
    "tag",
    "source",
    "score",
    "priority",
    "date_from",
    "date_to",
    "interaction_from",
    "interaction_to",
    "has_interactions",
    "interaction_days",
    "has_birthday",
    "ghosted",
    "archived_only",
    "include_archived",
)


@dataclass(frozen=True)
class ContactFilter:
    search: str | None = None  # casefolded, leading @ stripped
    tag: str | None = None
    source: str | None = None
    score: str | None = None
    priority: str | None = None
    created_from: str | None = None  # canonical instants, inclusive lower / exclusive upper bounds
    created_to: str | None = None
    interaction_from: str | None = None
    interaction_to: str | None = None
    has_interactions: bool | None = None
    interaction_since: str | None = None
    has_birthday: bool | None = None
    ghosted: bool = False
    archived_only: bool = False
    include_archived: bool = False
    sort: str = "score"
    now: str = ""
    today_md: str = "01-01"


P = ParamSpec("P")
T = TypeVar("T")


def from_query(fn: Callable[P, T]) -> Callable[P, T]:
    """fn, whose errors name query parameters: the values these parsers read are the API's query string
    (the CLI's options stand for them), so the reference's `detail` says ["query", field] from both shells
    alike [error-detail]."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return fn(*args, **kwargs)
        except ValidationError as e:
            raise e.at("query") from None

    return run


def truth(value: Any, field: str) -> bool | None:
    """true or false (also 1/0, yes/no, in any case), None when absent. Its error names `field` without
    placing it: a multipart form's fields are the body's (`POST /contacts/import/csv` with dry_run=maybe);
    `parse_bool` is the same for query parameters."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    v = str(value).strip().lower()
    if v in ("true", "1", "yes"):
        return True
    if v in ("false", "0", "no"):
        return False
    raise ValidationError(
        f"{field} must be true or false, not {value!r}", field=field, hint="use true or false"
    )


parse_bool = from_query(truth)


def _choice(value: Any, field: str, options: tuple[str, ...]) -> str | None:
    if value is None or value == "":
        return None
    v = str(value).strip().lower()
    if v not in options:
        raise ValidationError(
            f"unknown {field} {value!r}", field=field, hint=f"use one of: {', '.join(options)}"
        )
    return v


def _sort(value: Any) -> str:
    """The list's sort, `score` when none; an alias (`recent`) as the sort it names."""
    if isinstance(value, str) and value.strip().lower() in SORT_ALIASES:
        return SORT_ALIASES[value.strip().lower()]
    return _choice(value, "sort", SORTS) or "score"


def _priority(value: Any) -> str | None:
    """The priority filter: high, medium or low. `archived` is a contact's priority too, but archived
    contacts are their own filter (left out unless asked for), so it names that filter [archived-filter]."""
    if value is not None and str(value).strip().lower() == "archived":
        raise ValidationError(
            "archived is not a priority filter: archived contacts are left out unless asked for",
            field="priority",
            # said for a list and an export alike: both take the two options [archived-exports]
            hint="--archived-only (archived_only=true over the API) takes them alone, "
            "--include-archived (include_archived=true) with the others",
        )
    return _choice(value, "priority", PRIORITIES)


def _day_bounds(value: Any, field: str, tz: tzinfo, *, end: bool) -> str | None:
    if value is None or value == "":
        return None
    d = parse_day(str(value), field=field)
    if end:
        d = d + timedelta(days=1)  # `to` includes the whole day
    return iso(datetime.combine(d, time(0, 0), tz))


def _range(raw: Mapping[str, Any], start: str, end: str, tz: tzinfo) -> tuple[str | None, str | None]:
    """The bounds of a day range filter; a start day after the end day is refused naming both, not
    answered with an empty list (`--interaction-from 2026-12-01 --interaction-to 2026-11-01` said "no
    contacts match")."""
    lo = _day_bounds(raw.get(start), start, tz, end=False)
    hi = _day_bounds(raw.get(end), end, tz, end=True)
    if lo is not None and hi is not None and lo >= hi:
        a, b = str(raw[start]).strip(), str(raw[end]).strip()
        message = f"{start} {a} is after {end} {b}: the range is reversed"
        raise ValidationError(
            message,
            fields=[{"field": start, "message": message}, {"field": end, "message": message}],
            hint=f"swap them: {start} {b}, {end} {a}",
        )
    return lo, hi


def no_search_term(value: str) -> ValidationError | None:
    """The refusal of a contact search term that is nothing once trimmed (spaces, an "@" alone), or None:
    as no filter at all it would take every contact [contact-list]. One rule for the API's `search`, the
    CLI's --search and `contacts search` (`GET /contacts?search=@` listed everyone while the CLI refused)."""
    if search_term(value):
        return None
    return ValidationError(
        f"{value!r} is no search term once trimmed (spaces and a leading @ are not searched)",
        field="search",
        hint="give a term, or leave the search out to list every contact",
    )


def no_name_term(value: str) -> ValidationError | None:
    """The refusal of a name search (`GET /organizations?search=`) that is only spaces, or None: as no
    filter it would take every one. An empty value stays no filter, as for contacts."""
    if not value or value.strip():
        return None
    return ValidationError(
        f"{value!r} is no search term once trimmed (spaces are not searched)",
        field="search",
        hint="give a term, or leave the search out to list every one",
    )


@from_query
def parse_filter(
    raw: Mapping[str, Any], *, now: datetime, tz: tzinfo, sort: str | None = None
) -> ContactFilter:
    unknown = {k for k, v in raw.items() if v is not None} - set(FILTER_KEYS)
    if unknown:
        raise ValidationError(
            f"unknown filter {', '.join(sorted(unknown))}",
            field=min(unknown),
            hint=f"filters: {', '.join(FILTER_KEYS)}",
        )

    search = raw.get("search")
    check_length("search", search, MAX_SEARCH)  # [text-limits]
    if search:  # the empty `search=` of reference clients stays no filter
        refused = no_search_term(search)
        if refused is not None:
            raise refused
    search = search_term(search) if search else None
    days = raw.get("interaction_days")
    since = None
    if days not in (None, ""):
        try:
            n = int(days)
        except (TypeError, ValueError, OverflowError):  # OverflowError: int(inf)
            raise ValidationError(
                f"interaction_days must be a whole number, not {days!r}",
                field="interaction_days",
                hint="give a number of days from 1 to 365",
            ) from None
        if not 1 <= n <= 365:
            raise ValidationError(
                f"interaction_days must be from 1 to 365, not {n}",
                field="interaction_days",
                hint="give a number of days from 1 to 365",
            )
        since = iso(now - timedelta(days=n))
    tag = raw.get("tag")
    source = raw.get("source")
    created_from, created_to = _range(raw, "date_from", "date_to", tz)
    interaction_from, interaction_to = _range(raw, "interaction_from", "interaction_to", tz)
    return ContactFilter(
        search=search or None,
        tag=norm_tag(tag) if tag else None,
        source=str(source).strip().lower() or None if source else None,  # any case [contact-list]
        score=_choice(raw.get("score"), "score", SCORES),
        priority=_priority(raw.get("priority")),
        created_from=created_from,
        created_to=created_to,
        interaction_from=interaction_from,
        interaction_to=interaction_to,
        has_interactions=parse_bool(raw.get("has_interactions"), "has_interactions"),
        interaction_since=since,
        has_birthday=parse_bool(raw.get("has_birthday"), "has_birthday"),
        ghosted=bool(parse_bool(raw.get("ghosted"), "ghosted")),
        archived_only=bool(parse_bool(raw.get("archived_only"), "archived_only")),
        include_archived=bool(parse_bool(raw.get("include_archived"), "include_archived")),
        sort=_sort(sort),
        now=iso(now),
        today_md=now.astimezone(tz).strftime("%m-%d"),
    )


MAX_PAGE = 10**9
MAX_OFFSET = 2**62


@from_query
def whole_number(value: Any, field: str, *, default: int, lo: int, hi: int) -> int:
    """A whole number from `lo` to `hi` (CLI text or API query value); absent gives `default`."""
    if value is None or value == "":
        return default
    # a bound past any real value (MAX_OFFSET, MAX_PAGE) is only there to keep SQLite's integers whole: the
    # messages say "0 or more" rather than spell it out
    hint = f"give {field} from {lo} to {hi}" if hi < MAX_PAGE else f"give {field} as {lo} or more"
    try:
        n = int(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: int(inf)
        raise ValidationError(
            f"{field} must be a whole number, not {value!r}", field=field, hint=hint, kind="int_parsing"
        ) from None
    if not lo <= n <= hi:
        raise ValidationError(_out_of_range(field, n, lo, hi), field=field, hint=hint, kind=_out_of(n, lo))
    return n


def _out_of_range(field: str, n: int, lo: int, hi: int) -> str:
    """What a number out of `lo`..`hi` is told: the range, or, when `hi` is a ceiling no real value reaches,
    the bound it broke ("offset must be 0 or more, not -1", not "from 0 to 4611686018427387904")."""
    if hi < MAX_PAGE:
        return f"{field} must be from {lo} to {hi}, not {n}"
    if n < lo:
        return f"{field} must be {lo} or more, not {n}"
    return f"{field} must be at most {hi:,}, not {n:,}"


def _out_of(n: int, lo: int) -> str:
    """The pydantic error type of a number out of its range [error-detail]."""
    return "greater_than_equal" if n < lo else "less_than_equal"


def parse_limit(value: Any, *, default: int, hi: int) -> int:
    return whole_number(value, "limit", default=default, lo=1, hi=hi)


def parse_limit_offset(limit: Any, offset: Any, *, default: int, hi: int) -> tuple[int, int]:
    """Offset-style paging [paging-styles]: limit 1..hi (default `default`), offset from 0."""
    return (
        parse_limit(limit, default=default, hi=hi),
        whole_number(offset, "offset", default=0, lo=0, hi=MAX_OFFSET),
    )


@from_query
def choice(value: Any, field: str, options: tuple[str, ...]) -> str | None:
    """One of `options` (case-insensitive), or None when absent; anything else is an error
    [strict-validation]."""
    return _choice(value, field, options)


@from_query
def parse_paging(page: Any, page_size: Any, *, default_size: int, max_size: int) -> tuple[int, int]:
    """(page, page_size) from a request; each field's error hints at that field."""

    def as_int(v: Any, field: str, default: int, hint: str) -> int:
        if v is None or v == "":
            return default
        try:
            return int(v)
        except (TypeError, ValueError, OverflowError):  # OverflowError: int(inf)
            raise ValidationError(
                f"{field} must be a whole number, not {v!r}", field=field, hint=hint, kind="int_parsing"
            ) from None

    p = as_int(page, "page", 1, "pages count from 1")
    s = as_int(
        page_size, "page_size", default_size, f"a page holds 1 to {max_size} rows, e.g. {default_size}"
    )
    if not 1 <= p <= MAX_PAGE:  # past MAX_PAGE the row offset would overflow SQLite's 64-bit integers
        raise ValidationError(
            _out_of_range("page", p, 1, MAX_PAGE), field="page", hint="pages count from 1", kind=_out_of(p, 1)
        )
    if not 1 <= s <= max_size:
        raise ValidationError(
            f"page_size must be from 1 to {max_size}, not {s}",
            field="page_size",
            hint=f"ask for at most {max_size} rows a page and page through the rest",
            kind=_out_of(s, 1),
        )
    return p, s


def page_meta(total: int, page: int, page_size: int) -> dict[str, int]:
    pages = max(1, -(-total // page_size)) if total else 1
    return {"total": total, "page": page, "page_size": page_size, "total_pages": pages}
