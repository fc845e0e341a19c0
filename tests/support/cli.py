"""Running `pcrm` in-process through typer's CliRunner: the `cli` fixture."""

from __future__ import annotations

from typing import Any

from typer.testing import CliRunner


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
