"""MCP write tools say what the CLI says and record only real changes [agent-writes] [no-op-edits].
`tag_contact` with a tag the contact had, twice, was logged twice in `pcrm mcp log` (the CLI: "already has tag
investor; nothing to change"); `dismiss_suggestion` twice answered "is now dismissed" the second time and
logged again (the CLI: "was already dismissed; nothing to change"); `add_note` at 2099-01-01 gave no warning
where `pcrm note add --at 2099-01-01` says "kept as planned"."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.mcp import fenced, memory_session, outside, text_of

pytestmark = pytest.mark.anyio


def _allow() -> None:
    from pcrm.services import settings
    from pcrm.services.context import open_context

    with open_context() as ctx:
        settings.set_setting(ctx, "mcp.allow_writes", True)


def _logged(cli: Any) -> list[str]:
    return [e["action"] for e in cli.json("mcp", "log")["data"]]


async def test_a_write_that_changes_nothing_says_so_and_is_not_logged(demo: dict[str, Any], cli: Any) -> None:
    from pcrm.services import suggestions
    from pcrm.services.context import open_context

    with open_context() as ctx:
        s1, s2 = [s["id"] for s in suggestions.generate(ctx).data][:2]
    _allow()
    who = demo["contact"]
    async with memory_session() as client:
        said = []
        for tool, args in (
            ("tag_contact", {"contact": who, "tags": ["Investor"]}),
            ("tag_contact", {"contact": who, "tags": ["investor"]}),
            ("dismiss_suggestion", {"suggestion": s1}),
            ("dismiss_suggestion", {"suggestion": s1}),
            ("mark_suggestion_sent", {"suggestion": s2}),
            ("mark_suggestion_sent", {"suggestion": s2}),
        ):
            r = await client.call_tool(tool, args)
            assert not r.is_error, (tool, text_of(r))
            said.append(outside(text_of(r)))
    assert "now has these tags" in said[0] and "nothing to change" not in said[0]
    assert "already has every tag asked for; nothing to change" in said[1], said[1]
    assert f"Suggestion `{s1}` is now dismissed." in said[2]
    assert f"Suggestion `{s1}` was already dismissed; nothing to change." in said[3], said[3]
    assert f"Suggestion `{s2}` was already marked sent; nothing to change." in said[5], said[5]
    # one record for each real change, none for the repeats
    assert sorted(_logged(cli)) == ["dismiss_suggestion", "mark_suggestion_sent", "tag_contact"]
    # the CLI says the same of the same repeats
    assert "already has tag investor; nothing to change" in cli("contacts", "tag", who, "investor").stderr
    assert "was already dismissed; nothing to change" in cli("suggestions", "dismiss", s1).stderr


async def test_a_note_far_ahead_is_kept_as_planned_and_said(demo: dict[str, Any], cli: Any) -> None:
    _allow()
    async with memory_session() as client:
        r = await client.call_tool(
            "add_note", {"contact": demo["contact"], "text": "plan the offsite", "at": "2099-01-01"}
        )
    md = text_of(r)
    assert not r.is_error, md
    note = next(line for line in outside(md).splitlines() if line.startswith("Note: "))
    assert "2099-01-01 00:00 is" in note and "kept as planned" in note, md
    assert not any("kept as planned" in body for body in fenced(md))  # pcrm's own words, outside the fence
    said = cli("note", "add", demo["contact"], "plan the offsite", "--at", "2099-01-01").stderr
    assert note.removeprefix("Note: ") in " ".join(said.split()), said
    assert _logged(cli) == ["add_note"]
