"""Where pcrm keeps its files: one home folder holding the database and everything beside it [one-store]."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def home() -> Path:
    """$PCRM_HOME, else the platform's user data folder for pcrm."""
    env = os.environ.get("PCRM_HOME")
    if env:
        return Path(env).expanduser()
    return default_home()


def default_home() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("pcrm", appauthor=False))


def db_path() -> Path:
    return home() / "pcrm.db"


# the encrypted (or obfuscated) secrets file beside the database [secret-store]
SECRETS_FILE = "secrets.bin"


def store_files() -> list[Path]:
    """The files that are the store itself: the database, the journal files SQLite keeps beside it, and
    the secrets file. Nothing pcrm writes on request (exports, backups) may land on one of them: an
    export written over `pcrm.db` replaced the whole CRM with a CSV file [one-store]."""
    db = db_path()
    return [db, *(db.with_name(db.name + s) for s in ("-wal", "-shm", "-journal")), home() / SECRETS_FILE]


def is_store_file(p: Path) -> bool:
    """Whether `p` (relative, through symlinks or `..`) names one of store_files()."""
    target = p.expanduser().resolve()
    return any(target == f.resolve() for f in store_files())


def avatars_dir() -> Path:
    return home() / "avatars"


AVATAR_URL_PREFIX = "/static/avatars/"


def avatar_path(url: str | None) -> Path | None:
    """The file behind a local avatar URL (/static/avatars/NAME, as imports save photos); None for any
    other URL or a name that would leave the avatars folder."""
    if not url or not url.startswith(AVATAR_URL_PREFIX):
        return None
    name = url[len(AVATAR_URL_PREFIX) :]
    if not name or "/" in name or "\\" in name or "\x00" in name or name.startswith("."):
        return None
    return avatars_dir() / name


def backups_dir() -> Path:
    return home() / "backups"


def exports_dir() -> Path:
    return home() / "exports"


def run_dir() -> Path:
    return home() / "run"


# [private-files]: PCRM_HOME and what pcrm creates in it are the owner's alone
DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(p: Path) -> Path:
    """Create folder `p` (and missing parents) as 0700; an existing folder is left as it is."""
    if not p.is_dir():
        missing = [q for q in (p, *p.parents) if not q.exists()]
        p.mkdir(parents=True, exist_ok=True)
        for q in missing:
            os.chmod(q, DIR_MODE)
    return p


def create_private(p: Path) -> None:
    """Create an empty file `p` as 0600 unless it exists (SQLite then gives its -wal and -shm the same
    mode)."""
    private_dir(p.parent)
    try:
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    os.close(fd)


def open_private(p: Path) -> int:
    """A file descriptor for writing `p` from scratch, mode 0600 whether or not it existed."""
    private_dir(p.parent)
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.chmod(p, FILE_MODE)
    return fd


def write_private(p: Path, data: bytes) -> None:
    """Write `data` to `p` as a 0600 file."""
    with os.fdopen(open_private(p), "wb") as fh:
        fh.write(data)


def owner_only(mode: int) -> int:
    """`mode` without what it gives the group and others (0644 -> 0600, 0755 -> 0700, 2775 -> 2700):
    tightening never gives the owner more than it had, and keeps a folder's setgid and sticky bits."""
    return mode & 0o7700


# -- an existing store's modes [private-files] -----------------------------------------------------------
#
# A store an older pcrm made, or one copied in with `cp` or restored from a backup under umask 022, kept
# 0644 (its -wal and -shm too: SQLite gives them the database's mode). Opening the store at PCRM_HOME
# takes group and other access away from it and the files beside it, quietly (and, once per store, from
# everything in pcrm's folders: store/db.py); `pcrm db check` says what changed and what could not be.
# Only pcrm's own files: PCRM_HOME may be a folder of the user's, whose other files are theirs (and then in
# ~/backups, ~/exports, ~/avatars and ~/run only the names pcrm writes there are pcrm's).

