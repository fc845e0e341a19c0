"""STUB (branch `jobs`): the sync engine's entry points, with exactly the signatures of the engine being
written on main; this file is replaced by main's at merge. Until then no source is connected, so no sync
job is scheduled and running one by hand says so. Write nothing else here."""

from __future__ import annotations

from typing import Any

from pcrm.errors import PcrmError
from pcrm.services.context import Context, Result


def run(ctx: Context, source: str, *, sync_type: str = "manual", progress: Any = None) -> Result:
    raise PcrmError(f"{source} is not connected", code="not_connected", hint="syncing is not built yet")


def is_connected(ctx: Context, source: str) -> bool:
    return False
