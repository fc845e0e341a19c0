"""Writes by AI agents [agent-writes]: allowed only when the user turned them on, and each one recorded.

An agent talking to the MCP server may add notes, log interactions, tag contacts and act on suggestions,
but only once the user ran `pcrm settings set mcp.allow_writes true`. Every such write runs through
`agent_write`, which checks the setting and, in the same transaction as the write, appends an
`audit_log` row naming the tool, so `pcrm mcp log` lists what agents changed and a crash never leaves a
write without its record (or a record without its write).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pcrm.domain.query import parse_limit_offset
from pcrm.errors import FeatureDisabled
from pcrm.services.context import Context, Result
from pcrm.store import audit as store
from pcrm.store.db import write

AGENT = "mcp"  # the actor of writes that came through the MCP server
SETTING = "mcp.allow_writes"


def writes_allowed(ctx: Context) -> bool:
    return bool(ctx.setting(SETTING))


def require_writes(ctx: Context, tool: str) -> None:
    """feature_disabled (409) unless the user let agents write; the hint is the command that does."""
    if not writes_allowed(ctx):
        raise FeatureDisabled(
            f"{tool} changes your CRM, and AI agents may not change it: the {SETTING} setting is off",
            hint=f"to let agents write, run `pcrm settings set {SETTING} true`",
            details={"setting": SETTING, "tool": tool},
        )


def agent_write(
    ctx: Context, tool: str, arguments: Mapping[str, Any], do: Callable[[Context], Result]
) -> Result:
    """Run `do(ctx)` (one service call and the references it resolves) for the MCP tool `tool`; record it
    when it changed something (a service answers meta `unchanged` when it did not).

    arguments: what the agent asked for, as recorded (the tool leaves out free text such as a note's body,
    which the row it wrote keeps anyway). The record names the row written (`target_id`) and the contact it
    concerns: the `contact_id` of an interaction or suggestion, or the contact itself."""
    require_writes(ctx, tool)
    with write(ctx.conn):
        result = do(ctx)
        if result.meta.get("unchanged"):
            # asked for what already was (a tag it has, a suggestion dismissed already): no change, so no
            # record; the answer says so [agent-writes] [no-op-edits]
            return result
        data = result.data if isinstance(result.data, dict) else {}
        contact = data.get("contact_id") if "contact_id" in data else data.get("id")
        store.insert(
            ctx.conn,
            at=ctx.now_iso(),
            actor=AGENT,
            action=tool,
            target_id=data.get("id"),
            contact_id=contact,
            arguments=arguments,
        )
    return result


def list_log(ctx: Context, *, limit: Any = None, offset: Any = None) -> Result:
    """`pcrm mcp log`: the writes agents made, newest first; limit/offset paging (50 / 200)."""
    lim, off = parse_limit_offset(limit, offset, default=50, hi=200)
    items, total = store.page(ctx.conn, actor=AGENT, limit=lim, offset=off)
    return Result(items, {"total": total, "limit": lim, "offset": off, "writes_allowed": writes_allowed(ctx)})
