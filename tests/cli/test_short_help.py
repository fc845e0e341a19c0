"""A group's `--help` lists each command with the first sentence of its help, which click ends at the first
word ending in a full stop: `(e.g. a Telegram group member)` left `contacts promote` as "Promote a 2nd-tier
contact (e.g." and `contacts reconcile` as "... missing or stale (e.g." on a wide terminal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tests.support.cli import Cli


def _commands() -> Iterator[tuple[str, Any]]:
    import typer.main

    from pcrm.cli import app

    def walk(cmd: Any, path: str) -> Iterator[tuple[str, Any]]:
        yield path, cmd
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            yield from walk(sub, f"{path} {name}".strip())

    yield from walk(typer.main.get_command(app), "")


def _cut(line: str) -> bool:
    """Whether a one-line help stops inside a parenthesis or a `code` span, or on an abbreviation."""
    return line.count("(") != line.count(")") or line.count("`") % 2 == 1 or line.endswith(("e.g.", "i.e."))


def test_every_command_s_one_line_help_is_a_whole_sentence() -> None:
    cut = {}
    for path, cmd in _commands():
        line = cmd.get_short_help_str(limit=10**6)  # a terminal wide enough for all of it
        if _cut(line):
            cut[path] = line
    assert not cut, cut


def test_contacts_help_lists_promote_in_words(cli: Cli) -> None:
    out = cli("contacts", "--help").stdout
    (line,) = [x for x in out.splitlines() if x.strip().startswith("promote ")]
    text = line.split(None, 1)[1]
    assert text.endswith("...") or not _cut(text), line
    assert text.startswith("Promote a 2nd-tier contact (a Telegram group member"), line
