"""From operation declarations to Starlette routes, and the one request pipeline every operation runs:

authenticate (unless public) -> 501 for unbuilt capabilities -> rate limit -> check query names ->
parse and validate the body -> call the service in the worker lane -> envelope. Authentication and the
call share one trip to the worker lane; input is parsed before it, its errors raised after authentication.
An op with a `prepare` step authenticates in the read pool, runs that step in the I/O pool (network waits)
and then only its write in the lane [prepare-off-lane].
PcrmError becomes its [error-codes] error envelope; anything else is logged and becomes a bare `internal` 500.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route, Router

from pcrm.api import responses
from pcrm.api.declare import Call, Op
from pcrm.api.ratelimit import client_key
from pcrm.domain.wording import counted
from pcrm.errors import BadRequest, MethodNotAllowed, NotImplementedYet, PcrmError, ValidationError, bounded
from pcrm.serialize import loads
from pcrm.services.auth import authenticate
from pcrm.services.context import budgeted

log = logging.getLogger("pcrm.api")


def _path_key(path: str) -> list[tuple[int, str]]:
    """Static segments sort before parameters at the first position where two paths differ, so
    /contacts/ids is tried before /contacts/{contact_id}."""
    return [(1, "") if s.startswith("{") else (0, s) for s in path.strip("/").split("/")]


class IndexedRouter(Router):
    """Starlette's router, with the route of an HTTP request found by a dict lookup (static paths) or among
    the parameterised paths of the same depth, instead of a regex match against every route in turn (that
    scan cost ~0.1 ms a request with ~150 routes). A path with one trailing slash more than a route's is that
    route, answered in place: Starlette would answer it with a bare redirect [trailing-slashes]. Lifespan and
    misses go to Starlette's own code."""

    def __init__(self, routes: list[Route], **kw: Any) -> None:
        super().__init__(routes=routes, redirect_slashes=False, **kw)
        self._static: dict[str, Route] = {}
        self._by_depth: dict[int, list[Route]] = {}
        for r in routes:  # already in match order: static segments first (build_routes)
            if "{" in r.path:
                self._by_depth.setdefault(r.path.count("/"), []).append(r)
            else:
                self._static.setdefault(r.path, r)

    def find(self, scope: Any) -> tuple[Route, Any] | None:
        """The route fully matching an HTTP request and its child scope (endpoint, path params), or None;
        `/contacts/` finds `/contacts` [trailing-slashes]."""
        path = scope["path"]
        found = self._find(scope, path)
        if found is None and len(path) > 1 and path.endswith("/") and not path.endswith("//"):
            found = self._find({**scope, "path": path[:-1]}, path[:-1])
        return found

    def _find(self, scope: Any, path: str) -> tuple[Route, Any] | None:
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        route = self._static.get(path)
        found: tuple[Route, Any] | None = None
        for r in (route,) if route is not None else self._by_depth.get(path.count("/"), ()):
            match, child = r.matches(scope)
            if match is Match.FULL and _allows(r, scope.get("method", "GET")):
                return r, child
            if match is not Match.NONE:  # PARTIAL: the path, in a method no operation has (TRACE)
                found = found or (r, child)  # its 405, unless a later route has the method
        if found is not None and route is not None:
            # as FastAPI routes: a fixed path without the method falls through to the parameterised
            # paths of its depth (GET /contacts/2nd-tier is GET /contacts/{contact_id}, a 422)
            for r in self._by_depth.get(path.count("/"), ()):
                match, child = r.matches(scope)
                if match is Match.FULL and _allows(r, scope.get("method", "GET")):
                    return r, child
        return found

    async def app(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            found = self.find(scope)
            if found is not None:
                r, child = found
                scope.setdefault("router", self)
                scope["route"] = r
                scope.update(child)
                if r.methods and scope["method"] not in r.methods and hasattr(r.endpoint, "ops"):
                    # a method no operation has (TRACE): the path's endpoint answers its 405 with the
                    # path's own methods; Starlette's named every method of _ALL_METHODS
                    await r.app(scope, receive, send)
                    return
                await r.handle(scope, receive, send)
                return
        await super().app(scope, receive, send)


_ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def _allows(route: Route, method: str) -> bool:
    """Whether an operation route has `method` (HEAD where it has GET); a route of another kind (the
    daemon's /mcp, the docs) takes any, answering for itself."""
    ops = getattr(route.endpoint, "ops", None)
    return ops is None or method in ops or (method == "HEAD" and "GET" in ops)


def build_routes(ops: Iterable[Op]) -> list[Route]:
    by_path: dict[str, dict[str, Op]] = {}
    for o in ops:
        methods = by_path.setdefault(o.full_path, {})
        if o.method in methods:
            raise ValueError(f"{o.key} is declared twice")
        methods[o.method] = o
    return [
        Route(path, _endpoint(by_path[path]), methods=_ALL_METHODS, name=path)
        for path in sorted(by_path, key=_path_key)
    ]


def _endpoint(methods: dict[str, Op]) -> Any:
    # what a path allows, for the 405 of a method it does not have; HEAD wherever GET is (answered as GET)
    allowed = sorted({*methods, *(("HEAD",) if "GET" in methods else ())})

    async def endpoint(request: Request) -> Response:
        o = methods.get(request.method)
        if o is None and request.method == "HEAD":
            o = methods.get("GET")
        if o is None:  # a path that exists, another method: 405 with Allow, as the reference [error-codes]
            return responses.error(MethodNotAllowed.on(request.url.path, request.method, allowed))
        try:
            return await _handle(o, request)
        except ValidationError as e:
            return responses.error(_placed(e, o, request))
        except PcrmError as e:
            return responses.error(e)
        except Exception as e:
            log.exception("internal error in %s (request %s)", o.key, request.scope.get("pcrm.request_id"))
            return responses.internal(e)
        finally:
            if o.form:
                # a parsed multipart form holds its files in spooled temporary files until closed
                await request.close()

    endpoint.ops = methods  # type: ignore[attr-defined]  # for the lean path [lean-path]
    return endpoint


def _placed(err: ValidationError, o: Op, request: Request) -> ValidationError:
    """A service's error on a field it was given from the query string or the path, which it names alone
    (`check_length("search", ...)`), placed there: loc ["query", "search"], not ["body", "search"]
    [error-detail]. A name the op's body also has stays the body's."""
    body = set(getattr(o.body, "model_fields", None) or ())
    query = {p.name for p in o.query} & set(request.query_params) - body
    path = set(request.path_params) - body
    for f in err.details["fields"]:
        name = f.get("field")
        if name in err.locs or not isinstance(name, str):
            continue
        if name in query:
            err.locs[name] = ["query", name]
        elif name in path:
            err.locs[name] = ["path", name]
    return err


async def _handle(o: Op, request: Request) -> Response:
    """One hop to the worker lane per request: authentication and the service call run together there.

    The query and body are parsed first (on the event loop, where the body is read), but their errors are
    raised only after authentication, so the order of answers stays 401 -> 501 -> 429 -> 422/400."""
    rt = request.app.state.pcrm
    client = request.client.host if request.client else None
    header = None if o.public else request.headers.get("authorization")
    query: dict[str, str] = {}
    body: Any = None
    bad_input: PcrmError | None = None
    if o.todo is None:
        try:
            query = _query(o, request)
            body = await _body(o, request)
        except PcrmError as e:
            bad_input = e

    path, base_url = dict(request.path_params), _base_url(request)

    def admit(ctx: Any) -> Any:
        principal = None
        if not o.public and not (not header and o.link_auth is not None and o.link_auth(path, query)):
            principal = authenticate(ctx, header, o.audiences)
        if o.todo is not None:
            raise NotImplementedYet(
                f"{o.key} is not built yet: {o.todo}",
                hint="see the README's list of API routes that answer 501",
                details={"capability": o.todo},
            )
        if o.rate_limit:
            rt.limiters[o.rate_limit].hit(client_key(client))  # [login-limits]
        if bad_input is not None:
            raise bad_input
        return principal

    if o.raw is not None or o.call is None:  # raw routes, and 501s (admit raises)
        if o.public:
            principal = admit(None)
        else:  # a raw read (an avatar file) authenticates in the read pool, like a read op
            principal = await _admit_off_lane(rt, admit) if o.read else await rt.run(admit)
        assert o.raw is not None
        return await o.raw(
            request,
            Call(path=path, query=query, body=body, principal=principal, client=client, base_url=base_url),
        )

    if o.prepare is not None:  # [prepare-off-lane]: authenticate, wait on the network, then write
        call = Call(path=path, query=query, body=body, principal=None, client=client, base_url=base_url)
        call.principal = admit(None) if o.public else await _admit_off_lane(rt, admit)
        prepare, write = o.prepare, o.call
        call.prepared = await rt.prepare(lambda ctx: prepare(ctx, call))
        written = await rt.run(lambda ctx: write(ctx, call))
        return responses.ok(written.data, written.meta, o.status)

    def work(ctx: Any) -> Any:
        call = Call(path=path, query=query, body=body, principal=admit(ctx), client=client, base_url=base_url)
        return o.call(ctx, call)  # type: ignore[misc]

    task = budgeted(work, rt.read_budget_s) if request.method in ("GET", "HEAD") else work  # [read-budget]

    result: Any  # the service's Result
    inline = o.inline(query) if callable(o.inline) else o.inline  # [inline-reads]
    done, result = await rt.read(task, inline=inline) if o.read else (False, None)
    if not done:
        result = await rt.run(task)
    return responses.ok(result.data, result.meta, o.status)


async def _admit_off_lane(rt: Any, admit: Any) -> Any:
    """The principal, checked as an inline read (a token's look-up is short), so a busy worker lane does
    not hold it up; in the lane only when the check writes (a token's last-used stamp, once a minute)
    [read-pool] [inline-reads]."""
    done, principal = await rt.read(admit, inline=True)
    return principal if done else await rt.run(admit)


_BASE_URLS: dict[tuple[Any, ...], str] = {}


def _base_url(request: Request) -> str:
    """str(request.base_url), remembered per (scheme, server, root path, Host): Starlette rebuilds it from a
    copy of the scope on every request (~20 us, 5% of a GET /contacts/{id})."""
    scope = request.scope
    server = scope.get("server")
    key = (
        scope.get("scheme"),
        tuple(server) if server else None,
        scope.get("app_root_path"),
        scope.get("root_path"),
        request.headers.get("host"),
    )
    url = _BASE_URLS.get(key)
    if url is None:
        url = str(request.base_url)
        if len(_BASE_URLS) < 256:  # a handful of names in practice; never grows without bound
            _BASE_URLS[key] = url
    return url


def _query(o: Op, request: Request) -> dict[str, str]:
    known = {p.name for p in o.query}
    out: dict[str, str] = {}
    for k, v in request.query_params.multi_items():
        if k not in known:
            hint = (
                f"this route takes: {', '.join(sorted(known))}"
                if known
                else "this route takes no query parameters"
            )
            unknown = ValidationError(  # the key cut as the message cuts it [error-quotes]
                f"unknown query parameter {k!r}", field=str(bounded(k)), hint=hint, kind="extra_forbidden"
            )
            raise unknown.at("query")
        if k in out:
            twice = ValidationError(
                f"query parameter {k!r} is given twice",
                field=k,
                hint=f"give it once, e.g. {request.url.path}?{k}={bounded(out[k])}",
            )
            raise twice.at("query")
        out[k] = v
    for p in o.query:
        if p.required and p.name not in out:
            missing = ValidationError(
                f"query parameter {p.name!r} is required",
                field=p.name,
                kind="missing",
                hint=f"add it to the query string: {request.url.path}?{p.name}=...",
            )
            raise missing.at("query")
    return out


async def _body(o: Op, request: Request) -> Any:
    if o.body is None:
        if o.raw is None and request.method not in ("GET", "HEAD"):
            await _no_body(o, request)
        return None
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if o.form and ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        from starlette.exceptions import HTTPException

        try:
            form = await request.form()
        except HTTPException as exc:  # a malformed form: Starlette's 400, not a bare 500
            raise BadRequest(
                f"the form data could not be read ({exc.detail})",
                hint="send multipart/form-data or application/x-www-form-urlencoded",
            ) from None
        data: Any = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        strict = False  # a form's values are all text: "true" and "14" are how it says a flag and a number
    else:
        strict = True
        raw = await request.body()
        if not raw.strip():
            data = {}
        else:
            if ctype and ctype != "application/json" and not ctype.endswith("+json"):
                raise BadRequest(
                    f"the body must be JSON, not {ctype}", hint="send Content-Type: application/json"
                )

            try:
                data = loads(_without_bom(raw))
            except ValueError:
                raise BadRequest("the body is not valid JSON", hint="check the JSON syntax") from None
            _no_repeated_key(_without_bom(raw))
    if not isinstance(data, dict):
        takes = ", ".join(sorted(getattr(o.body, "model_fields", {})))
        raise ValidationError(
            "the body must be a JSON object",
            field="body",
            kind="model_attributes_type",
            hint=f'send one object, {{"field": value, ...}}, not {_json_kind(data)}; '
            f"this body takes: {takes}",
        )
    return validate(o.body, data, strict=strict)


def _json_kind(data: Any) -> str:
    """What a JSON value is, in words: `a list` for [], `a string` for "x"."""
    if isinstance(data, list):
        return "a list"
    if isinstance(data, str):
        return "a string"
    if isinstance(data, bool):
        return "true or false"
    if isinstance(data, (int, float)):
        return "a number"
    return "null"


def _without_bom(raw: bytes) -> bytes:
    """A JSON body without the UTF-8 byte-order mark some Windows tools write first (PowerShell 5's
    Out-File, Notepad): JSON's RFC 8259 lets a parser ignore it, and the body is otherwise valid."""
    return raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw


async def _no_body(o: Op, request: Request) -> None:
    """A write that takes no body refuses one that says something [strict-validation]: `POST /identity/scan
    {"dry_run": true}` ran a real scan, merging, and `DELETE /contacts/2nd-tier {"dry_run": true}` deleted.
    Nothing, whitespace, `{}` and `null` are no body; each key of an object is an unknown field."""
    raw = await request.body()
    if not raw.strip():
        return
    try:
        data = loads(_without_bom(raw))
    except ValueError:
        data = raw
    if data is None or data == {}:
        return
    names = [p.name for p in o.query]
    hint = (
        f"this operation takes no body; give {', '.join(names)} in the query string, "
        f"e.g. {o.path}?{names[0]}=true"
        if names
        else "this operation takes no body; send none"
    )
    if isinstance(data, dict):
        keys = [str(bounded(str(k))) for k in data]
        err = ValidationError(
            f"{keys[0]}: unknown field (this operation takes no body)",
            fields=[{"field": k, "message": "unknown field"} for k in keys],
            hint=hint,
        )
        err.locs = {k: ["body", k] for k in keys}
        err.kinds = dict.fromkeys(keys, "extra_forbidden")
        raise err
    raise ValidationError("this operation takes no body", field="body", hint=hint, kind="extra_forbidden")


def _no_repeated_key(raw: bytes) -> None:
    """A JSON object that gives a key twice is refused, 422 naming the key [strict-validation]: a parser
    keeps the last value (`{"full_name": "Dup A", "full_name": "Dup B"}` created Dup B) and the other is
    lost without a word. A body with no key written twice over (nearly every one) costs one byte scan."""
    import json

    if raw.count(b'":') < 2:
        return
    repeated: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        for k, _ in items:
            if k in seen and k not in repeated:
                repeated.append(k)
            seen.add(k)
        return dict(items)

    try:
        json.loads(raw, object_pairs_hook=pairs)
    except (ValueError, RecursionError):  # what orjson read and this parser does not: nothing to say
        return
    if repeated:
        keys = [str(bounded(k)) for k in repeated]
        err = ValidationError(
            f"{keys[0]}: given twice in one JSON object",
            fields=[{"field": k, "message": "given twice in one JSON object"} for k in keys],
            hint="give each key once: a JSON parser keeps only one of the values",
        )
        err.locs = {k: ["body", k] for k in keys}
        raise err


def validate(model: Any, data: dict[str, Any], *, strict: bool = True) -> dict[str, Any]:
    """Validate with the pydantic model; errors become one 422 listing every bad field. `strict`
    [strict-validation]: a JSON body's string is no number and no true or false (pydantic's lax mode took
    `{"high": "14"}` as 14 and `{"sync_2nd_tier": "no"}` as false, while `{"high": true}` was refused and
    MCP refused "3"); a whole float is no int either. Form bodies are read lax: all their values are text."""
    import pydantic

    try:
        m = model.model_validate(data, strict=strict)
    except pydantic.ValidationError as e:
        fields = []
        locs: dict[str, list[str | int]] = {}
        kinds: dict[str, str] = {}
        ctxs: dict[str, dict[str, Any]] = {}
        # a body's own keys are quoted kept to a readable length, and ValidationError lists FIELDS_LISTED of
        # them [error-quotes]: a 100,000-character unknown key came back whole in `fields` and `detail`
        for err in e.errors(include_url=False, include_input=False):
            loc = [p if isinstance(p, int) else str(bounded(str(p))) for p in err["loc"]]
            name = ".".join(str(p) for p in loc) or "body"
            msg = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
            fields.append({"field": name, "message": msg})
            locs[name] = ["body", *loc]  # FastAPI's, with list positions as numbers [error-detail]
            kinds[name] = err["type"]
            ctxs[name] = dict(err.get("ctx") or {})
        first = fields[0]
        hint = (
            _field_hint(model, locs[first["field"]], kinds[first["field"]])
            or _value_hint(first["field"], kinds[first["field"]], ctxs[first["field"]])
            # every refusal says what to do [error-detail]: at the least, what the body takes
            or f"this body takes: {', '.join(sorted(getattr(model, 'model_fields', {})))}"
        )
        out = ValidationError(f"{first['field']}: {first['message']}", fields=fields, hint=hint)
        out.locs, out.kinds = locs, kinds
        raise out from None
    return m.model_dump(exclude_unset=True)


# what a field of each pydantic type takes, said to the person who sent another type [error-detail]
_TAKES = {
    "string_type": "text (a JSON string)",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list (a JSON array)",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "date_type": "a date like 2026-03-14",
    "date_parsing": "a date like 2026-03-14",
    "date_from_datetime_parsing": "a date like 2026-03-14",
    "datetime_type": "a date and time like 2026-03-14T09:30:00Z",
    "datetime_parsing": "a date and time like 2026-03-14T09:30:00Z",
    "datetime_from_date_parsing": "a date and time like 2026-03-14T09:30:00Z",
    # an upload's file sent in a JSON body or as a form's text: the part with a filename it needs
    "bytes_type": "a file: send multipart/form-data with the file as a part that has a filename "
    "(curl -F file=@people.csv URL)",
}


def _value_hint(name: str, kind: str, ctx: dict[str, Any]) -> str | None:
    """The hint of a value the request model refused: the type the field takes (`{"full_name": 123}`), the
    choices it has (`{"priority_level": "urgent"}`: "use one of: high, medium, low, archived"), or its
    bounds. Each came back with no hint while the service's own refusals had one [error-detail]."""
    import re

    if kind in ("literal_error", "enum"):
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"use one of: {', '.join(choices)}" if choices else None
    if kind in _TAKES:
        return f"{name} takes {_TAKES[kind]}"
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("more than", "gt"),
        "less_than_equal": ("at most", "le"),
        "less_than": ("less than", "lt"),
    }
    if kind in bounds and bounds[kind][1] in ctx:
        words, key = bounds[kind]
        return f"{name} takes a number {words} {ctx[key]}"
    unit = "character" if kind.startswith("string_") else "item"
    if kind in ("string_too_long", "too_long") and "max_length" in ctx:
        return f"{name} takes at most {counted(int(ctx['max_length']), unit)}"
    if kind in ("string_too_short", "too_short") and "min_length" in ctx:
        return f"{name} takes at least {counted(int(ctx['min_length']), unit)}"
    return None


def _field_hint(model: Any, loc: list[str | int], kind: str) -> str | None:
    """The hint of a body's unknown or missing top-level field, as an unknown query parameter's names what
    the route takes: `{"fullname": ...}` came back "unknown field", `{}` on a body that needs `message`
    "Field required", both with no hint. An unknown field's hint names the closest one it could have been,
    a missing one's the fields the body needs."""
    if len(loc) != 2 or kind not in ("extra_forbidden", "missing"):  # a nested model's fields: not here
        return None
    if kind == "missing":
        fields = getattr(model, "model_fields", {})
        needs = [name for name, f in sorted(fields.items()) if f.is_required()]
        return f"this body needs {', '.join(needs)}" if needs else None
    import difflib

    takes = sorted(getattr(model, "model_fields", {}))
    if not takes:
        return None
    near = difflib.get_close_matches(str(loc[1]), takes, n=1, cutoff=0.75)
    listed = f"this body takes: {', '.join(takes)}"
    return f"did you mean {near[0]}? {listed}" if near else listed
