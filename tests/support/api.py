"""Helpers for the API tests: app and client construction, accounts, tokens, envelope checks, and the
OpenAPI check of responses.

`checked_client(app)` is a sync test client whose every JSON response is checked against the OpenAPI
document the app serves (a response hook): 2xx bodies must match the operation's documented success
schema, error bodies the ErrorEnvelope. Nothing sent through it can get a response past that check.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx


def make_app(**kw: Any) -> Any:
    from pcrm.api.app import create_app

    return create_app(**kw)


def client_for(app: Any, base_url: str = "http://127.0.0.1") -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url)


def ctx() -> Any:
    from pcrm.services.context import open_context

    return open_context()


V = "/api/v1"
UNKNOWN = "0b7e1a52-7a3c-4c0e-9d7e-1f2a3b4c5d6e"  # a well-formed UUID that no row has
PASSWORD = "correct horse battery"
EMAIL = "ada@example.com"


def web_token(user_id: str, *, kind: str = "web", lifetime: timedelta | None = None) -> str:
    from pcrm.services import auth

    with ctx() as c:
        return auth.mint_jwt(c, user_id, kind=kind, lifetime=lifetime)["access_token"]


def forged_jwt(claims: dict[str, Any], secret: str | None = None) -> str:
    import jwt

    from pcrm.services import auth

    return jwt.encode(claims, secret or auth.jwt_secret(), algorithm="HS256")


def script_token(name: str = "tests") -> str:
    from pcrm.services import tokens

    with ctx() as c:
        return tokens.create_script_token(c, name).data["token"]


def revoke(name: str) -> None:
    from pcrm.services import tokens

    with ctx() as c:
        tokens.revoke_script_token(c, name)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_error(resp: httpx.Response, code: str, status: int) -> dict[str, Any]:
    """The [error-codes] error envelope, with its status, code and an X-Request-ID."""
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    assert resp.headers.get("x-request-id")
    body = resp.json()
    assert set(body) == {"data", "error", "meta", "detail"}
    assert body["data"] is None and isinstance(body["meta"], dict)
    assert set(body["error"]) == {"code", "message", "hint", "details"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)
    assert_detail(body)
    return body


def assert_detail(body: dict[str, Any]) -> None:
    """The reference's `detail` agrees with the envelope's error [one-envelope]."""
    err, detail = body["error"], body["detail"]
    fields = err["details"].get("fields")
    if err["code"] == "validation_error" and fields:
        # FastAPI's loc [error-detail]: where the value came from, then its path (the field, split at dots)
        assert [(d["loc"][0], ".".join(map(str, d["loc"][1:])) or "body", d["msg"]) for d in detail] == [
            (d["loc"][0], f["field"], f["message"]) for d, f in zip(detail, fields, strict=True)
        ]
        assert all(d["loc"][0] in ("body", "query", "path") and d["type"] for d in detail)
    elif err["code"] == "conflict" and "conflicting_contact" in err["details"]:
        assert detail == {
            "message": err["message"],
            "conflicting_contact": err["details"]["conflicting_contact"],
        }
    else:
        assert detail == err["message"]


def fields(r: Any) -> list[str]:
    """The fields a 422 envelope names (each with a message)."""
    body = assert_error(r, "validation_error", 422)
    items = body["error"]["details"]["fields"]
    assert items and all(set(f) == {"field", "message"} and f["message"] for f in items)
    return [f["field"] for f in items]


def ok(r: Any, status: int = 200) -> Any:
    """The body of a success envelope with this status."""
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"] is None and isinstance(body["meta"], dict)
    return body


def unsigned(url: str | None) -> str | None:
    """The stored path of a local avatar URL an API answer carries: the answer signs it for a browser's <img>
    [avatar-links]; this checks the signature is there and drops it."""
    if url is None or not url.startswith("/static/avatars/"):
        return url
    path, sep, sig = url.partition("?sig=")
    assert sep and sig, f"an API answer's local avatar URL is signed: {url}"
    return path


def check_model(model: Any, data: Any) -> None:
    """`data` is a valid `model` (a pydantic model or a type of them)."""
    from pydantic import TypeAdapter

    TypeAdapter(model).validate_python(data)


def fill(path: str) -> str:
    """A concrete URL for a declared path: every parameter becomes a well-formed, unknown UUID."""
    import re

    return re.sub(r"\{[^}]+\}", "0b7e1a52-7a3c-4c0e-9d7e-1f2a3b4c5d6e", path)


def asgi_scope(method: str, path: str, headers: list[tuple[str, str]], query: bytes = b"") -> dict[str, Any]:
    """The ASGI scope of an HTTP request from 127.0.0.1 to the daemon, with exactly the headers given."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8765),
        "state": {},
    }


async def asgi_exchange(
    app: Any,
    method: str,
    path: str,
    chunks: list[bytes],
    headers: list[tuple[str, str]],
    receive: Any = None,
    query: bytes = b"",
) -> list[dict[str, Any]]:
    """A request through the ASGI interface itself, with exactly the headers given (an HTTP client
    would add a Host, lowercase it, or set Content-Length). The body arrives in `chunks`; `receive`
    replaces that. Returns the messages the app sent."""
    pending = list(chunks)

    async def feed() -> dict[str, Any]:
        if not pending:
            return {"type": "http.disconnect"}
        part = pending.pop(0)
        return {"type": "http.request", "body": part, "more_body": bool(pending)}

    scope = asgi_scope(method, path, headers, query)
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive or feed, send)
    return sent


