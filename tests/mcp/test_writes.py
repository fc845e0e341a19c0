"""The write tools: refused while `mcp.allow_writes` is off (nothing changes, the error names the setting),
and once it is on, each one changes the store through the CLI's service and is recorded with its name."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.mcp import WRITE_TOOLS, fenced, memory_session, outside, text_of

pytestmark = pytest.mark.anyio


def _ctx() -> Any:
    from pcrm.services.context import open_context

    return open_context()


def _allow(value: bool) -> None:
    from pcrm.services import settings

    with _ctx() as ctx:
        settings.set_setting(ctx, "mcp.allow_writes", value)


@pytest.fixture
def pending(demo: dict[str, Any]) -> dict[str, Any]:
    from pcrm.services import suggestions

    with _ctx() as ctx:
        made = suggestions.generate(ctx).data
    assert len(made) >= 3
    return {**demo, "suggestions": [s["id"] for s in made]}


def _calls(refs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    s1, s2, s3 = refs["suggestions"][:3]
    return {
        "add_note": {"contact": refs["contact_name"], "text": "Met at the conference; wants the deck."},
        "log_interaction": {
            "contact": refs["contact"],
            "platform": "call",
            "direction": "inbound",
            "text": "called about the offer",
            "at": "2025-05-31T10:00:00Z",
        },
        # the demo's third suggestion is a birthday in two days (the soonest birthdays come first)
        "snooze_suggestion": {"suggestion": s3, "days": 14},
        "dismiss_suggestion": {"suggestion": s2[:8]},
        "mark_suggestion_sent": {"suggestion": s1},
        "tag_contact": {"contact": refs["contact"], "tags": ["Investor", "met-2025"]},
    }


def _state() -> dict[str, Any]:
    from pcrm import paths
    from tests.support.store import StoreReader

    db = StoreReader(paths.home())
    return {
        "interactions": db.q("SELECT uuid FROM interactions ORDER BY id"),
        "suggestions": db.q("SELECT uuid, status FROM follow_up_suggestions ORDER BY id"),
        "tags": db.q("SELECT contact_id, tag FROM contact_tags ORDER BY contact_id, tag"),
        "audit": db.q("SELECT * FROM audit_log"),
    }


async def test_write_tools_are_refused_while_the_setting_is_off(pending: Any) -> None:
    before = _state()
    async with memory_session() as client:
        for tool, args in _calls(pending).items():
            r = await client.call_tool(tool, args)
            md = text_of(r)
            assert r.is_error and r.structured_content is None, tool
            assert "`feature_disabled`" in outside(md) and "`mcp.allow_writes`" in outside(md), md
            assert "pcrm settings set mcp.allow_writes true" in fenced(md)[0]
    assert _state() == before  # nothing written, nothing recorded


async def test_each_write_changes_the_store_and_is_recorded_with_its_tool(pending: Any, cli: Any) -> None:
    _allow(True)
    calls = _calls(pending)
    async with memory_session() as client:
        results = {tool: await client.call_tool(tool, args) for tool, args in calls.items()}
    for tool, r in results.items():
        assert not r.is_error, (tool, text_of(r))
    note = results["add_note"].structured_content
    logged = results["log_interaction"].structured_content
    assert (
        note["recorded_by"] == "mcp:add_note" and note["platform"] == "manual" and note["direction"] == "note"
    )
    assert logged["recorded_by"] == "mcp:log_interaction" and logged["direction"] == "inbound"
    assert logged["occurred_at"] == "2025-05-31T10:00:00.000Z"
    s1, s2, s3 = pending["suggestions"][:3]
    snoozed = results["snooze_suggestion"].structured_content
    assert snoozed["id"] == s3 and snoozed["status"] == "snoozed"
    # 14 days after the demo's now would outlive this birthday suggestion: it ends on the birthday's
    # morning [birthday-expiry]
    assert snoozed["scheduled_for"] == "2025-06-03T09:00:00.000Z"
    # the cap is said, not only applied, inside the fence (the note names the contact)
    said = text_of(results["snooze_suggestion"])
    assert any("Note:" in body and "birthday" in body for body in fenced(said)), said
    assert results["dismiss_suggestion"].structured_content["id"] == s2
    assert results["mark_suggestion_sent"].structured_content == {
        **results["mark_suggestion_sent"].structured_content,
        "id": s1,
        "status": "sent",
    }
    assert {"investor", "met-2025"} <= set(results["tag_contact"].structured_content["tags"])

    # the same rows the CLI shows: the timeline names who recorded the note, the log lists every write
    timeline = cli.json("interactions", "list", pending["contact"])["data"]
    by_id = {i["id"]: i for i in timeline}
    assert by_id[note["id"]]["extra_data"] == {"recorded_by": "mcp:add_note"}
    assert by_id[note["id"]]["content_preview"] == "Met at the conference; wants the deck."
    table = cli("interactions", "list", pending["contact"], "--format", "table").stdout
    assert "via" in table and "mcp:add_note" in table and "mcp:log_interaction" in table
    log = cli.json("mcp", "log")
    entries = {e["action"]: e for e in log["data"]}
    assert set(entries) == set(WRITE_TOOLS) and log["meta"]["total"] == 6
    assert entries["add_note"]["target_id"] == note["id"]
    assert entries["add_note"]["contact_id"] == pending["contact"]
    assert "text" not in entries["add_note"]["arguments"]  # the note keeps its own text
    assert entries["tag_contact"]["contact_id"] == pending["contact"]
    assert entries["tag_contact"]["arguments"]["tags"] == ["Investor", "met-2025"]
    assert entries["dismiss_suggestion"]["target_id"] == s2
    assert entries["snooze_suggestion"]["arguments"]["days"] == 14
    assert all(e["contact_id"] for e in log["data"])
    people = cli("mcp", "log").stdout
    assert "add_note" in people and "tag_contact" in people


async def test_the_setting_is_read_on_every_call(pending: Any) -> None:
    """Turning writes on or off takes effect in a running session: no agent restart."""
    note = {"contact": pending["contact"], "text": "first"}
    async with memory_session() as client:
        assert (await client.call_tool("add_note", note)).is_error
        _allow(True)
        assert not (await client.call_tool("add_note", note)).is_error
        _allow(False)
        assert (await client.call_tool("add_note", note)).is_error


async def test_a_refused_write_records_nothing(pending: Any) -> None:
    """A write the service refuses (unknown contact, bad platform) leaves no audit row behind."""
    _allow(True)
    async with memory_session() as client:
        r1 = await client.call_tool("add_note", {"contact": "nobody at all", "text": "x"})
        r2 = await client.call_tool("log_interaction", {"contact": pending["contact"], "platform": "pigeon"})
        r3 = await client.call_tool("snooze_suggestion", {"suggestion": pending["suggestions"][0]})
    assert r1.is_error and "`not_found`" in text_of(r1)
    assert r2.is_error and "`validation_error`" in text_of(r2)
    assert r3.is_error  # neither days nor until
    assert _state()["audit"] == []


async def test_log_interaction_refuses_notes_and_events_as_pcrm_log_does(pending: Any) -> None:
    """[notes-and-logs]: a logged interaction is inbound, outbound or mutual; a note is add_note's (the hint
    says so, in the agent's terms) and an event the sources'. Nothing is written or recorded."""
    _allow(True)
    before = _state()
    async with memory_session() as client:
        note = await client.call_tool(
            "log_interaction", {"contact": pending["contact"], "direction": "note", "text": "x"}
        )
        event = await client.call_tool(
            "log_interaction", {"contact": pending["contact"], "direction": "event"}
        )
    assert note.is_error and "`validation_error`" in text_of(note) and "add_note tool" in text_of(note)
    assert event.is_error and "syncs and imports" in text_of(event)
    assert "inbound, outbound, mutual" in text_of(event)
    assert _state() == before


def test_the_setting_is_in_the_registry_and_off_by_default(cli: Any) -> None:
    cli("init")  # a command that only reads makes no store [opening-the-store]
    shown = cli.json("settings", "show", "mcp")["data"]
    assert shown == {"mcp.allow_writes": False} or shown.get("mcp.allow_writes") is False
    cli("settings", "set", "mcp.allow_writes", "true")
    assert cli.json("mcp", "log")["meta"]["writes_allowed"] is True
    assert cli("settings", "set", "mcp.allow_writes", "maybe", ok=False).exit_code == 1


async def test_refusals_name_the_tools_own_arguments(pending: Any) -> None:
    """An agent that sent `text` or `at` is told about them, not the services' content_preview and
    occurred_at (search_contacts' and get_notifications' limit: tests/mcp/test_tools.py)."""
    _allow(True)
    ada = pending["contact"]
    async with memory_session() as client:
        long = await client.call_tool("add_note", {"contact": ada, "text": "x" * 10_001})
        when = await client.call_tool("log_interaction", {"contact": ada, "at": "whenever"})
    (body,) = fenced(text_of(long))
    assert long.is_error and body.startswith("text is longer than 10,000 characters")
    (body,) = fenced(text_of(when))
    assert when.is_error and body.startswith("at must be a date or time") and "occurred_at" not in body


async def test_a_refused_snooze_speaks_of_days_and_until_not_of_command_line_options(pending: Any) -> None:
    """snooze_suggestion answered in the command line's words: 'give either --days or --until' with the hint
    'e.g. pcrm suggestions snooze ID --days 14', and 'snooze_until must be in the future', though the tool's
    arguments are days and until and an agent cannot run pcrm."""
    _allow(True)
    sid = pending["suggestions"][0]
    async with memory_session() as client:
        both = await client.call_tool(
            "snooze_suggestion", {"suggestion": sid, "days": 3, "until": "tomorrow"}
        )
        past = await client.call_tool("snooze_suggestion", {"suggestion": sid, "until": "yesterday"})
        zero = await client.call_tool("snooze_suggestion", {"suggestion": sid, "days": 0})
    bodies = [fenced(text_of(r))[0] for r in (both, past, zero)]
    assert all(r.is_error for r in (both, past, zero))
    assert bodies[0].startswith("give either days or until\nhint: give days (from 1 to 3650) or until")
    assert bodies[1].startswith("until must be in the future\nhint: give days")
    assert bodies[2].startswith("days must be from 1 to 3650, not 0\nhint: give days")
    for body in bodies:
        assert "--" not in body and "pcrm suggestions" not in body and "snooze_until" not in body, body


async def test_a_suggestion_dismissed_twice_by_its_contacts_name_is_no_error(pending: dict[str, Any]) -> None:
    """[suggestion-status]: the tool named a suggestion by its contact only while it was open, so an agent
    dismissing twice by name got `not_found` where the same by id says nothing changed."""
    from pcrm.services import suggestions

    with _ctx() as ctx:
        one = suggestions.list_suggestions(ctx).data[0]
    name = one["contact"]["display_name"]
    _allow(True)
    async with memory_session() as client:
        first = await client.call_tool("dismiss_suggestion", {"suggestion": name})
        again = await client.call_tool("dismiss_suggestion", {"suggestion": name})
        by_id = await client.call_tool("dismiss_suggestion", {"suggestion": one["id"]})
    assert not first.is_error and not again.is_error and not by_id.is_error, text_of(again)
    assert again.structured_content == by_id.structured_content
    assert again.structured_content["id"] == one["id"] and again.structured_content["status"] == "dismissed"
