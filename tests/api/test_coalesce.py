"""The webhook coalescer [webhook-coalescing] never leaves a caller waiting: however its drain ends
(cancelled while it waits for companions or while it writes, or `run_many` answering the wrong number of
calls), every call it had taken and every call still queued gets an error, and the next call still works."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from pcrm.api.coalesce import Coalescer
from pcrm.errors import PcrmError

GUARD = 10  # seconds: only so that a regression fails instead of hanging the suite


class Lane:
    """The runtime's writer lane, in the loop: `run` calls `fn(None)`, after `gate` opens if one is set."""

    def __init__(self) -> None:
        self.gate: asyncio.Event | None = None
        self.entered = asyncio.Event()

    async def run(self, fn: Callable[[Any], Any]) -> Any:
        self.entered.set()
        if self.gate is not None:
            await self.gate.wait()
        return fn(None)


def _twice(ctx: Any, items: list[int]) -> list[Any]:
    return [i * 2 for i in items]


async def _settled(calls: list[asyncio.Task[Any]]) -> list[Any]:
    return await asyncio.wait_for(asyncio.gather(*calls, return_exceptions=True), GUARD)


def test_a_drain_cancelled_while_it_waits_answers_every_queued_call() -> None:
    async def main() -> None:
        c = Coalescer(_twice, max_wait=60)
        lane = Lane()
        first = asyncio.create_task(c.submit(lane, 1))
        await asyncio.sleep(0)  # the drain starts and waits for companions
        assert c._task is not None
        second = asyncio.create_task(c.submit(lane, 2))
        await asyncio.sleep(0)
        c._task.cancel()
        got = await _settled([first, second])
        assert all(isinstance(g, PcrmError) for g in got), got
        assert not lane.entered.is_set()
        # the coalescer still works afterwards
        c.max_wait = 0
        assert await asyncio.wait_for(c.submit(lane, 5), GUARD) == 10

    asyncio.run(main())


def test_a_drain_cancelled_while_it_writes_answers_the_round_and_the_queue() -> None:
    async def main() -> None:
        c = Coalescer(_twice, max_wait=0, max_items=2)
        lane = Lane()
        lane.gate = asyncio.Event()  # never opened: the write hangs until cancelled
        calls = [asyncio.create_task(c.submit(lane, i)) for i in range(3)]
        await asyncio.wait_for(lane.entered.wait(), GUARD)  # two taken, one still queued
        assert c._task is not None
        c._task.cancel()
        got = await _settled(calls)
        assert all(isinstance(g, PcrmError) for g in got), got

    asyncio.run(main())


@pytest.mark.parametrize("answers", [[], [1, 2, 3, 4]])
def test_run_many_answering_the_wrong_number_of_calls_fails_each_call(answers: list[int]) -> None:
    async def main() -> None:
        c = Coalescer(lambda ctx, items: answers, max_wait=0)
        lane = Lane()
        lane.gate = asyncio.Event()
        calls = [asyncio.create_task(c.submit(lane, i)) for i in range(3)]
        await asyncio.wait_for(lane.entered.wait(), GUARD)
        lane.gate.set()
        got = await _settled(calls)
        assert all(isinstance(g, PcrmError) and "answered" in str(g) for g in got), got

    asyncio.run(main())


def test_each_call_still_gets_its_own_answer_or_error() -> None:
    def some_fail(ctx: Any, items: list[int]) -> list[Any]:
        return [ValueError(i) if i % 2 else i * 2 for i in items]

    async def main() -> None:
        c = Coalescer(some_fail, max_wait=0)
        lane = Lane()
        got = await _settled([asyncio.create_task(c.submit(lane, i)) for i in range(4)])
        assert got[0] == 0 and got[2] == 4
        assert isinstance(got[1], ValueError) and isinstance(got[3], ValueError)

    asyncio.run(main())
