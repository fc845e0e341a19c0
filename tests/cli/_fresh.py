"""Run pcrm in a fresh interpreter, two ways, to compare them: `python -m pcrm ARGS` as a user runs it (with
the modules it imported), and Typer running the full app (every command module loaded). CliRunner is no
use for this: it forces click's help width to 80 and runs in a process whose sys.modules earlier tests
filled."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

# Typer's own output of the full app, in a fresh interpreter: CliRunner forces click's width to 80, and
# the fast path must follow COLUMNS and the terminal as click does.
_TYPER = """
import contextlib, io, json, os, sys
from pcrm.cli import app
out = []
for args, env in json.loads(sys.argv[1]):
    for k in ("COLUMNS", "NO_COLOR", "FORCE_COLOR", "TERM"):
        os.environ.pop(k, None)
    os.environ.update(env)
    # binary-backed, as a real stdout is: --json writes bytes to sys.stdout.buffer
    so, se = (io.TextIOWrapper(io.BytesIO(), encoding="utf-8") for _ in range(2))
    code = 0
    with contextlib.redirect_stdout(so), contextlib.redirect_stderr(se):
        try:
            app(args, prog_name="pcrm")
        except SystemExit as e:
            code = e.code or 0
    so.flush(); se.flush()
    out.append([code, so.buffer.getvalue().decode(), se.buffer.getvalue().decode()])
print(json.dumps(out))
"""


def typer_runs(runs: list[tuple[list[str], dict[str, str]]]) -> list[tuple[int, str, str]]:
    p = subprocess.run(
        [sys.executable, "-c", _TYPER, json.dumps(runs)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert p.returncode == 0, p.stderr
    return [tuple(r) for r in json.loads(p.stdout)]  # type: ignore[misc]


# `python -m pcrm ARGS` in a fresh interpreter: its output, exit code, and the modules it imported beyond
# what the wrapper itself needs.
_WRAPPER = """
import json, runpy, sys
before = set(sys.modules)
sys.argv = ["pcrm", *json.loads(sys.argv[1])]
code = 0
try:
    runpy.run_module("pcrm", run_name="__main__", alter_sys=True)
except SystemExit as e:
    code = e.code or 0
sys.stdout.flush()
sys.stderr.flush()
print("\\n@@" + json.dumps({"code": code, "new": sorted(set(sys.modules) - before)}))
"""


def run_main(args: list[str], home: Path, env: dict[str, str]) -> dict[str, Any]:
    full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    p = subprocess.run(
        [sys.executable, "-c", _WRAPPER, json.dumps(args)],
        capture_output=True,
        stdin=subprocess.DEVNULL,  # `pcrm mcp` reads stdin: it must see EOF, never a terminal
        text=True,
        env={**full, "PCRM_HOME": str(home), **env},
        timeout=120,
        check=False,
    )
    assert "@@" in p.stdout, p.stderr
    out, _, report = p.stdout.rpartition("\n@@")
    return {**json.loads(report), "stdout": out, "stderr": p.stderr}


def made_store(home: Path) -> Path:
    """An empty store at `home`, as `pcrm init` leaves it: commands that only read need one
    [opening-the-store]."""
    from pcrm.services.context import open_context

    open_context(home / "pcrm.db").close()
    return home
