"""`pcrm mcp config`: what a desktop agent needs in its MCP configuration to reach this pcrm [mcp-server].

Two ways in: stdio, where the agent starts this installation's pcrm itself (the interpreter that runs
this code, with `-m pcrm`, so no PATH lookup can pick another pcrm; PCRM_HOME pinned to this store), and
HTTP through the daemon's `/mcp`, with the MCP key as a bearer token. The key is never printed (it is
shown once, by `pcrm mcp-key create`): the snippet carries a placeholder to replace.
"""

from __future__ import annotations

import sys
from typing import Any

from pcrm import paths
from pcrm.daemon import runstate
from pcrm.daemon.server import running
from pcrm.services import tokens
from pcrm.services.context import Context, Result

SERVER_NAME = "pcrm"
KEY_PLACEHOLDER = "PASTE_YOUR_MCP_KEY_HERE"
DEFAULT_PORT = 8765


def desktop_config(ctx: Context, *, port: int | None = None) -> Result:
    """{stdio, http}: each an `mcpServers` object to merge into the agent's config file."""
    live = running()
    if port is not None:
        url = runstate.url_for("127.0.0.1", port)
    elif live:
        url = str(live["url"])
    else:
        url = runstate.url_for("127.0.0.1", DEFAULT_PORT)
    stdio: dict[str, Any] = {
        "command": sys.executable,
        "args": ["-m", "pcrm", "mcp"],
        "env": {"PCRM_HOME": str(paths.home().resolve())},
    }
    http: dict[str, Any] = {
        "type": "http",
        "url": url + "/mcp",
        "headers": {"Authorization": f"Bearer {KEY_PLACEHOLDER}"},
    }
    has_key = bool(tokens.mcp_key_status(ctx).data["has_key"])
    meta = {
        "daemon_running": live is not None,
        "has_mcp_key": has_key,
        "writes_allowed": bool(ctx.setting("mcp.allow_writes")),
        "key_placeholder": KEY_PLACEHOLDER,
    }
    return Result(
        {"stdio": {"mcpServers": {SERVER_NAME: stdio}}, "http": {"mcpServers": {SERVER_NAME: http}}}, meta
    )
