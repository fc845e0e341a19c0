"""Every read-only command (pcrm/cli/_reads.py) while another process holds the store's write lock (a long
`pcrm import`), on a new day: it answers from what is committed, and what it would write first (the day's
score catch-up, the tidying of the suggestion queue) waits for a later command [busy-reads]. `pcrm contacts
list`, `show`, `search`, `stats`, `overdue`, `digest`, `suggestions list` and others waited out the busy
timeout and failed "the store is busy"; `pcrm db check` reported its search-index checks as problems
("database is locked") and exited 1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pcrm.cli._reads import READS
from tests.cli.test_missing_store import COMMANDS
from tests.support.cli import Cli
from tests.support.store import held_by_another_writer


@pytest.fixture
def locked(demo: dict[str, Any], pcrm_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from pcrm.store import db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)  # a refusal comes at once
    with held_by_another_writer(pcrm_home / "pcrm.db"):
        yield


def _args(path: str, demo: dict[str, Any]) -> list[str]:
    """The command, naming a contact (an organization for `orgs`) of the demo store where it needs one."""
    args = path.split()
    for p in COMMANDS[path].params:
        if p.required and p.param_type_name == "argument":
            args.append(demo["org_name"] if path.startswith("orgs") else demo["contact_name"])
        elif p.required:
            args += [p.opts[0], "-1,-1,1,1" if p.name == "bbox" else "x"]
    return args


@pytest.mark.parametrize("path", sorted(READS))
def test_a_read_on_a_new_day_answers_while_another_process_writes(
    cli: Cli, demo: dict[str, Any], locked: None, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    monkeypatch.setenv("PCRM_NOW", "2025-06-03T09:00:00.000Z")  # the demo's clock two days on
    got = cli(*_args(path, demo), ok=None)
    assert "store is busy" not in got.stderr, got.stderr
    assert "locked" not in got.stdout + got.stderr, (got.stdout, got.stderr)
    if path != "account show":  # the demo store has no account: its own error
        assert got.exit_code == 0, (got.stdout, got.stderr, got.exception)


def test_db_check_names_what_the_lock_kept_it_from_checking(
    cli: Cli, demo: dict[str, Any], locked: None
) -> None:
    got = cli("db", "check")
    assert (
        "not checked: search index contacts_fts: another pcrm process is writing to the store" in got.stdout
    )
    assert "problem" not in got.stdout
    data = json.loads(cli("db", "check", "--json").stdout)["data"]
    assert data["ok"] is True and data["problems"] == []
    assert [u.split(":")[0] for u in data["unchecked"]] == [
        "search index contacts_fts",
        "search index interactions_fts",
    ]


def test_db_check_checks_the_search_indexes_when_the_store_is_free(cli: Cli, demo: dict[str, Any]) -> None:
    data = json.loads(cli("db", "check", "--json").stdout)["data"]
    assert data["ok"] is True and data["unchecked"] == []
