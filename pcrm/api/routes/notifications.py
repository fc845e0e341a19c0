"""Notifications (§11.1)."""

from __future__ import annotations

from pcrm.api.declare import op

T = "notifications"
N = "notifications over the API"

OPS = [
    op("GET", "/notifications", "List notifications", T, todo=N),
    op("GET", "/notifications/unread-count", "Unread count", T, todo=N),
    op("PUT", "/notifications/{notification_id}/read", "Mark a notification read", T, todo=N),
    op("PUT", "/notifications/read-all", "Mark all read", T, todo=N),
]
