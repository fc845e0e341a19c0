"""Real-time WhatsApp webhooks arriving together are written together [webhook-coalescing]: one
transaction and one `webhook` sync-history row for the group, while every call still gets its own answer
(its counts, its errors, its status), a forged call is refused alone, and a call whose write fails does
not take the others' writes with it."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from tests.api.test_whatsapp import HOOK, SECRET, realtime, sign, stored

pytestmark = pytest.mark.anyio


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCRM_NOW", "2025-03-01T12:00:00Z")


@pytest.fixture
def secret(pcrm_home: Any) -> str:
    from pcrm import secrets

    secrets.put("whatsapp.webhook_secret", SECRET)
    return SECRET


async def _send(client: Any, bodies: list[Any], forged: frozenset[int] = frozenset()) -> list[Any]:
    async def one(i: int, body: Any) -> Any:
        raw = json.dumps(body).encode()
        sig = "0" * 64 if i in forged else sign(raw)
        return await client.post(
            HOOK, content=raw, headers={"Content-Type": "application/json", "X-Webhook-Signature": sig}
        )

    return await asyncio.gather(*(one(i, b) for i, b in enumerate(bodies)))


def _number(i: int) -> str:
    return f"1202555{i % 5:04d}@c.us"


async def test_calls_arriving_together_are_one_write_with_an_answer_each(client: Any, secret: str) -> None:
    bodies: list[Any] = [
        realtime(f"m{i}", number=_number(i), sender_name=f"Person {i % 5}") for i in range(20)
    ]
    bodies[7] = {**realtime("m7"), "from": "nobody"}  # malformed: its own error
    answers = await _send(client, bodies, forged=frozenset({3}))
    assert answers[3].status_code == 401  # refused alone, before its body is read
    assert [(i, a.status_code) for i, a in enumerate(answers) if a.status_code != 200] == [(3, 401)], [
        a.text for a in answers
    ]
    ok = [a.json()["data"] for i, a in enumerate(answers) if i != 3]
    assert ok[6]["errors"] == [  # call 7
        "message: from (or phone) must be a WhatsApp number such as 12025550123@c.us"
    ]
    assert sum(d["interactions_created"] for d in ok) == 18
    assert sum(d["contacts_created"] for d in ok) == 5  # five numbers, each created once
    assert all(d["errors"] == [] for k, d in enumerate(ok) if k != 6)
    people, msgs, runs = stored()
    assert len(people) == 5 and len(msgs) == 18
    assert "whatsapp:m3" not in {m[2] for m in msgs}
    assert 1 <= len(runs) < 18  # written in groups, not a transaction per call
    # replayed together: nothing new, every call told so
    again = await _send(client, [b for i, b in enumerate(bodies) if i not in (3, 7)])
    assert [a.json()["data"]["interactions_created"] for a in again] == [0] * 18
    assert len(stored()[1]) == 18


async def test_a_call_whose_write_fails_leaves_the_others_written(
    client: Any, secret: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcrm.services import push

    real = push._write

    def fragile(ctx: Any, source: str, parsed: Any) -> Any:
        if any((it.content_preview or "").endswith("boom") for it in parsed.records.interactions):
            raise RuntimeError("a write that fails")
        return real(ctx, source, parsed)

    monkeypatch.setattr(push, "_write", fragile)
    bodies = [realtime(f"k{i}", number=_number(i), body="boom" if i == 4 else f"fine {i}") for i in range(10)]
    answers = await _send(client, bodies)
    assert answers[4].status_code == 500
    assert [a.status_code for i, a in enumerate(answers) if i != 4] == [200] * 9
    assert sorted(m[2] for m in stored()[1]) == sorted(f"whatsapp:k{i}" for i in range(10) if i != 4)


async def test_a_written_group_is_one_batch_that_undo_reverts(client: Any, secret: str) -> None:
    from pcrm.services.imports import batches
    from tests.support.api import ctx

    bodies = [realtime(f"u{i}", number=_number(i)) for i in range(12)]
    answers = await _send(client, bodies)
    assert sum(a.json()["data"]["interactions_created"] for a in answers) == 12
    with ctx() as c:
        made = batches.history(c).data
        assert 1 <= len(made) < 12 and all(b["source"] == "whatsapp" for b in made)
        for b in made:
            batches.undo(c, b["id"])
    assert stored()[:2] == ([], [])  # the contacts the groups created and their messages are gone
