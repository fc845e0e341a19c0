"""Organization logos from favicons [safe-fetch] [network-opt-in]: `/favicon.ico` of the organization's
website (else `https://{domain}`), or else the first `<link rel="icon">` of its home page; every download
under the SSRF rules of pcrm/sync/fetch.py. Saved as `avatars/org_{id}.png` under PCRM_HOME, so
`logo_url` is `/static/avatars/org_{id}.png`.

Adding an organization with a website or domain, or changing the address its logo comes from, fetches the logo
too, within SAVE_BUDGET seconds, before the write (`on_save`, the daemon's prepare step [prepare-off-lane]);
the write keeps it (`attach`) and says in words why there is none [org-logo-on-save].
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
import threading
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from pcrm import paths
from pcrm.services.context import Context, open_context
from pcrm.store import bulk_journal
from pcrm.store import organizations as store
from pcrm.store.db import write
from pcrm.sync import fetch

log = logging.getLogger(__name__)

REFRESH_EVERY = 3600  # seconds between refreshes of one logo unless forced
SAVE_BUDGET = 4.0  # seconds an organization's add or edit waits for its logo, every download together
_LINK = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")
_IMAGE_MAGIC = (b"\x00\x00\x01\x00", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"<svg", b"<?xml", b"RIFF")


def base_url(org: Mapping[str, Any]) -> str | None:
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


@dataclass(frozen=True)
class Found:
    """A site's logo (`body`), or None and why not, in words."""

    body: bytes | None
    why: str = ""


def look(base: str, *, budget: float = fetch.TIMEOUT) -> Found:
    """The logo of the site at `base`; every refusal (SSRF rule, size, time, redirect) only means no logo.
    `budget`: the seconds all the downloads may take together (each gets what is left)."""
    deadline = time.monotonic() + budget
    why: list[str] = []

    def get(url: str) -> fetch.Answer:
        left = deadline - time.monotonic()
        if left <= 0:
            raise fetch.FetchRefused(f"{url[:100]} was not tried: the {budget:g} s for the logo were spent")
        return fetch.get(url, timeout=left)

    try:
        a = get(base + "/favicon.ico")
        if _image(a):
            return Found(a.body)
        why.append(f"{base}/favicon.ico is not an image (HTTP {a.status})")
    except fetch.FetchRefused as e:
        log.info("logo: %s", e)
        why.append(str(e))
    try:
        page = get(base + "/")
        href = icon_href(page.body.decode("utf-8", "replace")) if page.status == 200 else None
        if href:
            icon = urljoin(base + "/", href)
            a = get(icon)
            if _image(a):
                return Found(a.body)
            why.append(f"{icon[:100]} is not an image (HTTP {a.status})")
        else:
            why.append(
                f"{base}/ names no icon" if page.status == 200 else f"{base}/ answered HTTP {page.status}"
            )
    except fetch.FetchRefused as e:
        log.info("logo: %s", e)
        why.append(str(e))
    return Found(None, "; ".join(why))


def find_logo(base: str) -> bytes | None:
    """The logo's bytes, or None."""
    return look(base).body


def _file(uuid: str) -> Any:
    return paths.avatars_dir() / f"org_{uuid}.png"


def _save(ctx: Context, org: Mapping[str, Any], body: bytes) -> str:
    """Write the logo's file and point the organization at it (in the caller's transaction, if any)."""
    path = _file(org["id"])
    url = paths.AVATAR_URL_PREFIX + path.name
    with write(ctx.conn):  # the file too: `tidy` never finds it written and not pointed at yet
        tmp = path.with_suffix(".tmp")
        paths.write_private(tmp, body)  # [private-files]
        tmp.replace(path)
        store.update(ctx.conn, org["_rowid"], {"logo_url": url}, ctx.now_iso())
    return url


def fetch_one(ctx: Context, oid: int, *, force: bool = False, journal: bool = False) -> dict[str, Any]:
    """{logo_url, refreshed} or {logo_url, refreshed: false, reason}, with skipped: true (as the reference
    says) when nothing was asked: no domain or website, or refreshed within the hour. The download runs
    outside any transaction. `journal` (one organization's refresh, `pcrm orgs logos ORG`): a new logo is
    journalled as the organization's edit, with `bulk_update_id` naming its undo (`_save_journalled`)."""
    org = store.get(ctx.conn, oid)
    assert org is not None
    base = base_url(org)
    if base is None:
        return {
            "logo_url": org.get("logo_url"),
            "refreshed": False,
            "skipped": True,
            "reason": "no_domain_or_website",
        }
    path = _file(org["id"])
    if not force and path.exists() and time.time() - path.stat().st_mtime < REFRESH_EVERY:
        return {
            "logo_url": org.get("logo_url"),
            "refreshed": False,
            "skipped": True,
            "reason": "refreshed_recently",
        }
    body = find_logo(base)
    if body is None:
        return {"logo_url": org.get("logo_url"), "refreshed": False, "reason": "not_found"}
    if journal:
        return _save_journalled(ctx, oid, base, body)
    return {"logo_url": _save(ctx, org, body), "refreshed": True}


