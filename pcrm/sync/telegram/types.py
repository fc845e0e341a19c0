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


class Profile(TypedDict):
    """What GetFullUser tells about a person: bio, status, birthday, whether they show a photo."""

    person: Person
    about: str | None  # the bio, None when empty
    last_seen: Literal["online", "offline", "recently", "last_week", "last_month", "hidden"] | None
    was_online: str | None  # canonical UTC time, with last_seen "offline" only
    birthday: tuple[int, int, int | None] | None  # (day, month, year)
    has_photo: bool


class CommonGroup(TypedDict):
    """A group or channel the user shares with a person (the reference's `telegram_common_groups` item)."""

    id: int
    title: str
    username: str | None
    link: str | None  # https://t.me/<username> for public ones
    participants_count: int | None
