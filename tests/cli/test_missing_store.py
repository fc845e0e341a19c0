"""A command that only reads, on a PCRM_HOME with no store (a typo), fails with `no pcrm store at PATH` and
a hint, exit 1, and creates nothing: it used to make a new empty store (and the folders above it) and
answer "no contacts yet", exit 0. Commands that write still make the store, as the README's first command
needs [opening-the-store]."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pcrm.cli._reads import OTHERS, READS
from tests.support.cli import Cli


def _commands() -> dict[str, Any]:
    import typer.main

    from pcrm.cli import app

    found: dict[str, Any] = {}

    def walk(cmd: Any, path: list[str]) -> None:
        subs = getattr(cmd, "commands", None)
        if subs is None:
            found[" ".join(path)] = cmd
            return
        for name, sub in subs.items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


COMMANDS = _commands()


def test_every_command_is_either_a_read_or_not() -> None:
    assert not READS & OTHERS
    assert set(COMMANDS) == READS | OTHERS, (
        set(COMMANDS) - (READS | OTHERS),
        (READS | OTHERS) - set(COMMANDS),
    )


def _args(path: str) -> list[str]:
    """The command with something in each required place (what it names need not exist)."""
    args = path.split()
    for p in COMMANDS[path].params:
        if p.required and p.param_type_name == "argument":
            args.append("ada")
        elif p.required:
            args += [p.opts[0], "-1,-1,1,1" if p.name == "bbox" else "x"]
    return args


@pytest.fixture
def typo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "typo" / "crm"
    monkeypatch.setenv("PCRM_HOME", str(home))
    return home


@pytest.mark.parametrize("path", sorted(READS))
def test_a_read_on_a_missing_store_fails_and_creates_nothing(cli: Cli, typo: Path, path: str) -> None:
    got = cli(*_args(path), ok=None)
    assert got.exit_code == 1, (got.stdout, got.stderr, got.exception)
    db = typo / "pcrm.db"
    assert got.stderr.startswith(f"error: no pcrm store at {db}\nhint: run `pcrm init` (or `pcrm demo`)")
    assert "PCRM_HOME" in got.stderr
    assert got.stdout == ""
    assert not typo.parent.exists()


def test_under_json_the_envelope_says_not_found(cli: Cli, typo: Path) -> None:
    got = cli("contacts", "list", "--json", ok=False)
    body = json.loads(got.stdout)
    assert body["data"] is None and body["error"]["code"] == "not_found"
    assert body["error"]["details"] == {"path": str(typo / "pcrm.db")}
    assert not typo.parent.exists()


def test_a_write_still_makes_the_store(cli: Cli, typo: Path) -> None:
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.com")
    assert (typo / "pcrm.db").is_file()
    assert [c["full_name"] for c in cli.json("contacts", "list")["data"]] == ["Ada Lovelace"]


def test_a_read_after_init_answers_the_empty_store(cli: Cli, typo: Path) -> None:
    cli("init", "--phone-region", "GB", "--me", "Me, me@example.com")
    got = cli("contacts", "list")
    assert got.exit_code == 0 and "no contacts" in (got.stdout + got.stderr)


def _groups() -> list[str]:
    import typer.main

    from pcrm.cli import app

    found: list[str] = []

    def walk(cmd: Any, path: list[str]) -> None:
        subs = getattr(cmd, "commands", None)
        if subs is None:
            return
        if path:
            found.append(" ".join(path))
        for name, sub in subs.items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return sorted(found)


# run alone, these connect an account: they write, and so may make the store
CONNECTS = {"auth google", "auth telegram", "auth x"}


@pytest.mark.parametrize("path", sorted(set(_groups()) - CONNECTS))
def test_a_group_run_alone_on_a_missing_store_creates_nothing(cli: Cli, typo: Path, path: str) -> None:
    """`pcrm suggestions` and `pcrm notifications` alone list, as their `list` does, and `pcrm orgs
    duplicates` lists the pairs to review: on a mistyped PCRM_HOME they answered "no suggestions" / "no
    notifications yet" / "no organization pairs", exit 0, and left a new empty store behind."""
    got = cli(*path.split(), ok=None)
    assert not typo.parent.exists(), (path, got.stdout, got.stderr)


@pytest.mark.parametrize("path", ["suggestions", "notifications", "orgs duplicates"])
def test_a_listing_group_run_alone_on_a_missing_store_says_so(cli: Cli, typo: Path, path: str) -> None:
    got = cli(*path.split(), ok=False)
    assert got.stderr.startswith(f"error: no pcrm store at {typo / 'pcrm.db'}\nhint: run `pcrm init`")
    assert got.exit_code == 1 and got.stdout == ""


DRY_RUNS = sorted(
    path for path, cmd in COMMANDS.items() if any(p.name.startswith("dry_run") for p in cmd.params)
)


@pytest.mark.parametrize("path", DRY_RUNS)
def test_a_dry_run_on_a_missing_store_creates_nothing(cli: Cli, typo: Path, path: str) -> None:
    """A dry run changes nothing, so it makes no store either: `pcrm identity scan --dry-run`, `pcrm settings
    set KEY VALUE --dry-run`, `pcrm second-tier rm --dry-run` and the rest, on a mistyped PCRM_HOME, said
    nothing changed and left a new empty store behind [opening-the-store]."""
    got = cli(*_args(path), "--dry-run", ok=None)
    assert not typo.parent.exists(), (path, got.stdout, got.stderr)


def test_a_dry_run_on_a_missing_store_says_there_is_none(cli: Cli, typo: Path) -> None:
    got = cli("identity", "scan", "--dry-run", ok=False)
    assert got.exit_code == 1
    assert got.stderr.startswith(f"error: no pcrm store at {typo / 'pcrm.db'}\nhint: run `pcrm init`")
    cli("init", "--phone-region", "GB", "--me", "Me, me@example.com")
    assert "would merge 0" in cli("identity", "scan", "--dry-run").stdout


@pytest.mark.parametrize(
    ("sample", "more"),
    [
        ("google_csv/rolomind__google_new_layout_subset.csv", []),
        ("whatsapp/kawsay__ios_chat.txt", ["--me", "John"]),
        ("vcard", []),  # a folder of cards
        ("telegram/langchain__result_personal_chat.json", ["--strict"]),
    ],
)
def test_an_imports_dry_run_on_a_missing_store_answers_and_creates_nothing(
    cli: Cli,
    typo: Path,
    corpus: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sample: str,
    more: list[str],
) -> None:
    """`pcrm import FILE --dry-run` with PCRM_HOME where there is no store said what the file would bring
    and left a new store (pcrm.db and its folders) behind. It still answers as a first import would, from
    an empty store in a temporary folder that goes with the run: nothing at PCRM_HOME, nothing left in the
    temporary folder either; an empty PCRM_HOME folder stays empty."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr("tempfile.tempdir", None)  # read TMPDIR again
    got = cli("import", str(corpus / sample), *more, "--dry-run", "--json")
    report = json.loads(got.stdout)["data"]
    assert report["contacts_created"] > 0 and report["batch_id"] is None
    assert not typo.parent.exists()
    assert list(scratch.iterdir()) == []
    typo.mkdir(parents=True)
    assert cli("import", str(corpus / sample), *more, "--dry-run").exit_code == 0
    assert list(typo.iterdir()) == []
    cli("import", str(corpus / sample), *more)  # the import itself makes the store
    assert (typo / "pcrm.db").is_file()
