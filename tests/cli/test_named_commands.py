"""Every `pcrm GROUP COMMAND --option` that pcrm's messages, hints and docs name exists: a sync that queued
pairs said "N pairs to review: pcrm identity review", a command there never was."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer.main

from pcrm.cli import app

ROOT = Path(__file__).resolve().parents[2]
NAMED = re.compile(r"\bpcrm((?: [a-z][a-z0-9-]*)+)")
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
# where a mention's options end: a closing backtick or parenthesis, another sentence or command
MENTION_END = re.compile(r"`|\)|;|\. |, or |\bpcrm\b|\n")
# prose in which words after a group's name are no subcommand: a process, and a job's display name
NOT_COMMANDS = {"pcrm daemon is", "pcrm jobs tick"}
FILE_TAKING = {"import"}  # `pcrm import people.csv`: the group takes a file where a command's name would go


def _texts() -> Iterator[tuple[str, str]]:
    """(where, text) for each string literal of pcrm/ and each line of the docs."""
    for path in sorted((ROOT / "pcrm").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield f"{path.relative_to(ROOT)}:{node.lineno}", node.value
    for doc in ("README.md", "docs/decisions.md", "bench/README.md"):
        for n, line in enumerate((ROOT / doc).read_text(encoding="utf-8").splitlines(), 1):
            yield f"{doc}:{n}", line


def unknown_commands(root: Any, texts: Iterator[tuple[str, str]]) -> list[str]:
    """The `pcrm ...` mentions whose words after a top-level command's name leave the command tree, or
    whose `--options` the command they name does not take."""
    bad = []
    for where, text in texts:
        for m in NAMED.finditer(text):
            words = m.group(1).split()
            if words[0] not in root.commands:
                continue  # prose: "pcrm keeps its secrets"
            cmd, known = root, True
            if words[0] in FILE_TAKING:  # `pcrm import history`, else `pcrm import FILE`: its file command
                group = root.commands[words[0]]
                cmd, words = group.commands.get(words[1] if words[1:] else "", group.commands["file"]), []
            for depth, word in enumerate(words):
                subs = getattr(cmd, "commands", None)
                if subs is None or getattr(cmd, "invoke_without_command", False):
                    break  # a command's arguments follow
                if word not in subs:
                    known = False
                    if "pcrm " + " ".join(words[: depth + 1]) not in NOT_COMMANDS:
                        bad.append(f"{where}: {m.group(0)!r}")
                    break
                cmd = subs[word]
            if not known or getattr(cmd, "commands", None) is not None:
                continue  # a group: its commands' options follow their names
            options = {"--help"} | {o for p in cmd.params for o in (*p.opts, *p.secondary_opts)}
            rest = MENTION_END.split(text[m.end() :])[0]
            bad += [f"{where}: {m.group(0)!r} has no {o}" for o in OPTION.findall(rest) if o not in options]
    return bad


def test_every_command_a_message_or_doc_names_exists() -> None:
    root = typer.main.get_command(app)
    assert unknown_commands(root, _texts()) == []
    # and the check catches one: the hint a sync printed
    assert unknown_commands(root, iter([("x", "3 pairs to review: pcrm identity review")])) == [
        "x: 'pcrm identity review'"
    ]
    said = "`pcrm contacts list --serach ada` (or `pcrm import f.csv --dry-rn`)"
    assert unknown_commands(root, iter([("y", said)])) == [
        "y: 'pcrm contacts list' has no --serach",
        "y: 'pcrm import f' has no --dry-rn",
    ]
