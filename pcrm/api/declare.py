"""Declaring an API operation: one `op(...)` line per method and path.

An operation is either wired to a service function or declared `todo="<capability>"`, which answers
501 `not_implemented` naming the capability (after the usual authentication). Wiring a capability
later is a one-line change: replace `todo="..."` with `call=svc(module.function, ...)`, the service
module imported at the top of the route module (only the daemon imports route modules).

`svc` adapts the HTTP call to the service's signature, by convention:
    fn(ctx, *path_params_in_path_order, [filters dict], [body], **named query params, [principal=])
so the same function the CLI calls answers the API, and both print the same envelope.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

API = "/api/v1"

# credential kinds a route accepts (services/auth.py): web JWTs and script tokens by default; the
# extension's JWT only where [local-account] lists it.
WEB = frozenset({"web", "script"})
WEB_AND_EXTENSION = frozenset({"web", "script", "extension"})
WEB_LOGIN_ONLY = frozenset({"web"})


@dataclass(frozen=True)
class Param:
    """A query parameter, for validation of names and for the OpenAPI document."""

    name: str
    type: str = "string"  # JSON schema type: string, integer, boolean, number
    description: str = ""
    enum: tuple[str, ...] | None = None
    required: bool = False
    secret: bool = False  # never logged (the access log drops query strings anyway)


@dataclass
class Call:
    """What a handler gets besides the service context."""

    path: dict[str, str]
    query: dict[str, str]
    body: Any
    principal: Any
    client: str | None = None
    base_url: str = ""
    prepared: Any = None  # what the op's `prepare` step returned [prepare-off-lane]


@dataclass(frozen=True)
class Op:
    method: str
    path: str
    summary: str
    tag: str
    call: Callable[[Any, Call], Any] | None = None
    todo: str | None = None
    body: Any = None  # pydantic model validating the request body
    form: bool = False  # also accept an urlencoded / multipart form (OAuth2 password login)
    response: Any = None  # pydantic type of the envelope's `data`
    meta: Any = None  # pydantic type of `meta`, when it has a fixed shape
    query: tuple[Param, ...] = ()
    public: bool = False
    audiences: frozenset[str] = WEB
    status: int = 200
    pcrm: bool = False  # pcrm's own route, beyond the reference [pcrm-routes]: `x-pcrm` in the schema
    rate_limit: str | None = None  # name of a limiter in api/ratelimit.py
    raw: Callable[..., Any] | None = None  # async (request, call) -> Response, for non-JSON routes
    description: str = ""
    # a read of the store: answered in the daemon's read pool over a query-only connection, and run again
    # in the worker lane if it turns out to write (Runtime.read) [read-pool]
    read: bool = False
    # a bounded read (a record, a page) tried on the event loop first, for a few milliseconds of queries at
    # most, before the read pool (Runtime.read) [inline-reads]; only with read=True. A function of the query
    # decides per request (the contact list: not when it searches)
    inline: bool | Callable[[dict[str, str]], bool] = False
    extra_statuses: tuple[int, ...] = field(default=())
    # network or file work done before the write, off the writer lane [prepare-off-lane]: a handler like
    # `call` (usually `svc(...)`), run after authentication in the daemon's prepare pool over a query-only
    # connection; what it returns reaches the `call` step as `Call.prepared` (svc(..., prepared=True))
    prepare: Callable[[Any, Call], Any] | None = None
    # [lean-path]: a public POST whose whole input is its raw body and headers may also declare
    # `async (runtime, raw body, headers) -> Result`, answered by the app's lean path for ordinary requests
    # (api/lean.py); `raw` still answers every other request, so both must answer alike
    lean: Callable[[Any, bytes, list[tuple[bytes, bytes]]], Any] | None = None
    # a credential the URL itself carries (a signed avatar link [avatar-links]): (path params, query) ->
    # True when it opens this route without a bearer token, False when the URL carries none; a bad one
    # raises its 401. A request with an Authorization header is judged by that header alone.
    link_auth: Callable[[dict[str, str], dict[str, str]], bool] | None = None

    @property
    def full_path(self) -> str:
        return self.path if self.path.startswith(("/api/", "/static/")) else API + self.path

    @property
    def key(self) -> str:
        return f"{self.method} {self.full_path}"

    @property
    def implemented(self) -> bool:
        return self.todo is None

    def path_params(self) -> list[str]:
        return [seg[1:-1] for seg in self.full_path.split("/") if seg.startswith("{") and seg.endswith("}")]


def op(method: str, path: str, summary: str, tag: str, **kw: Any) -> Op:
    o = Op(method=method.upper(), path=path, summary=summary, tag=tag, **kw)
    if (o.call is None and o.raw is None) == (o.todo is None):
        raise ValueError(f"{o.key}: declare exactly one of call/raw or todo")
    if o.lean is not None and not (o.public and o.method == "POST" and o.raw is not None and not o.query):
        raise ValueError(f"{o.key}: a lean handler is for public POST routes with a raw handler and no query")
    if o.inline and not (o.read and o.call is not None):
        raise ValueError(f"{o.key}: inline is for read operations with a service call")
    return o


def target_name(fn: Callable[..., Any]) -> str:
    """`module:function` of the service function a handler calls (tests, tools): `handler.target`."""
    return f"{fn.__module__}:{fn.__qualname__}"


def svc(
    fn: Callable[..., Any],
    *,
    query: Iterable[str] = (),
    filters: Iterable[str] = (),
    body: bool = False,
    principal: bool = False,
    path: Iterable[str] | None = None,
    path_kw: dict[str, str] | None = None,
    fixed: dict[str, Any] | None = None,
    base_url: bool = False,
    prepared: bool = False,
) -> Callable[[Any, Call], Any]:
    """A handler calling the service function `fn` by the convention in the module docstring.

    - path: which path parameters to pass positionally (default: all, in path order);
    - path_kw: path parameters passed by keyword instead ({path_param: keyword});
    - filters: query names gathered into one dict passed positionally (list filters);
    - body: pass the validated body positionally;
    - query: query names passed as keywords;
    - principal: pass principal= (account routes);
    - fixed: keywords with constant values (the source of a per-platform sync route);
    - base_url: pass base_url= (the daemon's own URL, for OAuth redirects);
    - prepared: pass prepared= (what the op's `prepare` step returned) [prepare-off-lane].
    """
    q, f, pk = tuple(query), tuple(filters), dict(path_kw or {})
    positional = None if path is None else tuple(path)

    def handler(ctx: Any, call: Call) -> Any:
        names = positional if positional is not None else [p for p in call.path if p not in pk]
        args: list[Any] = [call.path[p] for p in names]
        if f:
            args.append({k: call.query[k] for k in f if k in call.query})
        if body:
            args.append(call.body if call.body is not None else {})
        kwargs = {k: call.query.get(k) for k in q}
        kwargs.update({kw: call.path[p] for p, kw in pk.items()})
        if principal:
            kwargs["principal"] = call.principal
        if fixed:
            kwargs.update(fixed)
        if base_url:
            kwargs["base_url"] = call.base_url
        if prepared:
            kwargs["prepared"] = call.prepared
        return fn(ctx, *args, **kwargs)

    handler.target = target_name(fn)  # type: ignore[attr-defined]
    handler.query_names = q + f  # type: ignore[attr-defined]
    return handler
