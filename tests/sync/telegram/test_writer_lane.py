"""[prepare-off-lane] for Telegram: a per-contact sync asks Telegram while the daemon's writer lane is held by
another job, and only its write waits for the lane (the order is asserted, nothing is timed)."""

from __future__ import annotations

import threading
import time
from typing import Any

from tests.support.api import V, ok
from tests.support.cli import Cli
from tests.sync.telegram.fake import Account
from tests.sync.telegram.test_profiles_and_sending import _contact, connected  # noqa: F401 (fixture)

WAIT_S = 20  # a safety net against a hung test


def test_a_per_contact_sync_asks_telegram_while_the_writer_lane_is_busy(
    connected: Account,  # noqa: F811
    cli: Cli,
    empty_api: Any,
) -> None:
    cli.json("sync", "telegram")
    p3 = _contact(cli, "@person3")
    connected.say(2003, "are you around next week?")
    ok(empty_api.post(f"{V}/contacts", json={"full_name": "Someone"}), 201)  # the lane is up
    rt = empty_api.app.state.pcrm
    held, release = threading.Event(), threading.Event()

    def hold() -> None:  # an import, say, holding the one writer
        held.set()
        release.wait(WAIT_S)

    busy = rt._lane.submit(hold)
    answer: dict[str, Any] = {}
    try:
        assert held.wait(WAIT_S)
        before = sum(connected.calls.values())
        t = threading.Thread(
            target=lambda: answer.setdefault("r", empty_api.post(f"{V}/contacts/{p3['id']}/sync-telegram"))
        )
        t.start()
        for _ in range(WAIT_S * 10):  # at most half the hold: a bound, not a timing
            if sum(connected.calls.values()) > before:
                break
            time.sleep(0.05)
        asked = sum(connected.calls.values()) > before
        assert "r" not in answer  # its write still waits for the lane
    finally:
        release.set()
        busy.result(WAIT_S)
    t.join(WAIT_S)
    assert asked, "Telegram was not asked while the lane was held"
    assert ok(answer["r"])["data"] == {"new_interactions": 1, "skipped": False}
