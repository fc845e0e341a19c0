"""Each endpoint wired in API B: its happy path on the demo store and its documented errors (404, 409,
422 with details.fields, 400). Every response also passes the OpenAPI check of the `api` client."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import assert_error
from tests.support.demo import NOW

V = "/api/v1"
UNKNOWN = "0b7e1a52-7a3c-4c0e-9d7e-1f2a3b4c5d6e"


def fields(r: Any) -> list[str]:
    body = assert_error(r, "validation_error", 422)
    items = body["error"]["details"]["fields"]
    assert items and all(set(f) == {"field", "message"} and f["message"] for f in items)
    return [f["field"] for f in items]


def ok(r: Any, status: int = 200) -> Any:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"] is None and isinstance(body["meta"], dict)
    return body


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
    assert days == sorted(days) and body["meta"] == {"count": len(days)} and len(days) <= 10
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
    assert len(items) == 3 and body["meta"] == {"count": 3}
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
    assert body["data"] == {"updated": 2} and body["meta"] == {"suggestions_dismissed": 0}
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


# ------------------------------------------------------------------ organizations


def test_organization_lifecycle(api: Any) -> None:
    c = ok(api.post(f"{V}/contacts", json={"full_name": "Ada", "emails": ["ada@lovelace-labs.io"]}), 201)[
        "data"
    ]
    body = ok(
        api.post(
            f"{V}/organizations",
            json={
                "name": "  Lovelace   Labs ",
                "domain": "https://www.Lovelace-Labs.io/about",
                "twitter_handle": "@AE",
                "industry": "Computing",
            },
        ),
        201,
    )
    org = body["data"]
    assert (
        org["name"] == "Lovelace Labs"
        and org["domain"] == "lovelace-labs.io"
        and org["twitter_handle"] == "ae"
    )
    assert body["meta"] == {"contacts_assigned": 1} and org["contact_count"] == 1
    assert ok(api.get(f"{V}/contacts/{c['id']}"))["data"]["organization_id"] == org["id"]

    detail = ok(api.get(f"{V}/organizations/{org['id']}"))["data"]
    assert [m["id"] for m in detail["contacts"]] == [c["id"]]
    listed = ok(api.get(f"{V}/organizations", params={"search": "LOVELACE"}))
    assert [o["id"] for o in listed["data"]] == [org["id"]]
    assert listed["meta"] == {"total": 1, "page": 1, "page_size": 50, "total_pages": 1}

    body = ok(
        api.patch(f"{V}/organizations/{org['id']}", json={"name": "Lovelace Labs Ltd", "industry": None})
    )
    assert body["data"]["industry"] is None and body["meta"] == {
        "contacts_renamed": 1,
        "contacts_assigned": 0,
    }
    assert ok(api.get(f"{V}/contacts/{c['id']}"))["data"]["company"] == "Lovelace Labs Ltd"

    stats = ok(api.get(f"{V}/organizations/{org['id']}/stats"))["data"]
    assert stats["organization_id"] == org["id"] and stats["contact_count"] == 1

    body = ok(api.delete(f"{V}/organizations/{org['id']}"))
    assert body["data"] == {"id": org["id"], "deleted": True} and body["meta"] == {"contacts_unlinked": 1}
    after = ok(api.get(f"{V}/contacts/{c['id']}"))["data"]
    assert after["organization_id"] is None and after["company"] == "Lovelace Labs Ltd"
    for method in ("get", "patch", "delete"):
        kw = {"json": {"notes": "x"}} if method == "patch" else {}
        assert_error(getattr(api, method)(f"{V}/organizations/{org['id']}", **kw), "not_found", 404)
    assert_error(api.get(f"{V}/organizations/{org['id']}/stats"), "not_found", 404)


def test_organization_refusals(api: Any, demo: dict[str, Any]) -> None:
    r = api.post(f"{V}/organizations", json={"name": demo["org_name"].upper()})
    taken = assert_error(r, "conflict", 409)["error"]["details"]["conflicting_organization"]
    assert taken == {"id": demo["org"], "name": demo["org_name"]}
    assert fields(api.post(f"{V}/organizations", json={"domain": "example.com"})) == ["name"]
    assert fields(api.post(f"{V}/organizations", json={"name": "   "})) == ["name"]
    assert fields(api.post(f"{V}/organizations", json={"name": "Mail", "domain": "gmail.com"})) == ["domain"]
    assert fields(api.post(f"{V}/organizations", json={"name": "X", "domain": "not a domain"})) == ["domain"]
    assert fields(api.post(f"{V}/organizations", json={"name": "X", "size": 3})) == ["size"]
    assert fields(api.patch(f"{V}/organizations/{demo['org']}", json={})) == ["fields"]
    assert fields(api.patch(f"{V}/organizations/{demo['org']}", json={"name": None})) == ["name"]
    r = api.patch(f"{V}/organizations/{demo['org2']}", json={"name": demo["org_name"]})
    assert_error(r, "conflict", 409)
    assert fields(api.get(f"{V}/organizations", params={"page_size": 201})) == ["page_size"]
    assert fields(api.get(f"{V}/organizations", params={"include_empty": "perhaps"})) == ["include_empty"]


def test_organization_list_hides_empty_ones_unless_asked(api: Any) -> None:
    org = ok(api.post(f"{V}/organizations", json={"name": "Zzz Empty"}), 201)["data"]
    default = ok(api.get(f"{V}/organizations", params={"page_size": 200}))["data"]
    assert org["id"] not in [o["id"] for o in default]
    assert org["id"] not in [
        o["id"]
        for o in ok(api.get(f"{V}/organizations", params={"page_size": 200, "include_empty": "false"}))[
            "data"
        ]
    ]
    everything = ok(api.get(f"{V}/organizations", params={"page_size": 200, "include_empty": "true"}))
    assert org["id"] in [o["id"] for o in everything["data"]]
    names = [o["name"].casefold() for o in everything["data"]]
    assert names == sorted(names)


def test_organization_merge(api: Any, demo: dict[str, Any]) -> None:
    before = ok(api.get(f"{V}/organizations/{demo['org']}"))["data"]
    moving = ok(api.get(f"{V}/organizations/{demo['org2']}"))["data"]["contact_count"]
    body = ok(
        api.post(
            f"{V}/organizations/merge",
            json={"source_ids": [demo["org2"], demo["org"], UNKNOWN], "target_id": demo["org"]},
        )
    )
    assert body["data"] == {
        "target_id": demo["org"],
        "target_name": before["name"],
        "contacts_updated": moving,
        "source_organizations_merged": 1,
    }
    assert_error(api.get(f"{V}/organizations/{demo['org2']}"), "not_found", 404)
    after = ok(api.get(f"{V}/organizations/{demo['org']}"))["data"]
    assert after["contact_count"] == before["contact_count"] + moving
    assert all(
        ok(api.get(f"{V}/contacts/{m['id']}"))["data"]["company"] == before["name"]
        for m in after["contacts"][:5]
    )
    r = api.post(f"{V}/organizations/merge", json={"source_ids": [demo["org"]], "target_id": demo["org"]})
    assert_error(r, "bad_request", 400)
    r = api.post(f"{V}/organizations/merge", json={"source_ids": [demo["org3"]], "target_id": UNKNOWN})
    assert_error(r, "not_found", 404)
    assert fields(
        api.post(f"{V}/organizations/merge", json={"source_ids": [], "target_id": demo["org"]})
    ) == ["source_ids"]
    assert fields(api.post(f"{V}/organizations/merge", json={"source_ids": [demo["org3"]]})) == ["target_id"]


def test_logo_routes_are_feature_disabled_while_logos_are_off(api: Any, demo: dict[str, Any]) -> None:
    for url in (
        f"{V}/organizations/backfill-logos",
        f"{V}/organizations/{demo['org']}/refresh-logo?force=true",
    ):
        body = assert_error(api.post(url), "feature_disabled", 409)
        assert body["error"]["details"] == {"setting": "logos.enabled"}
        assert "logos.enabled" in body["error"]["hint"]
    assert_error(api.post(f"{V}/organizations/{UNKNOWN}/refresh-logo"), "not_found", 404)
    assert fields(api.post(f"{V}/organizations/{demo['org']}/refresh-logo", params={"force": "later"})) == [
        "force"
    ]


# ------------------------------------------------------------------ notifications


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
    assert (
        ok(api.put(f"{V}/notifications/{demo['notification'].upper()}/read"))["data"]["read"] is True
    )  # idempotent
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


# ------------------------------------------------------------------ settings


def test_priority_settings_merge_and_validate(api: Any, cli: Any) -> None:
    url = f"{V}/settings/priority"
    assert ok(api.get(url))["data"] == {"high": 30, "medium": 60, "low": 180}
    assert ok(api.put(url, json={"high": 21}))["data"] == {"high": 21, "medium": 60, "low": 180}
    assert cli.json("settings", "show", "priority")["data"] == {"high": 21, "medium": 60, "low": 180}
    r = api.put(url, json={"medium": 3, "low": 400})
    assert sorted(fields(r)) == ["priority.low", "priority.medium"]
    assert fields(api.put(url, json={"weekly": 7})) == ["weekly"]
    assert fields(api.put(url, json={"high": "soon"})) == ["high"]
    assert ok(api.get(url))["data"] == {"high": 21, "medium": 60, "low": 180}  # nothing changed
    assert ok(api.put(url, json={"high": None}))["data"]["high"] == 30  # null: back to the default
    assert ok(api.put(url, json={}))["data"] == {"high": 30, "medium": 60, "low": 180}


def test_sync_settings_merge_per_source(api: Any) -> None:
    url = f"{V}/settings/sync"
    before = ok(api.get(url))["data"]
    assert before["gmail"] == {"auto_sync": True, "schedule": "6h", "hour": 3}
    after = ok(
        api.put(url, json={"gmail": {"hour": 5}, "linkedin": {"auto_sync": True, "schedule": "daily"}})
    )["data"]
    assert after["gmail"] == {**before["gmail"], "hour": 5}
    assert after["linkedin"] == {"auto_sync": True, "schedule": "daily", "hour": 3}
    assert {k: v for k, v in after.items() if k not in ("gmail", "linkedin")} == {
        k: v for k, v in before.items() if k not in ("gmail", "linkedin")
    }
    assert fields(api.put(url, json={"myspace": {"hour": 1}})) == ["myspace"]
    assert fields(api.put(url, json={"gmail": {"every": "day"}})) == ["gmail.every"]
    assert fields(api.put(url, json={"gmail": {"schedule": "hourly"}})) == ["sync.gmail.schedule"]
    assert fields(api.put(url, json={"gmail": {"hour": 24}})) == ["sync.gmail.hour"]
    assert ok(api.get(url))["data"] == after


def test_telegram_and_suggestion_settings(api: Any) -> None:
    assert ok(api.get(f"{V}/settings/telegram"))["data"] == {"sync_2nd_tier": True}
    assert ok(api.put(f"{V}/settings/telegram", json={"sync_2nd_tier": False}))["data"] == {
        "sync_2nd_tier": False
    }
    assert fields(api.put(f"{V}/settings/telegram", json={"sync_2nd_tier": "sometimes"})) == ["sync_2nd_tier"]
    url = f"{V}/settings/suggestions"
    before = ok(api.get(url))["data"]
    assert before["max_suggestions"] == 5
    after = ok(api.put(url, json={"max_suggestions": 8, "preferred_channel": "telegram"}))["data"]
    assert after == {**before, "max_suggestions": 8, "preferred_channel": "telegram"}
    assert fields(api.put(url, json={"max_suggestions": 0})) == ["suggestions.max_suggestions"]
    assert fields(api.put(url, json={"tone": "warm"})) == ["tone"]
    assert ok(api.get(url))["data"] == after


def test_map_config(api: Any, empty_api: Any) -> None:
    assert ok(api.get(f"{V}/map/config"))["data"] == {"mapbox_public_token": "pk.test-public-token"}


def test_map_config_without_a_token_is_empty(empty_api: Any) -> None:
    assert ok(empty_api.get(f"{V}/map/config"))["data"] == {"mapbox_public_token": ""}
    assert_error(empty_api.get(f"{V}/map/config", headers={"Authorization": ""}), "unauthorized", 401)


# ------------------------------------------------------------------ sync history


def test_sync_history_and_stats(api: Any) -> None:
    body = ok(api.get(f"{V}/sync-history"))
    assert body["meta"] == {"total": 3, "limit": 50, "offset": 0}
    started = [r["started_at"] for r in body["data"]]
    assert started == sorted(started, reverse=True)
    gmail = ok(api.get(f"{V}/sync-history", params={"platform": "gmail", "limit": 1, "offset": 1}))
    assert gmail["meta"] == {"total": 2, "limit": 1, "offset": 1}
    assert gmail["data"][0]["status"] == "success" and gmail["data"][0]["details"] == '{"threads": 6}'
    failed = ok(api.get(f"{V}/sync-history", params={"status": "failed"}))["data"]
    assert [r["platform"] for r in failed] == ["telegram"] and failed[0]["error_message"] == "flood wait"
    stats = ok(api.get(f"{V}/sync-history/stats"))["data"]
    assert stats["gmail"] == {
        "total_syncs": 2,
        "success_count": 1,
        "failed_count": 0,
        "success_rate": 50.0,
        "last_sync": NOW,
    }
    assert set(ok(api.get(f"{V}/sync-history/stats", params={"platform": "telegram"}))["data"]) == {
        "telegram"
    }
    assert fields(api.get(f"{V}/sync-history", params={"platform": "myspace"})) == ["platform"]
    assert fields(api.get(f"{V}/sync-history", params={"limit": 201})) == ["limit"]
    assert fields(api.get(f"{V}/sync-history", params={"offset": -1})) == ["offset"]


def test_empty_sync_stats_are_an_empty_object(empty_api: Any) -> None:
    assert ok(empty_api.get(f"{V}/sync-history/stats"))["data"] == {}


# ------------------------------------------------------------------ diagnostics


def test_health_and_error_reports(empty_api: Any) -> None:
    assert empty_api.get("/api/health").json() == {"data": {"status": "ok"}, "error": None, "meta": {}}
    r = empty_api.post(
        f"{V}/errors",
        json={"message": "boom", "url": "http://127.0.0.1/x?secret=1"},
        headers={"Authorization": ""},
    )
    assert ok(r)["data"] == {"received": True}
    assert fields(empty_api.post(f"{V}/errors", json={"source": "x"})) == ["message"]


def test_control_characters_in_text_are_refused(api: Any) -> None:
    """Found by fuzzing: a NUL passed SQLite's CHECKs unevenly (length() stops at it) and ended in a 500.
    Control characters (tab, newline and CR aside) are a 422 naming the field, and nothing is written."""
    before = ok(api.get(f"{V}/organizations", params={"include_empty": "true"}))["meta"]["total"]
    assert fields(api.post(f"{V}/organizations", json={"name": "\u0000"})) == ["name"]
    assert fields(api.post(f"{V}/organizations", json={"name": "Globex", "notes": "a\u0007b"})) == ["notes"]
    assert ok(api.get(f"{V}/organizations", params={"include_empty": "true"}))["meta"]["total"] == before
    assert "full_name" in fields(api.post(f"{V}/contacts", json={"full_name": "Ada\u0000Lovelace"}))
    assert "tags" in fields(api.post(f"{V}/contacts", json={"full_name": "Ada", "tags": ["ok", "b\u001bad"]}))
    made = ok(api.post(f"{V}/contacts", json={"full_name": "Ada", "notes": "line one\nline\ttwo"}), 201)
    assert made["data"]["notes"] == "line one\nline\ttwo"


def test_a_search_term_with_a_nul_is_no_server_error(api: Any) -> None:
    """Found by property-testing the services: a NUL ended FTS5's query string early (an SQL error, a 500).
    Control characters are dropped from search terms."""
    plain = ok(api.get(f"{V}/contacts", params={"search": "lovelace"}))
    assert ok(api.get(f"{V}/contacts", params={"search": "love\u0000lace"}))["meta"] == plain["meta"]
    assert ok(api.get(f"{V}/contacts", params={"search": "\u0010ada\u0000"}))["meta"]["total"] >= 1
