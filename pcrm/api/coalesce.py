"""Calls that arrive together, handed to the writer lane together [webhook-coalescing].

The lane runs one call at a time, so a stream of small writes (the WhatsApp sidecar posts every message
as it arrives) pays a transaction, an ingest batch and a scores refresh per call. A `Coalescer` queues
the calls of one kind; one drain at a time takes what is queued (at most `max_items`, after waiting up to
`max_wait` seconds for companions of a lone call), runs `run_many(ctx, items)` once in the lane, and
hands each caller its own answer: a value, or the exception `run_many` put in its place.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from pcrm.errors import PcrmError


class Coalescer:
    def __init__(
        self,
        run_many: Callable[[Any, list[Any]], list[Any]],
        *,
        max_items: int = 100,
        max_wait: float = 0.002,
    ) -> None:
        self.run_many = run_many
        self.max_items = max_items
        self.max_wait = max_wait
        self._queued: list[tuple[Any, asyncio.Future[Any]]] = []
        self._draining = False
        self._task: asyncio.Task[None] | None = None

    async def submit(self, runtime: Any, item: Any) -> Any:
        """`item`'s answer, from a `run_many` call that may carry other items too."""
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[Any] = loop.create_future()
        self._queued.append((item, fut))
        if not self._draining:
            self._draining = True
            self._task = loop.create_task(
                self._drain(runtime)
            )  # kept: a task only referenced by the loop may be collected
        return await fut

    async def _drain(self, runtime: Any) -> None:
        take: list[tuple[Any, asyncio.Future[Any]]] = []
        try:
            while self._queued:
                if len(self._queued) == 1 and self.max_wait > 0:
                    await asyncio.sleep(self.max_wait)  # a lone call: a moment for others to join it
                take, self._queued = self._queued[: self.max_items], self._queued[self.max_items :]
                items = [i for i, _ in take]
                try:
                    answers = await runtime.run(lambda ctx, items=items: self.run_many(ctx, items))
                except Exception as e:  # run_many itself failed: every caller of this round hears it
                    answers = [e] * len(take)
                if len(answers) != len(take):  # no way to tell whose answer is whose
                    bad = PcrmError(f"the batched call answered {len(answers)} of {len(take)} calls")
                    answers = [bad] * len(take)
                for (_, fut), answer in zip(take, answers, strict=True):
                    if fut.done():  # the caller went away
                        continue
                    if isinstance(answer, BaseException):
                        fut.set_exception(answer)
                    else:
                        fut.set_result(answer)
                take = []
        finally:
            # however the drain ends (cancelled while it waits or writes, the lane failing), no caller is
            # left waiting: the round it had taken and every call still queued hear an error
            left, self._queued = take + self._queued, []
            self._draining = False
            for _, fut in left:
                if not fut.done():
                    fut.set_exception(
                        PcrmError(
                            "the call was interrupted before its write answered",
                            hint="retry it",
                        )
                    )
