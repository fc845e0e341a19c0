"""The fake Telegram account every test of this package talks to."""

from __future__ import annotations

import pytest

from pcrm.sync.telegram import client as tgclient
from pcrm.sync.telegram import source as tg_source
from tests.sync.telegram.fake import Account, FakeTelegramClient, sample


@pytest.fixture
def account(monkeypatch: pytest.MonkeyPatch) -> Account:
    """The fake account every Telegram client of the test talks to (an API id and hash are set)."""
    a = sample(12, 6)
    monkeypatch.setenv(tgclient.ENV_API_ID, "1")
    monkeypatch.setenv(tgclient.ENV_API_HASH, "x")
    monkeypatch.setattr(
        tgclient, "telethon_client", lambda session, api_id, api_hash: FakeTelegramClient(a, session)
    )
    monkeypatch.setattr(tg_source, "DIALOGS_PER_BATCH", 5)
    monkeypatch.setattr(tg_source, "PACE", (0.0, 0.0))
    return a
