"""Small things people expect: `-` reads free text (a note, notes, a message) from stdin in every command
that takes some, `--clear` takes option names as typed, `pcrm --version`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.crm import Crm

STDIN = "lunch at the\nBritish Library\n"
READ = "lunch at the\nBritish Library"


def test_note_add_dash_reads_the_note_from_stdin(crm: Crm) -> None:
    crm.add("Ada Lovelace")
    out = crm.cli("note", "add", "ada", "-", "--json", input="lunch at the\nBritish Library\n")
    note = json.loads(out.stdout)["data"]
    assert note["content_preview"] == "lunch at the\nBritish Library"


def _note(crm: Crm) -> list[str]:
    note = crm.cli.json("note", "add", "ada", "first words")["data"]
    return ["note", "edit", note["id"], "-"]


def _org(crm: Crm) -> list[str]:
    crm.cli("orgs", "add", "Analytical Engines")
    return ["orgs", "edit", "Analytical Engines", "--notes", "-"]


# each command taking free text: its arguments (made after Ada Lovelace exists) and where the text lands
DASH_COMMANDS: dict[str, tuple[Callable[[Crm], list[str]], Callable[[dict[str, Any]], Any]]] = {
    "note edit": (_note, lambda d: d["content_preview"]),
    "log": (lambda crm: ["log", "ada", "-"], lambda d: d["content_preview"]),
    "note add": (lambda crm: ["note", "add", "ada", "-"], lambda d: d["content_preview"]),
    "contacts add --notes": (
        lambda crm: ["contacts", "add", "--name", "Bo", "--notes", "-"],
        lambda d: d["notes"],
    ),
    "contacts edit --notes": (lambda crm: ["contacts", "edit", "ada", "--notes", "-"], lambda d: d["notes"]),
    "orgs add --notes": (lambda crm: ["orgs", "add", "Difference Ltd", "--notes", "-"], lambda d: d["notes"]),
    "orgs edit --notes": (_org, lambda d: d["notes"]),
}


@pytest.mark.parametrize("command", sorted(DASH_COMMANDS))
def test_every_free_text_argument_reads_stdin_for_a_dash(crm: Crm, command: str) -> None:
    """`note add CONTACT -` read stdin while `note edit ID -` stored a dash: `-` is stdin everywhere."""
    crm.add("Ada Lovelace")
    args, landed = DASH_COMMANDS[command]
    out = crm.cli(*args(crm), "--json", input=STDIN)
    assert landed(json.loads(out.stdout)["data"]) == READ


@pytest.mark.parametrize("command", sorted(DASH_COMMANDS))
@pytest.mark.parametrize("stdin", ["", "  \n\n"])
def test_a_dash_on_an_empty_stdin_is_an_error(crm: Crm, command: str, stdin: str) -> None:
    """[free-text-stdin]: `cat missing.txt | pcrm contacts edit ada --notes -` cleared Ada's notes, and
    `pcrm log ada -` logged a call with no text; an empty stdin is an error, exit 1, the store untouched.
    `pcrm note add ada -` on an empty stdin hinted `--clear notes`, an option it does not have."""
    crm.add("Ada Lovelace", "--notes", "met at the Royal Society")
    args, _landed = DASH_COMMANDS[command]
    argv = args(crm)
    before = crm.dump()
    human = crm.cli(*argv, ok=None, input=stdin)
    assert human.exit_code == 1, (human.exit_code, human.stdout, human.stderr)
    assert human.stdout == ""
    assert human.stderr.startswith("error: ") and "stdin was empty" in human.stderr, human.stderr
    assert "\nhint: " in human.stderr
    # only a command with --notes has notes to empty: `pcrm note add ada -` has no --clear
    assert ("--clear notes" in human.stderr) == ("--notes" in argv), human.stderr
    machine = crm.cli(*argv, "--json", ok=None, input=stdin)
    assert machine.exit_code == 1
    err = json.loads(machine.stdout)["error"]
    assert err["code"] == "validation_error" and "stdin was empty" in err["message"], err
    assert crm.dump() == before
    assert crm.show("Ada Lovelace")["notes"] == "met at the Royal Society"


def test_every_free_text_parameter_says_a_dash_reads_stdin() -> None:
    """Each command's text, notes and message parameters go through o.text_or_stdin, and their help says
    so: a new one that forgets shows up here."""
    import typer.main

    from pcrm.cli import _options, app

    def walk(cmd: Any, path: tuple[str, ...]) -> Any:
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, (*path, name))
        for param in getattr(cmd, "params", []):
            yield path, param

    free = [
        (path, p.name)
        for path, p in walk(typer.main.get_command(app), ())
        if p.name in ("text", "notes", "message")
        and _options.FROM_STDIN not in (getattr(p, "help", "") or "")
    ]
    assert free == []


def test_clear_takes_option_names_as_typed(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--given-name", "Ada", "--title", "Countess", "--email", "ada@example.com")
    crm.cli(
        "contacts",
        "edit",
        "ada@example.com",
        "--clear",
        "--given-name",
        "--clear",
        "title",
        "--clear",
        "email",
    )
    ada = crm.show("Ada Lovelace")
    assert ada["given_name"] is None and ada["title"] is None and ada["emails"] == []


def test_version_flag(tmp_path: Any) -> None:
    from pcrm import __version__

    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", os.getcwd())}
    for flag in ("--version", "-V"):
        r = subprocess.run(
            [sys.executable, "-m", "pcrm", flag], capture_output=True, text=True, env=env, check=True
        )
        assert r.stdout.strip() == __version__
