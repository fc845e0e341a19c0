"""Shell completion [shell-completion]: Typer's scripts for bash, zsh and fish, and completion requests
answered the way a shell asks (the environment variables its script sets), in a real `pcrm` process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pcrm.cli import _complete
from tests.support.crm import Crm


def _pcrm(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {
        **os.environ,
        "PYTHONPATH": os.environ.get("PYTHONPATH", os.getcwd()),
        "PCRM_HOME": str(home),
        "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "pcrm", *args],
        check=False,
        capture_output=True,
        text=True,
        env=full,
        timeout=60,
    )


def _bash(home: Path, line: str) -> list[str]:
    words = line.split(" ")
    r = _pcrm(home, _PCRM_COMPLETE="complete_bash", COMP_WORDS=line, COMP_CWORD=str(len(words) - 1))
    assert r.returncode == 0, r.stderr
    return [line for line in r.stdout.splitlines() if line]


@pytest.mark.parametrize(
    ("shell", "marker"),
    [("bash", "complete -o"), ("zsh", "#compdef pcrm"), ("fish", "complete --command pcrm")],
)
def test_completion_scripts_are_generated(pcrm_home: Path, shell: str, marker: str) -> None:
    r = _pcrm(pcrm_home, "--show-completion", shell)
    assert r.returncode == 0, r.stderr
    assert marker in r.stdout and "_PCRM_COMPLETE" in r.stdout


def test_a_contact_name_completes_in_bash_zsh_and_fish(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--tag", "math")
    crm.add("Grace Hopper", "--tag", "navy")
    # bash: a name with a space stays one word
    assert _bash(crm.home, "pcrm contacts show ad") == ["Ada\\ Lovelace"]
    assert _bash(crm.home, "pcrm contacts show --json hop") == ["Grace\\ Hopper"]  # any word of the name
    assert _bash(crm.home, "pcrm note add gr") == ["Grace\\ Hopper"]
    zsh = _pcrm(crm.home, _PCRM_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="pcrm contacts edit Ad")
    assert zsh.stdout.strip() == """_arguments '*: :(("Ada Lovelace"))'"""
    fish = _pcrm(
        crm.home,
        _PCRM_COMPLETE="complete_fish",
        _TYPER_COMPLETE_FISH_ACTION="get-args",
        _TYPER_COMPLETE_ARGS="pcrm contacts rm gra",
    )
    assert fish.stdout.strip() == "Grace Hopper"


def test_tags_settings_commands_and_options_complete(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--tag", "math", "--tag", "london")
    assert _bash(crm.home, "pcrm contacts list --tag l") == ["london"]
    assert _bash(crm.home, "pcrm contacts tag ada m") == ["math"]
    assert "priority.high" in _bash(crm.home, "pcrm settings set pri")
    assert _bash(crm.home, "pcrm contacts sh") == ["show"]  # commands: Typer's own completion
    assert "--search" in _bash(crm.home, "pcrm contacts list --s")


def test_the_cache_follows_writes(crm: Crm) -> None:
    crm.add("Ada Lovelace")
    assert _bash(crm.home, "pcrm contacts show ad") == ["Ada\\ Lovelace"]
    assert (crm.home / "completion.json").exists()
    crm.add("Adele Goldberg")
    assert sorted(_bash(crm.home, "pcrm contacts show ad")) == ["Ada\\ Lovelace", "Adele\\ Goldberg"]


def test_no_store_completes_nothing_and_creates_nothing(tmp_path: Path) -> None:
    home = tmp_path / "none"
    assert _bash(home, "pcrm contacts show ad") == []
    assert not (home / "pcrm.db").exists()


def _contact_first_commands() -> set[tuple[str, ...]]:
    """(group, command) of every command whose first argument completes contact names, from the app."""
    import typer

    from pcrm.cli import full_app

    root: Any = typer.main.get_command(full_app())
    found: set[tuple[str, ...]] = set()

    def walk(cmd: Any, path: tuple[str, ...]) -> None:
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, (*path, name))
        args = [p for p in getattr(cmd, "params", []) if p.param_type_name == "argument"]
        if args and "A contact: id or id prefix" in (getattr(args[0], "help", "") or ""):
            found.add(path)

    walk(root, ())
    return found


def test_the_fast_path_knows_every_command_taking_a_contact_first() -> None:
    assert _contact_first_commands() == set(_complete.CONTACT_FIRST)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("values", [[], ["Ada Lovelace"], ['O\'Brien: $HOME `x` "q"', "Zoë"]])
def test_the_fast_answer_prints_what_typer_prints(
    shell: str, values: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer import _completion_classes as classes
    from typer._click.shell_completion import CompletionItem

    monkeypatch.setenv("_TYPER_COMPLETE_FISH_ACTION", "get-args")
    cls: Any = {"bash": classes.BashComplete, "zsh": classes.ZshComplete, "fish": classes.FishComplete}[shell]

    class Fixed(cls):  # type: ignore[misc,valid-type]
        def get_completions(self, args: Any, incomplete: Any) -> list[Any]:
            return [CompletionItem(v) for v in values]

    monkeypatch.setenv("COMP_WORDS", "pcrm x")
    monkeypatch.setenv("COMP_CWORD", "1")
    typer_says = Fixed(None, {}, "pcrm", "_PCRM_COMPLETE").complete()
    assert _complete.answer(shell, values) == (typer_says, 0)
