"""GET /contacts always says whether its total is exact [contact-search]: `meta.total_is_estimate` is on every
page, plain or searched, false when the count is exact and true when a search stopped counting."""

from __future__ import annotations

from typing import Any

import pytest

V = "/api/v1"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"page": "2", "page_size": "5"},
        {"search": "a"},
        {"search": "ada", "page_size": "1"},
        {"search": "nobody-has-this-name"},
        {"tag": "founder", "sort": "created"},
    ],
)
def test_every_contact_list_page_says_whether_its_total_is_exact(api: Any, params: dict[str, str]) -> None:
    meta = api.get(f"{V}/contacts", params=params).json()["meta"]
    assert meta["total_is_estimate"] is False
    assert set(meta) == {"total", "page", "page_size", "total_pages", "total_is_estimate"}


def test_a_search_that_stopped_counting_says_so(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from pcrm.store import contact_query

    monkeypatch.setattr(contact_query, "COUNT_CAP", 3)
    meta = api.get(f"{V}/contacts", params={"search": "a", "page_size": "2"}).json()["meta"]
    assert meta["total_is_estimate"] is True and meta["total"] == 3
