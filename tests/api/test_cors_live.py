"""The CORS origins follow the `cors_origins` setting while the daemon runs [cors-origins-live]: the command
the 403's hint names takes effect at the next request, and removing an origin shuts it out at once."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from tests.support.api import assert_error, client_for, make_app
from tests.support.cli import Cli

pytestmark = pytest.mark.anyio

EXT = "abcdefghijklmnopabcdefghijklmnop"
ORIGIN = f"chrome-extension://{EXT}"


async def preflight(c: httpx.AsyncClient, origin: str) -> httpx.Response:
    return await c.options(
        "/api/v1/contacts", headers={"Origin": origin, "Access-Control-Request-Method": "POST"}
    )


async def test_a_setting_changed_while_the_app_runs_applies_at_once(cli: Cli, pcrm_home: Any) -> None:
    cli("init")
    a = make_app(port=8765)
    async with LifespanManager(a), client_for(a) as c:
        r = await preflight(c, ORIGIN)
        hint = assert_error(r, "forbidden", 403)["error"]["hint"]
        assert f"pcrm settings set cors_origins {ORIGIN}`" in hint

        cli("settings", "set", "cors_origins", EXT)  # a bare extension id does as well, on the same store
        r = await preflight(c, ORIGIN)
        assert r.status_code == 204 and r.headers["access-control-allow-origin"] == ORIGIN
        r = await c.get("/api/health", headers={"Origin": ORIGIN})
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == ORIGIN

        cli("settings", "set", "cors_origins", "[]")
        for r in (await preflight(c, ORIGIN), await c.get("/api/health", headers={"Origin": ORIGIN})):
            assert_error(r, "forbidden", 403)
            assert "access-control-allow-origin" not in r.headers
        # the local UI stays allowed whatever the setting says
        r = await preflight(c, "http://127.0.0.1:8765")
        assert r.status_code == 204 and r.headers["access-control-allow-origin"] == "http://127.0.0.1:8765"

        cli("settings", "set", "cors_origins", f"https://app.example.com, {EXT}")
        for origin in (ORIGIN, "https://app.example.com"):
            assert (await preflight(c, origin)).status_code == 204
        cli("settings", "reset", "cors_origins")
        assert_error(await preflight(c, "https://app.example.com"), "forbidden", 403)


async def test_the_403_names_the_command_that_allows_a_web_ui_origin(cli: Cli, pcrm_home: Any) -> None:
    """The reference's web UI (a dev server at http://localhost:3000) was told to allow 'a browser extension
    with pcrm settings set cors_origins EXTENSION_ID'; the hint now gives the command for its own origin,
    and running it lets the UI in."""
    cli("init")
    web = "http://localhost:3000"
    a = make_app(port=8765)
    async with LifespanManager(a), client_for(a) as c:
        body = assert_error(await preflight(c, web), "forbidden", 403)
        assert body["detail"] == f"requests from the origin {web} are not allowed"
        command = body["error"]["hint"].split("`")[1]
        assert command == f"pcrm settings set cors_origins {web}"
        cli(*command.split()[1:])
        r = await preflight(c, web)
        assert r.status_code == 204 and r.headers["access-control-allow-origin"] == web
        # a header that is no origin the setting could hold gets the general form
        hint = assert_error(await preflight(c, "null"), "forbidden", 403)["error"]["hint"]
        assert "cors_origins EXTENSION_ID" in hint
