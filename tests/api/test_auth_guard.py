"""Every non-public route refuses missing, garbage, expired, wrong-audience and revoked credentials with
a 401 envelope; the public routes of [public-routes] work without one."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.support.api import assert_error, bearer, fill, forged_jwt, revoke, script_token, web_token

pytestmark = pytest.mark.anyio


def _ops() -> list[Any]:
    from pcrm.api.routes import all_ops

    return all_ops()


PROTECTED = [o for o in _ops() if not o.public]
PUBLIC = [o for o in _ops() if o.public]


def _valid_claims(user_id: str) -> dict[str, Any]:
    """The claims of a good web token for the account, to spoil one at a time."""
    import jwt

    token = web_token(user_id)
    return dict(jwt.decode(token, options={"verify_signature": False}))


def _bad_credentials(user_id: str) -> dict[str, tuple[dict[str, str], str]]:
    """Each credential has exactly one thing wrong with it, and the message says which: a check left
    out, or loosened (leeway on the expiry), lets its credential through or changes the message."""
    good = _valid_claims(user_id)
    now = int(time.time())
    revoked = script_token("soon-revoked")
    revoke("soon-revoked")
    spoiled = {
        "expired": {**good, "iat": now - 7200, "exp": now - 1},
        "wrong-audience": {**good, "aud": "someone-else"},
        "no-audience": {k: v for k, v in good.items() if k != "aud"},
        "no-expiry": {k: v for k, v in good.items() if k != "exp"},
        "unknown-subject": {**good, "sub": "0b7e1a52-7a3c-4c0e-9d7e-1f2a3b4c5d6e"},
        "stale-password": {**good, "pv": "0" * 16},
    }
    bad_jwt = "could not validate credentials"
    return {
        "missing": ({}, "this route needs a token"),
        "garbage": (bearer("not-a-token"), bad_jwt),
        "garbage-jwt": (bearer("eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl"), bad_jwt),
        "not-bearer": ({"Authorization": "Basic YWRhOnNlY3JldA=="}, "must be `Bearer TOKEN`"),
        "expired": (bearer(forged_jwt(spoiled["expired"])), "the token has expired"),
        "wrong-audience": (bearer(forged_jwt(spoiled["wrong-audience"])), bad_jwt),
        "no-audience": (bearer(forged_jwt(spoiled["no-audience"])), bad_jwt),
        "no-expiry": (bearer(forged_jwt(spoiled["no-expiry"])), bad_jwt),
        "unknown-subject": (bearer(forged_jwt(spoiled["unknown-subject"])), bad_jwt),
        "stale-password": (bearer(forged_jwt(spoiled["stale-password"])), "before the password changed"),
        "wrong-secret": (bearer(forged_jwt(good, secret="x" * 48)), bad_jwt),
        "revoked": (bearer(revoked), "unknown or revoked token"),
        "unknown-script-token": (bearer("pcrm_tok_" + "A" * 43), "unknown or revoked token"),
    }


@pytest.mark.parametrize("o", PROTECTED, ids=[o.key for o in PROTECTED])
async def test_protected_route_refuses_bad_credentials(o: Any, client: Any, account: dict[str, Any]) -> None:
    url = fill(o.full_path)
    for label, (headers, reason) in _bad_credentials(account["id"]).items():
        r = await client.request(o.method, url, headers=headers, json={})
        body = assert_error(r, "unauthorized", 401)
        assert reason in body["error"]["message"], label
        assert r.headers["www-authenticate"] == "Bearer", label
        assert body["error"]["hint"], label


async def test_the_spoiled_claims_are_good_but_for_one_thing(client: Any, account: dict[str, Any]) -> None:
    """The claims the bad credentials start from are admitted as they are, so each refusal above is for
    the one thing spoiled."""
    r = await client.get("/api/v1/contacts", headers=bearer(forged_jwt(_valid_claims(account["id"]))))
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(("exp_offset", "admitted"), [(-1, False), (0, False), (1, True), (60, True)])
async def test_expiry_is_exact_with_no_leeway(
    client: Any, account: dict[str, Any], exp_offset: int, admitted: bool
) -> None:
    """A token is good until the second before its `exp` by pcrm's clock (so --now governs it), with no
    leeway either way."""
    from datetime import UTC, datetime

    from pcrm import clock

    t = int(time.time())
    claims = {**_valid_claims(account["id"]), "iat": t - 3600, "exp": t + exp_offset}
    clock.set_now(datetime.fromtimestamp(t, UTC))
    r = await client.get("/api/v1/contacts", headers=bearer(forged_jwt(claims)))
    if admitted:
        assert r.status_code == 200, r.text
    else:
        assert "the token has expired" in assert_error(r, "unauthorized", 401)["error"]["message"]


async def test_extension_tokens_only_where_the_reference_lets_the_extension_in(
    client: Any, account: dict[str, Any]
) -> None:
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
    from pcrm.services import tokens
    from tests.support.api import ctx

    tok = script_token("used")
    with ctx() as c:
        assert tokens.list_script_tokens(c).data[0]["last_used_at"] is None
    r = await client.get("/api/v1/contacts", headers=bearer(tok))
    assert r.status_code == 200
    with ctx() as c:
        assert tokens.list_script_tokens(c).data[0]["last_used_at"] is not None


def test_public_routes_are_exactly_the_listed_ones() -> None:
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
        "GET /api/v1/auth/twitter/return",
        "GET /api/v1/calendar.ics",
    }


@pytest.mark.parametrize("o", PUBLIC, ids=[o.key for o in PUBLIC])
async def test_public_route_needs_no_token(o: Any, client: Any) -> None:
    headers = {}
    if o.key == "POST /api/v1/webhooks/whatsapp":  # its credential is the body's HMAC, not a token
        import hashlib
        import hmac

        from pcrm import secrets

        secrets.put("whatsapp.webhook_secret", "s3cret")
        headers = {"X-Webhook-Signature": hmac.new(b"s3cret", b"{}", hashlib.sha256).hexdigest()}
    r = await client.request(o.method, fill(o.full_path), content=b"{}", headers=headers)
    assert r.status_code != 401, r.text
    assert r.headers.get("x-request-id")


async def test_health(client: Any) -> None:
    r = await client.get("/api/health")
    assert r.status_code == 200
    assert r.content == b'{"data":{"status":"ok"},"error":null,"meta":{}}'
