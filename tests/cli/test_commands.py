"""What every command shares: an example in its help, paths and names printed literally (never as markup),
and `pcrm version`."""

from __future__ import annotations

from typing import Any


def test_version(cli):
    from pcrm import __version__

    assert cli("version").stdout.strip() == __version__


def test_every_command_has_an_example_in_its_help(cli):
    import typer.main

    from pcrm.cli import app

    group = typer.main.get_command(app)
    ours = {
        ("init",),
        ("paths",),
        ("demo",),
        ("log",),
        ("version",),
        ("contacts", "list"),
        ("contacts", "ids"),
        ("contacts", "show"),
        ("contacts", "add"),
        ("contacts", "edit"),
        ("contacts", "rm"),
        ("contacts", "tag"),
        ("contacts", "untag"),
        ("contacts", "overdue"),
        ("tags", "list"),
        ("interactions", "list"),
        ("note", "add"),
        ("note", "list"),
        ("note", "edit"),
        ("note", "rm"),
        ("db", "backup"),
        ("db", "restore"),
        ("db", "check"),
        ("db", "migrate"),
    }
    for path in ours:
        cmd = group
        for part in path:
            cmd = cmd.commands[part]  # type: ignore[attr-defined]
        if path == ("version",):
            continue
        assert "Example: pcrm" in (cmd.help or "") or "Example: PCRM_HOME" in (cmd.help or ""), path


def test_every_new_command_has_an_example(cli: Any) -> None:
    for args in (
        ["serve"],
        ["daemon", "status"],
        ["daemon", "stop"],
        ["token", "create"],
        ["token", "list"],
        ["token", "revoke"],
        ["mcp-key", "status"],
        ["mcp-key", "create"],
        ["mcp-key", "revoke"],
    ):
        assert "Example: pcrm " in cli(*args, "--help").stdout, args


def test_paths_with_brackets_are_printed_literally(cli, monkeypatch, tmp_path):
    home = tmp_path / "[bold]crm[/]"
    monkeypatch.setenv("PCRM_HOME", str(home))
    assert f"database  {home / 'pcrm.db'}" in cli("paths").stdout
    assert str(home / "pcrm.db") in cli("init").stdout
    assert f"backup written to {home / 'backups'}" in cli("db", "backup").stdout
    cli("contacts", "add", "--name", "[red]Eve[/red]")
    assert "[red]Eve[/red]" in cli("contacts", "list").stdout


def test_a_long_path_stays_on_one_line_in_a_pipe(cli: Any, monkeypatch: Any, tmp_path: Any) -> None:
    """[pipe-friendly-output]: rich wrapped at 80 columns in a pipe, cutting paths in two mid-word."""
    home = tmp_path / ("a-folder-name-long-enough-to-pass-the-width-of-a-terminal-" * 2) / "crm"
    monkeypatch.setenv("PCRM_HOME", str(home))
    monkeypatch.setenv("COLUMNS", "80")
    lines = [
        *cli("init").stdout.splitlines(),
        *cli("paths").stdout.splitlines(),
        *cli("db", "backup").stdout.splitlines(),
        *cli("secrets", "status").stdout.splitlines(),
    ]
    assert [line.split()[0] for line in lines if str(home) in line][:4] == [
        "store",
        "home",
        "database",
        "avatars",
    ]
    assert any(line.startswith("backup written to " + str(home / "backups")) for line in lines), lines
    assert any(line.startswith(f"secrets are in {home / 'secrets.bin'} (") for line in lines), lines
    assert max(len(line) for line in lines) > 120


def test_ctrl_c_in_a_command_says_interrupted_in_one_line(
    monkeypatch: Any, capsys: Any, pcrm_home: Any
) -> None:
    """Typer turned Ctrl-C into a silent exit 130; pcrm says so, one line on stderr, no traceback."""
    import sys

    import pytest

    from pcrm import cli
    from pcrm.services import views

    def ctrl_c(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    from tests.cli._fresh import made_store

    made_store(pcrm_home)
    monkeypatch.setattr(views, "contact_stats", ctrl_c)
    monkeypatch.setattr(sys, "argv", ["pcrm", "contacts", "stats"])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 130
    assert capsys.readouterr() == ("", "interrupted\n")
