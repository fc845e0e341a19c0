"""The write tools [agent-writes]: listed always, refused (feature_disabled, naming the setting) until the
user runs `pcrm settings set mcp.allow_writes true`. The setting is read on every call, so turning it on
or off takes effect at once, without restarting the agent.

Each one goes through services.audit.agent_write, which checks the setting, calls the same service
function as the CLI, and records the write in the audit log with the tool's name (`pcrm mcp log`);
notes and logged interactions also carry `recorded_by: mcp:<tool>` on the timeline itself.
"""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult, ToolAnnotations
from pydantic import Field

from pcrm.mcp import schemas as s
from pcrm.mcp import shapes
from pcrm.mcp.lane import Arg, Call, Lane, Render, call
from pcrm.mcp.tools import UNTRUSTED, ContactRef, whole
from pcrm.services import audit, contacts, interactions, suggestions
from pcrm.services.context import Context, Result

ADDS = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=False
)
SETS = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)
GATE = (
    " Changes the user's CRM: refused unless the user has run `pcrm settings set mcp.allow_writes true`. "
    "Recorded with this tool's name (`pcrm mcp log`)."
)

SuggestionRef = Annotated[
    str, Field(description="The suggestion's id (from get_suggestions) or a unique prefix.")
]
# the services' names of the write tools' arguments, for their errors
WRITE_ARGS = {"content_preview": Arg("text"), "occurred_at": Arg("at")}
_DAYS = suggestions.SNOOZE_DAYS
_SNOOZE_HINT = (
    f"give days (from {_DAYS.lo} to {_DAYS.hi}) or until (a later date or time: 2026-12-24, "
    "2026-12-24T09:00, tomorrow 09:00, in 3 days), not both"
)
# the snooze service is the CLI's (`--days`, `--until`, and examples of the command): in the tool's words
SNOOZE_ARGS = {"snooze_until": Arg("until", _SNOOZE_HINT), "days": Arg("days", _SNOOZE_HINT)}
When = Annotated[
    str | None,
    Field(
        description="When it happened: 2026-03-14, 2026-03-14T09:30, yesterday, monday, last friday 18:00, "
        "3d ago (default now)."
    ),
]


