"""The daemon's app: the API (pcrm/api) with the MCP server mounted at `/mcp` (pcrm/mcp) [mcp-server].

pcrm/api and pcrm/mcp are sibling layers that do not import each other; the daemon, above both, puts
them together. The MCP SDK's server is built on the first request to `/mcp` that carries the MCP key
(pcrm/mcp/http.py), not when `pcrm serve` starts.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette

from pcrm.api.app import DEFAULT_MAX_BODY, create_app
from pcrm.api.runtime import Runtime


def create_daemon_app(
    db_path: Path | str | None = None,
    *,
    port: int | None = None,
    extra_hosts: Iterable[str] = (),
    max_body_bytes: int = DEFAULT_MAX_BODY,
    lifespan_hook: Callable[[Runtime], contextlib.AbstractContextManager[Any]] | None = None,
) -> Starlette:
    """create_app's API plus `/mcp`, whose SDK sessions start and stop inside the app's lifespan (before
    and after `lifespan_hook`, the scheduler and run state of `pcrm serve`)."""
    from pcrm.mcp.http import Endpoint

    endpoints: list[Endpoint] = []

    def mounts(rt: Runtime) -> list[Any]:
        endpoints.append(Endpoint(rt, max_body_bytes=max_body_bytes))
        return [endpoints[0].route]

    @contextlib.asynccontextmanager
    async def hook(rt: Runtime) -> AsyncIterator[None]:
        async with endpoints[0].running():
            with lifespan_hook(rt) if lifespan_hook else contextlib.nullcontext():
                yield

    return create_app(
        db_path,
        port=port,
        extra_hosts=extra_hosts,
        max_body_bytes=max_body_bytes,
        lifespan_hook=hook,
        mounts=mounts,
    )