def digest(body: bytes) -> str:
    """The short digest naming an image: a kept copy's name (`keep_aside`), the logo a change left."""
    return hashlib.sha256(body).hexdigest()[:12]


def current_digest(uuid: str) -> str | None:
    """The digest of organization `uuid`'s logo file as it is now (None: no file)."""
    path = _file(uuid)
    return digest(path.read_bytes()) if path.exists() else None


def _save_journalled(ctx: Context, oid: int, base: str, body: bytes) -> dict[str, Any]:
    """Save a refreshed logo and journal it as the organization's edit (kind org-edit, `logo_fetch`)
    [bulk-undo]: the file it replaces kept aside (`keep_aside`), or none when there was none, and the logo
    URL and updated_at it changed, so that `pcrm contacts bulk-undo ID` puts the old logo back (or takes
    the new one off). The same image again changes nothing to undo: no entry, no `bulk_update_id`."""
    from pcrm.services import bulk, organizations  # imported here: organizations imports this module

    conn = ctx.conn
    with write(conn):
        org = store.get(conn, oid)
        assert org is not None
        row_was = store.raw_row(conn, oid) or {}
        path = _file(org["id"])
        own = paths.AVATAR_URL_PREFIX + path.name
        same = row_was.get("logo_url") == own and path.exists() and path.read_bytes() == body
        kept = keep_aside(ctx, oid, OnSave(base, Found(body)))
        url = _save(ctx, org, body)
        if same:
            return {"logo_url": url, "refreshed": True}
        edited = organizations.edited_row(row_was, store.raw_row(conn, oid) or {})
        edited.update({"logo_fetch": True, "logo_digest": digest(body)})
        if kept is not None:
            edited["logo_kept"] = kept
        bid = bulk.journal(
            conn, "org-edit", {"organization": edited}, {}, ctx.now_iso(), fields=bulk.ORG_FIELDS
        )
    return {"logo_url": url, "refreshed": True, "bulk_update_id": bid}


# ------------------------------------------------------------------ on add and edit [org-logo-on-save]


@dataclass(frozen=True)
class OnSave:
    """What an organization's add or edit fetched before its write: the address tried (None: nothing was,
    so the answer says nothing of a logo) and what came of it."""

    base: str | None = None
    found: Found | None = None


def on_save(ctx: Context, before: Mapping[str, Any] | None, fields: Mapping[str, Any]) -> OnSave:
    """The logo an add (`before` None) or edit of `fields` brings: none while `logos.enabled` is off
    [network-opt-in], when the organization ends up with no website or domain, when an edit touches neither,
    or when it leaves the address the logo comes from as it was and there is a logo; else fetched now, within
    SAVE_BUDGET seconds. Reads the store, never writes: the daemon runs it off its writer lane."""
    if not ctx.setting("logos.enabled"):
        return OnSave()
    if before is not None and not {"domain", "website"} & set(fields):
        return OnSave()
    base = base_url({**(before or {}), **fields})
    if base is None or (before is not None and base == base_url(before) and before.get("logo_url")):
        return OnSave()
    return OnSave(base, look(base, budget=SAVE_BUDGET))


def attach(ctx: Context, oid: int, got: OnSave) -> dict[str, Any] | None:
    """Keep what `on_save` fetched for organization `oid`, as it is now -> meta.logo: {fetched: true,
    logo_url} or {fetched: false, logo_url (the one it had), reason, message in words}; None when nothing
    was tried. Call inside the add or edit's write transaction."""
    if got.base is None or got.found is None:
        return None
    org = store.get(ctx.conn, oid)
    assert org is not None
    if base_url(org) != got.base:  # another write changed its address while the logo was fetched
        message = f"the organization's website or domain changed while the logo of {got.base} was fetched"
        return {"fetched": False, "logo_url": org["logo_url"], "reason": "changed", "message": message}
    if got.found.body is None:
        message = f"no logo found at {got.base}: {got.found.why}"
        return {"fetched": False, "logo_url": org["logo_url"], "reason": "not_found", "message": message}
    return {"fetched": True, "logo_url": _save(ctx, org, got.found.body)}


