"""A store pcrm cannot use as it is [store-failures]: its file damaged (a disk fault, a copy cut short) or
read-only (`chmod 444`, `chattr +i`, a read-only mount). Every command printed a traceback
(`CorruptError: database disk image is malformed`, `ReadOnlyError: attempt to write a readonly database`),
with no envelope under --json; `pcrm db check` crashed on the damage and blamed the search index for a
read-only store; `pcrm db backup` copied a damaged store, exit 0, into a file `pcrm db restore` then refused;
an export to a folder pcrm may not write ended in a PermissionError traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.support.store import query

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file permissions")


def _store(cli: Any) -> None:
    cli("init")
    for i in range(40):
        cli("contacts", "add", "--name", f"Person {i}", "--email", f"p{i}@example.com", "--notes", "x" * 400)


def _damage(db: Path, start: int = 4096) -> None:
    """Garbage over the pages from `start` on (by default every page but the header's), as a disk fault
    would leave them."""
    size = db.stat().st_size
    with db.open("r+b") as f:
        f.seek(start)
        f.write(b"\xde\xad\xbe\xef" * ((size - start) // 4))


def _said(r: Any) -> tuple[str, str]:
    assert r.exit_code == 1, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and "Error:" not in r.stderr.split("\n")[-2]
    lines = r.stderr.strip().splitlines()
    error = next(line for line in lines if line.startswith("error: "))
    hint = next(line for line in lines if line.startswith("hint: "))
    return error, hint


def test_a_damaged_store_is_said_by_every_command_with_the_backup_to_restore(cli, pcrm_home):
    _store(cli)
    backup = json.loads(cli("db", "backup", "--json").stdout)["data"]["path"]
    _damage_table(pcrm_home / "pcrm.db", "contacts")
    for args in (("contacts", "list"), ("contacts", "show", "Person 3"), ("note", "add", "Person 3", "hi")):
        error, hint = _said(cli(*args, ok=None))
        assert (
            error
            == f"error: the store at {pcrm_home / 'pcrm.db'} is damaged: database disk image is malformed"
        )
        assert "pcrm db check" in hint and f"pcrm db restore {Path(backup).name}" in hint
    env = cli.json("contacts", "list", ok=False)
    assert env["data"] is None and "is damaged" in env["error"]["message"]
    assert f"pcrm db restore {Path(backup).name}" in env["error"]["hint"]
    # db check says the damage itself, and what to do
    r = cli("db", "check", ok=None)
    assert r.exit_code == 1 and "problem: the database file is damaged" in r.stdout, r.stdout
    assert f"pcrm db restore {Path(backup).name}" in r.stderr
    checked = cli.json("db", "check", ok=False)["data"]
    assert checked["ok"] is False and checked["damaged"] is True
    # no backup of it: restore would refuse the copy; none is written
    before = sorted(os.listdir(pcrm_home / "backups"))
    error, hint = _said(cli("db", "backup", ok=None))
    assert "is damaged, so a backup of it would not restore" in error
    assert sorted(os.listdir(pcrm_home / "backups")) == before
    # the hint's restore brings the store back
    cli("db", "restore", Path(backup).name, "--yes")
    assert len(cli.json("contacts", "list", "--all")["data"]) == 40
    assert cli.json("db", "check")["data"]["ok"] is True


def test_a_store_damaged_from_its_start_is_said_at_its_opening(cli, pcrm_home):
    _store(cli)
    _damage(pcrm_home / "pcrm.db")
    for args in (("contacts", "list"), ("db", "check"), ("db", "backup")):
        error, hint = _said(cli(*args, ok=None))
        assert f"the store at {pcrm_home / 'pcrm.db'} is damaged" in error
        assert "no sound backup" in hint and "pcrm db restore FILE" in hint


def _damage_table(db: Path, table: str) -> None:
    """Garbage over the root page of `table`: the store opens, and every read of the table fails."""
    (root,) = query(db, "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,))[0]
    (size,) = query(db, "PRAGMA page_size")[0]
    with db.open("r+b") as f:
        f.seek((root - 1) * size)
        f.write(b"\xde\xad\xbe\xef" * (size // 4))


@contextmanager
def _read_only(p: Path) -> Iterator[None]:
    """`p` (a file or a folder) made read-only for this user: by its mode, or for root (whom modes do not
    stop) immutable with `chattr +i`, taken back afterwards."""
    if os.geteuid() != 0:
        mode = p.stat().st_mode
        os.chmod(p, 0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            os.chmod(p, mode)
        return
    chattr = shutil.which("chattr")
    if (
        chattr is None
        or subprocess.run([chattr, "+i", str(p)], capture_output=True, check=False).returncode != 0
    ):
        pytest.skip("root, and no chattr +i here to make a file read-only")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(p)], check=True)


def test_a_read_only_store_reads_and_refuses_writes_cleanly(cli, pcrm_home):
    _store(cli)
    db = pcrm_home / "pcrm.db"
    with _read_only(db):
        assert len(cli.json("contacts", "list", "--all")["data"]) == 40  # reading works
        for args in (
            ("note", "add", "Person 3", "hi"),
            ("contacts", "edit", "Person 3", "--title", "CTO"),
            ("contacts", "add", "--name", "Someone New"),
            ("suggestions", "generate"),
        ):
            error, hint = _said(cli(*args, ok=None))
            assert error == f"error: the store at {db} is read-only; nothing was changed", args
            assert f"chmod u+w {db}" in hint
            env = cli.json(*args, ok=False)
            assert env["data"] is None and "is read-only" in env["error"]["message"]
        r = cli("db", "check", ok=None)
        assert (
            r.exit_code == 1
            and "the store is read-only" in r.stdout
            and "search index" not in r.stdout.split("(so the search indexes")[0]
        )
        assert "problem: search index" not in r.stdout
    assert cli.json("db", "check")["data"]["ok"] is True


def test_an_export_to_a_folder_pcrm_may_not_write_is_a_clean_error(cli, pcrm_home, tmp_path):
    _store(cli)
    shut = tmp_path / "shut"
    shut.mkdir()
    with _read_only(shut):
        for fmt, name in (("csv", "c.csv"), ("json", "c.json"), ("vcard", "c.vcf")):
            error, hint = _said(cli("export", fmt, "--output", str(shut / name), ok=None))
            assert error.startswith(f"error: cannot write the export to {shut / name}"), error
            assert "--output" in hint
        env = cli.json("export", "csv", "--output", str(shut / "c.csv"), ok=False)
        assert env["error"]["code"] == "bad_request"
        assert os.listdir(shut) == []


@pytest.mark.anyio
async def test_the_api_says_a_damaged_or_read_only_store_in_its_envelope(cli, pcrm_home, script):
    # the daemon answered these with a bare "internal error": now with what is wrong and what to do
    from asgi_lifespan import LifespanManager

    from tests.support.api import client_for, make_app

    _store(cli)
    db = pcrm_home / "pcrm.db"
    with _read_only(db):
        app = make_app()
        async with LifespanManager(app), client_for(app) as client:
            r = await client.post("/api/v1/contacts", json={"full_name": "Someone New"}, headers=script)
        assert r.status_code == 500, r.text
        assert "is read-only" in r.json()["error"]["message"] and "chmod u+w" in r.json()["error"]["hint"]
    _damage_table(db, "contacts")
    app = make_app()
    async with LifespanManager(app), client_for(app) as client:
        r = await client.get("/api/v1/contacts", headers=script)
    assert r.status_code == 500, r.text
    assert "is damaged" in r.json()["error"]["message"] and "pcrm db restore" in r.json()["error"]["hint"]
