"""Telegram for one contact: the groups you share [telegram-common-groups], syncing their DM now
[telegram-sync], and sending them a message [telegram-send].

Each checks the rate-limit gate first and closes it on a FloodWait [telegram-flood]; the contact's peer is
resolved from its stored numeric id first (no username lookup), then its username, then one dialog
listing. Messages a per-contact sync brings go through the ingest engine like the account-wide sync's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pcrm import clock
from pcrm.domain.dates import parse_future
from pcrm.domain.query import parse_bool
from pcrm.domain.records import ContactRecord, Records
from pcrm.errors import BadRequest, Conflict, NotFound, PcrmError, ValidationError
from pcrm.services import idle, ingest, interactions, scores, sync, telegram
from pcrm.services.contacts import rowid
from pcrm.services.context import Context, Result
from pcrm.services.import_report import empty_report
from pcrm.store import contacts as cstore
from pcrm.store import interactions as itstore
from pcrm.store import locks
from pcrm.store import suggestions as sstore
from pcrm.store import telegram as tgstore
from pcrm.store.db import write
from pcrm.sync.telegram.client import FloodWait
from pcrm.sync.telegram.source import MESSAGES_PER_DIALOG, interaction
from pcrm.sync.telegram.types import Person

SOURCE = "telegram"
GROUPS_FRESH = timedelta(hours=24)
SYNC_EVERY = timedelta(hours=1)
MAX_MESSAGE = 4096  # Telegram's limit for one text message
MAX_AHEAD = timedelta(days=365)  # how far ahead Telegram schedules
NOT_CONNECTED = "telegram_not_connected"  # the reference's reason


def _ident(ctx: Context, cid: int) -> dict[str, Any] | None:
    return tgstore.identity_of(ctx.conn, cid)


def _resolve(tg: Any, ident: Mapping[str, Any]) -> Person | None:
    uid = ident.get("telegram_user_id")
    return tg.resolve(int(uid) if uid and str(uid).isdigit() else None, ident.get("telegram_username"))


def _found(tg: Any, ident: Mapping[str, Any], hint: str) -> Person:
    """The contact's Telegram account, or an upstream error with `hint` when Telegram cannot find it."""
    person = _resolve(tg, ident)
    if person is None:
        raise PcrmError("Telegram cannot find this contact's account", code="upstream_error", hint=hint)
    return person


def _backfill_id(ctx: Context, cid: int, ident: Mapping[str, Any], person: Person) -> None:
    """Keep the numeric id Telegram resolved a username to (inside the caller's transaction)."""
    if ident.get("telegram_user_id"):
        return
    holder = cstore.id_by_identity(ctx.conn, "telegram", "external_id", str(person["id"]))
    if holder is None:
        cstore.set_identity(ctx.conn, cid, "telegram", "external_id", str(person["id"]), ctx.now_iso())


# ---------------------------------------------------------------------- common groups


@dataclass
class Groups:
    """What Telegram answered about the groups shared with one contact, before anything is written
    [prepare-off-lane]: `answer` when nothing is to be written (cached, not connected, not resolved)."""

    cid: int
    ident: dict[str, Any] | None
    answer: Result | None = None
    person: Person | None = None
    groups: list[Any] | None = None
    flood: FloodWait | None = None  # for the write step to close the gate (fetching writes nothing)


