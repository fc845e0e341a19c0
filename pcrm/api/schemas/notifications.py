"""Notifications."""

from __future__ import annotations

from typing import Literal

from pcrm.api.schemas.common import Out


class Notification(Out):
    id: str
    notification_type: str
    title: str
    body: str | None
    read: bool
    link: str | None
    created_at: str


class NotificationRead(Out):
    id: str
    read: Literal[True]


class Marked(Out):
    marked: Literal[True]
