"""`pcrm db backup` while another connection keeps writing: it finishes, and the copy is consistent; and
it never writes over the store's own files [automatic-backups] [confirm-destructive]."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import apsw
import pytest


def _fill(db: str, megabytes: int) -> None:
    """Make the store bigger than one batch of pages, so a backup copied in batches needs several."""
    conn = apsw.Connection(db)
    with conn:
        conn.execute("CREATE TABLE filler(n INTEGER PRIMARY KEY, b BLOB)")
        conn.execute(
            "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ?) "
            "INSERT INTO filler SELECT n, randomblob(100000) FROM k",
            (megabytes * 10,),
        )
        conn.execute("CREATE TABLE ticks(n INTEGER)")
    conn.close()


def _write_until(db: str, stop: threading.Event, done: list[int]) -> None:
    """Another process's writes (the daemon, a sync): a small commit every millisecond or so."""
    conn = apsw.Connection(db)
    conn.execute("PRAGMA busy_timeout=5000")
    n = 0
    while not stop.is_set():
        with conn:
            conn.execute("INSERT INTO ticks VALUES (?)", (n,))
        n += 1
        time.sleep(0.001)
    done.append(n)
    conn.close()


def test_a_backup_finishes_while_another_connection_writes(cli, pcrm_home, tmp_path):
    cli("init")
    db = str(pcrm_home / "pcrm.db")
    _fill(db, 24)
    stop, writes = threading.Event(), []
    writer = threading.Thread(target=_write_until, args=(db, stop, writes))
    writer.start()
    result: list[object] = []
    target = tmp_path / "busy.db"
    try:
        time.sleep(0.05)
        backup = threading.Thread(target=lambda: result.append(cli.json("db", "backup", str(target))))
        backup.start()
        backup.join(timeout=15)  # a batched backup restarted on every commit: it never got here
        finished_while_writing = not backup.is_alive()
    finally:
        stop.set()
        writer.join()
        backup.join()
    assert finished_while_writing and writes and writes[0] > 0
    assert result and result[0]["data"]["path"] == str(target)  # type: ignore[index]
    copy = apsw.Connection(str(target))
    assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert copy.execute("SELECT count(*) FROM filler").fetchall() == [(240,)]
    assert not list(tmp_path.glob("*.part"))
    copy.close()


def test_a_backup_leaves_another_process_copy_in_progress_alone(cli, tmp_path):
    cli("init")  # a command that only reads makes no store [opening-the-store]
    target = tmp_path / "same-second.db"
    # the daemon's copies to the same name, half written (another pid's, and one of the older naming)
    theirs = [tmp_path / "same-second.db.4194305.part", tmp_path / "same-second.db.part"]
    for p in theirs:
        p.write_bytes(b"half a backup")
    cli.json("db", "backup", str(target))
    # before: the one `.part` name was deleted first, so the other process's rename then failed
    assert [p.read_bytes() for p in theirs] == [b"half a backup"] * 2
    assert target.is_file() and sorted(tmp_path.glob("*.part")) == sorted(theirs)


@pytest.mark.parametrize("name", ["pcrm.db-journal", "secrets.bin"])
def test_a_backup_never_lands_on_the_store_itself(cli, pcrm_home, name):
    cli("init")
    res = cli.json("db", "backup", str(pcrm_home / name), ok=False)
    assert res["error"]["code"] == "bad_request" and res["error"]["hint"]
    assert not (pcrm_home / name).exists()


def test_half_copies_a_killed_backup_left_are_cleared_by_the_next_backup(cli, pcrm_home):
    """A backup killed midway (kill -9 while a migration's backup copied a big store, a crash, a power cut)
    leaves its `NAME.<pid>.part` and SQLite's journal of it; nothing ever finished or listed them. The next
    backup into the backups folder removes those of processes no longer running, and leaves the copy of
    one still running alone [automatic-backups]."""
    cli("init")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process id no longer running
    backups = pcrm_home / "backups"
    backups.mkdir(exist_ok=True)
    stale = [
        backups / f"pcrm-20261101-120000-before-m008_phone_extensions.db.{gone.pid}.part",
        backups / f"pcrm-20261101-120000-before-m008_phone_extensions.db.{gone.pid}.part-journal",
    ]
    running = backups / f"pcrm-20261101-120000-manual.db.{os.getppid()}.part"
    mine = backups / "notes.txt"
    for p in (*stale, running, mine):
        p.write_bytes(b"half a backup")
    made = Path(cli.json("db", "backup")["data"]["path"])
    assert not any(p.exists() for p in stale)
    assert running.read_bytes() == mine.read_bytes() == b"half a backup"
    assert sorted(backups.iterdir()) == sorted([made, running, mine])
    assert [b["path"] for b in cli.json("db", "backups")["data"]] == [str(made)]


def test_in_a_shared_home_backups_lists_and_clears_only_pcrms_own(cli, pcrm_home):
    """PCRM_HOME=$HOME: `pcrm db backups` listed the user's own ~/backups/phone.db as a pcrm backup (and `db
    restore` was a step away), and the next backup deleted any `*.db.<pid>.part` of theirs whose process was
    gone. In a home holding the user's files too, only the names pcrm writes there are pcrm's
    [private-files]."""
    cli("init")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (pcrm_home / "notes.txt").write_text("the user's own")  # PCRM_HOME is their home folder
    backups = pcrm_home / "backups"
    backups.mkdir(exist_ok=True)
    stale = backups / f"pcrm-20261101-120000-manual.db.{gone.pid}.part"
    theirs = [backups / "phone.db", backups / f"sync.db.{gone.pid}.part"]
    for p in (stale, *theirs):
        p.write_bytes(b"bytes")
    made = Path(cli.json("db", "backup")["data"]["path"])
    assert not stale.exists()
    assert [p.read_bytes() for p in theirs] == [b"bytes", b"bytes"]
    assert [b["path"] for b in cli.json("db", "backups")["data"]] == [str(made)]
