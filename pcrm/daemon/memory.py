"""The daemon's memory upkeep on Linux with glibc [daemon-memory]: fewer malloc arenas, and the memory its
threads freed handed back to the system once the daemon goes quiet after work.

glibc gives each thread that allocates its own arena (up to 8 per core) and keeps what is freed in it for
reuse: a burst of searches in the reader threads, or a job in the scheduler's thread, leaves megabytes of
free but resident memory behind that only `malloc_trim` returns. Elsewhere (macOS, musl, Windows) every
function here does nothing.
"""

from __future__ import annotations

import ctypes
import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("pcrm.daemon")

M_ARENA_MAX = -8  # mallopt's parameter number in glibc's malloc.h
ARENAS = 2  # the main arena and one more, which every thread of the daemon shares

# the checker's rhythm: a look every QUIET_S while nothing happens, every BUSY_S after CPU was used; the
# process counts as quiet when it used less than IDLE_SHARE of one core since the last look, and it trims
# once quiet only after at least WORK_CPU_S of CPU since the last trim (freed memory worth handing back)
QUIET_S = 5.0
BUSY_S = 1.0
IDLE_SHARE = 0.02
WORK_CPU_S = 0.25


def _glibc() -> Any:
    """glibc's handle, or None where there is no glibc (another OS, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt  # noqa: B018 - both exist in glibc alone
        libc.malloc_trim  # noqa: B018
    except (OSError, AttributeError):
        return None
    return libc


def limit_arenas(libc: Any = None) -> bool:
    """At most ARENAS malloc arenas; call before the daemon starts its threads. True when applied."""
    libc = libc if libc is not None else _glibc()
    return libc is not None and bool(libc.mallopt(M_ARENA_MAX, ARENAS))


def trim(libc: Any = None) -> bool:
    """Hand the free memory of every arena back to the system (glibc's malloc_trim). True when it did."""
    libc = libc if libc is not None else _glibc()
    return libc is not None and bool(libc.malloc_trim(0))


@dataclass
class IdleTrim:
    """Trims once the process goes quiet after work: it looks at the process's CPU time, never at requests,
    so it costs a request nothing. `look()` is one look and returns the seconds until the next."""

    trim: Callable[[], Any]
    cpu: Callable[[], float] = time.process_time  # every thread's CPU time
    clock: Callable[[], float] = time.monotonic
    trims: int = 0
    _cpu_at: float = field(default=0.0, init=False)
    _at: float = field(default=0.0, init=False)
    _work: float = field(default=0.0, init=False)  # CPU seconds since the last trim

    def __post_init__(self) -> None:
        self._cpu_at, self._at = self.cpu(), self.clock()

    def look(self) -> float:
        cpu, at = self.cpu(), self.clock()
        used, elapsed = cpu - self._cpu_at, max(at - self._at, 1e-3)
        self._cpu_at, self._at = cpu, at
        self._work += used
        if used > IDLE_SHARE * elapsed:
            return BUSY_S  # working: look again soon, to trim as soon as it stops
        if self._work >= WORK_CPU_S:
            self.trim()
            self.trims += 1
            self._work = 0.0
            self._cpu_at = self.cpu()  # the trim's own time is not work
        return QUIET_S


def start(libc: Any = None) -> Callable[[], None] | None:
    """Start the idle trim in a thread of its own; returns the function that stops it (None: no glibc)."""
    libc = libc if libc is not None else _glibc()
    if libc is None:
        return None
    stopping = threading.Event()
    checker = IdleTrim(trim=lambda: libc.malloc_trim(0))

    def loop() -> None:
        wait = QUIET_S
        while not stopping.wait(wait):
            try:
                wait = checker.look()
            except Exception:  # never let upkeep end the daemon
                log.exception("the memory upkeep failed; it stops")
                return

    thread = threading.Thread(target=loop, name="pcrm-memory", daemon=True)
    thread.start()

    def stop() -> None:
        stopping.set()
        thread.join()

    return stop
