"""Where pcrm keeps its files: one home folder holding the database and everything beside it [one-store]."""

from __future__ import annotations

import os
from pathlib import Path


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


def loose_modes(root: Path | None = None) -> list[tuple[Path, int, int]]:
    """(path, its mode, the mode it should have) for every folder and file under PCRM_HOME (itself
    included) that others can read, write or enter. Symlinks are not followed."""
    import stat

    base = root if root is not None else home()
    found: list[tuple[Path, int, int]] = []
    if not base.exists():
        return found
    todo = [base]
    while todo:
        p = todo.pop()
        st = p.lstat()
        if stat.S_ISLNK(st.st_mode):
            continue
        want = DIR_MODE if stat.S_ISDIR(st.st_mode) else FILE_MODE
        if stat.S_IMODE(st.st_mode) & 0o077:
            found.append((p, stat.S_IMODE(st.st_mode), want))
        if stat.S_ISDIR(st.st_mode):
            todo.extend(sorted(p.iterdir(), reverse=True))
    return sorted(found)


def all_paths() -> dict[str, str]:
    return {
        "home": str(home()),
        "database": str(db_path()),
        "avatars": str(avatars_dir()),
        "backups": str(backups_dir()),
        "exports": str(exports_dir()),
        "run": str(run_dir()),
    }
