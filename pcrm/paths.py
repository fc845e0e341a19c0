"""Where pcrm keeps its files: one home folder holding the database and everything beside it (D1)."""

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
