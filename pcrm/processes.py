"""Facts about another process of this machine, by pid: whether it runs, and when it started. The daemon's
run file and the sync locks name their process by pid; a pid is reused once its process has gone, so each
also records the start time, which tells a later process with the same pid apart."""

from __future__ import annotations

import os


def alive(pid: int) -> bool:
    """Whether a process `pid` runs: a zombie (ended, not yet reaped by its parent: a daemon just stopped)
    does not; where /proc cannot be read (macOS), the signal's answer. Off POSIX (Windows) it cannot be
    asked without harm (`os.kill(pid, 0)` there ends the process): taken to run, so a lock or run file
    there waits for its expiry or its owner's clean-up."""
    if pid <= 0:
        return False
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
    field), or None where that cannot be read (no /proc: macOS and others; no such process). Two processes
    that had the same pid one after the other started at different ticks."""
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
