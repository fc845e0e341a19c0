"""The interaction operations over the API: same service as the CLI, and responses that match the
published schemas."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import assert_error, check_model

pytestmark = pytest.mark.anyio


async def test_interactions_over_the_api(client: Any, script: dict[str, str]) -> None:
    from pcrm.api import schemas as s

    ada = (await client.post("/api/v1/contacts", headers=script, json={"full_name": "Ada"})).json()["data"]
    base = f"/api/v1/contacts/{ada['id']}/interactions"
    r = await client.post(
        base, headers=script, json={"content_preview": "lunch", "occurred_at": "2026-01-05T12:00:00Z"}
    )
    assert r.status_code == 201, r.text
    note = r.json()["data"]
    check_model(s.Interaction, note)
    assert note["platform"] == "manual" and note["direction"] == "note"
    email = (
        await client.post(
            base,
            headers=script,
            json={
                "platform": "email",
                "direction": "inbound",
                "content_preview": "hi",
                "raw_reference_id": "m1",
            },
        )
    ).json()["data"]
    r = await client.get(base, headers=script, params={"limit": 1})
    check_model(list[s.Interaction], r.json()["data"])
    assert r.json()["meta"] == {"total": 2, "limit": 1, "offset": 0}
    r = await client.patch(f"{base}/{note['id']}", headers=script, json={"content_preview": "long lunch"})
    assert r.json()["data"]["content_preview"] == "long lunch"
    assert_error(
        await client.patch(f"{base}/{email['id']}", headers=script, json={"content_preview": "x"}),
        "forbidden",
        403,
    )
    r = await client.delete(f"{base}/{note['id']}", headers=script)
    assert r.json()["data"] == {"id": note["id"], "deleted": True}
    assert_error(
        await client.get(f"/api/v1/contacts/{ada['id']}/interactions?limit=0", headers=script),
        "validation_error",
        422,
    )


async def test_one_platform_s_interactions_over_the_api_and_the_cli(
    client: Any, script: dict[str, str], cli: Any
) -> None:
    """`platform` keeps one platform's (the MCP tool get_interactions uses it too); the CLI's --json is
    the same bytes."""
    ada = (await client.post("/api/v1/contacts", headers=script, json={"full_name": "Ada"})).json()["data"]
    base = f"/api/v1/contacts/{ada['id']}/interactions"
    for platform in ("email", "manual", "email"):
        r = await client.post(base, headers=script, json={"platform": platform, "content_preview": platform})
        assert r.status_code == 201, r.text
    r = await client.get(base, headers=script, params={"platform": "email"})
    assert [i["platform"] for i in r.json()["data"]] == ["email", "email"]
    assert r.json()["meta"]["total"] == 2
    assert (
        cli("interactions", "list", ada["id"], "--platform", "email", "--json").stdout.encode()
        == r.content + b"\n"
    )
    assert_error(
        await client.get(base, headers=script, params={"platform": "pigeon"}), "validation_error", 422
    )


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"content_preview": "   "},
        {"content_preview": None, "occurred_at": "2026-01-05T12:00:00Z"},
        {"platform": "email", "direction": "note"},
    ],
)
async def test_a_note_without_text_is_refused_as_the_cli_refuses_it(
    client: Any, script: dict[str, str], body: dict[str, Any]
) -> None:
    """`pcrm note add ada ""` and PATCH with no text are refused ("a note needs some text"), but a POST with
    no content_preview made an empty note, which then could never be edited to empty again."""
    ada = (await client.post("/api/v1/contacts", headers=script, json={"full_name": "Ada"})).json()["data"]
    base = f"/api/v1/contacts/{ada['id']}/interactions"
    r = await client.post(base, headers=script, json=body)
    err = assert_error(r, "validation_error", 422)["error"]
    assert err["message"] == "a note needs some text" and err["details"]["fields"][0]["field"] == (
        "content_preview"
    )
    assert (await client.get(base, headers=script)).json()["meta"]["total"] == 0
    got = (await client.get(f"/api/v1/contacts/{ada['id']}", headers=script)).json()["data"]
    assert got["last_interaction_at"] is None
    # what is not a note may still come without text (a call logged by hand, as `pcrm log ada`)
    r = await client.post(base, headers=script, json={"platform": "call", "direction": "inbound"})
    assert r.status_code == 201, r.text
