"""The one clock. `--now` and $PCRM_NOW pin it so runs are reproducible [pinned-clock].

Timestamps travel as canonical strings `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC, millisecond precision): the
store keeps them in that form, so they sort as text and serialise without conversion [canonical-json].
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from pcrm.errors import ValidationError

_pinned: datetime | None = None


def set_now(value: datetime | None) -> None:
    global _pinned
    _pinned = value


def now() -> datetime:
    if _pinned is not None:
        return _pinned
    env = os.environ.get("PCRM_NOW")
    if env:
        return _pinned_by_env(env)
    return datetime.now(UTC)


def _pinned_by_env(text: str) -> datetime:
    """$PCRM_NOW: an ISO 8601 instant (naive = UTC) or a bare date (midnight UTC). The relative forms
    `--now` also takes (yesterday, 3d ago) need a clock to be relative to, so they are refused here."""
    t = text.strip()
    try:
        dt = datetime.fromisoformat(t)
    except ValueError:
        raise ValidationError(
            f"PCRM_NOW must be a date or time like 2026-03-14 or 2026-03-14T09:30:00Z, not {text!r}",
            field="PCRM_NOW",
            hint="unset PCRM_NOW to use the real clock",
        ) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def iso(dt: datetime) -> str:
    """Canonical UTC string with milliseconds and Z."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime given to iso()")
    if dt.tzinfo is not UTC:
        dt = dt.astimezone(UTC)
    if dt.year >= 1000:  # isoformat is done in C, strftime's %Y would not pad an earlier year either
        return dt.isoformat(timespec="milliseconds")[:23] + "Z"
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def parse_iso(text: str) -> datetime:
    """Read back a canonical (or any ISO 8601 with offset) timestamp as an aware UTC datetime."""
    dt = datetime.fromisoformat(text)  # Python 3.11 reads the trailing Z itself
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def now_iso() -> str:
    return iso(now())
