"""X not answering, at the wire: a port nothing listens on, a server that speaks no TLS, one that never
answers. The error says why in words (connection refused, a TLS failure, timed out), never an exception
class name, both for the API requests (`XClient`) and for the token refresh (`tokens.py`)."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from pcrm.sync.base import SourceError
from pcrm.sync.x import tokens as xtokens
from pcrm.sync.x.client import XClient
from pcrm.sync.x.tokens import StaticTokens
from tests.support import http_fake
from tests.sync.x.fake import ME, FakeX


@pytest.fixture
def closed_port() -> int:
    """A port of 127.0.0.1 nothing listens on (bound, then let go)."""
    return http_fake.closed_port()


@pytest.fixture
def silent() -> Iterator[str]:
    """The URL of a server that accepts connections and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def _sync(cli: Any, monkeypatch: pytest.MonkeyPatch, api: str, *, expires_in: float) -> Any:
    """`pcrm sync twitter` against `api`, connected with an access token expiring in `expires_in` s."""
    monkeypatch.setenv("PCRM_X_CLIENT_ID", "client-1")
    monkeypatch.setenv("PCRM_X_API_URL", api)
    cli("init")
    xtokens.save_tokens("access-0", "refresh-0", time.time() + expires_in, {"id": ME, "username": "ada"})
    return cli("sync", "twitter", ok=False)


@pytest.mark.parametrize("expires_in", [7200, 0], ids=["api-request", "token-refresh"])
def test_nothing_listening_is_connection_refused(
    cli: Any, monkeypatch: pytest.MonkeyPatch, closed_port: int, expires_in: float
) -> None:
    r = _sync(cli, monkeypatch, f"http://127.0.0.1:{closed_port}", expires_in=expires_in)
    assert "X is not answering: connection refused" in r.stderr
    assert "Error" not in r.stdout + r.stderr  # ConnectError, the class name it said before


@pytest.mark.parametrize("expires_in", [7200, 0], ids=["api-request", "token-refresh"])
def test_a_server_without_tls_is_a_tls_failure(
    cli: Any, monkeypatch: pytest.MonkeyPatch, expires_in: float
) -> None:
    fake = FakeX()  # plain HTTP, asked for https
    try:
        r = _sync(cli, monkeypatch, fake.url.replace("http:", "https:"), expires_in=expires_in)
    finally:
        fake.close()
    assert "X is not answering: TLS failure" in r.stderr
    assert "Error" not in r.stdout + r.stderr


def test_a_server_that_never_answers_timed_out(silent: str) -> None:
    client = XClient(silent, StaticTokens("access-0", ME), timeout=0.3)
    with pytest.raises(SourceError) as e:
        client.get("/2/users/me")
    client.close()
    assert e.value.message == "X is not answering: timed out (no answer within 0.3 s)"
