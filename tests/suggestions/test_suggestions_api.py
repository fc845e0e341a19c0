"""The suggestion routes: the CLI's bytes, the published schemas and the documented errors
[suggestion-status]."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import assert_error
from tests.support.twin import NOW

pytestmark = pytest.mark.anyio
N = ("--now", NOW)


def _pending(twin: Any) -> list[dict[str, Any]]:
    return twin.cli.json("suggestions", "list", *N)["data"]


async def test_generate_list_and_digest_answer_the_cli_bytes(demo_twin: Any) -> None:
    r = await demo_twin.parity(["suggestions", "generate", *N], "POST", "/api/v1/suggestions/generate")
    demo_twin.check_schema("POST", "/suggestions/generate", r)
    made = r.json()
    assert made["meta"]["generated"] == len(made["data"]) > 0
    assert all(s["status"] == "pending" and s["suggested_message"] for s in made["data"])

    # the store now holds what the API's run made
    r = await demo_twin.parity(["suggestions", "list", *N], "GET", "/api/v1/suggestions")
    demo_twin.check_schema("GET", "/suggestions", r)
    listed = r.json()
    assert listed["meta"]["count"] == len(listed["data"]) == made["meta"]["generated"]
    r = await demo_twin.parity(["digest", *N], "GET", "/api/v1/suggestions/digest")
    demo_twin.check_schema("GET", "/suggestions/digest", r)
    assert {s["id"] for s in r.json()["data"]} == {s["id"] for s in listed["data"]}


async def test_status_changes_and_regenerate_answer_the_cli_bytes(demo_twin: Any) -> None:
    demo_twin.cli("suggestions", "generate", *N)
    first, second, third, fourth = (s["id"] for s in _pending(demo_twin)[:4])
    url = "/api/v1/suggestions/{}"

    r = await demo_twin.parity(
        ["suggestions", "dismiss", first, *N], "PUT", url.format(first), json={"status": "dismissed"}
    )
    demo_twin.check_schema("PUT", "/suggestions/{suggestion_id}", r)
    assert r.json()["data"]["status"] == "dismissed" and r.json()["data"]["dismissed_by"] == "user"

    until = "2026-07-20T00:00:00Z"
    r = await demo_twin.parity(
        ["suggestions", "snooze", second, "--until", until, *N],
        "PUT",
        url.format(second),
        json={"status": "snoozed", "snooze_until": until},
    )
    demo_twin.check_schema("PUT", "/suggestions/{suggestion_id}", r)
    assert r.json()["data"]["scheduled_for"] == "2026-07-20T00:00:00.000Z"

    r = await demo_twin.parity(
        ["suggestions", "sent", third, *N], "PUT", url.format(third), json={"status": "sent"}
    )
    assert r.json()["data"]["status"] == "sent"

    r = await demo_twin.parity(
        ["suggestions", "edit", fourth, "--message", "Coffee next week?", "--channel", "email", *N],
        "PUT",
        url.format(fourth),
        json={"suggested_message": "Coffee next week?", "suggested_channel": "email"},
    )
    assert r.json()["data"]["suggested_message"] == "Coffee next week?"

    r = await demo_twin.parity(
        ["suggestions", "regenerate", fourth, "--channel", "email", *N],
        "POST",
        url.format(fourth) + "/regenerate",
        json={"channel": "email"},
    )
    demo_twin.check_schema("POST", "/suggestions/{suggestion_id}/regenerate", r)
    assert r.json()["data"]["suggested_channel"] == "email"
    assert r.json()["data"]["suggested_message"] != "Coffee next week?"
    # a body is optional on regenerate
    r = await demo_twin.request("POST", url.format(fourth) + "/regenerate")
    demo_twin.check_schema("POST", "/suggestions/{suggestion_id}/regenerate", r)


async def test_update_errors_are_the_references_and_change_nothing(demo_twin: Any) -> None:
    demo_twin.cli("suggestions", "generate", *N)
    sid = _pending(demo_twin)[0]["id"]
    before = demo_twin.snapshot()
    url = f"/api/v1/suggestions/{sid}"
    body = assert_error(
        await demo_twin.request("PUT", url, json={"status": "snoozed"}), "validation_error", 422
    )
    assert body["error"]["details"]["fields"][0]["field"] == "snooze_until"
    assert_error(
        await demo_twin.request("PUT", url, json={"status": "snoozed", "snooze_until": "2020-01-01"}),
        "validation_error",
        422,
    )  # in the past
    body = assert_error(await demo_twin.request("PUT", url, json={"status": "archived"}), "bad_request", 400)
    assert "pending" in body["error"]["hint"]
    assert_error(await demo_twin.request("PUT", url, json={}), "validation_error", 422)
    assert_error(await demo_twin.request("PUT", url, json={"colour": "red"}), "validation_error", 422)
    assert_error(
        await demo_twin.request("PUT", url, json={"suggested_channel": "fax"}), "validation_error", 422
    )
    unknown = "0b7e1a52-7a3c-4c0e-9d7e-1f2a3b4c5d6e"
    assert_error(
        await demo_twin.request("PUT", f"/api/v1/suggestions/{unknown}", json={"status": "sent"}),
        "not_found",
        404,
    )
    assert_error(
        await demo_twin.request("POST", f"/api/v1/suggestions/{unknown}/regenerate"), "not_found", 404
    )
    assert_error(
        await demo_twin.request("POST", f"{url}/regenerate", json={"channel": "pigeon"}),
        "validation_error",
        422,
    )
    assert [s["status"] for s in _pending(demo_twin) if s["id"] == sid] == ["pending"]
    # the CLI gives the same errors for the same input
    bad = demo_twin.cli.json("suggestions", "snooze", sid, "--until", "2020-01-01", *N, ok=False)
    assert bad["error"]["code"] == "validation_error"
    assert demo_twin.snapshot().keys() == before.keys()


async def test_a_sent_suggestion_is_reopened_only_by_status_pending(demo_twin: Any) -> None:
    """[suggestion-status]: 409 to snooze or dismiss a sent suggestion, 200 with meta.unchanged to send it
    again, each changing nothing; PUT status pending reopens it, as `pcrm suggestions reopen` does."""
    demo_twin.cli("suggestions", "generate", *N)
    sid = _pending(demo_twin)[0]["id"]
    url = f"/api/v1/suggestions/{sid}"
    assert (await demo_twin.request("PUT", url, json={"status": "sent"})).status_code == 200
    before = demo_twin.snapshot()
    snooze = {"status": "snoozed", "snooze_until": "2026-07-20T00:00:00Z"}
    body = assert_error(await demo_twin.request("PUT", url, json=snooze), "conflict", 409)
    assert "pcrm suggestions reopen" in body["error"]["hint"]
    assert_error(await demo_twin.request("PUT", url, json={"status": "dismissed"}), "conflict", 409)
    again = await demo_twin.request("PUT", url, json={"status": "sent"})  # no update [no-op-edits]
    assert again.status_code == 200 and again.json()["meta"] == {"unchanged": True}
    assert demo_twin.snapshot() == before
    r = await demo_twin.request("PUT", url, json={"status": "pending"})
    assert r.status_code == 200 and r.json()["data"]["status"] == "pending"


async def test_extension_tokens_may_list_and_regenerate(demo_twin: Any, account: dict[str, Any]) -> None:
    from tests.support.api import bearer, web_token

    ext = bearer(web_token(account["id"], kind="extension"))
    demo_twin.cli("suggestions", "generate", *N)
    r = await demo_twin.request("GET", "/api/v1/suggestions", auth=False, headers=ext)
    assert r.status_code == 200 and r.json()["meta"]["count"] > 0
    assert_error(
        await demo_twin.request("POST", "/api/v1/suggestions/generate", auth=False, headers=ext),
        "unauthorized",
        401,
    )