def fetch_groups(ctx: Context, contact_id: str, *, force: Any = None) -> Groups:
    """The network half of `common_groups`, nothing written; the daemon runs it off its writer lane."""
    cid = rowid(ctx, contact_id)
    ident = _ident(ctx, cid)
    if ident is None or not telegram.status(ctx)["connected"]:
        return Groups(cid, ident, Result([], {"cached": False}))
    cur = cstore.fetch_contacts(ctx.conn, [cid])[0]
    cached = cur.get("telegram_common_groups") or []
    fetched = cur.get("telegram_groups_fetched_at")
    fresh = fetched is not None and clock.parse_iso(fetched) > ctx.now() - GROUPS_FRESH
    wait = sync.gate_wait(ctx, SOURCE)
    if (fresh and not parse_bool(force, "force")) or wait:
        meta: dict[str, Any] = {"cached": True, "fetched_at": fetched}
        if wait:
            meta["retry_after"] = wait
        return Groups(cid, ident, Result(cached, meta))
    with telegram.using(ctx, telegram.account_client(ctx)) as tg:
        try:
            person = _resolve(tg, ident)
            groups = tg.common_groups(person) if person else None
        except FloodWait as exc:
            return Groups(cid, ident, flood=exc)
    if person is None or groups is None:
        return Groups(
            cid,
            ident,
            Result(cached, {"cached": True, "fetched_at": fetched, "reason": "entity_not_resolved"}),
        )
    return Groups(cid, ident, person=person, groups=groups)


def common_groups(
    ctx: Context, contact_id: str, *, force: Any = None, prepared: Groups | None = None
) -> Result:
    """GET /contacts/{id}/telegram/common-groups: [{id, title, username, link, participants_count}].
    [] when Telegram is not connected or the contact has no Telegram identity; fetched at most once a day
    (the cached list within 24 hours unless force, also while the rate-limit gate is closed). `prepared`:
    `fetch_groups` done beforehand off the daemon's writer lane [prepare-off-lane]; None fetches here."""
    got = prepared if prepared is not None else fetch_groups(ctx, contact_id, force=force)
    if got.flood is not None:
        raise telegram.flood_refused(ctx, got.flood)
    if got.answer is not None:
        return got.answer
    assert got.ident is not None and got.person is not None
    now = ctx.now_iso()
    with write(ctx.conn):
        cstore.update_contact(
            ctx.conn, got.cid, {"telegram_common_groups": got.groups, "telegram_groups_fetched_at": now}, now
        )
        _backfill_id(ctx, got.cid, got.ident, got.person)
    return Result(got.groups, {"cached": False, "fetched_at": now})


# ---------------------------------------------------------------------- per-contact sync


@dataclass
class Dm:
    """What Telegram answered about one contact's DM, before anything is written [prepare-off-lane]."""

    cid: int
    ident: dict[str, Any]
    person: Person | None = None
    messages: list[Any] = field(default_factory=list)
    skipped: str | None = None  # why nothing is to be written
    flood: FloodWait | None = None  # for the write step to close the gate (fetching writes nothing)


def fetch_dm(ctx: Context, contact_id: str, *, force: Any = None) -> Dm:
    """The network half of `sync_contact`: the DM's last messages, nothing written. The daemon runs it off
    its writer lane [prepare-off-lane]."""
    cid = rowid(ctx, contact_id)
    if not telegram.connected():  # said first, whatever the contact holds: connecting is the step to take
        return Dm(cid, {}, skipped=NOT_CONNECTED)
    ident = _ident(ctx, cid)
    if ident is None:  # skipped, as the reference says `no_telegram` (sync-twitter: `no_twitter`)
        return Dm(cid, {}, skipped="no_telegram")
    held = locks.get(ctx.conn, f"tg_msg_sync:{cid}")
    if not parse_bool(force, "force") and held and clock.parse_iso(held["expires_at"]) > ctx.now():
        return Dm(cid, ident, skipped="synced_recently")
    with telegram.using(ctx, telegram.account_client(ctx)) as tg:
        try:
            person = _resolve(tg, ident)
            msgs = tg.messages(person, MESSAGES_PER_DIALOG) if person else []
        except FloodWait as exc:
            return Dm(cid, ident, flood=exc)
    return Dm(cid, ident, person, msgs, None if person else "entity_not_resolved")


