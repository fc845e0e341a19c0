"""One contact's profiles, refreshed by hand [telegram-bios]: `POST /contacts/{id}/refresh-bios` and
`refresh-avatar` ask every connected platform that has a refresher for the contact.

The dispatch point is `BIOS` / `AVATARS`: platform -> a function (ctx, contact rowid) answering whether the
bio changed (or {avatar_url, changed}), None when the contact has no identity there. Telegram has both;
X has a bio refresher (services/x_contacts.py) and a photo one (services/x_avatars.py [x-avatars]); a
photo entry's answer may carry a `reason` (why nothing was saved), which goes to the answer's meta.

A refresh is remembered per contact, as the reference's markers are: a bio refresh for 7 days, a photo
refresh for 24 hours; within that a second call answers `{skipped: true, reason: "checked_recently"}`
unless `force`. With no platform connected the answer is the route's shape with nothing changed,
`{skipped: true, reason: "not_connected", message, hint}`, the hint naming the command that connects one
[idle-answers].
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from pcrm import clock
from pcrm import secrets as secret_store
from pcrm.domain.query import parse_bool
from pcrm.domain.sources import source
from pcrm.services import idle, telegram, telegram_profiles
from pcrm.services.contacts import rowid
from pcrm.services.context import Context, Result
from pcrm.store import locks
from pcrm.store import telegram as tgstore

BIO_EVERY = timedelta(days=7)
AVATAR_EVERY = timedelta(hours=24)
PLATFORMS = ("telegram", "twitter")  # the order a photo is looked for in


def _telegram_bio(ctx: Context, cid: int) -> bool | None:
    if tgstore.identity_of(ctx.conn, cid) is None:
        return None
    with telegram.using(ctx, telegram.account_client(ctx)) as tg:
        return bool(telegram_profiles.check(ctx, tg, cid)["bio_changed"])


def _telegram_avatar(ctx: Context, cid: int) -> dict[str, Any] | None:
    if tgstore.identity_of(ctx.conn, cid) is None:
        return None
    with telegram.using(ctx, telegram.account_client(ctx)) as tg:
        got = telegram_profiles.refresh_avatar(ctx, tg, cid)
    return got if got["changed"] or got["avatar_url"] else None


def _twitter_bio(ctx: Context, cid: int) -> bool | None:
    from pcrm.services import x_contacts

    got = x_contacts.bio_changed(ctx, cid)
    return None if got is None else got is True


BIOS: dict[str, Callable[[Context, int], bool | None]] = {"telegram": _telegram_bio, "twitter": _twitter_bio}


def _twitter_avatar(ctx: Context, cid: int) -> dict[str, Any] | None:
    from pcrm.services import x_avatars

    return x_avatars.refresh(ctx, cid)


AVATARS: dict[str, Callable[[Context, int], dict[str, Any] | None]] = {
    "telegram": _telegram_avatar,
    "twitter": _twitter_avatar,
}


def _connected(name: str) -> bool:
    return all(secret_store.get(n) for n in source(name).secrets)


def _none_connected(shape: dict[str, Any], what: str) -> Result:
    """The answer while no platform is connected: nothing to ask, nothing changed [idle-answers]."""
    return idle.not_connected(
        shape,
        reason="not_connected",
        message=f"no Telegram or X account is connected, so there is no {what} to refresh",
        hint="connect one: pcrm auth telegram (or pcrm auth x)",
        sources=PLATFORMS,
    )


def _stored_avatar(ctx: Context, cid: int) -> str | None:
    from pcrm.store import contacts as cstore

    return cstore.fetch_contacts(ctx.conn, [cid])[0].get("avatar_url")


def _recently(ctx: Context, marker: str, force: Any) -> bool:
    if parse_bool(force, "force"):
        return False
    held = locks.get(ctx.conn, marker)
    return held is not None and clock.parse_iso(held["expires_at"]) > ctx.now()


def _mark(ctx: Context, marker: str, every: timedelta) -> None:
    locks.put(ctx.conn, marker, "refresh", ctx.now_iso(), clock.iso(ctx.now() + every))


def refresh_bios(ctx: Context, contact_id: str, *, force: Any = None) -> Result:
    """POST /contacts/{id}/refresh-bios: {twitter_bio_changed, telegram_bio_changed}, or {skipped: true,
    reason: "checked_recently"} within 7 days of the last refresh (unless force)."""
    cid = rowid(ctx, contact_id)  # 404 first
    on = [p for p in PLATFORMS if _connected(p)]
    if not on:
        return _none_connected({"twitter_bio_changed": False, "telegram_bio_changed": False}, "bio")
    marker = f"bio_check:{cid}"
    if _recently(ctx, marker, force):
        return Result({"skipped": True, "reason": "checked_recently"})
    out: dict[str, Any] = {"twitter_bio_changed": False, "telegram_bio_changed": False}
    checked = []
    for name in on:
        fn = BIOS.get(name)
        got = fn(ctx, cid) if fn else None
        if got is not None:
            out[f"{name}_bio_changed"] = got
            checked.append(name)
    _mark(ctx, marker, BIO_EVERY)
    return Result(out, {"checked": checked})


def refresh_avatar(ctx: Context, contact_id: str, *, force: Any = None) -> Result:
    """POST /contacts/{id}/refresh-avatar: {avatar_url, changed} from the first connected platform that
    has a photo of the contact (Telegram, then X); within 24 hours of the last refresh (unless force) the
    stored one, unchanged, with {skipped: true, reason: "checked_recently"} as the reference answers."""
    cid = rowid(ctx, contact_id)  # 404 first
    on = [p for p in PLATFORMS if _connected(p)]
    if not on:
        return _none_connected({"avatar_url": _stored_avatar(ctx, cid), "changed": False}, "photo")
    marker = f"avatar_check:{cid}"
    if _recently(ctx, marker, force):
        return Result(
            {
                "avatar_url": _stored_avatar(ctx, cid),
                "changed": False,
                "skipped": True,
                "reason": "checked_recently",
            }
        )
    got: dict[str, Any] | None = None
    for name in on:
        fn = AVATARS.get(name)
        got = fn(ctx, cid) if fn else None
        if got is not None:
            break
    if got is None:
        got = {"avatar_url": _stored_avatar(ctx, cid), "changed": False}
    _mark(ctx, marker, AVATAR_EVERY)
    reason = got.get("reason")
    data = {"avatar_url": got.get("avatar_url"), "changed": bool(got.get("changed"))}
    return Result(data, {"reason": reason} if reason else {})
