"""Telegram: the login steps [telegram-login] and the sync progress [telegram-progress]."""

from __future__ import annotations

from pydantic import Field

from pcrm.api.schemas.common import In, Out


class TelegramConnectIn(In):
    phone: str = Field(min_length=1, max_length=32, description="With its country code, e.g. +12025550123.")


class TelegramVerifyIn(In):
    phone: str = Field(min_length=1, max_length=32)
    code: str = Field(min_length=1, max_length=16, description="The code Telegram sent.")
    phone_code_hash: str = Field(min_length=1, max_length=256, description="From /auth/telegram/connect.")


class TelegramPasswordIn(In):
    password: str = Field(min_length=1, max_length=1024, description="The account's 2FA password.")


class TelegramCodeSent(Out):
    phone_code_hash: str


class TelegramConnected(Out):
    connected: bool
    username: str | None = None
    requires_2fa: bool | None = None


class TelegramReset(Out):
    reset: bool


class TelegramDisconnected(Out):
    disconnected: bool


class TelegramProgress(Out):
    active: bool
    phase: str | None = Field(default=None, description="collecting, messages, groups, bios or done.")
    status: str | None = None
    total_dialogs: int | None = None
    dialogs_processed: int | None = None
    batches_total: int | None = None
    batches_completed: int | None = None
    contacts_found: int | None = None
    messages_synced: int | None = None
    bios_total: int | None = None
    bios_checked: int | None = None
    started_at: str | None = None
    completed_at: str | None = None
    task_id: str | None = None


class CommonGroup(Out):
    id: int
    title: str
    username: str | None = None
    link: str | None = None
    participants_count: int | None = None


class SendMessageIn(In):
    message: str = Field(max_length=10_000, description="The text (Telegram takes up to 4,096 characters).")
    channel: str | None = Field(default="telegram", description="Only telegram is available.")
    scheduled_for: str | None = Field(
        default=None,
        description="Send later with Telegram's scheduled send: an ISO time, `in 2h`, `tomorrow 09:00`.",
    )


class MessageSent(Out):
    sent: bool
    channel: str
    interaction_id: str | None = None
    message_id: int | None = None
    scheduled_for: str | None = None
