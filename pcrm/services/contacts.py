"""Contact use cases: create, read, edit, delete, list, tags, and CLI references [contact-references]."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from pcrm.domain import models, name_parts, normalize
from pcrm.domain.contact_input import (
    IDENTIFYING,
    IDENTITY_INPUTS,
    PROTECTABLE,
    address_names,
    check_blank_lists,
    check_blank_values,
    check_identifiable,
    check_point,
    check_tag_count,
    name_from_addresses,
    parse_contact,
    stale_coordinates,
)
from pcrm.domain.limits import Span
from pcrm.domain.models import Contact, display_name
from pcrm.domain.normalize import address_reference, fold, full_name, without_invisible
from pcrm.domain.normalize import tag as norm_tag
from pcrm.domain.normalize import tags as norm_tags
from pcrm.domain.query import ContactFilter, page_meta, parse_filter, parse_paging
from pcrm.domain.sources import contact_sources
from pcrm.domain.wording import counted
from pcrm.errors import BadRequest, NotFound, ValidationError, bounded
from pcrm.services import no_op, scores
from pcrm.services.context import Context, Result
from pcrm.store import bulk_journal, contact_query, import_keys, second_tier
from pcrm.store import contacts as store
from pcrm.store import merges as mstore
from pcrm.store import organizations as orgs
from pcrm.store.contact_bulk import SECOND_TIER
from pcrm.store.db import write

PAGE_SIZE = Span(1, 100, 20)  # GET /contacts page_size; MCP search_contacts limit
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _resolver() -> Any:
    """The write-time resolver, imported when a write needs it: it brings the identity rules and rapidfuzz
    (~30 ms), which a read such as `pcrm contacts list` never uses."""
    from pcrm.services import resolver

    return resolver


def _hand_edits() -> Any:
    """services.hand_edits, imported when a user edit is written (the merge store it reads is no use to a
    read such as `pcrm contacts list`)."""
    from pcrm.services import hand_edits

    return hand_edits


def _assign_for_company(ctx: Context, cid: int, now: str) -> None:
    """services.organizations.assign_for_company, imported when a write sets a company: the organizations
    service and its identity store are no use to a read such as `pcrm contacts list` (CLI start-up)."""
    from pcrm.services.organizations import assign_for_company

    assign_for_company(ctx, cid, now)


def one_contact_twice(ctx: Context, cid: int, what: str) -> ValidationError:
    """The error of a command given the same contact twice (`contacts merge A B` where A and B, an email and
    a name, say, name one contact: merged before, or the same person typed two ways), naming it: a 422 on
    the second of the two (the path's `other_id`), as every other request naming one thing twice answers
    (an organization merged into itself) [strict-validation]."""
    c = _one(ctx, cid)
    return ValidationError(
        f"both name one contact, {display_name(c)} ({c['id']}): a contact cannot be {what} itself",
        field="other_id",
        hint="give two different contacts; `pcrm contacts show ID` lists what this one holds",
    ).at("path")


def rowid(ctx: Context, contact_id: str) -> int:
    """The rowid of a contact by its public UUID, or 404."""
    cid = store.rowid_for_uuid(ctx.conn, contact_id) if _UUID.match(str(contact_id).lower()) else None
    if cid is None:
        raise merged_away(ctx, str(contact_id)) or NotFound(
            f"no contact with id {contact_id}", hint="list contacts with `pcrm contacts list`"
        )
    return cid


_ID_LIKE = re.compile(r"^[0-9a-f][0-9a-f-]{3,35}$")


def merged_away(ctx: Context, ref: str) -> NotFound | None:
    """The 404 for an id (or unique id prefix) of a contact a merge took away [merged-references]: it names
    the contact it is part of now and the `pcrm contacts unmerge` that brings it back (newest first when
    the survivor was merged on), with `details.merged_into` {id, full_name, merge_id, survivor_deleted}.
    None when `ref` is no merged contact's id. Never resolved to the survivor: a write meant for the
    merged contact must not land on another."""
    low = ref.strip().lower()
    if not _ID_LIKE.match(low):
        return None
    taken = mstore.merges_taking(ctx.conn, low)
    if len({m["merged_uuid"] for m in taken}) != 1:
        return None  # none, or a prefix of several merged contacts' ids: the usual error
    chain = [taken[0]]
    survivor = chain[0]["primary_uuid"]
    while (sid := store.rowid_for_uuid(ctx.conn, survivor)) is None and len(chain) < 50:
        on = [m for m in mstore.merges_taking(ctx.conn, survivor) if m["merged_uuid"] == survivor]
        if not on:
            break  # the survivor was deleted: the journal still brings the merged contact back
        chain.append(on[0])
        survivor = on[0]["primary_uuid"]
    name = store.summaries(ctx.conn, [sid])[0]["full_name"] if sid is not None else chain[-1]["survivor_name"]
    # as lists show it (showed it, when deleted since): by its address or number [display-name]
    shown = name or (
        store.display_names(ctx.conn, [sid])[sid] if sid is not None else chain[-1]["primary_shown"]
    )
    if not name and sid is not None:
        name = shown
    from pcrm.domain.dates import local_day

    day = local_day(chain[0]["merged_at"], ctx.tz())
    via = f" (through {counted(len(chain) - 1, 'later merge')})" if len(chain) > 1 else ""
    gone = ", deleted since" if sid is None else ""
    undo = "`, then `".join(f"pcrm contacts unmerge {m['id']}" for m in reversed(chain))
    see = f"`pcrm contacts show {survivor}` shows what it is part of now; " if sid is not None else ""
    return NotFound(
        f"contact {chain[0]['merged_uuid']} was merged into {shown} ({survivor}){via} on {day}{gone}",
        hint=f"{see}to bring it back, undo the merge: `{undo}`",
        details={
            "merged_into": {
                "id": survivor,
                "full_name": name,
                "merge_id": chain[0]["id"],
                "survivor_deleted": sid is None,
            }
        },
    )


def missing_ids(ctx: Context, missing: list[str], hint: str) -> NotFound:
    """The 404 for ids given in a list (a bulk update, a tagging run) that are no contact's: when one of
    them is the id of a contact a merge took away, the error says so as for one contact
    [merged-references] (where it went, when, the unmerge), naming how many other ids were not found;
    `details.missing` lists the first 50 either way."""
    for i, ref in enumerate(missing):
        gone = merged_away(ctx, ref) if _UUID.match(ref) else None  # a full id: no prefix in a list
        if gone is None:
            continue
        others = len(missing) - 1
        more = f" ({counted(others, 'other id')} not found either)" if others else ""
        return NotFound(
            gone.message + more,
            hint=gone.hint,
            details={**gone.details, "missing": [missing[i], *missing[:i], *missing[i + 1 :]][:50]},
        )
    return NotFound.contact_ids(missing, hint)


def _one(ctx: Context, cid: int) -> Contact:
    return store.fetch_contacts(ctx.conn, [cid])[0]


def _write(ctx: Context, cid: int, changes: dict[str, Any], now: str) -> None:
    """Write normalised changes (scalars, child rows, identities) to one contact."""
    conn = ctx.conn
    scalars = {k: v for k, v in changes.items() if k in store.SCALAR_FIELDS and k != "organization_id"}
    if "organization_id" in changes:
        org = changes["organization_id"]
        if org is None:
            scalars["organization_id"] = None
        else:
            oid = orgs.rowid_for_uuid(conn, org)
            if oid is None:
                raise ValidationError(
                    f"no organization with id {org}",
                    field="organization_id",
                    hint="list organizations with `pcrm orgs list`",
                )
            scalars["organization_id"] = oid
    store.update_contact(conn, cid, scalars, now)
    if "emails" in changes:
        store.replace_emails(conn, cid, [(e, None) for e in changes["emails"]])
    if "phones" in changes:
        store.replace_phones(conn, cid, [(raw, norm, None) for raw, norm in changes["phones"]])
    if "tags" in changes:
        store.replace_tags(conn, cid, changes["tags"])
    for field in IDENTITY_INPUTS:
        if field in changes:
            platform, column = models.IDENTITIES[field]
            store.set_identity(conn, cid, platform, column, changes[field], now)


def _drop_labels_of_removed(ctx: Context, cid: int, before: Contact, changes: dict[str, Any]) -> None:
    """An email or phone an edit takes out takes its kept label with it (an import's `contact_fields` row:
    "work", "fax", the vCard's order and preference), which a vCard export writes back as a value the
    contact still holds ([own-exports]: a label whose address the contact no longer holds goes back as it
    came), so a re-import would restore what the user removed."""
    if "emails" in changes:
        held = {e.lower() for e in changes["emails"] or ()}
        gone = [e for e in before["emails"] if e.lower() not in held]
        store.drop_value_labels(ctx.conn, cid, "email", gone)
    if "phones" in changes:
        held_raw = {raw for raw, _norm in changes["phones"] or ()}
        store.drop_value_labels(ctx.conn, cid, "phone", [p for p in before["phones"] if p not in held_raw])


def _company_of_org(ctx: Context, changes: dict[str, Any], company_before: str | None) -> None:
    """A contact linked to an organization has its name as company [company-orgs]: an organization_id
    given with a company that names another organization is a 422 naming both fields (which one the user
    meant is not for pcrm to guess); given alone, the company becomes the organization's name, as a merge
    or a rename of the organization rewrites it. The same company written otherwise ("HOOLI Inc." for
    Hooli: org-dedupe's company key) agrees and is kept as written."""
    org = changes.get("organization_id")
    if org is None:
        return
    oid = orgs.rowid_for_uuid(ctx.conn, org)
    if oid is None:
        return  # _write refuses it, naming organization_id
    from pcrm.domain.identity_names import company_key  # imported only when compared (rapidfuzz)

    found = orgs.get(ctx.conn, oid)
    name = str(found["name"]) if found else ""
    given = "company" in changes
    company = changes.get("company") if given else company_before
    if company and company_key(company) == company_key(name):
        return
    if not given:
        changes["company"] = name
        return
    raise ValidationError(
        f"company {company or '(none)'!r} and organization_id {org} ({name}) name different organizations",
        fields=[
            {"field": "company", "message": f"is not the organization's name {name!r}"},
            {"field": "organization_id", "message": f"is {name!r}, not {company or '(no company)'!r}"},
        ],
        hint=f"give one of them (a company links to the organization of that name), or company {name!r} "
        "with that organization_id",
    )


def create_contact(ctx: Context, data: Mapping[str, Any], *, source: str | None = "manual") -> Result:
    """POST /contacts: a new contact, refused (409) when an email or handle belongs to someone else."""
    folded: list[dict[str, Any]] = []
    changes = parse_contact(data, phone_region=ctx.phone_region(), today=ctx.now().date(), folded=folded)
    check_identifiable(changes)
    check_tag_count(changes.get("tags") or [])
    check_point(changes.get("latitude"), changes.get("longitude"))

    if not changes.get("full_name"):
        changes["full_name"] = full_name(None, changes.get("given_name"), changes.get("family_name"))
    name_from_addresses(changes, address_names(data), changes.get("full_name"))
    typed = [f for f in _PARTS if changes.get(f)]
    if typed:
        # [name-parts]: parts typed by hand are the user's, even where they are the ones the name gives
        # (an import's other split of that name replaced them): marked as an edit marks them
        changes["user_edited_fields"] = typed
    else:
        changes.update(_name_parts(changes.get("full_name")))
    changes.setdefault("source", source)
    import secrets  # here, not at module top: kept off CLI start-up

    now = ctx.now_iso()
    with write(ctx.conn):
        _company_of_org(ctx, changes, None)
        _resolver().check_conflicts(ctx.conn, changes, emails=changes.get("emails") or ())
        # [namesakes]: another contact of this name is said, never refused (two people often share one)
        namesakes = import_keys.ids_by_name_fold(ctx.conn, fold(changes.get("full_name")), limit=5)
        cid = store.insert_contact(
            ctx.conn, {"bcc_hash": secrets.token_hex(4)[:7], "priority_level": "medium"}, now
        )
        _write(ctx, cid, changes, now)
        if changes.get("company") and "organization_id" not in changes:
            _assign_for_company(ctx, cid, now)
    meta: dict[str, Any] = folded_meta(folded)
    if namesakes:
        meta["namesakes"] = [
            {"id": c["id"], "full_name": c["full_name"]}
            for c in sorted(store.summaries(ctx.conn, namesakes), key=lambda c: c["_rowid"])
        ]
    return Result(_one(ctx, cid), meta)


def folded_meta(folded: list[dict[str, Any]]) -> dict[str, Any]:
    """meta.folded and its words in meta.note: the values of a list given twice, or in two spellings of one
    value (`A@x.org` and `a@x.org`), kept once; said, not dropped without a word. Empty when none was."""
    if not folded:
        return {}
    said = "; ".join(
        f"{f['field']} {' and '.join(repr(v) for v in f['values'])} are one value, kept once as {f['kept']!r}"
        for f in folded
    )
    return {"folded": folded, "note": said}


def _blank(value: Any) -> bool:
    """No value: what a form sends for a field it shows empty (null, "", an empty list)."""
    return value is None or value == "" or value == []


def newly_protected(before: Sequence[str] | None, after: Sequence[str] | None) -> list[str]:
    """The fields an edit made the user's [protected-fields]: marked after it, not before."""
    return [f for f in after or () if f not in (before or ())]


def _with_folded(result: Result, folded: list[dict[str, Any]]) -> Result:
    more = folded_meta(folded)
    if more.get("note") and result.meta.get("note"):
        more["note"] = f"{result.meta['note']}; {more['note']}"
    result.meta.update(more)
    return result


def get_contact(ctx: Context, contact_id: str) -> Result:
    scores.catch_up(ctx)
    return Result(_one(ctx, rowid(ctx, contact_id)))


def _other_values(contact: Contact, fields: list[dict[str, Any]]) -> list[dict[str, str | None]]:
    """The contact's kept values (contact_fields: another name, company, birthday, title or note a merge or
    an import kept aside [merge-rules] [import-matching], and a vCard's extras) as rows for people and
    scripts alike: `what` (the row's name: "address (work)", "middle name"), `value` (its text: parts
    joined by ", ", escapes undone), and the field it comes from: its `kind`, `label` (or None) and `raw`
    value as kept. Email and phone fields are left out: they hold the labels of the contact's own emails and
    phones, shown beside them (one left by an edit that removed its address or number is not shown again).
    A photo's web address is a row (never fetched, so no avatar shows it). The department of the contact's
    own company (an ORG's second part: Google's `Organization 1 - Department`, Outlook's `Department`) is
    shown as its department, not as another company [other-values]."""
    from pcrm.formats.vcard_text import readable_field, readable_label, split_escaped

    company = fold(contact.get("company") or "")
    out: list[dict[str, str | None]] = []
    for f in fields:
        kept = {"kind": str(f["kind"]), "label": f["label"] or None, "raw": str(f["value"] or "")}
        if f["kind"] == "photo":
            if "://" not in (value := (f["value"] or "").strip()):
                continue  # a photo in the file is the contact's avatar
            what = f"photo ({readable_label(f['label'])})" if f["label"] else "photo"
            out.append({"what": what, "value": value, **kept})
            continue
        if f["kind"] == "org" and not f["label"]:
            org, *units = [p.strip() for p in split_escaped(f["value"] or "")]
            if units and any(units) and (not org or fold(org) == company):
                out.append({"what": "department", "value": ", ".join(u for u in units if u), **kept})
                continue
        if f["kind"] == "n":
            out += [{**row, **kept} for row in _kept_name_parts(contact, f["value"] or "")]
            continue
        shown = readable_field(f["kind"], f["label"], f["value"] or "")
        if shown is not None:
            out.append({"what": shown[0], "value": shown[1], **kept})
    return _shown_once(contact, out)


# the parts of a vCard's N after the family and given names, named for people [shown-once]
_NAME_PART_WORDS = ("middle name", "name prefix", "name suffix")


def _kept_name_parts(contact: Contact, value: str) -> list[dict[str, str]]:
    """A kept N (family;given;middle;prefix;suffix) as the rows it adds to what the contact shows: when its
    family and given names are the contact's (or empty), only its middle name, prefix and suffix that the
    full name does not hold already, each named; else the whole N as "name parts", as before [shown-once]."""
    from pcrm.formats.vcard_text import split_escaped

    parts = [p.strip() for p in split_escaped(value)] + [""] * 5
    family, given, rest = parts[0], parts[1], parts[2:5]
    own = {fold(contact.get("family_name") or ""), fold(contact.get("given_name") or "")}
    if any(p and fold(p) not in own for p in (family, given)):
        text = ", ".join(p for p in parts if p)
        return [{"what": "name parts", "value": text}] if text else []
    words = set(_words(contact.get("full_name") or ""))
    return [
        {"what": what, "value": part}
        for what, part in zip(_NAME_PART_WORDS, rest, strict=True)
        if part and not set(_words(part)) <= words
    ]


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\W_]+", fold(text)) if w]


# a kept value named so is hidden when it is what the contact's own fields (keys) show already [shown-once]
_SAID_BY = {
    "also known as": ("full_name", "given_name", "family_name"),
    "other company": ("company",),
    "other title": ("title",),
    "location": ("location",),
    "other notes": ("notes",),
    "other birthday": ("birthday",),
    "birthday as written": ("birthday",),
}
_HANDLES = (("telegram", "telegram_username"), ("twitter", "twitter_handle"), ("x", "twitter_handle"))


def _shown_once(contact: Contact, rows: list[dict[str, str | None]]) -> list[dict[str, str | None]]:
    """The kept values less those `pcrm contacts show` says already [shown-once]: one that is what the
    contact's own field of the same meaning shows (a nickname that is the given name, a kept location that is
    the location), a chat address of the contact's own Telegram or X handle (`im:telegram:ada` beside
    `telegram username ada`), and a second row saying what another says (a vCard's `GENDER:M` and
    `X-GENDER:male`, an Outlook `Gender` column and a vCard's GENDER: "gender male" once)."""
    fields: Mapping[str, Any] = contact
    handles = {s: fold(str(fields[k])).lstrip("@") for s, k in _HANDLES if fields.get(k)}
    seen: set[tuple[str, str]] = set()
    out = []
    for row in rows:
        value = fold(str(row["value"])).strip()
        key = (fold(str(row["what"])), value)
        own = {fold(str(fields.get(k) or "")).strip() for k in _SAID_BY.get(key[0], ())}
        if key in seen or value in own:
            continue
        head, _, tail = value.rpartition(":")
        # the service a chat address names, by whole words: a Signal `x-apple:doc` is not an X handle
        said = {w for w in re.split(r"[^\w-]+", fold(f"{row['what']} {head}")) if w}
        if tail and any(service in said and tail.lstrip("@") == h for service, h in handles.items()):
            continue
        seen.add(key)
        out.append(row)
    return out


def contact_with_labels(ctx: Context, contact_id: str) -> Result:
    """One contact as GET /contacts/{id}, `pcrm contacts show --json` and MCP get_contact give it: the
    contact, and beside its `phones` and `emails` (lists of strings, as the reference has them)
    `phone_labels` and `email_labels`, lists as long, each the label of the value at the same place
    (`mobile`, `work fax`, `Google Voice`) or null for a value that has none [value-labels]; and
    `other_values`, every value it keeps beside its own fields as `pcrm contacts show` lists them
    [other-values]. One read of its kept fields gives both."""
    result = get_contact(ctx, contact_id)
    data = dict(result.data)
    fields = store.fields_of(ctx.conn, rowid(ctx, contact_id))
    labels = _value_labels(fields)
    data["phone_labels"] = [labels["phones"].get(str(p)) for p in data.get("phones") or []]
    data["email_labels"] = [labels["emails"].get(str(e).lower()) for e in data.get("emails") or []]
    data["other_values"] = _other_values(result.data, fields)
    return Result(data, result.meta)


def value_labels(ctx: Context, contact_id: str) -> dict[str, dict[str, str]]:
    """The labels a contact's own phones and e-mails carry, for `pcrm contacts show` to say beside each
    value (see `_value_labels`)."""
    return _value_labels(store.fields_of(ctx.conn, rowid(ctx, contact_id)))


def _value_labels(fields: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """The labels a contact's own phones and e-mails carry (a vCard's TYPE or X-ABLabel, a CSV's `Phone 1 -
    Label`, an Outlook column: `pager`, `work,fax`, `Google Voice`), as {"phones": {number: label},
    "emails": {address: label}}. A number kept with its extension (`+1 555 0100 ext. 7`) is labelled under
    the number; labels as people read them (`work fax`, `mobile`)."""
    from pcrm.formats.vcard_text import readable_label

    out: dict[str, dict[str, str]] = {"phones": {}, "emails": {}}
    for f in fields:
        if f["kind"] in ("phone", "email") and f["label"]:
            value = (f["value"] or "").strip()
            key = value.split(" ext. ")[0] if f["kind"] == "phone" else value.lower()
            out[f"{f['kind']}s"].setdefault(key, readable_label(f["label"]))
    return out


def _stored_emails(ctx: Context, contact_id: str) -> list[str]:
    """The contact's emails as stored (none for an id that names no contact: the write says so), which an
    edit sends back as they are [not-an-address]."""
    cid = store.rowid_for_uuid(ctx.conn, contact_id) if _UUID.match(str(contact_id).lower()) else None
    return store.emails_of(ctx.conn, cid) if cid is not None else []


_PARTS = ("given_name", "family_name")


def _name_parts(name: str | None) -> dict[str, str]:
    """The given and family names a contact named `name` and given neither is stored with [name-parts]
    ("Dr. Jane Smith": Jane, Smith), the parts the name has."""
    given, family = name_parts.given_and_family(name)
    return {k: v for k, v in (("given_name", given), ("family_name", family)) if v}


def _renamed_parts(before: Contact, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The given and family names a rename brings [name-parts]: an edit of the full name re-derives the parts
    it does not give itself when the stored ones are what the old name gave (or there are none), so they
    follow the new name; parts the user typed (marked edited, whatever they are) stay while each is words of
    the new name, and follow it otherwise; parts an import set otherwise stay as they are. A rename that
    types one part moves the other by the same rule ("Maria Garcia" renamed "John Smith" with the given
    name Johnny is Johnny / Smith, not Johnny / Garcia). A cleared name takes such parts along on a contact
    added here (source manual), as they were read off that name; a sync's or an import's own (Telegram's
    first and last names) stay."""
    if "full_name" not in changes or changes["full_name"] == before["full_name"]:
        return {}
    new = changes["full_name"]
    stored = (before["given_name"] or None, before["family_name"] or None)
    if any(f in (before.get("user_edited_fields") or ()) for f in _PARTS if before.get(f)):
        # parts the user typed, whatever they are, stay, unless the rename took their words out of the name:
        # "Maria Garcia Lopez" renamed "Maria Lopez" keeps Maria / Lopez, renamed "John Smith" the parts
        # follow it (Maria / Lopez beside "John Smith" named nobody); a nickname ("Janey" for "Jane") stays
        if not new:
            # a part read off the old name beside a typed one (a rename that typed one part) goes with it,
            # on a contact added here, as it does when no part was typed
            if before.get("source") != "manual":
                return {}
            edited = set(before.get("user_edited_fields") or ())
            read = dict(zip(_PARTS, name_parts.given_and_family(before["full_name"]), strict=True))
            return {
                f: None
                for f in _PARTS
                if f not in changes and f not in edited and before.get(f) and before.get(f) == read[f]
            }
        old_words, new_words = set(fold(before["full_name"] or "").split()), set(fold(new).split())
        derived = _parts_beside(new, changes)
        kept = [(f, v) for f, v in zip(_PARTS, stored, strict=True) if v and f not in changes]
        words = {f: set(fold(v).split()) for f, v in kept}
        follow = {f for f, w in words.items() if w <= old_words and not w <= new_words}
        # a part that stays must not be the words the new name gives the part that follows, nor the words of
        # a part the rename types: "Kim Lee" renamed "Lee Min-ho" made Lee / Lee, "Anna Berg" renamed "Berg"
        # Berg / Berg; both follow then
        taken = {w for f in follow for w in fold(derived[f] or "").split()}
        taken |= {w for f in _PARTS if f in changes for w in fold(changes[f] or "").split()}
        follow |= {f for f, w in words.items() if w & taken}
        return {f: derived[f] for f in _PARTS if f in follow}
    if stored != (None, None) and stored != name_parts.given_and_family(before["full_name"]):
        return {}
    if not new:
        if before.get("source") != "manual":
            return {}
        return {k: None for k in _PARTS if k not in changes}
    return {k: v for k, v in _parts_beside(new, changes).items() if k not in changes}


def _name_of_parts(before: Contact, changes: Mapping[str, Any], derived: dict[str, Any]) -> str | None:
    """[name-parts]: an edit that types the given or family name without the full name moves the full
    name with it (`name_parts.name_for_parts`: "Ada Lovelace" with the given name Augusta is "Augusta
    Lovelace"), set in `derived` (marked edited by the caller, as a rename is: the user changed what the
    person is called). Where the name is not one the parts make ("Dr. Jane Smith" with the given name
    Janey), it is kept, and the words returned say so; None otherwise."""
    if "full_name" in changes or not (before["full_name"] or "").strip():
        return None  # a rename, or no name to move (the parts name a nameless contact on their own)
    stored = (before["given_name"] or None, before["family_name"] or None)
    typed = {i: changes[f] for i, f in enumerate(_PARTS) if changes.get(f)}
    if all(typed[i] == stored[i] for i in typed):
        return None  # no part typed anew (a clear leaves the name): the name stays as it is
    name = name_parts.name_for_parts(before["full_name"], stored, typed)
    if name is not None:
        if name != (before["full_name"] or None):
            derived["full_name"] = name
        return None
    return (
        f"the full name '{before['full_name']}' was kept as it is: it is not written from the given and "
        "family names, so nothing in it was replaced; give the full name too to change it"
    )


def _parts_beside(new: str, changes: Mapping[str, Any]) -> dict[str, str | None]:
    """The given and family names the new full name gives [name-parts], beside a part the rename types: the
    other part is what the name's split gives it, unless that is the typed part's words (or nothing) and one
    word of the name is left beside them ("Lee Min-ho" with the given name Min-ho has the family name Lee;
    "Smith" with the given name John, Smith)."""
    derived: dict[str, str | None] = dict(zip(_PARTS, name_parts.given_and_family(new), strict=True))
    typed = [f for f in _PARTS if changes.get(f)]
    if len(typed) != 1:
        return derived
    other = next(f for f in _PARTS if f != typed[0])
    mine = set(fold(changes[typed[0]]).split())
    if derived[other] and set(fold(derived[other] or "").split()) != mine:
        return derived
    rest = [w for w in new.split() if fold(w) not in mine and any(c.isalpha() for c in w)]
    derived[other] = rest[0] if len(rest) == 1 else None
    return derived


def update_contact(
    ctx: Context,
    contact_id: str,
    data: Mapping[str, Any],
    *,
    user_edit: bool = True,
    typed: Mapping[str, Any] | None = None,
    blanks_refused: bool = False,
    via: str = "pcrm contacts edit",
) -> Result:
    """PUT /contacts/{id}: partial (keys present change, null clears); user edits protect fields
    [partial-edits]. A user edit records the values it sets for an import undo and an unmerge
    [import-undo] [reversible-merges]: all of `data`, or `typed` (read as data is) where data carries
    values the user did not type (`contacts edit --add-email` sends the whole list, `contacts tag` the
    contact's tags with the new ones). `blanks_refused` (the CLI's options): a value or list of nothing but
    blanks is refused, not read as a clear, since there it is most often a shell variable left unset; a
    client's whole form (the API, MCP) sends an emptied field as "" and means the clear [partial-edits].

    A user edit that changes no value (every one given is the one stored) is no update: `updated_at` stays
    and meta says `unchanged` [no-op-edits]. What it typed is still the user's: the protectable fields it
    gives a value (the one stored included) are marked edited [protected-fields] and its values recorded for
    an undo ([hand-edits]), neither of which is a value of the contact; an empty field sent empty is neither.
    Meta `protected` names the fields the edit marked anew. Archiving dismisses the contact's open
    suggestions (meta `suggestions_dismissed`, as a bulk update says it) and journals them for its undo
    (meta `bulk_update_id` and `undo`) [bulk-undo]; `via` names the command or route in that journal."""
    if user_edit and blanks_refused:
        check_blank_lists(data)
        check_blank_values(data)
    region = ctx.phone_region()
    stored = _stored_emails(ctx, contact_id) if isinstance(data.get("emails"), list) else []
    today = ctx.now().date()
    folded: list[dict[str, Any]] = []  # what the user typed folded, not the stored values sent with it
    changes = parse_contact(
        data, phone_region=region, stored_emails=stored, today=today, folded=folded if typed is None else None
    )
    hand = (
        parse_contact(typed, phone_region=region, stored_emails=stored, today=today, folded=folded)
        if typed is not None
        else dict(changes)
    )
    now = ctx.now_iso()
    conn = ctx.conn
    try:
        return _with_folded(
            _update(ctx, contact_id, data, changes, hand, stored, user_edit=user_edit, via=via), folded
        )
    except _Unchanged as same:
        # the write is rolled back; what the user typed stays theirs, the contact's values untouched
        with write(conn):
            if same.edited != same.contact["user_edited_fields"]:
                store.set_edited_fields(conn, same.cid, same.edited)
            _hand_edits().record(conn, [same.cid], _hand_edits().typed_of(hand), now)
        meta: dict[str, Any] = {"unchanged": True}
        protected = newly_protected(same.contact["user_edited_fields"], same.edited)
        if protected:  # no value changed, but these are the user's from now on: said [no-op-edits]
            meta["protected"] = protected
        return _with_folded(Result(_one(ctx, same.cid), meta), folded)


def _removed(
    before: Contact, changes: Mapping[str, Any], hand: Mapping[str, Any], phones_were: list[str]
) -> dict[str, list[Any]]:
    """The emails, phones (normalised) and platform identities ([field, value]) an edit by hand took off
    the contact: those it held before that the lists the edit wrote (`--rm-email`, `--clear phones`, a
    whole list sent) no longer hold, and each identity the user cleared or replaced (`--clear linkedin`,
    another `--telegram`; not one pcrm let go with it, as a changed X handle's account id)."""
    out: dict[str, list[Any]] = {}
    held: Mapping[str, Any] = before
    ids = [
        [f, str(held[f])]
        for f in models.IDENTITIES
        if f in hand and held.get(f) not in (None, "") and hand[f] != held[f]
    ]
    if ids:
        out["identities"] = ids
    if "emails" in changes:
        kept = {e.lower() for e in changes["emails"] or ()}
        if gone := [e.lower() for e in before["emails"] if e.lower() not in kept]:
            out["emails"] = gone
    if "phones" in changes:
        left = {norm for _raw, norm in changes["phones"] or ()}
        if gone := [p for p in dict.fromkeys(phones_were) if p not in left]:
            out["phones"] = gone
    return out


class _Unchanged(no_op.Unchanged):
    """Rolls back a contact's edit that changed no value [no-op-edits]; `edited`: the fields it would
    protect."""

    def __init__(self, cid: int, contact: Contact, edited: list[str]) -> None:
        super().__init__(contact)
        self.cid, self.contact, self.edited = cid, contact, edited


# what a write moves without any value changing: not a change of the contact [no-op-edits]
_BOOKKEEPING = no_op.BOOKKEEPING | {"user_edited_fields"}


def _update(
    ctx: Context,
    contact_id: str,
    data: Mapping[str, Any],
    changes: dict[str, Any],
    hand: dict[str, Any],
    stored: list[str],
    *,
    user_edit: bool,
    via: str,
) -> Result:
    """update_contact's transaction, once the input is read (`stored`: the contact's emails, when
    `data` gives a list of them; `via`: the command or route that made the edit, as its journal says it
    [bulk-undo])."""
    now = ctx.now_iso()
    conn = ctx.conn
    with write(conn):
        cid = rowid(ctx, contact_id)
        before = _one(ctx, cid)
        name = changes["full_name"] if "full_name" in changes else before["full_name"]
        name_from_addresses(changes, address_names(data, stored), name)
        if not name and changes.get("full_name"):  # named by the address typed: the user's own [hand-edits]
            hand["full_name"] = changes["full_name"]
        derived = _renamed_parts(before, changes)
        kept = _name_of_parts(before, changes, derived) if user_edit else None
        if "full_name" in derived:  # the name the parts typed make is the user's, as a typed one [hand-edits]
            hand["full_name"] = derived["full_name"]
        if any(k in changes for k in IDENTIFYING):  # a contact that had nothing may still change its notes
            check_identifiable({**before, **changes, **derived}, edit=True)
        if "latitude" in changes or "longitude" in changes:  # a half point stored before stays editable
            check_point(
                changes.get("latitude", before["latitude"]), changes.get("longitude", before["longitude"])
            )
        if "tags" in changes:
            check_tag_count(changes["tags"] or [], len(before["tags"]))
        _company_of_org(ctx, changes, before["company"])
        new_emails = [e for e in changes.get("emails") or [] if e not in before["emails"]]
        ident = {k: v for k, v in changes.items() if k in IDENTITY_INPUTS and v and v != before.get(k)}
        _resolver().check_conflicts(conn, ident, exclude=cid, emails=new_emails)
        if (
            "telegram_username" in changes
            and changes["telegram_username"] != before["telegram_username"]
            and "telegram_user_id" not in changes
        ):
            changes["telegram_user_id"] = None
        if "twitter_handle" in changes and changes["twitter_handle"] != before["twitter_handle"]:
            changes.setdefault("twitter_user_id", None)
            changes.setdefault("twitter_bio", None)
        archiving = changes.get("priority_level") == "archived" and before["priority_level"] != "archived"
        opened = bulk_journal.open_suggestions(conn, [cid]) if archiving else {}  # for the undo [bulk-undo]
        dismissed = 0
        if archiving:
            from pcrm.store import suggestions as sugg  # here: only archiving needs it (CLI start-up)

            dismissed = sugg.dismiss_open_for_contact(conn, cid, now)
        if user_edit:
            # an empty field sent empty again (a whole form's blank) is no value the user gave [no-op-edits]
            for f in [f for f in changes if _blank(changes[f]) and _blank(before.get(f))]:
                if _blank(hand.get(f)):
                    hand.pop(f, None)
            edited = store.edited_fields(conn, cid)
            for f in PROTECTABLE:
                given = f in changes and not (_blank(changes[f]) and _blank(before.get(f)))
                if (given or (f == "full_name" and f in derived)) and f not in edited:
                    edited.append(f)
            changes["user_edited_fields"] = edited
        changes.update(derived)  # after the protected fields: the user typed the name, not its parts
        stale = stale_coordinates(before, changes)  # not marked edited: the geocoder refills them
        cleared = stale and before.get("latitude") is not None
        changes.update(stale)
        company_changed = "company" in changes and changes["company"] != before["company"]
        if company_changed and "organization_id" not in changes:
            changes["organization_id"] = None
        # [bulk-undo]: as it was, should the new company make an organization (assign_journalled) or
        # archiving dismiss suggestions
        was = bulk_journal.states(conn, [cid]) if company_changed or opened else {}
        phones_were = import_keys.phones_of(conn, cid) if user_edit and "phones" in changes else []
        _write(ctx, cid, changes, now)
        _drop_labels_of_removed(ctx, cid, before, changes)
        if user_edit:
            after = _one(ctx, cid)
            if no_op.same_values(before, after, _BOOKKEEPING):
                raise _Unchanged(cid, before, after["user_edited_fields"])  # rolls back: updated_at stays
        wrote: list[dict[str, Any]] = []
        if user_edit:  # [hand-edits]: what it typed, and that a contact an import created is the user's
            removed = _removed(before, changes, hand, phones_were)  # never brought back [protected-fields]
            wrote = _hand_edits().record(conn, [cid], _hand_edits().typed_of(hand), now, removed=removed)
        bid = None
        if company_changed and changes.get("company") and changes.get("organization_id") is None:
            from pcrm.services.organizations import assign_journalled

            alone = not (set(changes) - {"company", "organization_id", "user_edited_fields"})
            bid = assign_journalled(ctx, cid, now, was, hand=wrote, alone=alone, opened=opened, via=via)
        if bid is None and opened:  # the suggestions archiving dismissed come back with its undo [bulk-undo]
            from pcrm.services.bulk import journal_archive

            alone = not (set(changes) - {"priority_level", "user_edited_fields"})
            bid = journal_archive(conn, cid, was, opened, now, alone=alone, via=via)
    # [geocoding]: the old place's point went with its location; say so, since nothing may refill it
    meta: dict[str, Any] = (
        {"coordinates_cleared": [before["latitude"], before["longitude"]]} if cleared else {}
    )
    if archiving:  # as a bulk update says it [hidden-contacts]
        meta["suggestions_dismissed"] = dismissed
    if bid is not None:  # the organization its new company made (or gave a domain) can be taken back
        from pcrm.services.bulk import undo_command

        meta["bulk_update_id"], meta["undo"] = bid, undo_command(bid)
    if kept:
        meta["full_name_kept"] = kept
    protected = newly_protected(before["user_edited_fields"], changes.get("user_edited_fields"))
    if protected:  # imports keep theirs aside from now on [protected-fields]
        meta["protected"] = protected
    if _tiered_with_a_history(ctx, cid, before, changes):  # [second-tier]
        meta["note"] = (
            f"{display_name(before)} has talked with you: `{SECOND_TIER}` is for group members you never "
            "talked to, and goes at their next interaction; `pcrm second-tier rm` keeps them"
        )
    return Result(_one(ctx, cid), meta)


def _tiered_with_a_history(ctx: Context, cid: int, before: Contact, changes: Mapping[str, Any]) -> bool:
    """Whether an edit gave the `2nd tier` marker to a contact with a direct interaction: accepted (the
    user's tag), and said, as it hides them from suggestions and the map until that next interaction."""
    added = SECOND_TIER in (changes.get("tags") or ()) and SECOND_TIER not in before["tags"]
    return added and bool(second_tier.talked_with(ctx.conn, [cid]))


def delete_contact(ctx: Context, contact_id: str) -> Result:
    """DELETE /contacts/{id}: the contact goes with its interactions and suggestions. `merged_contacts`
    names the contacts merged into it that go with it [reversible-merges] (an unmerge brings them back
    from the journal, but not the interactions the merge had moved onto this one). The organization pcrm
    made for a company that this contact was the last of goes with it (`organization_removed`, null when
    none) [company-orgs]: an empty organization nobody asked for would be left behind."""
    with write(ctx.conn):
        cid = rowid(ctx, contact_id)
        merged = _merged_in(ctx, contact_id.lower())
        oid = store.company_and_org(ctx.conn, cid)["organization_id"]
        store.delete_contact(ctx.conn, cid)
        made = remove_leftover_orgs(ctx, [oid] if oid is not None else [])
        _hand_edits().forget_deleted(ctx.conn)  # [hand-edits]: its rows in the edit journal
    gone = {"id": contact_id.lower(), "deleted": True, "merged_contacts": merged}
    return Result({**gone, "organization_removed": made[0] if made else None})


def remove_leftover_orgs(ctx: Context, oids: Sequence[int]) -> list[dict[str, str]]:
    """After contacts went (inside the delete's transaction): delete the organizations among `oids` that pcrm
    made for a company and that have no contact left, nobody having touched them (store `leftovers`)
    [company-orgs] -> [{id, name}] of those deleted."""
    gone = orgs.leftovers(ctx.conn, sorted(set(oids)))
    for o in gone:
        orgs.delete(ctx.conn, o["id"])
    return [{"id": o["uuid"], "name": o["name"]} for o in gone]


def merged_contacts(ctx: Context, contact_id: str) -> list[dict[str, Any]]:
    """The contacts merged into this one, directly or through an earlier merge, that a delete takes with
    it: id, full_name, display_name, merge_id (the merge to undo first) and `via` (the contact it was merged
    into)."""
    rowid(ctx, contact_id)
    return _merged_in(ctx, contact_id.lower())


def _merged_in(ctx: Context, uuid: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen, todo = {uuid}, [uuid]
    while todo:
        found = mstore.merged_into(ctx.conn, todo)
        todo = [m["merged_uuid"] for m in found if m["merged_uuid"] not in seen]
        seen.update(todo)
        out += [
            {
                "id": m["merged_uuid"],
                "full_name": m["merged_name"],
                "display_name": m["merged_shown"],  # as lists showed it when merged [display-name]
                "merge_id": m["id"],
                "via": m["primary_uuid"],
            }
            for m in found
        ]
    return out


def contact_filter(ctx: Context, raw: Mapping[str, Any] | None, *, sort: str | None = None) -> ContactFilter:
    """The filters of a contact list, checked: parse_filter's rules, and a `source` that is one pcrm gives
    or one a stored contact has, in any case [contact-list] [strict-validation]."""
    f = parse_filter(raw or {}, now=ctx.now(), tz=ctx.tz(), sort=sort)
    if not f.source:
        return f
    known = contact_sources()
    if f.source in known:
        return f
    # another value: a contact may still carry it (a JSON restore keeps what the file said), in any case;
    # looked up only here, so the usual filter costs no scan of the contacts
    stored = store.source_spelled(ctx.conn, f.source)
    if stored is not None:
        return replace(f, source=stored)
    raise ValidationError(
        f"unknown source {(raw or {}).get('source')!r}",
        field="source",
        hint=f"use one of: {', '.join(sorted(known))} (or a source your contacts carry)",
    ).at("query")


def list_contacts(
    ctx: Context,
    filters: Mapping[str, Any] | None = None,
    *,
    sort: str | None = None,
    page: Any = None,
    page_size: Any = None,
    everything: bool = False,
) -> Result:
    """GET /contacts: filters, search with relevance tiers, sorts, page paging [paging-styles]
    [contact-list]. `everything` (the CLI's --all and --nl; no API parameter) returns every match as one
    page [complete-lists]."""
    f = contact_filter(ctx, filters, sort=sort)
    p, size = parse_paging(page, page_size, default_size=PAGE_SIZE.default, max_size=PAGE_SIZE.hi)
    scores.catch_up(ctx)  # after validation: bad input changes nothing, not even the daily catch-up
    if everything:
        ids, total, estimate = contact_query.list_page(ctx.conn, f, limit=None)
        p, size = 1, max(total, 1)
    else:
        ids, total, estimate = contact_query.list_page(ctx.conn, f, limit=size, offset=(p - 1) * size)
    meta: dict[str, Any] = page_meta(total, p, size)
    # always there, false when `total` is exact: true when a search with very many matches stopped counting
    # [contact-search]
    meta["total_is_estimate"] = bool(estimate)
    # always there: whether a later page holds more rows [search-paging]. An estimated total is a lower bound
    # (counting stopped at COUNT_CAP), so its total_pages is too, and rows always follow such a page
    meta["has_more"] = bool(estimate) or p < meta["total_pages"]
    if not total and (missing := unknown_tag(ctx, f.tag)):
        meta["unknown_tag"] = missing  # [unknown-tags]: the list is empty because nobody has the tag
    elif not total and (hidden := archived_matches(ctx, f)):
        meta["archived_matches"] = hidden  # [hidden-contacts]: empty because they are archived
    elif total == 0 and f.search:
        # a search that finds nobody names the contacts a letter or two off [near-names]; only then, so a
        # search that finds someone costs nothing more, and only when there are some (clients that know no
        # such key see the page they did)
        close = _near(ctx, f.search, f)
        if close:
            meta["did_you_mean"] = close
    return Result(store.fetch_contacts(ctx.conn, ids), meta)


def contact_ids(ctx: Context, filters: Mapping[str, Any] | None = None) -> Result:
    """GET /contacts/ids: the same filters, every matching id (for select-all)."""
    f = contact_filter(ctx, filters)
    scores.catch_up(ctx)
    ids = contact_query.all_uuids(ctx.conn, f)
    meta: dict[str, Any] = {"total": len(ids)}
    if not ids and (missing := unknown_tag(ctx, f.tag)):
        meta["unknown_tag"] = missing
    elif not ids and (hidden := archived_matches(ctx, f)):
        meta["archived_matches"] = hidden
    return Result(ids, meta)


def archived_matches(ctx: Context, f: ContactFilter) -> int:
    """How many archived contacts a list left out would have matched [hidden-contacts]: looked up only for
    an empty list that did not ask for them, so `contacts list --search NAME` of an archived contact says
    that it is archived rather than that nobody matches."""
    if f.archived_only or f.include_archived or f.priority:
        return 0  # they were asked for, or a priority filter (high, medium, low) leaves them out anyway
    return contact_query.list_page(ctx.conn, replace(f, archived_only=True), limit=1)[1]


def unknown_tag(ctx: Context, tag: str | None) -> dict[str, Any] | None:
    """A tag filter naming a tag no contact has [unknown-tags] -> {tag, near: up to 3 tags in use close to
    it}; None when no tag is asked for or some contact carries it. Looked up only for an empty selection."""
    if not tag:
        return None
    tag = norm_tag(str(tag))
    if store.tag_in_use(ctx.conn, tag):
        return None
    from pcrm.domain.near_names import near_tags

    return {"tag": tag, "near": near_tags(tag, (r["tag"] for r in store.tags_in_use(ctx.conn)))}


def unknown_tag_words(missing: Mapping[str, Any]) -> tuple[str, str]:
    """What a selection by a tag nobody has says [unknown-tags] -> (message, hint): the tag, the closest
    tags in use, and the command listing them."""
    near = [f"'{t}'" for t in missing.get("near") or []]
    guess = ""
    if near:
        guess = (
            "did you mean " + (near[0] if len(near) == 1 else f"{', '.join(near[:-1])} or {near[-1]}") + "? "
        )
    message = bounded(f"no contact has the tag {missing['tag']!r}") or ""  # also an empty list's words
    return message, f"{guess}`pcrm tags list` lists the tags in use"


def no_tag_error(ctx: Context, filters: Mapping[str, Any] | None) -> NotFound | None:
    """The error of an action (an export, a bulk update) selecting by a tag no contact has [unknown-tags]."""
    missing = unknown_tag(ctx, (filters or {}).get("tag"))
    if missing is None:
        return None
    message, hint = unknown_tag_words(missing)
    return NotFound(message, hint=hint, details={"unknown_tag": missing})


def _given_tags(tags: list[str], verb: str) -> list[str]:
    """The tags a tag or untag command names; a blank one is refused rather than dropped, so a command that
    names nothing changes nothing (updated_at included)."""
    if not tags or any(not isinstance(t, str) or normalize.blank(t) for t in tags):
        raise ValidationError(
            "a tag cannot be empty",
            field="tags",
            hint=f'name the tags to {verb}, e.g. pcrm contacts {verb} "Ada Lovelace" investor',
        )
    return list(tags)


def tag_contact(ctx: Context, contact_id: str, tags: list[str]) -> Result:
    """Add tags to a contact (`pcrm contacts tag`, MCP tag_contact). Naming only tags it has already is
    no update (meta `unchanged`, updated_at stays [no-op-edits]); they are still the ones the user typed
    ([hand-edits]: an import undo keeps them)."""
    tags = _given_tags(tags, "tag")
    current = store.tags_of(ctx.conn, rowid(ctx, contact_id))
    return update_contact(ctx, contact_id, {"tags": current + tags}, typed={"tags": tags})


def untag_contact(ctx: Context, contact_id: str, tags: list[str]) -> Result:
    """Remove tags from a contact (`pcrm contacts untag`). A tag it does not have is nothing to remove, as
    `tag` of a tag it has is nothing to add: no error, so `... | xargs pcrm contacts untag` goes on; meta
    `not_tagged` names them (with meta `unchanged` when nothing else was removed [no-op-edits])."""
    drop = set(norm_tags(_given_tags(tags, "untag")))
    current = store.tags_of(ctx.conn, rowid(ctx, contact_id))
    missing = sorted(drop - set(current))
    if not drop & set(current):  # nothing to remove: no update at all (updated_at, edited fields)
        return Result(get_contact(ctx, contact_id).data, {"unchanged": True, "not_tagged": missing})
    result = update_contact(ctx, contact_id, {"tags": [t for t in current if t not in drop]}, typed={})
    if missing:
        result.meta["not_tagged"] = missing
    return result


def list_tags(ctx: Context) -> Result:
    """GET /contacts/tags: the flat list of tags in use; meta `counts` is every contact carrying each
    (archived ones too, which a tag rename or delete also changes) and `archived` how many of those are
    archived, for the tags some archived contact carries: `contacts list --tag` leaves them out
    [tag-counts]."""
    items = store.tags_in_use(ctx.conn)
    return Result(
        [r["tag"] for r in items],
        {
            "counts": {r["tag"]: r["count"] for r in items},
            "archived": {r["tag"]: r["archived"] for r in items if r["archived"]},
        },
    )


SHORT_PREFIX = "an id prefix needs 4 or more characters, e.g. the 8 that lists show"


def short_prefix(ref: str) -> bool:
    """Whether `ref` looks like an id prefix too short to be taken as one (1 to 3 hex digits, `a54`)."""
    return re.fullmatch(r"[0-9a-f]{1,3}", ref.strip().lower()) is not None


def resolve_ref(
    ctx: Context, ref: str, *, among: Callable[[Context, list[int]], list[int]] | None = None
) -> str:
    """A CLI contact reference [contact-references] to a UUID: full UUID, unique id prefix (4+ characters),
    email, exact full name (casefolded), then a unique first name or handle, and last the same names with
    accents ignored (`omer` finds `Ömer`, as search does). Ambiguity lists the candidates with their id
    prefix, company and email (details.candidates), so a shell can offer a choice.

    `among` narrows a reference fitting several contacts to those a command can act on (the namesakes with a
    suggestion, for a snooze): one left is the contact meant, several are the ambiguity, none leaves it as
    it was [contact-references]."""
    if not ref or not ref.strip():
        raise ValidationError(
            "empty contact reference",
            field="contact",
            hint="give an id prefix, an email, a full name, a first name or an @handle",
        )
    address = address_reference(ref)
    if address is not None:
        return _by_address(ctx, ref, address, among)
    folded = fold(ref)
    for kind in store.REFERENCE_KINDS:  # each looked up only when the ones before named nobody
        ids = _narrowed(ctx, store.reference_kind(ctx.conn, ref, folded, kind), among)
        if len(ids) == 1:
            return store.summaries(ctx.conn, ids)[0]["id"]
        if len(ids) > 1:
            raise _ambiguous(ctx, ref, ids)
    loose = _narrowed(ctx, _unaccented_matches(ctx, ref), among)
    if len(loose) == 1:
        return store.summaries(ctx.conn, loose)[0]["id"]
    if len(loose) > 1:
        raise _ambiguous(ctx, ref, loose)
    if _phone_shaped(ref):  # `+353 1 234 5678`: how a list shows a contact known by a number only
        with contextlib.suppress(NotFound):
            return _by_address(ctx, ref, ("phone", ref.strip()), among)
    merged = merged_away(ctx, ref)
    if merged is not None:
        raise merged
    worded = _narrowed(ctx, _by_name_words(ctx, ref), among)
    if len(worded) == 1:
        return store.summaries(ctx.conn, worded)[0]["id"]
    if len(worded) > 1:
        raise _ambiguous(ctx, ref, worded)
    import shlex  # a miss only: start-up leaves shlex out

    word = ref.split()[0] if ref.split() else ref
    search = f"search with `pcrm contacts list --search {shlex.quote(word)}`"
    if short_prefix(ref):  # `a54`: an id prefix too short to be read as one
        raise NotFound(f"no contact matches {ref!r}", hint=f"{SHORT_PREFIX}; or {search}")
    close = _near(ctx, ref)
    if not close:
        raise NotFound(f"no contact matches {ref!r}", hint=search)
    from pcrm.domain.near_names import listing

    raise NotFound(
        f"no contact matches {ref!r}",
        hint=f"did you mean {listing(close)}? or {search}",
        details={"near": close},
    )


# how many contacts a reference by the words of a name compares one by one, at most [contact-references]
NAME_WORDS_MOST = 200


def _by_name_words(ctx: Context, ref: str) -> list[int]:
    """The contacts a reference names by the words of their name, for one that fits no whole name, first name
    or handle [contact-references]: each word of `ref` is a word of the contact's full, given or family name,
    a nickname or a part of a kept vCard N, accents, case and punctuation ignored, Greek and Cyrillic also by
    their Latin spelling; a letter alone is an initial; honorifics and generational suffixes (Dr., Mr, Jr.)
    are not needed. So "John Doe", "John Q Doe", "Dr. John Q. Doe Jr." and "Doe" find "John Q. Doe Jr."
    (whose prefix the vCard kept), "Tay" the Taylor a vCard calls Tay, and "Yannis Papadopoulos" the
    Γιάννης Παπαδόπουλος known as Yannis. Every contact that fits is returned: the caller picks the one, or
    lists them."""
    from pcrm.domain.identity_names import key_words, name_tokens

    wanted = name_tokens(ref)
    if not any(len(w) > 1 for w in wanted):
        return []

    def fits(have: set[str]) -> bool:
        return all(w in have or (len(w) == 1 and any(h.startswith(w) for h in have)) for w in wanted)

    # candidates by the words the search documents hold as typed (not transliterated): all of them, else
    # any one (a Latin nickname beside a Greek family name)
    keyed = set(wanted)
    typed = [w for w in re.split(r"[\W_]+", normalize.search_fold(ref)) if len(w) > 1]
    words = [w for w in typed if (key_words(w) or [""])[0] in keyed]
    cands = store.ids_with_name_words(ctx.conn, words, NAME_WORDS_MOST) or []
    if not cands and len(words) > 1:
        for w in words:
            cands += store.ids_with_name_words(ctx.conn, [w], NAME_WORDS_MOST) or []
    found = set()
    for rid, texts in store.name_texts(ctx.conn, sorted(set(cands))).items():
        have: set[str] = set()
        for t in texts:
            for part in t.split(";"):  # a kept N: family;given;middle;prefix;suffix
                have.update(name_tokens(part))
        if fits(have):
            found.add(rid)
    if not found:  # a name in another script spelled in Latin letters, or without its accents
        # a reference in ASCII: the names that may hold its words (store.folded_names), not every one
        words = [w for w in wanted if len(w) > 1] if ref.isascii() else []
        names = store.folded_names(ctx.conn, non_ascii_only=True, words=words)
        found = {rid for rid, name in names if fits(set(name_tokens(name)))}
    return sorted(found)


def _phone_shaped(ref: str) -> bool:
    """Whether a reference is written as a phone number: digits and the punctuation people put in them,
    7 digits or more (fewer may be an id prefix or part of a name) [contact-references]."""
    return normalize.is_phone_term(ref.strip()) and len(normalize.phone_digits(ref) or "") >= 7


def _by_address(
    ctx: Context,
    ref: str,
    address: tuple[str, str],
    among: Callable[[Context, list[int]], list[int]] | None,
) -> str:
    """The contact a reference written as a mail program shows an address ("Lynn Khan <lynn@x.com>") or
    as a mailto:/tel: link names: the holder of that address, whatever name is written with it (a name is
    no second key that could pick another person) [contact-references]."""
    kind, value = address
    if kind == "email":
        ids = store.ids_by_email(ctx.conn, value)
        shown = value
    else:
        from pcrm.store import phones as phone_store  # here: only a tel: reference needs it (CLI start-up)

        number = normalize.phone(value, ctx.phone_region())
        ids = phone_store.ids_by_phone_line(ctx.conn, number) if number else []
        shown = number or value
    ids = _narrowed(ctx, ids, among)
    if len(ids) == 1:
        return store.summaries(ctx.conn, ids)[0]["id"]
    if len(ids) > 1:
        raise _ambiguous(ctx, ref, ids)
    what = "email" if kind == "email" else "phone number"
    raise NotFound(
        f"no contact has the {what} {shown} ({ref!r} names a contact by its address only)",
        hint=f"search with `pcrm contacts search {shown}`, or give the contact's id prefix or name",
    )


def _narrowed(
    ctx: Context, ids: list[int], among: Callable[[Context, list[int]], list[int]] | None
) -> list[int]:
    if among is None or len(ids) < 2:
        return ids
    return among(ctx, ids) or ids


def _near(ctx: Context, ref: str, listed: ContactFilter | None = None) -> list[dict[str, Any]]:
    """Up to 3 contacts whose name is a letter or two off `ref` [near-names], for the hint of a reference
    that fits nobody or of a search that finds nobody: the id and name of each (a nameless contact is never
    close to a name). `listed`: only contacts its other filters than the search let through (the list the
    user would see them in: archived ones only with --include-archived, with the same --tag, ...)."""
    from pcrm.domain.near_names import MOST, near, word_starts

    names = store.folded_names_with_word(ctx.conn, word_starts(fold(ref)), MOST)
    ids = near(fold(ref), names or [], limit=3 if listed is None else 10)
    if listed is not None and ids:
        ids = contact_query.passing(ctx.conn, replace(listed, search=None), ids)[:3]
    by_rowid = {c["_rowid"]: c for c in store.summaries(ctx.conn, ids)}
    return [{"id": by_rowid[i]["id"], "full_name": by_rowid[i]["full_name"]} for i in ids if i in by_rowid]


def names_someone(ctx: Context, ref: str) -> bool:
    """Whether `ref` names a contact otherwise than by id (an email, a full or first name, a handle, the
    same names with accents ignored): what an id-prefix reference to something else must not shadow."""
    cands = store.reference_candidates(ctx.conn, ref, fold(ref))
    if any(cands.get(k) for k in ("email", "name", "first_or_handle", "platform_id")):
        return True
    return bool(_unaccented_matches(ctx, ref))


def _ambiguous(ctx: Context, ref: str, ids: list[int]) -> BadRequest:
    people = store.fetch_contacts(ctx.conn, ids[:10])
    candidates: list[dict[str, Any]] = [
        {
            "id": p["id"],
            "full_name": p["full_name"],
            # as lists show it, a nameless one by its address, number, handle or platform id [display-name]
            "display_name": display_name(p),
            "company": p.get("company"),
            "email": p["emails"][0] if p.get("emails") else None,
        }
        for p in people
    ]

    def label(c: dict[str, Any]) -> str:
        extra = ", ".join(str(x) for x in (c["company"], c["email"]) if x)
        return f"{c['display_name']}{f' ({extra})' if extra else ''} {c['id'][:8]}"

    more = f" and {len(ids) - len(people)} more" if len(ids) > len(people) else ""
    return BadRequest(
        f"{ref!r} matches {len(ids)} contacts: {'; '.join(label(c) for c in candidates)}{more}",
        hint=f"name one by its id prefix or email, e.g. `{candidates[0]['id'][:8]}`",
        # count: every contact the reference fits; candidates are the first 10 of them
        details={"candidates": candidates, "count": len(ids)},
    )


# letters that carry their mark inside (no combining character to drop): Turkish ı, Nordic ø, Polish ł, ...
_BASE_LETTERS = str.maketrans(
    {"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe"}
)


def _unaccented_matches(ctx: Context, ref: str) -> list[int]:
    """Contacts whose full name or first name equals `ref` with accents, case and invisible characters
    ignored (`omer` finds `Ömer`, `Ömer` finds `Omer`, `ada` finds a vCard's "A\u200bda Lovelace"
    [search-spellings]). Reached only when nothing else matched; an ASCII reference compares only the names
    that have a non-ASCII character (the plain ones were compared already)."""
    import unicodedata

    def plain(text: str) -> str:
        bare = "".join(
            ch
            for ch in unicodedata.normalize("NFKD", without_invisible(fold(text)))
            if not unicodedata.combining(ch)
        )
        return " ".join(bare.translate(_BASE_LETTERS).split())

    key = plain(ref)
    if not key:
        return []
    found = []
    # a reference in ASCII: the names with a non-ASCII letter that may hold its words (the plain names were
    # compared already)
    words = store.ascii_words(key) if ref.isascii() else []
    names = store.folded_names(ctx.conn, non_ascii_only=ref.isascii(), words=words)
    for rid, name in names:
        flat = plain(name)
        if key in (flat, flat.split(" ")[0]):
            found.append(rid)
    return sorted(found)
