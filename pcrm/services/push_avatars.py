"""Avatars the extension names by URL [push-avatars]: downloaded only from the platforms' own image hosts.

A pushed profile may carry `avatar_url` instead of (or beside) `avatar_data`. The URL is fetched only when
its host is on the platform's list (LinkedIn: `media.licdn.com` and its `media-expN` mirrors; Facebook and
Instagram: the `scontent*` hosts under `fbcdn.net` and `cdninstagram.com`), over pcrm.sync.fetch's SSRF rules
(public addresses only, no redirects, at most 5 MB and 5 s), and only for profiles whose contact has no
avatar yet (the extension pushes the same people every 15 minutes). The answer must be a JPEG, PNG, GIF or
WebP image by its bytes. A host off the list, or a download that fails, is reported for that profile
(`profiles[3]: ...`) and the profile is stored without a photo.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

from pcrm.services import push
from pcrm.services.context import Context
from pcrm.store import push as store

MAX_BYTES = push.MAX_AVATAR
TIMEOUT_S = 5.0
PARALLEL = 8
HOSTS = {
    "linkedin": re.compile(r"^media(-exp\d+)?\.licdn\.com$"),
    "facebook": re.compile(r"^scontent[a-z0-9.-]*\.(fbcdn\.net|cdninstagram\.com)$"),
    "instagram": re.compile(r"^scontent[a-z0-9.-]*\.(cdninstagram\.com|fbcdn\.net)$"),
}
_MAGIC = ((b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF87a", "gif"), (b"GIF89a", "gif"))


def allowed(platform: str, url: str) -> bool:
    """Whether `url` is an http(s) URL on one of the platform's image hosts."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme in ("http", "https") and bool(HOSTS[platform].match(host))


def image_type(blob: bytes) -> str | None:
    """The file extension of an image by its first bytes; None when it is not JPEG, PNG, GIF or WebP."""
    for magic, ext in _MAGIC:
        if blob.startswith(magic):
            return ext
    if blob[:4] == b"RIFF" and blob[8:12] == b"WEBP":
        return "webp"
    return None


def wanted(item: dict[str, Any], i: int, platform: str, errors: list[str]) -> str | None:
    """A profile's `avatar_url` when it may be fetched; a URL off the host list is reported and None."""
    url = push.text(item, "avatar_url", 2000)
    if not url:
        return None
    if not allowed(platform, url):
        host = urlsplit(url).hostname or url[:60]
        errors.append(
            f"profiles[{i}]: avatar_url host {host} is not an allowed {platform} image host; ignored"
        )
        return None
    return url


def attach(ctx: Context, platform: str, p: push.Parsed, urls: dict[int, tuple[int, str, str]]) -> None:
    """Download the avatars of `urls` ({record index: (profile number, platform id, url)}) whose contact has
    none yet, in parallel, and give each record its photo; a failure is reported for its profile."""
    todo = {k: v for k, v in urls.items() if p.records.contacts[k].avatar is None}
    if not todo:
        return
    have = store.with_avatar(ctx.conn, platform, sorted({pid for _, pid, _ in todo.values()}))
    todo = {k: v for k, v in todo.items() if v[1] not in have}
    if not todo:
        return
    with ThreadPoolExecutor(max_workers=min(PARALLEL, len(todo))) as pool:
        got = dict(zip(todo, pool.map(lambda v: _download(v[2]), todo.values()), strict=True))
    for k, (i, _, _) in sorted(todo.items(), key=lambda kv: kv[1][0]):
        photo = got[k]
        if isinstance(photo, str):
            p.errors.append(f"profiles[{i}]: avatar_url not downloaded: {photo}")
        else:
            p.records.contacts[k].avatar = photo


def _download(url: str) -> tuple[bytes, str] | str:
    """(bytes, extension), or why not."""
    from pcrm.sync import fetch

    try:
        answer = fetch.get(url, max_bytes=MAX_BYTES, timeout=TIMEOUT_S)
    except fetch.FetchRefused as e:
        return str(e)
    if answer.status != 200:
        return f"the host answered {answer.status}"
    ext = image_type(answer.body)
    return (answer.body, ext) if ext else "not a JPEG, PNG, GIF or WebP image"
