"""The fixtures of the whole suite (the only conftest): every test gets its own PCRM_HOME with a real SQLite
file. Plain helpers (classes, functions, constants) are in tests/support.

Stores, by clock:
- `crm`: an initialised store driven through the CLI, PCRM_NOW at tests.support.crm.NOW, timezone UTC.
- `world`: a store written through the services at tests.support.world.NOW (relationship intelligence).
- `demo` / `api` / `empty_api`: a copy of the API demo store (tests.support.demo, at its NOW) and checked
  API clients on it or on an empty store.
- `demo_twin` / `empty_twin`: a copy of the look-alike demo store, or an empty store, driven through the
  CLI and through the API to compare their bytes (tests.support.twin, at its NOW).
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from hypothesis import settings as hypothesis_settings

from pcrm import clock
from pcrm.services.context import Context, open_context
from tests.support import no_internet, paths
from tests.support import twin as twin_support
from tests.support.api import (
    EMAIL,
    PASSWORD,
    bearer,
    checked_client,
    client_for,
    make_app,
    script_token,
    web_token,
)
from tests.support.api import ctx as api_ctx
from tests.support.cli import Cli
from tests.support.crm import NOW as CRM_NOW
from tests.support.crm import Crm
from tests.support.demo import NOW as DEMO_NOW
from tests.support.demo import build_demo_store, copy_store
from tests.support.formats import options
from tests.support.imports import NOW as IMPORT_NOW
from tests.support.store import StoreReader, canonical_dump
from tests.support.twin import CountingUuids, Twin, build_lookalike_demo
from tests.support.world import World

# Property tests judge behaviour, not speed: on a loaded 2-core CI box one example may take longer than
# hypothesis's default 200 ms deadline, which would fail a correct test at random.
hypothesis_settings.register_profile("pcrm", deadline=None)
hypothesis_settings.load_profile("pcrm")

# ------------------------------------------------------------------ every test


@pytest.fixture(autouse=True)
def pcrm_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("PCRM_HOME", str(home))
    monkeypatch.delenv("PCRM_NOW", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    # `pcrm init` guesses phone_region from the locale: a locale naming no country keeps every store
    # region-free, whatever the machine running the tests uses
    monkeypatch.setenv("LANG", "C.UTF-8")
    for var in ("LC_ALL", "LC_TELEPHONE"):
        monkeypatch.delenv(var, raising=False)
    clock.set_now(None)
    yield home
    clock.set_now(None)


@pytest.fixture(autouse=True)
def _file_secrets_and_cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    # never touch a developer's real keyring from tests
    monkeypatch.setenv("PCRM_SECRETS_BACKEND", "file")
    monkeypatch.delenv("PCRM_SECRET_KEY", raising=False)
    # argon2's production cost (~0.5 s a hash here) would dominate the suite
    from pcrm.services import auth

    monkeypatch.setattr(auth, "ARGON2", {"time_cost": 1, "memory_cost": 1024, "parallelism": 1})
    # failed logins back off per account in the process's memory: each test starts with none
    monkeypatch.setattr(auth, "BACKOFF", auth.LoginBackoff())


_COMMANDS: dict[int, Any] = {}


@pytest.fixture(autouse=True)
def _build_the_click_tree_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """CliRunner.invoke rebuilds typer's whole click command tree on every call (~80% of a call's
    time); the tree never changes within a run, so build it once. Behaviour is unchanged."""
    import typer.main
    import typer.testing

    def cached(app: Any) -> Any:
        # the app is kept alongside: a short-lived app (the lean copies of tests/cli/test_fast.py) could
        # otherwise be collected and its id reused by another one, which would then get its tree
        if id(app) not in _COMMANDS:
            _COMMANDS[id(app)] = (app, typer.main.get_command(app))
        return _COMMANDS[id(app)][1]

    monkeypatch.setattr(typer.testing, "_get_command", cached)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches the internet, even by accident (an organization's domain typed in a test, a default
    URL): a host name other than localhost does not resolve, and a connection to an address that is not
    this machine's fails at once, as when offline. External services are faked at the wire on 127.0.0.1
    (tests.support.http_fake). Processes a test starts are not covered: they talk to 127.0.0.1 only."""
    monkeypatch.setattr(socket, "getaddrinfo", no_internet.getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", no_internet.connect)
    monkeypatch.setattr(socket.socket, "connect_ex", no_internet.connect_ex)


# ------------------------------------------------------------------ the CLI and a service context


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def crm(cli: Cli, pcrm_home: Path, monkeypatch: pytest.MonkeyPatch) -> Crm:
    """An initialised store with a pinned clock (PCRM_NOW) and the `timezone` setting at UTC."""
    monkeypatch.setenv("PCRM_NOW", CRM_NOW)
    cli("init")
    store = Crm(cli, pcrm_home)
    store.sql("INSERT INTO settings(key, value, updated_at) VALUES ('timezone', '\"UTC\"', ?)", (CRM_NOW,))
    # the first read of the day recomputes scores once (scores.catch_up); do it now, so snapshots taken
    # by the tests only see what the command under test did
    cli("contacts", "list")
    return store


@pytest.fixture
def ctx(pcrm_home: Path) -> Iterator[Context]:
    """A service context on the test's store."""
    c = open_context()
    yield c
    c.close()


@pytest.fixture
def world() -> Iterator[World]:
    """A store at tests.support.world.NOW, written through the services with hand-made histories."""
    w = World()
    yield w
    w.close()


# ------------------------------------------------------------------ the store on disk


@pytest.fixture
def db(pcrm_home: Path) -> Path:
    """The test's store, created (empty) so dumps can be taken before the first command."""
    from pcrm.store.db import connect

    path = pcrm_home / "pcrm.db"
    connect(path).close()
    return path


@pytest.fixture
def dump(db: Path) -> Callable[..., dict[str, Any]]:
    """dump(**kw) -> the canonical dump of the test's store (tests.support.store.canonical_dump)."""

    def take(**kw: Any) -> dict[str, Any]:
        return canonical_dump(db, **kw)

    return take


@pytest.fixture
def store(pcrm_home: Path) -> StoreReader:
    """The test's store, read with plain SQL."""
    return StoreReader(pcrm_home)


# ------------------------------------------------------------------ imports and the files they read


@pytest.fixture
def fx() -> Path:
    """The hand-written import files (tests/data/imports)."""
    return paths.IMPORT_FILES


@pytest.fixture
def corpus() -> Path:
    """The shared real-format samples; under CI=true their absence fails instead of skipping."""
    return paths.require_testdata()


@pytest.fixture
def imp(cli: Cli) -> Callable[..., Any]:
    """imp(path, *args) -> the ImportReport envelope of `pcrm import PATH ARGS... --json --now NOW`."""

    def run(path: Path | str, *args: str, ok: bool | None = True) -> Any:
        return cli.json("import", str(path), *args, "--now", IMPORT_NOW, ok=ok)

    return run


@pytest.fixture
def contacts(cli: Cli) -> Callable[[], list[dict[str, Any]]]:
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
    """by_name() -> every contact response by full name."""
    return lambda: {c["full_name"]: c for c in contacts()}


@pytest.fixture
def opts() -> Callable[..., Any]:
    """The parse options of a pure parser (tests.support.formats.options)."""
    return options


# ------------------------------------------------------------------ the API: an app, a client, credentials


@pytest.fixture
async def app(pcrm_home: Any) -> AsyncIterator[Any]:
    """The app with its lifespan run."""
    a = make_app()
    async with LifespanManager(a):
        yield a


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process httpx client on http://127.0.0.1."""
    async with client_for(app) as c:
        yield c


@pytest.fixture
def account(pcrm_home: Any) -> dict[str, Any]:
    from pcrm.services import auth

    with api_ctx() as c:
        return auth.register(c, {"email": EMAIL, "password": PASSWORD, "full_name": "Ada Lovelace"}).data


@pytest.fixture
def web(account: dict[str, Any]) -> dict[str, str]:
    """The Authorization header of a web JWT for `account`."""
    return bearer(web_token(account["id"]))


@pytest.fixture
def script(pcrm_home: Any) -> dict[str, str]:
    """The Authorization header of a script token."""
    return bearer(script_token())


# ------------------------------------------------------------------ the API demo store (tests.support.demo)


@pytest.fixture(scope="session")
def demo_base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The API demo store, built once per session: its home and references to some of its rows."""
    home = tmp_path_factory.mktemp("demo") / "home"
    refs = build_demo_store(home)
    return home, refs


@pytest.fixture
def demo(
    demo_base: tuple[Path, dict[str, Any]], pcrm_home: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    """This test's own copy of the demo store as PCRM_HOME, with the clock at NOW."""
    home, refs = demo_base
    copy_store(home, pcrm_home)
    monkeypatch.setenv("PCRM_NOW", DEMO_NOW)
    return refs


@pytest.fixture
def api(demo: dict[str, Any]) -> Iterator[Any]:
    """A checked client on the app serving this test's demo store, authenticated with a script token."""
    from pcrm.api.app import create_app

    with checked_client(create_app()) as client:
        client.headers["Authorization"] = f"Bearer {demo['token']}"
        yield client


@pytest.fixture
def empty_api(pcrm_home: Path) -> Iterator[Any]:
    """A checked client on an empty store."""
    from pcrm.api.app import create_app
    from pcrm.services import tokens

    with open_context() as ctx:
        token = tokens.create_script_token(ctx, "empty").data["token"]
    with checked_client(create_app()) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        yield client


# ------------------------------------------------------------------ CLI and API twins (tests.support.twin)


@pytest.fixture(scope="session")
def lookalike_demo_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo store (300 contacts, two years of history up to the twins' NOW) plus organizations that
    look alike, built once per session; each test gets a copy. Its home."""
    home = tmp_path_factory.mktemp("demo-home")
    build_lookalike_demo(home)
    return home


@pytest.fixture
def counting_uuids(monkeypatch: pytest.MonkeyPatch) -> CountingUuids:
    """New rows draw their UUIDs from a counter (which Twin.parity rewinds)."""
    from pcrm.store import bulk, rows

    counter = CountingUuids()
    monkeypatch.setattr(rows, "_uuid", counter)
    monkeypatch.setattr(bulk, "uuids", counter.many)
    return counter


@pytest.fixture
def empty_twin(
    pcrm_home: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli, counting_uuids: CountingUuids
) -> Twin:
    """An empty store with a script token, the clock at the twins' NOW."""
    # commands without --now (orgs duplicates) and the API read PCRM_NOW
    monkeypatch.setenv("PCRM_NOW", twin_support.NOW)
    twin = Twin(cli, pcrm_home, counting_uuids)
    twin.token = script_token("wired-tests")
    return twin


@pytest.fixture
def demo_twin(
    lookalike_demo_base: Path,
    pcrm_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    cli: Cli,
    counting_uuids: CountingUuids,
) -> Twin:
    """A copy of the look-alike demo store with a script token, the clock at the twins' NOW."""
    monkeypatch.setenv("PCRM_NOW", twin_support.NOW)
    copy_store(lookalike_demo_base, pcrm_home)
    twin = Twin(cli, pcrm_home, counting_uuids)
    twin.token = script_token("wired-tests")
    return twin
