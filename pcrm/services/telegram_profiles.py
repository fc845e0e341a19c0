"""Telegram profiles [telegram-bios]: bios, last seen, birthdays, X handles and photos, through GetFullUser.

`refresh_due` is the bios phase of a Telegram sync: up to 100 contacts whose bio check is older than the
stale window (7 days on the first sync, 3 days after it, 2nd-tier contacts then left out), those without
a photo first. `refresh_contact` is one contact's check (POST /contacts/{id}/refresh-bios dispatches to
it); `refresh_avatar` downloads one contact's photo again.

What a profile changes is written through the ingest engine like any sync's record: a bio the source owns
(the new text replaces the old), and, only where the contact has none and the user did not edit them, the
X handle the bio names, the birthday and the photo. A changed bio (one that replaced an older one) also
brings a `bio_change` notification, an `event` interaction "Bio updated: ..." and a `detected_events` row:
classified after the write by the events model when one is configured, else by the keyword rules of
`domain.bio_events` [ai-events]. The check time and the last-seen time are always stamped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from pcrm import clock, paths
from pcrm.domain import profiles
from pcrm.domain.records import ContactRecord, InteractionRecord, Records
from pcrm.services import ingest
from pcrm.services.context import Context
from pcrm.services.import_report import empty_report
from pcrm.services.ingest.engine import save_avatar
from pcrm.services.sync import ingest_options
from pcrm.store import contacts as cstore
from pcrm.store import suggestions as notes_store
from pcrm.store import telegram as tgstore
from pcrm.store.db import write
from pcrm.sync.base import SourceError
from pcrm.sync.telegram.client import FloodWait, Telegram
from pcrm.sync.telegram.types import Person, Profile

SOURCE = "telegram"
LIMIT = 100  # profiles a sync checks per run
STALE_FIRST = timedelta(days=7)  # the first sync's window
STALE = timedelta(days=3)  # later syncs' window (2nd tier left out)
MAX_FAILURES_IN_A_ROW = 3


def _person_of(tg: Telegram, ident: dict[str, Any]) -> Person | None:
    uid = ident.get("telegram_user_id")
    return tg.resolve(int(uid) if uid and str(uid).isdigit() else None, ident.get("telegram_username"))


def apply_profile(
    ctx: Context, cid: int, profile: Profile, photo: bytes | None = None, *, sync_run_id: int | None = None
) -> bool:
    """Write what a profile says about contact `cid`; True when its bio changed (an older one replaced)."""
    conn = ctx.conn
    now = ctx.now_iso()
    cur = cstore.fetch_contacts(conn, [cid])[0]
    old = cur.get("telegram_bio")
    new = profile["about"]
    person = profile["person"]
    data: dict[str, Any] = {"telegram_user_id": str(person["id"])}
    if person.get("username"):
        data["telegram_username"] = person["username"]
    if new:
        data["telegram_bio"] = new
        handle = profiles.twitter_handle(new)
        if handle:
            data["twitter_handle"] = handle
    if profile["birthday"]:
        bday = profiles.birthday(*profile["birthday"])
        if bday:
            data["birthday"] = bday
    changed = bool(old and new and old.strip() != new.strip())
    rec = ContactRecord(
        row=1,
        data=data,
        overwrite=frozenset({"telegram_bio"}),
        create=False,
        avatar=(photo, "jpg") if photo and not cur.get("avatar_url") else None,
        where="profile",
    )
    records = Records(contacts=[rec])
    if changed:
        records.interactions.append(
            InteractionRecord(
                row=1,
                contact=0,
                platform="telegram",
                direction="event",
                occurred_at=now,
                raw_reference_id=f"bio_change:telegram:{cur['id']}:{now}",
                content_preview=f"Bio updated: {new}",
            )
        )
    seen = profiles.last_seen_at(
        profile["last_seen"],
        clock.parse_iso(profile["was_online"]) if profile["was_online"] else None,
        ctx.now(),
    )
    stamps: dict[str, Any] = {"telegram_bio_checked_at": now}
    if seen is not None:
        stamps["telegram_last_seen_at"] = clock.iso(seen)
    if not new and old:
        stamps["telegram_bio"] = None  # the bio was removed
    opts = ingest_options(ctx)
    with write(conn):
        applied = ingest.apply(
            ctx,
            records,
            ingest.validate(records, opts),
            empty_report(SOURCE),
            opts,
            source=SOURCE,
            fmt="sync",
            filename="telegram profiles",
            sync_run_id=sync_run_id,
        )
        cstore.update_contact(conn, cid, stamps, now)
        if changed:
            # by the handle the bio is read under, else as lists show the contact [display-name]
            who = (
                f"@{person['username']}" if person.get("username") else cstore.display_names(conn, [cid])[cid]
            )
            notes_store.add_notification(
                conn,
                "bio_change",
                f"{who} updated their Telegram bio",
                (new or "")[:500],
                f"/contacts/{cur['id']}",
                now,
            )
    ingest.classify_bio_changes(ctx, applied.bio_changes)  # after the transaction: a model may take seconds
    return changed


def check(ctx: Context, tg: Telegram, cid: int, *, sync_run_id: int | None = None) -> dict[str, Any]:
    """One contact's profile check: {found, bio_changed}. `found` False when Telegram cannot resolve them
    (the check is stamped all the same, so an unreachable contact is not asked again every run)."""
    ident = tgstore.identity_of(ctx.conn, cid)
    person = _person_of(tg, ident) if ident else None
    if person is None:
        with write(ctx.conn):
            cstore.update_contact(ctx.conn, cid, {"telegram_bio_checked_at": ctx.now_iso()}, ctx.now_iso())
        return {"found": False, "bio_changed": False}
    profile = tg.profile(person)
    photo = None
    if profile["has_photo"] and not cstore.fetch_contacts(ctx.conn, [cid])[0].get("avatar_url"):
        photo = tg.photo(profile["person"])
    return {"found": True, "bio_changed": apply_profile(ctx, cid, profile, photo, sync_run_id=sync_run_id)}


def refresh_due(
    ctx: Context,
    tg: Telegram,
    *,
    first: bool,
    sync_run_id: int | None = None,
    progress: Callable[[int, int, int], None] | None = None,
) -> dict[str, int]:
    """The bios phase of a sync: {bios_checked, bios_changed}. A FloodWait stops it (the caller closes the
    gate); what was checked stays written."""
    window = STALE_FIRST if first else STALE
    due = tgstore.due_for_bio(ctx.conn, clock.iso(ctx.now() - window), LIMIT, skip_second_tier=not first)
    checked = changed = failed = in_a_row = 0
    for row in due:
        try:
            got = check(ctx, tg, row["id"], sync_run_id=sync_run_id)
        except FloodWait:
            raise
        except SourceError:  # one profile Telegram refuses: stamped, so it waits for the next window
            failed += 1
            in_a_row += 1
            if in_a_row >= MAX_FAILURES_IN_A_ROW:  # not one profile but the connection: stop the phase
                raise
            with write(ctx.conn):
                cstore.update_contact(
                    ctx.conn, row["id"], {"telegram_bio_checked_at": ctx.now_iso()}, ctx.now_iso()
                )
            got = {"bio_changed": False}
        else:
            in_a_row = 0
        checked += 1
        changed += int(got["bio_changed"])
        if progress:
            progress(checked, len(due), changed)
    return {"bios_checked": checked, "bios_changed": changed, "bios_failed": failed}


def after_sync(
    ctx: Context, tg: Telegram, run_id: int, first: bool, note: Callable[[dict[str, Any]], None]
) -> dict[str, int]:
    """The bios phase of a Telegram sync run (the engine calls it after the batches); off with the
    `telegram.sync_bios` setting."""
    if ctx.setting("telegram.sync_bios") is False:
        return {}
    note({"phase": "bios"})

    def progress(checked: int, total: int, changed: int) -> None:
        note({"phase": "bios", "bios_total": total, "bios_checked": checked, "bios_changed": changed})

    try:
        return refresh_due(ctx, tg, first=first, sync_run_id=run_id, progress=progress)
    finally:
        tg.close()


def refresh_avatar(ctx: Context, tg: Telegram, cid: int) -> dict[str, Any]:
    """Download the contact's Telegram photo again: {avatar_url, changed}; None-valued when they show
    none (or Telegram cannot find them)."""
    cur = cstore.fetch_contacts(ctx.conn, [cid])[0]
    ident = tgstore.identity_of(ctx.conn, cid)
    person = _person_of(tg, ident) if ident else None
    blob = tg.photo(person) if person else None
    if not blob:
        return {"avatar_url": cur.get("avatar_url"), "changed": False}
    old = paths.avatars_dir() / f"{cur['id']}.jpg"
    before = old.read_bytes() if old.exists() else None
    url = save_avatar(cur["id"], (blob, "jpg"))
    changed = url != cur.get("avatar_url") or before != blob
    if changed:
        with write(ctx.conn):
            cstore.update_contact(ctx.conn, cid, {"avatar_url": url}, ctx.now_iso())
    return {"avatar_url": url, "changed": changed}
