"""Login limits: rotating the source address inside 127.0.0.0/8 bypassed the per-client limit, the
unknown-email path answered in 2 ms against 400 ms for a real check (revealing the email), and there
was no limit per account. Loopback is one client, failures per account back off exponentially, and an
unknown email runs a real hash check [login-limits]."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from pcrm.api.ratelimit import client_key
from pcrm.services import auth
from tests.support.api import EMAIL, PASSWORD, assert_error, make_app

pytestmark = pytest.mark.anyio
LOGIN = "/api/v1/auth/login"


def test_every_loopback_address_is_one_client() -> None:
    keys = {client_key(h) for h in ("127.0.0.1", "127.0.0.2", "127.45.6.7", "::1", "::ffff:127.0.0.9")}
    assert keys == {"loopback"}
    assert client_key("192.168.1.20") == "192.168.1.20" and client_key("10.0.0.1") != "loopback"


async def test_rotating_the_loopback_address_does_not_reset_the_limit(account: Any) -> None:
    app = make_app()
    async with LifespanManager(app):
        for i in range(11):
            transport = httpx.ASGITransport(app=app, client=(f"127.0.{i}.{i + 1}", 40000 + i))
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
                # a different unknown email each time: only the per-client limit can stop these
                r = await c.post(LOGIN, json={"email": f"nobody{i}@example.com", "password": "guess"})
            if i < 10:
                assert r.status_code == 401, (i, r.text)
    assert_error(r, "rate_limited", 429)


async def test_failures_on_one_account_back_off_exponentially(
    client: Any, account: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1000.0]
    monkeypatch.setattr(auth, "BACKOFF", auth.LoginBackoff(clock=lambda: now[0]))
    monkeypatch.setattr(client._transport.app.state.pcrm.limiters["login"], "limit", 1000)
    for _ in range(auth.LoginBackoff.FREE):
        r = await client.post(LOGIN, json={"email": EMAIL, "password": "wrong password"})
        assert r.status_code == 401
    # now even the right password waits: 2 s after the last failure
    r = await client.post(LOGIN, json={"email": EMAIL, "password": PASSWORD})
    body = assert_error(r, "rate_limited", 429)
    assert body["meta"]["retry_after"] == 2 and r.headers["retry-after"] == "2"
    now[0] += 2.1
    r = await client.post(LOGIN, json={"email": EMAIL, "password": "wrong again"})
    assert r.status_code == 401
    r = await client.post(LOGIN, json={"email": EMAIL.upper(), "password": PASSWORD})  # same account
    assert assert_error(r, "rate_limited", 429)["meta"]["retry_after"] == 4  # doubled
    now[0] += 4.1
    r = await client.post(LOGIN, json={"email": EMAIL, "password": PASSWORD})
    assert r.status_code == 200, r.text
    assert auth.BACKOFF.wait(EMAIL) == 0  # a success clears it


async def test_an_unknown_email_runs_the_same_hash_check(
    client: Any, account: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    real = auth._verify

    def counting(hashed: str, password: str) -> bool:
        checked.append(hashed)
        return real(hashed, password)

    monkeypatch.setattr(auth, "_verify", counting)
    r = await client.post(LOGIN, json={"email": EMAIL, "password": "wrong password"})
    assert r.status_code == 401 and len(checked) == 1
    r = await client.post(LOGIN, json={"email": "nobody@example.com", "password": "wrong password"})
    assert r.status_code == 401 and len(checked) == 2
    known, unknown = checked
    # the same algorithm and cost parameters: the same work, so the same time
    assert unknown.startswith("$argon2") and unknown.split("$")[:4] == known.split("$")[:4]
    assert r.json()["error"]["message"] == "incorrect email or password"
