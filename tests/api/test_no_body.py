"""A write that takes no body refuses one that says something [strict-validation]: a script sending its
options as JSON, as most routes take them, had them ignored, so `{"dry_run": true}` ran the real thing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import V, assert_error, fields, ok


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/identity/scan"),
        ("POST", "/contacts/{contact}/merge/{other}"),
        ("DELETE", "/contacts/2nd-tier"),
        ("POST", "/organizations/scan-duplicates"),
    ],
)
def test_options_sent_as_a_body_are_refused_and_change_nothing(
    api: Any, demo: dict[str, Any], dump: Any, method: str, path: str
) -> None:
    url = V + path.format(**demo)
    before = dump(skip=("api_tokens",))
    r = api.request(method, url, json={"dry_run": True})
    assert fields(r) == ["dry_run"]
    body = r.json()
    assert body["detail"] == [{"loc": ["body", "dry_run"], "msg": "unknown field", "type": "extra_forbidden"}]
    assert "takes no body" in body["error"]["hint"]
    for bad in ("[1]", "dry_run=true"):
        assert fields(api.request(method, url, content=bad)) == ["body"]
    assert dump(skip=("api_tokens",)) == before


def test_the_hint_names_the_query_parameter_the_option_is(api: Any, demo: dict[str, Any]) -> None:
    r = api.post(f"{V}/identity/scan", json={"dry_run": True, "other": 1})
    assert fields(r) == ["dry_run", "other"]
    assert r.json()["error"]["hint"] == (
        "this operation takes no body; give dry_run in the query string, e.g. /identity/scan?dry_run=true"
    )


def test_no_body_an_empty_object_or_null_is_still_no_body(api: Any, demo: dict[str, Any]) -> None:
    url = f"{V}/contacts/{demo['contact']}/merge/{demo['other']}"
    for kw in ({}, {"json": {}}, {"content": b"null"}, {"content": b"  \n"}):
        body = ok(api.post(url, params={"dry_run": "true"}, **kw))
        assert body["meta"] == {"dry_run": True} and body["data"]["merge_id"] is None
    assert_error(api.post(f"{V}/identity/matches/{demo['contact']}/merge", json={}), "not_found", 404)
