"""The diagnostics endpoints (health, error reports), and text the API refuses on any route: happy paths
and documented errors (422 with details.fields). Every response also passes the OpenAPI check of the
`api` and `empty_api` clients."""

from __future__ import annotations

from typing import Any

from tests.support.api import V, fields, ok


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
