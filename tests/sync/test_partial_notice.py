"""A sync that wrote batches and then failed is partial, and its notification says so [sync-engine]: the
spec names a failure's notification "{Platform} sync failed" (kept), but its body said "Sync failed: ..."
alone, as if nothing had come in, while the run's committed batches stayed and the next run resumes."""

from __future__ import annotations

import pytest

from pcrm.domain.sources import HIDDEN_ENV
from pcrm.errors import PcrmError
from pcrm.services import sync
from pcrm.services.context import Context
from pcrm.sync.memory import MemoryClient
from tests.support.cli import Cli


def _sync_notices(cli: Cli) -> list[tuple[str, str]]:
    return [
        (n["title"], n["body"])
        for n in cli.json("notifications", "--all")["data"]
        if n["notification_type"] == "sync"
    ]


def test_a_partial_run_is_notified_as_partial_with_what_it_kept(
    ctx: Context, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(HIDDEN_ENV, "1")
    client = MemoryClient.generate(1, 10, batch_size=1)
    client.fail_at = 3  # the person, two messages, then the source fails
    with pytest.raises(PcrmError) as failed:
        sync.run(ctx, "memory", client=client)
    assert failed.value.details["status"] == "partial"
    assert _sync_notices(cli) == [
        (
            "Memory (tests) sync failed",
            (
                "Sync stopped partway: the memory source failed (fail_at). Kept what came before: "
                "1 new contact, 0 updated, 2 new interactions. The next sync goes on from there."
            ),
        )
    ]
    client.fail_at = None
    sync.run(ctx, "memory", client=client)  # the rest; a clean run says what it brought, counted
    assert _sync_notices(cli)[0] == (  # the person each batch of messages sends again is there already
        "Memory (tests) sync completed",
        "0 new contacts, 0 updated, 1 unchanged, 8 new interactions",
    )
