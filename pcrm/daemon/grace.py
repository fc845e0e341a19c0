"""How long a stopping daemon lets a running sync end its batch [daemon-stop], and how long the service
`pcrm daemon install` writes then lets the stop take before a kill [daemon-install]: the one follows the
other, so both are read here (the daemon's server and the installer each import this, not each other)."""

from __future__ import annotations

import math
import os

STOP_GRACE_SECONDS = 15.0
GRACE_ENV = "PCRM_STOP_GRACE_SECONDS"
GRACE_MOST = 600.0
# The least a service gives a stop before it kills the daemon: launchd's default (20 s) and a user's systemd
# (its own, which may be shorter than its 90 s) left the default grace's margin to chance
STOP_TIMEOUT_S = 30
# After the grace the daemon still closes its scheduler and the store: the service's timeout is at least
# the grace plus this
CLOSE_MARGIN_S = 15


def grace_set() -> str | None:
    """$PCRM_STOP_GRACE_SECONDS as given (stripped), or None when unset or blank."""
    return os.environ.get(GRACE_ENV, "").strip() or None


def parse(text: str | None) -> float | None:
    """A grace in seconds from its text, or None when it is no number from 0 to GRACE_MOST."""
    if text is None:
        return STOP_GRACE_SECONDS
    try:
        value = float(text)
    except ValueError:
        return None
    return value if 0 <= value <= GRACE_MOST else None


def stop_grace() -> float:
    """How long a stopping daemon lets a running sync end its batch: $PCRM_STOP_GRACE_SECONDS (0..600)
    or STOP_GRACE_SECONDS."""
    value = parse(grace_set())
    return STOP_GRACE_SECONDS if value is None else value


def stop_timeout(grace: float) -> int:
    """The seconds a service should let a stop take before a kill, for a daemon whose grace is `grace`."""
    return max(STOP_TIMEOUT_S, math.ceil(grace) + CLOSE_MARGIN_S)
