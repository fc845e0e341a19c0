"""The Starlette app factory: routes from the declarations, the defences, and a lifespan that opens
the store and enters the caller's `lifespan_hook` (the daemon's: its scheduler and run state)."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncIterator, Callable, Iterable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pcrm import __version__
from pcrm.api import responses
from pcrm.api.dispatch import IndexedRouter, build_routes
from pcrm.api.lean import LeanRoutes
from pcrm.api.middleware import LOOPBACK_HOSTS, BodyLimit, Cors, HostGuard, RequestLog
from pcrm.api.openapi import docs_page, document
from pcrm.api.routes import all_ops
from pcrm.api.runtime import Runtime
from pcrm.errors import BadRequest, MethodNotAllowed, NotFound
from pcrm.serialize import dumps
from pcrm.services.auth import jwt_secret

DEFAULT_MAX_BODY = 10 * 1024 * 1024  # the reference refused CSV uploads over 10 MB
Hook = contextlib.AbstractContextManager[Any] | contextlib.AbstractAsyncContextManager[Any]


def create_app(
    db_path: Path | str | None = None,
    *,
    port: int | None = None,
    extra_hosts: Iterable[str] = (),
    ui_origins: Iterable[str] | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY,
    lifespan_hook: Callable[[Runtime], Hook] | None = None,
    mounts: Callable[[Runtime], Iterable[Route]] | None = None,
) -> Starlette:
    """The API app for the store at db_path (default: PCRM_HOME's).

    port: where the local UI is served from, for its CORS origin (any port of a loopback name if None).
    extra_hosts: Host names allowed besides the loopback ones (`pcrm serve --allow-remote`).
    lifespan_hook: a context manager (sync or async) entered after the store opens and left before it
    closes (the daemon's scheduler, run state and MCP sessions, pcrm/daemon/app.py; pcrm/api never
    imports pcrm/daemon).
    mounts: routes beyond the API's, made from the app's Runtime (the daemon's `/mcp`); they sit behind
    the same defences (Host allow-list, CORS, body limit, access log).
    """
    extra_hosts = [h.strip().lower() for h in extra_hosts if h.strip()]
    if ui_origins is None:
        ports = [f":{port}"] if port else [""]
        ui_origins = [
            f"http://{h}{p}" for h in ("127.0.0.1", "localhost", "[::1]", *extra_hosts) for p in ports
        ]
    rt = Runtime(
        db_path=Path(db_path) if db_path is not None else None,
        allowed_hosts=LOOPBACK_HOSTS | set(extra_hosts),
        ui_origins=tuple(ui_origins),
        max_body_bytes=max_body_bytes,
    )
    ops = all_ops()
    extra = list(mounts(rt)) if mounts else []

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        import anyio

        await anyio.to_thread.run_sync(rt.open)
        try:
            await anyio.to_thread.run_sync(jwt_secret)  # fail at start, not on the first login
            async with contextlib.AsyncExitStack() as stack:
                hook = lifespan_hook(rt) if lifespan_hook else None
                if isinstance(hook, contextlib.AbstractAsyncContextManager):
                    await stack.enter_async_context(hook)
                elif hook is not None:
                    stack.enter_context(hook)
                yield
        finally:
            rt.close()

    router = IndexedRouter([*build_routes(ops), *extra], lifespan=lifespan)
    lean = LeanRoutes(
        {o.full_path: (o.lean, o.key) for o in ops if o.lean is not None},
        rt.allowed_hosts,
        max_body_bytes,
        router,
    )
    app = App(
        lean,
        middleware=[
            Middleware(RequestLog),
            Middleware(HostGuard, allowed=rt.allowed_hosts),
            Middleware(Cors, runtime=rt),
            Middleware(BodyLimit, max_bytes=max_body_bytes),
        ],
        exception_handlers={HTTPException: _http_exception, Exception: _unexpected},
    )
    app.router = router
    app.state.pcrm = rt
    app.state.ops = ops
    app.state.openapi_bytes = functools.cache(lambda: _openapi_bytes(ops))
    app.state.docs_html = functools.cache(lambda: _docs_html(ops))
    return app


class App(Starlette):
    """Starlette, with the lean path in front of its middleware for the routes that have one [lean-path]."""

    def __init__(self, lean: LeanRoutes, **kw: Any) -> None:
        super().__init__(**kw)
        self.lean = lean

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            plan = self.lean.take(scope)
            if plan is not None:
                scope["app"] = self
                await self.lean.answer(self.state.pcrm, plan, scope, receive, send)
                return
        await super().__call__(scope, receive, send)


def _openapi_bytes(ops: list[Any]) -> bytes:
    return dumps(document(ops, version=__version__))


def _docs_html(ops: list[Any]) -> str:
    return docs_page(ops, document(ops, version=__version__))


async def _http_exception(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 404)
    if status == 404:
        return responses.error(NotFound(f"no route {request.url.path}", hint="see /api/docs for every route"))
    if status == 405:  # a mounted route's (the daemon's /mcp): Starlette names what it allows
        allow = (getattr(exc, "headers", None) or {}).get("Allow", "")
        allowed = sorted(m.strip() for m in allow.split(",") if m.strip())
        return responses.error(MethodNotAllowed.on(request.url.path, request.method, allowed))
    return responses.error(BadRequest(f"the request was refused ({status})"))


async def _unexpected(request: Request, exc: Exception) -> Response:
    import logging

    logging.getLogger("pcrm.api").error(
        "internal error (request %s)", request.scope.get("pcrm.request_id"), exc_info=exc
    )
    return responses.internal(exc)