# the files directly in PCRM_HOME that are pcrm's: the store, the journals SQLite keeps beside it, the secrets
# file, the completion cache (contact names), the X token refresh lock
_HOME_FILES = ("-wal", "-shm", "-journal")
_OTHER_FILES = (SECRETS_FILE, SECRETS_FILE + ".tmp", "completion.json", "x-token-refresh.lock")
_COMPLETION_TMP = re.compile(r"completion\.json\.\d+\.tmp")  # the cache being written (cli/_complete.py)
# pcrm's folders in PCRM_HOME; at every opening the files directly in the first three too (avatars can be
# tens of thousands of photos: they are walked once per store, tighten_all)
_LISTED_DIRS = ("backups", "exports", "run")
_DIRS = (*_LISTED_DIRS, "avatars")
_UUID = r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}"
# the names pcrm writes directly in each of its folders: in a PCRM_HOME that holds the user's files too (their
# home folder), only these are pcrm's there, and anything else in ~/backups or ~/avatars is the user's
_OWN_NAMES = {
    # store/backup.py's automatic and `pcrm db backup` ones, its half copy and that copy's journal
    "backups": re.compile(r"pcrm-.*\.db(?:\.\d+\.part(?:-journal)?)?"),
    # exports.output_file's name for an export into a folder (`NAME-2.csv` beside one), half written `.part`
    "exports": re.compile(r"pcrm-\d{8}-\d{6}(?:-\d+)?\.\w+(?:\.part)?"),
    # a contact's photo (ingest's save_avatar: its uuid, the image's type), an organization's logo (logos.py)
    # and the logo an edit replaced, kept aside for its undo (logos.keep_aside: a digest of the image)
    "avatars": re.compile(
        rf"{_UUID}\.(?:jpg|png|gif|webp)|org_{_UUID}(?:\.[0-9a-f]{{12}})?\.(?:png|tmp)", re.IGNORECASE
    ),
    # the daemon's run state, file-modes.json (both written beside themselves as .tmp), launchd's log, the
    # lock a background job's run holds (services/jobs.py)
    "run": re.compile(r"(?:daemon|file-modes)\.json(?:\.tmp)?|daemon\.log|job-[a-z0-9_-]+\.lock"),
}
TIGHTENED_FILE = "file-modes.json"  # in run/: what opening the store changed, for `pcrm db check`
_KEEP_EVENTS = 10


@dataclass(frozen=True)
class Tightening:
    """What opening the store did to modes: `changed` (path, mode before, mode now), and `left` (path, mode,
    why) where it could not: a file of another user, or a chmod the system refused."""

    changed: list[tuple[Path, int, int]] = field(default_factory=list)
    left: list[tuple[Path, int, str]] = field(default_factory=list)


_last: dict[str, Tightening] = {}  # the last open's in this process, by store


def _store_parts(db: Path) -> Iterator[tuple[str, os.stat_result]]:
    """(path, its stat) of what tighten_store looks at that exists: PCRM_HOME first (followed if a symlink),
    then the rest as they are (lstat). Plain strings and scandir's entries: this runs at every opening of
    the store, a few microseconds a file."""
    folder = os.fspath(db.parent)
    base = os.fspath(db)
    alone = _only_pcrm_in(folder, db.name)
    if alone:
        with contextlib.suppress(OSError):
            yield folder, os.stat(folder)
    names = [base, *(base + s for s in _HOME_FILES), *(os.path.join(folder, n) for n in _OTHER_FILES)]
    for name in names:
        try:
            yield name, os.lstat(name)
        except OSError:
            continue  # not there
    for sub in _DIRS:
        path = os.path.join(folder, sub)
        try:
            st = os.lstat(path)
        except OSError:
            continue  # not there (yet)
        if sub not in _LISTED_DIRS:  # avatars/: what it holds is walked once per store (tighten_all)
            if alone:  # in a shared PCRM_HOME its own mode waits for that walk, which sees whose it is
                yield path, st
            continue
        files, theirs = _files_in(path, sub, alone)
        if not theirs:
            yield path, st
        yield from files


def _files_in(folder: str, sub: str, alone: bool) -> tuple[list[tuple[str, os.stat_result]], bool]:
    """The files directly in pcrm's folder `sub` (at `folder`) that are pcrm's, with their lstat, and whether
    it holds anything of the user's too. In a PCRM_HOME holding nothing but pcrm's, every file there is
    pcrm's; in one that holds the user's files too (their home folder), only the names pcrm writes there
    (_OWN_NAMES), and a sub-folder is the user's (pcrm makes none): a folder holding any of theirs keeps its
    mode, as PCRM_HOME does."""
    own = None if alone else _OWN_NAMES[sub]
    files: list[tuple[str, os.stat_result]] = []
    theirs = False
    try:
        it = os.scandir(folder)
    except OSError:  # not a folder
        return files, theirs
    with it:
        for entry in it:
            if own is not None and not own.fullmatch(entry.name):
                theirs = True
                continue
            with contextlib.suppress(OSError):  # gone meanwhile
                st = entry.stat(follow_symlinks=False)
                if stat.S_ISDIR(st.st_mode):  # pcrm makes no sub-folder there: one is the user's
                    theirs = True
                else:
                    files.append((entry.path, st))
    return files, theirs and not alone


