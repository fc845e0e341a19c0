"""The request body limit, to the byte: a body of exactly the limit is served, one byte more is 413,
whether the size is announced (Content-Length), only counted as it arrives (chunked), or a multipart
upload. An announced size over the limit is refused before a byte of the body is read.

Requests are driven through the ASGI interface directly, so the test controls exactly which headers
are sent and sees whether the body was read at all.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgi_lifespan import LifespanManager

from tests.support.api import asgi_request, make_app, script_token

pytestmark = pytest.mark.anyio

JSON = [("host", "127.0.0.1:8765"), ("content-type", "application/json")]


def _json_body() -> bytes:
    return json.dumps({"message": "x" * 900, "stack": "y" * 900}).encode()


def _multipart_body() -> tuple[bytes, str]:
    boundary = "pcrmtestboundary"
    csv = (
        b"full_name,email\r\nAda Lovelace,ada@example.com\r\n" + b"Filler Person,filler@example.com\r\n" * 40
    )
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="people.csv"\r\n'
            f"Content-Type: text/csv\r\n\r\n"
        ).encode()
        + csv
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _split(body: bytes, n: int = 7) -> list[bytes]:
    step = len(body) // n + 1
    return [body[i : i + step] for i in range(0, len(body), step)]


@pytest.mark.parametrize("how", ["content-length", "chunked", "multipart"])
@pytest.mark.parametrize(("slack", "refused"), [(1, False), (0, False), (-1, True)])
async def test_the_limit_is_exact(pcrm_home: Any, how: str, slack: int, refused: bool) -> None:
    """slack = limit - body size: one byte under the limit, exactly at it, one byte over."""
    headers: dict[str, str] = {}
    if how == "multipart":
        body, ctype = _multipart_body()
        path = "/api/v1/contacts/import/csv"
        headers = {"content-type": ctype, "authorization": f"Bearer {script_token()}"}
    else:
        body, path = _json_body(), "/api/v1/errors"
        headers = {"content-type": "application/json"}
    if how != "chunked":
        headers["content-length"] = str(len(body))
    app = make_app(max_body_bytes=len(body) + slack)
    async with LifespanManager(app):
        status, answer = await asgi_request(
            app, "POST", path, _split(body), [("host", "127.0.0.1:8765"), *headers.items()]
        )
    if refused:
        assert status == 413, answer
        assert answer["error"]["code"] == "payload_too_large"
        assert answer["error"]["details"]["max_bytes"] == len(body) - 1
    else:
        assert status == 200, answer
        if how == "multipart":
            assert answer["data"]["contacts_created"] == 2


async def test_an_announced_size_over_the_limit_is_refused_unread(pcrm_home: Any) -> None:
    app = make_app(max_body_bytes=1000)

    async def never() -> dict[str, Any]:
        raise AssertionError("the body was read although Content-Length was over the limit")

    async with LifespanManager(app):
        status, answer = await asgi_request(
            app, "POST", "/api/v1/errors", [], [*JSON, ("content-length", "1001")], receive=never
        )
    assert status == 413 and answer["error"]["code"] == "payload_too_large"


async def test_a_content_length_that_is_not_a_number_is_a_bad_request(pcrm_home: Any) -> None:
    app = make_app(max_body_bytes=1000)
    async with LifespanManager(app):
        status, answer = await asgi_request(
            app, "POST", "/api/v1/errors", [b"{}"], [*JSON, ("content-length", "12abc")]
        )
    assert status == 400 and "Content-Length" in answer["error"]["message"]
