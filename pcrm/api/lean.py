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
from pcrm.api.middleware import answer_headers, counting, host_name, too_large
from pcrm.errors import PcrmError
from pcrm.logsafe import LineLog
from pcrm.serialize import dumps, envelope

access_log = LineLog("pcrm.access")  # a line per request [lean-path]
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
    """The lean path of one app: the raw-body routes that have one (POST path -> (handler, operation key for
    the error log)), and every operation of the router whose handler is `dispatch`'s (not raw, not a form)."""

    def __init__(
        self,
        routes: dict[str, tuple[LeanHandler, str]],
        allowed_hosts: frozenset[str],
        max_body: int,
        router: Any = None,
    ) -> None:
        self.routes = routes
        self.allowed_hosts = allowed_hosts
        self.max_body = max_body
        self.router = router
        self.ops = router is not None

    def take(self, scope: dict[str, Any]) -> Any:
        """What answers this request on the lean path, when it answers exactly as the full stack would:
        ("hook", (handler, key)) or ("op", (route, child scope)); None: the full stack."""
        if scope.get("root_path"):
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
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return None
        if host is None or host_name(host.decode("latin-1")) not in self.allowed_hosts:
            return None
        method = scope["method"]
        hook = self.routes.get(scope["path"])
        if hook is not None:
            if method == "POST" and length is not None and not scope.get("query_string"):
                return "hook", hook
            return None
        if not self.ops:
            return None
        found = self.router.find(scope)
        if found is None:
            return None
        ops = getattr(found[1]["endpoint"], "ops", None)  # dispatch's endpoints carry their operations
        if ops is None:
            return None
        o = ops.get(method) or (ops.get("GET") if method == "HEAD" else None)
        if o is None or o.raw is not None or o.form:
            return None
        return "op", found

    async def answer(self, rt: Any, plan: Any, scope: dict[str, Any], receive: Any, send: Any) -> None:
        rid = str(uuid.UUID(int=random.getrandbits(128), version=4))  # as RequestLog makes it
        scope["pcrm.request_id"] = rid
        started = time.perf_counter()
        status = 0
        try:
            kind, what = plan
            if kind == "hook":
                answered = await self._hook(rt, what, scope, receive)
            else:
                answered = await self._op(what, scope, receive)
            if answered is None:  # the client went away: nobody to answer
                return
            status, headers, body = answered
            headers = answer_headers(headers, rid)
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
        finally:
            ms = (time.perf_counter() - started) * 1000
            access_log.info("%s %s %s %.1fms %s", scope.get("method"), scope.get("path"), status, ms, rid)

    async def _op(self, found: Any, scope: dict[str, Any], receive: Any) -> Any:
        """An operation through its `dispatch` endpoint, which turns every error into its envelope; what
        Starlette's router, Route and request_response would do around it, done here."""
        from starlette.requests import Request

        route, child = found
        scope.setdefault("router", self.router)
        scope["route"] = route
        scope.update(child)
        try:  # BodyLimit's count, for an understated length
            response = await child["endpoint"](Request(scope, counting(receive, self.max_body)))
        except Exception as e:
            log.exception("internal error (request %s)", scope.get("pcrm.request_id"))
            response = responses.internal(e)
        return response.status_code, list(response.raw_headers), bytes(response.body)

    async def _hook(
        self, rt: Any, route: tuple[LeanHandler, str], scope: dict[str, Any], receive: Any
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
        handler, key = route
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        raw = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        try:
            if size > self.max_body:  # a Content-Length that understated the body
                raise too_large(self.max_body)
            result = await handler(rt, raw, scope["headers"])
            body = dumps(envelope(result.data, result.meta))
            return 200, [(b"content-length", str(len(body)).encode()), (b"content-type", _JSON)], body
        except Exception as e:
            if not isinstance(e, PcrmError):
                log.exception("internal error in %s (request %s)", key, scope.get("pcrm.request_id"))
            resp = responses.error(e) if isinstance(e, PcrmError) else responses.internal(e)
            return resp.status_code, list(resp.raw_headers), bytes(resp.body)
