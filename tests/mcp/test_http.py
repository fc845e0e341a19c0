"""The MCP server over streamable HTTP at the daemon's `/mcp`: the SDK's client through the daemon's app
in process (httpx ASGITransport), and through a real `pcrm serve`. Only the live MCP key opens it; the
daemon's defences stand in front of it; the API's route table and OpenAPI document do not change."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from asgi_lifespan import LifespanManager

from tests.support.api import asgi_scope, assert_error, bearer, client_for, script_token, web_token
from tests.support.mcp import READ_TOOLS, WRITE_TOOLS, WRONG_PARAMS, http_session, text_of
from tests.support.procs import ended

pytestmark = pytest.mark.anyio

INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "raw", "version": "0"},
    },
}
ACCEPT = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


def _key() -> str:
    from pcrm.services import tokens
    from pcrm.services.context import open_context

    with open_context() as ctx:
        return str(tokens.mcp_key_create(ctx).data["key"])


@pytest.fixture
async def daemon(demo: dict[str, Any]) -> AsyncIterator[Any]:
    """The daemon's app (API + /mcp) on a copy of the demo store, its lifespan running."""
    from pcrm.daemon.app import create_daemon_app

    app = create_daemon_app(port=8765)
    async with LifespanManager(app):
        yield app


async def test_the_mcp_key_opens_every_tool(daemon: Any, demo: dict[str, Any]) -> None:
    key = _key()
    async with http_session(daemon, key) as client:
        names = [t.name for t in (await client.list_tools()).tools]
        found = await client.call_tool("search_contacts", {"query": demo["contact_name"]})
        profile = await client.call_tool("get_contact", {"contact": demo["contact"]})
        refused = await client.call_tool("add_note", {"contact": demo["contact"], "text": "hi"})
    assert tuple(names) == READ_TOOLS + WRITE_TOOLS
    assert demo["contact"] in [c["id"] for c in found.structured_content["contacts"]]
    assert profile.structured_content["id"] == demo["contact"]
    assert refused.is_error and "mcp.allow_writes" in text_of(refused)

    from pcrm.services import tokens
    from pcrm.services.context import open_context

    with open_context() as ctx:
        assert tokens.mcp_key_status(ctx).data["last_used_at"] is not None


async def test_a_client_of_the_handshake_era_works_too(daemon: Any) -> None:
    """Desktop agents and the MCP Inspector speak the initialize handshake (protocol 2025-xx)."""
    async with http_session(daemon, _key(), mode="legacy") as client:
        assert client.protocol_version.startswith("2025")
        r = await client.call_tool("get_dashboard_stats", {})
    assert not r.is_error and r.structured_content["total"] > 0


async def test_without_the_live_mcp_key_the_answer_is_401(daemon: Any, account: Any) -> None:
    from pcrm.services import tokens
    from pcrm.services.context import open_context

    old = _key()
    live = _key()  # a new key replaces the old one
    wrong = {
        "none": {},
        "garbage": bearer("pcrm_mcp_not-a-real-key"),
        "replaced": bearer(old),
        "script token": bearer(script_token()),
        "web login": bearer(web_token(account["id"])),
        "not bearer": {"Authorization": f"Basic {live}"},
    }
    async with client_for(daemon) as c:
        for why, headers in wrong.items():
            r = await c.post("/mcp", json=INIT, headers={**ACCEPT, **headers})
            body = assert_error(r, "unauthorized", 401)
            assert "pcrm mcp-key create" in body["error"]["hint"], why
            assert r.headers["www-authenticate"].startswith("Bearer"), why
        ok = await c.post("/mcp", json=INIT, headers={**ACCEPT, **bearer(live)})
        assert ok.status_code == 200 and ok.json()["result"]["serverInfo"]["name"] == "pcrm"
        with open_context() as ctx:
            tokens.mcp_key_revoke(ctx)
        r = await c.post("/mcp", json=INIT, headers={**ACCEPT, **bearer(live)})
        assert_error(r, "unauthorized", 401)
    with pytest.raises(Exception):  # noqa: B017 - the SDK's client gives up on a 401 (its own error types)
        async with http_session(daemon, live) as client:
            await client.list_tools()


