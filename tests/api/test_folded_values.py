"""Values a request gives twice are said, not dropped without a word [value-normalisation]: a JSON object
giving a key twice is refused (a parser keeps the last value), and list values that are one value once
normalised (`A@x.org` and `a@x.org`, `Investor` and `investor`) are kept once and listed in meta.folded."""

from __future__ import annotations

from typing import Any

from tests.support.api import V, assert_error, ok


def test_a_json_object_giving_a_key_twice_is_refused_naming_it(empty_api: Any) -> None:
    raw = b'{"full_name": "Dup A", "full_name": "Dup B"}'
    r = empty_api.post(f"{V}/contacts", content=raw, headers={"Content-Type": "application/json"})
    body = assert_error(r, "validation_error", 422)
    assert body["error"]["details"]["fields"] == [
        {"field": "full_name", "message": "given twice in one JSON object"}
    ]
    assert body["detail"][0]["loc"] == ["body", "full_name"]
    assert ok(empty_api.get(f"{V}/contacts"))["data"] == []  # nothing created
    # nested objects too (a sync source's settings)
    raw = b'{"gmail": {"hour": 5, "hour": 6}}'
    r = empty_api.put(f"{V}/settings/sync", content=raw, headers={"Content-Type": "application/json"})
    assert assert_error(r, "validation_error", 422)["error"]["details"]["fields"][0]["field"] == "hour"
    # the same key in two objects is no repeat
    r = empty_api.put(f"{V}/settings/sync", json={"gmail": {"hour": 5}, "telegram": {"hour": 6}})
    assert r.status_code == 200, r.text


def test_list_values_that_are_one_value_are_kept_once_and_said(empty_api: Any) -> None:
    made = ok(
        empty_api.post(f"{V}/contacts", json={"full_name": "Ada", "tags": ["Investor", "investor "]}), 201
    )
    assert made["data"]["tags"] == ["investor"]
    assert made["meta"]["folded"] == [
        {"field": "tags", "kept": "investor", "values": ["Investor", "investor"]}
    ]
    cid = made["data"]["id"]
    r = ok(empty_api.put(f"{V}/contacts/{cid}", json={"emails": ["A@x.org", "a@x.org", "b@x.org"]}))
    assert r["data"]["emails"] == ["a@x.org", "b@x.org"]
    assert r["meta"]["folded"] == [{"field": "emails", "kept": "a@x.org", "values": ["A@x.org", "a@x.org"]}]
    assert r["meta"]["note"] == "emails 'A@x.org' and 'a@x.org' are one value, kept once as 'a@x.org'"
    # the same again changes nothing, and still says it
    r = ok(empty_api.put(f"{V}/contacts/{cid}", json={"emails": ["A@x.org", "a@x.org", "b@x.org"]}))
    assert r["meta"]["unchanged"] is True and r["meta"]["folded"][0]["kept"] == "a@x.org"
    # nothing folded: no word of it
    assert "folded" not in ok(empty_api.put(f"{V}/contacts/{cid}", json={"emails": ["c@x.org"]}))["meta"]


def test_a_taxonomy_keeps_tags_as_tags_are_stored_and_says_what_it_folded(empty_api: Any) -> None:
    body = {"categories": {"Work": ["Investor", "investor", "INVESTOR ", "Founder"]}}
    r = ok(empty_api.put(f"{V}/contacts/tags/taxonomy", json=body))
    # tags are lowercase everywhere: the taxonomy's too, so the tag it applies is the one it lists
    assert r["data"]["categories"] == {"Work": ["investor", "founder"]}
    assert r["meta"]["folded"] == [
        {"field": "categories.Work", "kept": "investor", "values": ["Investor", "investor", "INVESTOR "]}
    ]
    assert ok(empty_api.get(f"{V}/contacts/tags/taxonomy"))["data"]["categories"] == {
        "Work": ["investor", "founder"]
    }
