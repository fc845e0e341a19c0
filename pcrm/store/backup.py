"""Online backups with SQLite's backup API [automatic-backups]."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TypedDict

import apsw

from pcrm import paths, processes
from pcrm.domain.wording import counted
from pcrm.store import memo, settings
from pcrm.store.rows import first, integer


def copy_database(src: apsw.Connection, dest_path: Path) -> None:
    """Copy the store to a new file `dest_path` (0600 [private-files]) with SQLite's online backup.

    In one step: that is one read transaction, a consistent snapshot that in WAL mode blocks no writer. Copied
    in batches of pages, the backup started over whenever another connection (the daemon, a sync) committed
    between two batches, so a backup of a store being written to never finished. The copy is written as
    `NAME.<pid>.part` and renamed when complete: an interrupted backup leaves no half file under the real
    name, and two processes backing up in the same second (the daemon and the CLI) never delete each
    other's."""
    tmp = dest_path.with_name(f"{dest_path.name}.{os.getpid()}.part")
    tmp.unlink(missing_ok=True)  # only ever this process's own leftover
    paths.create_private(tmp)
    try:
        dest = apsw.Connection(str(tmp))
        try:
            with dest.backup("main", src, "main") as b:
                while not b.done:
                    b.step(-1)
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
        tmp.replace(dest_path)
    finally:
        tmp.unlink(missing_ok=True)


def restore_into(dest: apsw.Connection, src_path: Path) -> None:
    src = apsw.Connection(str(src_path), flags=apsw.SQLITE_OPEN_READONLY)
    try:
        with dest.backup("main", src, "main") as b:
            while not b.done:
                b.step(1024)
    finally:
        src.close()

    memo.forget(dest)  # a restore changes neither counter memo compares


_PART = re.compile(r"\.db\.(\d+)\.part(-journal)?$")


def clear_stale_parts(folder: Path) -> list[Path]:
    """Remove the half copies in the backups folder that a backup killed midway left (`NAME.<pid>.part`
    and SQLite's journal of it; a kill -9, a crash or a power cut skips the clean-up): a process no longer
    running never finishes them, and at the size of the store each they filled the disk unseen, as
    `pcrm db backups` lists only finished ones [automatic-backups]. A copy whose process still runs is
    left alone. POSIX only: elsewhere asking about a process by its id is not harmless."""
    if os.name != "posix" or not folder.is_dir():
        return []
    gone: list[Path] = []
    ours = paths.pcrm_names("backups", folder.parent / paths.db_path().name)
    for p in folder.iterdir():
        m = _PART.search(p.name)
        if not m or not ours(p.name):
            continue  # not a half copy, or the user's own file in a shared home [private-files]
        if int(m.group(1)) != os.getpid() and not processes.alive(int(m.group(1))):
            p.unlink(missing_ok=True)
            gone.append(p)
    return gone


def auto_backup(conn: apsw.Connection, *, reason: str) -> Path:
    """A timestamped backup beside the database, before something that rewrites data. The stamp is the UTC
    time, of the clock as the store reads it (settings.now) [pinned-clock]. Half copies an earlier backup
    killed midway left go first."""
    clear_stale_parts(paths.backups_dir())
    stamp = settings.now(conn).strftime("%Y%m%d-%H%M%S")
    target = paths.backups_dir() / f"pcrm-{stamp}-{reason}.db"
    n = 1
    while target.exists():
        n += 1
        target = paths.backups_dir() / f"pcrm-{stamp}-{reason}-{n}.db"
    copy_database(conn, target)
    return target


class FileInfo(TypedDict):
    migrations: list[str]  # the pcrm migrations the file records, in order
    ok: bool  # SQLite's quick_check passes
    contacts: int
    is_pcrm: bool  # it has a contacts table


def inspect(path: Path) -> FileInfo:
    """What a file is: whether SQLite can read it and which pcrm migrations it records."""
    conn = apsw.Connection(str(path), flags=apsw.SQLITE_OPEN_READONLY)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        migrations = (
            [r[0] for r in conn.execute("SELECT name FROM schema_migrations ORDER BY rowid")]
            if "schema_migrations" in tables
            else []
        )
        ok = first(conn, "PRAGMA quick_check")[0] == "ok"
        contacts = integer(conn, "SELECT count(*) FROM contacts") if "contacts" in tables else 0
        return {"migrations": migrations, "ok": ok, "contacts": contacts, "is_pcrm": "contacts" in tables}
    finally:
        conn.close()


DAMAGED = "the database file is damaged"  # how integrity() starts the problems of a damaged file


def sound(path: Path) -> bool:
    """Whether the file at `path` is a pcrm store SQLite's quick check passes: one `pcrm db restore` takes."""
    try:
        info = inspect(path)
    except apsw.Error:
        return False
    return info["is_pcrm"] and info["ok"]


def integrity(
    conn: apsw.Connection, unchecked: list[str] | None = None, *, writable: bool = True
) -> list[str]:
    """What is wrong with the database: SQLite's integrity and foreign-key checks, and the search indexes.

    An FTS5 index checks itself through an INSERT, which needs the write lock: while another process holds
    it (a long `pcrm import`) that check is not made and named in `unchecked` (among the problems without
    one) [busy-reads]; it waited out the busy timeout and was reported as "database is locked", exit 1.
    Nor is it made on a store that may not be written (`writable` False): it failed, blaming the index.
    A damaged file (SQLite's own check fails) is that one problem [store-failures]: the later checks only
    stumble on the same pages."""
    from pcrm.store.db import write_if_free  # store.db opens the store through migrations, which import this

    problems: list[str] = []
    try:
        problems += [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
    except (apsw.CorruptError, apsw.NotADBError) as exc:  # too damaged to walk: said, not raised
        return [f"{DAMAGED}: {exc}"]
    if problems:
        return [f"{DAMAGED}: {p}" for p in problems]
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        problems.append(f"{table} row {rowid} points at a missing {parent} row")
    for fts in ("contacts_fts", "interactions_fts"):
        if not writable:
            continue  # the caller says the store is read-only, which is why

        def check(c: apsw.Connection, t: str = fts) -> None:
            c.execute(f"INSERT INTO {t}({t}) VALUES ('integrity-check')")

        try:
            free = write_if_free(conn, check)
        except apsw.Error as exc:
            problems.append(f"search index {fts}: {exc}")
            continue
        if not free:
            said = f"search index {fts}: another pcrm process is writing to the store"
            (unchecked if unchecked is not None else problems).append(said)
    stale = integer(
        conn,
        "SELECT count(*) FROM contacts c LEFT JOIN contacts_fts f ON f.rowid = c.id WHERE f.rowid IS NULL",
    )
    if stale:
        problems.append(f"{counted(stale, 'contact')} missing from the search index")
    return problems
