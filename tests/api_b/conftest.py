"""Fixtures for API B: a demo store built once per session (copied for each test that writes), a sync test
client on http://127.0.0.1 whose every JSON response is checked against the served OpenAPI document, and
a script token.

The schema check is a response hook on the client: 2xx bodies must match the operation's documented
success schema, error bodies the ErrorEnvelope. Nothing in this folder can get a response past it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

NOW = "2025-06-01T12:00:00.000Z"
WEEK_AGO = "2025-05-25T12:00:00.000Z"


@pytest.fixture(autouse=True)
def _file_secrets_and_cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCRM_SECRETS_BACKEND", "file")
    monkeypatch.delenv("PCRM_SECRET_KEY", raising=False)
    from pcrm.services import auth

    monkeypatch.setattr(auth, "ARGON2", {"time_cost": 1, "memory_cost": 1024, "parallelism": 1})


# ------------------------------------------------------------------ the OpenAPI check


class SchemaCheck:
    """Validates responses against the OpenAPI document of the app that served them."""

    def __init__(self, doc: dict[str, Any]) -> None:
        from jsonschema import Draft202012Validator

        self.doc = doc
        self.components = doc["components"]
        self._validators: dict[str, Any] = {}
        self._Validator = Draft202012Validator
        routes = []
        for path in doc["paths"]:
            # static segments before parameters, as the router tries them
            pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"
            key = [(1, "") if s.startswith("{") else (0, s) for s in path.strip("/").split("/")]
            routes.append((key, re.compile(pattern), path))
        self.routes = [(rx, path) for _, rx, path in sorted(routes, key=lambda r: r[0])]
        self.checked: list[str] = []

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        for rx, templ in self.routes:
            if rx.match(path):
                item = self.doc["paths"][templ]
                op = item.get(method.lower()) or (item.get("get") if method == "HEAD" else None)
                if op is not None:
                    return templ, op
        return None

    def _validator(self, schema: dict[str, Any]) -> Any:
        key = repr(schema)
        v = self._validators.get(key)
        if v is None:
            v = self._validators[key] = self._Validator({**schema, "components": self.components})
        return v

    def check(self, method: str, path: str, status: int, content_type: str, body: bytes) -> None:
        found = self.operation(method, path)
        if found is None or not content_type.startswith("application/json"):
            return
        templ, op = found
        import json

        data = json.loads(body)
        responses = op["responses"]
        documented = responses.get(str(status))
        if 200 <= status < 300:
            assert documented is not None, f"{method} {templ} answered {status}, which it does not document"
            content = documented.get("content", {}).get("application/json")
            if content is None:  # raw routes (openapi.json)
                return
            schema = content["schema"]
        else:
            schema = {"$ref": "#/components/schemas/ErrorEnvelope"}
        errors = sorted(self._validator(schema).iter_errors(data), key=lambda e: list(e.path))
        assert not errors, f"{method} {path} ({status}) does not match its OpenAPI schema: " + "; ".join(
            f"{list(e.path)}: {e.message}" for e in errors[:5]
        )
        self.checked.append(f"{method} {templ} {status}")


def checked_client(app: Any) -> Any:
    """A TestClient on http://127.0.0.1 (the Host guard's name) validating every response it gets."""
    import warnings

    with warnings.catch_warnings():  # starlette would rather have httpx2; httpx is what the project uses
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    client = TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=True)
    holder: dict[str, SchemaCheck] = {}

    def hook(response: Any) -> None:
        response.read()
        if "check" not in holder:
            holder["check"] = SchemaCheck(__import__("json").loads(app.state.openapi_bytes()))
        req = response.request
        holder["check"].check(
            req.method,
            req.url.path,
            response.status_code,
            response.headers.get("content-type", ""),
            response.content,
        )

    client.event_hooks = {"request": [], "response": [hook]}
    client.schema_check = holder  # type: ignore[attr-defined]
    return client


# ------------------------------------------------------------------ stores


