"""A route asked for with a trailing slash answers as the route itself, never with a redirect
[trailing-slashes]."""

from __future__ import annotations

from typing import Any

import pytest
from asgi_lifespan import LifespanManager

from tests.support.api import client_for, make_app

pytestmark = pytest.mark.anyio


async def test_a_trailing_slash_is_the_same_route(client: Any, script: dict[str, str]) -> None:
    made = await client.post("/api/v1/contacts/", json={"full_name": "Ada Lovelace"}, headers=script)
    assert made.status_code == 201, made.text  # a POST body is not lost to a redirect
    cid = made.json()["data"]["id"]
    for path in ("/api/v1/contacts", "/api/v1/contacts?page=1", f"/api/v1/contacts/{cid}", "/api/health"):
        plain = await client.get(path, headers=script)
        q = path.find("?")
        slashed = path[:q] + "/" + path[q:] if q > 0 else path + "/"
        r = await client.get(slashed, headers=script)
        assert r.status_code == plain.status_code == 200, (slashed, r.status_code, r.text)
        assert r.json()["data"] == plain.json()["data"]
    # what the route answers, it answers with the slash too: its auth, its errors
    assert (await client.get("/api/v1/contacts/")).status_code == 401
    r = await client.get("/api/v1/contacts/?pgae=2", headers=script)
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"


async def test_no_route_is_a_404_envelope_not_a_redirect(client: Any, script: dict[str, str]) -> None:
    for path in ("/api/v1/no-such-thing/", "/api/v1/contacts//", "/api/v1/"):
        r = await client.get(path, headers=script)
        assert r.status_code == 404, (path, r.status_code)
        assert r.json()["error"]["code"] == "not_found"
        assert "location" not in r.headers


async def test_no_redirect_names_a_host_even_an_allowed_one(pcrm_home: Any, script: dict[str, str]) -> None:
    """Starlette's redirect was built from the Host header; with no redirect at all, no answer can send a
    client to another host."""
    app = make_app(extra_hosts=["crm.lan"])
    async with LifespanManager(app), client_for(app, "http://crm.lan:8765") as c:
        r = await c.get("/api/v1/contacts/", headers=script)
        assert r.status_code == 200, r.text
        assert "location" not in r.headers
