"""Big files: a 200 MB CSV dry run under a 4 GB memory limit failed (the whole file became rows, records,
staged contacts and a 2 KB key per row, ~40 times the file) and then did not exit. CSV-family files are
read row by row and written batch by batch in the one transaction [streamed-imports]; what a file does
does not depend on where the batches fall."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pcrm.formats import base

ROWS = [
    "full_name,email,phone,company,tags,notes",
    "Ada Lovelace,ada@example.com,+442071838750,Analytical,friends,first",
    "Grace Hopper,grace@example.com,,Navy,,",
    "Alan Turing,,,Bletchley,,name only",
    "Katherine Johnson,kj@example.com,,NASA,,",
    "Ada Lovelace,ada@example.com,,,work,again",  # the same person, another batch: folded in
    "Alan Turing,,,Bletchley,,name only",  # a name-only row repeated: joins, not a new contact
    "Ada Byron,ada@example.com,,,,",  # Ada's email under a conflicting name: queued for review
    "Grace Hopper,grace@example.com,,Navy,x,",
    "Nobody,not-an-email,,,,",  # a row error in a late batch (the contact comes without it)
    "Dorothy Vaughan,dv@example.com,,NASA,,",
]


def _file(tmp_path: Path) -> Path:
    f = tmp_path / "people.csv"
    f.write_text("\n".join(ROWS) + "\n")
    return f


def _strip(report: dict[str, Any]) -> dict[str, Any]:
    # `created`: the CSV route's reference field, the contacts kept ([] on a dry run) [import-report]
    return {k: v for k, v in report.items() if k not in ("batch_id", "created")}


@pytest.mark.parametrize("size", [1, 3])
def test_batches_change_nothing_a_file_does(
    imp: Any, tmp_path: Path, contacts: Any, cli: Any, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    f = _file(tmp_path)
    whole = imp(f, "--dry-run")["data"]
    monkeypatch.setattr(base, "BATCH", size)
    assert _strip(imp(f, "--dry-run")["data"]) == _strip(whole)
    rep = imp(f)["data"]
    assert _strip(rep) == _strip(whole)
    people = contacts()
    names = sorted(c["full_name"] for c in people)
    assert names == sorted(
        [
            "Ada Lovelace",
            "Ada Byron",
            "Grace Hopper",
            "Alan Turing",
            "Katherine Johnson",
            "Nobody",
            "Dorothy Vaughan",
        ]
    ), names
    ada = next(c for c in people if c["full_name"] == "Ada Lovelace")
    assert sorted(ada["tags"]) == ["friends", "work"]
    assert rep["pending_review"] == 1 and rep["contacts_created"] == 7
    assert any("not-an-email" in e for e in rep["errors"]), rep["errors"]
    # the rerun matches every row again; undo takes the one batch back
    again = imp(f)["data"]
    assert again["contacts_created"] == 0 and again["contacts_updated"] == 0
    cli.json("import", "undo", rep["batch_id"], "--yes")
    assert contacts() == []


def test_strict_rolls_back_a_late_batch_error(
    imp: Any, tmp_path: Path, dump: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "BATCH", 2)
    before = dump()
    err = imp(_file(tmp_path), "--strict", ok=False)["error"]
    assert "not-an-email" in str(err), err
    assert dump() == before


def _schema(db: Path) -> list[tuple[Any, ...]]:
    import apsw

    conn = apsw.Connection(str(db), flags=apsw.SQLITE_OPEN_READONLY)
    try:
        return sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema"), key=repr)
    finally:
        conn.close()


def test_indexes_deferred_over_a_streamed_import_come_back(
    imp: Any, tmp_path: Path, db: Path, dump: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A streamed import that outgrows the store drops the contacts' view indexes until its commit
    [streamed-imports]: every one is back after it, and after a dry run or a rolled-back one."""
    from pcrm.store import bulk

    monkeypatch.setattr(base, "BATCH", 3)
    monkeypatch.setattr(bulk, "_SET_BASED_FROM", 1)
    dropped: list[str] = []
    real = bulk.defer_view_indexes

    def spy(conn: Any, **kw: Any) -> None:
        before = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'index'")}
        real(conn, **kw)
        after = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'index'")}
        dropped.extend(before - after)

    monkeypatch.setattr(bulk, "defer_view_indexes", spy)
    schema = _schema(db)
    before = dump()
    f = _file(tmp_path)
    assert imp(f, "--strict", ok=False)["error"]
    assert dump() == before
    assert sorted(set(dropped)) == sorted(bulk.VIEW_INDEXES)  # the rollback brought them back
    imp(f, "--dry-run")
    assert _schema(db) == schema
    dropped.clear()
    rep = imp(f)["data"]
    assert rep["contacts_created"] == 7
    assert sorted(set(dropped)) == sorted(bulk.VIEW_INDEXES)
    assert _schema(db) == schema
    import apsw

    conn = apsw.Connection(str(db))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        # the rebuilt indexes hold every contact
        assert conn.execute("SELECT count(*) FROM contacts INDEXED BY contacts_created").fetchall() == [(7,)]
    finally:
        conn.close()


