"""`pcrm sync --all` end to end over the fake X API (tests/sync/x/fake.py): each source's line says what
the run brought, and a run that stopped half-way is reported as the partial run it is recorded as, with
its id [sync-engine]."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from pcrm.sync.x import tokens as xtokens
from tests.support.cli import Cli
from tests.sync.x.fake import ME, FakeX, XWorld, sample


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeX]:
    f = FakeX(sample(XWorld(page_size=7), 6, 5))
    monkeypatch.setenv("PCRM_X_CLIENT_ID", "client-1")
    monkeypatch.setenv("PCRM_X_API_URL", f.url)
    yield f
    f.close()


def _connect(cli: Cli, fake: FakeX) -> None:
    cli("init")
    w = fake.world
    xtokens.save_tokens(w.access, w.refresh, time.time() + 7200, {"id": ME, "username": "ada"})


def test_a_run_that_stopped_half_way_is_partial_with_its_id_and_what_it_kept(cli: Cli, fake: FakeX) -> None:
    _connect(cli, fake)
    fake.world.fail_page_at = 3  # X answers 500 to the 4th page: three pages of DMs are written first
    result = cli("sync", "--all", "--json", ok=False)  # exits 1, and still says how each source went
    data = json.loads(result.stdout)["data"]["twitter"]
    history = cli.json("sync", "history")["data"]
    assert [h["status"] for h in history] == ["partial"]
    assert data["status"] == "partial" and data["task_id"] == history[0]["id"]
    assert data["contacts_created"] == 6 and data["interactions_created"] > 0
    assert "stopped" in data["error"] and "500" in data["error"]
    # the text says so too, and where to see the run
    fake.world.fail_page_at = fake.world.page_requests + 1
    text = cli("sync", "--all", ok=False).stdout
    run = cli.json("sync", "history")["data"][0]
    assert run["status"] == "partial"
    assert "twitter: partial: X (Twitter) sync stopped" in text
    assert f"pcrm sync status {run['id'][:8]}" in text


def test_each_source_says_what_it_brought(cli: Cli, fake: FakeX) -> None:
    _connect(cli, fake)
    first = cli.json("sync", "--all")["data"]["twitter"]
    run = cli.json("sync", "history")["data"][0]
    assert first == {
        "status": "success",
        "task_id": run["id"],
        "contacts_created": 6,
        "contacts_updated": 0,
        "contacts_unchanged": 0,
        "interactions_created": 33,
        "interactions_known": 0,
    }
    fake.world.dm("2001", "one more")  # its sender, sent again with it, is there as they were
    said = cli("sync", "--all").stdout
    assert said == "twitter: 0 new contacts, 0 updated, 1 unchanged, 1 new interaction\n", said
