"""Avatars the extension names by URL [push-avatars]: downloaded only from the platforms' own image hosts
(the one list and the download are in services/remote_avatars.py).

A pushed profile may carry `avatar_url` instead of (or beside) `avatar_data`. The URL is fetched only when
its host is on the platform's list (LinkedIn: `media.licdn.com` and its `media-expN` mirrors; Facebook and
Instagram: the `scontent*` hosts under `fbcdn.net` and `cdninstagram.com`), over pcrm.sync.fetch's SSRF rules
(public addresses only, no redirects, at most 5 MB and 5 s), and only for profiles whose contact has no
avatar yet (the extension pushes the same people every 15 minutes). The answer must be a JPEG, PNG, GIF or
WebP image by its bytes. A host off the list, or a download that fails, is reported for that profile
(`profiles[3]: ...`) and the profile is stored without a photo.
"""

from __future__ import annotations

from typing import Any

from pcrm.services import push, remote_avatars
from pcrm.services.context import Context
from pcrm.store import push as store


def wanted(item: dict[str, Any], i: int, platform: str, errors: list[str]) -> str | None:
    """A profile's `avatar_url` when it may be fetched; a URL off the host list is reported and None."""
    url = push.text(item, "avatar_url", 2000)
    if not url:
        return None
    if not remote_avatars.allowed(platform, url):
        errors.append(f"profiles[{i}]: avatar_url {remote_avatars.refusal(platform, url)}; ignored")
        return None
    return url


Downloaded = dict[str, tuple[bytes, str] | str]  # url -> (bytes, extension), or why not


def _todo(
    ctx: Context, platform: str, p: push.Parsed, urls: dict[int, tuple[int, str, str]]
) -> dict[int, tuple[int, str, str]]:
    """The entries of `urls` whose record has no photo of its own and whose contact has no avatar yet."""
    todo = {k: v for k, v in urls.items() if p.records.contacts[k].avatar is None}
    if not todo:
        return {}
    have = store.with_avatar(ctx.conn, platform, sorted({pid for _, pid, _ in todo.values()}))
    return {k: v for k, v in todo.items() if v[1] not in have}


def download(
    ctx: Context, platform: str, p: push.Parsed, urls: dict[int, tuple[int, str, str]]
) -> Downloaded:
    """The avatars `attach` would give, downloaded in parallel: the network half of a push, which the daemon
    runs off its writer lane before the write [prepare-off-lane]. Reads the store, never writes."""
    wanted = sorted({v[2] for v in _todo(ctx, platform, p, urls).values()})
    return dict(zip(wanted, remote_avatars.download_all(wanted), strict=True))


def attach(
    ctx: Context,
    platform: str,
    p: push.Parsed,
    urls: dict[int, tuple[int, str, str]],
    downloaded: Downloaded | None = None,
) -> None:
    """Give each record of `urls` ({record index: (profile number, platform id, url)}) whose contact has no
    avatar yet its photo, from `downloaded` (the daemon's prepare step) or downloaded now (the CLI, tests);
    a failure is reported for its profile. A URL missing from `downloaded` (its contact had a photo when
    the downloads began) is left for the next push."""
    todo = _todo(ctx, platform, p, urls)
    if not todo:
        return
    got = downloaded if downloaded is not None else download(ctx, platform, p, urls)
    for k, (i, _, url) in sorted(todo.items(), key=lambda kv: kv[1][0]):
        photo = got.get(url)
        if photo is None:
            continue
        if isinstance(photo, str):
            p.errors.append(f"profiles[{i}]: avatar_url not downloaded: {photo}")
        else:
            p.records.contacts[k].avatar = photo
