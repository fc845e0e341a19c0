"""pcrm/cli/_help.py: `pcrm --help`, `-h` and a bare `pcrm` print exactly what Typer prints for the full
app, without importing Typer [fast-top-level-help]."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from pcrm.cli import ENTRIES, _help
from tests.cli._fresh import run_main as _run_main
from tests.cli._fresh import typer_runs as _typer

WIDTHS = [40, 60, 80, 100, 120, 161, 200, 250]
COLOURS: list[dict[str, str]] = [{"NO_COLOR": "1"}, {"FORCE_COLOR": "1", "TERM": "xterm-256color"}, {}]


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
