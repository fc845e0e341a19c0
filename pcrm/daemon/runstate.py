"""The daemon's run state: PCRM_HOME/run/daemon.json = {pid, host, port, url, started_at, stop_grace}, and
`stopping` ({syncs, grace, until}) from the moment a stop reaches it, while it lets running syncs (if any) end
their batch before it stops.

Written when the app has opened the store, removed on a clean shutdown. A file whose pid is gone is
stale (a crash), and one that is not such a JSON object is damaged: `pcrm daemon status` reports either,
then cleans it up.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pcrm import paths, processes

FILE = "daemon.json"


def path() -> Path:
    return paths.run_dir() / FILE


def url_for(host: str, port: int) -> str:
    h = f"[{host}]" if ":" in host and not host.startswith("[") else host
    if h in ("0.0.0.0", "[::]"):
        h = "127.0.0.1"
    return f"http://{h}:{port}"


def read() -> dict[str, Any] | None:
    """The run state, or None when there is none or the file is damaged (not a JSON object with a pid, a
    positive integer: a hand edit, a full disk); `pcrm daemon status` cleans up a damaged file like a stale
    one."""
    try:
        state = json.loads(path().read_text())
    except (OSError, ValueError):
        return None
    pid = state.get("pid") if isinstance(state, dict) else None
    if type(pid) is not int or not 0 < pid < 2**31:  # os.kill overflows past a C int
        return None
    return state


def write(host: str, port: int, started_at: str, stop_grace: float | None = None) -> None:
    p = path()
    data: dict[str, Any] = {
        "pid": os.getpid(),
        "pid_started": processes.started(os.getpid()),  # tells a later process with this pid apart
        "host": host,
        "port": port,
        "url": url_for(host, port),
        "started_at": started_at,
    }
    if stop_grace is not None:  # how long a stop lets a running sync end its batch [daemon-stop]
        data["stop_grace"] = stop_grace
    tmp = p.with_name(p.name + ".tmp")
    paths.write_private(tmp, json.dumps(data, sort_keys=True).encode())  # [private-files]
    os.replace(tmp, p)


def mark_stopping(syncs: list[dict[str, str]], grace: float, *, since: float | None = None) -> None:
    """Note in the run state that the daemon is stopping (from `since`, seconds since the epoch; now by
    default) and lets these syncs ({name, label}; none when it runs none) end their batch, for up to
    `grace` seconds (`until`, in seconds since the epoch): `pcrm daemon stop` says what it waits for, a
    second one that it cuts them short, and `pcrm daemon status` that it is stopping. The file is replaced
    whole, so a reader sees it before or after, never half written."""
    state = read()
    if state is None or state["pid"] != os.getpid():
        return
    start = time.time() if since is None else since
    state["stopping"] = {"syncs": syncs, "grace": grace, "until": round(start + grace, 3)}
    p = path()
    tmp = p.with_name(p.name + ".tmp")
    paths.write_private(tmp, json.dumps(state, sort_keys=True).encode())
    os.replace(tmp, p)


def remove(pid: int | None = None) -> None:
    """Remove the run file, stale or damaged; with pid, only when it is that process's."""
    if pid is not None:
        state = read()
        if state is None or state["pid"] != pid:
            return
    path().unlink(missing_ok=True)


def pid_alive(pid: int) -> bool:
    return processes.alive(pid)


def is_live(state: dict[str, Any]) -> bool:
    """Whether the run state's daemon still runs: its pid runs, and, when the state recorded its start time
    (Linux), that process started then; a pid another process took since is not it."""
    started = state.get("pid_started")
    return processes.same(state["pid"], started if isinstance(started, str) else None)


@contextlib.contextmanager
def recorded(host: str, port: int, started_at: str, stop_grace: float | None = None) -> Iterator[None]:
    """The run state written for the daemon's life; `started_at` is the store's clock (Context.now_iso), so
    a pinned time without a zone names the moment the CLI's commands name [pinned-clock]."""
    write(host, port, started_at, stop_grace)
    try:
        yield
    finally:
        remove(os.getpid())
