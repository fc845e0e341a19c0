"""`pcrm daemon status|stop`: the daemon started by `pcrm serve` for this PCRM_HOME."""

from __future__ import annotations

from typing import Any

import typer

from pcrm.cli import _options as o

app = typer.Typer(help="The background API daemon: status, stop.", no_args_is_help=True)


def _render_status(result: Any) -> None:
    from pcrm.cli._output import out

    d = result.data
    if d["running"]:
        out().print(f"running: pid {d['pid']}, {d['url']} (since {d['started_at']})")
    else:
        out().print("not running" + (" (removed a stale run file)" if result.meta.get("stale_state_removed") else ""))


@app.command("status")
def status(json_out: o.Json = False) -> None:
    """Show whether the daemon runs, its pid and URL.

    Example: pcrm daemon status --json
    """
    from pcrm.cli._output import emit
    from pcrm.daemon.server import status as daemon_status

    emit(daemon_status(), json_out=json_out, render=_render_status)


@app.command("stop")
def stop(json_out: o.Json = False) -> None:
    """Stop the daemon cleanly (it finishes the request in hand first).

    Example: pcrm daemon stop
    """
    from pcrm.cli._output import emit, fail, out
    from pcrm.daemon.server import stop as daemon_stop
    from pcrm.errors import PcrmError

    try:
        result = daemon_stop()
    except PcrmError as e:
        fail(e, json_out)
        return

    def render(r: Any) -> None:
        out().print(f"stopped the daemon (pid {r.data['pid']})" if r.data["stopped"] else "no daemon was running")

    emit(result, json_out=json_out, render=render)
