"""The sync history endpoints [sync-runs]: their happy path on the demo store and their documented errors
(422 with details.fields). Every response also passes the OpenAPI check of the `api` client."""

from __future__ import annotations

from typing import Any

from tests.support.api import V, fields, ok
from tests.support.demo import NOW


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
        "partial_count": 0,
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
