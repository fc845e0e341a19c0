"""The Telegram client [telegram-sync]: the only module that imports telethon, and only inside what needs it
(telethon costs ~220 ms of start-up).

`Telegram` wraps a telethon `TelegramClient` behind plain synchronous methods returning the dicts of
`types.py`: the adapter and the services never see a TL object or an asyncio loop. Each `Telegram` owns its
own event loop (the sync engine runs adapters from plain threads); `close()` disconnects and closes it.

Telethon's errors are translated here, once, into `SourceError`s whose message a user can read (never the
exception's class name): `FloodWait` carries the seconds Telegram asked us to wait, `LoginError` the step of
the login that failed. The tests' seam is telethon's own: a `TelegramClient` subclass whose `__call__`
answers requests with canned TL objects runs the unmodified `iter_dialogs` / `iter_messages` / `sign_in`.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections.abc import Coroutine, Mapping
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

from pcrm.sync.base import SourceError
from pcrm.sync.telegram.types import (
    ChatMessage,
    CommonGroup,
    Dialogs,
    DirectDialog,
    GroupDialog,
    Person,
    Profile,
)

T = TypeVar("T")
ENV_API_ID = "PCRM_TELEGRAM_API_ID"
ENV_API_HASH = "PCRM_TELEGRAM_API_HASH"
HINT_LOGIN = "log in again: pcrm auth telegram"
HINT_API = (
    f"create an app at https://my.telegram.org (API development tools), then run pcrm auth telegram (it "
    f"asks for them), or set {ENV_API_ID} and {ENV_API_HASH}"
)
SECRET_API_HASH = "telegram.api_hash"  # in the secret store, beside the session [secret-store]
LoginStep = Literal["invalid_phone", "bad_code", "expired_code", "bad_password", "bad_api", "banned", "other"]


class FloodWait(SourceError):
    """Telegram asked us to wait `retry_after` seconds before the next request [telegram-flood]."""

    def __init__(self, seconds: int) -> None:
        self.retry_after = max(1, int(seconds))
        super().__init__(
            f"Telegram rate limit: please wait {self.retry_after} s",
            hint=f"pcrm resumes where it stopped; run the sync again after {self.retry_after} s",
        )


class LoginError(SourceError):
    """A login step failed; `step` says which (the API answers by it)."""

    def __init__(self, step: LoginStep, message: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.step = step


def api_credentials(settings: Mapping[str, Any]) -> tuple[int, str]:
    """The API id and hash of the user's Telegram app: the environment first, then the `telegram.api_id`
    setting and the hash in the secret store."""
    from pcrm import secrets

    raw_id = os.environ.get(ENV_API_ID) or settings.get("telegram.api_id")
    api_hash = os.environ.get(ENV_API_HASH) or secrets.get(SECRET_API_HASH)
    if not raw_id or not api_hash:
        raise LoginError("bad_api", "Telegram needs your own API id and hash, and none is set", HINT_API)
    try:
        return int(raw_id), str(api_hash)
    except ValueError:
        raise LoginError(
            "bad_api", f"the Telegram API id must be a number, not {raw_id!r}", HINT_API
        ) from None


def telethon_client(session: str, api_id: int, api_hash: str) -> Any:
    """A real telethon client over a StringSession (tests replace this function with a fake's builder)."""
    from telethon import TelegramClient
    from telethon.sessions import StringSession

    # flood_sleep_threshold=0: every FloodWait reaches us, so the gate [telegram-flood] sees it instead of
    # a worker silently sleeping for minutes
    return TelegramClient(
        StringSession(session or None), api_id, api_hash, receive_updates=False, flood_sleep_threshold=0
    )


def _iso(dt: datetime | None) -> str:
    d = (dt or datetime.fromtimestamp(0, UTC)).astimezone(UTC)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


def _person(u: Any) -> Person:
    return {
        "id": int(u.id),
        "access_hash": getattr(u, "access_hash", None),
        "first_name": (u.first_name or "").strip(),
        "last_name": (u.last_name or "").strip(),
        "username": u.username or None,
        "phone": f"+{u.phone}" if getattr(u, "phone", None) else None,
    }


class Telegram:
    """A connected (or connectable) Telegram account. `pace`: seconds slept between per-dialog and
    per-group requests, drawn uniformly from the range (Telegram's own clients pace themselves too; a
    fake needs none)."""

    def __init__(self, client: Any, *, pace: tuple[float, float] = (0.0, 0.0)) -> None:
        self.tl = client
        self.pace = pace
        self._loop: asyncio.AbstractEventLoop | None = None
        self._listed = False  # dialogs listed once: telethon knows every DM peer's access hash

    # ------------------------------------------------------------------ plumbing

    def _run(self, coro: Coroutine[Any, Any, T], keep: tuple[type[BaseException], ...] = ()) -> T:
        """Run `coro` on this client's loop, translating telethon's errors (those in `keep` excepted: the
        caller translates them by the step it is at)."""
        from telethon import errors

        if self._loop is None or self._loop.is_closed():
            self._loop = asyncio.new_event_loop()
        try:
            return self._loop.run_until_complete(self._connected(coro))
        except keep:
            raise
        except errors.FloodWaitError as exc:
            raise FloodWait(int(exc.seconds)) from None
        except (errors.FloodError, errors.PhoneNumberFloodError):
            raise FloodWait(3600) from None
        except (
            errors.AuthKeyUnregisteredError,
            errors.SessionRevokedError,
            errors.SessionExpiredError,
            errors.UserDeactivatedError,
            errors.AuthKeyDuplicatedError,
        ):
            raise SourceError("the Telegram session is no longer valid", hint=HINT_LOGIN) from None
        except (errors.ApiIdInvalidError, errors.ApiIdPublishedFloodError):
            raise LoginError("bad_api", "Telegram refused the API id and hash", HINT_API) from None
        except errors.RPCError as exc:
            # exc.message is Telegram's own code (e.g. CHAT_ADMIN_REQUIRED), never a Python class name
            raise SourceError(
                f"Telegram refused the request ({exc.message})", hint="try again later"
            ) from None
        except (ConnectionError, OSError, TimeoutError, EOFError):
            # EOFError: asyncio's IncompleteReadError, when something on the way (a proxy, a captive portal)
            # answers with what is not Telegram's protocol and hangs up
            raise SourceError(
                "cannot reach Telegram", hint="check the network connection and run the sync again"
            ) from None

    async def _connected(self, coro: Coroutine[Any, Any, T]) -> T:
        try:
            if not self.tl.is_connected():
                await self.tl.connect()
        except BaseException:
            coro.close()
            raise
        return await coro

    def _nap(self) -> None:
        lo, hi = self.pace
        if hi > 0:
            time.sleep(random.uniform(lo, hi))

    def close(self) -> None:
        """Disconnect and close the event loop (safe to call twice; the next call reconnects)."""
        if self._loop is None or self._loop.is_closed():
            return
        try:
            if self.tl.is_connected():
                self._loop.run_until_complete(self.tl.disconnect())
        finally:
            # a connection that failed half-way leaves telethon's receive loop behind: cancelled here, it
            # does not print "Task was destroyed but it is pending!" when the loop goes
            left = asyncio.all_tasks(self._loop)
            for task in left:
                task.cancel()
            if left:
                self._loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
            self._loop.close()

    def session(self) -> str:
        """The session as a string, for the secret store only."""
        return str(self.tl.session.save() or "")

    # ------------------------------------------------------------------ login

    def authorized(self) -> bool:
        return bool(self._run(self.tl.is_user_authorized()))

    def me(self) -> Person | None:
        u = self._run(self.tl.get_me())
        return _person(u) if u is not None else None

    def send_code(self, phone: str) -> str:
        """Ask Telegram to send the login code; the phone_code_hash to verify it with."""
        from telethon import errors

        bad = (errors.PhoneNumberInvalidError, errors.PhoneNumberUnoccupiedError, TypeError, ValueError)
        try:
            sent = self._run(self.tl.send_code_request(phone), keep=(*bad, errors.PhoneNumberBannedError))
        except bad:
            raise LoginError(
                "invalid_phone",
                "Telegram does not know that phone number",
                "give the number with its country code, e.g. +12025550123",
            ) from None
        except errors.PhoneNumberBannedError:
            raise LoginError("banned", "Telegram has banned that phone number", None) from None
        return str(sent.phone_code_hash)

    def sign_in(self, phone: str, code: str, phone_code_hash: str) -> Person | None:
        """The account once the code is accepted; None when the account also needs its 2FA password."""
        from telethon import errors

        keep = (
            errors.SessionPasswordNeededError,
            errors.PhoneCodeInvalidError,
            errors.PhoneCodeEmptyError,
            errors.PhoneCodeExpiredError,
            errors.PhoneCodeHashEmptyError,
            errors.PhoneNumberInvalidError,
        )
        try:
            user = self._run(self.tl.sign_in(phone=phone, code=code, phone_code_hash=phone_code_hash), keep)
        except errors.SessionPasswordNeededError:
            return None
        except (errors.PhoneCodeInvalidError, errors.PhoneCodeEmptyError):
            raise LoginError(
                "bad_code", "that login code is wrong", "check the code Telegram sent and try again"
            ) from None
        except (errors.PhoneCodeExpiredError, errors.PhoneCodeHashEmptyError):
            raise LoginError(
                "expired_code", "that login code has expired", "ask for a new code: start the login again"
            ) from None
        except errors.PhoneNumberInvalidError:
            raise LoginError("invalid_phone", "Telegram does not know that phone number", None) from None
        return _person(user)

    def check_password(self, password: str) -> Person:
        from telethon import errors

        keep = (errors.PasswordHashInvalidError, errors.PasswordEmptyError, ValueError)
        try:
            user = self._run(self.tl.sign_in(password=password), keep)
        except (errors.PasswordHashInvalidError, errors.PasswordEmptyError):
            raise LoginError(
                "bad_password",
                "that two-step verification password is wrong",
                "type the password you set in Telegram (Settings → Privacy → Two-Step Verification)",
            ) from None
        except ValueError:  # telethon's own check of the server's SRP parameters
            raise LoginError("other", "Telegram's password check failed", "try again") from None
        return _person(user)

    def log_out(self) -> None:
        self._run(self.tl.log_out())

    # ------------------------------------------------------------------ reading

    def dialogs(self) -> Dialogs:
        """Every DM with a person and every private group, in Telegram's order (most recent first)."""
        from telethon.tl import types

        async def collect() -> Dialogs:
            out: Dialogs = {"direct": [], "groups": []}
            async for d in self.tl.iter_dialogs():
                e = d.entity
                if isinstance(e, types.User):
                    if e.bot or e.is_self or e.deleted or e.support:
                        continue
                    out["direct"].append(
                        DirectDialog(
                            person=_person(e),
                            top_message=int(d.dialog.top_message or 0),
                            read_outbox_max_id=int(d.dialog.read_outbox_max_id or 0),
                        )
                    )
                elif isinstance(e, types.Chat) and not (e.deactivated or e.left or e.migrated_to):
                    out["groups"].append(GroupDialog(id=e.id, kind="chat", access_hash=None, title=e.title))
                elif isinstance(e, types.Channel) and e.megagroup and not e.username and not e.left:
                    out["groups"].append(
                        GroupDialog(id=e.id, kind="megagroup", access_hash=e.access_hash, title=e.title)
                    )
            return out

        got = self._run(collect())
        self._listed = True
        return got

    def messages(self, person: Person, limit: int = 50) -> list[ChatMessage]:
        """The latest `limit` messages of a DM, newest first: texts and calls (other kinds left out)."""
        from telethon.tl import types

        peer = types.InputPeerUser(person["id"], person["access_hash"] or 0)

        async def collect() -> list[ChatMessage]:
            out: list[ChatMessage] = []
            async for m in self.tl.iter_messages(peer, limit=limit):
                if isinstance(m, types.MessageService):
                    a = m.action
                    if isinstance(a, types.MessageActionPhoneCall):
                        out.append(
                            ChatMessage(
                                id=m.id,
                                at=_iso(m.date),
                                out=bool(m.out),
                                text=None,
                                call="video" if a.video else "phone",
                                duration=a.duration,
                            )
                        )
                elif isinstance(m, types.Message) and (m.message or "").strip():
                    out.append(
                        ChatMessage(
                            id=m.id,
                            at=_iso(m.date),
                            out=bool(m.out),
                            text=m.message,
                            call=None,
                            duration=None,
                        )
                    )
            return out

        self._nap()
        return self._run(collect())

    def members(self, group: GroupDialog, limit: int = 200) -> list[Person]:
        """Up to `limit` members of a private group (bots, deleted accounts and you left out)."""
        from telethon.tl import types

        entity: Any = (
            types.InputPeerChat(group["id"])
            if group["kind"] == "chat"
            else types.InputPeerChannel(group["id"], group["access_hash"] or 0)
        )

        async def collect() -> list[Person]:
            people = await self.tl.get_participants(entity, limit=limit)
            return [_person(u) for u in people if not (u.bot or u.is_self or u.deleted)]

        self._nap()
        return self._run(collect())

    # ------------------------------------------------------------------ one person

    def resolve(self, user_id: int | None, username: str | None) -> Person | None:
        """The person behind a contact's Telegram id or username, with the access hash every request about
        them needs; None when Telegram cannot find them. The id is tried first (no username lookup, which
        Telegram rate-limits hard), from the entities this client has seen; then the username; then one
        dialog listing (which teaches the client every DM peer; skipped when this client has listed them)
        and the id again."""
        from telethon import errors
        from telethon.tl import types

        async def by(key: int | str) -> Person | None:
            try:
                peer = await self.tl.get_input_entity(key)
            except errors.FloodWaitError:
                raise
            except (ValueError, TypeError, errors.RPCError):  # unknown id or username: not found
                return None
            if not isinstance(peer, types.InputPeerUser):
                return None
            return {
                "id": int(peer.user_id),
                "access_hash": int(peer.access_hash),
                "first_name": "",
                "last_name": "",
                "username": username,
                "phone": None,
            }

        if user_id:
            found = self._run(by(int(user_id)))
            if found:
                return found
        if username:
            found = self._run(by(username.lstrip("@")))
            if found:
                return found
        if user_id and not self._listed:  # at most once per client: a listing costs a request per 100
            self.dialogs()
            return self._run(by(int(user_id)))
        return None

    def profile(self, person: Person) -> Profile:
        """GetFullUser: the bio, last-seen status, birthday and whether a profile photo is shown."""
        from telethon.tl import functions, types

        async def get() -> Profile:
            full = await self.tl(
                functions.users.GetFullUserRequest(types.InputUser(person["id"], person["access_hash"] or 0))
            )
            u = next((x for x in full.users if int(x.id) == person["id"]), None)
            st = getattr(u, "status", None)
            kind: Any = None
            was = None
            if isinstance(st, types.UserStatusOnline):
                kind = "online"
            elif isinstance(st, types.UserStatusOffline):
                kind, was = "offline", _iso(st.was_online)
            elif isinstance(st, types.UserStatusRecently):
                kind = "recently"
            elif isinstance(st, types.UserStatusLastWeek):
                kind = "last_week"
            elif isinstance(st, types.UserStatusLastMonth):
                kind = "last_month"
            elif st is None or isinstance(st, types.UserStatusEmpty):
                kind = "hidden"
            b = full.full_user.birthday
            return {
                "person": _person(u) if u is not None else person,
                "about": (full.full_user.about or "").strip() or None,
                "last_seen": kind,
                "was_online": was,
                "birthday": (b.day, b.month, b.year) if b is not None else None,
                "has_photo": isinstance(getattr(u, "photo", None), types.UserProfilePhoto),
            }

        self._nap()
        return self._run(get())

    def photo(self, person: Person) -> bytes | None:
        """The person's current profile photo (JPEG bytes), None when they show none."""
        from telethon.tl import types

        async def get() -> bytes | None:
            entity = await self.tl.get_entity(types.InputPeerUser(person["id"], person["access_hash"] or 0))
            if not isinstance(getattr(entity, "photo", None), types.UserProfilePhoto):
                return None
            blob = await self.tl.download_profile_photo(entity, file=bytes)
            return bytes(blob) if blob else None

        return self._run(get())

    def common_groups(self, person: Person, limit: int = 100) -> list[CommonGroup]:
        """The groups and channels the user shares with the person (GetCommonChats)."""
        from telethon.tl import functions, types

        async def get() -> list[CommonGroup]:
            res = await self.tl(
                functions.messages.GetCommonChatsRequest(
                    types.InputUser(person["id"], person["access_hash"] or 0), max_id=0, limit=limit
                )
            )
            out: list[CommonGroup] = []
            for c in res.chats:
                if isinstance(c, (types.ChatEmpty, types.ChatForbidden, types.ChannelForbidden)):
                    continue
                user = getattr(c, "username", None) or None
                out.append(
                    {
                        "id": int(c.id),
                        "title": c.title or "",
                        "username": user,
                        "link": f"https://t.me/{user}" if user else None,
                        "participants_count": getattr(c, "participants_count", None),
                    }
                )
            return out

        return self._run(get())

    def send(self, person: Person, text: str, at: datetime | None = None) -> ChatMessage:
        """Send `text` to the person now, or with Telegram's own scheduled send at `at`."""
        from telethon.tl import types

        async def go() -> ChatMessage:
            peer = types.InputPeerUser(person["id"], person["access_hash"] or 0)
            m = await self.tl.send_message(peer, text, schedule=at)
            return ChatMessage(
                id=int(m.id), at=_iso(m.date or at), out=True, text=text, call=None, duration=None
            )

        return self._run(go())

    def scheduled(self, person: Person) -> list[int]:
        """The ids of the messages to the person in Telegram's scheduled send (GetScheduledHistory)."""
        from telethon.tl import functions, types

        async def get() -> list[int]:
            res = await self.tl(
                functions.messages.GetScheduledHistoryRequest(
                    types.InputPeerUser(person["id"], person["access_hash"] or 0), hash=0
                )
            )
            return [int(m.id) for m in getattr(res, "messages", [])]

        return self._run(get())

    def unschedule(self, person: Person, ids: list[int]) -> list[int]:
        """Delete scheduled messages to the person (DeleteScheduledMessages): the ids Telegram says it
        removed (one no longer scheduled, delivered or cancelled in the app, is not among them)."""
        from telethon.tl import functions, types

        async def go() -> list[int]:
            res = await self.tl(
                functions.messages.DeleteScheduledMessagesRequest(
                    types.InputPeerUser(person["id"], person["access_hash"] or 0), id=ids
                )
            )
            return [
                int(i)
                for u in getattr(res, "updates", [])
                if isinstance(u, types.UpdateDeleteScheduledMessages)
                for i in u.messages
            ]

        return self._run(go())