def keep_aside(ctx: Context, oid: int, got: OnSave) -> str | None:
    """Before `attach` writes a new logo over organization `oid`'s file: a copy of the file it replaces,
    kept aside beside it as `org_{id}.{digest}.png`, for the edit's undo to put back [bulk-undo] (the file
    is the logo's only copy, and its old site may have none to fetch any more). Its name; None when `attach`
    replaces no file (nothing fetched, the address changed meanwhile, no file, the same image)."""
    if got.base is None or got.found is None or got.found.body is None:
        return None
    org = store.get(ctx.conn, oid)
    if org is None or base_url(org) != got.base:
        return None
    path = _file(org["id"])
    if not path.exists():
        return None
    body = path.read_bytes()
    if body == got.found.body:
        return None
    name = f"org_{org['id']}.{digest(body)}.png"
    paths.write_private(paths.avatars_dir() / name, body)  # [private-files]
    return name


def put_back_kept(uuid: str, name: str) -> bool:
    """Give organization `uuid` back the logo file `keep_aside` kept as `name` [bulk-undo]: whether it was
    there to put back (the kept copy stays, for a transaction that does not hold)."""
    kept = paths.avatars_dir() / name
    if not name.startswith(f"org_{uuid}.") or not kept.exists():
        return False
    path = _file(uuid)
    tmp = path.with_suffix(".tmp")
    paths.write_private(tmp, kept.read_bytes())
    tmp.replace(path)
    return True


_UUID = re.compile(r"^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$")


def tidy(
    ctx: Context, uuids: Collection[str], *, gone: Collection[str] = (), stuck: list[str] | None = None
) -> int:
    """Remove the logo files of these organizations that nothing can show or put back any more [bulk-undo]:
    `org_{id}.png` and the copies `keep_aside` kept, once no organization points at them and no change not
    undone yet names them (bulk_journal.logo_files_named). `gone`: organizations an undo deleted for good
    (one an add or a bulk update made): a change of them still in the journal can never be undone, so only
    another organization pointing at a file keeps it. Call after the undo's transaction: a file removed
    by a transaction that did not hold would be lost. How many files went; a file the system would not let
    go (a folder not the user's, a file open on Windows) stays, named in `stuck` when given: the undo it
    follows has committed, so it is said, never raised (`pcrm db check --fix` tries again)."""
    folder = paths.avatars_dir()
    removed = 0
    with write(ctx.conn):  # no write between what is read and the files removed
        for uuid in dict.fromkeys(uuids):
            if not _UUID.match(uuid):
                continue
            named = bulk_journal.logo_files_named(ctx.conn, uuid, journal=uuid not in gone)
            for path in folder.glob(f"org_{uuid}*.png"):
                if path.name not in named and _KEPT.match(path.name):
                    try:
                        path.unlink(missing_ok=True)
                    except OSError as exc:
                        log.warning("could not remove the logo file %s: %s", path, exc)
                        if stuck is not None:
                            stuck.append(path.name)
                        continue
                    removed += 1
    return removed


_KEPT = re.compile(r"^org_([0-9a-f-]{36})(?:\.[0-9a-f]{12})?\.png$")


def strays(ctx: Context) -> list[str]:
    """The organizations' logo files in the avatars folder that nothing points at any more (`tidy` removes
    such files after each undo; these were left by an undo of an older pcrm, or one stopped between its
    commit and the removal): `pcrm db check` says them, `--fix` removes them (`tidy`). Their names."""
    folder = paths.avatars_dir()
    if not folder.is_dir():
        return []
    files = [p.name for p in folder.glob("org_*.png") if _KEPT.match(p.name)]
    if not files:
        return []
    named = bulk_journal.logo_files_named(ctx.conn)
    return sorted(f for f in files if f not in named)


def tidy_strays(ctx: Context, stuck: list[str] | None = None) -> int:
    """Remove the files `strays` names, each checked again under the write lock (`tidy`): how many went
    (those that would not go named in `stuck`)."""
    uuids = {m.group(1) for name in strays(ctx) if (m := _KEPT.match(name))}
    return tidy(ctx, sorted(uuids), stuck=stuck) if uuids else 0


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
