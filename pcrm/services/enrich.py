"""Apollo enrichment of one contact, or of every contact missing a title or company [apollo-enrichment]
[network-opt-in].

Off until `enrichment.apollo` is on and a key is stored (`pcrm secrets set apollo`). The contact's first email
(else its LinkedIn URL) goes to Apollo's people match; the person it answers becomes one contact record
aimed at that contact (`ContactRecord.contact_id`) and written through the ingest engine, so its fill rules
hold: empty fields are filled, a field the user edited is never touched, emails and phones are added, a
differing value is kept aside. The write is an import batch of source `apollo` (provenance; `pcrm import
undo` reverts it). The photo is downloaded under the SSRF rules [safe-fetch], and only for a contact without
an avatar.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pcrm import secrets
from pcrm.domain.records import ContactRecord, Records
from pcrm.errors import BadRequest, FeatureDisabled, NotFound, PcrmError
from pcrm.services import ingest
from pcrm.services.context import Context, Result, collector_paused
from pcrm.services.import_report import empty_report
from pcrm.store import contacts as cstore
from pcrm.store import enrich as estore
from pcrm.store.db import write
from pcrm.sync import apollo, fetch

SECRET = "apollo"
SOURCE = "apollo"
_SCALARS = ("given_name", "family_name", "full_name", "title", "company", "location", "linkedin_url")
_COMPARED = (*_SCALARS, "twitter_handle", "avatar_url")
_MAGIC = ((b"\xff\xd8\xff", "jpg"), (b"\x89PNG", "png"), (b"GIF8", "gif"))


def _enabled(ctx: Context, *, dry_run: bool = False) -> str:
    """Apollo's base URL, once enrichment is on (a dry run sends nothing, so it shows the request anyway)."""
    if not dry_run and not ctx.setting("enrichment.apollo"):
        raise FeatureDisabled(
            "Apollo enrichment is off: it sends the contact's email or LinkedIn URL to Apollo",
            hint="pcrm settings set enrichment.apollo true",
            details={"setting": "enrichment.apollo"},
        )
    return str(ctx.setting("enrichment.apollo_url") or "https://api.apollo.io")


def _key() -> str:
    key = secrets.get(SECRET)
    if not key:
        raise PcrmError(
            "no Apollo API key is stored",
            code="not_connected",
            hint="pcrm secrets set apollo (the key from Apollo's settings, API keys)",
        )
    return key


def _str(v: Any) -> str | None:
    return v.strip() if isinstance(v, str) and v.strip() else None


def to_contact_data(person: dict[str, Any]) -> dict[str, Any]:
    """Apollo's person as contact input; values of the wrong type are ignored."""
    org = person.get("organization")
    place = ", ".join(p for k in ("city", "state", "country") if (p := _str(person.get(k))))
    twitter = _str(person.get("twitter_url"))
    handle = urlsplit(twitter).path.rstrip("/").rsplit("/", 1)[-1] if twitter else None
    phones = person.get("phone_numbers")
    data: dict[str, Any] = {
        "given_name": _str(person.get("first_name")),
        "family_name": _str(person.get("last_name")),
        "full_name": _str(person.get("name")),
        "title": _str(person.get("title")),
        "company": _str(org.get("name")) if isinstance(org, dict) else None,
        "location": place or None,
        "linkedin_url": _str(person.get("linkedin_url")),
        "twitter_handle": handle.lstrip("@") if handle else None,
        "phones": [
            s
            for p in (phones if isinstance(phones, list) else [])
            if isinstance(p, dict)
            for s in [_str(p.get("sanitized_number"))]
            if s
        ],
        # Apollo answers a placeholder (email_not_unlocked@domain.com) for addresses the plan does not reveal
        "emails": [e for e in [_str(person.get("email"))] if e and "@" in e and "not_unlocked" not in e],
    }
    return {k: v for k, v in data.items() if v}


def _photo(url: Any) -> tuple[bytes, str] | None:
    """The photo's bytes and extension, downloaded under the SSRF rules; None when refused or not an image."""
    if not isinstance(url, str) or not url:
        return None
    try:
        a = fetch.get(url)
    except fetch.FetchRefused:
        return None
    if a.status != 200:
        return None
    for magic, ext in _MAGIC:
        if a.body.startswith(magic):
            return a.body, ext
    if a.body[:4] == b"RIFF" and a.body[8:12] == b"WEBP":
        return a.body, "webp"
    return None


def _upstream(e: apollo.ApolloError) -> PcrmError:
    details: dict[str, Any] = {"upstream": "apollo", "upstream_status": e.status, "kind": e.kind}
    if e.kind == "invalid_key":
        return PcrmError(
            str(e), code="upstream_error", hint="store a valid key: pcrm secrets set apollo", details=details
        )
    if e.kind == "rate_limited":
        return PcrmError(str(e), code="rate_limited", hint="try again later", details=details)
    if e.kind == "network":
        hint = "check your connection and the `enrichment.apollo_url` setting, then try again"
        return PcrmError(str(e), code="upstream_error", hint=hint, details=details)
    return PcrmError(str(e), code="upstream_error", hint="try again later", details=details)


def _count(v: Any) -> int:
    return len(v) if isinstance(v, list) else 0