async def asgi_request(
    app: Any,
    method: str,
    path: str,
    chunks: list[bytes],
    headers: list[tuple[str, str]],
    receive: Any = None,
) -> tuple[int, dict[str, Any]]:
    """`asgi_exchange`, answered: (status, the decoded JSON body)."""
    import json

    sent = await asgi_exchange(app, method, path, chunks, headers, receive)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, json.loads(body) if body else {}


# ------------------------------------------------------------------ the OpenAPI check


class SchemaCheck:
    """Validates responses against the OpenAPI document of the app that served them."""

    def __init__(self, doc: dict[str, Any]) -> None:
        from jsonschema import Draft202012Validator

        self.doc = doc
        self.components = doc["components"]
        self._validators: dict[str, Any] = {}
        self._Validator = Draft202012Validator
        routes = []
        for path in doc["paths"]:
            # static segments before parameters, as the router tries them
            pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"
            key = [(1, "") if s.startswith("{") else (0, s) for s in path.strip("/").split("/")]
            routes.append((key, re.compile(pattern), path))
        self.routes = [(rx, path) for _, rx, path in sorted(routes, key=lambda r: r[0])]
        self.checked: list[str] = []

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        for rx, templ in self.routes:
            if rx.match(path):
                item = self.doc["paths"][templ]
                op = item.get(method.lower()) or (item.get("get") if method == "HEAD" else None)
                if op is not None:
                    return templ, op
        return None

    def _validator(self, schema: dict[str, Any]) -> Any:
        key = repr(schema)
        v = self._validators.get(key)
        if v is None:
            v = self._validators[key] = self._Validator({**schema, "components": self.components})
        return v

    def check(self, method: str, path: str, status: int, content_type: str, body: bytes) -> None:
        found = self.operation(method, path)
        if found is None or not content_type.startswith("application/json"):
            return
        templ, op = found
        import json

        data = json.loads(body)
        responses = op["responses"]
        documented = responses.get(str(status))
        if 200 <= status < 300:
            assert documented is not None, f"{method} {templ} answered {status}, which it does not document"
            content = documented.get("content", {}).get("application/json")
            if content is None:  # raw routes (openapi.json)
                return
            schema = content["schema"]
        else:
            schema = {"$ref": "#/components/schemas/ErrorEnvelope"}
        errors = sorted(self._validator(schema).iter_errors(data), key=lambda e: list(e.path))
        assert not errors, f"{method} {path} ({status}) does not match its OpenAPI schema: " + "; ".join(
            f"{list(e.path)}: {e.message}" for e in errors[:5]
        )
        self.checked.append(f"{method} {templ} {status}")


def checked_client(app: Any) -> Any:
    """A TestClient on http://127.0.0.1 (the Host guard's name) validating every response it gets."""
    import warnings

    with warnings.catch_warnings():  # starlette would rather have httpx2; httpx is what the project uses
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    client = TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=True)
    holder: dict[str, SchemaCheck] = {}

    def hook(response: Any) -> None:
        response.read()
        if "check" not in holder:
            holder["check"] = SchemaCheck(__import__("json").loads(app.state.openapi_bytes()))
        req = response.request
        holder["check"].check(
            req.method,
            req.url.path,
            response.status_code,
            response.headers.get("content-type", ""),
            response.content,
        )

    client.event_hooks = {"request": [], "response": [hook]}
    client.schema_check = holder  # type: ignore[attr-defined]
    return client


_DOC: dict[str, Any] = {}


def openapi_doc() -> dict[str, Any]:
    if not _DOC:
        from pcrm.api.openapi import document
        from pcrm.api.routes import all_ops

        _DOC.update(document(all_ops(), version="test"))
    return _DOC


def validate_against_openapi(method: str, path: str, resp: httpx.Response) -> None:
    import jsonschema

    assert 200 <= resp.status_code < 300, resp.text
    doc = openapi_doc()
    full = path if path.startswith("/api/") else "/api/v1" + path
    responses = doc["paths"][full][method.lower()]["responses"]
    schema = responses[str(resp.status_code)]["content"]["application/json"]["schema"]
    root = {**schema, "components": doc["components"]}
    jsonschema.Draft202012Validator(root).validate(resp.json())


async def search_names(client: httpx.AsyncClient, headers: dict[str, str], term: str) -> list[str]:
    """The full names `GET /contacts?search=term` finds, sorted; `/contacts/ids` must find the same ones."""
    r = await client.get("/api/v1/contacts", headers=headers, params={"search": term})
    assert r.status_code == 200, r.text
    ids = await client.get("/api/v1/contacts/ids", headers=headers, params={"search": term})
    assert sorted(ids.json()["data"]) == sorted(c["id"] for c in r.json()["data"]), term
    return sorted(c["full_name"] for c in r.json()["data"])
