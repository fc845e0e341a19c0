"""The MCP Inspector's CLI (the official outside client, Node.js, from the npm registry) lists and calls
pcrm's tools: against `pcrm mcp` over stdio, and against a real `pcrm serve` at /mcp with the MCP key.

.ci/run installs it into .ci/node (pinned by its lockfile). Without it this test is skipped on a
developer's machine, and fails under CI=true: CI must not pass by skipping it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.mcp import READ_TOOLS, WRITE_TOOLS

REPO = Path(__file__).resolve().parents[2]
INSPECTOR = REPO / ".ci" / "node" / "node_modules" / ".bin" / "mcp-inspector"


@pytest.fixture
def inspector(tmp_path: Path) -> Any:
    if not INSPECTOR.exists() or shutil.which("node") is None:
        why = f"the MCP Inspector is not installed at {INSPECTOR} (npm ci --prefix .ci/node)"
        if os.environ.get("CI"):
            pytest.fail(why + "; .ci/run installs it")
        pytest.skip(why)
    # its catalog and settings go to a throwaway HOME, never the developer's
    env = {
        **os.environ,
        "HOME": str(tmp_path / "inspector-home"),
        "MCP_CATALOG_PATH": str(tmp_path / "mcp.json"),
    }

    def run(*args: str, exit_code: int = 0) -> Any:
        p = subprocess.run(
            [str(INSPECTOR), "--cli", "--connect-timeout", "60000", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            check=False,
        )
        assert p.returncode == exit_code, (
            f"inspector {' '.join(args)}: exit {p.returncode}\n{p.stdout}\n{p.stderr}"
        )
        return json.loads(p.stdout)

    return run


def test_the_inspector_lists_and_calls_the_tools_of_pcrm_mcp(
    inspector: Any, demo: Any, pcrm_home: Path
) -> None:
    server = ["-e", f"PCRM_HOME={pcrm_home}", sys.executable, "-m", "pcrm", "mcp"]
    listed = inspector(*server, "--method", "tools/list")
    tools = {t["name"]: t for t in listed["tools"]}
    assert tuple(tools) == READ_TOOLS + WRITE_TOOLS
    assert all(t["outputSchema"] and "untrusted" in t["description"] for t in tools.values())

    called = inspector(
        *server,
        "--method",
        "tools/call",
        "--tool-name",
        "get_contact",
        "--tool-arg",
        f"contact={demo['contact_name']}",
    )
    assert called.get("isError") in (None, False)
    assert called["structuredContent"]["id"] == demo["contact"]
    assert "<untrusted-data-" in called["content"][0]["text"]

    refused = inspector(
        *server,
        "--method",
        "tools/call",
        "--tool-name",
        "add_note",
        "--tool-arg",
        "contact=x",
        "--tool-arg",
        "text=y",
        exit_code=5,  # the Inspector's exit code for a tool that answered isError
    )
    assert refused["isError"] is True and "mcp.allow_writes" in refused["content"][0]["text"]


def test_the_inspector_over_http_with_the_mcp_key(inspector: Any, demo: Any, pcrm_home: Path) -> None:
    import socket
    import urllib.request

    from pcrm.services import tokens
    from pcrm.services.context import open_context

    with open_context() as ctx:
        key = tokens.mcp_key_create(ctx).data["key"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    log = open(pcrm_home.parent / "daemon.log", "w+")  # noqa: SIM115 - closed in `finally`
    proc = subprocess.Popen(
        [sys.executable, "-m", "pcrm", "serve", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/api/health", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert proc.poll() is None, "the daemon exited early"
            assert time.monotonic() < deadline, "the daemon did not answer within 30 s"
            time.sleep(0.2)
        target = [url + "/mcp", "--transport", "http", "--header", f"Authorization: Bearer {key}"]
        listed = inspector(*target, "--method", "tools/list")
        assert [t["name"] for t in listed["tools"]] == list(READ_TOOLS + WRITE_TOOLS)
        stats = inspector(*target, "--method", "tools/call", "--tool-name", "get_dashboard_stats")
        assert stats["structuredContent"]["total"] > 0
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
