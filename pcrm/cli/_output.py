"""Running a service from the CLI and printing its result: rich for people, the envelope for scripts.

stdout carries the result only; errors, hints and progress go to stderr. Every command goes through
`run`, so errors are translated once (D5): `error: ...` / `hint: ...`, exit 1, and with --json the
error envelope on stdout too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import typer

from pcrm.errors import PcrmError


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(
        stderr=stderr, no_color=bool(os.environ.get("NO_COLOR")) or None, highlight=False, soft_wrap=False
    )


def out() -> Any:
    return _console()


def err() -> Any:
    return _console(stderr=True)


def write_json(obj: Any) -> None:
    from pcrm.serialize import dumps

    sys.stdout.buffer.write(dumps(obj) + b"\n")
    sys.stdout.flush()


def fail(e: PcrmError, json_out: bool = False) -> None:
    from rich.markup import escape

    if json_out:
        from pcrm.serialize import error_envelope

        write_json(error_envelope(e))
    console = err()
    # one line each, whatever the terminal width: scripts grep these
    console.print(f"[bold red]error:[/] {escape(e.message)}", soft_wrap=True)
    if e.hint:
        console.print(f"[yellow]hint:[/] {escape(e.hint)}", soft_wrap=True)
    raise typer.Exit(1)


def set_clock(now: str | None) -> None:
    from pcrm import clock

    if now:
        from pcrm.domain.dates import parse_instant

        clock.set_now(parse_instant(now, field="--now"))
    else:
        clock.set_now(None)


def run(
    fn: Callable[[Any], Any],
    *,
    json_out: bool = False,
    nl: bool = False,
    now: str | None = None,
    render: Callable[[Any], None] | None = None,
    create: bool = True,
) -> Any:
    """Open the store, call one service function, print its Result."""
    try:
        set_clock(now)
        from pcrm.services.context import open_context

        with open_context(create=create) as ctx:
            result = fn(ctx)
    except PcrmError as e:  # a store that stays locked arrives here too, as a conflict (Context)
        fail(e, json_out)
        return None
    emit(result, json_out=json_out, nl=nl, render=render)
    return result


def emit(
    result: Any, *, json_out: bool, nl: bool = False, render: Callable[[Any], None] | None = None
) -> None:
    from pcrm.serialize import envelope

    if json_out:
        write_json(envelope(result.data, result.meta))
    elif nl:
        from pcrm.serialize import dumps

        items = result.data if isinstance(result.data, list) else [result.data]
        for item in items:
            sys.stdout.buffer.write(dumps(item) + b"\n")
        sys.stdout.flush()
    elif render is not None:
        render(result)
    else:
        from pcrm.serialize import dumps

        out().print_json(dumps(result.data).decode())


def when(ts: str | None) -> str:
    """A timestamp for people: the date, or '-'."""
    return ts[:10] if ts else "-"


def page_footer(meta: dict[str, Any]) -> None:
    if "total_pages" in meta and meta.get("total", 0) > 0:
        err().print(f"[dim]page {meta['page']} of {meta['total_pages']} · {meta['total']} in all[/]")
    elif "limit" in meta and meta.get("total", 0) > 0:
        shown_to = min(meta["offset"] + meta["limit"], meta["total"])
        err().print(f"[dim]{meta['offset'] + 1}–{shown_to} of {meta['total']}[/]")
