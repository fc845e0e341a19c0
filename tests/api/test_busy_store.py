"""The daemon while another process writes to the store (a long `pcrm import`): a read answers, and a write
that waits out the lock (a write, or the first read of the day, which catches the scores up) is the CLI's
409 `conflict` "the store is busy" with its hint. Both were a 500 `internal` error: the token's last-used
stamp made every read wait on the lock, and the lane let the lock's BusyError through."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import apsw
import pytest

from tests.support.api import assert_error

V = "/api/v1"


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """A busy timeout of 50 ms, set before the app opens its connections: the refusal comes at once."""
    from pcrm.store import db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)


@pytest.fixture
def another_writer(pcrm_home: Path) -> Iterator[None]:
    other = apsw.Connection(str(pcrm_home / "pcrm.db"))
    other.execute("BEGIN IMMEDIATE")  # what `pcrm import` holds while it writes its batch
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_read_answers_while_another_process_writes(
    short_wait: None, empty_api: Any, pcrm_home: Path
) -> None:
    assert empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace"}).status_code == 201
    assert (
        empty_api.get(f"{V}/contacts").status_code == 200
    )  # the day's score catch-up done, as the daemon's jobs do
    other = apsw.Connection(str(pcrm_home / "pcrm.db"))
    # the token's stamp is due again (it is written at most once a minute)
    other.execute("UPDATE api_tokens SET last_used_at = '2000-01-01T00:00:00.000Z'")
    other.execute("BEGIN IMMEDIATE")
    try:
        r = empty_api.get(f"{V}/contacts")
        assert r.status_code == 200, r.text
        assert [c["full_name"] for c in r.json()["data"]] == ["Ada Lovelace"]
    finally:
        other.execute("ROLLBACK")
    # the stamp was skipped, not lost for good: the next request once the store is free writes it
    assert empty_api.get(f"{V}/contacts").status_code == 200
    stamped = other.execute("SELECT last_used_at FROM api_tokens").fetchall()
    other.close()
    assert stamped[0][0] != "2000-01-01T00:00:00.000Z"


def test_a_write_that_waits_out_the_lock_is_a_conflict_to_retry(
    short_wait: None, empty_api: Any, another_writer: None
) -> None:
    r = empty_api.post(f"{V}/contacts", json={"full_name": "Grace Hopper"})
    body = assert_error(r, "conflict", 409)
    assert body["error"]["message"].startswith("the store is busy")
    assert body["error"]["hint"].startswith("try again in a moment")
