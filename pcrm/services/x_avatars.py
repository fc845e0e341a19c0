"""X profile photos [x-avatars]: X's `profile_image_url`, at its 400x400 size, downloaded only from X's image
hosts (services/remote_avatars.py: `pbs.twimg.com` and `abs.twimg.com` over https, the SSRF-safe fetcher, an
image by its bytes).

- `refresh`: the X entry of POST /contacts/{id}/refresh-avatar (services/profiles.py): asks X for the
  contact's profile now and saves the photo in place of the stored one.
- `missing`: the photos the bios poll (services/x_contacts.py) gives the contacts that have none, at most
  PER_RUN a poll; they are written through the ingest engine's avatar path with the bios, which fills an
  empty photo only, so a photo the contact already has (the user's own, or another source's) is never
  replaced. A download that fails is reported and not tried again for RETRY_AFTER.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pcrm import clock, paths
from pcrm.services import remote_avatars
from pcrm.services.context import Context
from pcrm.services.ingest.engine import save_avatar
from pcrm.store import contacts as cstore
from pcrm.store import locks
from pcrm.store.db import write

SOURCE = "twitter"
PER_RUN = 50  # photos a poll downloads at most
RETRY_AFTER = timedelta(days=7)  # after a failed download


def _who(p: dict[str, Any], u: dict[str, Any] | None = None) -> str:
    handle = p.get("handle") or (u or {}).get("username")
    return f"@{handle}" if handle else str(p.get("full_name") or p["id"])


def _marker(cid: int) -> str:
    return f"x_avatar_failed:{cid}"


def _failed_lately(ctx: Context, cid: int) -> bool:
    held = locks.get(ctx.conn, _marker(cid))
    return held is not None and clock.parse_iso(held["expires_at"]) > ctx.now()


def missing(
    ctx: Context, people: list[dict[str, Any]], found: dict[int, dict[str, Any]]
) -> tuple[dict[int, tuple[bytes, str]], list[str]]:
    """({contact rowid: (bytes, extension)}, report lines) for the contacts of `people` without a photo whose
    X profile in `found` shows one; at most PER_RUN downloads."""
    from pcrm.sync.x.source import photo_url

    todo: list[tuple[dict[str, Any], str]] = []
    for p in people:
        u = found.get(p["rowid"])
        url = photo_url(u) if u is not None and not p.get("avatar_url") else None
        if url is None or _failed_lately(ctx, p["rowid"]):
            continue
        todo.append((p, url))
        if len(todo) >= PER_RUN:
            break
    photos: dict[int, tuple[bytes, str]] = {}
    errors: list[str] = []
    failed: list[int] = []
    fetchable = []
    for p, url in todo:
        if remote_avatars.allowed(SOURCE, url):
            fetchable.append((p, url))
        else:  # never contacted
            why = remote_avatars.refusal(SOURCE, url)
            errors.append(f"{_who(p, found[p['rowid']])}: X profile photo not downloaded: {why}")
            failed.append(p["rowid"])
    for (p, _), photo in zip(fetchable, remote_avatars.download_all([u for _, u in fetchable]), strict=True):
        if isinstance(photo, str):
            errors.append(f"{_who(p, found[p['rowid']])}: X profile photo not downloaded: {photo}")
            failed.append(p["rowid"])
        else:
            photos[p["rowid"]] = photo
    if failed:
        with write(ctx.conn):
            until = clock.iso(ctx.now() + RETRY_AFTER)
            for cid in failed:
                locks.put(ctx.conn, _marker(cid), "x-avatar", ctx.now_iso(), until)
    return photos, errors


def refresh(ctx: Context, cid: int, *, client: Any = None) -> dict[str, Any] | None:
    """Download one contact's X photo again: {avatar_url, changed}, plus `reason` when none was saved (X does
    not know them, shows no photo, or the download was refused); None without an X account."""
    from pcrm.services import x_contacts
    from pcrm.store import x as xstore
    from pcrm.sync.base import SourceError
    from pcrm.sync.x.source import photo_url

    who = xstore.person(ctx.conn, cid)
    if who is None:
        return None
    c = x_contacts.x_client(ctx, client)
    try:
        found = x_contacts.lookup(c, [who])
    except SourceError as exc:
        raise x_contacts.upstream(ctx, exc) from None
    finally:
        c.close()
    unchanged = {"avatar_url": who["avatar_url"], "changed": False}
    u = found.get(cid)
    if u is None:
        return {**unchanged, "reason": "X does not know this account"}
    url = photo_url(u)
    if url is None:
        return {**unchanged, "reason": f"{_who(who, u)} shows no profile photo on X"}
    photo = remote_avatars.fetch_allowed(SOURCE, url)
    if isinstance(photo, str):
        return {**unchanged, "reason": f"X profile photo not downloaded: {photo}"}
    return _save(ctx, cid, who, photo)


def _save(ctx: Context, cid: int, who: dict[str, Any], photo: tuple[bytes, str]) -> dict[str, Any]:
    """Save the photo as the contact's (the engine's save_avatar), replacing an older file of theirs."""
    uuid, old_url = who["id"], who["avatar_url"]
    target = paths.avatars_dir() / f"{uuid}.{photo[1]}"
    before = target.read_bytes() if target.exists() else None
    url = save_avatar(uuid, photo)
    changed = url != old_url or before != photo[0]
    if url != old_url:
        with write(ctx.conn):
            cstore.update_contact(ctx.conn, cid, {"avatar_url": url}, ctx.now_iso())
        old_name = (old_url or "").removeprefix(paths.AVATAR_URL_PREFIX)
        if old_url and old_name != old_url and old_name.startswith(f"{uuid}.") and "/" not in old_name:
            (paths.avatars_dir() / old_name).unlink(missing_ok=True)  # the same person's older file
    return {"avatar_url": url, "changed": changed}
