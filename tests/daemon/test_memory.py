"""[daemon-memory]: `pcrm serve` limits glibc's malloc arenas before it starts its threads, and hands freed
memory back to the system once it goes quiet after work; elsewhere it does neither. No memory is measured
here: the allocator is replaced by a recorder."""

from __future__ import annotations

import socket
import threading
from typing import Any

from pcrm.daemon import memory


class _Libc:
    """Records the calls the daemon makes to glibc."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def mallopt(self, param: int, value: int) -> int:
        self.calls.append(("mallopt", param, value))
        return 1

    def malloc_trim(self, pad: int) -> int:
        self.calls.append(("malloc_trim", pad))
        return 1


def _checker(trims: list[float]) -> tuple[memory.IdleTrim, Any]:
    cpu, now = [10.0], [100.0]
    checker = memory.IdleTrim(trim=lambda: trims.append(now[0]), cpu=lambda: cpu[0], clock=lambda: now[0])

    def after(seconds: float, cpu_used: float) -> float:
        now[0] += seconds
        cpu[0] += cpu_used
        return checker.look()

    return checker, after


def test_the_trim_runs_once_the_daemon_is_quiet_after_work() -> None:
    trims: list[float] = []
    checker, after = _checker(trims)
    assert after(5, 0.0) == memory.QUIET_S and trims == []  # quiet from the start: nothing to hand back
    assert after(5, 2.0) == memory.BUSY_S and trims == []  # a burst of requests: look again soon
    assert after(1, 0.8) == memory.BUSY_S and trims == []  # still busy: never while working
    assert after(1, 0.001) == memory.QUIET_S and trims == [112.0]  # quiet after work: trimmed once
    assert after(5, 0.0) == memory.QUIET_S and after(5, 0.0) == memory.QUIET_S
    assert trims == [112.0] and checker.trims == 1  # no new work, no new trim


def test_a_little_work_now_and_then_is_not_worth_a_trim_until_it_adds_up() -> None:
    trims: list[float] = []
    _, after = _checker(trims)
    for _ in range(2):  # a scheduler tick's few milliseconds: quiet, and too little to trim for
        assert after(5, 0.09) == memory.QUIET_S
    assert trims == []
    assert after(5, 0.09) == memory.QUIET_S and len(trims) == 1  # 0.27 s of CPU since the last trim


def test_serve_limits_the_arenas_and_runs_the_idle_trim_while_it_serves(cli: Any, monkeypatch: Any) -> None:
    import anyio
    import uvicorn
    from asgi_lifespan import LifespanManager

    libc = _Libc()
    monkeypatch.setattr(memory, "_glibc", lambda: libc)
    apps: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: apps.append(self.config.app))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cli("serve", "--port", str(port), ok=False)  # run() returned at once
    assert libc.calls == [("mallopt", memory.M_ARENA_MAX, memory.ARENAS)]

    def trimmer_running() -> bool:
        return any(t.name == "pcrm-memory" for t in threading.enumerate())

    async def serving() -> bool:
        async with LifespanManager(apps[0]):
            return trimmer_running()

    assert anyio.run(serving) is True
    assert not trimmer_running()  # stopped with the daemon


def test_without_glibc_nothing_is_changed(monkeypatch: Any) -> None:
    monkeypatch.setattr(memory.sys, "platform", "darwin")
    assert memory._glibc() is None
    assert memory.limit_arenas() is False and memory.trim() is False and memory.start() is None


def test_the_limit_and_the_trim_reach_glibc() -> None:
    libc = _Libc()
    assert memory.limit_arenas(libc) and memory.trim(libc)
    assert libc.calls == [("mallopt", -8, 2), ("malloc_trim", 0)]
