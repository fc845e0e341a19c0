"""`pcrm serve`: run the localhost API daemon in the foreground."""

from __future__ import annotations

from typing import Annotated

import typer

from pcrm.cli._output import fail
from pcrm.daemon.server import serve as run_server
from pcrm.errors import PcrmError


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on. Loopback only unless --allow-remote.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8765,
    allow_remote: Annotated[
        bool, typer.Option("--allow-remote", help="Allow a non-loopback --host (prints a warning).")
    ] = False,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host", help="Another Host name clients may use (with --allow-remote; repeatable)."
        ),
    ] = None,
    log_level: Annotated[str, typer.Option(help="debug, info, warning or error.")] = "info",
) -> None:
    """Serve the API (/api/v1, docs at /api/docs) on 127.0.0.1 until Ctrl-C or `pcrm daemon stop`.

    Every route except login, registration, health and the docs needs `Authorization: Bearer TOKEN`;
    create a token with `pcrm token create NAME`.

    Example: pcrm serve --port 8765
    """
    if log_level.lower() not in ("debug", "info", "warning", "error"):
        raise typer.BadParameter("use debug, info, warning or error", param_hint="--log-level")
    if allowed_host and not allow_remote:
        raise typer.BadParameter("needs --allow-remote", param_hint="--allowed-host")
    try:
        run_server(
            host,
            port,
            allow_remote=allow_remote,
            allowed_hosts=tuple(allowed_host or ()),
            log_level=log_level.lower(),
        )
    except PcrmError as e:
        fail(e)
