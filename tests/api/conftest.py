"""Fixtures for the API: the app with its lifespan run, an in-process httpx client on http://127.0.0.1,
an account, and tokens of every kind."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from api.helpers import EMAIL, PASSWORD, bearer, client_for, ctx, make_app, script_token, web_token


@pytest.fixture(autouse=True)
def _file_secrets_and_cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    # never touch a developer's real keyring from tests
    monkeypatch.setenv("PCRM_SECRETS_BACKEND", "file")
    monkeypatch.delenv("PCRM_SECRET_KEY", raising=False)
    # argon2's production cost (~0.5 s a hash here) would dominate the suite
    from pcrm.services import auth

    monkeypatch.setattr(auth, "ARGON2", {"time_cost": 1, "memory_cost": 1024, "parallelism": 1})


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def app(pcrm_home: Any) -> AsyncIterator[Any]:
    a = make_app()
    async with LifespanManager(a):
        yield a


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as c:
        yield c


@pytest.fixture
def account(pcrm_home: Any) -> dict[str, Any]:
    from pcrm.services import auth

    with ctx() as c:
        return auth.register(c, {"email": EMAIL, "password": PASSWORD, "full_name": "Ada Lovelace"}).data


@pytest.fixture
def web(account: dict[str, Any]) -> dict[str, str]:
    return bearer(web_token(account["id"]))


@pytest.fixture
def script(pcrm_home: Any) -> dict[str, str]:
    return bearer(script_token())
