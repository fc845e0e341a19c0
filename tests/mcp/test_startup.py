"""The MCP SDK (~0.5 s to import) loads only when `pcrm mcp` serves: its help, `config` and `log` do
without, as do every other command (tests/cli/test_startup.py). Checked in fresh interpreters."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_startup import HEAVY, run_pcrm


@pytest.mark.parametrize(
    "args", [["mcp", "--help"], ["mcp", "config"], ["mcp", "log"], ["mcp-key", "status"]]
)
def test_mcp_commands_but_the_server_import_no_sdk(tmp_path: Path, args: list[str]) -> None:
    r = run_pcrm(args, tmp_path / "home")
    assert r["code"] == 0, r["stderr"]
    assert r["loaded"] == [], f"`pcrm {' '.join(args)}` imported {r['loaded']}"


def test_the_check_sees_the_sdk_when_the_server_runs(tmp_path: Path) -> None:
    """`pcrm mcp` with stdin closed at once: it imports the SDK, serves nothing and ends cleanly."""
    assert run_pcrm(["init"], tmp_path / "home")["code"] == 0  # `pcrm mcp` serves a store, creates none
    r = run_pcrm(["mcp"], tmp_path / "home", watch=HEAVY)
    assert r["code"] == 0, r["stderr"]
    assert "mcp" in r["loaded"]
