"""A store pcrm cannot use as it is: its file damaged, or read-only [store-failures].

SQLite says so only as it reads or writes the page concerned, from any command; `unusable` turns what it
raised into the error every command says (on stderr, and as the envelope under --json), naming the store
and what to do, instead of a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import apsw

from pcrm import paths
from pcrm.errors import PcrmError


def unusable(exc: BaseException, path: Path | None = None) -> PcrmError | None:
    """The error to say for `exc`, raised by the store at `path` (PCRM_HOME's by default), when the file
    itself is the trouble: damaged (SQLite finds a page malformed, or no database at all), or read-only
    (the file, its journal or its folder may not be written). None for anything else."""
    where = path or paths.db_path()
    if isinstance(exc, (apsw.CorruptError, apsw.NotADBError)):
        return damaged(where, exc)
    if isinstance(exc, (apsw.ReadOnlyError, apsw.CantOpenError)):
        blocked = not_writable(where)
        if blocked is not None:
            which = "" if blocked == where else f" ({blocked} may not be written)"
            return PcrmError(
                f"the store at {where} is read-only{which}; nothing was changed",
                hint=read_only_hint(blocked) + ", then run the command again; commands that only read "
                "work as they are",
                code="internal",
            )
    return None


def read_only_hint(blocked: Path) -> str:
    """How to let this user write `blocked` (the store, its journal or its folder)."""
    return f"let your user write it: chmod u+w {blocked} (a file made immutable: chattr -i {blocked})"


def damaged(where: Path, exc: BaseException) -> PcrmError:
    """The error of the damaged store at `where`, as SQLite found it (`exc`)."""
    return PcrmError(f"the store at {where} is damaged: {exc}", hint=damaged_hint(), code="internal")


def not_writable(db: Path) -> Path | None:
    """The file (or the folder beside it, where SQLite writes its journal) that keeps the store at `db` from
    being written by this user, if any. os.access answers for an immutable file too (`chattr +i`)."""
    for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-journal")):
        if p.exists() and not os.access(p, os.W_OK):
            return p
    folder = db.parent
    return folder if folder.is_dir() and not os.access(folder, os.W_OK) else None


def damaged_hint(*, checked: bool = False) -> str:
    """What to do about a damaged store: see what `pcrm db check` finds (unless that is what said it,
    `checked`), and go back to the newest sound backup in the backups folder, by the name `pcrm db restore`
    takes (the others: `pcrm db backups`)."""
    first = "" if checked else "`pcrm db check` says what is damaged; "
    newest = newest_backup()
    if newest is None:
        return (
            f"{first}no sound backup is in {paths.backups_dir()}: restore one you keep elsewhere with "
            "`pcrm db restore FILE`"
        )
    return (
        f"{first}go back to the newest sound backup: pcrm db restore {newest.name} "
        "(`pcrm db backups` lists all)"
    )


LOOKED_AT = 5  # how many backups, newest first, are checked for one that restores


def newest_backup() -> Path | None:
    """The newest finished backup in the backups folder (automatic or `pcrm db backup`'s) that `pcrm db
    restore` takes, of the newest few: one taken of the damaged store (before a restore, a scan) is not it."""
    from pcrm.store import backup as store_backup  # it opens stores through store.db, which imports this

    folder = paths.backups_dir()
    if not folder.is_dir():
        return None
    ours = paths.pcrm_names("backups")
    found = sorted(
        (p for p in folder.glob("*.db") if ours(p.name) and p.is_file()),
        key=lambda p: (p.stat().st_mtime, p.name),
        reverse=True,
    )
    for p in found[:LOOKED_AT]:
        if store_backup.sound(p):
            return p
    return None
