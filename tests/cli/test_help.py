"""pcrm/cli/_help.py: `pcrm --help`, `-h` and a bare `pcrm` print exactly what Typer prints for the full
app, without importing Typer [fast-top-level-help]."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pcrm.cli import ENTRIES, _help

WIDTHS = [40, 60, 80, 100, 120, 161, 200, 250]
COLOURS: list[dict[str, str]] = [{"NO_COLOR": "1"}, {"FORCE_COLOR": "1", "TERM": "xterm-256color"}, {}]


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
    so, se, code = io.StringIO(), io.StringIO(), 0
    with contextlib.redirect_stdout(so), contextlib.redirect_stderr(se):
        try:
            app(args, prog_name="pcrm")
        except SystemExit as e:
            code = e.code or 0
    out.append([code, so.getvalue(), se.getvalue()])
print(json.dumps(out))
"""


def _typer(runs: list[tuple[list[str], dict[str, str]]]) -> list[tuple[int, str, str]]:
    p = subprocess.run(
        [sys.executable, "-c", _TYPER, json.dumps(runs)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [tuple(r) for r in json.loads(p.stdout)]  # type: ignore[misc]


def test_render_is_typer_s_own_top_level_help() -> None:
    runs = [
        (args, {"COLUMNS": str(columns), **colour})
        for columns in WIDTHS
        for colour in COLOURS
        for args in (["--help"], ["-h"], [])
    ]
    for (args, env), typer_s in zip(runs, _typer(runs), strict=True):
        mine = _help.render(ENTRIES, columns=int(env["COLUMNS"])) + "\n"
        assert "\x1b" not in mine
        # --help: stdout, exit 0; no arguments (no_args_is_help): stderr, exit 2
        assert typer_s == ((0, mine, "") if args else (2, "", mine)), (args, env)


def test_the_help_texts_are_used_as_written() -> None:
    """click cleans the app's help with inspect.cleandoc; the fast path prints it as it is."""
    assert inspect.cleandoc(_help.APP_HELP) == _help.APP_HELP
    assert all(inspect.cleandoc(e.help) == e.help for e in ENTRIES)


def test_render_follows_the_terminal_width() -> None:
    """A guard against comparing two things that do not move: the layout does change with the width."""
    narrow, wide = _help.render(ENTRIES, columns=80), _help.render(ENTRIES, columns=200)
    assert narrow != wide
    assert max(len(line) for line in narrow.splitlines()) <= 78
    assert "..." in narrow and max(len(line) for line in wide.splitlines()) > 100


def test_terminal_columns_is_what_shutil_says(monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    for value in ("100", "0", "-3", "x", None):
        if value is None:
            monkeypatch.delenv("COLUMNS", raising=False)
        else:
            monkeypatch.setenv("COLUMNS", value)
        assert _help.terminal_columns() == shutil.get_terminal_size().columns, value


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


def _run_main(args: list[str], home: Path, env: dict[str, str]) -> dict[str, Any]:
    full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    p = subprocess.run(
        [sys.executable, "-c", _WRAPPER, json.dumps(args)],
        capture_output=True,
        text=True,
        env={**full, "PCRM_HOME": str(home), **env},
        timeout=120,
        check=False,
    )
    out, _, report = p.stdout.rpartition("\n@@")
    return {**json.loads(report), "stdout": out, "stderr": p.stderr}


@pytest.mark.parametrize("columns", [80, 120, 200])
@pytest.mark.parametrize("colour", COLOURS, ids=lambda c: ",".join(c) or "plain")
def test_pcrm_prints_typer_s_help_without_importing_typer(
    tmp_path: Path, columns: int, colour: dict[str, str]
) -> None:
    for args in (["--help"], ["-h"], []):
        env = {"COLUMNS": str(columns), **colour}
        r = _run_main(args, tmp_path / "h", env)
        assert (r["code"], r["stdout"], r["stderr"]) == _typer([(args, env)])[0], args
        assert not any(m == "typer" or m.startswith(("typer.", "click")) for m in r["new"]), args
        # the standard library it needs: textwrap (and the re it imports); never typing, dataclasses,
        # inspect or pathlib (~20 ms together)
        assert [m for m in r["new"] if m.startswith("pcrm")] == [
            "pcrm",
            "pcrm.cli",
            "pcrm.cli._complete",
            "pcrm.cli._help",
        ]
        assert not {"typing", "dataclasses", "inspect", "pathlib", "importlib.util", "shutil"} & set(
            r["new"]
        ), args
    assert not (tmp_path / "h").exists()  # nor does it touch the store


def test_anything_else_still_goes_to_typer(tmp_path: Path) -> None:
    """The check above can fail: a command's help, or --help with more words, does import Typer."""
    for args in (["contacts", "--help"], ["--help", "contacts"], ["version"]):
        r = _run_main(args, tmp_path / "h", {"NO_COLOR": "1"})
        assert r["code"] == 0 and "typer" in r["new"], args
    env = {"NO_COLOR": "1", "COLUMNS": "80"}
    r = _run_main(["--help", "contacts"], tmp_path / "h", env)
    assert (r["code"], r["stdout"], r["stderr"]) == _typer([(["--help", "contacts"], env)])[0]
