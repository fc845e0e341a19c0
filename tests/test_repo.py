"""What the repository tracks: a scratch store or a command's stray output committed by mistake (a
session once committed six SQLite files and vCalendar dumps named after the arguments a test run
mistyped: ` `, `-1`, `Ada`, `zzqq`) is caught here rather than shipped in every clone."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOP_FILES = {".gitignore", "README.md", "pyproject.toml"}
TOP_DIRS = {".ci", "bench", "docs", "pcrm", "tests"}


def _tracked() -> list[str]:
    out = subprocess.run(
        ["git", "-c", "core.quotepath=off", "ls-files", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    return [p for p in out.decode().split("\0") if p]


def test_the_top_level_holds_only_the_projects_own_files() -> None:
    tracked = _tracked()
    assert tracked, "git ls-files listed nothing: not a checkout?"
    stray = sorted({p for p in tracked if "/" not in p} - TOP_FILES)
    stray += sorted({p.split("/", 1)[0] for p in tracked if "/" in p} - TOP_DIRS)
    assert not stray, f"files at the top of the repository that are not the project's: {stray}"


def test_no_sqlite_store_is_tracked() -> None:
    stores = []
    for p in _tracked():
        path = ROOT / p
        if path.is_file():
            with open(path, "rb") as f:
                if f.read(16) == b"SQLite format 3\x00":
                    stores.append(p)
    assert not stores, f"SQLite files tracked (scratch stores?): {stores}"