def build_demo_store(home: Path) -> dict[str, Any]:
    """The demo store at NOW, plus what the demo lacks: notifications, sync history, 2nd-tier contacts, a
    manual note, a map token and a script token. Returns references to some of its rows."""
    from pcrm import clock
    from pcrm.domain.dates import parse_instant
    from pcrm.services import demo, interactions, notifications, settings, tokens
    from pcrm.services.context import open_context
    from pcrm.store import contact_bulk, sync_runs
    from pcrm.store.db import write
    from pcrm.store.rows import rows

    home.mkdir(parents=True, exist_ok=True)
    clock.set_now(parse_instant(NOW, field="now"))
    try:
        with open_context(home / "pcrm.db") as ctx:
            demo.build_demo(ctx)
            token = tokens.create_script_token(ctx, "api-b").data["token"]
            settings.set_setting(ctx, "map.mapbox_public_token", "pk.test-public-token")
            n1 = notifications.notify(ctx, "sync", "Telegram sync completed", "12 new messages", "/settings")
            notifications.notify(ctx, "suggestion", "3 new follow-up suggestions", None, "/suggestions")
            notifications.notify(
                ctx, "bio_change", "@ada updated their Twitter bio", "Ada changed their bio", "/contacts/x"
            )
            with write(ctx.conn):
                run = sync_runs.start(ctx.conn, "gmail", "scheduled", WEEK_AGO)
                sync_runs.finish(
                    ctx.conn,
                    run,
                    "success",
                    NOW,
                    created=4,
                    updated=2,
                    duration_ms=812,
                    details='{"threads": 6}',
                )
                run = sync_runs.start(ctx.conn, "telegram", "manual", WEEK_AGO)
                sync_runs.finish(ctx.conn, run, "failed", NOW, failed=1, error_message="flood wait")
                sync_runs.start(ctx.conn, "gmail", "manual", NOW)
            people = rows(
                ctx.conn,
                "SELECT uuid, full_name, company, organization_id FROM contacts "
                "WHERE priority_level != 'archived' AND organization_id IS NOT NULL "
                "ORDER BY id LIMIT 6",
            )
            second = [p["uuid"] for p in people[3:5]]
            with write(ctx.conn):
                contact_bulk.add_tags(
                    ctx.conn, list(contact_bulk.rowids_for_uuids(ctx.conn, second).values()), ["2nd tier"]
                )
            note = interactions.add_interaction(
                ctx, people[0]["uuid"], {"content_preview": "Lunch at the docks", "occurred_at": WEEK_AGO}
            ).data
            orgs = rows(ctx.conn, "SELECT uuid, name FROM organizations ORDER BY name_fold LIMIT 3")
            located = rows(
                ctx.conn, "SELECT uuid FROM contacts WHERE latitude IS NOT NULL ORDER BY id LIMIT 1"
            )
    finally:
        clock.set_now(None)
    return {
        "token": token,
        "contact": people[0]["uuid"],
        "contact_name": people[0]["full_name"],
        "other": people[1]["uuid"],
        "third": people[2]["uuid"],
        "second_tier": second[0],
        "note": note["id"],
        "notification": n1["id"],
        "org": orgs[0]["uuid"],
        "org_name": orgs[0]["name"],
        "org2": orgs[1]["uuid"],
        "org3": orgs[2]["uuid"],
        "located": located[0]["uuid"],
    }


@pytest.fixture(scope="session")
def demo_base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    home = tmp_path_factory.mktemp("demo") / "home"
    refs = build_demo_store(home)
    return home, refs


def copy_store(src: Path, dst: Path) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for f in src.iterdir():
        if f.is_file() and f.name.startswith("pcrm.db"):
            shutil.copy2(f, dst / f.name)
    secrets = src / "secrets.bin"
    if secrets.exists():
        shutil.copy2(secrets, dst / secrets.name)
    return dst


@pytest.fixture
def demo(
    demo_base: tuple[Path, dict[str, Any]], pcrm_home: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    """This test's own copy of the demo store as PCRM_HOME, with the clock at NOW."""
    home, refs = demo_base
    copy_store(home, pcrm_home)
    monkeypatch.setenv("PCRM_NOW", NOW)
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
    from pcrm.services.context import open_context

    with open_context() as ctx:
        token = tokens.create_script_token(ctx, "empty").data["token"]
    with checked_client(create_app()) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        yield client