async def test_writes_over_http_go_through_the_daemon_and_are_recorded(
    daemon: Any, demo: Any, cli: Any
) -> None:
    cli("settings", "set", "mcp.allow_writes", "true")
    async with http_session(daemon, _key()) as client:
        r = await client.call_tool("tag_contact", {"contact": demo["contact"], "tags": ["via-http"]})
    assert not r.is_error, text_of(r)
    assert "via-http" in cli.json("contacts", "show", demo["contact"])["data"]["tags"]
    (entry,) = cli.json("mcp", "log")["data"]
    assert entry["action"] == "tag_contact" and entry["contact_id"] == demo["contact"]


async def test_the_daemon_s_defences_stand_in_front_of_mcp(daemon: Any) -> None:
    key = _key()
    async with client_for(daemon, "http://evil.example:8765") as c:  # DNS rebinding
        r = await c.post("/mcp", json=INIT, headers={**ACCEPT, **bearer(key)})
        assert_error(r, "bad_request", 400)
    async with client_for(daemon) as c:
        r = await c.post(
            "/mcp", json=INIT, headers={**ACCEPT, **bearer(key), "Origin": "https://evil.example"}
        )
        assert_error(r, "forbidden", 403)
        big = b'{"jsonrpc": "2.0", "pad": "' + b"x" * (11 * 1024 * 1024) + b'"}'
        r = await c.post("/mcp", content=big, headers={**ACCEPT, **bearer(key)})
        assert_error(r, "payload_too_large", 413)


BATCH = [{"jsonrpc": "2.0", "id": 1, "method": "ping"}, {"jsonrpc": "2.0", "id": 2, "method": "ping"}]


async def test_a_batch_is_refused_in_pcrm_s_words(daemon: Any) -> None:
    """POST /mcp with a JSON-RPC batch (allowed by protocol 2025-03-26, which the server agrees to) was
    answered 400 "Validation error: 4 validation errors for union[JSONRPCRequest,...]" with links to
    pydantic's site. The SDK has no public way to answer a batch: it is refused with a JSON-RPC error
    saying to send one request per POST; the key and the daemon's defences still come first."""
    key = _key()
    async with client_for(daemon) as c:
        r = await c.post("/mcp", json=BATCH, headers={**ACCEPT, **bearer(key)})
        assert r.status_code == 400 and r.headers["content-type"] == "application/json"
        assert r.json() == {
            "jsonrpc": "2.0",
            "id": None,
            "error": {"code": -32600, "message": "batches are not supported; send one request per POST"},
        }
        assert_error(await c.post("/mcp", json=BATCH, headers=ACCEPT), "unauthorized", 401)
        r = await c.post(
            "/mcp", json=BATCH, headers={**ACCEPT, **bearer(key), "Origin": "https://evil.example"}
        )
        assert_error(r, "forbidden", 403)
        for one in BATCH:  # each request on its own is answered
            r = await c.post("/mcp", json=one, headers={**ACCEPT, **bearer(key)})
            assert r.status_code == 200 and r.json() == {"jsonrpc": "2.0", "id": one["id"], "result": {}}
    async with client_for(daemon, "http://evil.example:8765") as c:
        assert_error(await c.post("/mcp", json=BATCH, headers={**ACCEPT, **bearer(key)}), "bad_request", 400)


