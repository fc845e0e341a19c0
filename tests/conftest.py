"""Shared fixtures: every test gets its own PCRM_HOME with a real SQLite file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pcrm import clock


@pytest.fixture(autouse=True)
def pcrm_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("PCRM_HOME", str(home))
    monkeypatch.delenv("PCRM_NOW", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    clock.set_now(None)
    yield home
    clock.set_now(None)


class Cli:
    """Runs `pcrm` in-process through typer's CliRunner."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, ok: bool | None = True, input: str | None = None) -> Any:
        from pcrm.cli import app

        result = self.runner.invoke(app, list(args), input=input)
        if ok is True and result.exit_code != 0:
            raise AssertionError(
                f"pcrm {' '.join(args)} exited {result.exit_code}:\n"
                f"{result.stdout}\n{result.stderr}\n{result.exception!r}"
            )
        if ok is False and result.exit_code == 0:
            raise AssertionError(f"pcrm {' '.join(args)} unexpectedly succeeded:\n{result.stdout}")
        return result

    def json(self, *args: str, ok: bool | None = True) -> Any:
        import json

        result = self(*args, "--json", ok=ok)
        return json.loads(result.stdout)


@pytest.fixture
def cli() -> Cli:
    return Cli()
