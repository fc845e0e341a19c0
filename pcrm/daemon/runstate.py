"""The daemon's run state: PCRM_HOME/run/daemon.json = {pid, host, port, url, started_at}.

Written when the app has opened the store, removed on a clean shutdown. A file whose pid is gone is
stale (a crash) and is reported, then cleaned up, by `pcrm daemon status`.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pcrm import clock, paths

FILE = "daemon.json"


def path() -> Path:
    return paths.run_dir() / FILE


def url_for(host: str, port: int) -> str:
    h = f"[{host}]" if ":" in host and not host.startswith("[") else host
    if h in ("0.0.0.0", "[::]"):
        h = "127.0.0.1"
    return f"http://{h}:{port}"


def read() -> dict[str, Any] | None:
    p = path()
    try:
        return dict(json.loads(p.read_text()))
    except (FileNotFoundError, ValueError):
        return None


def write(host: str, port: int, started_at: str) -> None:
    p = path()
    data = {
        "pid": os.getpid(),
        "host": host,
        "port": port,
        "url": url_for(host, port),
        "started_at": started_at,
    }
    tmp = p.with_name(p.name + ".tmp")
    paths.write_private(tmp, json.dumps(data, sort_keys=True).encode())  # [private-files]
    os.replace(tmp, p)


def remove(pid: int | None = None) -> None:
    """Remove the run file (only if it is ours, when pid is given)."""
    state = read()
    if state is None:
        return
    if pid is None or state.get("pid") == pid:
        path().unlink(missing_ok=True)


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    try:  # a zombie (exited, not yet reaped by its parent) is not running
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


@contextlib.contextmanager
def recorded(host: str, port: int) -> Iterator[None]:
    write(host, port, clock.now_iso())
    try:
        yield
    finally:
        remove(os.getpid())
