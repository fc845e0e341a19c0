"""Every non-public route refuses missing, garbage, expired, wrong-audience and revoked credentials with
a 401 envelope; the public routes of D7 work without one."""

from __future__ import annotations

import time
from typing import Any

import pytest

from api.helpers import assert_error, bearer, fill, forged_jwt, revoke, script_token, web_token

pytestmark = pytest.mark.anyio


def _ops() -> list[Any]:
    from pcrm.api.routes import all_ops

    return all_ops()


PROTECTED = [o for o in _ops() if not o.public]
PUBLIC = [o for o in _ops() if o.public]


def _bad_credentials(user_id: str) -> dict[str, dict[str, str]]:
    now = int(time.time())
    revoked = script_token("soon-revoked")
    revoke("soon-revoked")
    return {
        "missing": {},
        "garbage": bearer("not-a-token"),
        "garbage-jwt": bearer("eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl"),
        "not-bearer": {"Authorization": "Basic YWRhOnNlY3JldA=="},
        "expired": bearer(
            forged_jwt({"sub": user_id, "aud": "pcrm-web", "iat": now - 7200, "exp": now - 60})
        ),
        "wrong-audience": bearer(
            forged_jwt({"sub": user_id, "aud": "someone-else", "iat": now, "exp": now + 3600})
        ),
        "no-audience": bearer(forged_jwt({"sub": user_id, "iat": now, "exp": now + 3600})),
        "wrong-secret": bearer(
            forged_jwt({"sub": user_id, "aud": "pcrm-web", "iat": now, "exp": now + 3600}, secret="x" * 48)
        ),
        "revoked": bearer(revoked),
        "unknown-script-token": bearer("pcrm_tok_" + "A" * 43),
    }


@pytest.mark.parametrize("o", PROTECTED, ids=[o.key for o in PROTECTED])
async def test_protected_route_refuses_bad_credentials(o: Any, client: Any, account: dict[str, Any]) -> None:
    url = fill(o.full_path)
    for label, headers in _bad_credentials(account["id"]).items():
        r = await client.request(o.method, url, headers=headers, json={})
        body = assert_error(r, "unauthorized", 401)
        assert r.headers["www-authenticate"] == "Bearer", label
        assert body["error"]["hint"], label


async def test_extension_tokens_only_where_section_7_1_lists(client: Any, account: dict[str, Any]) -> None:
    ext = bearer(web_token(account["id"], kind="extension"))
    accepting = {o.key for o in PROTECTED if "extension" in o.audiences}
    assert accepting == {
        "GET /api/v1/suggestions",
        "POST /api/v1/suggestions/{suggestion_id}/regenerate",
        "POST /api/v1/linkedin/push",
        "POST /api/v1/meta/push",
        "GET /api/v1/integrations/twitter/cookies",
        "POST /api/v1/integrations/twitter/cookies",
        "DELETE /api/v1/integrations/twitter/cookies",
    }
    for o in PROTECTED:
        r = await client.request(o.method, fill(o.full_path), headers=ext, json={})
        if o.key in accepting:
            assert r.status_code != 401, o.key
        else:
            assert_error(r, "unauthorized", 401)


async def test_good_tokens_are_admitted(
    client: Any, account: dict[str, Any], web: dict[str, str], script: dict[str, str]
) -> None:
    for headers in (web, script):
        r = await client.get("/api/v1/contacts", headers=headers)
        assert r.status_code == 200, r.text


async def test_script_token_works_before_any_account_exists(client: Any, script: dict[str, str]) -> None:
    r = await client.get("/api/v1/contacts", headers=script)
    assert r.status_code == 200
    r = await client.get("/api/v1/auth/me", headers=script)
    assert_error(r, "not_found", 404)


async def test_script_token_records_last_use(client: Any) -> None:
    from api.helpers import ctx
    from pcrm.services import tokens

    tok = script_token("used")
    with ctx() as c:
        assert tokens.list_script_tokens(c).data[0]["last_used_at"] is None
    r = await client.get("/api/v1/contacts", headers=bearer(tok))
    assert r.status_code == 200
    with ctx() as c:
        assert tokens.list_script_tokens(c).data[0]["last_used_at"] is not None


def test_public_routes_are_exactly_those_of_d7() -> None:
    assert {o.key for o in PUBLIC} == {
        "POST /api/v1/auth/register",
        "POST /api/v1/auth/login",
        "GET /api/v1/extension/pair",
        "POST /api/v1/extension/refresh",
        "POST /api/v1/errors",
        "POST /api/v1/webhooks/whatsapp",
        "GET /api/health",
        "GET /api/v1/openapi.json",
        "GET /api/docs",
        "GET /api/v1/auth/google/return",
        "GET /api/v1/calendar.ics",
    }


@pytest.mark.parametrize("o", PUBLIC, ids=[o.key for o in PUBLIC])
async def test_public_route_needs_no_token(o: Any, client: Any) -> None:
    r = await client.request(o.method, fill(o.full_path), json={})
    assert r.status_code != 401, r.text
    assert r.headers.get("x-request-id")


async def test_health(client: Any) -> None:
    r = await client.get("/api/health")
    assert r.status_code == 200
    assert r.content == b'{"data":{"status":"ok"},"error":null,"meta":{}}'