@pytest.mark.parametrize(
    ("body", "code", "says"),
    [
        (b"[]", -32600, "batches are not supported"),
        (b"not json", -32700, "not valid JSON (column 1)"),
        (b"", -32700, "the body is empty"),
        (b'{"jsonrpc": "2.0", "id": 1', -32700, "not valid JSON"),
        (b"42", -32600, "must be a JSON-RPC request object, not a number"),
        (b"null", -32600, "not null"),
        (b"{}", -32600, 'jsonrpc must be "2.0", it is missing'),
        (b'{"jsonrpc": "1.0", "id": 1, "method": "ping"}', -32600, 'jsonrpc must be "2.0", not "1.0"'),
        (b'{"jsonrpc": "2.0", "id": 1, "method": 5}', -32600, "method must be a string"),
        (b'{"jsonrpc": "2.0", "id": 1.5, "method": "ping"}', -32600, "id must be a string or a whole number"),
        (b'{"jsonrpc": "2.0", "id": null, "method": "ping"}', -32600, "not null"),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "ping", "params": [1]}', -32600, "params must be an object"),
        (b'{"jsonrpc": "2.0", "id": 1, "result": 5}', -32600, "not a JSON-RPC 2.0 request"),
        (b'{"jsonrpc": "2.0", "id": 1}', -32600, "a request needs a method"),
    ],
)
async def test_a_body_that_is_no_message_says_what_is_wrong_without_pydantic(
    daemon: Any, body: bytes, code: int, says: str
) -> None:
    """Bodies the SDK answered with pydantic's text (or its parser's), or took for a notification and
    answered nothing (an id of 1.5 or null): each gets a JSON-RPC error naming what is wrong."""
    async with client_for(daemon) as c:
        r = await c.post("/mcp", content=body, headers={**ACCEPT, **bearer(_key())})
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["code"] == code and says in error["message"], error
    for internal in ("pydantic", "validation error", "input_value", "union[", "type="):
        assert internal not in r.text.lower(), r.text


@pytest.mark.parametrize(("method", "params", "says"), WRONG_PARAMS)
async def test_params_that_do_not_fit_the_method_say_which_and_what_it_takes(
    daemon: Any, method: str, params: Any, says: str
) -> None:
    """`tools/call` without a name, with a name that is no string or arguments that are no object (and
    the other methods' params alike) got the SDK's "Invalid request parameters" with empty data, naming
    nothing: the answer names the member and what it takes. A tool's own arguments keep their tool's
    answer, and a call that fits is served as before."""
    body: dict[str, Any] = {"jsonrpc": "2.0", "id": 7, "method": method}
    if params is not None:
        body["params"] = params
    async with client_for(daemon) as c:
        r = await c.post("/mcp", json=body, headers={**ACCEPT, **bearer(_key())})
    assert r.status_code == 200, r.text
    assert r.json() == {"jsonrpc": "2.0", "id": 7, "error": {"code": -32602, "message": says}}


async def test_a_call_whose_params_fit_is_served_and_its_arguments_are_the_tool_s_to_check(
    daemon: Any, demo: dict[str, Any]
) -> None:
    key = _key()
    async with client_for(daemon) as c:
        call = {"jsonrpc": "2.0", "id": 8, "method": "tools/call"}
        params = {"name": "get_contact", "arguments": {"contact": demo["contact_name"]}}
        r = await c.post("/mcp", json={**call, "params": params}, headers={**ACCEPT, **bearer(key)})
        assert r.json()["result"]["structuredContent"]["id"] == demo["contact"]
        params = {"name": "get_contact", "arguments": {"contact": 5, "bogus": 1}}
        r = await c.post("/mcp", json={**call, "params": params}, headers={**ACCEPT, **bearer(key)})
        result = r.json()["result"]
        assert result["isError"] is True and "get_contact has no argument bogus" in r.text, r.text


