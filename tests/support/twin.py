"""A store driven twice: through the CLI and through its API twin, to compare their bytes.

The central check is parity: the API answers the same bytes as the CLI command's `--json` on the same
store at the same `now`. `Twin.parity` snapshots the store, runs the CLI, puts the snapshot back, sends
the request to a fresh app over the same file, and compares the bytes. New rows get UUIDs from a counter
that both runs rewind to the same point, so even operations that create rows (suggestions, merges,
import batches) must answer byte for byte.

The clock of these tests is NOW (the `demo_twin` and `empty_twin` fixtures set PCRM_NOW).
"""

from __future__ import annotations

import shutil
import uuid as _uuid
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from tests.support.api import bearer, client_for, make_app, validate_against_openapi
from tests.support.crm import Crm

NOW = "2026-07-01T08:00:00Z"


class CountingUuids:
    """Stands in for the uuid module inside pcrm.store.db (and the bulk loader): UUIDs from a counter."""

    def __init__(self) -> None:
        self.n = 0

    def uuid4(self) -> _uuid.UUID:
        self.n += 1
        return _uuid.UUID(int=(0x5EED << 112) | self.n, version=4)

    def many(self, k: int) -> list[str]:
        return [str(self.uuid4()) for _ in range(k)]


def build_lookalike_demo(home: Path) -> Path:
    """A demo store at HOME (300 contacts, two years of history up to NOW) plus organizations that look
    alike. Returns the path of its database."""
    from typer.testing import CliRunner

    from pcrm import clock
    from pcrm.cli import app

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


class Twin(Crm):
    """A Crm whose store the API serves too, authenticated with a script token (`token`)."""

    def __init__(self, cli: Any, home: Path, uuids: CountingUuids) -> None:
        super().__init__(cli, home)
        self.uuids = uuids
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
        self,
        cli_args: list[str],
        method: str,
        url: str,
        *,
        raw: bool = False,
        api_extra: tuple[str, ...] = (),
        **kw: Any,
    ) -> httpx.Response:
        """Run `pcrm CLI_ARGS` (with --json unless raw), then the request on the same starting store;
        assert the response body is the CLI's stdout, byte for byte. Returns the response; the store is
        left as the request left it. `api_extra`: keys of `data` only the API answers (the reference's
        field names beside the report); the body without them is the CLI's, byte for byte."""
        snap = self.snapshot()
        start = self.uuids.n  # both runs draw the same UUIDs, after any the store already holds
        args = list(cli_args) if raw else [*cli_args, "--json"]
        result = self.cli(*args, ok=None)
        expected = result.stdout_bytes if raw else result.stdout_bytes.rstrip(b"\n")
        assert expected, (cli_args, result.exit_code, result.stderr, result.exception)
        self.restore(snap)
        self.uuids.n = start
        resp = await self.request(method, url, **kw)
        if api_extra:
            from pcrm.serialize import dumps, loads

            body = loads(resp.content)
            assert set(api_extra) <= set(body["data"]), (api_extra, sorted(body["data"]))
            body["data"] = {k: v for k, v in body["data"].items() if k not in api_extra}
            assert dumps(body) == expected, (
                f"{method} {url}\nAPI: {dumps(body)[:600]!r}\nCLI: {expected[:600]!r}"
            )
            return resp
        assert resp.content == expected, (
            f"{method} {url}\nAPI: {resp.content[:600]!r}\nCLI: {expected[:600]!r}"
        )
        return resp

    def check_schema(self, method: str, path: str, resp: httpx.Response) -> None:
        """A 2xx response validates against the operation's published OpenAPI schema."""
        validate_against_openapi(method, path, resp)
