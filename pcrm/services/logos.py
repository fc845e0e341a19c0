"""Organization logos from favicons [safe-fetch] [network-opt-in]: `/favicon.ico` of the organization's
website (else `https://{domain}`), or else the first `<link rel="icon">` of its home page; every download
under the SSRF rules of pcrm/sync/fetch.py. Saved as `avatars/org_{id}.png` under PCRM_HOME, so
`logo_url` is `/static/avatars/org_{id}.png`.
"""

from __future__ import annotations

import html
import logging
import re
import threading
import time
from typing import Any
from urllib.parse import urljoin, urlsplit

from pcrm import paths
from pcrm.services.context import Context, open_context
from pcrm.store import organizations as store
from pcrm.store.db import write
from pcrm.sync import fetch

log = logging.getLogger(__name__)

REFRESH_EVERY = 3600  # seconds between refreshes of one logo unless forced
_LINK = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")
_IMAGE_MAGIC = (b"\x00\x00\x01\x00", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"<svg", b"<?xml", b"RIFF")


def base_url(org: dict[str, Any]) -> str | None:
    site = (org.get("website") or "").strip()
    if site:
        if "://" not in site:
            site = "https://" + site
        p = urlsplit(site)
        if p.scheme in ("http", "https") and p.hostname:
            return f"{p.scheme}://{p.netloc}"
    domain = (org.get("domain") or "").strip()
    return f"https://{domain}" if domain else None


def _image(a: fetch.Answer) -> bool:
    if a.status != 200 or not a.body:
        return False
    return a.content_type.startswith("image/") or a.body.lstrip()[:5].startswith(_IMAGE_MAGIC)


def icon_href(page: str) -> str | None:
    """The href of the first <link rel="icon"> or rel="shortcut icon" of a page."""
    for tag in _LINK.findall(page):
        attrs = {k.lower(): html.unescape(v.strip("\"'")) for k, v in _ATTR.findall(tag)}
        rel = attrs.get("rel", "").lower().split()
        if "icon" in rel and attrs.get("href"):
            return attrs["href"]
    return None


def find_logo(base: str) -> bytes | None:
    """The logo's bytes, or None; every refusal (SSRF rule, size, time, redirect) only means no logo."""
    try:
        a = fetch.get(base + "/favicon.ico")
        if _image(a):
            return a.body
    except fetch.FetchRefused as e:
        log.info("logo: %s", e)
    try:
        page = fetch.get(base + "/")
        href = icon_href(page.body.decode("utf-8", "replace")) if page.status == 200 else None
        if href:
            a = fetch.get(urljoin(base + "/", href))
            if _image(a):
                return a.body
    except fetch.FetchRefused as e:
        log.info("logo: %s", e)
    return None


def _file(uuid: str) -> Any:
    return paths.avatars_dir() / f"org_{uuid}.png"


def fetch_one(ctx: Context, oid: int, *, force: bool = False) -> dict[str, Any]:
    """{logo_url, refreshed} or {logo_url, refreshed: false, reason}. The download runs outside any
    transaction."""
    org = store.get(ctx.conn, oid)
    assert org is not None
    base = base_url(org)
    if base is None:
        return {"logo_url": org.get("logo_url"), "refreshed": False, "reason": "no_domain_or_website"}
    path = _file(org["id"])
    if not force and path.exists() and time.time() - path.stat().st_mtime < REFRESH_EVERY:
        return {"logo_url": org.get("logo_url"), "refreshed": False, "reason": "refreshed_recently"}
    body = find_logo(base)
    if body is None:
        return {"logo_url": org.get("logo_url"), "refreshed": False, "reason": "not_found"}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(body)
    tmp.replace(path)
    url = paths.AVATAR_URL_PREFIX + path.name
    with write(ctx.conn):
        store.update(ctx.conn, oid, {"logo_url": url}, ctx.now_iso())
    return {"logo_url": url, "refreshed": True}


def backfill(ctx: Context, oids: list[int]) -> dict[str, int]:
    got = {"fetched": 0, "failed": 0}
    for oid in oids:
        r = fetch_one(ctx, oid)
        got["fetched" if r["refreshed"] else "failed"] += 1
    return got


_threads: dict[str, threading.Thread] = {}


def backfill_in_background(ctx: Context, oids: list[int]) -> None:
    path = ctx.path

    def work() -> None:
        try:
            with open_context(path) as own:
                backfill(own, oids)
        finally:
            _threads.pop("backfill", None)

    t = threading.Thread(target=work, name="pcrm-logos", daemon=True)
    _threads["backfill"] = t
    t.start()