def register(server: MCPServer, lane: Lane) -> None:
    """Add the write tools to `server`, writing through `lane`."""

    async def write(
        tool: str, arguments: dict[str, Any], do: Call, render: Render, args: dict[str, Arg] = WRITE_ARGS
    ) -> CallToolResult:
        def fn(ctx: Context) -> Result:
            return audit.agent_write(ctx, tool, arguments, do)

        return await call(lane, fn, render, args=args)

    @server.tool(name="add_note", annotations=ADDS, description=_doc("add_note"))
    async def add_note(
        contact: ContactRef,
        text: Annotated[str, Field(description="The note, as the user would write it.")],
        at: When = None,
    ) -> Annotated[CallToolResult, s.Interaction]:
        def do(ctx: Context) -> Result:
            cid = contacts.resolve_ref(ctx, contact)
            return interactions.add_note(ctx, cid, text, at=at, recorded_by="mcp:add_note")

        # the note keeps its text; the audit record need not copy it
        return await write("add_note", {"contact": contact, "at": at}, do, shapes.one_interaction)

    @server.tool(name="log_interaction", annotations=ADDS, description=_doc("log_interaction"))
    async def log_interaction(
        contact: ContactRef,
        platform: Annotated[
            str | None, Field(description="call (default), meeting, email, telegram, whatsapp, sms, ...")
        ] = None,
        direction: Annotated[
            str | None,
            Field(description="inbound (they reached out), outbound (the user did), mutual (default)."),
        ] = None,
        text: Annotated[str | None, Field(description="What was said, briefly (optional).")] = None,
        at: When = None,
    ) -> Annotated[CallToolResult, s.Interaction]:
        data = {
            "platform": platform or "call",
            "direction": direction or "mutual",
            "content_preview": text,
            "occurred_at": at,
        }

        def do(ctx: Context) -> Result:
            cid = contacts.resolve_ref(ctx, contact)
            return interactions.log_interaction(
                ctx, cid, data, recorded_by="mcp:log_interaction", note_with="the add_note tool"
            )

        asked = {"contact": contact, "platform": data["platform"], "direction": data["direction"], "at": at}
        return await write("log_interaction", asked, do, shapes.one_interaction)

    @server.tool(name="snooze_suggestion", annotations=SETS, description=_doc("snooze_suggestion"))
    async def snooze_suggestion(
        suggestion: SuggestionRef,
        days: Annotated[
            Annotated[int, whole(suggestions.SNOOZE_DAYS)] | None,
            Field(description="Snooze for this many days (give days or until)."),
        ] = None,
        until: Annotated[str | None, Field(description="Or until this date or time.")] = None,
    ) -> Annotated[CallToolResult, s.Suggestion]:
        def do(ctx: Context) -> Result:
            return suggestions.snooze(
                ctx, suggestions.resolve_ref(ctx, suggestion, done="snoozed"), days=days, until=until
            )

        asked = {"suggestion": suggestion, "days": days, "until": until}
        return await write("snooze_suggestion", asked, do, shapes.one_suggestion, SNOOZE_ARGS)

    @server.tool(name="dismiss_suggestion", annotations=SETS, description=_doc("dismiss_suggestion"))
    async def dismiss_suggestion(suggestion: SuggestionRef) -> Annotated[CallToolResult, s.Suggestion]:
        def do(ctx: Context) -> Result:
            sid = suggestions.resolve_ref(ctx, suggestion, done="dismissed")
            return suggestions.update_suggestion(ctx, sid, {"status": "dismissed"})

        return await write("dismiss_suggestion", {"suggestion": suggestion}, do, shapes.one_suggestion)

    @server.tool(name="mark_suggestion_sent", annotations=SETS, description=_doc("mark_suggestion_sent"))
    async def mark_suggestion_sent(suggestion: SuggestionRef) -> Annotated[CallToolResult, s.Suggestion]:
        def do(ctx: Context) -> Result:
            sid = suggestions.resolve_ref(ctx, suggestion, done="sent")
            return suggestions.update_suggestion(ctx, sid, {"status": "sent"})

        return await write("mark_suggestion_sent", {"suggestion": suggestion}, do, shapes.one_suggestion)

    @server.tool(name="tag_contact", annotations=SETS, description=_doc("tag_contact"))
    async def tag_contact(
        contact: ContactRef,
        tags: Annotated[list[str], Field(description="Tags to add (kept lowercase); existing ones stay.")],
    ) -> Annotated[CallToolResult, s.Tagged]:
        def do(ctx: Context) -> Result:
            return contacts.tag_contact(ctx, contacts.resolve_ref(ctx, contact), list(tags))

        return await write("tag_contact", {"contact": contact, "tags": list(tags)}, do, shapes.tagged)


_DOCS: dict[str, str] = {
    "add_note": "Add a note to a contact's timeline (it counts as activity), marked as recorded by "
    "mcp:add_note.",
    "log_interaction": "Log an interaction that happened outside pcrm (a call, a meeting, a message sent "
    "elsewhere) on a contact's timeline, marked as recorded by mcp:log_interaction. Inbound, outbound or "
    "mutual only: a note goes through add_note.",
    "snooze_suggestion": "Hide a pending suggestion until later (give days or until); it comes back "
    "by itself.",
    "dismiss_suggestion": "Dismiss a suggestion: that person is not suggested again for 30 days.",
    "mark_suggestion_sent": "Mark a suggestion as done (the message was sent): records the follow-up and "
    "pauses suggestions for that person for 14 days.",
    "tag_contact": "Add tags to a contact (existing tags stay).",
}


def _doc(name: str) -> str:
    return _DOCS[name] + GATE + UNTRUSTED


def tool_names() -> tuple[str, ...]:
    return tuple(_DOCS)
