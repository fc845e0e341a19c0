"""`pcrm export json|csv [--output FILE]`.

Another format is one more command on `app` that calls `run_export("name", ...)` after registering its
writer with `pcrm.services.exports.register(name, fn, suffix)`.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any, Optional

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import run

app = typer.Typer(help="Get everything out: lossless JSON, contacts CSV.", no_args_is_help=True)

Output = Annotated[Optional[str], typer.Option("--output", "-o", help="Write to this file (default: stdout).")]


def run_export(fmt: str, output: str | None, json_out: bool, now: str | None) -> None:
    """Stream the export to stdout, or write it to --output and say where (--json: the summary envelope)."""
    from pcrm.services import exports

    def call(ctx: Any) -> Any:
        if json_out and not output:
            from pcrm.errors import BadRequest

            raise BadRequest("--json prints a summary of the written file; give --output FILE",
                             hint=f"e.g. pcrm export {fmt} --output pcrm.{fmt} --json")
        return exports.export(ctx, fmt, output=output, stream=None if output else sys.stdout.buffer)

    def render(result: Any) -> None:
        if result.data["path"]:
            from pcrm.cli._output import err

            err().print(f"wrote {result.data['contacts']} contacts to {result.data['path']} "
                        f"({result.data['bytes']:,} bytes)")

    run(call, json_out=json_out, now=now, render=render)


@app.command("json")
def export_json(output: Output = None, json_out: o.Json = False, now: o.Now = None) -> None:
    """Export the whole store as lossless JSON (no secrets); `pcrm import FILE` restores it into an empty store.

    Example: pcrm export json --output ~/pcrm-backup.json
    """
    run_export("json", output, json_out, now)


@app.command("csv")
def export_csv(output: Output = None, json_out: o.Json = False, now: o.Now = None) -> None:
    """Export contacts as CSV (one row per contact; the columns `pcrm import` reads back).

    Example: pcrm export csv --output contacts.csv
    """
    run_export("csv", output, json_out, now)
