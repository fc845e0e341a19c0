"""Where the background scheduler plugs in (APScheduler 3.x, a later issue).

`start(runtime)` is called from the daemon's lifespan hook (server.py, entered by the app's lifespan)
after the store is open, and `stop(handle)` before it closes. Jobs must call the same service functions
as the CLI, run through `runtime.run` (the one writer lane), and decide catch-up from the `job_runs`
table (LIBRARY-NOTES: misfire_grace_time=None, coalesce=True). Until then, nothing is scheduled.
"""

from __future__ import annotations

from typing import Any


def start(runtime: Any) -> Any:
    """Start background jobs; returns a handle for stop(). No jobs exist yet."""
    return None


def stop(handle: Any) -> None:
    """Stop what start() started."""
    return
