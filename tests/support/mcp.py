"""Helpers for the MCP tests: sessions of the SDK's own client (in memory, over HTTP through an ASGI app)
and readers of what a tool answers."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from typing import Any

READ_TOOLS = (
    "search_contacts",
    "get_contact",
    "get_interactions",
    "get_suggestions",
    "get_notifications",
    "get_dashboard_stats",
    "get_overdue",
    "get_birthdays",
    "explain_score",
    "find_duplicates",
)
WRITE_TOOLS = (
    "add_note",
    "log_interaction",
    "snooze_suggestion",
    "dismiss_suggestion",
    "mark_suggestion_sent",
    "tag_contact",
)
# tools/call (and the other methods) with params that do not fit: what each answer says
WRONG_PARAMS = [
    ("tools/call", {}, "tools/call needs params.name (a string: the tool's name, as tools/list gives it)"),
    (
        "tools/call",
        None,
        "tools/call needs params: an object with name (a string: the tool's name, as tools/list gives it)",
    ),
    (
        "tools/call",
        {"name": 5},
        "params.name of tools/call must be a string (the tool's name, as tools/list gives it), not 5",
    ),
    (
        "tools/call",
        {"name": "search_contacts", "arguments": "Ada"},
        'params.arguments of tools/call must be an object (the tool\'s arguments by name), not "Ada"',
    ),
    (
        "tools/call",
        {"name": "search_contacts", "args": {"query": "Ada"}},
        (
            "tools/call has no params.args; the tool's arguments go in params.arguments (an object of "
            "the tool's arguments by name)"
        ),
    ),
    ("tools/list", {"cursor": 5}, "params.cursor of tools/list must be a string, not 5"),
    (
        "logging/setLevel",
        {"level": "loud"},
        (
            'params.level of logging/setLevel must be one of "debug", "info", "notice", "warning", '
            '"error", "critical", "alert" or "emergency", not "loud"'
        ),
    ),
]
FENCE = re.compile(r"<(untrusted-data-[0-9a-f]{8})>\n(.*?)\n</\1>", re.DOTALL)


@contextlib.asynccontextmanager
async def memory_session(path: Any = None) -> AsyncIterator[Any]:
    """The SDK's client connected in memory to pcrm's server over the store at `path` (PCRM_HOME's)."""
    from mcp import Client

    from pcrm.mcp.lane import LocalLane
    from pcrm.mcp.server import build_server

    lane = LocalLane(path)
    try:
        async with Client(build_server(lane)) as client:
            yield client
    finally:
        lane.close()


@contextlib.asynccontextmanager
async def http_session(app: Any, key: str | None, *, mode: str = "auto") -> AsyncIterator[Any]:
    """The SDK's client on http://127.0.0.1/mcp of an ASGI app (its lifespan already running)."""
    import httpx2
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    headers = {"Authorization": f"Bearer {key}"} if key else {}
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=app), base_url="http://127.0.0.1", headers=headers
    ) as http:
        transport = streamable_http_client("http://127.0.0.1/mcp", http_client=http)
        async with Client(transport, mode=mode) as client:  # type: ignore[arg-type]
            yield client


def text_of(result: Any) -> str:
    (block,) = result.content
    assert block.type == "text"
    return str(block.text)


def fenced(markdown: str) -> list[str]:
    """The bodies of the untrusted-data fences of a tool's text."""
    return [m.group(2) for m in FENCE.finditer(markdown)]


def outside(markdown: str) -> str:
    """A tool's text without its fenced bodies: what pcrm itself says."""
    return FENCE.sub("<fence>", markdown)


def untrusted_paths(schema: dict[str, Any], prefix: str = "", root: dict[str, Any] | None = None) -> set[str]:
    """Dotted paths of the fields an output schema marks x-untrusted (`[]` for list items, `{}` for map
    values), following its `$ref`s."""
    root = root if root is not None else schema
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    found: set[str] = set()
    if schema.get("x-untrusted"):
        found.add(prefix)
    for key, sub in (schema.get("properties") or {}).items():
        found |= untrusted_paths(sub, f"{prefix}.{key}" if prefix else key, root)
    if isinstance(schema.get("items"), dict):
        found |= untrusted_paths(schema["items"], prefix + "[]", root)
    if isinstance(schema.get("additionalProperties"), dict):
        found |= untrusted_paths(schema["additionalProperties"], prefix + "{}", root)
    for key in ("anyOf", "allOf", "oneOf"):
        for sub in schema.get(key) or ():
            found |= untrusted_paths(sub, prefix, root)
    return found
