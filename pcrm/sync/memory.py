"""The memory source: the reference implementation of the source contract (base.py), for the tests, the
contract suite every adapter's tests run, and the benchmarks. Hidden from users unless
PCRM_ENABLE_TEST_SOURCES=1 ([source-registry]).

Its client holds people and messages in memory. `pcrm sync memory` builds one from $PCRM_MEMORY_SOURCE:
`generate:CONTACTS:INTERACTIONS[:SEED[:BATCH]]` (a deterministic generated set, BATCH items a batch) or the
path of a JSON file `{"contacts": [...], "interactions": [...]}` in the client's own shapes (see
`MemoryClient`). $PCRM_MEMORY_PAUSE (seconds) makes each batch that long in coming, as a slow network
would: a run a test can stop in the middle of (the daemon's shutdown).

The cursor is `c=<next contact>;i=<next interaction>`: people first, then messages, each batch at most
`batch_size` items; a batch of messages carries the records of the people it mentions, as a chat source
sends the person with the chat.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pcrm.domain.records import ContactRecord, InteractionRecord, Records
from pcrm.domain.sources import source
from pcrm.sync.base import Batch, Source, SourceError

ENV = "PCRM_MEMORY_SOURCE"
PAUSE_ENV = "PCRM_MEMORY_PAUSE"
_GIVEN = [
    "Ada",
    "Alan",
    "Grace",
    "Linus",
    "Barbara",
    "Ken",
    "Margaret",
    "Dennis",
    "Radia",
    "Edsger",
    "Frances",
    "Donald",
    "Hedy",
    "Claude",
    "Sophie",
]
_FAMILY = [
    "Lovelace",
    "Turing",
    "Hopper",
    "Torvalds",
    "Liskov",
    "Thompson",
    "Hamilton",
    "Ritchie",
    "Perlman",
    "Dijkstra",
    "Allen",
    "Knuth",
]
_BASE = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass
class MemoryClient:
    """People and messages a test or benchmark puts in.

    `contacts`: contact input dicts (`ContactRecord.data`; give each an email or platform id so later
    batches find the person again). `interactions`: `{"contact": index into contacts, "id": unique
    message id, "at": canonical UTC time, "direction": "inbound"|"outbound", "text": str | None}`.
    Append to either between syncs to play new data arriving. `fail_at`: raise a SourceError when asked
    for the batch of that ordinal (0-based, counted over the client's life), to play a source failing
    mid-run; `fetched` counts the batches handed out."""

    contacts: list[dict[str, Any]] = field(default_factory=list)
    interactions: list[dict[str, Any]] = field(default_factory=list)
    batch_size: int = 500
    fail_at: int | None = None
    fetched: int = 0
    pause: float = 0.0  # seconds before each batch is handed out

    @classmethod
    def generate(
        cls, contacts: int, interactions: int, *, seed: int = 1, batch_size: int = 500
    ) -> MemoryClient:
        rng = random.Random(seed)
        people = [
            {
                "full_name": f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}",
                "emails": [f"person{i}@memory.example"],
                "company": rng.choice(("", "Analytical Engines", "Bletchley", "Bell Labs", "")),
            }
            for i in range(contacts)
        ]
        span = 700 * 24 * 3600
        msgs = [
            {
                "contact": rng.randrange(contacts),
                "id": f"m{i}",
                "at": (_BASE + timedelta(seconds=rng.randrange(span))).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "direction": rng.choice(("inbound", "outbound")),
                "text": f"message {i}",
            }
            for i in range(interactions if contacts else 0)
        ]
        return cls(people, msgs, batch_size=batch_size)

    @classmethod
    def from_env(cls) -> MemoryClient:
        spec = os.environ.get(ENV, "").strip()
        if not spec:
            raise SourceError(
                "the memory source has no data",
                hint=f"set {ENV}=generate:CONTACTS:INTERACTIONS[:SEED] or the path of a JSON file",
            )
        if spec.startswith("generate:"):
            try:
                nums = [int(x) for x in spec.split(":")[1:]]
                made = cls.generate(
                    nums[0],
                    nums[1],
                    seed=nums[2] if len(nums) > 2 else 1,
                    batch_size=nums[3] if len(nums) > 3 else 500,
                )
                made.pause = float(os.environ.get(PAUSE_ENV) or 0)
                return made
            except (ValueError, IndexError):
                raise SourceError(
                    f"{ENV}={spec!r} is not generate:CONTACTS:INTERACTIONS[:SEED[:BATCH]]",
                    hint=f"e.g. {ENV}=generate:200:1000",
                ) from None
        from pcrm.serialize import loads

        try:
            data = loads(Path(spec).expanduser().read_bytes())
        except (OSError, ValueError) as exc:
            raise SourceError(f"cannot read {spec}: {exc}", hint="give a JSON file or generate:N:M") from None
        return cls(list(data.get("contacts") or []), list(data.get("interactions") or []))

    def take(self) -> None:
        """Hand out one batch (raises at `fail_at`), after `pause` seconds."""
        if self.pause > 0:
            time.sleep(self.pause)
        if self.fail_at is not None and self.fetched == self.fail_at:
            self.fetched += 1
            raise SourceError("the memory source failed (fail_at)", hint="a test asked it to")
        self.fetched += 1


def _parse_cursor(cursor: str | None) -> tuple[int, int]:
    if not cursor:
        return 0, 0
    try:
        parts = dict(p.split("=", 1) for p in cursor.split(";"))
        return int(parts["c"]), int(parts["i"])
    except (ValueError, KeyError):
        return 0, 0  # a cursor from another version: start over (idempotent writes make it safe)


class MemorySource(Source):
    spec = source("memory")
    capabilities = frozenset({"contacts", "interactions"})
    client: MemoryClient

    @classmethod
    def connect(cls, secrets: Mapping[str, str], settings: Mapping[str, Any]) -> MemoryClient:
        return MemoryClient.from_env()

    def fetch(self, cursor: str | None) -> Iterator[Batch]:
        c = self.client
        ci, ii = _parse_cursor(cursor)
        total = len(c.contacts) + len(c.interactions)
        size = max(1, c.batch_size)
        while ci < len(c.contacts):
            c.take()
            recs = [
                ContactRecord(row=k + 1, data=dict(c.contacts[k]))
                for k in range(ci, min(ci + size, len(c.contacts)))
            ]
            ci += len(recs)
            yield Batch(Records(contacts=recs), f"c={ci};i={ii}", done=ci + ii, total=total)
        while ii < len(c.interactions):
            c.take()
            chunk = c.interactions[ii : ii + size]
            people: dict[int, int] = {}
            records = Records()
            for k, m in enumerate(chunk):
                who = int(m["contact"])
                if who not in people:
                    people[who] = len(records.contacts)
                    records.contacts.append(
                        ContactRecord(row=ii + k + 1, data=dict(c.contacts[who]), create=False)
                    )
                records.interactions.append(
                    InteractionRecord(
                        row=ii + k + 1,
                        contact=people[who],
                        platform=self.spec.platform,
                        direction=m.get("direction") or "inbound",
                        occurred_at=m["at"],
                        raw_reference_id=f"memory:{m['id']}",
                        content_preview=m.get("text"),
                    )
                )
            ii += len(chunk)
            yield Batch(records, f"c={ci};i={ii}", done=ci + ii, total=total)
