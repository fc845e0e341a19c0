"""`POST /linkedin/push` [extension-push]: profiles and messages the extension read on LinkedIn.

Body `{profiles: [<=50], messages: [<=500], enrich_only: false}`:
- a profile `{profile_id, profile_url, full_name, member_id?, headline?, company?, location?, about?,
  avatar_url?, avatar_data?}` matches on its slug (from `profile_id` or the URL), then the member id
  (`ACo...`), which its contact keeps as one more identity (a DM giving it alone finds them; one another
  contact holds stays theirs, and the two are asked about); name, company and location fill empty
  fields, the title is the headline cut before " at " / " @ "; headline and about are LinkedIn's and
  always replaced, as are company and title, a new employer's both together [job-changes] (a change of
  either is a `job_change` event); the avatar
  comes from `avatar_data`, else from `avatar_url` on LinkedIn's image hosts only [push-avatars].
  `enrich_only` never creates;
- a message `{profile_id?, profile_name, direction, content_preview, timestamp, conversation_id,
  content_hash?}` has the reference `linkedin:{conversation_id}:{content_hash or timestamp}` and goes to
  the contact of its slug (created as a stub when nobody has it). A sender with a name alone is one record
  per name and conversation, matched as [import-matching] matches a chat: the contact already holding one
  of the pushed messages, else the oldest contact of that name holding earlier messages of the
  conversation (or, in the same push, the slug's contact it was pushed with), else the one contact of
  another name known in the conversation by it (a message pushed with it: each message keeps the name it
  came with as `extra_data.pushed_name`; the user renamed the contact since), never a namesake on the name
  alone: otherwise a stub of that name is created and queued for review with its namesakes.
Answer: `{contacts_created, contacts_updated, interactions_created, interactions_skipped, backfill_needed:
[{contact_id, linkedin_profile_id, linkedin_url}], errors}`.
"""

from __future__ import annotations

import re
from typing import Any

from pcrm.domain import normalize as n
from pcrm.domain.records import ContactRecord, Counterpart, InteractionRecord, Thread
from pcrm.services import push, push_avatars
from pcrm.services.context import Context, Result
from pcrm.store import contacts as cstore
from pcrm.store import import_keys as ikeys
from pcrm.store import push as store

SOURCE = "linkedin"
BACKFILL = 10
_CUT = re.compile(r"\s+(?:@|at)\s+", re.IGNORECASE)
# LinkedIn owns these: a new value replaces the old one (a user's own edit still wins [protected-fields])
_OWNED = frozenset({"linkedin_headline", "linkedin_bio", "linkedin_url", "company", "title"})


def _title(headline: str | None) -> str | None:
    if not headline:
        return None
    t = _CUT.split(headline, maxsplit=1)[0].strip()
    return t if t and len(t) < 100 else None


def _slug(item: dict[str, Any]) -> str | None:
    pid = push.text(item, "profile_id", 200)
    url = push.text(item, "profile_url", 500)
    slug = n.linkedin_profile_id(pid) if pid and not pid.startswith("ACo") else None
    return slug or (n.linkedin_profile_id(url) if url else None)


def _member(item: dict[str, Any], key: str = "profile_id") -> str | None:
    """An item's `profile_id` (or `key`) when it is an anonymised member id (`ACo...`)."""
    pid = push.text(item, key, 200)
    return pid if pid and pid.startswith("ACo") and n.linkedin_profile_id(pid) == pid else None


def _known_by_member(ctx: Context, slug: str | None, member: str | None) -> int | None:
    """The contact a profile pushed with its slug and its anonymised member id (`ACo...`) is about when
    nobody holds the slug but a contact is known by the member id (a message's sender pushed before its
    profile was seen): that contact is enriched, its member id upgraded to the slug, instead of a second
    contact of the same person being created [extension-push]."""
    if not (slug and member and member.startswith("ACo")) or member == slug:
        return None
    if cstore.id_by_identity(ctx.conn, "linkedin", "external_id", slug) is not None:
        return None  # the slug's holder is matched as usual
    return cstore.id_by_identity(ctx.conn, "linkedin", "external_id", member)


