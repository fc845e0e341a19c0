"""`-h` is `--help` on every command, groups and leaves alike: usage errors say "Try 'pcrm contacts list
-h' for help.", so that advice has to work wherever it is given."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.cli import Cli


def _paths() -> list[list[str]]:
    """Every command and group below `pcrm`, hidden ones too."""
    import typer.main

    from pcrm.cli import app

    found: list[list[str]] = []

    def walk(cmd: Any, path: list[str]) -> None:
        if path:
            found.append(path)
        for name, sub in sorted(getattr(cmd, "commands", {}).items()):
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


PATHS = _paths()


def test_no_command_takes_h_for_something_else() -> None:
    import typer.main

    from pcrm.cli import app

    def walk(cmd: Any, path: list[str]) -> None:
        for p in cmd.params:
            assert "-h" not in (*p.opts, *p.secondary_opts) or p.name == "help", (path, p.name)
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), ["pcrm"])


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) for p in PATHS])
def test_h_prints_the_help_of_every_command(cli: Cli, path: list[str]) -> None:
    got = cli(*path, "-h", ok=None)
    assert got.exit_code == 0, (got.stdout, got.stderr)
    assert got.stdout.startswith(f"Usage: pcrm {' '.join(path)} "), got.stdout


def test_the_usage_error_s_advice_works(cli: Cli) -> None:
    bad = cli("contacts", "list", "--bogus", ok=None)
    assert bad.exit_code == 2 and "Try 'pcrm contacts list -h' for help." in bad.stderr
    # the same command again, now with the advice taken (the command's help option is built once)
    good = cli("contacts", "list", "-h", ok=None)
    assert good.exit_code == 0 and "Usage: pcrm contacts list" in good.stdout