def _is_pcrm_name(name: str, db_name: str) -> bool:
    """Whether `name`, directly in PCRM_HOME, is one of pcrm's: the database and the files SQLite keeps beside
    it (`pcrm.db-wal`, `-shm`, `-journal`), pcrm's other files and folders, and the completion cache's
    half-written copy. Anything else there is the user's (PCRM_HOME may be their home folder): `pcrm db
    check` neither reports nor changes it."""
    return (
        name in _OTHER_FILES
        or name in _DIRS
        or name == db_name
        or (name.startswith(db_name) and name[len(db_name) :] in _HOME_FILES)
        or _COMPLETION_TMP.fullmatch(name) is not None
    )


def _only_pcrm_in(folder: str, db_name: str) -> bool:
    """Whether PCRM_HOME holds nothing but what pcrm puts there. A folder holding other files too (PCRM_HOME
    set to the home folder, a synced or shared folder) keeps its mode: pcrm's files in it are made private
    one by one, and the folder's access is the user's to decide."""
    try:
        with os.scandir(folder) as it:
            return all(_is_pcrm_name(e.name, db_name) for e in it)
    except OSError:
        return False


def pcrm_names(sub: str, db: Path | None = None) -> Callable[[str], bool]:
    """Whether a file's name in pcrm's folder `sub` beside the store `db` (PCRM_HOME's by default) is pcrm's
    to list or delete: any name when PCRM_HOME holds nothing but pcrm's, else only the names pcrm writes
    (_OWN_NAMES: ~/backups/pcrm-*.db, not the user's ~/backups/phone.db) [private-files]. PCRM_HOME is looked
    at once, here, not for each name."""
    db = db if db is not None else db_path()
    if _only_pcrm_in(os.fspath(db.parent), db.name):
        return lambda _name: True
    own = _OWN_NAMES[sub]
    return lambda name: own.fullmatch(name) is not None


def remove_pcrm_files(sub: str, db: Path | None = None) -> int:
    """Delete what pcrm wrote in its folder `sub` ("avatars", "backups", "exports", "run") beside the store
    `db` (PCRM_HOME's by default) and return how many files went. When PCRM_HOME holds nothing but pcrm's,
    the whole folder goes and comes back empty and private; in one that holds the user's files too (their
    home folder), only the names pcrm writes there (_OWN_NAMES) directly in it: deleting the account must
    not take the user's own ~/avatars/ada.jpg or ~/avatars/2019/ with it [private-files]."""
    db = db if db is not None else db_path()
    folder = db.parent / sub
    if not folder.is_dir() or folder.is_symlink():
        return 0
    if _only_pcrm_in(os.fspath(db.parent), db.name):
        import shutil

        n = sum(1 for p in folder.rglob("*") if p.is_file())
        shutil.rmtree(folder)
        private_dir(folder)
        return n
    files, _ = _files_in(os.fspath(folder), sub, False)
    removed = 0
    for name, st in files:
        if stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)
                removed += 1
    return removed


