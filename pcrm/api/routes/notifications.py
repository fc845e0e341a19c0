"""Notifications [notification-inbox]."""

from __future__ import annotations

from pcrm.api import schemas as s
from pcrm.api.declare import Param, op, svc
from pcrm.services import notifications

T = "notifications"

OPS = [
    op(
        "GET",
        "/notifications",
        "List notifications",
        T,
        read=True,
        call=svc(notifications.list_notifications, query=("unread", "link", "page", "page_size")),
        query=(
            Param("unread", "boolean", "Only unread notifications (pcrm's addition)."),
            Param("link", description="Only notifications with exactly this link."),
            Param("page", "integer", "From 1."),
            Param("page_size", "integer", "Default 20, at most 100."),
        ),
        response=list[s.Notification],
        meta=s.PageMeta,
        description="Newest first.",
    ),
    op(
        "GET",
        "/notifications/unread-count",
        "Unread count",
        T,
        read=True,
        inline=True,
        call=svc(notifications.unread_count),
        response=s.Count,
    ),
    op(
        "PUT",
        "/notifications/{notification_id}/read",
        "Mark a notification read",
        T,
        call=svc(notifications.mark_read),
        response=s.NotificationRead,
        meta=s.NotificationReadMeta,
        description="Idempotent: meta.unchanged when it was read already.",
    ),
    op(
        "PUT",
        "/notifications/read-all",
        "Mark all read",
        T,
        call=svc(notifications.mark_all_read),
        response=s.Marked,
        meta=s.CountMeta,
        description="meta.count: how many were unread.",
    ),
]