async def test_a_body_over_the_limit_sent_without_its_length_is_a_413_too(daemon: Any) -> None:
    """A chunked POST to /mcp past the body limit (curl -H 'Transfer-Encoding: chunked' --data-binary
    @big.json) got the SDK's bare 500 "Internal Server Error", and a traceback in the daemon's log; it is
    the API's 413 envelope, as it is on every API route. A small chunked request still works."""
    key = _key()

    async def chunked(body: bytes) -> AsyncIterator[bytes]:
        for i in range(0, len(body), 1024 * 1024):
            yield body[i : i + 1024 * 1024]

    big = b'{"jsonrpc": "2.0", "pad": "' + b"x" * (11 * 1024 * 1024) + b'"}'
    async with client_for(daemon) as c:
        r = await c.post("/mcp", content=chunked(big), headers={**ACCEPT, **bearer(key)})
        assert "content-length" not in r.request.headers
        assert_error(r, "payload_too_large", 413)
        ok = await c.post(
            "/mcp", content=chunked(json.dumps(INIT).encode()), headers={**ACCEPT, **bearer(key)}
        )
    assert ok.status_code == 200 and ok.json()["result"]["serverInfo"]["name"] == "pcrm", ok.text


async def _response_start(app: Any, method: str, headers: dict[str, str]) -> dict[str, Any]:
    """The app's answer to `method /mcp`, read off the ASGI messages: status, headers and body, or as soon
    as it opens an event stream, the body so far; the request is then dropped, so a stream that stays open
    cannot hang the test."""
    import anyio

    started: dict[str, Any] = {}
    got = anyio.Event()
    gone = anyio.Event()
    sent = False
    scope = asgi_scope(method, "/mcp", [("host", "127.0.0.1:8765"), *headers.items()])

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await gone.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            started.update(status=message["status"], headers=dict(message.get("headers") or []), body=b"")
            if started["headers"].get(b"content-type", b"").startswith(b"text/event-stream"):
                got.set()  # a stream: its body may never end
        elif message["type"] == "http.response.body":
            started["body"] += message.get("body", b"")
            if not message.get("more_body", False):
                got.set()

    async with anyio.create_task_group() as tg:
        tg.start_soon(app, scope, receive, send)
        with anyio.fail_after(20):  # a safety net against a hung test; nothing is timed
            await got.wait()
        gone.set()
        tg.cancel_scope.cancel()
    return started


@pytest.mark.parametrize("method", ["GET", "DELETE", "PUT", "PATCH"])
@pytest.mark.parametrize("version", [None, "2025-06-18"])
async def test_a_get_for_a_server_stream_is_405_not_a_silent_stream(
    daemon: Any, method: str, version: str | None
) -> None:
    """GET /mcp (curl -N -H 'Accept: text/event-stream' -H 'Authorization: Bearer pcrm_mcp_...') opened
    the SDK's server-to-client event stream, which pcrm never writes to: a client listening on it waited
    for ever. pcrm sends nothing unasked, so, as the MCP streamable HTTP transport provides, a GET is 405
    Method Not Allowed with Allow: POST (and so is a DELETE: there is no session to end); a PUT was a 405
    naming DELETE, GET, HEAD and POST, which were then refused."""
    headers = {"Accept": "text/event-stream", **bearer(_key())}
    if version:
        headers["MCP-Protocol-Version"] = version
    answer = await _response_start(daemon, method, headers)
    assert answer["status"] == 405, answer
    assert answer["headers"][b"allow"] == b"POST"
    assert json.loads(answer["body"])["error"]["message"].startswith("Method Not Allowed")
    refused = await _response_start(daemon, method, {"Accept": "text/event-stream"})
    assert refused["status"] == 401  # the key still comes first
    async with http_session(daemon, _key(), mode="legacy") as client:  # POSTs still answer
        assert not (await client.call_tool("get_dashboard_stats", {})).is_error


async def test_mcp_is_no_api_route(daemon: Any) -> None:
    """`/mcp` is the daemon's, not API v1's: not in the declared operations nor in the OpenAPI document."""
    assert all("mcp" not in op.full_path.replace("mcp-key", "") for op in daemon.state.ops)
    doc = json.loads(daemon.state.openapi_bytes())
    assert not [p for p in doc["paths"] if p.startswith("/mcp")]


