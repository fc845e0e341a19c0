"""Usage lines name arguments as other command-line tools do: `CONTACT` when required, `[NAME]` when not,
`TAGS...` for several [cli-usage-names]. Typer 0.29 wrote `{contact}` (`Usage: pcrm interactions list
[OPTIONS] {contact}`), which reads as a placeholder to type with its braces, or as shell brace syntax."""

from __future__ import annotations

import re

import pytest

from tests.cli.test_missing_store import COMMANDS
from tests.support.cli import Cli


def test_interactions_list_names_its_contact_in_capitals(cli: Cli) -> None:
    got = cli("interactions", "list", "-h").stdout
    assert got.splitlines()[0] == "Usage: pcrm interactions list [OPTIONS] CONTACT"
    assert cli("note", "add", "-h").stdout.startswith("Usage: pcrm note add [OPTIONS] CONTACT TEXT\n")
    assert cli("contacts", "tag", "-h").stdout.startswith(
        "Usage: pcrm contacts tag [OPTIONS] CONTACT TAGS...\n"
    )
    # the error of a missing one names it as the usage line above it does
    missing = cli("interactions", "list", ok=False).stderr
    assert "Usage: pcrm interactions list [OPTIONS] CONTACT\n" in missing
    assert "Missing argument 'CONTACT'." in missing


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_usage_line_names_its_arguments_in_capitals(cli: Cli, path: str) -> None:
    usage = cli(*path.split(), "-h").stdout.splitlines()[0]
    assert usage.startswith(f"Usage: pcrm {path} [OPTIONS]"), usage
    args = usage.removeprefix(f"Usage: pcrm {path} [OPTIONS]").split()
    for arg in args:
        assert re.fullmatch(r"\[?[A-Z][A-Z0-9_]*\]?(\.\.\.)?", arg), usage
