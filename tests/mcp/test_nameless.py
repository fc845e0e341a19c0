"""The MCP tools name a contact without a name as `pcrm contacts list` does, by its address or number
[display-name]: their text answers said "(no name)" (the suggestions, the review queue, a tag change) or left
the name blank (the contact tables of search_contacts, get_overdue and get_birthdays, the duplicates of a
contact, the `Name:` of explain_score). The structured content keeps the stored `full_name` (null)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.crm import Crm
from tests.support.mcp import fenced, memory_session, text_of

pytestmark = pytest.mark.anyio


async def test_every_tool_names_a_nameless_contact_by_its_address_or_number(crm: Crm) -> None:
    solo = crm.add(None, "--email", "solo@example.com", "--priority", "high", "--birthday", "06-18")
    crm.history(solo["id"], [("email", "inbound", "2026-04-02T10:00:00Z")])
    crm.cli("suggestions", "generate")
    # a pair asked about for the line it shares, whose names were then cleared
    crm.add("J. Smith", "--phone", "+44 20 7946 0002")
    john = crm.add("John Smith", "--phone", "+44 20 7946 0002", "--email", "john@smith.example")
    assert crm.cli.json("identity", "scan")["data"]["pending_review"] == 1
    for who in ("J. Smith", "John Smith"):
        crm.cli("contacts", "edit", who, "--clear", "name")
    # a named contact and a nameless one that may be the same person
    ada = crm.add("Ada Lovelace", "--email", "ada@example.com", "--company", "Acme")
    crm.add(None, "--email", "ada.lovelace@gmail.com", "--company", "Acme")
    handle = crm.add(None, "--telegram", "solo_tg")
    crm.cli("settings", "set", "mcp.allow_writes", "true")
    (suggestion,) = crm.cli.json("suggestions", "list")["data"]

    calls: dict[str, dict[str, Any]] = {
        "search_contacts": {"query": "solo"},
        "get_overdue": {},
        "get_birthdays": {},
        "get_suggestions": {},
        "explain_score": {"contact": solo["id"]},
        "find_duplicates": {},
        "get_contact": {"contact": handle["id"]},
        "tag_contact": {"contact": solo["id"], "tags": ["met-2026"]},
        "snooze_suggestion": {"suggestion": suggestion["id"], "days": 3},
    }
    answers: dict[str, str] = {}
    async with memory_session() as client:
        for tool, args in calls.items():
            r = await client.call_tool(tool, args)
            assert not r.is_error, (tool, text_of(r))
            answers[tool] = text_of(r)
        dup = await client.call_tool("find_duplicates", {"contact": ada["id"]})
        search = await client.call_tool("search_contacts", {"query": "solo"})

    for tool in ("search_contacts", "get_overdue", "get_birthdays"):
        (table,) = fenced(answers[tool])
        assert "| solo@example.com |" in table, (tool, table)
    for tool in ("get_suggestions", "snooze_suggestion"):
        assert "**solo@example.com** (" in answers[tool], (tool, answers[tool])
    assert "## @solo_tg" in answers["get_contact"], answers["get_contact"]
    assert "Name: solo@example.com" in answers["explain_score"], answers["explain_score"]
    assert "solo@example.com: met-2026" in answers["tag_contact"], answers["tag_contact"]
    assert f"john@smith.example (`{john['id']}`)" in answers["find_duplicates"], answers["find_duplicates"]
    assert "+44 20 7946 0002 (`" in answers["find_duplicates"], answers["find_duplicates"]
    (table,) = fenced(text_of(dup))
    assert "| ada.lovelace@gmail.com | ada.lovelace@gmail.com |" in table, table
    assert not [tool for tool, said in answers.items() if "(no name)" in said]
    # what the tools return as data is the contact as stored: no name
    assert search.structured_content["contacts"][0]["full_name"] is None
