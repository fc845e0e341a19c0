"""Facts about another process of this machine, by pid: whether it runs, and when it started. The daemon's
run file and the sync locks name their process by pid; a pid is reused once its process has gone, so each
also records the start time, which tells a later process with the same pid apart."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any


def alive(pid: int) -> bool:
    """Whether a process `pid` runs: a zombie (ended, not yet reaped by its parent: a daemon just stopped)
    does not; where /proc cannot be read (macOS), the signal's answer. On Windows the process is asked
    through the Win32 API (_windows_alive), never by `os.kill(pid, 0)`, which there ends the process
    whatever the signal. On another system that is neither, it cannot be asked: taken to run, so a lock or
    run file there waits for its expiry or its owner's clean-up."""
    if pid <= 0:
        return False
    if os.name == "nt":
        return _windows_alive(pid)
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:  # past a C int, say
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


def started(pid: int) -> str | None:
    """When the process `pid` started, as Linux counts it (clock ticks since boot: /proc/PID/stat's 22nd
    field), or Windows (its creation time, 100 ns steps since 1601), or None where that cannot be read (no
    /proc: macOS and others; no such process). Two processes that had the same pid one after the other
    started at different times."""
    if os.name == "nt":
        return _windows_started(pid)
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            # after the command name in parentheses (which may hold spaces), the 3rd field on
            return f.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError, UnicodeDecodeError):
        return None


def same(pid: int, started_then: str | None) -> bool:
    """Whether the process running as `pid` now is the one that started at `started_then` (a start time
    `started` gave): it runs, and its start time is that one; with no start time recorded or readable,
    whether a process with that pid runs."""
    if not alive(pid):
        return False
    now = started(pid) if started_then else None
    return now is None or now == started_then


# Windows: a process asked by handle, with the least right that answers (another user's process opens too)
_QUERY_LIMITED_INFORMATION = 0x1000
_STILL_ACTIVE = 259  # GetExitCodeProcess's code of a process that has not ended
_ERROR_ACCESS_DENIED = 5
_DWORD_MAX = 0xFFFFFFFF


@lru_cache(maxsize=1)
def _kernel32() -> Any:
    """kernel32 with the signatures used here (a handle is pointer-sized: the default int would cut it)."""
    import ctypes

    k = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    k.OpenProcess.restype = ctypes.c_void_p
    k.OpenProcess.argtypes = (ctypes.c_uint32, ctypes.c_int, ctypes.c_uint32)
    k.GetExitCodeProcess.argtypes = (ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint32))
    k.GetProcessTimes.argtypes = (ctypes.c_void_p, *[ctypes.POINTER(ctypes.c_uint64)] * 4)
    k.CloseHandle.argtypes = (ctypes.c_void_p,)
    return k


def _last_error() -> int:
    import ctypes

    return int(ctypes.get_last_error())  # type: ignore[attr-defined,unused-ignore]


def _windows_alive(pid: int) -> bool:
    """Whether process `pid` runs, on Windows: its handle opens and its exit code is still STILL_ACTIVE. A
    handle refused for want of rights belongs to a process that runs (another user's, a service's); any
    other refusal means there is no such process. (A process that ended with code 259 itself reads as
    running: no API tells it apart, and no pcrm process ends so.)"""
    if pid > _DWORD_MAX:
        return False
    import ctypes

    k = _kernel32()
    handle = k.OpenProcess(_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        return _last_error() == _ERROR_ACCESS_DENIED
    try:
        code = ctypes.c_uint32()
        if not k.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True  # the handle opened: the process is there; its state could not be read
        return code.value == _STILL_ACTIVE
    finally:
        k.CloseHandle(handle)


def _windows_started(pid: int) -> str | None:
    """Process `pid`'s creation time on Windows (GetProcessTimes, 100 ns steps since 1601), None when it
    cannot be opened or read."""
    if not 0 < pid <= _DWORD_MAX:
        return None
    import ctypes

    k = _kernel32()
    handle = k.OpenProcess(_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        return None
    try:
        created, ended, kernel, user = (ctypes.c_uint64() for _ in range(4))
        times = (ctypes.byref(t) for t in (created, ended, kernel, user))
        if not k.GetProcessTimes(handle, *times) or not created.value:
            return None
        return str(created.value)
    finally:
        k.CloseHandle(handle)