def loose_modes(db: Path | None = None) -> list[tuple[Path, int, int]]:
    """(path, its mode, the mode it should have) for each of pcrm's folders and files at the store `db`
    (PCRM_HOME's by default) that others can read, write or enter: PCRM_HOME itself (followed if a symlink)
    when it holds nothing else, the files directly in it that are pcrm's (_is_pcrm_name), and pcrm's folders
    with everything in them when PCRM_HOME holds nothing else. In one that holds the user's files too (their
    home folder), only the files pcrm names there (_OWN_NAMES: ~/backups/pcrm-*.db, not ~/backups/tax.pdf
    nor ~/backups/photos/), and a folder of pcrm's only when it holds nothing of theirs. The user's own files
    are not looked at; symlinks inside are not followed."""
    found: list[tuple[Path, int, int]] = []
    for name, st in _pcrm_tree(db if db is not None else db_path()):
        mode = stat.S_IMODE(st.st_mode)
        if mode & 0o077 and (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
            found.append((Path(name), mode, owner_only(st.st_mode)))
    return sorted(found)


def _pcrm_tree(db: Path) -> Iterator[tuple[str, os.stat_result]]:
    """(path, its stat) of everything loose_modes looks at, by lstat: a symlink is listed, never entered."""
    folder = os.fspath(db.parent)
    try:
        top = os.stat(folder)
    except OSError:  # no store folder (yet)
        return
    if not stat.S_ISDIR(top.st_mode):
        return
    alone = _only_pcrm_in(folder, db.name)
    if alone:
        yield folder, top
    todo: list[str] = []
    with contextlib.suppress(OSError), os.scandir(folder) as it:
        for entry in it:
            if not _is_pcrm_name(entry.name, db.name):
                continue  # the user's
            with contextlib.suppress(OSError):
                st = entry.stat(follow_symlinks=False)
                if entry.name not in _DIRS or not stat.S_ISDIR(st.st_mode):
                    yield entry.path, st
                elif alone:  # all it holds is pcrm's, sub-folders included
                    yield entry.path, st
                    todo.append(entry.path)
                else:  # in the user's home folder: only the names pcrm writes there [private-files]
                    files, theirs = _files_in(entry.path, entry.name, alone)
                    if not theirs:
                        yield entry.path, st
                    yield from files
    while todo:
        here = todo.pop()
        with contextlib.suppress(OSError), os.scandir(here) as it:
            for entry in it:
                with contextlib.suppress(OSError):  # gone meanwhile
                    st = entry.stat(follow_symlinks=False)
                    if stat.S_ISDIR(st.st_mode):
                        todo.append(entry.path)
                    yield entry.path, st


def tighten_store(db: Path) -> Tightening:
    """Take group and other access away from the store at `db` (pcrm's, at PCRM_HOME) and its companions:
    the folder itself, the -wal/-shm/-journal files, the secrets file, pcrm's folders in it and the files in
    backups/, exports/ and run/ (in a PCRM_HOME holding the user's files too, those pcrm names: _files_in).
    Only what this user owns, and never failing: a file of another user or a chmod the system refuses (a
    read-only disk) is left as it is and listed in `left`. POSIX only.

    By path, after an lstat: no file is opened, since closing a descriptor of the database would drop the
    locks SQLite holds on it in this process; a symlink is not followed (PCRM_HOME itself may be one)."""
    done = _make_private(_store_parts(db))
    _last[str(db)] = done
    return done


def tighten_all(db: Path) -> Tightening:
    """What tighten_store does, to everything loose_modes looks at: pcrm's folders with all they hold, the
    photos in avatars/ and sub-folders included. A walk of every file (~18 ms for 5,000 photos), so opening
    the store runs it once per store [private-files]; added to what last_tightening(db) tells."""
    more = _make_private(_pcrm_tree(db))
    before = _last.get(str(db), Tightening())
    done = Tightening(sorted({*before.changed, *more.changed}), sorted({*before.left, *more.left}))
    _last[str(db)] = done
    return done


def _make_private(parts: Iterable[tuple[str, os.stat_result]]) -> Tightening:
    """chmod go-rwx each of `parts` (path, its lstat) this user owns that is a folder or a plain file others
    may use; what could not be changed, and why, in `left`. Nothing on Windows."""
    done = Tightening()
    if os.name != "posix":
        return done
    uid = os.geteuid()
    for name, st in parts:
        mode = stat.S_IMODE(st.st_mode)
        if not mode & 0o077 or not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
            continue  # private already; or a symlink, a socket, a pipe
        p = Path(name)
        if st.st_uid != uid:
            done.left.append((p, mode, f"it belongs to another user (uid {st.st_uid})"))
            continue
        try:
            os.chmod(name, owner_only(mode))
        except OSError as exc:
            done.left.append((p, mode, exc.strerror or str(exc)))
            continue
        done.changed.append((p, mode, owner_only(mode)))
    done.changed.sort()
    done.left.sort()
    return done


def last_tightening(db: Path) -> Tightening:
    """What the last opening of the store at `db` in this process did to modes (nothing when none did)."""
    return _last.get(str(db), Tightening())


def note_tightening(done: Tightening, at: str) -> None:
    """Add what `done` changed, at `at`, to run/file-modes.json (the last few openings that changed
    something), for `pcrm db check`. Never fails: a store on a read-only disk gets no note."""
    if not done.changed:
        return
    event = {
        "at": at,
        "changed": [
            {"path": str(p), "was": f"{was:04o}", "now": f"{now:04o}"} for p, was, now in done.changed
        ],
    }
    with contextlib.suppress(OSError, ValueError):
        p = run_dir() / TIGHTENED_FILE
        tmp = p.with_name(p.name + ".tmp")
        write_private(tmp, json.dumps([*tightenings()[-(_KEEP_EVENTS - 1) :], event], indent=1).encode())
        os.replace(tmp, p)


def tightenings() -> list[dict[str, Any]]:
    """The notes note_tightening left, oldest first: [{at, changed: [{path, was, now}]}]."""
    try:
        events = json.loads((run_dir() / TIGHTENED_FILE).read_bytes())
    except (OSError, ValueError):
        return []
    if not isinstance(events, list):
        return []
    return [e for e in events if isinstance(e, dict) and isinstance(e.get("changed"), list)]


def all_paths() -> dict[str, str]:
    return {
        "home": str(home()),
        "database": str(db_path()),
        "avatars": str(avatars_dir()),
        "backups": str(backups_dir()),
        "exports": str(exports_dir()),
        "run": str(run_dir()),
    }


def lock_within(fd: int, seconds: float) -> bool:
    """Take an exclusive `flock` on the open file `fd`, waiting up to `seconds` for another process that
    holds it; False when it is still held then. The lock goes with the descriptor (closing it, or the
    process ending however it ends, lets it go). An OSError other than "held" (a file system without
    locks) is the caller's."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
