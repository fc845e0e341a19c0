"""`pcrm mcp`: the MCP server on stdio for desktop agents; `pcrm mcp config`, `pcrm mcp log` [mcp-server].

The MCP SDK (about half a second to import) loads only when `pcrm mcp` itself runs the server: `pcrm mcp
config`, `pcrm mcp log` and `pcrm mcp --help` never import it.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, err, fail, moment, page_footer, run
from pcrm.cli._table import Col
from pcrm.daemon.mcp_config import desktop_config
from pcrm.errors import PcrmError
from pcrm.services import audit

app = typer.Typer()  # help: the callback's docstring


@app.callback(invoke_without_command=True)
def main(ctx: typer.Context) -> None:
    """The MCP server for AI agents: serve it on stdio, print an agent's config, list agents' writes.

    `pcrm mcp` alone serves this store over stdin/stdout until the agent closes it; desktop agents start
    it themselves (`pcrm mcp config` prints what to put in their config). Read tools always; write tools
    once you run `pcrm settings set mcp.allow_writes true`. Over HTTP, `pcrm serve` answers at /mcp with
    the MCP key (`pcrm mcp-key create`).

    Example: pcrm mcp config
    """
    if ctx.invoked_subcommand is not None:
        return
    from pcrm.mcp.server import run_stdio  # the SDK: only here

    try:
        run_stdio()
    except PcrmError as e:
        fail(e)


@app.command("config")
def config(
    http: Annotated[
        bool, typer.Option("--http", help="The daemon's HTTP endpoint instead of stdio (needs the MCP key).")
    ] = False,
    port: Annotated[
        int | None,
        typer.Option(min=1, max=65535, help="The daemon's port (default: the running one, or 8765)."),
    ] = None,
    json_out: o.Json = False,
) -> None:
    """Print the JSON a desktop agent's MCP config needs to reach this pcrm (merge it into the config).

    Without --http: the stdio server, started by the agent (this installation, this PCRM_HOME). With
    --http: the daemon's /mcp endpoint; replace the placeholder with a key from `pcrm mcp-key create`.
    --json prints both in the envelope.

    Example: pcrm mcp config > pcrm-mcp.json
    """

    def render(result: Any) -> None:
        import json

        # indented: people paste this into a config file (--json gives the canonical envelope)
        sys.stdout.write(json.dumps(result.data["http" if http else "stdio"], indent=2) + "\n")
        meta = result.meta
        notes = []
        if http:
            if not meta["has_mcp_key"]:
                notes.append("no MCP key yet: create one with `pcrm mcp-key create`")
            notes.append(f"replace {meta['key_placeholder']} with your MCP key")
            if not meta["daemon_running"]:
                notes.append(
                    "the daemon is not running: start it with `pcrm serve` (or `pcrm daemon install`)"
                )
        else:
            notes.append("for the daemon's HTTP endpoint instead: pcrm mcp config --http")
        if not meta["writes_allowed"]:
            notes.append("agents can read only; to let them write: pcrm settings set mcp.allow_writes true")
        for n in notes:
            err().print(f"[dim]{n}[/]", soft_wrap=True)

    run(Opts(json_out, render=render), desktop_config, port=port)


def _args(e: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in e["arguments"].items() if v is not None)


# one line a write; full ids and arguments in a pipe [readable-tables]
LOG_COLS = (
    Col("when", lambda e: moment(e["occurred_at"]), keep=9),
    Col("tool", lambda e: e["action"], keep=9),
    Col("contact", lambda e: e["contact_id"] or "-", keep=7, short=lambda e: (e["contact_id"] or "-")[:8]),
    Col("target", lambda e: e["target_id"] or "-", keep=4, short=lambda e: (e["target_id"] or "-")[:8]),
    Col("arguments", _args, keep=6, flex=True, least=16, most=100),
)


@app.command("log")
def log(
    limit: o.Limit = None,
    offset: o.Offset = None,
    fmt: o.Format = None,
    fields: o.Fields = None,
    no_pager: o.NoPager = False,
    json_out: o.Json = False,
    nl: o.Nl = False,
) -> None:
    """List the writes AI agents made through MCP, newest first: the tool, when, and what it changed
    (--format, --fields).

    Example: pcrm mcp log --limit 20
    """
    from dataclasses import replace

    from pcrm.cli._render import list_opts
    from pcrm.cli._table import nothing, pick, print_rows, resolve_format

    opts = list_opts(LOG_COLS, fmt, fields, json_out, nl)  # a bad --format or --fields fails here
    resolved = resolve_format(fmt, json_out, nl)[0]
    chosen = pick(LOG_COLS, fields)

    def render(result: Any) -> None:
        if not result.data and not result.meta["total"]:
            state = (
                "allowed"
                if result.meta["writes_allowed"]
                else "off (pcrm settings set mcp.allow_writes true)"
            )
            nothing(f"no writes by agents yet; agent writes are {state}", resolved)
            return
        # rows, or an offset past the end (the footer says so)
        print_rows(result.data, chosen, resolved, empty=None, pager=not no_pager, asked=fields is not None)
        page_footer(result.meta, len(result.data))

    run(replace(opts, render=render), audit.list_log, limit=limit, offset=offset)
