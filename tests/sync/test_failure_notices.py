"""A sync that keeps failing the same way is reported once [sync-engine]: the daemon retries a failed sync
job at every tick ([scheduled-jobs]), so an X that does not answer (a laptop offline, an outage) posted
'X (Twitter) sync failed' once a minute, 1,440 notifications a day. Every run is still in the history."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from pcrm.services import jobs
from pcrm.services.context import open_context
from pcrm.sync.x import tokens as xtokens
from tests.support.cli import Cli
from tests.sync.x.fake import ME, FakeX, XWorld, sample


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeX]:
    f = FakeX(sample(XWorld(page_size=7), 2, 2))
    monkeypatch.setenv("PCRM_X_CLIENT_ID", "client-1")
    yield f
    f.close()


def _closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"  # nothing listens there once closed


def _tick(monkeypatch: pytest.MonkeyPatch, minute: int) -> None:
    monkeypatch.setenv("PCRM_NOW", f"2026-06-01T10:{minute:02d}:00Z")
    with open_context() as ctx:
        jobs.run_due(ctx)


def _notices(cli: Cli) -> list[str]:
    """The sync notifications' titles, newest first."""
    return [
        n["title"] for n in cli.json("notifications", "--all")["data"] if n["notification_type"] == "sync"
    ]


def test_the_same_failure_at_every_retry_is_notified_once(
    cli: Cli, fake: FakeX, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("init")
    w = fake.world
    xtokens.save_tokens(w.access, w.refresh, time.time() + 7200, {"id": ME, "username": "ada"})
    monkeypatch.setenv("PCRM_X_API_URL", _closed_port())
    for minute in range(5):  # the daemon's tick, once a minute: the failed job is due again each time
        _tick(monkeypatch, minute)
    history = cli.json("sync", "history")["data"]
    assert [r["status"] for r in history] == ["failed"] * 5  # each retry is in the history
    assert _notices(cli) == ["X (Twitter) sync failed"]
    # another failure is news
    w.fail_page_at = w.page_requests
    monkeypatch.setenv("PCRM_X_API_URL", fake.url)
    _tick(monkeypatch, 5)
    assert _notices(cli) == ["X (Twitter) sync failed"] * 2
    # it works again, then fails again: both are said
    _tick(monkeypatch, 6)
    monkeypatch.setenv("PCRM_X_API_URL", _closed_port())
    monkeypatch.setenv("PCRM_NOW", "2026-06-01T10:07:00Z")
    cli("sync", "twitter", ok=False)
    failed, completed = "X (Twitter) sync failed", "X (Twitter) sync completed"
    assert _notices(cli) == [failed, completed, failed, failed]  # newest first
