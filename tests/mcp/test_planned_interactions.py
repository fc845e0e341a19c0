"""MCP `get_interactions` listed a planned (future) note first among "the 2 newest", as if it had happened:
the planned ones now come apart, soonest first, as `pcrm interactions list` shows them under "upcoming"
[future-interactions]; `upcoming` and `upcoming_total` carry them in the structured answer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.mcp import fenced, memory_session, outside, text_of

pytestmark = pytest.mark.anyio


async def test_a_planned_note_is_listed_apart_from_what_happened(crm: Any) -> None:
    ada = crm.add("Ada Lovelace")
    crm.cli("note", "add", ada["id"], "met at the library", "--at", "2026-01-10")
    crm.cli("note", "add", ada["id"], "future plan", "--at", "2027-12-02")
    async with memory_session() as client:
        result = await client.call_tool("get_interactions", {"contact": ada["id"]})
    said = text_of(result)
    data = result.structured_content
    assert [i["text"] for i in data["interactions"]] == ["met at the library"]
    assert [i["text"] for i in data["upcoming"]] == ["future plan"] and data["upcoming_total"] == 1
    assert data["total"] == 1
    assert "**1 interaction**" in outside(said) and "1 planned interaction" in outside(said)
    (body,) = fenced(said)
    assert body.index("met at the library") < body.index("Upcoming (planned):") < body.index("future plan")
