"""An empty suggestion reference is refused as one [suggestion-refs]: `pcrm suggestions sent ""` (and MCP's
mark_suggestion_sent {"suggestion": ""}) answered "empty contact reference", with the contact's hint."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.mcp import memory_session, outside, text_of

SAYS = "empty suggestion reference"
HINT = "give a suggestion id (or 4+ characters of it) or the name of a contact with a suggestion"


@pytest.mark.parametrize("blank", ["", "   "])
@pytest.mark.parametrize(
    "command", [("sent",), ("dismiss",), ("reopen",), ("snooze", "--days", "3"), ("regenerate",)], ids=str
)
def test_the_cli_says_an_empty_suggestion_reference(crm: Any, command: tuple[str, ...], blank: str) -> None:
    err = crm.rejects("suggestions", command[0], blank, *command[1:], code="validation_error", says=SAYS)
    assert HINT in err["hint"] and "contact reference" not in err["message"], err


@pytest.mark.anyio
async def test_mcp_says_an_empty_suggestion_reference(demo: Any) -> None:
    from pcrm.services import settings
    from pcrm.services.context import open_context

    with open_context() as ctx:
        settings.set_setting(ctx, "mcp.allow_writes", True)
    async with memory_session() as client:
        for tool, args in (
            ("mark_suggestion_sent", {"suggestion": ""}),
            ("dismiss_suggestion", {"suggestion": " "}),
            ("snooze_suggestion", {"suggestion": "", "days": 3}),
        ):
            r = await client.call_tool(tool, args)
            said = text_of(r)
            assert r.is_error, (tool, said)
            assert SAYS in said and HINT in said and "contact reference" not in said, (tool, said)
            assert "contact reference" not in outside(said)
