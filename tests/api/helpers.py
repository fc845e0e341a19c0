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
    """The D5 error envelope, with its status, code and an X-Request-ID."""
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
