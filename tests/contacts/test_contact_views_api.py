"""Each endpoint of the contact views (stats, birthdays, map, related, recent activity, bulk updates,
reconcile, the 2nd tier, search): its happy path on the demo store and its documented errors (404, 409,
422 with details.fields, 400). Every response also passes the OpenAPI check of the `api` client."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import UNKNOWN, V, assert_error, fields, ok
from tests.support.demo import NOW

# ------------------------------------------------------------------ contact views


def test_stats_buckets_add_up_to_the_non_archived_contacts(api: Any, demo: dict[str, Any]) -> None:
    s = ok(api.get(f"{V}/contacts/stats"))["data"]
    assert s["strong"] + s["active"] + s["dormant"] == s["total"] > 0
    archived = ok(api.get(f"{V}/contacts/ids", params={"archived_only": "true"}))["meta"]["total"]
    everyone = ok(api.get(f"{V}/contacts", params={"include_archived": "true", "page_size": 1}))["meta"][
        "total"
    ]
    assert s["total"] == everyone - archived
    # the note of a week ago is in "this week", not in "last week"
    assert s["interactions_this_week"] >= 1
    assert_error(api.get(f"{V}/contacts/stats", params={"x": "1"}), "validation_error", 422)


def test_stats_on_an_empty_store_are_zeros(empty_api: Any) -> None:
    assert ok(empty_api.get(f"{V}/contacts/stats"))["data"] == {
        "total": 0,
        "strong": 0,
        "active": 0,
        "dormant": 0,
        "interactions_this_week": 0,
        "interactions_last_week": 0,
        "active_last_week": 0,
    }


def test_birthdays_today_first_and_limit_checked(api: Any) -> None:
    grace = ok(api.post(f"{V}/contacts", json={"full_name": "Grace Hopper", "birthday": "1906-06-01"}), 201)[
        "data"
    ]
    ok(api.post(f"{V}/contacts", json={"full_name": "Late Bloomer", "birthday": "06-09"}), 201)  # day 8: out
    body = ok(api.get(f"{V}/contacts/birthdays"))
    days = [c["days_until_birthday"] for c in body["data"]]
    assert days == sorted(days) and body["meta"]["count"] == len(days) and len(days) <= 10
    assert body["meta"]["total"] >= len(days)
    assert body["data"][0]["days_until_birthday"] == 0
    assert grace["id"] in [c["id"] for c in body["data"] if c["days_until_birthday"] == 0]
    assert "Late Bloomer" not in [c["full_name"] for c in body["data"]]
    assert len(ok(api.get(f"{V}/contacts/birthdays", params={"limit": 1}))["data"]) == 1
    assert fields(api.get(f"{V}/contacts/birthdays", params={"limit": 11})) == ["limit"]
    assert fields(api.get(f"{V}/contacts/birthdays", params={"limit": "many"})) == ["limit"]


def test_map_box_query(api: Any, demo: dict[str, Any]) -> None:
    body = ok(api.get(f"{V}/contacts/map", params={"bbox": "-180,-90,180,90", "limit": 5}))
    assert len(body["data"]) == 5 and body["meta"]["total_in_bounds"] > 5
    scores = [p["relationship_score"] for p in body["data"]]
    assert scores == sorted(scores, reverse=True)
    p = body["data"][0]
    tight = f"{p['longitude']},{p['latitude']},{p['longitude']},{p['latitude']}"  # inclusive bounds
    assert p["id"] in [q["id"] for q in ok(api.get(f"{V}/contacts/map", params={"bbox": tight}))["data"]]
    # archived contacts leave the map
    ok(api.put(f"{V}/contacts/{p['id']}", json={"priority_level": "archived"}))
    assert p["id"] not in [q["id"] for q in ok(api.get(f"{V}/contacts/map", params={"bbox": tight}))["data"]]
    # minLng > maxLng is empty, not an error
    assert ok(api.get(f"{V}/contacts/map", params={"bbox": "10,-90,-10,90"}))["meta"]["total_in_bounds"] == 0
    assert fields(api.get(f"{V}/contacts/map")) == ["bbox"]
    for bad in ("1,2,3", "a,b,c,d", "1,2,3,nan", ""):
        r = api.get(f"{V}/contacts/map", params={"bbox": bad})
        assert_error(r, "bad_request", 400)
        assert "minLng,minLat,maxLng,maxLat" in r.json()["error"]["message"]
    # a box outside the globe is refused too: the service validates, for the CLI and the API alike
    for bad in ("-500,-100,500,100", "-10,35,30,91", "181,0,182,1"):
        r = api.get(f"{V}/contacts/map", params={"bbox": bad})
        assert_error(r, "bad_request", 400)
        assert "out of range" in r.json()["error"]["message"], r.json()
    assert fields(api.get(f"{V}/contacts/map", params={"bbox": "0,0,1,1", "limit": 2001})) == ["limit"]


def test_related_contacts_say_why(api: Any, demo: dict[str, Any]) -> None:
    items = ok(api.get(f"{V}/contacts/{demo['contact']}/related"))["data"]
    assert 0 < len(items) <= 5 and demo["contact"] not in [c["id"] for c in items]
    assert all(c["reasons"] for c in items)
    assert any(r == "Same org" for c in items for r in c["reasons"])
    assert_error(api.get(f"{V}/contacts/{UNKNOWN}/related"), "not_found", 404)
    assert_error(api.get(f"{V}/contacts/not-an-id/related"), "not_found", 404)


def test_recent_activity(api: Any) -> None:
    body = ok(api.get(f"{V}/activity/recent", params={"limit": 3}))
    items = body["data"]
    assert len(items) == 3 and body["meta"]["count"] == 3 and body["meta"]["total"] > 3  # [complete-lists]
    assert [a["timestamp"] for a in items] == sorted((a["timestamp"] for a in items), reverse=True)
    assert len({a["contact_id"] for a in items}) == 3 and all(a["timestamp"] <= NOW for a in items)
    assert fields(api.get(f"{V}/activity/recent", params={"limit": 101})) == ["limit"]


# ------------------------------------------------------------------ bulk changes and the 2nd tier


def test_bulk_update_changes_every_named_contact(api: Any, demo: dict[str, Any]) -> None:
    ids = [demo["contact"], demo["other"]]
    body = ok(
        api.post(
            f"{V}/contacts/bulk-update",
            json={
                "contact_ids": ids,
                "add_tags": ["VIP", "vip"],
                "priority_level": "HIGH",
                "company": "Initech",
            },
        )
    )
    assert body["data"]["updated"] == 2 and body["data"]["bulk_update_id"]  # [bulk-undo]
    assert body["meta"]["changed"] == 2 and body["meta"]["suggestions_dismissed"] == 0
    for cid in ids:
        c = ok(api.get(f"{V}/contacts/{cid}"))["data"]
        assert "vip" in c["tags"] and c["priority_level"] == "high" and c["company"] == "Initech"
        assert {"tags", "company"} <= set(c["user_edited_fields"])
    # "" clears the company; null leaves it
    ok(
        api.post(
            f"{V}/contacts/bulk-update",
            json={"contact_ids": ids[:1], "company": None, "remove_tags": ["vip"]},
        )
    )
    assert ok(api.get(f"{V}/contacts/{ids[0]}"))["data"]["company"] == "Initech"
    ok(api.post(f"{V}/contacts/bulk-update", json={"contact_ids": ids[:1], "company": ""}))
    assert ok(api.get(f"{V}/contacts/{ids[0]}"))["data"]["company"] is None


def test_bulk_update_refusals_change_nothing(api: Any, demo: dict[str, Any]) -> None:
    before = ok(api.get(f"{V}/contacts/{demo['contact']}"))["data"]
    url = f"{V}/contacts/bulk-update"
    r = api.post(url, json={"contact_ids": [demo["contact"], UNKNOWN], "add_tags": ["x"]})
    assert assert_error(r, "not_found", 404)["error"]["details"]["missing"] == [UNKNOWN]
    assert fields(api.post(url, json={"contact_ids": [demo["contact"]], "colour": "red"})) == ["colour"]
    assert fields(api.post(url, json={"contact_ids": [demo["contact"]], "add_tags": "x"})) == ["add_tags"]
    assert fields(api.post(url, json={"contact_ids": [demo["contact"]]})) == ["body"]
    assert fields(api.post(url, json={"contact_ids": [demo["contact"]], "priority_level": "urgent"})) == [
        "priority_level"
    ]
    assert fields(api.post(url, json={"add_tags": ["x"]})) == ["contact_ids"]
    assert fields(api.post(url, json={"contact_ids": [UNKNOWN] * 501, "add_tags": ["x"]})) == ["contact_ids"]
    assert fields(
        api.post(url, json={"contact_ids": [demo["contact"]], "add_tags": ["a"], "remove_tags": ["A"]})
    ) == ["remove_tags"]
    assert fields(api.post(url, json=[demo["contact"]])) == ["body"]
    assert ok(api.get(f"{V}/contacts/{demo['contact']}"))["data"] == before


def test_archiving_in_bulk_dismisses_open_suggestions(api: Any, demo: dict[str, Any]) -> None:
    ok(api.post(f"{V}/suggestions/generate"))
    pending = ok(api.get(f"{V}/suggestions"))["data"]
    assert pending
    ids = sorted({s["contact_id"] for s in pending})
    body = ok(api.post(f"{V}/contacts/bulk-update", json={"contact_ids": ids, "priority_level": "archived"}))
    assert body["meta"]["suggestions_dismissed"] == len(pending)
    assert ok(api.get(f"{V}/suggestions"))["data"] == []


def test_reconcile_moves_last_interaction_once_a_meeting_has_passed(
    api: Any, demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = ok(api.post(f"{V}/contacts", json={"full_name": "Future Meeting"}), 201)["data"]["id"]
    ok(
        api.post(
            f"{V}/contacts/{cid}/interactions",
            json={"platform": "meeting", "direction": "mutual", "occurred_at": "2025-06-03T09:00:00Z"},
        ),
        201,
    )
    assert (
        ok(api.get(f"{V}/contacts/{cid}"))["data"]["last_interaction_at"] is None
    )  # [future-interactions]: not from the future
    assert ok(api.post(f"{V}/contacts/reconcile-last-interaction"))["data"] == {"updated_count": 0}
    monkeypatch.setenv("PCRM_NOW", "2025-06-04T00:00:00Z")
    assert ok(api.post(f"{V}/contacts/reconcile-last-interaction"))["data"]["updated_count"] >= 1
    assert ok(api.get(f"{V}/contacts/{cid}"))["data"]["last_interaction_at"] == "2025-06-03T09:00:00.000Z"
    assert ok(api.post(f"{V}/contacts/reconcile-last-interaction"))["data"] == {"updated_count": 0}


def test_second_tier_count_promote_and_delete(api: Any, demo: dict[str, Any]) -> None:
    assert ok(api.get(f"{V}/contacts/2nd-tier/count"))["data"] == {"count": 2}
    r = ok(api.post(f"{V}/contacts/{demo['second_tier']}/promote"))
    assert r["data"] == {"promoted": True, "id": demo["second_tier"]}
    assert "2nd tier" not in ok(api.get(f"{V}/contacts/{demo['second_tier']}"))["data"]["tags"]
    assert ok(api.get(f"{V}/contacts/2nd-tier/count"))["data"] == {"count": 1}
    assert_error(api.post(f"{V}/contacts/{demo['second_tier']}/promote"), "bad_request", 400)
    assert_error(api.post(f"{V}/contacts/{UNKNOWN}/promote"), "not_found", 404)
    assert ok(api.delete(f"{V}/contacts/2nd-tier"))["data"] == {"deleted_count": 1}
    assert ok(api.get(f"{V}/contacts/2nd-tier/count"))["data"] == {"count": 0}
    assert ok(api.get(f"{V}/contacts/{demo['second_tier']}"))  # the promoted one stays
    assert ok(api.delete(f"{V}/contacts/2nd-tier"))["data"] == {"deleted_count": 0}


def test_a_contact_update_that_takes_anothers_email_is_409_naming_them(
    api: Any, demo: dict[str, Any]
) -> None:
    other = ok(api.get(f"{V}/contacts/{demo['other']}"))["data"]
    assert other["emails"]
    r = api.put(f"{V}/contacts/{demo['contact']}", json={"emails": [other["emails"][0]]})
    conflict = assert_error(r, "conflict", 409)["error"]["details"]["conflicting_contact"]
    assert conflict == {"id": other["id"], "full_name": other["full_name"]}


# ------------------------------------------------------------------ search


def test_a_search_term_with_a_nul_is_no_server_error(api: Any) -> None:
    """Found by property-testing the services: a NUL ended FTS5's query string early (an SQL error, a 500).
    Control characters are dropped from search terms."""
    plain = ok(api.get(f"{V}/contacts", params={"search": "lovelace"}))
    assert ok(api.get(f"{V}/contacts", params={"search": "love\u0000lace"}))["meta"] == plain["meta"]
    assert ok(api.get(f"{V}/contacts", params={"search": "\u0010ada\u0000"}))["meta"]["total"] >= 1
