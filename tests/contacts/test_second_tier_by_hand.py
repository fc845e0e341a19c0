"""The `2nd tier` marker given by hand to someone the user talked with is accepted and said [second-tier]:
`pcrm contacts tag "Camille Yılmaz" "2nd tier"` (an API edit, MCP's tag_contact) hid a contact of 58
interactions from suggestions and the map without a word. A group member without a history takes it
silently."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.mcp import memory_session, text_of
from tests.support.twin import NOW

N = ("--now", NOW)
SAYS = "has talked with you: `2nd tier` is for group members you never talked to"


@pytest.mark.anyio
async def test_tagging_someone_you_talked_with_2nd_tier_is_said_everywhere(demo_twin: Any) -> None:
    from pcrm.services import settings
    from pcrm.services.context import open_context

    (u1, name1), (u2, _), (u3, _) = demo_twin.sql(
        "SELECT uuid, full_name FROM contacts WHERE interaction_count > 5 AND full_name IS NOT NULL "
        "AND id IN (SELECT contact_id FROM interactions "
        "WHERE direction IN ('inbound', 'outbound', 'mutual')) "
        "ORDER BY id LIMIT 3"
    )
    r = demo_twin.cli("contacts", "tag", u1, "2nd tier", *N)
    assert f"note: {name1} {SAYS}" in " ".join(r.stderr.split()), r.stderr
    r = await demo_twin.request("PUT", f"/api/v1/contacts/{u2}", json={"tags": ["2nd tier"]})
    assert r.status_code == 200 and SAYS in r.json()["meta"]["note"], r.text
    with open_context() as ctx:
        settings.set_setting(ctx, "mcp.allow_writes", True)
    async with memory_session() as client:
        done = await client.call_tool("tag_contact", {"contact": u3, "tags": ["2nd tier"]})
        assert not done.is_error and SAYS in text_of(done), text_of(done)
    # a group member with no history: tagged as asked, nothing said
    brock = demo_twin.add("Brock Harrison", *N)["id"]
    r = demo_twin.cli("contacts", "tag", brock, "2nd tier", *N)
    assert (
        "note:" not in r.stderr
        and "2nd tier" in demo_twin.cli.json("contacts", "show", brock)["data"]["tags"]
    )
