"""Dashboard views over contacts: overdue follow-ups (§2.1)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from pcrm.clock import iso, parse_iso
from pcrm.errors import ValidationError
from pcrm.services import scores
from pcrm.services.context import Context, Result
from pcrm.store import contacts as cstore, views as store


def _limit(value: Any, default: int, hi: int) -> int:
    if value in (None, ""):
        return default
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise ValidationError("limit must be a whole number", field="limit") from None
    if not 1 <= n <= hi:
        raise ValidationError(f"limit must be from 1 to {hi}", field="limit")
    return n


def overdue(ctx: Context, *, limit: Any = None) -> Result:
    """GET /contacts/overdue: high-priority contacts past the high interval, most overdue first.

    days_overdue counts calendar days in the user's zone (D3): whole days since the last interaction
    minus the interval; only positive values are listed."""
    scores.catch_up(ctx)
    n = _limit(limit, 10, 50)
    interval = int(ctx.setting("priority.high"))
    tz = ctx.tz()
    today = ctx.now().astimezone(tz).date()
    # last interaction on or before this local day => more than `interval` days ago
    cutoff_day = today - timedelta(days=interval)
    before = iso(datetime.combine(cutoff_day, time(0, 0), tz))
    rows = store.overdue_candidates(ctx.conn, before, n)
    items = cstore.fetch(ctx.conn, [cid for cid, _ in rows])
    for item, (_, last) in zip(items, rows):
        days = (today - parse_iso(last).astimezone(tz).date()).days
        item["days_overdue"] = days - interval
    return Result(items, {"count": len(items), "interval_days": interval})
