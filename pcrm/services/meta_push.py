"""`POST /meta/push` [extension-push]: Messenger and Instagram conversations the extension read.

Body `{platform: "facebook"|"instagram", profiles: [<=50 {platform_id, name, username?, avatar_url?,
avatar_data?}], messages: [<=500 {message_id, conversation_id, platform_id?, sender_name, direction,
content_preview?, timestamp, reactions: [{reactor_id, type}], read_by: [ids]}]}`:
- a profile matches on its platform id; the name fills an empty name, `facebook_name` or the Instagram
  username is set; the avatar comes from `avatar_data`, else from `avatar_url` on Meta's image hosts only
  [push-avatars];
- a message has the reference `{platform}:{message_id}` and goes to the contact of its platform id (a stub
  when nobody has it); a sender with a name alone is one record per name and conversation, matched as
  [import-matching] matches a chat: the contact already holding one of the pushed messages, else the oldest
  contact of that name holding earlier messages of the conversation (or, in the same push, the platform
  id's contact it was pushed with), else the one contact of another name known in the conversation by it
  (renamed since), never a namesake on the name alone: otherwise a stub of that name is created and queued
  for review with its namesakes. The conversation id, the name the message came with (`pushed_name`),
  reactions and read_by are kept in extra_data.
Answer: `{contacts_created, contacts_updated, interactions_created, interactions_skipped, backfill_needed:
[{contact_id, platform_id, platform}], errors}` (backfill: contacts with a platform id and no avatar).
"""

from __future__ import annotations

from typing import Any

from pcrm.domain import normalize as n
from pcrm.domain.records import ContactRecord, InteractionRecord, Thread
from pcrm.errors import ValidationError
from pcrm.services import push, push_avatars
from pcrm.services.context import Context, Result
from pcrm.store import contacts as cstore
from pcrm.store import import_keys as ikeys
from pcrm.store import push as store
from pcrm.store import settings as sstore
from pcrm.store.db import write

PLATFORMS = ("facebook", "instagram")
BACKFILL = 10
META_STATE = "_internal.meta"  # {connected: true} after the first push


def _profiles(
    platform: str, body: dict[str, Any], p: push.Parsed, urls: dict[int, tuple[int, str, str]]
) -> dict[str, int]:
    """One contact record per profile; platform id -> record index. `urls`: as in linkedin_push."""
    index: dict[str, int] = {}
    id_key = f"{platform}_id"

    def one(i: int, item: dict[str, Any]) -> None:
        pid = push.text(item, "platform_id", 100)
        if not pid:
            raise push.ItemError("platform_id is required")
        name = push.text(item, "name", 200)
        data: dict[str, Any] = {**push.split_name(name), id_key: pid}
        if platform == "facebook":
            data["facebook_name"] = name
        else:
            data["instagram_username"] = push.text(item, "username", 100)
        try:
            photo = push.avatar(item.get("avatar_data"))
        except push.ItemError as e:
            p.errors.append(f"profiles[{i}]: {e}")
            photo = None
        url = push_avatars.wanted(item, i, platform, p.errors)
        if url:
            urls[len(p.records.contacts)] = (i, pid, url)
        index[pid] = len(p.records.contacts)
        p.platform_ids.add(pid)
        rec = ContactRecord(
            row=i + 1, data={k: v for k, v in data.items() if v}, where="profiles", avatar=photo
        )
        p.records.contacts.append(rec)

    push.each(push.items(body, "profiles", push.MAX_PROFILES), "profiles", p.errors, one)
    return index


def _list(item: dict[str, Any], key: str) -> list[Any]:
    v = item.get(key)
    if v is None:
        return []
    if not isinstance(v, list):
        raise push.ItemError(f"{key} must be a list")
    return v[:100]


