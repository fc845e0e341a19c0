"""pcrm/cli/_fast.py: the start-up shortcuts must not change what any command does or prints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pcrm.cli import ENTRIES, _fast, app, build_app
from tests.cli._fresh import made_store

ARGV = [
    [],
    ["--help"],
    ["-h"],
    ["contacts"],
    ["contacts", "--help"],
    ["contacts", "list", "--help"],
    ["contacts", "list", "--json"],
    ["contacts", "list", "--page", "0"],
    ["contacts", "lst"],
    ["version"],
    ["version", "--help"],
    ["db", "check", "--json"],
    ["contats"],
    ["--nope"],
    ["contacts", "list", "--search", "ada", "--page-size", "5", "--nl"],
    ["contacts", "show", "ada"],
    ["contacts", "show"],
    ["contacts", "show", "--help"],
    ["db", "migrate", "--list"],
    ["tags", "list", "--json"],
    ["contacts", "list", "--sort", "bogus"],
    ["contacts", "list", "--page-size", "x"],
]


def _run(target: Any, args: list[str]) -> tuple[int, str, str]:
    r = CliRunner().invoke(target, args)
    return r.exit_code, r.stdout, r.stderr


@pytest.mark.parametrize("args", ARGV, ids=lambda a: " ".join(a) or "(none)")
def test_lean_app_behaves_like_the_full_app(args: list[str], cli: Any) -> None:
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.com")
    lean = _fast.lean_app(app, args)
    full = _run(app, args)
    assert _run(lean, args) == full
    assert full[1] or full[2]


@pytest.mark.parametrize("args", ARGV, ids=lambda a: " ".join(a) or "(none)")
def test_main_s_app_behaves_like_the_full_app(args: list[str], cli: Any) -> None:
    """main() loads only the entry argv names; the other entries are listed from pcrm/cli's ENTRIES."""
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.com")
    assert _run(_fast.lean_app(build_app(args[:1], args), args), args) == _run(app, args)


@pytest.mark.parametrize("name", [e.name for e in ENTRIES])
def test_each_entry_s_help_is_the_same_loaded_or_not(name: str) -> None:
    for args in ([name, "--help"], ["--help"]):
        assert _run(_fast.lean_app(build_app(args[:1]), args), args) == _run(app, args)


def test_each_entry_lists_the_first_sentence_of_its_own_help() -> None:
    """ENTRIES repeats what `pcrm --help` shows of each group and command: it must match their own help."""
    import typer.main

    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    assert list(commands) == [e.name for e in ENTRIES]
    for e in ENTRIES:
        assert commands[e.name].get_short_help_str(limit=10_000) == e.help, e.name


def test_lean_app_keeps_only_the_group_that_runs() -> None:
    [contacts] = _fast.lean_app(app, ["contacts", "list"]).registered_groups
    assert contacts.name == "contacts"
    assert [c.name for c in contacts.typer_instance.registered_commands] == ["list"]
    assert (
        len(
            _fast.lean_app(app, ["contacts", "--help"])
            .registered_groups[0]
            .typer_instance.registered_commands
        )
        > 5
    )
    assert _fast.lean_app(app, ["contacts", "list"]).registered_commands == []  # no root commands either
    version = _fast.lean_app(app, ["version"])
    assert [c.callback.__name__ for c in version.registered_commands] == ["version"]
    # one emptied group keeps it a group (a lone command would run without its name)
    assert [g.typer_instance.registered_commands for g in version.registered_groups] == [[]]
    listing = _fast.lean_app(app, ["--help"]).registered_groups
    assert len(listing) == len(app.registered_groups)
    assert all(not g.typer_instance.registered_commands for g in listing)
    assert _fast.lean_app(app, ["no-such-command"]) is app
    # the real app is left as it was
    assert any(g.typer_instance.registered_commands for g in app.registered_groups)


def _outcome(runtime: Any, value: Any) -> tuple[str, Any]:
    from typer._click.exceptions import BadParameter

    try:
        out = runtime._coerce_value(value, param=None, ctx=None)
    except BadParameter as e:
        return "error", e.format_message()
    return type(out).__name__, repr(out)


CASES: list[tuple[Any, dict[str, Any], list[Any]]] = [
    (str, {}, ["x", "", "  spaced ", "ünï", "@ada", b"bytes", 5]),
    (bool, {}, [True, False, "true", "false", "", "yes", "nope", 1]),
    (int, {}, ["12", "-3", "0", "007", "abc", "1.5", " 7", "1_000", "+5", "", 5, -5, 2.0, True]),
    (int, {"min": 1}, ["1", "0", "-1", "5", 1, 0, "x"]),
    (int, {"min": 1, "max": 10}, ["10", "11", "1", "0", 10, 11]),
    (int, {"min": 1, "max": 10, "clamp": True}, ["11", "0", "5"]),
    (float, {}, ["1.5", "-2", "-2.25", "1e3", "nan", "inf", "abc", ".5", "5.", 1.5, 2]),
    (float, {"min": -90, "max": 90}, ["-90", "90.0", "90.5", "-91", 45.5]),
    (list[str], {}, [("a", "b"), ["a"], (), "a", ("a", 1)]),
]


