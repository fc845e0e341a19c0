"""Fixtures for the vCard / chat-takeout import tests: paths, an import helper and store readers."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import apsw
import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPO = Path(__file__).resolve().parents[2]
TESTDATA = REPO.parent / "shared" / "testdata"
NOW = "2026-03-01T12:00:00Z"


@pytest.fixture
def fx() -> Path:
    return FIXTURES


@pytest.fixture
def corpus() -> Path:
    """The shared real-format samples; under CI=true their absence fails instead of skipping."""
    if not TESTDATA.is_dir():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{TESTDATA} is missing (CI=true): the import manifest needs ../shared/testdata")
        pytest.skip(f"{TESTDATA} not present")
    return TESTDATA


@pytest.fixture
def imp(cli: Any) -> Any:
    """imp(path, *args) -> the ImportReport envelope of `pcrm import PATH --json --now NOW`."""

    def run(path: Path | str, *args: str, ok: bool | None = True) -> dict[str, Any]:
        return cli.json("import", str(path), "--now", NOW, *args, ok=ok)

    return run


class Store:
    def __init__(self, home: Path) -> None:
        self.path = home / "pcrm.db"

    def q(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        conn = apsw.Connection(str(self.path), flags=apsw.SQLITE_OPEN_READONLY)
        try:
            return list(conn.execute(sql, params))
        finally:
            conn.close()

    def fields(self, name: str) -> list[tuple[Any, ...]]:
        return self.q(
            "SELECT f.kind, f.label, f.value, f.pref FROM contact_fields f JOIN contacts c "
            "ON c.id = f.contact_id WHERE c.full_name = ? ORDER BY f.position, f.id",
            (name,),
        )

    def directions(self) -> dict[str, int]:
        return dict(self.q("SELECT direction, count(*) FROM interactions GROUP BY direction"))


@pytest.fixture
def store(pcrm_home: Path) -> Store:
    return Store(pcrm_home)


@pytest.fixture
def contacts(cli: Any) -> Any:
    """contacts() -> every contact response (all pages), oldest first."""

    def run() -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        page = 1
        while True:
            env = cli.json("contacts", "list", "--page", str(page), "--page-size", "100")
            out += env["data"]
            if len(env["data"]) < 100:
                return out
            page += 1

    return run


@pytest.fixture
def by_name(contacts: Any) -> Any:
    return lambda: {c["full_name"]: c for c in contacts()}
