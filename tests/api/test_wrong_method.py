"""A method a path does not have is FastAPI's 405, in pcrm's envelope [error-codes]: it answered 404
`not_found`, which told a reference client the path did not exist at all."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import V, assert_error, client_for

CASES = [
    ("DELETE", f"{V}/version", ["GET", "HEAD"]),
    ("PUT", f"{V}/contacts/some-id/activity", ["GET", "HEAD"]),
    ("PATCH", f"{V}/contacts", ["GET", "HEAD", "POST"]),
    ("DELETE", f"{V}/version/", ["GET", "HEAD"]),  # the route of one slash less [trailing-slashes]
    ("GET", f"{V}/contacts/sync/gmail", ["POST"]),
    # a method no route has: Starlette answered it, its Allow naming every method any path has
    ("TRACE", f"{V}/contacts", ["GET", "HEAD", "POST"]),
    ("CONNECT", f"{V}/version", ["GET", "HEAD"]),
    ("OPTIONS", f"{V}/contacts", ["GET", "HEAD", "POST"]),  # no CORS preflight: a method like another
]


@pytest.mark.parametrize(("method", "path", "allowed"), CASES)
def test_a_method_the_path_does_not_have_is_405_with_allow(
    empty_api: Any, method: str, path: str, allowed: list[str]
) -> None:
    r = empty_api.request(method, path)
    body = assert_error(r, "method_not_allowed", 405)
    assert r.headers["allow"] == ", ".join(allowed)
    # `detail` is the message, as for every plain error (it was Starlette's "Method Not Allowed")
    assert body["detail"] == body["error"]["message"]
    assert body["error"]["details"] == {"allowed": allowed}
    assert body["error"]["message"] == f"{path} has no {method} operation"
    assert body["error"]["hint"] == f"it allows {', '.join(allowed)}"
    del empty_api.headers["Authorization"]
    assert empty_api.request(method, path).status_code == 405  # routing comes first, as in FastAPI


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", f"{V}/contacts/2nd-tier"), ("PUT", f"{V}/contacts/ids"), ("PUT", f"{V}/contacts/stats")],
)
def test_a_fixed_path_without_the_method_falls_through_to_the_parameterised_one(
    empty_api: Any, method: str, path: str
) -> None:
    """As FastAPI routes: `GET /contacts/2nd-tier` (a path with DELETE alone) is `GET /contacts/{contact_id}`,
    which names no contact (404), not a 405 whose Allow names DELETE while GET /contacts/{id} exists."""
    r = empty_api.request(method, path)
    body = assert_error(r, "not_found", 404)
    assert body["error"]["message"] == f"no contact with id {path.rsplit('/', 1)[1]}"


def test_an_unknown_path_is_still_404(empty_api: Any) -> None:
    for method in ("GET", "DELETE", "PUT"):
        assert_error(empty_api.request(method, f"{V}/no-such-thing"), "not_found", 404)
        assert_error(empty_api.request(method, f"{V}/contacts/stats/more"), "not_found", 404)


@pytest.mark.anyio
async def test_a_mounted_route_refuses_a_wrong_method_the_same_way(pcrm_home: Any) -> None:
    """Routes mounted beside the API (the daemon's /mcp) are Starlette's: their 405 was a 400 `bad_request`
    'the request was refused (405)'."""
    from asgi_lifespan import LifespanManager
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from pcrm.api.app import create_app

    async def hello(request: Any) -> Any:
        return PlainTextResponse("hi")

    app = create_app(mounts=lambda rt: [Route("/mounted", hello, methods=["GET", "POST"])])
    async with LifespanManager(app), client_for(app) as client:
        r = await client.put("/mounted")
        body = assert_error(r, "method_not_allowed", 405)
        assert r.headers["allow"] == "GET, HEAD, POST" and body["detail"] == body["error"]["message"]
        assert body["error"]["details"] == {"allowed": ["GET", "HEAD", "POST"]}
        assert (await client.get("/mounted")).text == "hi"
