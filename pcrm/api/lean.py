"""The lean path [lean-path]: an ordinary request to a route that takes only its raw body and headers (the
WhatsApp webhook) is answered without Starlette's middleware and routing layers, by one function that does
what those layers do for it: the access-log line and the X-Request-ID (RequestLog), the Host allow-list
(HostGuard), the body limit (BodyLimit), the route's own handler and the error envelopes of `dispatch`.

Only requests whose answer cannot differ from the full stack's take it: the exact path and method, no query
string, no Origin header (CORS stays with the full stack), a Host the daemon serves and a Content-Length
within the limit. Anything else (a foreign Host, a missing or oversized Content-Length, an Origin, a query
string, another method) goes through the full stack unchanged, which refuses it as it always did.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from pcrm.api import responses
from pcrm.api.middleware import host_name
from pcrm.errors import PcrmError
from pcrm.serialize import dumps, envelope

access_log = logging.getLogger("pcrm.access")
log = logging.getLogger("pcrm.api")

# (runtime, raw body, the request's headers) -> the service's Result
LeanHandler = Callable[[Any, bytes, list[tuple[bytes, bytes]]], Awaitable[Any]]
_JSON = b"application/json"


def header(headers: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    """The first value of a (lowercase) header, as Starlette's `request.headers.get` gives it."""
    for k, v in headers:
        if k == name:
            return v.decode("latin-1")
    return None


class LeanRoutes:
    """The lean routes of one app: POST path -> (handler, operation key for the error log)."""

    def __init__(
        self, routes: dict[str, tuple[LeanHandler, str]], allowed_hosts: frozenset[str], max_body: int
    ) -> None:
        self.routes = routes
        self.allowed_hosts = allowed_hosts
        self.max_body = max_body

    def take(self, scope: dict[str, Any]) -> tuple[LeanHandler, str] | None:
        """The route's handler when the lean path answers this request exactly as the full stack would."""
        route = self.routes.get(scope["path"])
        if route is None or scope["method"] != "POST" or scope.get("query_string") or scope.get("root_path"):
            return None
        host = length = None
        for k, v in scope["headers"]:
            if k == b"host":
                if host is None:
                    host = v
            elif k == b"content-length":
                if length is not None:
                    return None
                length = v
            elif k == b"origin" or k == b"transfer-encoding":
                return None
        if length is None or not length.isdigit() or int(length) > self.max_body:
            return None
        if host is None or host_name(host.decode("latin-1")) not in self.allowed_hosts:
            return None
        return route

    async def answer(
        self, rt: Any, route: tuple[LeanHandler, str], scope: dict[str, Any], receive: Any, send: Any
    ) -> None:
        handler, key = route
        rid = str(uuid.UUID(int=random.getrandbits(128), version=4))  # as RequestLog makes it
        scope["pcrm.request_id"] = rid
        started = time.perf_counter()
        status = 0
        try:
            chunks: list[bytes] = []
            size = 0
            while True:
                message = await receive()
                if message["type"] != "http.request":  # the client went away: nobody to answer
                    return
                chunk = message.get("body", b"")
                size += len(chunk)
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
            raw = chunks[0] if len(chunks) == 1 else b"".join(chunks)
            try:
                if size > self.max_body:  # a Content-Length that understated the body
                    raise _too_large(self.max_body)
                result = await handler(rt, raw, scope["headers"])
                body = dumps(envelope(result.data, result.meta))
                status = 200
                headers = [(b"content-length", str(len(body)).encode()), (b"content-type", _JSON)]
            except Exception as e:
                if not isinstance(e, PcrmError):
                    log.exception("internal error in %s (request %s)", key, rid)
                resp = responses.error(e) if isinstance(e, PcrmError) else responses.internal()
                status, body, headers = resp.status_code, bytes(resp.body), list(resp.raw_headers)
            headers.append((b"x-request-id", rid.encode()))
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
        finally:
            ms = (time.perf_counter() - started) * 1000
            access_log.info("%s %s %s %.1fms %s", scope.get("method"), scope.get("path"), status, ms, rid)


def _too_large(max_bytes: int) -> PcrmError:
    from pcrm.api.middleware import BodyLimit

    return BodyLimit(None, max_bytes)._too_large()
