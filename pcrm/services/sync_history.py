"""Sync history (§11.2): GET /sync-history and GET /sync-history/stats over the sync_runs table."""

from __future__ import annotations

from typing import Any

from pcrm.errors import ValidationError
from pcrm.services.context import Context, Result
from pcrm.store import sync_runs as store

PLATFORMS = ("gmail", "google_contacts", "google_calendar", "telegram", "twitter", "linkedin", "whatsapp",
             "facebook", "instagram")
STATUSES = ("started", "success", "failed", "partial")


def _choice(value: str | None, field: str, options: tuple[str, ...]) -> str | None:
    if value is None or value == "":
        return None
    v = str(value).strip().lower()
    if v not in options:
        raise ValidationError(f"unknown {field} {value!r}", field=field, hint=f"use one of: {', '.join(options)}")
    return v


def _int(value: Any, field: str, default: int, lo: int, hi: int) -> int:
    if value is None or value == "":
        return default
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{field} must be a whole number, not {value!r}", field=field,
                              hint=f"give --{field} between {lo} and {hi}") from None
    if not lo <= n <= hi:
        raise ValidationError(f"{field} must be from {lo} to {hi}", field=field,
                              hint=f"give --{field} between {lo} and {hi}")
    return n


def list_sync_history(ctx: Context, *, platform: str | None = None, status: str | None = None,
                      limit: Any = None, offset: Any = None) -> Result:
    """GET /sync-history: runs newest first; meta {total, limit, offset} (limit 50 by default, at most 200)."""
    p = _choice(platform, "platform", PLATFORMS)
    s = _choice(status, "status", STATUSES)
    n = _int(limit, "limit", 50, 1, 200)
    off = _int(offset, "offset", 0, 0, 2**62)
    items, total = store.page(ctx.conn, platform=p, status=s, limit=n, offset=off)
    return Result(items, {"total": total, "limit": n, "offset": off})


def sync_stats(ctx: Context, *, platform: str | None = None) -> Result:
    """GET /sync-history/stats: {platform: {total_syncs, success_count, failed_count, success_rate (percent,
    one decimal), last_sync}}; {} when there is no history."""
    p = _choice(platform, "platform", PLATFORMS)
    out: dict[str, Any] = {}
    for r in store.stats(ctx.conn, p):
        total = r["total_syncs"]
        out[r["platform"]] = {
            "total_syncs": total,
            "success_count": r["success_count"],
            "failed_count": r["failed_count"],
            "success_rate": round(100.0 * r["success_count"] / total, 1) if total else 0.0,
            "last_sync": r["last_sync"],
        }
    return Result(out)
