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


def all_paths() -> dict[str, str]:
    return {
        "home": str(home()),
        "database": str(db_path()),
        "avatars": str(avatars_dir()),
        "backups": str(backups_dir()),
        "exports": str(exports_dir()),
        "run": str(run_dir()),
    }