@pytest.mark.parametrize("annotation,info,values", CASES, ids=lambda c: repr(c)[:30])
def test_plain_coercion_equals_typers(annotation: Any, info: dict[str, Any], values: list[Any]) -> None:
    from typer import _coercion
    from typer.models import OptionInfo

    descriptor = _coercion.resolve_type_descriptor(annotation, OptionInfo(**info))
    fast = _fast._build_runtime_param(descriptor)
    typer_own = _fast._typer_build(descriptor)
    assert isinstance(fast, _fast._PlainParam)
    for value in values:
        assert _outcome(fast, value) == _outcome(typer_own, value), value


def _imports_of(args: list[str], home: Path) -> dict[str, Any]:
    wrapper = (
        "import json, runpy, sys\n"
        "sys.argv = ['pcrm', *json.loads(sys.argv[1])]\n"
        "code = 0\n"
        "try:\n    runpy.run_module('pcrm', run_name='__main__', alter_sys=True)\n"
        "except SystemExit as e:\n    code = e.code or 0\n"
        "sys.stdout.flush()\n"
        "print('\\n@@' + json.dumps({'code': code, 'mods': sorted({m.split('.')[0] for m in sys.modules}), "
        "'pcrm': sorted(m for m in sys.modules if m.startswith('pcrm.')), "
        "'gc': [__import__('gc').isenabled(), __import__('gc').get_freeze_count()]}))\n"
    )
    env = {**os.environ, "PCRM_HOME": str(home), "NO_COLOR": "1"}
    p = subprocess.run(
        [sys.executable, "-c", wrapper, json.dumps(args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert "@@" in p.stdout, p.stderr
    return json.loads(p.stdout.rpartition("\n@@")[2])


def test_start_up_skips_pydantic_and_rich_where_it_can(tmp_path: Path) -> None:
    r = _imports_of(
        ["contacts", "list", "--search", "ada", "--page-size", "5", "--json"], made_store(tmp_path / "h")
    )
    assert r["code"] == 0
    assert "pydantic" not in r["mods"] and "rich" not in r["mods"]
    assert "apsw" in r["mods"]  # the command did run against the store
    r = _imports_of(["--help"], tmp_path / "h")
    assert r["code"] == 0
    assert "pydantic" not in r["mods"] and "rich" not in r["mods"] and "markdown_it" not in r["mods"]


def test_the_garbage_collector_is_back_on_once_start_up_is_done(tmp_path: Path) -> None:
    """[start-up-gc]: off while the command is imported and built, on again (start-up objects frozen) when
    it runs, on success and on a usage error alike."""
    for args in (["contacts", "list", "--json"], ["contacts", "list", "--page-size", "x"]):
        r = _imports_of(args, tmp_path / "h")
        enabled, frozen = r["gc"]
        assert enabled and frozen > 10_000, (args, r["gc"])


def test_start_up_imports_only_the_command_modules_of_the_group_that_runs(tmp_path: Path) -> None:
    r = _imports_of(["--help"], tmp_path / "h")
    assert r["code"] == 0
    # _complete: the standard library only, to see whether this run is a Tab [shell-completion]; _help
    # prints the top-level help without Typer [fast-top-level-help]
    assert [m for m in r["pcrm"] if m.startswith(("pcrm.cli.", "pcrm.services", "pcrm.store"))] == [
        "pcrm.cli._complete",
        "pcrm.cli._help",
    ]
    assert "typer" not in r["mods"]
    made_store(tmp_path / "h")  # a command that only reads makes no store [opening-the-store]
    assert _imports_of(["contacts", "list", "--json"], tmp_path / "h")["code"] == 0  # the day's catch-up
    r = _imports_of(["contacts", "list", "--json"], tmp_path / "h")  # the everyday case: a store in place
    assert r["code"] == 0
    cli_modules = {m for m in r["pcrm"] if m.startswith("pcrm.cli.")}
    # `list` is declared by pcrm/cli/contacts.py itself: the modules extending the group are not imported
    lean = {
        "pcrm.cli._complete",
        "pcrm.cli._help",
        "pcrm.cli._fast",
        "pcrm.cli._root",
        "pcrm.cli._options",
        "pcrm.cli._output",
        "pcrm.cli._reads",
        "pcrm.cli._render",
        "pcrm.cli._table",
        "pcrm.cli.contacts",
    }
    assert cli_modules == lean
    # imported where they are used, not by every read command (a store without a `timezone` setting)
    assert not {"zoneinfo", "calendar", "tempfile", "shlex"} & set(r["mods"])
    assert not {
        "pcrm.domain.scoring",
        "pcrm.domain.phones",
        "pcrm.store.phones",
        "pcrm.services.organizations",  # (a write setting a company imports it)
        "pcrm.store.identity",
        "pcrm.store.suggestions",
    } & set(r["pcrm"])
    assert "pcrm.store.interactions" in r["pcrm"]  # (the module that imports the score's types, lazily)
    # a command of an extending module: that module alone
    r = _imports_of(["contacts", "edit", "--help"], tmp_path / "h")
    assert r["code"] == 0
    assert {m for m in r["pcrm"] if m.startswith("pcrm.cli.")} == lean | {
        "pcrm.cli.contacts_edit",
        "pcrm.cli._edit_form",
    }
    # the group's help lists every command: all of them
    r = _imports_of(["contacts", "--help"], tmp_path / "h")
    assert r["code"] == 0
    assert {"pcrm.cli.contacts_ai", "pcrm.cli.contacts_views", "pcrm.cli.contacts_identity"} <= set(r["pcrm"])


_DECLARED = """
import importlib, json, sys
from pcrm.cli import ENTRIES, _declared
out = {}
for entry in ENTRIES:
    if entry.group:
        group = getattr(importlib.import_module(entry.module), entry.attr)
        seen = _declared(group)
        for name, _ in entry.extends:
            importlib.import_module(name)
            now = _declared(group)
            out[name] = sorted(now - seen)
            seen = now
print(json.dumps(out))
"""


def test_each_extending_module_declares_the_names_pcrm_cli_lists() -> None:
    """ENTRIES lists what each module extending a group declares (main() imports only the one a command
    needs): checked in a fresh interpreter, importing the modules one by one."""
    p = subprocess.run([sys.executable, "-c", _DECLARED], capture_output=True, text=True, check=False)
    assert p.returncode == 0, p.stderr
    declared = json.loads(p.stdout)
    listed = {name: sorted(names) for e in ENTRIES for name, names in e.extends}
    assert declared == listed
    assert all(declared.values())


def test_no_two_modules_of_a_group_declare_the_same_name() -> None:
    """main() stops importing a group's modules once one declares the word argv names; a second
    declaration of that word in a later module would then be skipped."""
    import importlib

    from pcrm.cli import _declared

    for entry in ENTRIES:
        if not entry.group:
            continue
        group = getattr(importlib.import_module(entry.module), entry.attr)
        # in this process every module is already imported: count the registrations themselves
        names = [_fast._command_name(c) for c in group.registered_commands]
        names += [_fast._group_name(g) for g in group.registered_groups]
        assert len(names) == len(set(names)), (entry.name, sorted(n for n in names if names.count(n) > 1))
        assert set(names) == _declared(group)


LOADED_ARGV = [
    ["contacts", "list", "--json"],
    ["contacts", "list", "--help"],
    ["contacts", "stats", "--json"],
    ["contacts", "edit", "--help"],
    ["contacts", "enrich", "--help"],
    ["contacts", "--help"],
    ["contacts", "nope"],
    ["contacts"],
    ["orgs", "list", "--json"],
    ["tags", "list", "--json"],
    ["tags", "--help"],
    ["tags", "approve", "--help"],
    ["orgs", "duplicates", "--help"],
    ["orgs", "duplicates", "scan", "--json"],
    ["contacts", "map", "--bbox=-1,50,1,52", "--json"],
    ["contacts", "duplicates", "Ada", "--json"],
]


def test_a_fresh_pcrm_does_what_the_full_app_does(tmp_path: Path) -> None:
    """In a fresh interpreter (where only what argv needs is imported) against the full app, every module
    loaded: same output, same exit code."""
    from tests.cli._fresh import run_main, typer_runs

    home = tmp_path / "h"
    env = {"COLUMNS": "100", "NO_COLOR": "1", "PCRM_NOW": "2026-06-15T12:00:00Z"}
    run_main(["contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.com"], home, env)
    full = typer_runs([(args, {**env, "PCRM_HOME": str(home)}) for args in LOADED_ARGV])
    for args, theirs in zip(LOADED_ARGV, full, strict=True):
        r = run_main(args, home, env)
        assert (r["code"], r["stdout"], r["stderr"]) == theirs, args
        assert theirs[1] or theirs[2]
