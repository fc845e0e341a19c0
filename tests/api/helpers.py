"""Helpers for the API tests: app and client construction, accounts, tokens, envelope checks."""

from __future__ import annotations

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
    assert set(body) == {"data", "error", "meta"}
    assert body["data"] is None and isinstance(body["meta"], dict)
    assert set(body["error"]) == {"code", "message", "hint", "details"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)
    return body


def fill(path: str) -> str:
    """A concrete URL for a declared path: every parameter becomes a well-formed, unknown UUID."""
    import re

    return re.sub(r"\{[^}]+\}", "0b7e1a52-7a3c-4c0e-9d7e-1f2a3b4c5d6e", path)


async def asgi_request(
    app: Any,
    method: str,
    path: str,
    chunks: list[bytes],
    headers: list[tuple[str, str]],
    receive: Any = None,
) -> tuple[int, dict[str, Any]]:
    """A request through the ASGI interface itself, with exactly the headers given (an HTTP client
    would add a Host, lowercase it, or set Content-Length). The body arrives in `chunks`; `receive`
    replaces that. Returns (status, the decoded JSON body)."""
    import json

    pending = list(chunks)

    async def feed() -> dict[str, Any]:
        if not pending:
            return {"type": "http.disconnect"}
        part = pending.pop(0)
        return {"type": "http.request", "body": part, "more_body": bool(pending)}

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8765),
    }
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive or feed, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, json.loads(body) if body else {}
