"""API answers carry `Cache-Control: no-store` [no-store]: a login's JWT, a new MCP key and every page of
contacts are for the caller only, never for a browser's disk cache or a proxy. A route with a policy of its
own (an avatar file, kept a few minutes) keeps it."""

from __future__ import annotations

from typing import Any

from tests.support.api import V


def _policy(r: Any) -> str | None:
    return r.headers.get("cache-control")


def test_a_login_answer_with_its_token_is_not_stored(api: Any) -> None:
    account = {"email": "ada@example.com", "password": "correct horse battery"}
    assert api.post(f"{V}/auth/register", json=account).status_code == 201
    r = api.post(f"{V}/auth/login", json=account)
    assert r.status_code == 200 and r.json()["data"]["access_token"]
    assert _policy(r) == "no-store"


def test_a_new_mcp_key_is_not_stored(api: Any) -> None:
    r = api.post(f"{V}/settings/mcp-key")
    assert r.status_code == 200 and r.json()["data"]["key"].startswith("pcrm_mcp_")
    assert _policy(r) == "no-store"


def test_contact_pages_and_errors_are_not_stored_on_either_path(api: Any) -> None:
    # an ordinary read (answered by the lean path), one with an Origin the daemon serves (the full stack), an
    # error envelope and a path no route has
    assert _policy(api.get(f"{V}/contacts", params={"page_size": 2})) == "no-store"
    r = api.get(f"{V}/contacts", headers={"Origin": "http://127.0.0.1"})
    assert r.status_code == 200 and _policy(r) == "no-store"
    assert _policy(api.get(f"{V}/contacts/not-an-id")) == "no-store"
    assert _policy(api.get(f"{V}/no-such-route")) == "no-store"
    assert _policy(api.get(f"{V}/contacts", headers={"Authorization": ""})) == "no-store"


def test_the_calendar_feed_keeps_its_own_policy(api: Any, cli: Any) -> None:
    token = cli("token", "create", "--calendar", "phone").stdout.strip()
    r = api.get(f"{V}/calendar.ics", params={"token": token})
    assert r.status_code == 200 and r.headers.get_list("cache-control") == ["no-store"]
