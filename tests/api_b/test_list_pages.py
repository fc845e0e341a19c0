"""The daemon remembers the pages of GET /contacts it served (store.contact_query._Pages) until the store
changes: a write through the daemon, or a commit by another process (the CLI), must show at once."""

from __future__ import annotations

from typing import Any

import pytest

from pcrm.domain.query import ContactFilter
from pcrm.store import contact_query

V = "/api/v1"


def names(client: Any, **query: str) -> tuple[list[str], int]:
    r = client.get(f"{V}/contacts", params=query)
    assert r.status_code == 200, r.text
    body = r.json()
    return [c["full_name"] for c in body["data"]], body["meta"]["total"]


@pytest.fixture
def ranked(monkeypatch: pytest.MonkeyPatch) -> list[ContactFilter]:
    """Every page that is really ranked (not answered from memory) is recorded here."""
    calls: list[ContactFilter] = []
    real = contact_query._list_ids

    def counting(conn: Any, f: ContactFilter, **kw: Any) -> Any:
        calls.append(f)
        return real(conn, f, **kw)

    monkeypatch.setattr(contact_query, "_list_ids", counting)
    return calls


def test_a_repeated_page_is_not_ranked_again(empty_api: Any, ranked: list[ContactFilter]) -> None:
    assert empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace"}).status_code == 201
    first = names(empty_api, search="lovelace")
    names(empty_api, search="lovelace")  # the first may have run in the writer lane (a token's first use)
    ranked.clear()
    assert names(empty_api, search="lovelace") == first == (["Ada Lovelace"], 1)
    assert ranked == []
    names(empty_api, search="lovelace", page="2")  # another page is another entry
    names(empty_api, search="lovelace", page_size="5")
    assert len(ranked) == 2


def test_writes_through_the_daemon_show_at_once(empty_api: Any) -> None:
    ada = empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace"}).json()["data"]["id"]
    assert names(empty_api, search="lovelace") == (["Ada Lovelace"], 1)
    assert names(empty_api) == (["Ada Lovelace"], 1)
    empty_api.post(f"{V}/contacts", json={"full_name": "Byron Lovelace"})
    assert names(empty_api, search="lovelace")[1] == 2
    assert names(empty_api)[1] == 2
    assert empty_api.put(f"{V}/contacts/{ada}", json={"priority_level": "archived"}).status_code == 200
    assert names(empty_api, search="lovelace") == (["Byron Lovelace"], 1)
    assert names(empty_api) == (["Byron Lovelace"], 1)


def test_commits_by_another_process_show_at_once(empty_api: Any, cli: Any) -> None:
    empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace"})
    assert names(empty_api, search="lovelace") == (["Ada Lovelace"], 1)
    assert names(empty_api, tag="math") == ([], 0)
    # the CLI opens its own connection to the same file, as a separate `pcrm` process would
    cli("contacts", "add", "--name", "Lovelace Junior", "--tag", "math")
    assert names(empty_api, search="lovelace")[1] == 2
    assert names(empty_api, tag="math") == (["Lovelace Junior"], 1)
    cli("contacts", "rm", "Lovelace Junior", "--yes")
    assert names(empty_api, search="lovelace") == (["Ada Lovelace"], 1)


def test_filters_relative_to_the_clock_are_never_remembered() -> None:
    base = ContactFilter(search="ada", now="2026-11-28T12:00:00.000Z", today_md="11-28")
    assert contact_query._page_key(base, 20, 0) == contact_query._page_key(
        ContactFilter(search="ada", now="2026-11-29T08:00:00.000Z", today_md="11-29"), 20, 0)
    assert contact_query._page_key(ContactFilter(ghosted=True), 20, 0) is None
    assert contact_query._page_key(ContactFilter(interaction_since="2026-11-01T00:00:00.000Z"), 20, 0) is None
    assert contact_query._page_key(base, None, 0) is None  # every id (bulk updates): never kept
    by_birthday = [contact_query._page_key(ContactFilter(sort="birthday", today_md=md), 20, 0)
                   for md in ("11-28", "11-29")]
    assert by_birthday[0] != by_birthday[1]  # "upcoming first" moves with the day