def _csv(path: Path, rows: int) -> None:
    with path.open("w") as fh:
        fh.write("full_name,email,company,notes\n")
        for i in range(rows):
            fh.write(f"Person {i},p{i}@example.org,Company {i % 97},{'note ' * 40}\n")


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS and /proc")
def test_a_big_dry_run_stays_within_a_small_multiple_of_the_file(tmp_path: Path) -> None:
    """The import's address space may grow by twice the file over a tiny import's: the old reading took
    ~40 times the file (a 3 MB file: 166 MB VmPeak against 78 MB now)."""
    small, big = tmp_path / "small.csv", tmp_path / "big.csv"
    _csv(small, 5)
    _csv(big, 9000)  # ~2 MB, ~9,000 contacts
    code = (
        "import atexit, re, sys, runpy\n"
        "atexit.register(lambda: print(re.search(r'VmPeak:\\s+(\\d+)', open('/proc/self/status').read())"
        "[1], file=sys.stderr))\n"
        "sys.argv = ['pcrm', 'import', sys.argv[1], '--dry-run', '--json']\n"
        "runpy.run_module('pcrm', run_name='__main__')\n"
    )

    def run(f: Path, limit: int | None = None) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PCRM_HOME": str(tmp_path / "home"), "PYTHONPATH": os.getcwd()}

        def cap() -> None:
            if limit:
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        return subprocess.run(
            [sys.executable, "-c", code, str(f)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            preexec_fn=cap,
        )

    base_run = run(small)
    assert base_run.returncode == 0, base_run.stderr
    floor = int(base_run.stderr.strip().splitlines()[-1]) << 10
    r = run(big, limit=floor + 2 * big.stat().st_size + (16 << 20))  # + a little for the page cache
    assert r.returncode == 0, r.stderr[-2000:]
    assert '"contacts_created": 9000' in r.stdout.replace(" ", "").replace(":", ": "), r.stdout[:500]
    # under a limit it cannot meet: a clear error, exit 1, and the process ends (it used to hang)
    starved = run(big, limit=floor + (2 << 20))
    assert starved.returncode == 1, starved.stderr[-2000:]
    assert "Traceback" not in starved.stderr, starved.stderr[-2000:]
    assert "out of memory" in starved.stderr, starved.stderr[-2000:]


def _contacts_csv(path: Path, rows: int) -> None:
    with path.open("w") as fh:
        fh.write("full_name,email,phone,company,notes\n")
        for i in range(rows):
            fh.write(f"Person {i},p{i}@example.org,+4930{i:09d},Company {i % 97},{'note ' * 40}\n")


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS and /proc")
@pytest.mark.parametrize("dry_run", [True, False])
def test_memory_grows_by_at_most_one_and_a_half_times_the_file(tmp_path: Path, dry_run: bool) -> None:
    """The file is read from disk as it is needed, never held (bytes or text), and what the engine keeps
    per row is a few bytes [streamed-imports]: over an import of 3,000 rows (every code path a big file
    takes, two batches), a 7.5 MB file of 30,000 rows may add 1.5 times its size and a slack (it adds
    ~16 MB; the reading that held the file's bytes and text, a set of every key and the identity pass's
    contacts added ~40 MB on a dry run, ~70 MB on an import)."""
    small, big = tmp_path / "small.csv", tmp_path / "big.csv"
    _contacts_csv(small, 3000)
    _contacts_csv(big, 30000)
    code = (
        "import atexit, re, sys, runpy\n"
        "atexit.register(lambda: print(re.search(r'VmPeak:\\s+(\\d+)', open('/proc/self/status').read())"
        "[1], file=sys.stderr))\n"
        "sys.argv = ['pcrm', 'import', *sys.argv[1:], '--json']\n"
        "runpy.run_module('pcrm', run_name='__main__')\n"
    )

    def run(f: Path, home: str, limit: int | None = None) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PCRM_HOME": str(tmp_path / home), "PYTHONPATH": os.getcwd()}

        def cap() -> None:
            if limit:
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        args = [str(f), "--dry-run"] if dry_run else [str(f)]
        return subprocess.run(
            [sys.executable, "-c", code, *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            preexec_fn=cap,
        )

    base_run = run(small, "a")
    assert base_run.returncode == 0, base_run.stderr
    floor = int(base_run.stderr.strip().splitlines()[-1]) << 10
    # + 16 MB for SQLite's cache and address space a thread reserves: measured 2026-12-03, the 30,000 rows
    # add 15-18 MB of VmPeak (1.5 x the file is 11 MB), which a fresh clone's run tipped over an 8 MB slack;
    # holding the file (~40-70 MB) still fails
    r = run(big, "b", limit=floor + big.stat().st_size * 3 // 2 + (16 << 20))
    assert r.returncode == 0, r.stderr[-2000:]
    assert '"contacts_created":30000' in r.stdout.replace(" ", ""), r.stdout[:500]
