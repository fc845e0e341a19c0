"""X per contact [x-api]: the DM sync of one contact (`POST /contacts/{id}/sync-twitter`), the bio refresh
of one contact (`refresh_bio`) and the daily bio poll of all of them (`poll_bios`, run after each
scheduled X sync).

Bio poll: the profiles of every non-archived contact with an X id or handle, 100 a request. A first-seen
bio is stored silently; a changed one is written through the ingest engine (the bio is X's and follows X;
X's free-text location only fills an empty one, so a location another source brought or the user set is
kept [protected-fields]) and recorded three ways: a `bio_change` detected event, an `event` interaction on
the contact's timeline (written in the same batch as the bio, so `pcrm import undo` reverts both) and a
`bio_change` notification "@handle updated their X bio".
"""

from __future__ import annotations

import hashlib
import secrets as pyrandom
from datetime import timedelta
from typing import Any

from pcrm import clock
from pcrm.domain import normalize
from pcrm.domain.records import ContactRecord, InteractionRecord, Records
from pcrm.errors import PcrmError
from pcrm.services.context import Context, Result
from pcrm.store import locks
from pcrm.store import suggestions as notes_store
from pcrm.store import x as xstore
from pcrm.store.db import write

SOURCE = "twitter"
CONTACT_SYNC_EVERY = timedelta(hours=1)
LOOKUP = 100  # users a lookup request names


def x_client(ctx: Context, client: Any) -> Any:
    """The given client (tests), else the connected account's; `not_connected` / gate errors as the sync's."""
    from pcrm.services import sync
    from pcrm.sync.base import SourceError
    from pcrm.sync.x.client import connect

    sync.check_gate(ctx, SOURCE)
    if client is not None:
        return client
    if not sync.is_connected(ctx, SOURCE):
        raise PcrmError("X is not connected", code="not_connected", hint="connect it with: pcrm auth x")
    try:
        return connect(ctx.settings())
    except SourceError as exc:
        raise PcrmError(exc.message, code="upstream_error", hint=exc.hint) from None


def upstream(ctx: Context, exc: Any) -> PcrmError:
    """A SourceError of a request: a rate limit closes the gate as a sync's would."""
    from pcrm.services import sync

    retry = getattr(exc, "retry_after", None)
    if retry:
        with write(ctx.conn):
            sync.close_gate(ctx, SOURCE, retry)
        return PcrmError(exc.message, code="rate_limited", hint=exc.hint, details={"retry_after": retry})
    return PcrmError(exc.message, code="upstream_error", hint=exc.hint)


def _write(ctx: Context, records: Records, label: str, *, messages: bool = True) -> dict[str, Any]:
    """One ingest batch; `messages`: the interactions are messages (the `metadata_only.twitter` setting
    drops their text), not bio events."""
    from pcrm.services import ingest, sync
    from pcrm.services.import_report import empty_report

    report = empty_report(SOURCE)
    opts = sync.ingest_options(ctx)
    changes = ingest.validate(records, opts)
    with write(ctx.conn):
        applied = ingest.apply(
            ctx,
            records,
            changes,
            report,
            opts,
            source=SOURCE,
            fmt=sync.FORMAT,
            filename=label,
            metadata_only=messages and bool(ctx.settings().get(f"metadata_only.{SOURCE}", False)),
        )
    ingest.classify_bio_changes(ctx, applied.bio_changes)  # after the transaction [ai-events]
    return report


# ------------------------------------------------------------------------------ DMs of one contact


