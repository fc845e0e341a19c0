"""The MCP server over streamable HTTP, for the daemon to mount at `/mcp` [mcp-server].

Only the MCP key opens it (`Authorization: Bearer pcrm_mcp_...`, `pcrm mcp-key create`): not script
tokens nor login JWTs, which are for the API, so revoking the key cuts off every agent and nothing else.
The key is checked on every request, through the daemon's own store connections (a read; its last use is
written at most once a minute). A missing, wrong or revoked key gets 401 with the API's error envelope.

The SDK runs stateless with plain JSON answers: each POST is complete in itself, so the daemon keeps no
per-agent session in memory and a restart breaks no client. Its own DNS-rebinding check is off because
the daemon's Host allow-list, CORS rules and body limit sit in front of this route already (they see
every request) and know the user's `--allowed-host` names, which the SDK's check would refuse.

pcrm sends no message an agent did not ask for, so it offers no server-to-client stream: a GET (which asks
for one) and a DELETE (which ends a session there is none of) get 405 Method Not Allowed with `Allow: POST`,
as the streamable HTTP transport of MCP provides. The SDK's stateless transport opened an event stream for
the GET and never wrote to it, so a client waiting on it hung.

A POST's body must be one JSON-RPC message (pcrm/mcp/wire.py): a batch, or a body that is none, is
refused 400 with a JSON-RPC error in pcrm's words, after the key check, before the SDK reads it.

The SDK's server (~25 MB of the daemon's memory, ~0.4 s to import) is built on the first request that
gets past those checks, not when the daemon starts: a user who never connects an agent never pays for
it [mcp-server]. Its session manager then runs in a task of the app's lifespan, as the SDK asks.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from starlette.routing import Route

from pcrm.errors import PcrmError, Unauthorized
from pcrm.mcp import wire
from pcrm.mcp.lane import Lane
from pcrm.serialize import dumps, error_envelope
from pcrm.services import tokens

PATH = "/mcp"
log = logging.getLogger("pcrm.mcp")


def _bearer(scope: dict[str, Any]) -> str | None:
    for k, v in scope.get("headers") or ():
        if k == b"authorization":
            kind, _, value = v.decode("latin-1").partition(" ")
            return value.strip() if kind.lower() == "bearer" else None
    return None


class Endpoint:
    """The `/mcp` route and the lifespan its SDK session manager needs (`running()`, entered inside the
    app's lifespan). The SDK's server is built when the first request needs it (`_sdk_app`)."""

    def __init__(self, lane: Lane, *, max_body_bytes: int) -> None:
        self.lane = lane
        self.max_body_bytes = max_body_bytes
        self.server: Any = None  # the SDK's MCPServer, once built
        self._app: Any = None  # its ASGI app, while its session manager runs
        self._start: _Start | None = None  # the build the next request asks for, while the app runs
        # the endpoint is this object, an ASGI app (a bound method would be taken for a request handler)
        # every method reaches it: the key first, then any but POST is one 405 naming POST alone
        self.route = Route(PATH, self, name="mcp")

    def _build(self) -> Any:
        """The SDK's server and its ASGI app (imports the SDK: run in a thread, off the event loop)."""
        from mcp.server.transport_security import TransportSecuritySettings

        from pcrm.mcp.server import build_server

        server = build_server(self.lane)
        app = server.streamable_http_app(
            streamable_http_path=PATH,
            stateless_http=True,
            json_response=True,
            max_request_body_size=self.max_body_bytes,
            transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        )
        return server, app

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """The app's lifespan: a task that, once a request wants the SDK, builds the server and keeps its
        session manager running until the app stops. A request still waiting for the build when the app
        stops is answered that the daemon is stopping, never left waiting."""
        self._start = _Start()
        task = asyncio.create_task(self._serve(), name="pcrm-mcp")
        try:
            yield
        finally:
            start, self._start, self._app = self._start, None, None
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            if start is not None:
                start.fail(
                    PcrmError(
                        "the daemon stopped before its MCP server was ready",
                        hint="start it again with `pcrm serve` and retry",
                    )
                )

    async def _serve(self) -> None:
        while True:
            start = self._start
            if start is None:
                return
            await start.wanted.wait()
            try:
                self.server, app = await asyncio.to_thread(self._build)
            except Exception as exc:  # said to the requests waiting; the next request tries again
                log.exception("the MCP server could not start")
                self._start = _Start()
                start.fail(
                    PcrmError(
                        f"the MCP server could not start: {exc}",
                        hint="the daemon's log says why; the next request tries again",
                    )
                )
                continue
            async with self.server.session_manager.run():
                self._app = app
                start.ready.set_result(app)
                await asyncio.Event().wait()  # until the lifespan ends (cancelled)

    async def _sdk_app(self) -> Any:
        if self._app is not None:
            return self._app
        start = self._start
        if start is None:
            raise PcrmError(
                "the daemon is not serving MCP: it is starting or stopping", hint="retry in a moment"
            )
        start.wanted.set()
        return await asyncio.shield(start.ready)

    async def _key_ok(self, key: str | None) -> bool:
        if not key:
            return False

        def check(ctx: Any) -> bool:
            return tokens.verify_mcp_key(ctx, key)

        done, ok = await self.lane.read(check)
        return bool(ok) if done else bool(await self.lane.run(check))

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and not await self._key_ok(_bearer(scope)):
            err = Unauthorized(
                "the MCP endpoint needs the MCP key: Authorization: Bearer pcrm_mcp_...",
                hint="create one with `pcrm mcp-key create` and put it in your agent's MCP config "
                "(`pcrm mcp config` shows where)",
            )
            await _send_error(send, err, [(b"www-authenticate", b"Bearer")])
            return
        if scope["type"] == "http" and scope.get("method") != "POST":
            await _no_stream(send)
            return
        if scope["type"] == "http":
            # the body is read here, whole, before the SDK sees it: the daemon's body limit counts a body
            # sent without its length as it arrives and raises once it passes the limit, which the SDK
            # would answer with a bare 500; here it is the API's 413
            try:
                body = await _whole_body(receive)
            except PcrmError as e:
                await _send_error(send, e)
                return
            if body is None:  # the client went away
                return
            refused = wire.refusal(body)  # a batch, or no JSON-RPC message: pcrm's words, not pydantic's
            if refused is not None:
                await _send_refusal(send, refused)
                return
            receive = _replay(body, receive)
        try:
            app = await self._sdk_app()
        except PcrmError as e:
            await _send_error(send, e)
            return
        await app(scope, receive, send)


class _Start:
    """One build of the SDK's server: asked for by the first request that needs it (`wanted`), its app or
    the error that stopped it in `ready`."""

    def __init__(self) -> None:
        self.wanted = asyncio.Event()
        self.ready: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    def fail(self, err: PcrmError) -> None:
        if not self.ready.done():
            self.ready.set_exception(err)
            self.ready.exception()  # retrieved: no request waiting is no error to log


async def _no_stream(send: Any) -> None:
    """405 for anything but a POST (`Allow: POST`), a JSON-RPC error as the SDK's own transport answers
    one: an MCP client reads JSON-RPC from this endpoint, and the status is what the transport's spec asks
    for."""
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "id": None,
            "error": {
                "code": -32600,
                "message": "Method Not Allowed: pcrm sends no messages unasked, so it opens no stream; "
                "POST each request to /mcp",
            },
        }
    ).encode()
    start = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"allow", b"POST"),
    ]
    await send({"type": "http.response.start", "status": 405, "headers": start})
    await send({"type": "http.response.body", "body": body})


async def _send_refusal(send: Any, refused: wire.Refusal) -> None:
    """A JSON-RPC error with the status the SDK's transport answers such a body with: 400 for a body it
    cannot read, 200 for a request whose params do not fit its method."""
    body = refused.body()
    start = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": refused.status, "headers": start})
    await send({"type": "http.response.body", "body": body})


async def _send_error(send: Any, err: PcrmError, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = dumps(error_envelope(err))  # the API's error envelope [one-envelope]
    start = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *(headers or []),
    ]
    await send({"type": "http.response.start", "status": err.status, "headers": start})
    await send({"type": "http.response.body", "body": body})


async def _whole_body(receive: Any) -> bytes | None:
    """The request's body, or None when the client disconnected first."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Any) -> Any:
    """A `receive` that hands out `body` once, then waits on the real one (for the disconnect)."""
    sent = False

    async def replay() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return dict(await receive())

    return replay
