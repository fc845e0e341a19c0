"""Fixtures for the routes wired to the suggestion, score, identity, organization dedupe and import services.

The central check is parity: the API answers the same bytes as the CLI command's `--json` on the same
store at the same `now`. `Crm.parity` snapshots the store, runs the CLI, puts the snapshot back, sends
the request to a fresh app over the same file, and compares the bytes. New rows get UUIDs from a counter
that both runs rewind to the same point, so even operations that create rows (suggestions, merges,
import batches) must answer byte for byte.
"""

from __future__ import annotations

import shutil
import uuid as _uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from api.conftest import _file_secrets_and_cheap_hashes, account, anyio_backend  # noqa: F401 - fixtures
from api.helpers import bearer, client_for, ctx, make_app
from asgi_lifespan import LifespanManager

NOW = "2026-07-01T08:00:00Z"
TESTDATA = Path(__file__).resolve().parents[2].parent / "shared" / "testdata"


class CountingUuids:
    """Stands in for the uuid module inside pcrm.store.db (and the bulk loader): UUIDs from a counter."""

    def __init__(self) -> None:
        self.n = 0

    def uuid4(self) -> _uuid.UUID:
        self.n += 1
        return _uuid.UUID(int=(0x5EED << 112) | self.n, version=4)

    def many(self, k: int) -> list[str]:
        return [str(self.uuid4()) for _ in range(k)]


@pytest.fixture(autouse=True)
def _fixed_clock(pcrm_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # commands without --now (orgs duplicates) and the API read PCRM_NOW
    monkeypatch.setenv("PCRM_NOW", NOW)


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo store (300 contacts, two years of history up to NOW) plus organizations that look alike,
    built once; each test gets a copy."""
    from typer.testing import CliRunner

    from pcrm import clock
    from pcrm.cli import app

    home = tmp_path_factory.mktemp("demo-home")
    runner = CliRunner()

    def run(*args: str) -> None:
        r = runner.invoke(app, list(args), env={"PCRM_HOME": str(home), "PCRM_NOW": NOW, "NO_COLOR": "1"})
        assert r.exit_code == 0, (args, r.stdout, r.stderr, r.exception)

    try:
        run("demo", "--now", NOW)
        run("orgs", "add", "Prestige Worldwide")
        run("orgs", "add", "Prestige Worldwide Inc")
        run("orgs", "add", "Bluth Company")
        run("orgs", "add", "Bluth Company Inc.")
        run("orgs", "add", "Los Pollos", "--domain", "lospollos.com")
        run("orgs", "add", "Los Pollos Hermanos", "--domain", "lospollos.com")
    finally:
        clock.set_now(None)
    return home / "pcrm.db"


class Crm:
    def __init__(self, home: Path, cli: Any, uuids: CountingUuids) -> None:
        self.home, self.cli, self.uuids = home, cli, uuids
        self.db = home / "pcrm.db"
        self.token = ""

    # -- the store -------------------------------------------------------------------------------------------
    def snapshot(self) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in self.home.glob("pcrm.db*")}

    def restore(self, snap: dict[str, bytes]) -> None:
        for p in self.home.glob("pcrm.db*"):
            p.unlink()
        for name, data in snap.items():
            (self.home / name).write_bytes(data)
        shutil.rmtree(self.home / "backups", ignore_errors=True)

    def service(self, fn: Any, *args: Any, **kw: Any) -> Any:
        from pcrm import clock
        from pcrm.domain.dates import parse_instant

        clock.set_now(parse_instant(NOW, field="now"))
        with ctx() as c:
            return fn(c, *args, **kw)

    # -- the API ---------------------------------------------------------------------------------------------
    @property
    def auth(self) -> dict[str, str]:
        return bearer(self.token)

    async def request(self, method: str, url: str, *, auth: bool = True, **kw: Any) -> httpx.Response:
        """One request to a fresh app over this store (its lifespan opens and closes the store)."""
        headers = {**(self.auth if auth else {}), **kw.pop("headers", {})}
        app = make_app()
        async with LifespanManager(app), client_for(app) as c:
            return await c.request(method, url, headers=headers, **kw)

    async def parity(
        self, cli_args: list[str], method: str, url: str, *, raw: bool = False, **kw: Any
    ) -> httpx.Response:
        """Run `pcrm CLI_ARGS` (with --json unless raw), then the request on the same starting store;
        assert the response body is the CLI's stdout, byte for byte. Returns the response; the store is
        left as the request left it."""
        snap = self.snapshot()
        start = self.uuids.n  # both runs draw the same UUIDs, after any the store already holds
        args = list(cli_args) if raw else [*cli_args, "--json"]
        result = self.cli(*args, ok=None)
        expected = result.stdout_bytes if raw else result.stdout_bytes.rstrip(b"\n")
        assert expected, (cli_args, result.exit_code, result.stderr, result.exception)
        self.restore(snap)
        self.uuids.n = start
        resp = await self.request(method, url, **kw)
        assert resp.content == expected, (
            f"{method} {url}\nAPI: {resp.content[:600]!r}\nCLI: {expected[:600]!r}"
        )
        return resp

    def check_schema(self, method: str, path: str, resp: httpx.Response) -> None:
        """A 2xx response validates against the operation's published OpenAPI schema."""
        validate_against_openapi(method, path, resp)


_DOC: dict[str, Any] = {}


def openapi_doc() -> dict[str, Any]:
    if not _DOC:
        from pcrm.api.openapi import document
        from pcrm.api.routes import all_ops

        _DOC.update(document(all_ops(), version="test"))
    return _DOC


def validate_against_openapi(method: str, path: str, resp: httpx.Response) -> None:
    import jsonschema

    assert 200 <= resp.status_code < 300, resp.text
    doc = openapi_doc()
    full = path if path.startswith("/api/") else "/api/v1" + path
    responses = doc["paths"][full][method.lower()]["responses"]
    schema = responses[str(resp.status_code)]["content"]["application/json"]["schema"]
    root = {**schema, "components": doc["components"]}
    jsonschema.Draft202012Validator(root).validate(resp.json())


@pytest.fixture
def uuids(monkeypatch: pytest.MonkeyPatch) -> CountingUuids:
    from pcrm.store import bulk, rows

    counter = CountingUuids()
    monkeypatch.setattr(rows, "_uuid", counter)
    monkeypatch.setattr(bulk, "uuids", counter.many)
    return counter


@pytest.fixture
def empty(pcrm_home: Path, cli: Any, uuids: CountingUuids) -> Iterator[Crm]:
    """An empty store with a script token."""
    from api.helpers import script_token

    crm = Crm(pcrm_home, cli, uuids)
    crm.token = script_token("wired-tests")
    yield crm


@pytest.fixture
def crm(demo_store: Path, pcrm_home: Path, cli: Any, uuids: CountingUuids) -> Iterator[Crm]:
    """A copy of the demo store with a script token."""
    from api.helpers import script_token

    pcrm_home.mkdir(parents=True, exist_ok=True)
    shutil.copy(demo_store, pcrm_home / "pcrm.db")
    crm = Crm(pcrm_home, cli, uuids)
    crm.token = script_token("wired-tests")
    yield crm
