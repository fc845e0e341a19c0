"""Fuzzing: schemathesis over the OpenAPI document that `pcrm serve` serves, against a throwaway demo store.

Every wired operation is called with generated inputs (a bounded, derandomised number of examples, so a CI
run is reproducible and stays under a minute), authenticated with a script token. Checks: no 5xx, the
status is documented, the content type and the body match the schema. Operations that answer 501 by
design are left out (they are covered by tests/api/test_routes.py), and so are the destructive ones:
DELETE /auth/me (wipes the store and the secrets) and DELETE /contacts/2nd-tier.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# CI runs a fixed, bounded set; PCRM_FUZZ_EXAMPLES=200 PCRM_FUZZ_RANDOM=1 explores further by hand
MAX_EXAMPLES = int(os.environ.get("PCRM_FUZZ_EXAMPLES", "12"))
DERANDOMIZE = not os.environ.get("PCRM_FUZZ_RANDOM")
DESTRUCTIVE = {("DELETE", "/api/v1/auth/me"), ("DELETE", "/api/v1/contacts/2nd-tier")}
# routes whose answer is a service this run does not start (the WhatsApp sidecar: 502 by design); they are
# exercised against a fake sidecar in tests/api/test_whatsapp.py
UPSTREAM = {
    ("POST", "/api/v1/auth/whatsapp/connect"),
    ("GET", "/api/v1/auth/whatsapp/qr"),
    ("GET", "/api/v1/auth/whatsapp/status"),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pcrm(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "pcrm", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """`pcrm serve` on a fresh 60-contact demo store, and a script token for it."""
    home = tmp_path_factory.mktemp("fuzz") / "home"
    env = {
        **os.environ,
        "PCRM_HOME": str(home),
        "PCRM_SECRETS_BACKEND": "file",
        "NO_COLOR": "1",
        "PCRM_NOW": "2025-06-01T12:00:00Z",
    }
    env.pop("PCRM_SECRET_KEY", None)
    _pcrm(env, "demo", "--contacts", "60")
    token = _pcrm(env, "token", "create", "fuzz").strip()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(home.parent / "serve.log", "w+")  # noqa: SIM115 - outlives the yield; closed in `finally`
    proc = subprocess.Popen(
        [sys.executable, "-m", "pcrm", "serve", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/api/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert proc.poll() is None, "pcrm serve exited early: " + Path(log.name).read_text()
            assert time.monotonic() < deadline, "pcrm serve did not answer within 30 s"
            time.sleep(0.2)
        yield {"base": base, "token": token, "log": Path(log.name)}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def api_schema(served: dict[str, Any]) -> Any:
    return schemathesis.openapi.from_url(served["base"] + "/api/v1/openapi.json")


@pytest.fixture(scope="module")
def real_ids(served: dict[str, Any]) -> dict[str, str]:
    """Ids that exist in the served store, so generated requests also reach past the 404s."""
    import json

    def get(path: str) -> Any:
        req = urllib.request.Request(
            served["base"] + "/api/v1" + path, headers={"Authorization": f"Bearer {served['token']}"}
        )
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())["data"]

    contacts = get("/contacts?sort=interaction&page_size=5")
    timeline = get(f"/contacts/{contacts[0]['id']}/interactions?limit=1")
    orgs = get("/organizations?page_size=1")
    return {
        "contact_id": contacts[0]["id"],
        "other_id": contacts[1]["id"],
        "org_id": orgs[0]["id"],
        "interaction_id": timeline[0]["id"],
    }


def _fuzzed_ops() -> list[Any]:
    from pcrm.api.routes import all_ops

    return [
        pytest.param(o.method, o.full_path, id=f"{o.method} {o.full_path}")
        for o in all_ops()
        if o.implemented and o.raw is None and (o.method, o.full_path) not in DESTRUCTIVE | UPSTREAM
    ]


@pytest.mark.parametrize(("method", "path"), _fuzzed_ops())
def test_no_server_errors_and_no_schema_violations(
    method: str, path: str, api_schema: Any, served: dict[str, Any], real_ids: dict[str, str]
) -> None:
    from hypothesis import given
    from hypothesis import strategies as st
    from schemathesis import GenerationMode

    operation = api_schema[path][method]
    known = {k: v for k, v in real_ids.items() if "{" + k + "}" in path}
    strategies = [operation.as_strategy(mode) for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)]
    if known:
        strategies.append(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=known))
    headers = {"Authorization": f"Bearer {served['token']}"}

    @given(case=st.one_of(strategies))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=DERANDOMIZE,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(
            base_url=served["base"],
            headers=headers,
            checks=[
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
            ],
        )

    run()


def test_the_fuzzer_sees_every_wired_operation(api_schema: Any) -> None:
    """Only the 501s, the raw routes (OpenAPI document, docs page), the two destructive operations and the
    sidecar's routes are left out, and the served document has every wired operation."""
    from pcrm.api.routes import all_ops

    fuzzed = {(p.values[0], p.values[1]) for p in _fuzzed_ops()}
    wired = {(o.method, o.full_path) for o in all_ops() if o.implemented and o.raw is None}
    assert wired - fuzzed == DESTRUCTIVE | UPSTREAM
    for method, path in fuzzed:
        assert api_schema[path][method] is not None
