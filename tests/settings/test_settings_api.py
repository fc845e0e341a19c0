"""Each settings endpoint (priority, sync, telegram, suggestions, the map's public token): its happy path on
the demo store and its documented errors (422 with details.fields). Every response also passes the
OpenAPI check of the `api` client."""

from __future__ import annotations

from typing import Any

from tests.support.api import V, assert_error, fields, ok


def test_priority_settings_merge_and_validate(api: Any, cli: Any) -> None:
    url = f"{V}/settings/priority"
    assert ok(api.get(url))["data"] == {"high": 30, "medium": 60, "low": 180}
    assert ok(api.put(url, json={"high": 21}))["data"] == {"high": 21, "medium": 60, "low": 180}
    assert cli.json("settings", "show", "priority")["data"] == {"high": 21, "medium": 60, "low": 180}
    r = api.put(url, json={"medium": 3, "low": 400})
    assert sorted(fields(r)) == ["low", "medium"]
    assert fields(api.put(url, json={"weekly": 7})) == ["weekly"]
    assert fields(api.put(url, json={"high": "soon"})) == ["high"]
    assert fields(api.put(url, json={"low": False})) == ["low"]
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
    assert fields(api.put(url, json={"gmail": {"schedule": "hourly"}})) == ["gmail.schedule"]
    assert fields(api.put(url, json={"gmail": {"hour": 24}})) == ["gmail.hour"]
    # JSON true is not an hour (pydantic's lax int read it as 1 and set 01:00)
    assert fields(api.put(url, json={"gmail": {"hour": True}})) == ["gmail.hour"]
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
    assert fields(api.put(url, json={"max_suggestions": 0})) == ["max_suggestions"]
    assert fields(api.put(url, json={"tone": "warm"})) == ["tone"]
    assert ok(api.get(url))["data"] == after


BAD = [  # (route, body, the body's field, its loc): the registry's rules and the schema's alike
    ("priority", {"high": 3, "medium": 60, "low": 180}, "high", ["body", "high"]),
    ("priority", {"low": 366}, "low", ["body", "low"]),
    ("priority", {"high": "x"}, "high", ["body", "high"]),
    ("suggestions", {"max_suggestions": 50}, "max_suggestions", ["body", "max_suggestions"]),
    ("suggestions", {"preferred_channel": "pigeon"}, "preferred_channel", ["body", "preferred_channel"]),
    ("suggestions", {"preferred_channel": "p" * 5000}, "preferred_channel", ["body", "preferred_channel"]),
    (
        "suggestions",
        {"dormancy_threshold_days": -1},
        "dormancy_threshold_days",
        ["body", "dormancy_threshold_days"],
    ),
    ("sync", {"gmail": {"hour": 30}}, "gmail.hour", ["body", "gmail", "hour"]),
    ("sync", {"twitter": {"schedule": "weekly"}}, "twitter.schedule", ["body", "twitter", "schedule"]),
    ("sync", {"gmail": {"hour": "x"}}, "gmail.hour", ["body", "gmail", "hour"]),
    ("telegram", {"sync_2nd_tier": "sometimes"}, "sync_2nd_tier", ["body", "sync_2nd_tier"]),
]


def test_every_settings_error_names_the_body_field(empty_api: Any, cli: Any) -> None:
    """A value the settings registry refused was named by its internal key (`priority.high`,
    `sync.gmail.hour`) in `details.fields` and `detail[].loc`, while the schema's errors named the body's
    field (`high`, ["body", "gmail", "hour"]): a client matching errors to its form fields missed them."""
    for route, body, field, loc in BAD:
        r = empty_api.put(f"{V}/settings/{route}", json=body)
        assert r.status_code == 422, (route, body, r.text)
        got = r.json()
        assert [f["field"] for f in got["error"]["details"]["fields"]] == [field], (route, body)
        assert [d["loc"] for d in got["detail"]] == [loc], (route, body)
        assert f"{route}." not in got["error"]["message"], (route, body)
    # `pcrm settings set` answers as the section's PUT, and its hint names the key it takes
    got = cli.json("settings", "set", "sync.gmail.hour", "30", ok=False)
    assert [d["loc"] for d in got["detail"]] == [["body", "gmail", "hour"]]
    assert "sync.gmail.hour" in got["error"]["hint"]


def test_map_config(api: Any, empty_api: Any) -> None:
    assert ok(api.get(f"{V}/map/config"))["data"] == {"mapbox_public_token": "pk.test-public-token"}


def test_map_config_without_a_token_is_empty(empty_api: Any) -> None:
    assert ok(empty_api.get(f"{V}/map/config"))["data"] == {"mapbox_public_token": ""}
    assert_error(empty_api.get(f"{V}/map/config", headers={"Authorization": ""}), "unauthorized", 401)


def test_a_string_is_no_number_and_no_flag_in_any_json_body(empty_api: Any) -> None:
    """Pydantic's lax mode read `{"high": "14"}` as 14 and `{"sync_2nd_tier": "no"}` as false (stored),
    while `{"high": true}` was refused and MCP refused "3": every JSON body is read strictly, each wrong type
    a 422 with the `detail` list reference clients read, and nothing stored."""
    cases = [
        ("/settings/priority", {"high": "14"}, "high", "int_type"),
        ("/settings/priority", {"low": 90.0}, "low", "int_type"),
        ("/settings/telegram", {"sync_2nd_tier": "no"}, "sync_2nd_tier", "bool_type"),
        ("/settings/telegram", {"sync_2nd_tier": 0}, "sync_2nd_tier", "bool_type"),
        ("/settings/sync", {"gmail": {"hour": "6"}}, "gmail.hour", "int_type"),
        ("/settings/sync", {"gmail": {"auto_sync": "true"}}, "gmail.auto_sync", "bool_type"),
        ("/settings/suggestions", {"max_suggestions": "3"}, "max_suggestions", "int_type"),
        ("/settings/suggestions", {"include_dormant": "yes"}, "include_dormant", "bool_type"),
    ]
    for path, body, field, kind in cases:
        before = ok(empty_api.get(f"{V}{path}"))["data"]
        r = empty_api.put(f"{V}{path}", json=body)
        err = assert_error(r, "validation_error", 422)
        assert fields(r) == [field], (path, body)
        assert err["detail"][0]["loc"] == ["body", *field.split(".")] and err["detail"][0]["type"] == kind
        assert ok(empty_api.get(f"{V}{path}"))["data"] == before, (path, body)
    # the same class on other bodies: a contact's coordinates
    r = empty_api.post(f"{V}/contacts", json={"full_name": "Ada", "latitude": "48.85", "longitude": 2.35})
    assert fields(r) == ["latitude"]
    whole = {"full_name": "Ada", "latitude": 48, "longitude": 2.35}  # a whole number is a number
    assert ok(empty_api.post(f"{V}/contacts", json=whole), 201)
