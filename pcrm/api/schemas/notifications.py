"""Notifications."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

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


class NotificationReadMeta(Out):
    unchanged: bool | None = Field(None, description="true when it was read already: nothing written")


class Marked(Out):
    marked: Literal[True]