def _messages(
    ctx: Context, platform: str, body: dict[str, Any], p: push.Parsed, index: dict[str, int]
) -> None:
    in_thread: dict[tuple[str, str | None], int] = {}  # (folded sender name, conversation) -> record index
    id_key = f"{platform}_id"

    def one(i: int, item: dict[str, Any]) -> None:
        mid = push.text(item, "message_id", 200)
        if not mid:
            raise push.ItemError("message_id is required")
        pid = push.text(item, "platform_id", 100)
        name = push.text(item, "sender_name", 200)
        # the whole item is read before any stub is made: a malformed message adds nobody
        extra: dict[str, Any] = {"reactions": _list(item, "reactions"), "read_by": _list(item, "read_by")}
        conv = push.text(item, "conversation_id", 300)
        if conv:
            extra["conversation_id"] = conv
        if name:  # the chat's later pushes find its contact by the name it came with, renamed or not
            extra[ikeys.PUSHED_NAME] = name
        content = push.text(item, "content_preview")
        if pid:
            if pid not in index:
                index[pid] = len(p.records.contacts)
                p.platform_ids.add(pid)
                p.records.contacts.append(
                    ContactRecord(row=i + 1, data={**push.split_name(name), id_key: pid}, where="messages")
                )
            target = index[pid]
            if name:  # a message of this chat pushed with the name alone is theirs too
                in_thread.setdefault((n.fold(name), conv), target)
        elif name:
            sender = (n.fold(name), conv)
            if sender not in in_thread:  # one record per name and chat: matched as a chat [import-matching]
                in_thread[sender] = len(p.records.contacts)
                thread = Thread(platform, conv) if conv else None
                p.records.contacts.append(
                    ContactRecord(row=i + 1, data=push.split_name(name), where="messages", thread=thread)
                )
            target = in_thread[sender]
        else:
            p.skipped += 1
            return
        p.records.interactions.append(
            InteractionRecord(
                row=i + 1,
                contact=target,
                platform=platform,
                direction=push.direction(item.get("direction")),  # type: ignore[arg-type]
                occurred_at=push.timestamp(ctx, item.get("timestamp")),
                raw_reference_id=f"{platform}:{mid}",
                content_preview=content,
                extra_data=extra,
                where="messages",
            )
        )

    push.each(push.items(body, "messages", push.MAX_MESSAGES), "messages", p.errors, one)


def _backfill(ctx: Context, platform: str, pids: set[str]) -> list[dict[str, Any]]:
    conn = ctx.conn
    ids = [c for s in sorted(pids) if (c := cstore.id_by_identity(conn, platform, "external_id", s))]
    rows = cstore.fetch_contacts(conn, ids) if ids else []
    out = [r for r in rows if not r.get("avatar_url")]
    more = store.missing_avatars(conn, platform, ids, BACKFILL - len(out)) if len(out) < BACKFILL else []
    out += cstore.fetch_contacts(conn, more) if more else []
    return [
        {"contact_id": r["id"], "platform_id": r.get(f"{platform}_id"), "platform": platform} for r in out
    ]


def _platform(body: dict[str, Any]) -> str:
    platform = body.get("platform")
    if platform not in PLATFORMS:
        raise ValidationError(
            "platform must be facebook or instagram", field="platform", hint="use facebook or instagram"
        )
    return str(platform)


def download_avatars(ctx: Context, body: dict[str, Any]) -> push_avatars.Downloaded:
    """The avatar downloads a push needs, before its write: the daemon's prepare step [prepare-off-lane]."""
    platform = _platform(body)
    p = push.Parsed()
    urls: dict[int, tuple[int, str, str]] = {}
    _profiles(platform, body, p, urls)
    return push_avatars.download(ctx, platform, p, urls)


def meta_push(
    ctx: Context, body: dict[str, Any], *, prepared: push_avatars.Downloaded | None = None
) -> Result:
    """POST /meta/push: write what the extension read on Messenger or Instagram. `prepared`: as in
    linkedin_push."""
    platform = _platform(body)
    p = push.Parsed()
    urls: dict[int, tuple[int, str, str]] = {}
    index = _profiles(platform, body, p, urls)
    _messages(ctx, platform, body, p, index)
    push_avatars.attach(ctx, platform, p, urls, prepared)
    report, _changed = push.write_push(ctx, platform, p)
    if not connected(ctx):
        with write(ctx.conn):
            sstore.put(ctx.conn, META_STATE, {"connected": True}, ctx.now_iso())
    return Result(
        {
            **push.counts(report),
            "backfill_needed": _backfill(ctx, platform, p.platform_ids),
            "errors": report["errors"],
        },
        {"batch_id": report.get("batch_id")},
    )


def connected(ctx: Context) -> bool:
    """Whether the extension has pushed Messenger or Instagram data (`meta_connected` of /auth/me)."""
    return bool((sstore.get(ctx.conn, META_STATE) or {}).get("connected"))