def sync_contact(ctx: Context, contact_id: str, *, force: Any = None, prepared: Dm | None = None) -> Result:
    """POST /contacts/{id}/sync-telegram: the DM's last 50 messages now, through the ingest engine:
    {new_interactions}; {new_interactions: 0, skipped: true, reason} within an hour of the last one
    (`synced_recently`, unless force), when Telegram cannot find the person (`entity_not_resolved`), when
    the contact has no Telegram account on file (`no_telegram`) or, said first, while Telegram is not
    connected (`telegram_not_connected`, with a message and the hint that connects it [idle-answers]).
    `prepared`: `fetch_dm` done beforehand off the daemon's writer lane; None fetches here."""
    got = prepared if prepared is not None else fetch_dm(ctx, contact_id, force=force)
    if got.skipped == NOT_CONNECTED:
        return idle.not_connected(
            {"new_interactions": 0},
            reason=NOT_CONNECTED,
            message="Telegram is not connected, so there are no messages to sync",
            hint="connect it with: pcrm auth telegram",
            sources=(SOURCE,),
        )
    if got.flood is not None:
        raise telegram.flood_refused(ctx, got.flood)
    if got.skipped or got.person is None:
        return Result(
            {"new_interactions": 0, "skipped": True, "reason": got.skipped or "entity_not_resolved"}
        )
    cid, ident, person, msgs = got.cid, got.ident, got.person, got.messages
    marker = f"tg_msg_sync:{cid}"
    rows = cstore.fetch_contacts(ctx.conn, [cid])  # as it is now: Telegram was asked without the lane
    if not rows:
        raise NotFound("the contact was deleted during the sync", hint="pcrm contacts list")
    read_max = int(rows[0].get("telegram_read_outbox_max_id") or 0)
    data: dict[str, Any] = {"telegram_user_id": str(person["id"])}
    records = Records(contacts=[ContactRecord(row=1, data=data, create=False, where="dm")])
    records.interactions = [interaction(i + 1, 0, person["id"], m, read_max) for i, m in enumerate(msgs)]
    opts = sync.ingest_options(ctx)
    report = empty_report(SOURCE)
    with write(ctx.conn):
        _backfill_id(ctx, cid, ident, person)
        ingest.apply(
            ctx,
            records,
            ingest.validate(records, opts),
            report,
            opts,
            source=SOURCE,
            fmt="sync",
            filename="telegram contact sync",
        )
        locks.put(ctx.conn, marker, "sync", ctx.now_iso(), clock.iso(ctx.now() + SYNC_EVERY))
    return Result({"new_interactions": report["interactions_created"], "skipped": False})


# ---------------------------------------------------------------------- sending


def parse_when(ctx: Context, text: str) -> datetime:
    """A send time: `in 2h` / `in 30 minutes` / `in 3 days`, `tomorrow 09:00`, or what note --at takes
    (an ISO time or date, read in the user's time zone) [future-times]."""
    return parse_future(text, field="scheduled_for", tz=ctx.tz(), now=ctx.now())


