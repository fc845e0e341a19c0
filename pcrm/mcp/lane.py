"""Where a tool's service call runs, and how its answer or error becomes an MCP tool result.

The store has one writer per process [mcp-server]. Behind the daemon's `/mcp`, tools use the daemon's
own Runtime (pcrm/api/runtime.py): reads in its pool of query-only connections, everything else in its one
worker lane, like every API request. Behind `pcrm mcp` (stdio), `LocalLane` is that process's single
writer: one connection, one worker thread, calls one at a time. Each call gets a fresh Context, so a
setting the user changed meanwhile (`mcp.allow_writes`) is read again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from mcp_types import CallToolResult, TextContent

from pcrm import paths
from pcrm.errors import NotFound, PcrmError
from pcrm.mcp import text
from pcrm.services.context import Context, Result, budgeted, open_context

Call = Callable[[Context], Result]
Render = Callable[[Result], tuple[str, dict[str, Any]]]


class Lane(Protocol):
    """What the tools need of a store: the daemon's Runtime has exactly these two."""

    async def run(self, fn: Callable[[Context], Any]) -> Any:
        """fn(ctx) where writes go, one call at a time."""

    async def read(self, fn: Callable[[Context], Any]) -> tuple[bool, Any]:
        """(True, fn(ctx)) when answered as a pure read; (False, None) to use run()."""


def _on_stderr(line: str) -> None:
    """[migration-notice]: stdout is the MCP protocol's; the agent's client logs what stderr says."""
    import sys

    sys.stderr.write(line + "\n")
    sys.stderr.flush()


class LocalLane:
    """The store of one `pcrm mcp` process."""

    def __init__(self, path: Path | str | None = None) -> None:
        # [mcp-server]: an agent's config names the store by PCRM_HOME; a mistyped one must not be a new,
        # empty store that the agent then reports as an empty CRM
        p = Path(path) if path is not None else paths.db_path()
        if not p.exists():
            raise NotFound(
                f"no pcrm store at {p}: `pcrm mcp` serves an existing store and does not create one",
                hint="check PCRM_HOME in the agent's config (`pcrm paths` shows where pcrm looks, "
                "`pcrm mcp config` prints the config for a store), or create the store with `pcrm init`",
                details={"path": str(p)},
            )
        ctx = open_context(p, create=False, remember=True, notice=_on_stderr)
        self.conn, self.path = ctx.conn, ctx.path
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pcrm-mcp-store")

    async def run(self, fn: Callable[[Context], Any]) -> Any:
        import asyncio

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._worker, lambda: fn(Context(conn=self.conn, path=self.path)))

    async def read(self, fn: Callable[[Context], Any]) -> tuple[bool, Any]:
        # one agent per process: nothing to gain from a second connection
        return False, None

    def close(self) -> None:
        self._worker.shutdown(wait=True)
        self.conn.close()


class Arg(NamedTuple):
    """A tool argument that reaches its service under another name (`limit` is the service's `page_size`):
    its name, and the hint to give instead of the service's when that one does not fit the tool (the
    service's page_size hint speaks of pages, which the tool has none of)."""

    name: str
    hint: str | None = None


def in_tool_words(e: PcrmError, args: Mapping[str, Arg]) -> tuple[str, str | None]:
    """The error's message and hint naming the tool's own arguments: an agent that sent `limit` is told
    about `limit`, not the service's `page_size`. Only fields the error names (details.fields) are renamed,
    and only as whole words, so quoted contact text stays as it is."""
    named = {f.get("field") for f in e.details.get("fields", []) if isinstance(f, dict)}
    hit = {field: arg for field, arg in args.items() if field in named}
    if not hit:
        return e.message, e.hint
    words = re.compile(r"\b(" + "|".join(re.escape(field) for field in hit) + r")\b")
    # a service written for the CLI may name its options (`--days`): the tool's argument has no dashes
    flags = re.compile(r"(?<![\w-])--(" + "|".join(re.escape(a.name) for a in args.values()) + r")\b")

    def rename(text: str) -> str:
        return flags.sub(r"\1", words.sub(lambda m: hit[m.group(1)].name, text))

    hint = next((a.hint for a in hit.values() if a.hint), None) or e.hint
    return rename(e.message), rename(hint) if hint else None


def failure(e: PcrmError, args: Mapping[str, Arg] | None = None) -> CallToolResult:
    """A service's refusal as a tool error the agent can act on, in terms of the tool's own arguments
    (`args`: the service's field -> the tool's argument). pcrm's messages may quote contact data (an
    ambiguous name lists the candidates), so message and hint go inside the fence."""
    message, hint = in_tool_words(e, args or {})
    body = f"{message}\nhint: {hint}" if hint else message
    setting = e.details.get("setting")
    about = f" (the `{setting}` setting)" if setting else ""
    md = text.answer(f"**error** `{e.code}`{about}: pcrm did not do it.", text.clean(body))
    return CallToolResult(content=[TextContent(type="text", text=md)], is_error=True)


async def call(
    lane: Lane, fn: Call, render: Render, *, read: bool = False, args: Mapping[str, Arg] | None = None
) -> CallToolResult:
    """Run fn(ctx) on the lane (a read first tries the read path), then render its Result as Markdown and
    structured content; a PcrmError becomes an error result naming the tool's arguments (`args`, see
    `failure`), anything else is the SDK's to report."""
    try:
        if read:
            fn = budgeted(fn)  # [read-budget]
            done, result = await lane.read(fn)
            if not done:
                result = await lane.run(fn)
        else:
            result = await lane.run(fn)
    except PcrmError as e:
        return failure(e, args)
    md, data = render(result)
    return CallToolResult(content=[TextContent(type="text", text=md)], structured_content=data)
