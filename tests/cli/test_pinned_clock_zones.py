"""A pinned clock without a zone names one moment for every reader [pinned-clock]: the backups, the daemon's
start stamp and the sync adapters read $PCRM_NOW in the store's `timezone` setting, as the CLI's commands
do, not in the machine's zone. Here the machine is in Tokyo (UTC+9) and the store in New York (UTC-5 in
December): 09:00 there is 14:00Z, where Tokyo's reading would be 00:00Z."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from pcrm.services import settings, sync
from pcrm.services.context import Context
from tests.support.crm import Crm
from tests.sync.google_fake import FakeGoogle
from tests.sync.telegram.fake import logged_in, sample

PINNED = "2026-12-24T09:00"
IN_NEW_YORK = "2026-12-24T14:00:00.000Z"


@pytest.fixture(autouse=True)
def _tokyo_machine() -> Iterator[None]:
    """The machine's zone is Tokyo for the whole test."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TZ", "Asia/Tokyo")
        time.tzset()
        yield
    time.tzset()


@pytest.fixture
def ny(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> Crm:
    """The `crm` store with the `timezone` setting at New York and $PCRM_NOW at PINNED; a note added now is
    at the CLI's reading of it."""
    crm.cli("settings", "set", "timezone", "America/New_York")
    monkeypatch.setenv("PCRM_NOW", PINNED)
    crm.add("Ann Lee")
    crm.cli("note", "add", "Ann Lee", "hello")
    assert crm.sql("SELECT occurred_at FROM interactions") == [(IN_NEW_YORK,)]
    return crm


@pytest.fixture
def ny_ctx(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> Context:
    """A service context on a store with the `timezone` setting at New York and $PCRM_NOW at PINNED."""
    settings.set_setting(ctx, "timezone", "America/New_York")
    monkeypatch.setenv("PCRM_NOW", PINNED)
    return ctx


def test_backups_are_named_by_the_moment_the_cli_reads(ny: Crm) -> None:
    auto = ny.cli.json("db", "backup")["data"]["path"]
    assert auto.endswith("/pcrm-20261224-140000-manual.db")
    into = ny.home / "elsewhere"
    into.mkdir()
    assert ny.cli.json("db", "backup", str(into))["data"]["path"].endswith("/pcrm-20261224-140000.db")


def test_the_daemon_start_stamp_is_the_moment_the_cli_reads(ny: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    import anyio
    import uvicorn
    from asgi_lifespan import LifespanManager

    from pcrm.daemon import runstate

    apps: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: apps.append(self.config.app))
    ny.cli("serve", "--port", "9", ok=False)  # run() returned at once: the app is entered below

    async def started_at() -> Any:
        async with LifespanManager(apps[0]):
            state = runstate.read()
            return state and state["started_at"]

    assert anyio.run(started_at) == IN_NEW_YORK


def test_the_google_calendar_window_is_counted_from_the_moment_the_cli_reads(ny_ctx: Context) -> None:
    fake = FakeGoogle()
    fake.mailbox("me@example.com")
    sync.run(ny_ctx, "google_calendar", client=fake.client())
    events = [
        urlparse(c.split(" ", 1)[1]) for c in fake.calls if "/calendar/v3/calendars/primary/events" in c
    ]
    assert events and parse_qs(events[0].query)["timeMax"] == ["2027-01-23T14:00:00Z"]  # 30 days ahead


def test_the_telegram_groups_check_is_stamped_with_the_moment_the_cli_reads(ny_ctx: Context) -> None:
    sync.run(ny_ctx, "telegram", client=logged_in(sample(12, 6)))
    (cursor,) = ny_ctx.conn.execute("SELECT cursor FROM sync_cursors WHERE source = 'telegram'").fetchone()
    assert json.loads(cursor)["groups_at"] == IN_NEW_YORK
