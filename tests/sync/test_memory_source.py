"""The memory source, the reference adapter, through the contract suite every adapter runs."""

from __future__ import annotations

from typing import Any

from pcrm.sync.memory import MemoryClient, MemorySource
from tests.sync.contract import SourceContract


class TestMemorySource(SourceContract):
    source_cls = MemorySource
    contacts = 40
    interactions = 230

    def make_client(self, *, fail_at: int | None = None) -> Any:
        client = MemoryClient.generate(self.contacts, self.interactions, seed=7, batch_size=50)
        client.fail_at = fail_at
        return client

    def grow(self, client: Any) -> int:
        start = len(client.interactions)
        for k in range(12):
            client.interactions.append(
                {
                    "contact": k % 5,
                    "id": f"new{k}",
                    "at": "2026-01-05T10:00:00.000Z",
                    "direction": "inbound",
                    "text": "hi",
                }
            )
        return len(client.interactions) - start
