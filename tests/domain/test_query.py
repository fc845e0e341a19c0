"""Contact list filters, sorts and paging [paging-styles] [contact-list], validated once for both shells
[strict-validation]."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from pcrm.domain.query import SORTS, page_meta, parse_bool, parse_filter, parse_paging
from pcrm.errors import ValidationError

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def f(sort=None, tz=UTC, **raw):
    return parse_filter(raw, now=NOW, tz=tz, sort=sort)


def test_defaults():
    x = f()
    assert x.sort == "score" and x.search is None and not x.archived_only and not x.include_archived
    assert x.now == "2026-06-15T12:00:00.000Z" and x.today_md == "06-15"


def test_today_follows_the_zone():
    late = datetime(2026, 6, 15, 23, 30, tzinfo=UTC)
    assert parse_filter({}, now=late, tz=ZoneInfo("Asia/Tokyo")).today_md == "06-16"


@pytest.mark.parametrize(
    "term, key",
    [
        ("  Ada ", "ada"),
        ("@AdaL", "adal"),
        ("@@x", "@x"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
        ("%", "%"),
        ("a\u200bda", "ada"),  # invisible format characters dropped [search-spellings]
        ("\ufeff Ada\u00ad ", "ada"),
        ("(\u200eada\u200f)", "ada"),
        ("", None),  # the empty search= reference clients send: no filter
    ],
)
def test_search_term(term, key):
    assert f(search=term).search == key


@pytest.mark.parametrize("term", ["\u200b\u2060", "   ", "@", " @ "])
def test_a_search_term_that_is_nothing_once_trimmed_is_refused(term):
    """It was no filter, so `GET /contacts?search=@` listed everyone while the CLI refused it."""
    with pytest.raises(ValidationError, match="is no search term once trimmed") as e:
        f(search=term)
    assert e.value.details["fields"][0]["field"] == "search"


def test_tag_source_and_choices_are_normalised():
    x = f(tag="  Book  Club ", source=" csv ", score="STRONG", priority=" High ", sort="Company")
    assert (x.tag, x.source, x.score, x.priority, x.sort) == ("book club", "csv", "strong", "high", "company")
    assert all(f(sort=s).sort == s for s in SORTS)


@pytest.mark.parametrize(
    "raw, sort, field",
    [
        ({"score": "hot"}, None, "score"),
        ({"priority": "archived"}, None, "priority"),
        ({}, "name", "sort"),
        ({"colour": "red"}, None, "colour"),
        ({"has_interactions": "maybe"}, None, "has_interactions"),
        ({"ghosted": "perhaps"}, None, "ghosted"),
        ({"interaction_days": "ten"}, None, "interaction_days"),
        ({"interaction_days": 0}, None, "interaction_days"),
        ({"interaction_days": 366}, None, "interaction_days"),
        ({"date_from": "2026-02-30"}, None, "date_from"),
        ({"interaction_to": "last week"}, None, "interaction_to"),
    ],
)
def test_bad_values_are_errors_with_hints(raw, sort, field):
    with pytest.raises(ValidationError) as e:
        parse_filter(raw, now=NOW, tz=UTC, sort=sort)
    assert e.value.details["fields"][0]["field"] == field
    assert e.value.hint


def test_day_windows_are_whole_local_days():
    x = f(
        date_from="2026-03-01",
        date_to="2026-03-31",
        interaction_from="2026-06-01",
        interaction_to="2026-06-01",
    )
    assert (x.created_from, x.created_to) == ("2026-03-01T00:00:00.000Z", "2026-04-01T00:00:00.000Z")
    assert (x.interaction_from, x.interaction_to) == ("2026-06-01T00:00:00.000Z", "2026-06-02T00:00:00.000Z")
    berlin = f(tz=ZoneInfo("Europe/Berlin"), date_from="2026-06-01", date_to="2026-06-01")
    assert (berlin.created_from, berlin.created_to) == (
        "2026-05-31T22:00:00.000Z",
        "2026-06-01T22:00:00.000Z",
    )


def test_interaction_days_and_booleans():
    assert f(interaction_days="7").interaction_since == "2026-06-08T12:00:00.000Z"
    assert f(interaction_days=365).interaction_since == "2025-06-15T12:00:00.000Z"
    assert f(has_interactions="true").has_interactions is True
    assert f(has_interactions="FALSE").has_interactions is False
    assert f(has_interactions="").has_interactions is None
    assert f(has_birthday=False).has_birthday is False
    assert f(ghosted="false").ghosted is False and f(ghosted=True).ghosted is True
    assert f(archived_only="1", include_archived="yes").archived_only is True
    assert [parse_bool(v, "x") for v in (None, "", True, "1", "yes", "0", "no")] == [
        None,
        None,
        True,
        True,
        True,
        False,
        False,
    ]


def test_paging():
    assert parse_paging(None, None, default_size=20, max_size=100) == (1, 20)
    assert parse_paging("3", "100", default_size=20, max_size=100) == (3, 100)
    for page, size in ((0, 20), (1, 0), (1, 101), ("x", 20), (1, "many")):
        with pytest.raises(ValidationError) as e:
            parse_paging(page, size, default_size=20, max_size=100)
        assert e.value.hint


def test_page_meta():
    assert page_meta(0, 1, 20) == {"total": 0, "page": 1, "page_size": 20, "total_pages": 1}
    assert page_meta(20, 1, 20)["total_pages"] == 1
    assert page_meta(21, 2, 20)["total_pages"] == 2
    assert page_meta(7, 9, 3) == {"total": 7, "page": 9, "page_size": 3, "total_pages": 3}


def test_infinite_numbers_are_validation_errors() -> None:
    import pytest

    from pcrm.domain.query import parse_paging, whole_number
    from pcrm.domain.settings import REGISTRY
    from pcrm.errors import ValidationError

    with pytest.raises(ValidationError):
        whole_number(float("inf"), "limit", default=1, lo=1, hi=10)
    with pytest.raises(ValidationError):
        parse_paging(float("-inf"), None, default_size=20, max_size=100)
    with pytest.raises(ValidationError):
        REGISTRY["priority.high"].validate("priority.high", float("inf"))