@dataclass
class Lookup:
    """What Apollo answered for one contact, before anything is written [prepare-off-lane]: `answer` when
    nothing is to be written (a dry run, no match), else the person and the photo downloaded for it."""

    cid: int
    answer: dict[str, Any] | None = None
    person: dict[str, Any] | None = None
    photo: tuple[bytes, str] | None = None


def _lookup(ctx: Context, cid: int, *, dry_run: bool, base: str) -> Lookup:
    """The network half: Apollo's match and the photo download. Reads the store, never writes."""
    c = cstore.fetch_contacts(ctx.conn, [cid])[0]
    emails = c.get("emails") or []
    email = emails[0] if emails else None
    body = apollo.request_body(email, c.get("linkedin_url"))
    if len(body) == 1:
        raise BadRequest(
            "the contact has no email and no LinkedIn URL to look up",
            hint="add one: pcrm contacts edit CONTACT --email ...",
        )
    if dry_run:
        return Lookup(
            cid,
            {
                "contact_id": c["id"],
                "would_send": {
                    "method": "POST",
                    "url": base.rstrip("/") + apollo.PATH,
                    "headers": {"x-api-key": "(the stored apollo key)"},
                    "body": body,
                },
            },
        )
    key = _key()
    try:
        person = apollo.match(base, key, body)
    except apollo.ApolloError as e:
        raise _upstream(e) from None
    if person is None:
        return Lookup(cid, {"contact_id": c["id"], "fields_updated": [], "source": SOURCE, "matched": False})
    photo = None if c.get("avatar_url") else _photo(person.get("photo_url"))
    return Lookup(cid, person=person, photo=photo)


def _write(ctx: Context, got: Lookup) -> dict[str, Any]:
    """The write half: Apollo's person through the ingest engine, as one import batch."""
    if got.answer is not None:
        return got.answer
    assert got.person is not None
    conn, cid = ctx.conn, got.cid
    rows = cstore.fetch_contacts(conn, [cid])  # as it is now, not as it was when Apollo was asked
    if not rows:
        raise NotFound("the contact was deleted while Apollo was asked", hint="pcrm contacts list")
    c = rows[0]
    photo = None if c.get("avatar_url") else got.photo
    rec = ContactRecord(
        row=1, data=to_contact_data(got.person), create=False, contact_id=cid, where="apollo", avatar=photo
    )
    records = Records(contacts=[rec])
    from pcrm.services.sync import ingest_options

    opts = ingest_options(ctx)
    report = empty_report(SOURCE)
    changes = ingest.validate(records, opts)
    with collector_paused(), write(conn):
        applied = ingest.apply(
            ctx, records, changes, report, opts, source=SOURCE, fmt="enrich", filename=f"apollo {c['id']}"
        )
    after = cstore.fetch_contacts(conn, [cid])[0]
    updated = [f for f in _COMPARED if (c.get(f) or None) != (after.get(f) or None)]
    updated += [f for f in ("emails", "phones") if _count(after.get(f)) > _count(c.get(f))]
    return {
        "contact_id": c["id"],
        "fields_updated": updated,
        "source": SOURCE,
        "matched": True,
        "batch_id": applied.batch_uuid,
        "errors": report["errors"],
    }


def _one(ctx: Context, cid: int, *, dry_run: bool, base: str) -> dict[str, Any]:
    return _write(ctx, _lookup(ctx, cid, dry_run=dry_run, base=base))


def lookup(ctx: Context, contact_id: str, *, dry_run: bool = False) -> Lookup:
    """Apollo's answer for one contact, nothing written: the daemon's prepare step for `enrich`, run off its
    writer lane [prepare-off-lane]. Errors (disabled, no key, Apollo refusing) are raised here."""
    from pcrm.services.contacts import rowid

    cid = rowid(ctx, contact_id)
    base = _enabled(ctx, dry_run=dry_run)
    return _lookup(ctx, cid, dry_run=dry_run, base=base)


def enrich(ctx: Context, contact_id: str, *, dry_run: bool = False, prepared: Lookup | None = None) -> Result:
    """`POST /contacts/{id}/enrich`, `pcrm contacts enrich CONTACT` → {fields_updated, source: "apollo"}
    (empty when Apollo knows nobody); with dry_run, what would be sent. `prepared`: the daemon's `lookup`
    done beforehand off its writer lane; None looks up here."""
    got = prepared if prepared is not None else lookup(ctx, contact_id, dry_run=dry_run)
    return Result(_write(ctx, got), {"dry_run": True} if dry_run else {})


def enrich_missing(ctx: Context, *, dry_run: bool = False, pause: float = 0.0) -> Result:
    """`pcrm contacts enrich --all-missing`: every active contact with an email or LinkedIn URL that lacks
    a title or company. Stops at the first error that would repeat for every contact (key, rate limit)."""
    base = _enabled(ctx, dry_run=dry_run)
    ids = estore.missing_title_or_company(ctx.conn)
    done: list[dict[str, Any]] = []
    counts: dict[str, int] = {"contacts": len(ids), "enriched": 0, "no_match": 0}
    for i, cid in enumerate(ids):
        got = _one(ctx, cid, dry_run=dry_run, base=base)
        done.append(got)
        if not dry_run:
            if not got["matched"]:
                counts["no_match"] += 1
            elif got["fields_updated"]:
                counts["enriched"] += 1
            if pause and i + 1 < len(ids):
                time.sleep(pause)
    return Result({**counts, "results": done}, {"dry_run": True} if dry_run else {})