# ------------------------------------------------------------------ a real daemon


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_a_real_pcrm_serve_answers_at_mcp(demo: Any, pcrm_home: Any) -> None:
    import httpx2
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    key = _key()
    port = _free_port()
    log = open(pcrm_home.parent / "daemon.log", "w+")  # noqa: SIM115 - closed in `finally`
    proc = subprocess.Popen(
        [sys.executable, "-m", "pcrm", "serve", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=os.environ.copy(),
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx2.get(url + "/api/health").status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            assert proc.poll() is None, "the daemon exited early"
            assert time.monotonic() < deadline, "the daemon did not answer within 30 s"
            time.sleep(0.2)
        headers = {"Authorization": f"Bearer {key}"}
        async with (
            httpx2.AsyncClient(headers=headers) as http,
            Client(streamable_http_client(url + "/mcp", http_client=http)) as client,
        ):
            tools = [t.name for t in (await client.list_tools()).tools]
            r = await client.call_tool("get_contact", {"contact": demo["contact_name"]})
        assert tools == list(READ_TOOLS + WRITE_TOOLS)
        assert r.structured_content["id"] == demo["contact"]
        assert httpx2.post(url + "/mcp", json=INIT, headers=ACCEPT).status_code == 401
        stopped = subprocess.run(
            [sys.executable, "-m", "pcrm", "daemon", "stop"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert stopped.returncode == 0, stopped.stderr
        assert proc.wait(timeout=30) == 0
    finally:
        text = ended(proc, log)
    assert "Traceback" not in text, text


async def test_a_server_that_failed_to_start_is_tried_again_by_the_next_request(
    demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The daemon builds the SDK's server on the first /mcp request: a build that failed once (a thread
    that could not start, an import interrupted) left /mcp answering a bare 500 until a restart. The
    request is told why, with a hint, and the next one builds it again."""
    import asyncio

    from pcrm.daemon.app import create_daemon_app
    from pcrm.mcp.http import Endpoint

    real, builds = Endpoint._build, []

    def flaky(self: Endpoint) -> Any:
        builds.append(1)
        if len(builds) == 1:
            raise OSError("no thread for you")
        return real(self)

    monkeypatch.setattr(Endpoint, "_build", flaky)
    key = _key()
    app = create_daemon_app(port=8765)
    async with LifespanManager(app), client_for(app) as c:
        first = await c.post("/mcp", json=INIT, headers={**ACCEPT, **bearer(key)})
        body = assert_error(first, "internal", 500)
        assert "could not start: no thread for you" in body["error"]["message"]
        assert "next request tries again" in body["error"]["hint"]
        both = await asyncio.gather(
            *(c.post("/mcp", json={**INIT, "id": i}, headers={**ACCEPT, **bearer(key)}) for i in (2, 3))
        )
        assert [r.status_code for r in both] == [200, 200] and len(builds) == 2


async def test_a_request_waiting_for_the_server_when_the_daemon_stops_is_answered(
    demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A /mcp request that arrived while the server was being built waited for ever once the app's lifespan
    ended (the build's task cancelled, nobody told)."""
    import asyncio
    import threading

    from pcrm.daemon.app import create_daemon_app
    from pcrm.mcp.http import Endpoint

    release = threading.Event()
    monkeypatch.setattr(Endpoint, "_build", lambda self: release.wait(5) and None)
    key = _key()
    app = create_daemon_app(port=8765)
    try:
        async with client_for(app) as c:
            async with LifespanManager(app):
                waiting = asyncio.create_task(c.post("/mcp", json=INIT, headers={**ACCEPT, **bearer(key)}))
                await asyncio.sleep(0.2)
                assert not waiting.done()
            r = await asyncio.wait_for(waiting, 2)
            body = assert_error(r, "internal", 500)
            assert "stopped before its MCP server was ready" in body["error"]["message"]
    finally:
        release.set()
