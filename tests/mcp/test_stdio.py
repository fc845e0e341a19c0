"""`pcrm mcp` as a desktop agent runs it: a subprocess started from what `pcrm mcp config` prints, spoken
to over stdin/stdout by the SDK's client. It searches, reads, is refused a write, and writes once the
user allows it, in the same session; `pcrm mcp config --http` and `--json` say how to reach the daemon."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.mcp import READ_TOOLS, WRITE_TOOLS, WRONG_PARAMS, fenced, text_of

# what a script piping requests into `pcrm mcp` sends first
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-03-26",
        "capabilities": {},
        "clientInfo": {"name": "script", "version": "1"},
    },
}

pytestmark = pytest.mark.anyio


def _stdio_params(cli: Any) -> Any:
    from mcp import StdioServerParameters

    cfg = json.loads(cli("mcp", "config").stdout)
    server = cfg["mcpServers"]["pcrm"]
    return StdioServerParameters(command=server["command"], args=server["args"], env=server["env"])


def _piped(pcrm_home: Path, stdin: str) -> Any:
    """`pcrm mcp` on this store with `stdin` piped in whole, then closed (a script's `printf ... | pcrm
    mcp`): the finished process, exit 0 checked, its answers on stdout."""
    import os
    import subprocess

    import pcrm

    root = str(Path(pcrm.__file__).resolve().parents[1])
    r = subprocess.run(
        [sys.executable, "-m", "pcrm", "mcp"],
        input=stdin,
        env={**os.environ, "PCRM_HOME": str(pcrm_home), "PYTHONPATH": root},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,  # a safety net against a hung server; nothing is timed
    )
    assert r.returncode == 0, r.stderr
    return r


def test_the_config_starts_this_installation_on_this_store(cli: Any, pcrm_home: Path) -> None:
    cli("init")  # a command that only reads makes no store [opening-the-store]
    r = cli("mcp", "config")
    server = json.loads(r.stdout)["mcpServers"]["pcrm"]
    assert server == {
        "command": sys.executable,
        "args": ["-m", "pcrm", "mcp"],
        "env": {"PCRM_HOME": str(pcrm_home)},
    }
    assert "--http" in r.stderr and "mcp.allow_writes" in r.stderr

    http = json.loads(cli("mcp", "config", "--http", "--port", "9999").stdout)["mcpServers"]["pcrm"]
    assert http == {
        "type": "http",
        "url": "http://127.0.0.1:9999/mcp",
        "headers": {"Authorization": "Bearer PASTE_YOUR_MCP_KEY_HERE"},
    }
    env = cli.json("mcp", "config")
    assert set(env["data"]) == {"stdio", "http"}
    assert env["data"]["http"]["mcpServers"]["pcrm"]["url"] == "http://127.0.0.1:8765/mcp"
    assert env["meta"] == {
        "daemon_running": False,
        "has_mcp_key": False,
        "writes_allowed": False,
        "key_placeholder": "PASTE_YOUR_MCP_KEY_HERE",
    }
    cli("mcp-key", "create")
    assert cli.json("mcp", "config")["meta"]["has_mcp_key"] is True
    assert "pcrm mcp-key create" not in cli("mcp", "config", "--http").stderr


async def test_a_desktop_agent_configured_by_pcrm_mcp_config(demo: Any, cli: Any) -> None:
    from mcp import Client
    from mcp.client.stdio import stdio_client

    # errlog named here: stdio_client's default is the sys.stderr of the moment mcp was first imported,
    # which in a full run can be an earlier CliRunner's stream, closed since
    async with Client(stdio_client(_stdio_params(cli), errlog=sys.stderr)) as client:
        assert client.server_info and client.server_info.name == "pcrm"
        names = [t.name for t in (await client.list_tools()).tools]
        found = await client.call_tool("search_contacts", {"query": demo["contact_name"], "limit": 5})
        profile = await client.call_tool("get_contact", {"contact": demo["contact_name"]})
        note = {"contact": demo["contact"], "text": "Asked about the trip to Lisbon."}
        refused = await client.call_tool("add_note", note)
        cli("settings", "set", "mcp.allow_writes", "true")  # the user allows writes, the agent goes on
        written = await client.call_tool("add_note", note)
    assert names == list(READ_TOOLS + WRITE_TOOLS)
    assert demo["contact"] in [c["id"] for c in found.structured_content["contacts"]]
    assert profile.structured_content["full_name"] == demo["contact_name"]
    assert demo["contact_name"] in fenced(text_of(profile))[0]
    assert refused.is_error and "mcp.allow_writes" in text_of(refused)
    assert not written.is_error and written.structured_content["recorded_by"] == "mcp:add_note"
    timeline = cli.json("interactions", "list", demo["contact"], "--platform", "manual")["data"]
    assert any(i["content_preview"] == "Asked about the trip to Lisbon." for i in timeline)
    assert [e["action"] for e in cli.json("mcp", "log")["data"]] == ["add_note"]


async def test_the_stdio_server_ends_when_the_agent_closes_it(pcrm_home: Path, cli: Any) -> None:
    """stdout is the protocol: each line there is one JSON-RPC answer and nothing else; EOF on stdin (the
    agent going away) ends the process cleanly."""
    import subprocess

    cli("init")
    init = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "t", "version": "0"},
        },
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "pcrm", "mcp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdin is not None and proc.stdout is not None

        def ask(*messages: dict[str, Any]) -> dict[str, Any]:
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write("".join(json.dumps(m) + "\n" for m in messages))
            proc.stdin.flush()
            return dict(json.loads(proc.stdout.readline()))

        hello = ask(init)
        assert hello["id"] == 1 and hello["result"]["serverInfo"]["name"] == "pcrm"
        listed = ask(
            {"jsonrpc": "2.0", "method": "notifications/initialized"},
            {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
        )
        assert listed["id"] == 2 and len(listed["result"]["tools"]) == 16
        proc.stdin.close()  # the agent goes away
        assert proc.wait(timeout=30) == 0
        assert proc.stdout.read() == ""  # nothing else was ever printed on the protocol's channel
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def test_a_script_piping_requests_gets_every_answer_before_the_server_exits(
    demo: dict[str, Any], pcrm_home: Path
) -> None:
    """`printf '<initialize>\\n<initialized>\\n<tools/call>\\n' | pcrm mcp`: stdin ends right after the
    last request, while the tool calls still run. The SDK then cancelled them and answered each
    "Connection closed"; pcrm answers every request it read, then exits 0."""
    calls = [
        ("get_dashboard_stats", {}),
        ("search_contacts", {"query": demo["contact_name"], "limit": 5}),
        ("get_contact", {"contact": demo["contact"]}),
        ("get_overdue", {}),
    ]
    lines = [
        INITIALIZE,
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        *(
            {"jsonrpc": "2.0", "id": i, "method": "tools/call", "params": {"name": n, "arguments": a}}
            for i, (n, a) in enumerate(calls, start=2)
        ),
    ]
    r = _piped(pcrm_home, "".join(json.dumps(m) + "\n" for m in lines))  # the whole input, then end of input
    answers = {a["id"]: a for a in map(json.loads, r.stdout.splitlines())}
    assert sorted(answers) == list(range(1, len(calls) + 2))
    for i, (name, _) in enumerate(calls, start=2):
        assert "error" not in answers[i], (name, answers[i])
        assert answers[i]["result"]["isError"] is False, (name, answers[i])
    assert answers[4]["result"]["structuredContent"]["id"] == demo["contact"]
    assert "Traceback" not in r.stderr


def test_a_line_that_is_no_message_is_answered_not_dropped(pcrm_home: Path, cli: Any) -> None:
    """`printf 'not json\\n[<ping>,<ping>]\\n' | pcrm mcp` printed nothing for those lines (the SDK dropped
    them), and a script waited for answers that never came: each is answered with a JSON-RPC error
    saying what is wrong, a blank line is skipped, and the lines around them are served as before."""
    cli("init")
    ping = {"jsonrpc": "2.0", "id": 5, "method": "ping"}
    lines = [
        json.dumps(INITIALIZE),
        json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        "not json",
        "",
        json.dumps([ping, {**ping, "id": 6}]),
        json.dumps({"jsonrpc": "2.0", "id": 3, "method": 5}),
        json.dumps({"jsonrpc": "2.0", "id": 4, "method": "ping", "params": [1]}),
        # a bare CR ends a line for the SDK as for the relay: two halves, each refused, nothing waited for
        '{"jsonrpc": "2.0",\r"id": 7, "method": "ping"}',
        json.dumps(ping),
    ]
    r = _piped(pcrm_home, "\n".join(lines))  # the last line without a newline, as `printf '%s'` leaves it
    answers = [json.loads(line) for line in r.stdout.splitlines()]
    by_id = {a["id"]: a for a in answers if a["id"] is not None}
    assert sorted(by_id) == [1, 3, 4, 5]
    assert by_id[5]["result"] == {} and "result" in by_id[1]
    assert by_id[3]["error"] == {
        "code": -32600,
        "message": "method must be a string such as tools/list, not 5",
    }
    assert by_id[4]["error"]["message"] == "params must be an object of named values, not an array"
    anonymous = sorted((a["error"]["code"], a["error"]["message"]) for a in answers if a["id"] is None)
    assert anonymous == [
        (-32700, "Parse error: the line is not valid JSON (column 1); send one JSON-RPC request per line"),
        (-32700, "Parse error: the line is not valid JSON (column 19); send one JSON-RPC request per line"),
        (-32700, "Parse error: the line is not valid JSON (column 5); send one JSON-RPC request per line"),
        (-32600, "batches are not supported; send one request per line"),
    ]


def test_a_call_whose_params_do_not_fit_says_which_over_stdio_too(pcrm_home: Path, cli: Any) -> None:
    """`pcrm mcp` answered a tools/call without a name, or with arguments that are no object, "Invalid
    request parameters" and an empty `data`: the answer names the member and what it takes, and the
    call after them is served as before."""
    cli("init")
    lines = [
        json.dumps(INITIALIZE),
        json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}),
    ]
    for n, (method, params, _says) in enumerate(WRONG_PARAMS, start=10):
        body: dict[str, Any] = {"jsonrpc": "2.0", "id": n, "method": method}
        if params is not None:
            body["params"] = params
        lines.append(json.dumps(body))
    call = {"name": "search_contacts", "arguments": {"query": "Ada"}}
    lines.append(json.dumps({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": call}))
    r = _piped(pcrm_home, "\n".join(lines) + "\n")
    answers = {a["id"]: a for a in map(json.loads, r.stdout.splitlines())}
    for n, (_method, _params, says) in enumerate(WRONG_PARAMS, start=10):
        assert answers[n] == {"jsonrpc": "2.0", "id": n, "error": {"code": -32602, "message": says}}
    assert answers[2]["result"]["isError"] is False, answers[2]
    assert "Traceback" not in r.stderr


def test_a_call_before_the_handshake_says_to_begin_with_it(pcrm_home: Path, cli: Any) -> None:
    """`printf '<tools/call>\n' | pcrm mcp` (a script that skipped initialize) got "Invalid request
    parameters", though its params were right: the answer says to begin with the handshake; ping is
    served before it, and after it the same call is."""
    cli("init")
    call = {"name": "search_contacts", "arguments": {"query": "Ada"}}
    lines = [
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": call},
        {"jsonrpc": "2.0", "id": 3, "method": "ping"},
        INITIALIZE,
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": call},
    ]
    r = _piped(pcrm_home, "".join(json.dumps(line) + "\n" for line in lines))
    answers = {a["id"]: a for a in map(json.loads, r.stdout.splitlines())}
    assert answers[2]["error"] == {
        "code": -32602,
        "message": "tools/call came before initialize: begin with the MCP handshake, an initialize "
        "request and then the notifications/initialized notification",
    }
    assert answers[3]["result"] == {} and "result" in answers[1]
    assert answers[4]["result"]["isError"] is False, answers[4]


def test_a_client_of_the_revision_without_a_handshake_is_served_from_its_first_request(
    pcrm_home: Path, cli: Any
) -> None:
    """`pcrm mcp` fed a tools/call whose params' `_meta` names protocol version 2026-07-28 (an MCP revision
    with no initialize; the SDK serves such a client from its first request) answered "tools/call came
    before initialize: begin with the MCP handshake": no such client could use pcrm over stdio."""
    cli("init")
    meta = {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientInfo": {"name": "script", "version": "1"},
        "io.modelcontextprotocol/clientCapabilities": {},
    }
    call = {"_meta": meta, "name": "search_contacts", "arguments": {"query": "Ada"}}
    lines = [
        {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": call},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {"_meta": meta}},
    ]
    r = _piped(pcrm_home, "".join(json.dumps(line) + "\n" for line in lines))
    answers = {a["id"]: a for a in map(json.loads, r.stdout.splitlines())}
    assert answers[1]["result"]["isError"] is False, answers[1]
    assert "search_contacts" in {t["name"] for t in answers[2]["result"]["tools"]}


def test_a_mistyped_pcrm_home_is_refused_not_created(tmp_path: Path) -> None:
    """An agent's config with a PCRM_HOME naming no store (a typo): `pcrm mcp` does not start on a new,
    empty store the agent would report as an empty CRM; it says which path it looked at and how to make
    or find the store, and creates nothing. `pcrm init` still creates it, and then the server starts."""
    import os
    import subprocess

    home = tmp_path / "pcrm-hmoe"
    env = {**os.environ, "PCRM_HOME": str(home), "NO_COLOR": "1"}

    def pcrm(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pcrm", *args],
            env=env,
            check=False,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
        )

    r = pcrm("mcp")
    assert r.returncode != 0 and r.stdout == ""  # nothing on the protocol's channel
    assert f"no pcrm store at {home / 'pcrm.db'}" in r.stderr
    assert "pcrm init" in r.stderr and "pcrm paths" in r.stderr and "PCRM_HOME" in r.stderr
    assert "Traceback" not in r.stderr
    assert not home.exists()

    init = pcrm("init")
    assert init.returncode == 0, init.stderr
    served = pcrm("mcp")
    assert served.returncode == 0, served.stderr
