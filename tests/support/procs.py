"""Whole `pcrm` processes started by tests (`pcrm serve`, `pcrm mcp`): their end, whatever the test's."""

from __future__ import annotations

import subprocess
from typing import IO, Any


def ended(proc: subprocess.Popen[Any], log: IO[Any]) -> Any:
    """Kill `proc` if a failed assertion left it running, and the text of `log` (its output, written to
    a temporary file), which is then closed."""
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    log.seek(0)
    text = log.read()
    log.close()
    return text
