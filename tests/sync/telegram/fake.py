"""A fake Telegram account at telethon's real boundary: `FakeTelegramClient` is a real `TelegramClient`
whose `__call__` answers each request with TL objects built from an `Account`, so telethon's own
`iter_dialogs`, `iter_messages`, `get_participants`, `send_code_request` and `sign_in` (including the SRP
check of a 2FA password) run unmodified and offline. Every TL constructor call of the tests is here, in one
module, since their arguments follow telethon's layer (pinned to 1.45).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from telethon import TelegramClient, errors, functions
from telethon import password as pwd
from telethon.crypto import AuthKey
from telethon.sessions import StringSession
from telethon.tl import types
from telethon.tl.types import account as acc
from telethon.tl.types import auth, channels, contacts, messages, storage, updates, upload, users

from pcrm.sync.telegram.client import Telegram

BASE = datetime(2025, 3, 1, tzinfo=UTC)
PHONE = "+12025550100"
CODE = "24680"
SELF_ID = 1000
# Telegram's 2048-bit SRP prime, as telethon checks it (taken from telethon so it is not pasted twice)
GOOD_PRIME = bytes(
    next(c for c in pwd.check_prime_and_good.__code__.co_consts if isinstance(c, tuple) and len(c) == 256)
)


def sha(*parts: bytes) -> bytes:
    h = hashlib.sha256()
    for p in parts:
        h.update(p)
    return h.digest()


@dataclass
class Account:
    """The server side: people with DMs, their messages, groups, login state.

    `people`: {id: {first, last, username, phone, bot}}; `chats`: {peer id: [(msg id, out, text | None,
    call | None, duration)]} in ascending id order; `read`: the read receipt of each DM; `groups`: {id:
    {title, kind ("chat" | "megagroup"), members: [user ids], username}}."""

    people: dict[int, dict[str, Any]] = field(default_factory=dict)
    chats: dict[int, list[tuple[int, bool, str | None, str | None, int | None]]] = field(default_factory=dict)
    read: dict[int, int] = field(default_factory=dict)
    groups: dict[int, dict[str, Any]] = field(default_factory=dict)
    password: str | None = None
    authorized: set[bytes] = field(default_factory=set)
    calls: dict[str, int] = field(default_factory=dict)  # requests answered, by TL name
    fail_history_at: int | None = None  # the ordinal of the GetHistory request that fails (connection lost)
    flood_history_at: int | None = None  # ... that answers FloodWait(flood_seconds), once
    flood_seconds: int = 30
    # profiles (GetFullUser): bio, status ("online" | "offline" | "recently" | "last_week" | "last_month" |
    # "hidden"), birthday (day, month, year), photo bytes; common groups by person; messages sent
    bios: dict[int, str] = field(default_factory=dict)
    status: dict[int, str] = field(default_factory=dict)
    birthdays: dict[int, tuple[int, int, int | None]] = field(default_factory=dict)
    photos: dict[int, bytes] = field(default_factory=dict)
    common: dict[int, list[int]] = field(default_factory=dict)
    sent: list[dict[str, Any]] = field(default_factory=list)
    # the scheduled send: {peer id: {message id: (text, when)}} waiting to go out (GetScheduledHistory,
    # DeleteScheduledMessages); a message sent with a schedule date waits here
    scheduled: dict[int, dict[int, tuple[str, datetime]]] = field(default_factory=dict)
    flood_profile: bool = False  # GetFullUser answers FloodWait(flood_seconds), once
    refuse_profiles: set[int] = field(default_factory=set)  # GetFullUser answers USER_ID_INVALID for these
    next_id: int = 100_000
    dates: dict[int, datetime] = field(default_factory=dict)  # a message's date, when not derived from its id
    _srp: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------ building data

    def person(
        self,
        uid: int,
        first: str,
        last: str = "",
        *,
        username: str | None = None,
        phone: str | None = None,
        bot: bool = False,
    ) -> None:
        self.people[uid] = {"first": first, "last": last, "username": username, "phone": phone, "bot": bot}

    def say(
        self,
        uid: int,
        text: str | None,
        *,
        out: bool = False,
        call: str | None = None,
        duration: int | None = None,
    ) -> int:
        self.next_id += 1
        self.chats.setdefault(uid, []).append((self.next_id, out, text, call, duration))
        return self.next_id

    def group(
        self, gid: int, title: str, members: list[int], *, kind: str = "chat", username: str | None = None
    ) -> None:
        self.groups[gid] = {"title": title, "kind": kind, "members": members, "username": username}
        self.next_id += 1
        self.groups[gid]["top"] = self.next_id

    # ------------------------------------------------------------ TL objects

    def user(self, uid: int) -> types.User:
        if uid == SELF_ID:
            return types.User(
                id=SELF_ID, is_self=True, access_hash=1, first_name="Me", username="me_here", phone=PHONE[1:]
            )
        p = self.people[uid]
        return types.User(
            id=uid,
            access_hash=uid * 7,
            first_name=p["first"] or None,
            last_name=p["last"] or None,
            username=p["username"],
            phone=p["phone"][1:] if p["phone"] else None,
            bot=p["bot"] or None,
            status=self._status(uid),
            photo=types.UserProfilePhoto(photo_id=uid * 11, dc_id=2) if uid in self.photos else None,
        )

    def _status(self, uid: int) -> Any:
        kind = self.status.get(uid, "offline")
        return {
            "online": lambda: types.UserStatusOnline(expires=BASE + timedelta(minutes=5)),
            "offline": lambda: types.UserStatusOffline(was_online=BASE),
            "recently": lambda: types.UserStatusRecently(),
            "last_week": lambda: types.UserStatusLastWeek(),
            "last_month": lambda: types.UserStatusLastMonth(),
            "hidden": lambda: types.UserStatusEmpty(),
        }[kind]()

    def message(self, uid: int, m: tuple[int, bool, str | None, str | None, int | None]) -> Any:
        mid, out, text, call, duration = m
        date = self.dates.get(mid, BASE + timedelta(minutes=mid - 100_000))
        peer = types.PeerUser(uid)
        sender = types.PeerUser(SELF_ID if out else uid)
        if call:
            action = types.MessageActionPhoneCall(
                call_id=mid, video=call == "video" or None, duration=duration
            )
            return types.MessageService(
                id=mid, peer_id=peer, date=date, action=action, out=out or None, from_id=sender
            )
        return types.Message(
            id=mid, peer_id=peer, date=date, message=text or "", out=out or None, from_id=sender
        )

    def chat_entity(self, gid: int) -> Any:
        g = self.groups[gid]
        if g["kind"] == "chat":
            return types.Chat(
                id=gid,
                title=g["title"],
                photo=types.ChatPhotoEmpty(),
                participants_count=len(g["members"]),
                date=BASE,
                version=1,
            )
        return types.Channel(
            id=gid,
            title=g["title"],
            photo=types.ChatPhotoEmpty(),
            date=BASE,
            megagroup=True,
            access_hash=gid * 3,
            username=g["username"],
        )

    def dialog_list(self) -> list[tuple[Any, Any, Any, Any]]:
        """(peer, dialog, top message, entity), most recent first."""
        out = []
        for uid, msgs in self.chats.items():
            top = msgs[-1]
            d = types.Dialog(
                peer=types.PeerUser(uid),
                top_message=top[0],
                read_inbox_max_id=top[0],
                read_outbox_max_id=self.read.get(uid, 0),
                unread_count=0,
                unread_mentions_count=0,
                unread_reactions_count=0,
                unread_poll_votes_count=0,
                notify_settings=types.PeerNotifySettings(),
            )
            out.append((types.PeerUser(uid), d, self.message(uid, top), self.user(uid)))
        for gid, g in self.groups.items():
            peer = types.PeerChat(gid) if g["kind"] == "chat" else types.PeerChannel(gid)
            d = types.Dialog(
                peer=peer,
                top_message=g["top"],
                read_inbox_max_id=g["top"],
                read_outbox_max_id=0,
                unread_count=0,
                unread_mentions_count=0,
                unread_reactions_count=0,
                unread_poll_votes_count=0,
                notify_settings=types.PeerNotifySettings(),
            )
            msg = types.Message(
                id=g["top"], peer_id=peer, date=BASE + timedelta(minutes=g["top"] - 100_000), message="hi all"
            )
            out.append((peer, d, msg, self.chat_entity(gid)))
        out.sort(key=lambda t: t[2].date, reverse=True)
        return out

    # ------------------------------------------------------------ answering requests

    def answer(self, client: FakeTelegramClient, r: Any) -> Any:
        name = type(r).__name__
        self.calls[name] = self.calls.get(name, 0) + 1
        key = client.session.auth_key.key if client.session.auth_key else b""
        if isinstance(r, functions.auth.SendCodeRequest):
            if "".join(ch for ch in r.phone_number if ch.isdigit()) != PHONE[1:]:
                raise errors.PhoneNumberInvalidError(request=r)
            return auth.SentCode(type=auth.SentCodeTypeApp(length=5), phone_code_hash="hash-1")
        if isinstance(r, functions.auth.SignInRequest):
            if r.phone_code != CODE:
                raise errors.PhoneCodeInvalidError(request=r)
            if r.phone_code_hash != "hash-1":
                raise errors.PhoneCodeExpiredError(request=r)
            if self.password:
                raise errors.SessionPasswordNeededError(request=r)
            self.authorized.add(key)
            return auth.Authorization(user=self.user(SELF_ID))
        if isinstance(r, functions.account.GetPasswordRequest):
            return self._password_challenge()
        if isinstance(r, functions.auth.CheckPasswordRequest):
            if not self._srp_ok(r.password):
                raise errors.PasswordHashInvalidError(request=r)
            self.authorized.add(key)
            return auth.Authorization(user=self.user(SELF_ID))
        if key not in self.authorized:
            raise errors.AuthKeyUnregisteredError(request=r)
        if isinstance(r, functions.auth.LogOutRequest):
            self.authorized.discard(key)
            return auth.LoggedOut()
        if isinstance(r, functions.updates.GetDifferenceRequest):  # telethon catches up after a login
            return updates.DifferenceEmpty(date=BASE, seq=0)
        if isinstance(r, functions.updates.GetStateRequest):
            return updates.State(pts=1, qts=0, date=BASE, seq=0, unread_count=0)
        if isinstance(r, functions.users.GetUsersRequest):
            # like Telegram: a user is known by id only with the access hash this account was given
            out = []
            for iu in r.id:
                if isinstance(iu, types.InputUserSelf):
                    out.append(self.user(SELF_ID))
                elif iu.user_id in self.people and iu.access_hash == iu.user_id * 7:
                    out.append(self.user(iu.user_id))
            return out
        if isinstance(r, functions.contacts.ResolveUsernameRequest):
            uid = next((u for u, p in self.people.items() if (p["username"] or "") == r.username), None)
            if uid is None:
                raise errors.UsernameNotOccupiedError(request=r)
            return contacts.ResolvedPeer(peer=types.PeerUser(uid), chats=[], users=[self.user(uid)])
        if isinstance(r, functions.users.GetFullUserRequest):
            uid = r.id.user_id
            if self.flood_profile:
                self.flood_profile = False
                raise errors.FloodWaitError(request=r, capture=self.flood_seconds)
            if uid in self.refuse_profiles:
                raise errors.UserIdInvalidError(request=r)
            b = self.birthdays.get(uid)
            full = types.UserFull(
                id=uid,
                settings=types.PeerSettings(),
                notify_settings=types.PeerNotifySettings(),
                common_chats_count=len(self.common.get(uid, [])),
                about=self.bios.get(uid),
                birthday=types.Birthday(day=b[0], month=b[1], year=b[2]) if b else None,
            )
            return users.UserFull(full_user=full, chats=[], users=[self.user(uid)])
        if isinstance(r, functions.messages.GetCommonChatsRequest):
            return messages.Chats(chats=[self.chat_entity(g) for g in self.common.get(r.user_id.user_id, [])])
        if isinstance(r, functions.messages.SendMessageRequest):
            self.next_id += 1
            when = r.schedule_date
            self.sent.append({"to": r.peer.user_id, "text": r.message, "schedule": when, "id": self.next_id})
            if when is not None:
                self.scheduled.setdefault(r.peer.user_id, {})[self.next_id] = (r.message, when)
            return types.UpdateShortSentMessage(
                id=self.next_id, pts=1, pts_count=1, date=when or BASE + timedelta(days=30), out=True
            )
        if isinstance(r, functions.messages.GetScheduledHistoryRequest):
            uid = r.peer.user_id
            waiting = [
                types.Message(
                    id=mid,
                    peer_id=types.PeerUser(uid),
                    date=when,
                    message=text,
                    out=True,
                    from_scheduled=True,
                )
                for mid, (text, when) in sorted(self.scheduled.get(uid, {}).items())
            ]
            return messages.Messages(messages=waiting, topics=[], chats=[], users=[])
        if isinstance(r, functions.messages.DeleteScheduledMessagesRequest):
            uid = r.peer.user_id
            gone = [mid for mid in r.id if self.scheduled.get(uid, {}).pop(mid, None) is not None]
            done = (
                [types.UpdateDeleteScheduledMessages(peer=types.PeerUser(uid), messages=gone)] if gone else []
            )
            return types.Updates(updates=done, users=[], chats=[], date=BASE, seq=0)
        if isinstance(r, functions.upload.GetFileRequest):
            uid = r.location.peer.user_id
            blob = self.photos[uid][r.offset : r.offset + r.limit]
            return upload.File(type=storage.FileJpeg(), mtime=0, bytes=blob)
        if isinstance(r, functions.messages.GetDialogsRequest):
            return self._dialogs(r)
        if isinstance(r, functions.messages.GetHistoryRequest):
            n = self.calls[name] - 1
            if n == self.fail_history_at:
                raise ConnectionError("connection reset by peer")
            if n == self.flood_history_at:
                self.flood_history_at = None
                raise errors.FloodWaitError(request=r, capture=self.flood_seconds)
            uid = r.peer.user_id
            msgs = [m for m in reversed(self.chats.get(uid, [])) if not r.offset_id or m[0] < r.offset_id]
            return messages.Messages(
                messages=[self.message(uid, m) for m in msgs[: r.limit]],
                topics=[],
                chats=[],
                users=[self.user(uid)],
            )
        if isinstance(r, functions.messages.GetFullChatRequest):
            g = self.groups[r.chat_id]
            parts = [types.ChatParticipant(user_id=u, inviter_id=SELF_ID, date=BASE) for u in g["members"]]
            full = types.ChatFull(
                id=r.chat_id,
                about="",
                participants=types.ChatParticipants(chat_id=r.chat_id, participants=parts, version=1),
                notify_settings=types.PeerNotifySettings(),
            )
            return messages.ChatFull(
                full_chat=full,
                chats=[self.chat_entity(r.chat_id)],
                users=[self.user(u) for u in g["members"]],
            )
        if isinstance(r, functions.channels.GetParticipantsRequest):
            g = self.groups[r.channel.channel_id]
            page = g["members"][r.offset : r.offset + r.limit]
            return channels.ChannelParticipants(
                count=len(g["members"]),
                participants=[types.ChannelParticipant(user_id=u, date=BASE) for u in page],
                chats=[],
                users=[self.user(u) for u in page],
            )
        raise AssertionError(f"the fake Telegram does not answer {name}")

    def _dialogs(self, r: Any) -> Any:
        items = self.dialog_list()
        start = 0
        if not isinstance(r.offset_peer, types.InputPeerEmpty):
            want = (
                getattr(r.offset_peer, "user_id", None)
                or getattr(r.offset_peer, "chat_id", None)
                or getattr(r.offset_peer, "channel_id", None)
            )
            for i, (peer, *_rest) in enumerate(items):
                if (
                    getattr(peer, "user_id", None) == want
                    or getattr(peer, "chat_id", None) == want
                    or getattr(peer, "channel_id", None) == want
                ):
                    start = i + 1
        page = items[start : start + r.limit]
        users = [e for *_x, e in page if isinstance(e, types.User)]
        chats = [e for *_x, e in page if not isinstance(e, types.User)]
        args = {
            "dialogs": [d for _p, d, _m, _e in page],
            "messages": [m for _p, _d, m, _e in page],
            "chats": chats,
            "users": users,
        }
        if start + r.limit < len(items):
            return messages.DialogsSlice(count=len(items), **args)
        return messages.Dialogs(**args)

    def _password_challenge(self) -> Any:
        assert self.password is not None
        algo = types.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow(
            salt1=b"salt-one", salt2=b"salt-two-sixteen", g=3, p=GOOD_PRIME
        )
        p = int.from_bytes(GOOD_PRIME, "big")
        x = int.from_bytes(pwd.compute_hash(algo, self.password), "big")
        v = pow(3, x, p)
        k = int.from_bytes(sha(pwd.num_bytes_for_hash(GOOD_PRIME), pwd.big_num_for_hash(3)), "big")
        b = int.from_bytes(os.urandom(256), "big")
        big_b = (k * v + pow(3, b, p)) % p
        self._srp = {"algo": algo, "v": v, "b": b, "B": pwd.big_num_for_hash(big_b)}
        return acc.Password(
            new_algo=types.PasswordKdfAlgoUnknown(),
            new_secure_algo=types.SecurePasswordKdfAlgoUnknown(),
            secure_random=os.urandom(8),
            has_password=True,
            current_algo=algo,
            srp_B=self._srp["B"],
            srp_id=7,
        )

    def _srp_ok(self, check: Any) -> bool:
        s = self._srp
        p = int.from_bytes(GOOD_PRIME, "big")
        a_bytes = check.A
        u = int.from_bytes(sha(a_bytes, s["B"]), "big")
        big_s = pow(int.from_bytes(a_bytes, "big") * pow(s["v"], u, p) % p, s["b"], p)
        k_ = sha(pwd.big_num_for_hash(big_s))
        m1 = sha(
            pwd.xor(sha(pwd.num_bytes_for_hash(GOOD_PRIME)), sha(pwd.big_num_for_hash(3))),
            sha(s["algo"].salt1),
            sha(s["algo"].salt2),
            a_bytes,
            s["B"],
            k_,
        )
        return bool(m1 == check.M1)


class FakeTelegramClient(TelegramClient):  # type: ignore[misc]
    """A real telethon client that never opens a socket: `connect` only sets an auth key, `__call__`
    asks the `Account`."""

    def __init__(self, account: Account, session: str = "") -> None:
        super().__init__(StringSession(session or None), api_id=1, api_hash="x", receive_updates=False)
        self.account = account
        self._up = False

    async def connect(self) -> None:
        if self.session.auth_key is None:
            self.session.set_dc(2, "149.154.167.51", 443)
            self.session.auth_key = AuthKey(os.urandom(256))
        self._up = True

    def is_connected(self) -> bool:
        return self._up

    def disconnect(self) -> Any:
        async def down() -> None:
            self._up = False

        return down()

    async def __call__(self, request: Any, ordered: bool = False, flood_sleep_threshold: Any = None) -> Any:
        if isinstance(request, list):
            return [self.account.answer(self, r) for r in request]
        return self.account.answer(self, request)

    async def _call(
        self, sender: Any, request: Any, ordered: bool = False, flood_sleep_threshold: Any = None
    ) -> Any:
        # telethon's file downloader sends through its sender directly, past __call__
        return await self(request)


def logged_in(account: Account) -> Telegram:
    """A client over `account` that is logged in already (what connect() hands the adapter)."""
    c = FakeTelegramClient(account)
    c.session.set_dc(2, "149.154.167.51", 443)
    c.session.auth_key = AuthKey(os.urandom(256))
    account.authorized.add(c.session.auth_key.key)
    c._mb_entity_cache.set_self_user(SELF_ID, False, 1)
    return Telegram(c)


def sample(dms: int = 12, per_dm: int = 6) -> Account:
    """A small account: `dms` people (one with a company-less name only, one username-only), each with
    `per_dm` texts and one call every third DM; a bot DM; a private group and a public megagroup."""
    a = Account()
    for i in range(dms):
        uid = 2000 + i
        if i == 1:
            a.person(uid, "", username=f"only_user{i}")
        else:
            a.person(
                uid,
                f"Person{i}",
                f"Family{i}",
                username=f"person{i}" if i % 2 else None,
                phone=f"+1202555{i:04d}",
            )
    a.person(3000, "Helper", bot=True)
    for i in range(dms):
        uid = 2000 + i
        for k in range(per_dm):
            a.say(uid, f"hello {i}.{k}", out=k % 2 == 1)
        a.say(uid, None)  # a media-only message: left out
        if i % 3 == 0:
            a.say(uid, None, out=True, call="video" if i % 2 else "phone", duration=60 + i)
        a.read[uid] = a.chats[uid][-2][0]
    a.say(3000, "I am a bot")
    a.person(4001, "Grace", "Member", username="grace_m")
    a.person(4002, "Alan", "Member")
    a.group(500, "Book club", [SELF_ID, 2000, 4001, 4002, 3000])
    a.group(600, "Public chat", [4001, 2001], kind="megagroup", username="publicchat")
    a.group(700, "Team", [4002, 2002], kind="megagroup")
    return a
