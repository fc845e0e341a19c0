"""`pcrm daemon status|stop|install|uninstall`: the daemon started by `pcrm serve` for this PCRM_HOME."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import emit, err, fail, moment, out
from pcrm.daemon.install import install as install_unit
from pcrm.daemon.install import uninstall as uninstall_unit
from pcrm.daemon.server import status as daemon_status
from pcrm.daemon.server import stop as daemon_stop
from pcrm.errors import PcrmError

app = typer.Typer(
    help="The background API daemon: status, stop, install at login, uninstall.", no_args_is_help=True
)


def _render_status(result: Any) -> None:
    d = result.data
    stopping = d.get("stopping")
    if stopping is not None:  # [daemon-stop]: it lets the syncs it runs end their batch
        said = f"stopping (pid {d['pid']})"
        names = " and ".join(s["label"] for s in stopping["syncs"])
        if names:
            left = stopping["seconds_left"]
            said += f": waiting for the {names} sync to finish the batch it is writing" + (
                f" (up to {left} s more)" if left is not None else ""
            )
            said += "; `pcrm daemon stop` stops it at once"
        out().print(said, markup=False, highlight=False, soft_wrap=True)
    elif d["running"]:
        out().print(f"running: pid {d['pid']}, {d['url']} (since {moment(d['started_at'])})", highlight=False)
    else:
        out().print(
            "not running" + (" (removed a stale run file)" if result.meta.get("stale_state_removed") else "")
        )
    if result.meta.get("service"):
        out().print(
            f"starts at login: {result.meta['service']} (`pcrm daemon uninstall` removes it)",
            highlight=False,
            soft_wrap=True,
        )


@app.command("status")
def status(json_out: o.Json = False) -> None:
    """Show whether the daemon runs, its pid and URL, or that it is stopping and what it waits for.

    Example: pcrm daemon status --json
    """
    emit(daemon_status(), json_out=json_out, render=_render_status)


@app.command("stop")
def stop(json_out: o.Json = False) -> None:
    """Stop the daemon cleanly: it finishes the request in hand, and a sync it runs ends the batch it is
    writing first (up to 15 s; Ctrl-C, or `pcrm daemon stop` again, cuts it short).

    Example: pcrm daemon stop
    """

    def say(line: str) -> None:
        err().print(line, markup=False, soft_wrap=True)

    try:
        result = daemon_stop(say=say)
    except PcrmError as e:
        fail(e, json_out)
        return

    def render(r: Any) -> None:
        if not r.data["stopped"]:
            out().print("no daemon was running")
            return
        said = f"stopped the daemon (pid {r.data['pid']})"
        syncs = r.meta.get("waited_for") or []
        names = " and ".join(s["label"] for s in syncs)
        if syncs and r.meta.get("cut"):
            said += f"; the {names} sync was cut short, and its next run goes on from the last batch written"
        elif syncs:
            again = "; ".join(f"pcrm sync {s['name']}" for s in syncs)
            said += f" once the {names} sync had ended its batch; {again} goes on from there"
        out().print(said, markup=False, soft_wrap=True)

    emit(result, json_out=json_out, render=render)


def _render_unit(result: Any) -> None:
    from rich.markup import escape

    d, meta = result.data, result.meta
    console = out()
    if meta.get("dry_run") and "removed" in d:  # uninstall: nothing to do when nothing is installed
        if d["commands"]:
            console.print(
                f"would stop {escape(d['name'])} and remove {escape(d['path'])}, running: "
                + escape("; ".join(d["commands"])),
                highlight=False,
                soft_wrap=True,
            )
    elif meta.get("dry_run"):
        console.print(f"would write {escape(d['path'])}:", highlight=False)
        if d.get("unit"):
            console.print(escape(d["unit"].rstrip()), highlight=False, soft_wrap=True)
        console.print("then run: " + escape("; ".join(d["commands"])), highlight=False, soft_wrap=True)
    elif "installed" in d:
        verb = "replaced" if meta.get("replaced") else "installed"
        console.print(
            f"{verb} {escape(d['name'])} ({escape(d['path'])}): the daemon starts at login and now "
            f"serves {d['url']}",
            highlight=False,
        )
    elif d.get("removed"):
        console.print(
            f"removed {escape(d['name'])} ({escape(d['path'])}); the daemon no longer starts at login",
            highlight=False,
        )
    if meta.get("note"):
        console.print(f"note: {escape(meta['note'])}", highlight=False)


@app.command("install")
def install(
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port the daemon listens on.")] = 8765,
    host: Annotated[str, typer.Option(help="Loopback address to listen on.")] = "127.0.0.1",
    dry_run: o.DryRun = False,
    json_out: o.Json = False,
) -> None:
    """Start the daemon at login, for this PCRM_HOME: a systemd user service (Linux) or a launchd agent
    (macOS) running `pcrm serve`, started now. Installing again replaces it (a new port, a moved venv).

    Example: pcrm daemon install --port 8765 --dry-run
    """
    try:
        result = install_unit(host=host, port=port, dry_run=dry_run)
    except PcrmError as e:
        fail(e, json_out)
        return
    emit(result, json_out=json_out, render=_render_unit)


@app.command("uninstall")
def uninstall(dry_run: o.DryRun = False, json_out: o.Json = False) -> None:
    """Stop the daemon installed by `pcrm daemon install` for this PCRM_HOME and remove its service.

    Example: pcrm daemon uninstall
    """
    try:
        result = uninstall_unit(dry_run=dry_run)
    except PcrmError as e:
        fail(e, json_out)
        return
    emit(result, json_out=json_out, render=_render_unit)