def sync_contact(ctx: Context, contact_id: str, *, force: Any = None, client: Any = None) -> Result:
    """POST /contacts/{id}/sync-twitter: the DMs with one contact (`/2/dm_conversations/with/{id}`), at most
    once an hour unless `force`. -> {new_interactions} or {new_interactions: 0, skipped: true, reason,
    message}: `reason` the reference's code (no_twitter, no_twitter_id, synced_recently,
    twitter_not_connected, the last with the hint that connects [idle-answers]), `message` pcrm's words."""
    from pcrm.services import idle, sync
    from pcrm.services.contacts import rowid
    from pcrm.sync.base import SourceError
    from pcrm.sync.x.source import XSource

    cid = rowid(ctx, contact_id)
    if client is None and not sync.is_connected(ctx, SOURCE):  # said first, as sync-emails/-telegram do
        return idle.not_connected(
            {"new_interactions": 0},
            reason="twitter_not_connected",  # the reference's code
            message="X is not connected, so there are no messages to sync",
            hint="connect it with: pcrm auth x",
            sources=(SOURCE,),
        )
    who = xstore.person(ctx.conn, cid)
    if who is None:
        return idle.skipped({"new_interactions": 0}, "no_twitter", "the contact has no X account")
    c = x_client(ctx, client)
    forced = str(force).lower() in ("1", "true", "yes") if force is not None else False
    name, holder = f"sync-twitter:{who['id']}", f"once-an-hour:{pyrandom.token_hex(8)}"
    held = locks.get(ctx.conn, name)
    if forced and held is not None:
        locks.release(ctx.conn, name, held["holder"])
    if not locks.acquire(ctx.conn, name, holder, ctx.now_iso(), clock.iso(ctx.now() + CONTACT_SYNC_EVERY)):
        return idle.skipped(
            {"new_interactions": 0}, "synced_recently", "synced less than an hour ago (force=true)"
        )
    adapter = XSource(c, ctx.settings())
    new = 0
    done = False
    try:
        me = c.user_id()
        uid = who["user_id"]
        if not uid:
            found = c.users_by_name([who["handle"]])
            if not found:  # nothing was synced: the hour is not spent (the finally releases it)
                return idle.skipped({"new_interactions": 0}, "no_twitter_id", "X knows no such handle")
            uid = str(found[0]["id"])
        token = None
        for _ in range(15):
            page = c.conversation_events(uid, token)
            users = {str(u.get("id")): u for u in (page.get("includes") or {}).get("users") or []}
            records = adapter.dm_records(list(page.get("data") or []), users, me)
            new += _write(ctx, records, f"twitter sync-twitter {who['id'][:8]}")["interactions_created"]
            token = (page.get("meta") or {}).get("next_token")
            if not token:
                break
        done = True
    except SourceError as exc:
        raise upstream(ctx, exc) from None
    finally:
        c.close()
        if not done:  # a failed attempt, whatever failed, does not count against the hour
            locks.release(ctx.conn, name, holder)
    return Result({"new_interactions": new})


# ------------------------------------------------------------------------------------------ bios


