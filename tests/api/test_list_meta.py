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
    assert set(meta) == {"total", "page", "page_size", "total_pages", "total_is_estimate", "has_more"}


def test_a_search_that_stopped_counting_says_so(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from pcrm.store import contact_query

    monkeypatch.setattr(contact_query, "COUNT_CAP", 3)
    meta = api.get(f"{V}/contacts", params={"search": "a", "page_size": "2"}).json()["meta"]
    assert meta["total_is_estimate"] is True and meta["total"] == 3


def _many_matches() -> None:
    """260 contacts matching "mar" in every tier of a search: the name starts with it, a name holds it, the
    company, a handle, the notes."""
    from pcrm.services import contacts
    from pcrm.services.context import open_context

    kinds: list[dict[str, Any]] = [
        {"full_name": "Marta Nowak"},
        {"full_name": "Ola Marsh"},
        {"full_name": "Ivo Berg", "company": "Marvel Labs"},
        {"full_name": "Uma Lind", "telegram_username": "marco"},
        {"full_name": "Eli Ruiz", "notes": "met in march"},
    ]
    with open_context() as ctx:
        for k in range(260):
            person = dict(kinds[k % len(kinds)])
            person["full_name"] = f"{person['full_name']} {k:03d}"
            if "telegram_username" in person:
                person["telegram_username"] += f"{k:03d}"
            contacts.create_contact(ctx, person)


@pytest.mark.parametrize("size", [100, 7])
def test_following_the_pages_of_an_estimated_search_finds_every_match_once(
    empty_api: Any, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    """A search that stopped counting said total_pages 1 on page 1 (the cap, lowered here) and 3 on page 3
    (the exact count, past the first 200 rows): a script walking pages 1..total_pages of page 1 missed most
    of them [search-paging]. `has_more` says whether to ask for the next page."""
    from pcrm.store import contact_query

    _many_matches()
    monkeypatch.setattr(contact_query, "COUNT_CAP", 50)
    every = empty_api.get(f"{V}/contacts/ids", params={"search": "mar"}).json()["data"]
    assert len(every) == 260
    seen: list[str] = []
    metas: list[dict[str, Any]] = []
    page = 1
    while True:
        r = empty_api.get(f"{V}/contacts", params={"search": "mar", "page": page, "page_size": size})
        body = r.json()
        seen += [c["id"] for c in body["data"]]
        metas.append(body["meta"])
        if not body["meta"]["has_more"]:
            break
        page += 1
    assert metas[0]["total_is_estimate"] is True and metas[0]["total_pages"] < len(metas)
    assert sorted(seen) == sorted(every)  # each once, none left out
    assert metas[-1] == {**metas[-1], "total": 260, "total_is_estimate": False, "has_more": False}
    assert all(m["has_more"] for m in metas[:-1])
    assert len(metas) == -(-260 // size)  # no empty page at the end


def test_every_list_that_takes_a_limit_says_how_many_there_are_in_all() -> None:
    """[complete-lists]: a list the API cuts (a `limit`, a page) says its total in meta; GET /activity/recent
    said only its `count`, and GET /contacts/{id}/duplicates (the best 20) too."""
    from pcrm.api.routes import all_ops

    cut = [o for o in all_ops() if o.method == "GET" and {p.name for p in o.query} & {"limit", "page"}]
    assert len(cut) >= 8
    for o in cut:
        fields = set(o.meta.model_fields) if o.meta is not None else set()
        assert any(f.startswith("total") for f in fields), f"{o.key}: meta {sorted(fields)} has no total"


def test_recent_activity_says_its_total(api: Any) -> None:
    every = api.get(f"{V}/activity/recent", params={"limit": "100"}).json()
    assert every["meta"]["total"] == every["meta"]["count"] == len(every["data"]) > 5
    cut = api.get(f"{V}/activity/recent", params={"limit": "5"}).json()
    assert cut["meta"] == {"count": 5, "total": every["meta"]["total"]}


def test_a_contacts_duplicates_say_how_many_scored(api: Any, demo: dict[str, Any]) -> None:
    meta = api.get(f"{V}/contacts/{demo['contact']}/duplicates").json()["meta"]
    assert meta["total"] >= meta["count"]
