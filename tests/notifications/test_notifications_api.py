"""The notification endpoints: their happy path on the demo store and their documented errors (404, 422
with details.fields). Every response also passes the OpenAPI check of the `api` client."""

from __future__ import annotations

from typing import Any

from tests.support.api import UNKNOWN, V, assert_error, fields, ok


def test_notifications(api: Any, demo: dict[str, Any]) -> None:
    body = ok(api.get(f"{V}/notifications"))
    assert len(body["data"]) == 3 and body["meta"] == {
        "total": 3,
        "page": 1,
        "page_size": 20,
        "total_pages": 1,
    }
    assert all(n["read"] is False for n in body["data"])
    assert ok(api.get(f"{V}/notifications", params={"link": "/suggestions"}))["meta"]["total"] == 1
    assert ok(api.get(f"{V}/notifications/unread-count"))["data"] == {"count": 3}

    assert ok(api.put(f"{V}/notifications/{demo['notification']}/read"))["data"] == {
        "id": demo["notification"],
        "read": True,
    }
    again = ok(api.put(f"{V}/notifications/{demo['notification'].upper()}/read"))  # idempotent
    assert again["data"]["read"] is True and again["meta"] == {"unchanged": True}
    assert ok(api.get(f"{V}/notifications/unread-count"))["data"] == {"count": 2}
    unread = ok(api.get(f"{V}/notifications", params={"unread": "true"}))
    assert unread["meta"]["total"] == 2 and demo["notification"] not in [n["id"] for n in unread["data"]]
    assert ok(api.get(f"{V}/notifications", params={"unread": "false"}))["meta"]["total"] == 3

    body = ok(api.put(f"{V}/notifications/read-all"))
    assert body["data"] == {"marked": True} and body["meta"] == {"count": 2}
    assert ok(api.get(f"{V}/notifications/unread-count"))["data"] == {"count": 0}
    assert ok(api.put(f"{V}/notifications/read-all"))["meta"] == {"count": 0}

    assert_error(api.put(f"{V}/notifications/{UNKNOWN}/read"), "not_found", 404)
    assert_error(api.put(f"{V}/notifications/nope/read"), "not_found", 404)
    assert fields(api.get(f"{V}/notifications", params={"unread": "maybe"})) == ["unread"]
    assert fields(api.get(f"{V}/notifications", params={"page": 0})) == ["page"]
    p = ok(api.get(f"{V}/notifications", params={"page": 2, "page_size": 2}))
    assert len(p["data"]) == 1 and p["meta"]["total_pages"] == 2


def test_a_page_size_that_is_not_a_number_hints_at_page_size(empty_api: Any) -> None:
    """Each paging field's error hints at that field: page_size is about rows a page, not where pages
    start."""
    body = assert_error(
        empty_api.get(f"{V}/notifications", params={"page_size": "abc"}), "validation_error", 422
    )
    assert [f["field"] for f in body["error"]["details"]["fields"]] == ["page_size"]
    assert "pages count from 1" not in body["error"]["hint"] and "1 to 100 rows" in body["error"]["hint"]
    body = assert_error(empty_api.get(f"{V}/notifications", params={"page": "abc"}), "validation_error", 422)
    assert body["error"]["hint"] == "pages count from 1"