def _profiles(
    ctx: Context,
    body: dict[str, Any],
    p: push.Parsed,
    enrich_only: bool,
    urls: dict[int, tuple[int, str, str]],
) -> dict[str, int]:
    """One contact record per profile; returns slug -> record index, for the messages. `urls` gets the
    avatar URLs that may be downloaded ({record index: (profile number, platform id, url)})."""
    index: dict[str, int] = {}

    def one(i: int, item: dict[str, Any]) -> None:
        slug = _slug(item)
        member = push.text(item, "member_id", 200) or push.text(item, "profile_id", 200)
        if not slug and not (member and member.startswith("ACo")):
            given = push.text(item, "profile_id", 200) or push.text(item, "profile_url", 500)
            raise push.ItemError(
                f"{given!r} is not a LinkedIn profile address or slug"
                if given
                else "profile_id or profile_url is required"
            )
        headline = push.text(item, "headline", 500)
        data: dict[str, Any] = {
            **push.split_name(push.text(item, "full_name", 200)),
            "linkedin_profile_id": slug or member,
            "linkedin_url": f"https://www.linkedin.com/in/{slug}" if slug else None,
            "linkedin_headline": headline,
            "linkedin_bio": push.text(item, "about"),
            "title": _title(headline),
            "company": push.text(item, "company", 200),
            "location": push.text(item, "location", 200),
        }
        try:
            photo = push.avatar(item.get("avatar_data"))
        except push.ItemError as e:  # the profile is still stored, without its photo
            p.errors.append(f"profiles[{i}]: {e}")
            photo = None
        # the member id beside the slug is one more id of the contact: a DM giving it alone finds them
        also = (_member(item, "member_id") or _member(item)) if slug else None
        rec = ContactRecord(
            row=i + 1,
            data={k: v for k, v in data.items() if v},
            more_ids=(("linkedin_profile_id", also),) if also else (),
            contact_id=_known_by_member(ctx, slug, member),
            overwrite=_OWNED,
            job_change=True,
            create=not enrich_only,
            where="profiles",
            avatar=photo,
        )
        url = push_avatars.wanted(item, i, SOURCE, p.errors)
        if url:
            urls[len(p.records.contacts)] = (i, str(data["linkedin_profile_id"]), url)
        index[str(data["linkedin_profile_id"])] = len(p.records.contacts)
        p.platform_ids.add(str(data["linkedin_profile_id"]))
        p.records.contacts.append(rec)

    push.each(push.items(body, "profiles", push.MAX_PROFILES), "profiles", p.errors, one)
    return index


