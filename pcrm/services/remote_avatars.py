"""Photos downloaded by URL, only from the platforms' own image hosts [push-avatars].

One allow-list for every photo pcrm fetches by address: LinkedIn `media.licdn.com` and its `media-expN`
mirrors, Facebook and Instagram the `scontent*` hosts under `fbcdn.net` and `cdninstagram.com` (the URLs the
extension pushes), X `pbs.twimg.com` and `abs.twimg.com` over https only (the `profile_image_url` X's API
answers). A URL passes `allowed` first; the download then goes through pcrm.sync.fetch's SSRF rules (public
addresses only, the checked address pinned, no redirects, at most 5 MB and 5 s), and the answer must be a
JPEG, PNG, GIF or WebP image by its first bytes, whatever its Content-Type says.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT_S = 5.0
PARALLEL = 8  # downloads at once
_WEB = ("http", "https")
HOSTS: dict[str, tuple[tuple[str, ...], re.Pattern[str]]] = {
    "linkedin": (_WEB, re.compile(r"^media(-exp\d+)?\.licdn\.com$")),
    "facebook": (_WEB, re.compile(r"^scontent[a-z0-9.-]*\.(fbcdn\.net|cdninstagram\.com)$")),
    "instagram": (_WEB, re.compile(r"^scontent[a-z0-9.-]*\.(cdninstagram\.com|fbcdn\.net)$")),
    "twitter": (("https",), re.compile(r"^(pbs|abs)\.twimg\.com$")),
}
_MAGIC = ((b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF87a", "gif"), (b"GIF89a", "gif"))


def allowed(platform: str, url: str) -> bool:
    """Whether `url` is on one of the platform's image hosts, by a scheme the platform's list allows."""
    schemes, hosts = HOSTS[platform]
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme in schemes and bool(hosts.match(host)) and not (parts.username or parts.password)


def refusal(platform: str, url: str) -> str:
    """Why `url` is not fetched (for a report line)."""
    host = urlsplit(url).hostname or url[:60]
    return f"host {host} is not an allowed {platform} image host"


def image_type(blob: bytes) -> str | None:
    """The file extension of an image by its first bytes; None when it is not JPEG, PNG, GIF or WebP."""
    for magic, ext in _MAGIC:
        if blob.startswith(magic):
            return ext
    if blob[:4] == b"RIFF" and blob[8:12] == b"WEBP":
        return "webp"
    return None


def download(url: str) -> tuple[bytes, str] | str:
    """(bytes, extension) of the image at `url`, or why not. The caller checked `allowed` first."""
    from pcrm.sync import fetch

    try:
        answer = fetch.get(url, max_bytes=MAX_BYTES, timeout=TIMEOUT_S)
    except fetch.FetchRefused as e:
        return str(e)
    if answer.status != 200:
        return f"the host answered {answer.status}"
    ext = image_type(answer.body)
    return (answer.body, ext) if ext else "not a JPEG, PNG, GIF or WebP image"


def fetch_allowed(platform: str, url: str) -> tuple[bytes, str] | str:
    """`download` of a URL on the platform's list; a URL off it is refused (never contacted)."""
    return download(url) if allowed(platform, url) else refusal(platform, url)


def download_all(urls: list[str]) -> list[tuple[bytes, str] | str]:
    """`download` of each URL, up to PARALLEL at once, in order."""
    if not urls:
        return []
    with ThreadPoolExecutor(max_workers=min(PARALLEL, len(urls))) as pool:
        return list(pool.map(download, urls))
