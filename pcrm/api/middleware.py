"""The defences of a server on localhost, as plain ASGI middleware (outermost first):

1. RequestLog: an X-Request-ID on every response (and `Cache-Control: no-store` on those that do not say
   otherwise [no-store]), and one access-log line per request that names the path only: never the query
   string (calendar tokens travel there) nor any header.
2. HostGuard: the Host header must be a loopback name (localhost, 127.0.0.1, [::1], any port) or a
   host the user allowed with --allow-remote; this defeats DNS rebinding.
3. Cors: only the local UI and the `cors_origins` setting, as it is now [cors-origins-live]. A request
   carrying any other Origin is refused outright (403), preflight or not.
4. BodyLimit: request bodies over the limit get 413 payload_too_large, by Content-Length or counted.
"""

from __future__ import annotations

import logging
import random
import re
import time
import uuid
from typing import Any

from pcrm.api import responses
from pcrm.domain.settings import allow_origin_hint
from pcrm.errors import BadRequest, Forbidden, PcrmError
from pcrm.logsafe import LineLog

access_log = LineLog("pcrm.access")  # a line per request [lean-path]
log = logging.getLogger("pcrm.api")

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})
_CORS_HEADERS = "authorization, content-type, x-request-id"
_CORS_METHODS = "GET, POST, PUT, PATCH, DELETE"


def answer_headers(headers: list[tuple[bytes, bytes]], rid: str) -> list[tuple[bytes, bytes]]:
    """A response's headers as the daemon sends them: its X-Request-ID, and `Cache-Control: no-store` unless
    the route set a policy of its own (an avatar file may be kept a few minutes) [no-store]."""
    out = [h for h in headers if h[0].lower() != b"x-request-id"]
    out.append((b"x-request-id", rid.encode()))
    if not any(k.lower() == b"cache-control" for k, _ in out):
        out.append((b"cache-control", b"no-store"))
    return out


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for k, v in scope.get("headers") or ():
        if k == name:
            return v.decode("latin-1")
    return None


class RequestLog:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # a version-4 UUID from the process's PRNG: uuid4() reads os.urandom, a system call that lets go of
        # the GIL on every request, and the event loop then waits for a reader thread to hand it back
        rid = str(uuid.UUID(int=random.getrandbits(128), version=4))
        scope["pcrm.request_id"] = rid
        started = time.perf_counter()
        status = {"code": 0}

        async def send_with_id(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message = {**message, "headers": answer_headers(message.get("headers", []), rid)}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as e:
            log.exception("internal error (request %s)", rid)
            if status["code"] == 0:
                resp = responses.internal(e)
                await send_with_id(
                    {
                        "type": "http.response.start",
                        "status": resp.status_code,
                        "headers": [(k.encode(), v.encode()) for k, v in resp.headers.items()],
                    }
                )
                await send_with_id({"type": "http.response.body", "body": resp.body})
                status["code"] = resp.status_code
        finally:
            ms = (time.perf_counter() - started) * 1000
            access_log.info(
                "%s %s %s %.1fms %s", scope.get("method"), scope.get("path"), status["code"], ms, rid
            )


# a Host header is `name[:port]` or `[IPv6][:port]` (RFC 9110, 7.2): a name is letters, digits, dots and
# hyphens, a port digits only. Anything else (a userinfo '@', a path, a second colon) names no host: cutting
# at the first colon would read `127.0.0.1:80@evil.example` as a loopback name.
_HOST_RE = re.compile(r"(?:(\[[0-9a-f:.]+\])|([a-z0-9.-]+))(?::[0-9]{0,5})?")


def host_name(host_header: str | None) -> str | None:
    """The name part of a Host header, lowercased ('[::1]' keeps its brackets), or None when the header
    is missing or is not a host with an optional port."""
    if not host_header:
        return None
    m = _HOST_RE.fullmatch(host_header.strip().lower())
    if m is None:
        return None
    return m.group(1) or m.group(2)


class HostGuard:
    def __init__(self, app: Any, allowed: frozenset[str]) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            name = host_name(_header(scope, b"host"))
            if name not in self.allowed:
                await responses.send_error(
                    send,
                    BadRequest(
                        "the Host header names a host this daemon does not serve",
                        hint="use http://127.0.0.1:PORT or http://localhost:PORT; to serve another name, "
                        "start `pcrm serve --host NAME --allow-remote`",
                        details={"host": name},
                    ),
                )
                return
        await self.app(scope, receive, send)


class Cors:
    def __init__(self, app: Any, runtime: Any) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        origin = _header(scope, b"origin") if scope["type"] == "http" else None
        if origin is None:
            await self.app(scope, receive, send)
            return
        origin = origin.rstrip("/")
        if origin not in self.runtime.origins():
            await responses.send_error(
                send,
                Forbidden(
                    f"requests from the origin {origin} are not allowed",
                    hint=allow_origin_hint(origin),
                    details={"origin": origin},
                ),
            )
            return
        cors = [(b"access-control-allow-origin", origin.encode("latin-1")), (b"vary", b"Origin")]
        if scope["method"] == "OPTIONS" and _header(scope, b"access-control-request-method"):
            headers = [
                *cors,
                (b"access-control-allow-methods", _CORS_METHODS.encode()),
                (b"access-control-allow-headers", _CORS_HEADERS.encode()),
                (b"access-control-max-age", b"600"),
                (b"content-length", b"0"),
            ]
            await send({"type": "http.response.start", "status": 204, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_cors(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {
                    **message,
                    "headers": list(message.get("headers", []))
                    + cors
                    + [(b"access-control-expose-headers", b"X-Request-ID, Retry-After")],
                }
            await send(message)

        await self.app(scope, receive, send_cors)


def too_large(max_bytes: int) -> PcrmError:
    """413 payload_too_large for a body over `max_bytes`."""
    mb = max_bytes / (1024 * 1024)
    return PcrmError(
        f"the request body is larger than {mb:g} MB",
        code="payload_too_large",
        hint="split the upload, or import large files with `pcrm import FILE`",
        details={"max_bytes": max_bytes},
    )


def counting(receive: Any, max_bytes: int) -> Any:
    """`receive`, raising 413 once the body it has handed out passes `max_bytes` (a Content-Length that
    understated the body, or none)."""
    seen = 0

    async def counting_receive() -> dict[str, Any]:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > max_bytes:
                raise too_large(max_bytes)
        return message

    return counting_receive


class BodyLimit:
    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _header(scope, b"content-length")
        if length is not None:
            try:
                too_big = int(length) > self.max_bytes
            except ValueError:
                await responses.send_error(send, BadRequest("the Content-Length header is not a number"))
                return
            if too_big:
                await responses.send_error(send, too_large(self.max_bytes))
                return
        await self.app(scope, counting(receive, self.max_bytes), send)