def send_message(ctx: Context, contact_id: str, body: Mapping[str, Any] | None) -> Result:
    """POST /contacts/{id}/send-message {message, channel: "telegram", scheduled_for?}: sends now, or with
    Telegram's own scheduled send; records the outbound interaction and last_followup_at:
    {sent: true, channel, interaction_id, message_id, scheduled_for}."""
    body = body or {}
    text = body.get("message")
    if not isinstance(text, str) or not text.strip():
        raise ValidationError(
            "message is required", field="message", hint='e.g. pcrm send "Ada Lovelace" "hi!"'
        )
    text = text.strip()
    if len(text) > MAX_MESSAGE:
        raise ValidationError(
            f"the message is longer than Telegram's {MAX_MESSAGE:,} characters",
            field="message",
            hint=f"shorten it to {MAX_MESSAGE:,} characters, or send it in parts",
        )
    channel = str(body.get("channel") or SOURCE).strip().lower()
    if channel != SOURCE:
        raise BadRequest(
            f"cannot send through {channel!r}: only 'telegram' is available",
            hint="send it yourself, then log it: pcrm log CONTACT --platform email --direction outbound",
            about="channel",
        )
    at: datetime | None = None
    if body.get("scheduled_for") not in (None, ""):
        at = parse_when(ctx, str(body["scheduled_for"]))
        if at <= ctx.now() + timedelta(seconds=10):
            raise ValidationError(
                "scheduled_for is in the past", field="scheduled_for", hint="give a later time, e.g. in 2h"
            )
        if at > ctx.now() + MAX_AHEAD:
            raise ValidationError(
                "Telegram schedules at most a year ahead", field="scheduled_for", hint="give an earlier time"
            )
    cid = rowid(ctx, contact_id)
    ident = _ident(ctx, cid)
    if ident is None:
        raise ValidationError(
            "this contact has no Telegram username or id to send to",
            field="telegram_username",
            hint="add one: pcrm contacts edit CONTACT --telegram USERNAME",
        )
    with telegram.using(ctx, telegram.account_client(ctx)) as tg:
        person = _found(
            tg, ident, "check their username (pcrm contacts show CONTACT), or message them once from the app"
        )
        sent = tg.send(person, text, at)
    now = ctx.now_iso()
    with write(ctx.conn):
        # sent now: the reference the sync reads it back under, so it is not stored twice; scheduled: its own
        # until a sync reads it back delivered, when the row takes the delivered reference [telegram-send]
        ref = f"{itstore.SCHEDULED_PREFIX}{sent['id']}" if at else f"{person['id']}:{sent['id']}"
        before = sstore.advance_last_followup(ctx.conn, cid, now)  # never back in time [suggestion-status]
        # a scheduled one keeps the value before, to take its follow-up back if it is cancelled unsent
        scheduled = {"scheduled": True, sstore.FOLLOWUP_BEFORE: before} if at else {}
        iid = itstore.insert(
            ctx.conn,
            cid,
            {
                "platform": SOURCE,
                "direction": "outbound",
                "content_preview": text,
                "raw_reference_id": ref,
                "occurred_at": clock.iso(at) if at else now,
                "is_read_by_recipient": False if not at else None,
                "extra_data": {"sent_by": "pcrm", **scheduled},
            },
            now,
        )
        cstore.touch(ctx.conn, cid, now)
        _backfill_id(ctx, cid, ident, person)
        scores.refresh(ctx, [cid])
    row = itstore.get(ctx.conn, iid) if iid is not None else None
    return Result(
        {
            "sent": True,
            "channel": SOURCE,
            "interaction_id": row["id"] if row else None,
            "message_id": sent["id"],
            "scheduled_for": clock.iso(at) if at else None,
        }
    )


# ---------------------------------------------------------------------- scheduled sends


def scheduled_sends(ctx: Context, contact_id: str | None = None) -> Result:
    """`pcrm send --list [CONTACT]` (no API route) [telegram-send]: the messages pcrm scheduled and no sync
    has read back delivered, of one contact or all, soonest first: [{id, contact_id, full_name, display_name,
    message, scheduled_for, message_id, on_telegram}]. `display_name` is how lists show the contact
    [display-name]. `on_telegram` is Telegram's own answer (GetScheduledHistory): true while it waits there,
    false once it does not (delivered and not synced yet, or cancelled in the app), null when Telegram could
    not be asked (`meta.unchecked` says why)."""
    cid = rowid(ctx, contact_id) if contact_id else None
    items = itstore.scheduled_list(ctx.conn, SOURCE, cid)
    waiting, why = _waiting_on_telegram(ctx, {r["_contact_rowid"] for r in items})
    # [display-name]: a contact without a name is listed as lists show it
    shown = cstore.display_names(ctx.conn, sorted({r["_contact_rowid"] for r in items if not r["full_name"]}))
    out = []
    for r in items:
        mid = int(r["raw_reference_id"].removeprefix(itstore.SCHEDULED_PREFIX))
        ids = waiting.get(r["_contact_rowid"])
        out.append(
            {
                "id": r["id"],
                "contact_id": r["contact_id"],
                "full_name": r["full_name"],
                "display_name": r["full_name"] or shown[r["_contact_rowid"]],
                "message": r["content_preview"],
                "scheduled_for": r["occurred_at"],
                "message_id": mid,
                "on_telegram": None if ids is None else mid in ids,
            }
        )
    meta: dict[str, Any] = {"count": len(out)}
    if why and out:
        meta["unchecked"] = why
    return Result(out, meta)


