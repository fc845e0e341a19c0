"""`pcrm mcp-key status|create|revoke`: the key MCP clients use over HTTP [opaque-tokens]."""

from __future__ import annotations

from typing import Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, confirm, err, out, run, when
from pcrm.services import tokens

app = typer.Typer(help="The MCP API key: status, create, revoke.", no_args_is_help=True)


@app.command("status")
def status(json_out: o.Json = False) -> None:
    """Show whether an MCP key exists (never the key itself).

    Example: pcrm mcp-key status
    """

    def render(r: Any) -> None:
        d = r.data
        out().print(
            f"an MCP key exists (created {when(d['created_at'])}, last used {when(d['last_used_at'])})"
            if d["has_key"]
            else "no MCP key; create one with `pcrm mcp-key create`"
        )

    run(Opts(json_out, render=render), tokens.mcp_key_status)


@app.command("create")
def create(json_out: o.Json = False) -> None:
    """Create a new MCP key, shown once; it replaces any existing key.

    Example: pcrm mcp-key create
    """

    def render(r: Any) -> None:
        import sys

        sys.stdout.write(r.data["key"] + "\n")
        err().print("the key is shown only now; an older key no longer works")

    run(Opts(json_out, render=render), tokens.mcp_key_create)


@app.command("revoke")
def revoke(yes: o.Yes = False, json_out: o.Json = False) -> None:
    """Revoke the MCP key (asks first; --yes when not at a terminal).

    Example: pcrm mcp-key revoke --yes
    """

    def render(r: Any) -> None:
        out().print("revoked the MCP key" if r.data["revoked"] else "there was no MCP key")

    def call(ctx: Any) -> Any:
        if tokens.mcp_key_status(ctx).data["has_key"]:  # nothing to ask about when there is no key
            confirm(yes, "Revoke the MCP key? Agents using it get 401 from now on.")
        return tokens.mcp_key_revoke(ctx)

    run(Opts(json_out, render=render), call)
