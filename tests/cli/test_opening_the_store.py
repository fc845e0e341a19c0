"""Opening the store [opening-the-store]: a PCRM_HOME where no store can be made says so with a hint (never
a traceback), and a store a newer pcrm wrote is refused unchanged by every command but the two that lead
back to an older backup, which work."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import apsw
import pytest

from pcrm import paths
from pcrm.store import migrations


def _refused(cli: Any, *args: str) -> dict[str, Any]:
    """A command that must fail with a message and a hint on stderr, and the error envelope with --json."""
    human = cli(*args, ok=None)
    assert human.exit_code == 1, (human.stdout, human.stderr)
    assert isinstance(human.exception, SystemExit), repr(human.exception)  # an error, not a traceback
    assert human.stderr.startswith("error: ") and "\nhint: " in human.stderr, human.stderr
    env = json.loads(cli(*args, "--json", ok=False).stdout)
    assert env["data"] is None
    return dict(env["error"])


@pytest.mark.parametrize("below", [False, True])
def test_a_pcrm_home_that_is_a_file_is_named_with_a_hint(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, below: bool
) -> None:
    in_the_way = tmp_path / "crm"
    in_the_way.write_text("my notes\n")
    monkeypatch.setenv("PCRM_HOME", str(in_the_way / "store" if below else in_the_way))
    for command in (("init",), ("contacts", "list")):
        error = _refused(cli, *command)
        assert error["code"] == "bad_request"
        assert f"{in_the_way} is a file, not a folder" in error["message"]
        assert "PCRM_HOME" in error["hint"]
    assert in_the_way.read_text() == "my notes\n"  # left as it was


def test_a_pcrm_home_this_user_may_not_write_is_named_with_a_hint(
    cli: Any, pcrm_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a folder without write access (or on a read-only disk) refuses: the file cannot be created."""

    def refuse(path: Any, *args: Any, **kwargs: Any) -> int:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(paths.os, "open", refuse)
    # a command that writes: one that only reads makes no store (tests/cli/test_missing_store.py)
    error = _refused(cli, "contacts", "add", "--name", "Ada Lovelace")
    assert error["code"] == "bad_request"
    assert error["message"] == f"cannot create the store at {pcrm_home / 'pcrm.db'}: Permission denied"
    assert "PCRM_HOME" in error["hint"] and "write" in error["hint"]


def test_a_pcrm_home_with_spaces_and_accents_works(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "my crm" / "Zoë's ünïcode 家"
    monkeypatch.setenv("PCRM_HOME", str(home))
    cli("init")
    cli("init")  # twice: nothing to do
    cli("contacts", "add", "--name", "Zoë Çelik")
    assert cli.json("db", "backup")["data"]["path"].startswith(str(home / "backups"))
    assert [c["full_name"] for c in cli.json("contacts", "list", "--search", "zoe")["data"]] == ["Zoë Çelik"]
    assert os.stat(home).st_mode & 0o777 == 0o700


def _written_by_a_newer_pcrm(db: Path) -> None:
    raw = apsw.Connection(str(db))
    raw.execute("INSERT INTO schema_migrations VALUES ('m999_from_a_newer_pcrm', '2027-01-01T00:00:00.000Z')")
    raw.execute("CREATE TABLE from_a_newer_pcrm(x)")
    raw.close()


def test_a_store_a_newer_pcrm_wrote_is_refused_and_the_way_back_its_hint_names_works(
    cli: Any, pcrm_home: Path
) -> None:
    cli("contacts", "add", "--name", "Ada Lovelace")
    older = Path(cli.json("db", "backup")["data"]["path"])
    cli("contacts", "add", "--name", "Grace Hopper")
    db = pcrm_home / "pcrm.db"
    _written_by_a_newer_pcrm(db)
    before = db.read_bytes()

    for command in (("contacts", "list"), ("db", "backup"), ("db", "check")):
        error = _refused(cli, *command)
        assert error["code"] == "conflict" and "newer pcrm" in error["message"]
        assert "pcrm db backups" in error["hint"] and "pcrm db restore" in error["hint"]
    assert db.read_bytes() == before  # nothing written

    listed = cli.json("db", "backups")["data"]
    assert [b["path"] for b in listed] == [str(older)]
    restored = cli.json("db", "restore", str(older), "--yes")["data"]
    assert restored["contacts"] == 1
    # the newer store was saved first, as it was
    saved = apsw.Connection(restored["previous_saved_to"], flags=apsw.SQLITE_OPEN_READONLY)
    assert ("m999_from_a_newer_pcrm",) in saved.execute("SELECT name FROM schema_migrations").fetchall()
    saved.close()
    assert [c["full_name"] for c in cli.json("contacts", "list")["data"]] == ["Ada Lovelace"]
    assert [m["applied"] for m in cli.json("db", "migrate", "--list")["data"]] == [True] * len(
        migrations.MIGRATIONS
    )