def _messages(ctx: Context, body: dict[str, Any], p: push.Parsed, index: dict[str, int]) -> None:
    in_thread: dict[tuple[str, str], int] = {}  # (folded sender name, conversation) -> record index

    def one(i: int, item: dict[str, Any]) -> None:
        # the sender's profile id: the slug, else LinkedIn's anonymised member id (the id its messages give a
        # member whose public address they do not show), which a later profile visit upgrades to the slug
        slug = _slug(item) or _member(item)
        name = push.text(item, "profile_name", 200)
        if not slug and not name:
            p.skipped += 1  # nobody to attach it to (the reference skips these too)
            return
        conv = push.text(item, "conversation_id", 300)
        if not conv:
            raise push.ItemError("conversation_id is required")
        # the reference: content_hash, else the timestamp as sent; a message with neither a hash nor a
        # valid time has nothing that tells it apart on the next push (the push's time would add it again)
        key = push.text(item, "content_hash", 200)
        if key is None and push.valid_time(item.get("timestamp")) is None:
            stamp = item.get("timestamp")
            why = "is missing" if stamp in (None, "") else f"{push.said(stamp)} is no ISO 8601 time"
            raise push.ItemError(f"timestamp {why}, and without a content_hash the message has no reference")
        key = key or push.text(item, "timestamp", 100)
        at = push.timestamp(ctx, item.get("timestamp"))
        content = push.text(item, "content_preview")  # read before any stub: a bad item adds nobody
        target: int | Counterpart
        if slug:
            if slug not in index:  # a stub for someone whose profile was not pushed (matched if known)
                index[slug] = len(p.records.contacts)
                p.platform_ids.add(slug)
                data = {**push.split_name(name), "linkedin_profile_id": slug}
                # a member id the store does not hold: the contact its chat found before, if any
                anonymous = slug.startswith("ACo")
                chat = Thread(SOURCE, conv, ref_prefix=f"linkedin:{conv}:") if anonymous else None
                rec = ContactRecord(row=i + 1, data=data, where="messages", thread=chat)
                p.records.contacts.append(rec)
            target = index[slug]
            if name:  # a message of this chat pushed with the name alone is theirs too
                in_thread.setdefault((n.fold(name), conv), target)
        else:
            assert name is not None
            sender = (n.fold(name), conv)
            if sender not in in_thread:  # one record per name and chat: matched as a chat [import-matching]
                in_thread[sender] = len(p.records.contacts)
                thread = Thread(SOURCE, conv, ref_prefix=f"linkedin:{conv}:")
                rec = ContactRecord(row=i + 1, data=push.split_name(name), where="messages", thread=thread)
                p.records.contacts.append(rec)
            target = in_thread[sender]
        p.records.interactions.append(
            InteractionRecord(
                row=i + 1,
                contact=target,
                platform="linkedin",
                direction=push.direction(item.get("direction")),  # type: ignore[arg-type]
                occurred_at=at,
                raw_reference_id=f"linkedin:{conv}:{key}",
                content_preview=content,
                # the name it came with: the chat's later pushes find its contact by it, renamed or not
                extra_data={ikeys.PUSHED_NAME: name} if name else None,
                where="messages",
            )
        )

    push.each(push.items(body, "messages", push.MAX_MESSAGES), "messages", p.errors, one)


def _backfill(ctx: Context, slugs: set[str]) -> list[dict[str, Any]]:
    """Touched contacts lacking a title, company or avatar, topped up to 10 with others lacking an avatar."""
    conn = ctx.conn
    ids = [c for s in sorted(slugs) if (c := cstore.id_by_identity(conn, "linkedin", "external_id", s))]
    picked = [c for c in ids if c is not None]
    rows = cstore.fetch_contacts(conn, picked) if picked else []
    out = [r for r in rows if not (r.get("title") and r.get("company") and r.get("avatar_url"))]
    more = store.missing_avatars(conn, "linkedin", picked, BACKFILL - len(out))
    out += cstore.fetch_contacts(conn, more) if more else []
    return [
        {
            "contact_id": r["id"],
            "linkedin_profile_id": r.get("linkedin_profile_id"),
            "linkedin_url": r.get("linkedin_url")
            or (
                f"https://www.linkedin.com/in/{r['linkedin_profile_id']}"
                if r.get("linkedin_profile_id")
                else None
            ),
        }
        for r in out
    ]


def download_avatars(ctx: Context, body: dict[str, Any]) -> push_avatars.Downloaded:
    """The avatar downloads a push needs, before its write: the daemon's prepare step [prepare-off-lane]."""
    p = push.Parsed()
    urls: dict[int, tuple[int, str, str]] = {}
    _profiles(ctx, body, p, body.get("enrich_only") is True, urls)
    return push_avatars.download(ctx, SOURCE, p, urls)


def linkedin_push(
    ctx: Context, body: dict[str, Any], *, prepared: push_avatars.Downloaded | None = None
) -> Result:
    """POST /linkedin/push: write what the extension read; see the module docstring. `prepared`: the
    avatars `download_avatars` fetched (the daemon, off its writer lane); None downloads them here."""
    enrich_only = body.get("enrich_only") is True
    p = push.Parsed()
    urls: dict[int, tuple[int, str, str]] = {}
    index = _profiles(ctx, body, p, enrich_only, urls)
    _messages(ctx, body, p, index)
    push_avatars.attach(ctx, SOURCE, p, urls, prepared)
    report, _changed = push.write_push(ctx, SOURCE, p)
    return Result(
        {
            **push.counts(report),
            "backfill_needed": _backfill(ctx, p.platform_ids),
            "errors": report["errors"],
        },
        {"batch_id": report.get("batch_id")},
    )