def _waiting_on_telegram(ctx: Context, cids: set[int]) -> tuple[dict[int, set[int]], str | None]:
    """{contact rowid: ids of the messages Telegram holds scheduled for them}, and why some contacts could
    not be asked (not connected, the rate-limit gate, Telegram unreachable, a peer it cannot find). pcrm's
    own record is listed either way: a listing never fails for want of Telegram."""
    if not cids:
        return {}, None
    if not telegram.status(ctx)["connected"]:
        return {}, "Telegram is not connected (pcrm auth telegram)"
    waiting: dict[int, set[int]] = {}
    try:
        with telegram.using(ctx, telegram.account_client(ctx)) as tg:
            for cid in sorted(cids):
                ident = _ident(ctx, cid)
                person = _resolve(tg, ident) if ident else None
                if person is not None:
                    waiting[cid] = set(tg.scheduled(person))
    except PcrmError as exc:
        return waiting, exc.message
    return waiting, None if len(waiting) == len(cids) else "Telegram cannot find some of these contacts"


def cancel_scheduled(ctx: Context, interaction_id: str) -> Result:
    """`pcrm send --cancel ID` (no API route) [telegram-send]: take a scheduled message (its interaction
    id, as `pcrm send --list` shows it) out of Telegram's scheduled send (DeleteScheduledMessages) and
    remove pcrm's record of it, the pending outbound interaction, with the follow-up it recorded: {id,
    contact_id, message_id, cancelled, on_telegram}. on_telegram false: Telegram no longer held it
    (cancelled in the app, or sent: then the next sync stores the delivered message). Anything but a send
    still waiting is refused, nothing changed."""
    try:
        iid, cid, _platform = interactions.locate(ctx, interaction_id, None)
    except NotFound:
        raise NotFound(
            f"no scheduled message with id {interaction_id}", hint="list them: pcrm send --list"
        ) from None
    item = itstore.get(ctx.conn, iid)
    assert item is not None
    ref = str(item.get("raw_reference_id") or "")
    if item["platform"] != SOURCE or not ref.startswith(itstore.SCHEDULED_PREFIX):
        delivered = (item.get("extra_data") or {}).get("scheduled") and item["platform"] == SOURCE
        raise Conflict(
            "this message was scheduled and has been delivered: it can no longer be cancelled"
            if delivered
            else "this interaction is not a Telegram message waiting to be sent",
            hint="delete it in the Telegram app" if delivered else "list what is scheduled: pcrm send --list",
        )
    ident = _ident(ctx, cid)
    if ident is None:
        raise BadRequest(
            "this contact has no Telegram account on file any more",
            hint="cancel it in the Telegram app, then remove the record: pcrm note rm ID",
        )
    mid = int(ref.removeprefix(itstore.SCHEDULED_PREFIX))
    with telegram.using(ctx, telegram.account_client(ctx)) as tg:
        person = _found(tg, ident, "cancel it in the Telegram app, then remove the record: pcrm note rm ID")
        removed = tg.unschedule(person, [mid])
    if mid not in removed and clock.parse_iso(str(item["occurred_at"])) <= ctx.now():
        # Telegram no longer holds it and its time has come: most likely sent, not cancelled in the app.
        # pcrm's record stays (the next sync reads the delivered message back onto it).
        raise Conflict(
            "Telegram no longer holds this message and its time has passed: it was most likely sent",
            hint="run pcrm sync telegram to record it; if it was cancelled in the app, remove the record: "
            "pcrm note rm ID",
        )
    with write(ctx.conn):
        now = itstore.get(ctx.conn, iid)
        if now is not None and now["raw_reference_id"] == ref:  # not read back delivered meanwhile
            sstore.withdraw_followup(ctx.conn, iid)  # nothing was sent: no follow-up to count
            itstore.delete(ctx.conn, iid)
            scores.refresh(ctx, [cid])
    return Result(
        {
            "id": item["id"],
            "contact_id": item["contact_id"],
            "message_id": mid,
            "cancelled": True,
            "on_telegram": mid in removed,
        }
    )
