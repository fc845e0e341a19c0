"""processes.alive and processes.started on Windows, exercised on any system with a stand-in for kernel32:
`os.kill(pid, 0)` there ends the process (TerminateProcess) whatever the signal, so pcrm asks the Win32 API
instead. Before, every pid was taken to run on Windows: a dead daemon's run file said it was running and a
killed backup's half copy was never cleared."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from typing import Any

import pytest

from pcrm import processes

RUNNING, ENDED, OTHER_USERS = 4242, 4243, 4
CREATED = 133_500_000_000_000_000  # a FILETIME: 100 ns steps since 1601
STILL_ACTIVE = 259
ERROR_ACCESS_DENIED, ERROR_INVALID_PARAMETER = 5, 87


class Kernel32:
    """Three processes: one running, one ended (its handle still open elsewhere, so its pid still opens,
    with its exit code), one of another user that refuses a handle. Any other pid is no process."""

    def __init__(self) -> None:
        self.last_error = 0
        self.handles: dict[int, int] = {}  # open handle -> pid
        self.asked: list[int] = []

    def OpenProcess(self, access: int, inherit: bool, pid: int) -> int | None:
        assert access == 0x1000 and not inherit  # PROCESS_QUERY_LIMITED_INFORMATION, nothing more
        self.asked.append(pid)
        if pid == OTHER_USERS:
            self.last_error = ERROR_ACCESS_DENIED
            return None
        if pid not in (RUNNING, ENDED):
            self.last_error = ERROR_INVALID_PARAMETER
            return None
        handle = 0x100 + len(self.asked)
        self.handles[handle] = pid
        return handle

    def GetExitCodeProcess(self, handle: int, code: Any) -> int:
        code._obj.value = STILL_ACTIVE if self.handles[handle] == RUNNING else 0
        return 1

    def GetProcessTimes(self, handle: int, created: Any, ended: Any, kernel: Any, user: Any) -> int:
        created._obj.value = CREATED + self.handles[handle]
        return 1

    def CloseHandle(self, handle: int) -> int:
        del self.handles[handle]
        return 1


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> Kernel32:
    fake = Kernel32()
    # imported now: its first import reads os.name, and would load the parts only Windows has
    importlib.import_module("ctypes")

    def kill(pid: int, sig: int) -> None:
        raise AssertionError(f"os.kill({pid}, {sig}) on Windows ends the process")

    # raising=False: a pcrm without them still runs the tests, and fails them by what it answers
    monkeypatch.setattr(processes, "_kernel32", lambda: fake, raising=False)
    monkeypatch.setattr(processes, "_last_error", lambda: fake.last_error, raising=False)
    monkeypatch.setattr(os, "kill", kill)
    return fake


def on_windows(call: Callable[[], Any]) -> Any:
    """call() while os.name and sys.platform say Windows; undone before any assertion (pytest's report of a
    failure makes paths, which os.name "nt" would make WindowsPath, refused on this system)."""
    with pytest.MonkeyPatch.context() as m:
        m.setattr(sys, "platform", "win32")
        m.setattr(os, "name", "nt")
        return call()


def test_a_windows_process_is_asked_by_handle_never_by_a_signal(windows: Kernel32):
    pids = (RUNNING, ENDED, OTHER_USERS, 99999, 0, -1, 2**40)
    answers = on_windows(lambda: [processes.alive(p) for p in pids])
    # runs; ended; runs but is not ours to open; no such process; no pid; no pid of Windows (not passed to
    # the API, where it would wrap)
    assert answers == [True, False, True, False, False, False, False]
    assert windows.asked == [RUNNING, ENDED, OTHER_USERS, 99999]
    assert windows.handles == {}  # every handle opened is closed


def test_a_windows_processs_start_time_tells_a_reused_pid_apart(windows: Kernel32):
    then, same, reused, none = on_windows(
        lambda: (
            processes.started(RUNNING),
            processes.same(RUNNING, str(CREATED + RUNNING)),
            processes.same(RUNNING, str(CREATED)),  # another process had the pid before
            (processes.started(99999), processes.started(OTHER_USERS)),
        )
    )
    assert then == str(CREATED + RUNNING)
    assert same is True and reused is False
    assert none == (None, None)
    assert windows.handles == {}
