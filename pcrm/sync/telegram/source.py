"""The Telegram adapter [telegram-sync]: what one `fetch(cursor)` brings.

1. The dialogs (one listing, Telegram's order: most recent first): DMs with people (no bots, no deleted
   accounts, not Saved Messages) and private groups.
2. Messages: a DM whose latest message id (`top_message`) is the one the cursor remembers is skipped
   without a request (the unchanged-dialog skip); each changed DM brings its last 50 messages: texts
   and calls (phone or video, with their duration), ref `{peerId}:{msgId}` as the Telegram Desktop import
   writes them [import-rerun-safety]. Its read receipt (`read_outbox_max_id`) marks the user's messages
   up to it read, also when only the receipt moved. 50 dialogs a batch, each batch with its people.
3. Groups, when `telegram.sync_2nd_tier` is on and the last pass is a week old: at most 20 private groups,
   200 members each, as 2nd-tier contacts [second-tier] (the tag only on contacts this creates); one batch
   a group.

The cursor (JSON) remembers each DM's `top_message` and read receipt, the groups this pass has done and
when the last pass ended, so a run resumes after its last committed batch and an unchanged account costs
one dialog listing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from pcrm import clock
from pcrm.domain.records import ContactRecord, InteractionRecord, ReadReceipt, Records
from pcrm.domain.sources import source
from pcrm.sync.base import Batch, Source, SourceError
from pcrm.sync.telegram import client as tgclient
from pcrm.sync.telegram.client import Telegram, api_credentials
from pcrm.sync.telegram.types import ChatMessage, DirectDialog, Person

DIALOGS_PER_BATCH = 50
MESSAGES_PER_DIALOG = 50
MAX_GROUPS = 20
MAX_MEMBERS = 200
GROUPS_EVERY = timedelta(days=7)
SECOND_TIER = "2nd tier"
PACE = (0.5, 1.0)  # seconds between per-dialog requests on a real account


@dataclass
class _State:
    top: dict[str, int] = field(default_factory=dict)
    read: dict[str, int] = field(default_factory=dict)
    groups_at: str | None = None
    groups_done: list[int] = field(default_factory=list)

    @classmethod
    def parse(cls, cursor: str | None) -> _State:
        if not cursor:
            return cls()
        try:
            d = json.loads(cursor)
            return cls(
                {str(k): int(v) for k, v in d.get("top", {}).items()},
                {str(k): int(v) for k, v in d.get("read", {}).items()},
                d.get("groups_at"),
                [int(g) for g in d.get("groups_done", [])],
            )
        except (ValueError, TypeError, AttributeError):
            return cls()  # a cursor of another version: start over (writes are idempotent)

    def dump(self) -> str:
        return json.dumps(
            {
                "v": 1,
                "top": self.top,
                "read": self.read,
                "groups_at": self.groups_at,
                "groups_done": self.groups_done,
            },
            separators=(",", ":"),
        )


def contact_data(p: Person) -> dict[str, Any]:
    """A Telegram user as contact input: names as Telegram shows them, falling back to the username or id."""
    first, last, user = p["first_name"], p["last_name"], p["username"]
    full = " ".join(x for x in (first, last) if x) or user or str(p["id"])
    data: dict[str, Any] = {
        "full_name": full,
        "given_name": first or user or str(p["id"]),
        "family_name": last or None,
        "telegram_user_id": str(p["id"]),
    }
    if user:
        data["telegram_username"] = user
    if p["phone"]:
        data["phones"] = [p["phone"]]
    return data


def interaction(row: int, contact: int, peer: int, m: ChatMessage, read_max: int) -> InteractionRecord:
    return InteractionRecord(
        row=row,
        contact=contact,
        platform="telegram",
        direction="outbound" if m["out"] else "inbound",
        occurred_at=m["at"],
        raw_reference_id=f"{peer}:{m['id']}",
        content_preview=m["text"],
        call_type=m["call"],
        duration_seconds=m["duration"],
        is_read_by_recipient=(m["id"] <= read_max) if m["out"] and not m["call"] else None,
    )


class TelegramSource(Source):
    spec = source("telegram")
    capabilities = frozenset({"contacts", "interactions", "bios", "avatars", "send", "per_contact"})
    client: Telegram

    @classmethod
    def connect(cls, secrets: Mapping[str, str], settings: Mapping[str, Any]) -> Telegram:
        api_id, api_hash = api_credentials(settings)
        tg = Telegram(tgclient.telethon_client(secrets["telegram.session"], api_id, api_hash), pace=PACE)
        if not tg.authorized():
            tg.close()
            raise SourceError(
                "the Telegram session is no longer valid", hint="log in again: pcrm auth telegram"
            )
        return tg

    def fetch(self, cursor: str | None) -> Iterator[Batch]:
        try:
            yield from self._fetch(_State.parse(cursor))
        finally:
            self.client.close()

    def _fetch(self, st: _State) -> Iterator[Batch]:
        tg = self.client
        dialogs = tg.dialogs()
        direct = dialogs["direct"]
        changed = [
            d
            for d in direct
            if st.top.get(str(d["person"]["id"])) != d["top_message"]
            or st.read.get(str(d["person"]["id"]), 0) != d["read_outbox_max_id"]
        ]
        chunks = [changed[i : i + DIALOGS_PER_BATCH] for i in range(0, len(changed), DIALOGS_PER_BATCH)]
        progress: dict[str, Any] = {
            "phase": "messages",
            "total_dialogs": len(direct),
            "dialogs_changed": len(changed),
            "dialogs_skipped": len(direct) - len(changed),
            "dialogs_processed": 0,
            "batches_total": len(chunks),
            "batches_completed": 0,
            "contacts_found": 0,
            "messages_synced": 0,
        }
        for k, chunk in enumerate(chunks):
            records = Records()
            for d in chunk:
                self._dialog(d, st, records)
            progress["dialogs_processed"] += len(chunk)
            progress["batches_completed"] = k + 1
            progress["contacts_found"] += len(chunk)
            progress["messages_synced"] += len(records.interactions)
            yield Batch(
                records,
                st.dump(),
                done=progress["dialogs_processed"],
                total=len(changed),
                details=dict(progress),
            )
        if self.settings.get("telegram.sync_2nd_tier", True) is False:
            return
        now = self.now()
        if st.groups_at and clock.parse_iso(st.groups_at) > now - GROUPS_EVERY:
            return
        groups = [g for g in dialogs["groups"][:MAX_GROUPS] if g["id"] not in st.groups_done]
        progress.update(phase="groups", groups_total=len(groups), groups_processed=0)
        for k, g in enumerate(groups):
            records = Records()
            for i, p in enumerate(tg.members(g, MAX_MEMBERS)):
                data = contact_data(p)
                data["tags"] = [SECOND_TIER]
                records.contacts.append(
                    ContactRecord(row=i + 1, data=data, new_only=frozenset({"tags"}), where=g["title"])
                )
            last = k == len(groups) - 1
            st.groups_done = [] if last else [*st.groups_done, g["id"]]
            if last:
                st.groups_at = clock.iso(now)
            progress["groups_processed"] = k + 1
            progress["contacts_found"] += len(records.contacts)
            yield Batch(records, st.dump(), done=k + 1, total=len(groups), details=dict(progress))

    def _dialog(self, d: DirectDialog, st: _State, records: Records) -> None:
        p = d["person"]
        key = str(p["id"])
        idx = len(records.contacts)
        records.contacts.append(ContactRecord(row=idx + 1, data=contact_data(p)))
        read_max = d["read_outbox_max_id"]
        if st.top.get(key) != d["top_message"]:
            for m in self.client.messages(p, MESSAGES_PER_DIALOG):
                records.interactions.append(
                    interaction(len(records.interactions) + 1, idx, p["id"], m, read_max)
                )
        if read_max:
            records.receipts.append(ReadReceipt(idx, "telegram", f"{key}:", read_max))
        st.top[key] = d["top_message"]
        st.read[key] = read_max