def lookup(c: Any, people: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Each contact's X profile, by id where known, else by handle."""
    by_id = {p["user_id"]: p["rowid"] for p in people if p["user_id"]}
    by_name = {p["handle"]: p["rowid"] for p in people if not p["user_id"] and p["handle"]}
    out: dict[int, dict[str, Any]] = {}
    ids = list(by_id)
    for i in range(0, len(ids), LOOKUP):
        for u in c.users(ids[i : i + LOOKUP]):
            if str(u.get("id")) in by_id:
                out[by_id[str(u.get("id"))]] = u
    names = list(by_name)
    for i in range(0, len(names), LOOKUP):
        for u in c.users_by_name(names[i : i + LOOKUP]):
            key = str(u.get("username") or "").lower()
            if key in by_name:
                out[by_name[key]] = u
    return out


def _apply_bios(
    ctx: Context,
    people: list[dict[str, Any]],
    found: dict[int, dict[str, Any]],
    photos: dict[int, tuple[bytes, str]] | None = None,
) -> list[str]:
    """Write the profiles found, with the `photos` of contacts that have none (the engine fills an empty
    photo only); returns the ids of the contacts whose bio changed."""
    from pcrm.sync.x.source import contact_data

    records = Records()
    changed: list[tuple[dict[str, Any], str]] = []
    now = ctx.now_iso()
    for p in people:
        u = found.get(p["rowid"])
        if u is None:
            continue
        # the contact is known: their own name keeps the match on the X id or handle unambiguous
        data = {**contact_data(u), "full_name": p["full_name"]}
        new_bio = data.get("twitter_bio")
        row = len(records.contacts)
        records.contacts.append(
            ContactRecord(
                row=row + 1,
                data=data,
                create=False,
                overwrite=frozenset({"twitter_bio"}),  # X's location only fills an empty one
                avatar=(photos or {}).get(p["rowid"]),
            )
        )
        old_bio = p["twitter_bio"]
        if old_bio and new_bio and normalize.fold(new_bio) != normalize.fold(old_bio):
            changed.append((p, new_bio))
            digest = hashlib.sha1(new_bio.encode()).hexdigest()[:12]
            records.interactions.append(
                InteractionRecord(
                    row=len(records.interactions) + 1,
                    contact=row,
                    platform=SOURCE,
                    direction="event",
                    occurred_at=now,
                    raw_reference_id=f"twitter_bio:{p['id']}:{digest}:{now}",
                    content_preview=f"Updated their X bio: {new_bio}",
                    extra_data={"kind": "bio_change", "old": old_bio, "new": new_bio},
                )
            )
    if records.contacts:
        _write(ctx, records, "twitter bios", messages=False)  # the bios with their events: one batch
    done = []
    with write(ctx.conn):
        for p, new_bio in changed:
            stored = xstore.person(ctx.conn, p["rowid"])
            if stored is None or stored["twitter_bio"] != new_bio:
                continue  # the write kept another value: no change to report
            handle = stored["handle"] or found[p["rowid"]].get("username") or p["full_name"]
            notes_store.add_notification(
                ctx.conn,
                "bio_change",
                f"@{handle} updated their X bio",
                new_bio[:200],
                f"/contacts/{p['id']}",
                now,
            )
            done.append(p["id"])
    return done


def poll_bios(ctx: Context, *, client: Any = None) -> Result:
    """The daily bio poll: {checked, found, changed: [contact ids], photos: how many contacts without a photo
    got their X one, photo_errors: [...]} [x-avatars]."""
    from pcrm.services import x_avatars
    from pcrm.sync.base import SourceError

    people = xstore.people(ctx.conn)
    if not people:
        return Result({"checked": 0, "found": 0, "changed": [], "photos": 0, "photo_errors": []})
    c = x_client(ctx, client)
    try:
        found = lookup(c, people)
    except SourceError as exc:
        raise upstream(ctx, exc) from None
    finally:
        c.close()
    photos, photo_errors = x_avatars.missing(ctx, people, found)  # downloaded before the write transaction
    changed = _apply_bios(ctx, people, found, photos)
    saved = sum(1 for cid in photos if (xstore.person(ctx.conn, cid) or {}).get("avatar_url"))
    return Result(
        {
            "checked": len(people),
            "found": len(found),
            "changed": changed,
            "photos": saved,
            "photo_errors": photo_errors,
        }
    )


def refresh_bio(ctx: Context, contact_id: str, *, client: Any = None) -> Result:
    """One contact's X profile now: {twitter_bio_changed} (False also when the contact has no X account
    or X does not know them; `reason` says which)."""
    from pcrm.services.contacts import rowid

    got = bio_changed(ctx, rowid(ctx, contact_id), client=client)
    if got is None:
        return Result({"twitter_bio_changed": False, "reason": "the contact has no X account"})
    if isinstance(got, str):
        return Result({"twitter_bio_changed": False, "reason": got})
    return Result({"twitter_bio_changed": got})


def bio_changed(ctx: Context, cid: int, *, client: Any = None) -> bool | str | None:
    """Whether one contact's X bio changed now; None without an X account, a reason when X does not know
    them. The refresh-bios dispatch of services/profiles.py calls this."""
    from pcrm.sync.base import SourceError

    who = xstore.person(ctx.conn, cid)
    if who is None:
        return None
    c = x_client(ctx, client)
    try:
        found = lookup(c, [who])
    except SourceError as exc:
        raise upstream(ctx, exc) from None
    finally:
        c.close()
    if not found:
        return "X does not know this account"
    return bool(_apply_bios(ctx, [who], found))
