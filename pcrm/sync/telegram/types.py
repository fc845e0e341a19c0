"""What the Telegram client hands the adapter: plain dicts, so nothing outside `client.py` sees telethon."""

from __future__ import annotations

from typing import Literal, TypedDict


class Person(TypedDict):
    """A Telegram user (a DM peer or a group member)."""

    id: int
    access_hash: int | None
    first_name: str
    last_name: str
    username: str | None
    phone: str | None


class DirectDialog(TypedDict):
    """A one-to-one chat with a person (bots, deleted accounts and Saved Messages are left out)."""

    person: Person
    top_message: int  # the id of its latest message: unchanged means nothing new
    read_outbox_max_id: int  # the read receipt: the other side has read my messages up to this id


class GroupDialog(TypedDict):
    """A private basic group or megagroup (public ones, those with a username, are left out)."""

    id: int
    kind: Literal["chat", "megagroup"]
    access_hash: int | None
    title: str


class Dialogs(TypedDict):
    direct: list[DirectDialog]
    groups: list[GroupDialog]


class ChatMessage(TypedDict):
    """A text message or a call in a DM; other service and media-only messages are not handed out."""

    id: int
    at: str  # canonical UTC time
    out: bool
    text: str | None
    call: Literal["phone", "video"] | None
    duration: int | None
