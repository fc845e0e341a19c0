"""The lean path [lean-path]: a signed WhatsApp webhook, and an ordinary request to any operation, is answered
without Starlette's layers, and every request the lean path answers gets the same status, body and headers as
through the full stack; foreign hosts, oversized bodies, forged signatures, Origins and query strings are
refused exactly as before."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from asgi_lifespan import LifespanManager

from tests.api.test_whatsapp import HOOK, SECRET, realtime, sign, stored
from tests.support.api import asgi_exchange, make_app

pytestmark = pytest.mark.anyio


@pytest.fixture
async def app(pcrm_home: Any) -> AsyncIterator[Any]:
    from pcrm import secrets

    secrets.put("whatsapp.webhook_secret", SECRET)
    a = make_app(max_body_bytes=4 * 1024 * 1024)
    async with LifespanManager(a):
        yield a


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCRM_NOW", "2025-03-01T12:00:00Z")


async def call(
    app: Any,
    raw: bytes,
    headers: list[tuple[str, str]],
    *,
    lean: bool,
    query: bytes = b"",
    chunks: list[bytes] | None = None,
    method: str = "POST",
    path: str = HOOK,
) -> tuple[int, dict[str, str], dict[str, Any], bool]:
    """A POST of `raw` to the webhook through the ASGI interface with exactly `headers`, with the lean path
    on or off: (status, headers without the request id's value, JSON body, whether the lean path answered)."""
    routes, ops = app.lean.routes, app.lean.ops
    taken = {"n": 0}
    answer = app.lean.answer

    async def counted(*a: Any) -> None:
        taken["n"] += 1
        await answer(*a)

    app.lean.answer = counted
    if not lean:
        app.lean.routes, app.lean.ops = {}, False
    try:
        sent = await asgi_exchange(
            app, method, path, chunks if chunks is not None else [raw], headers, query=query
        )
    finally:
        app.lean.routes, app.lean.ops = routes, ops
        del app.lean.answer
    start, body = sent[0], b"".join(m.get("body", b"") for m in sent[1:])
    hdrs = {k.decode(): v.decode() for k, v in start["headers"]}
    assert len(hdrs.pop("x-request-id")) == 36
    return start["status"], hdrs, json.loads(body), taken["n"] == 1


def signed(raw: bytes, host: str = "127.0.0.1:8765", **extra: str) -> list[tuple[str, str]]:
    return [
        ("host", host),
        ("content-type", "application/json"),
        ("content-length", str(len(raw))),
        ("x-webhook-signature", sign(raw)),
        *extra.items(),
    ]


def body(mid: str) -> bytes:
    return json.dumps(realtime(mid)).encode()


async def test_a_signed_message_takes_the_lean_path_and_answers_as_the_full_stack(app: Any) -> None:
    first = await call(app, body("m0"), signed(body("m0")), lean=False)  # the sender becomes a contact
    assert first[0] == 200 and first[2]["data"]["contacts_created"] == 1
    lean = await call(app, body("m1"), signed(body("m1")), lean=True)
    full = await call(app, body("m2"), signed(body("m2")), lean=False)
    assert lean[3] and not full[3]
    assert lean[:3] == full[:3]
    assert lean[2]["data"]["interactions_created"] == 1
    assert [m[2] for m in stored()[1]] == ["whatsapp:m0", "whatsapp:m1", "whatsapp:m2"]
    # a replay through the lean path: accepted, nothing added, as through the full stack
    again = await call(app, body("m1"), signed(body("m1")), lean=True)
    assert again[3] and again[2]["data"]["interactions_created"] == 0 and len(stored()[1]) == 3
    # a body in several chunks is read whole
    raw = body("m3")
    chunked = await call(app, raw, signed(raw), lean=True, chunks=[raw[:10], raw[10:50], raw[50:]])
    assert chunked[3] and chunked[2]["data"]["interactions_created"] == 1


@pytest.mark.parametrize("signature", ["0" * 64, "", None, "sha256=" + "f" * 64])
async def test_a_bad_signature_is_refused_on_the_lean_path_as_before(app: Any, signature: str | None) -> None:
    raw = body("forged")
    headers = [h for h in signed(raw) if h[0] != "x-webhook-signature"]
    if signature is not None:
        headers.append(("x-webhook-signature", signature))
    lean = await call(app, raw, headers, lean=True)
    full = await call(app, raw, headers, lean=False)
    assert lean[3] and not full[3]
    assert lean[:3] == full[:3]
    assert lean[0] == 401 and lean[2]["error"]["code"] == "unauthorized"
    assert lean[1]["www-authenticate"] == "Bearer"
    assert stored() == ([], [], [])


async def test_a_foreign_host_is_refused_as_before(app: Any) -> None:
    raw = body("rebound")
    for host in ("evil.example", "localhost.evil.example:8765", "", "127.0.0.1:80@evil.example"):
        lean = await call(app, raw, signed(raw, host=host), lean=True)
        full = await call(app, raw, signed(raw, host=host), lean=False)
        assert not lean[3]  # the full stack answered
        assert lean[:3] == full[:3]
        assert lean[0] == 400 and "--allow-remote" in lean[2]["error"]["hint"]
    no_host = [h for h in signed(raw) if h[0] != "host"]
    assert (await call(app, raw, no_host, lean=True))[0] == 400
    assert stored() == ([], [], [])


async def test_oversized_bodies_are_refused_as_before(app: Any) -> None:
    # over the webhook's 1 MB but within the daemon's limit: the lean path, the service's 413
    raw = json.dumps({**realtime("big"), "body": "x" * (1024 * 1024)}).encode()
    lean = await call(app, raw, signed(raw), lean=True)
    full = await call(app, raw, signed(raw), lean=False)
    assert lean[3] and lean[:3] == full[:3]
    assert lean[0] == 413 and lean[2]["error"]["code"] == "payload_too_large"
    # over the daemon's limit by Content-Length: the full stack's 413, nothing read
    huge = b"x" * (4 * 1024 * 1024 + 1)
    lean = await call(app, huge, signed(huge), lean=True)
    full = await call(app, huge, signed(huge), lean=False)
    assert not lean[3] and lean[:3] == full[:3]
    assert lean[0] == 413 and lean[2]["error"]["details"]["max_bytes"] == 4 * 1024 * 1024
    # a Content-Length that understates the body: counted, 413, as the full stack counts it
    small = [h for h in signed(huge) if h[0] != "content-length"] + [("content-length", "10")]
    lean = await call(app, huge, small, lean=True, chunks=[huge[:10], huge[10:]])
    full = await call(app, huge, small, lean=False, chunks=[huge[:10], huge[10:]])
    assert lean[3] and lean[:3] == full[:3] and lean[0] == 413
    # no Content-Length at all (a chunked upload): the full stack
    chunked = [h for h in signed(raw) if h[0] != "content-length"] + [("transfer-encoding", "chunked")]
    assert not (await call(app, raw, chunked, lean=True))[3]
    assert stored() == ([], [], [])


async def test_origins_and_query_strings_go_through_the_full_stack(app: Any) -> None:
    raw = body("o1")
    lean = await call(app, raw, signed(raw, origin="https://evil.example"), lean=True)
    full = await call(app, raw, signed(raw, origin="https://evil.example"), lean=False)
    assert not lean[3] and lean[:3] == full[:3] and lean[0] == 403
    lean = await call(app, raw, signed(raw), lean=True, query=b"x=1")
    full = await call(app, raw, signed(raw), lean=False, query=b"x=1")
    assert not lean[3] and lean[:3] == full[:3] and lean[0] == 422
    assert stored() == ([], [], [])


async def test_the_lean_path_writes_the_access_log(app: Any, caplog: pytest.LogCaptureFixture) -> None:
    raw = body("logged")
    with caplog.at_level("INFO", logger="pcrm.access"):
        status, _, _, taken = await call(app, raw, signed(raw), lean=True)
    assert taken and status == 200
    (line,) = [r.getMessage() for r in caplog.records if r.name == "pcrm.access"]
    assert line.startswith(f"POST {HOOK} 200 ") and "?" not in line


def _get(token: str | None, host: str = "127.0.0.1:8765", **extra: str) -> list[tuple[str, str]]:
    auth = [("authorization", f"Bearer {token}")] if token is not None else []
    return [("host", host), *auth, *extra.items()]


async def test_operations_take_the_lean_path_and_answer_as_the_full_stack(app: Any) -> None:
    from tests.support.api import UNKNOWN, script_token

    token = script_token()
    made = await call(
        app,
        b'{"full_name": "Ada Lovelace"}',
        [*_get(token), ("content-type", "application/json"), ("content-length", "29")],
        lean=True,
        path="/api/v1/contacts",
    )
    assert made[3] and made[0] == 201, made
    cid = made[2]["data"]["id"]
    cases: list[tuple[str, list[tuple[str, str]], bytes, int]] = [
        (f"/api/v1/contacts/{cid}", _get(token), b"", 200),
        (f"/api/v1/contacts/{UNKNOWN}", _get(token), b"", 404),
        (f"/api/v1/contacts/{cid}", _get("pcrm_st_forged"), b"", 401),
        (f"/api/v1/contacts/{cid}", _get(None), b"", 401),
        ("/api/v1/contacts", _get(token), b"nope=1", 422),
        ("/api/v1/contacts", _get(token), b"search=ada", 200),
    ]
    for path, headers, query, status in cases:
        lean = await call(app, b"", headers, lean=True, method="GET", path=path, query=query)
        full = await call(app, b"", headers, lean=False, method="GET", path=path, query=query)
        assert lean[3] and not full[3], path
        assert lean[:3] == full[:3] and lean[0] == status, (path, lean, full)
    # what the lean path leaves to the full stack: a foreign Host, an Origin
    for headers, status in (
        (_get(token, host="evil.example"), 400),
        (_get(token, origin="https://evil.example"), 403),
    ):
        lean = await call(app, b"", headers, lean=True, method="GET", path=f"/api/v1/contacts/{cid}")
        full = await call(app, b"", headers, lean=False, method="GET", path=f"/api/v1/contacts/{cid}")
        assert not lean[3] and lean[:3] == full[:3] and lean[0] == status
