"""A job that fails the same way at every tick is logged once [scheduled-jobs]: with X's tokens stored but
not the app's client id that refreshes them, the daemon's log said "job sync:twitter failed: the X OAuth
client id is not configured" (and a "jobs tick: ... failed" line) every minute, forever. It is said once,
again when the error changes, and its recovery is said; `pcrm auth x --status` and `pcrm sync status`,
which said "connected", say what is missing and how to set it."""

from __future__ import annotations

import logging
import socket
import threading
import time

import pytest

from pcrm.daemon import scheduler
from pcrm.paths import db_path
from pcrm.sync.x import tokens as xtokens
from tests.support.cli import Cli

MISSING = "the X OAuth client id is not configured"


def _ticks(n: int, caplog: pytest.LogCaptureFixture) -> list[str]:
    """The daemon's tick (the function its scheduler calls every minute), n times: the lines it logged."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="pcrm"):
        for _ in range(n):
            scheduler.tick(db_path(), threading.Event())
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]


def test_x_without_a_client_id_is_said_once_and_its_status_says_what_is_missing(
    cli: Cli, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PCRM_X_CLIENT_ID", raising=False)
    cli("init")
    xtokens.save_tokens("access", "refresh", time.time() + 7200, {"id": "1", "username": "ada"})

    said = cli("auth", "x", "--status")
    assert said.stdout.strip() == f"X: connected, but it cannot sync: {MISSING}", said.stdout
    assert said.stderr.strip().startswith("hint: pcrm settings set twitter.client_id ID"), said.stderr
    assert cli.json("auth", "x", "--status")["meta"]["unready"]["error"] == MISSING
    row = next(
        line for line in cli("sync", "status", "--format", "plain").stdout.splitlines() if "twitter" in line
    )
    assert f"connected, cannot sync: {MISSING} (pcrm settings set twitter.client_id ID" in row, row

    lines = _ticks(1, caplog)  # the first tick also runs the day's other jobs
    failing = [line for line in lines if line.startswith("job sync:twitter")]
    assert len(failing) == 1 and MISSING in failing[0], lines
    assert not [line for line in _ticks(3, caplog) if "sync:twitter" in line]  # was a warning a minute
    # another error is news: said once too
    monkeypatch.setenv("PCRM_X_CLIENT_ID", "client-1")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"  # nothing listens there once closed
    monkeypatch.setenv("PCRM_X_API_URL", closed)
    failing = [line for line in _ticks(3, caplog) if "sync:twitter" in line]
    assert len(failing) == 1 and MISSING not in failing[0] and "failed" in failing[0], failing
    assert cli("auth", "x", "--status").stdout.strip() == "X: connected"
