"""Organization use cases [company-orgs]: auto-assignment from a contact's company, CRUD, merge, stats, logos.

Stats [company-orgs] are computed live over non-archived contacts instead of from an hourly materialized view:
one grouped query over an indexed column is fast at a personal CRM's size and never stale.
Logo fetching reaches the network, so it stays off until `logos.enabled` is set [network-opt-in]; when on, an
add or edit that gives an organization a website or domain fetches its logo first [org-logo-on-save].
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from pcrm.domain.dates import local_day
from pcrm.domain.limits import MAX_SEARCH, check_length
from pcrm.domain.mail_domains import COMMON_DOMAINS
from pcrm.domain.normalize import (
    fold,
    handle,
    has_control,
    linkedin_url,
    linkedin_url_ok,
    not_a_handle,
    site_address,
    web_link,
)
from pcrm.domain.query import (
    from_query,
    no_name_term,
    page_meta,
    parse_bool,
    parse_limit_offset,
    parse_paging,
)
from pcrm.domain.wording import field_words, shown_value
from pcrm.errors import BadRequest, Conflict, FeatureDisabled, NotFound, PcrmError, ValidationError
from pcrm.services import no_op
from pcrm.services.context import Context, Result
from pcrm.store import bulk_journal
from pcrm.store import contacts as cstore
from pcrm.store import identity as istore
from pcrm.store import organizations as store
from pcrm.store.db import write

if (
    TYPE_CHECKING
):  # imported where used: it loads the fetcher (http.client, ssl), which most commands never need
    from pcrm.services.logos import OnSave

# The generic mail domains [company-orgs]: never used as an organization's domain. The identity scorer's
# list of free-mail domains, one list for both.
GENERIC_DOMAINS = COMMON_DOMAINS


def work_domains(emails: Iterable[str]) -> list[str]:
    """The non-generic email domains of these addresses, in order, each once."""
    out: list[str] = []
    for e in emails:
        domain = e.rsplit("@", 1)[-1].strip().lower()
        if domain and domain not in GENERIC_DOMAINS and domain not in out:
            out.append(domain)
    return out


def company_of(name: str) -> str:
    """The company a name stands for, for telling companies apart [company-orgs]: "Acme" and "ACME Inc."
    are one (org-dedupe's company key; the folded name when that key is empty, e.g. a name in Han)."""
    from pcrm.domain.identity_names import company_key  # imported only when compared (rapidfuzz)

    return company_key(name) or fold(name)


def own_domain(conn: Any, name: str, emails: Iterable[str], shared: Collection[str] = ()) -> str | None:
    """The domain the organization `name` may take from its contact's emails [company-orgs]: the first work
    domain that an import did not see for several companies (`shared`) and that no organization of another
    company holds. Colleagues at different companies can share a mail host (an agency, a reseller, a test
    file's bulk.example); organizations given it would look like one company, and `orgs duplicates scan`
    would merge them all."""
    for domain in work_domains(emails):
        if domain in shared:
            continue
        holders = store.holding_domain(conn, domain)
        if holders and any(company_of(other) != company_of(name) for _, other in holders):
            continue
        return domain
    return None


def org_for_company(
    conn: Any,
    company: str | None,
    emails: list[str],
    now: str,
    *,
    before_change: Any = None,
    shared: Collection[str] = (),
    aliases: Mapping[str, tuple[str, str]] | None = None,
) -> tuple[int | None, str | None]:
    """The rule for one contact's company [company-orgs]: the organization of that name (case-insensitive),
    created when missing with the contact's work email domain (`own_domain`), or given that domain when it
    has none; a domain it has is never replaced. Returns (org rowid, its domain); (None, None) without a
    company. `before_change(oid)` is called before an existing organization is changed (the import journal
    snapshots it); `shared`: domains an import saw for several companies; `aliases`: the names
    organizations gave up (`store.aliases`), read once by an import, else read here when needed."""
    name = (company or "").strip()
    if not name:
        return None, None
    # a company named like an organization the user merged away, or as one was called before the user
    # renamed it, goes to that organization (the one it was merged into)
    oid = store.find_by_name(conn, name) or store.once_called(conn, name, aliases)
    org = store.get(conn, oid) if oid is not None else None
    if org is not None and org["domain"]:
        return oid, org["domain"]
    domain = own_domain(conn, org["name"] if org is not None else name, emails, shared)
    if oid is None:
        return store.insert(conn, {"name": name, "domain": domain}, now, for_company=True), domain
    if domain:
        if before_change is not None:
            before_change(oid)
        store.update(conn, oid, {"domain": domain}, now, by_pcrm=True)
    return oid, domain


def assign_for_company(
    ctx: Context,
    cid: int,
    now: str,
    *,
    before_change: Any = None,
    shared: Collection[str] = (),
    aliases: Mapping[str, tuple[str, str]] | None = None,
) -> int | None:
    """Link a contact to the organization named by its company, creating it when needed (call inside a
    write transaction); `before_change`, `shared` and `aliases` as `org_for_company` takes them."""
    conn = ctx.conn
    row = cstore.company_and_org(conn, cid)
    if not (row["company"] or "").strip():
        return None
    if row["organization_id"] is not None:
        return row["organization_id"]
    emails = cstore.fetch_contacts(conn, [cid])[0]["emails"]
    oid, _ = org_for_company(
        conn, row["company"], emails, now, before_change=before_change, shared=shared, aliases=aliases
    )
    store.link_contact(conn, cid, oid)
    return oid


def assign_journalled(
    ctx: Context,
    cid: int,
    now: str,
    before: Mapping[int, dict[str, Any]],
    *,
    hand: Iterable[Mapping[str, Any]] = (),
    alone: bool = True,
    opened: Mapping[int, list[list[str]]] | None = None,
    via: str = "pcrm contacts edit",
) -> str | None:
    """`assign_for_company` after a contact's edit by hand gave it a new company [company-orgs], journalled
    when it made an organization or gave one a domain (kind contact-company) [bulk-undo]: the undo puts back
    the contact's company with its organization, drops the organization made unless used since and gives
    back the domain. `before`: bulk_journal.states of the contact before the edit; `hand`: the edit
    journal rows the edit wrote (hand_edits.record), of which the undo takes back the company alone;
    `alone`: the edit changed nothing else on the contact (its updated_at then goes back too); `opened`:
    the suggestions the same edit's archiving dismissed, which the undo reopens with the priority; `via`:
    the command or route of the edit, as the journal lists it. -> the journal's id, or None when no
    organization was made or changed."""
    from pcrm.services import bulk

    conn = ctx.conn
    top = bulk_journal.newest_organization(conn)
    given: dict[int, dict[str, Any]] = {}

    def giving(oid: int) -> None:
        if oid not in given and (was := bulk_journal.organization_state(conn, oid)) is not None:
            given[oid] = was

    assign_for_company(ctx, cid, now, before_change=giving)
    made = bulk_journal.organizations_after(conn, top)
    if not made and not given:
        return None
    fields = ("company", "priority_level") if opened else ("company",)
    entries = bulk.entries_since(conn, before, opened, fields=fields)
    for e in entries:  # what the edit did beside the company is the user's, and stays
        if "company" in (e.get("edited_added") or ()):
            e["edited_added"] = ["company"]
        else:
            e.pop("edited_added", None)
        if not alone:
            e.pop("updated_at", None)
    changes: dict[str, Any] = {
        "company": entries[0]["after"]["company"] if entries else None,
        "contact_name": cstore.display_names(conn, [cid]).get(cid) or "",
        "via": via,
    }
    if opened:
        changes["archived"] = True
    if made:
        changes["organizations_made"] = made
        changes["organizations_made_as"] = bulk_journal.organization_values(conn, made)
    if given:
        changes["organizations_given_domain"] = [
            {**was, "given": bulk_journal.organization_domain(conn, was["uuid"])} for was in given.values()
        ]
    return bulk_journal.add(
        conn, changes, entries, now, kind="contact-company", hand_edits=_company_rows(hand)
    )


def _company_rows(wrote: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The edit journal rows a contact's edit wrote (hand_edits.record's answer), as if it had typed its
    company alone: what an undo of the company takes back, the other values typed staying the user's."""
    out: list[dict[str, Any]] = []
    for w in wrote:
        was = dict(w["before"] or {})
        if "company" in (was.get("fields") or ()):
            continue  # typed before already: it stays typed
        after = {**was, "fields": [*(was.get("fields") or ()), "company"]}
        out.append({**w, "after": after})
    return out


# ---------------------------------------------------------------- input

INPUT_FIELDS = (
    "name",
    "domain",
    "industry",
    "location",
    "website",
    "linkedin_url",
    "twitter_handle",
    "notes",
)
MERGE_FILL = (
    "domain",
    "industry",
    "location",
    "website",
    "linkedin_url",
    "twitter_handle",
    "notes",
    "logo_url",
)
# [org-dedupe]: a value of the organization merged away that differs from the one kept, said in the kept
# one's notes, each named as pcrm's sentences name it (`LinkedIn URL`, `X handle`: wording.field_words);
# the logo is a pointer a fetch renews
KEPT_IN_NOTES = ("domain", "industry", "location", "website", "linkedin_url", "twitter_handle")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_DOMAIN = re.compile(r"^[^\s./@:]+(\.[^\s./@:]+)+$")
_MEMBERS_SHOWN = 200


def normalize_domain(value: str) -> str:
    """`https://www.Example.com/about` -> `example.com`."""
    v = value.strip().lower()
    v = re.sub(r"^[a-z][a-z0-9+.-]*://", "", v)
    v = v.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    v = v.rsplit("@", 1)[-1].split(":", 1)[0]
    v = v.removeprefix("www.")
    return v.rstrip(".")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    v = " ".join(str(value).split())
    return v or None


def parse_org(
    data: Mapping[str, Any],
    *,
    creating: bool,
    stored_website: str | None = None,
    stored_notes: str | None = None,
) -> dict[str, Any]:
    """Validate organization input: keys present change, None clears (the name cannot be cleared).
    `stored_website`: the organization's own, which an edit sending its whole form back keeps even where
    today's rule refuses it (taken by an older pcrm) [safe-links]; `stored_notes` likewise, past the notes'
    cap when a merge joined two organizations' notes [org-dedupe]."""
    unknown = set(data) - set(INPUT_FIELDS)
    if unknown:
        raise ValidationError(
            f"unknown organization field {', '.join(sorted(unknown))}",
            field=min(unknown),
            hint=f"fields: {', '.join(INPUT_FIELDS)}",
        )
    out: dict[str, Any] = {}
    for key, value in data.items():
        if not (key == "notes" and value is not None and value == stored_notes):
            check_length(key, value)  # [text-limits]
        if isinstance(value, str) and has_control(value):
            raise ValidationError(
                f"{key} contains control characters",
                field=key,
                hint="remove them (tab and newline are fine in notes)",
            )
        if key == "name":
            name = _text(value)
            if not name:
                raise ValidationError(
                    "an organization needs a name",
                    field="name",
                    hint='e.g. pcrm orgs add "Analytical Engines" --domain analytical.io',
                )
            out["name"] = name
        elif key == "domain":
            if value is None or not str(value).strip():
                out["domain"] = None
                continue
            d = normalize_domain(str(value))
            if not _DOMAIN.match(d):
                raise ValidationError(
                    f"domain must look like example.com, not {value!r}",
                    field="domain",
                    hint="give the bare domain, e.g. analytical.io",
                )
            if d in GENERIC_DOMAINS:
                raise ValidationError(
                    f"{d} is a personal mail domain shared by many people, not an organization's",
                    field="domain",
                    hint="leave the domain empty, or give the company's own",
                )
            out["domain"] = d
        elif key == "linkedin_url":  # [linkedin-urls]
            if value is not None and str(value).strip() and not linkedin_url_ok(str(value), profile=False):
                raise ValidationError(
                    f"linkedin_url must be a linkedin.com address, not {value!r}",
                    field="linkedin_url",
                    hint="give the company page, e.g. https://www.linkedin.com/company/analytical-engines",
                )
            out[key] = linkedin_url(value) if value is not None else None
        elif (
            key == "website"
            and value is not None
            and str(value).strip()
            and not site_address(str(value))
            and not (value == stored_website and web_link(str(value)))
        ):
            raise ValidationError(  # [safe-links]
                f"website must be an http(s) address of a site, not {value!r}",
                field="website",
                hint="give the address, e.g. https://analytical.io or analytical.io",
            )
        elif key == "twitter_handle":  # [value-normalisation]: refused as a contact's handle is
            typed = str(value).strip() if value is not None else ""
            h = handle(typed, "twitter") if typed else None
            if typed and (h is None or not_a_handle(h)):
                raise ValidationError(
                    f"{value!r} is not an X handle",
                    field="twitter_handle",
                    hint="give the handle or its profile address, e.g. globex or https://x.com/globex",
                )
            out[key] = h
        else:
            out[key] = (
                _text(value)
                if key != "notes"
                else ((str(value).strip() or None) if value is not None else None)
            )
    if creating and "name" not in out:
        raise ValidationError(
            "an organization needs a name",
            field="name",
            hint='e.g. pcrm orgs add "Analytical Engines" --domain analytical.io',
        )
    return out


# ---------------------------------------------------------------- references


def org_rowid(ctx: Context, org_id: str) -> int:
    """The rowid of an organization by its public UUID, or 404."""
    oid = store.rowid_for_uuid(ctx.conn, org_id) if _UUID.match(str(org_id).lower()) else None
    if oid is None:
        merged = merged_away(ctx, id_prefix=str(org_id)) if _UUID.match(str(org_id).lower()) else None
        raise merged or NotFound(
            f"no organization with id {org_id}", hint="list organizations with `pcrm orgs list --all`"
        )
    return oid


def merged_away(ctx: Context, *, id_prefix: str | None = None, name: str | None = None) -> NotFound | None:
    """The 404 for an organization a merge still in force took away, named by its old id (or a unique
    prefix) or its old name [org-dedupe]: where it went (following later merges of the organization it
    went into) and the `pcrm orgs unmerge` that brings it back, with `details.merged_into` {id, name,
    merge_id, target_deleted}. None when the reference is no merged organization's."""
    conn = ctx.conn
    taken = store.merges_taking(conn, id_prefix=id_prefix, name=name)
    if not taken or (id_prefix is not None and len({m["source_uuid"] for m in taken}) > 1):
        return None
    chain = [taken[0]]
    target = chain[0]["target_uuid"]
    while (tid := store.rowid_for_uuid(conn, target)) is None and len(chain) < 50:
        on = store.merges_taking(conn, id_prefix=target)
        on = [m for m in on if m["source_uuid"] == target]
        if not on:
            break  # the organization it went into was deleted since
        chain.append(on[0])
        target = on[0]["target_uuid"]
    first, last = chain[0], chain[-1]
    old = first["source_before"].get("name") or first["source_uuid"]
    now_name = store.names(conn, [tid])[0]["name"] if tid is not None else last["target_name"]
    day = local_day(first["merged_at"], ctx.tz())
    via = f" (then into {now_name} by a later merge)" if len(chain) > 1 else ""
    into = chain[0]["target_name"] if len(chain) > 1 else now_name
    gone = ", which was deleted since" if tid is None else ""
    undo = "`, then `".join(f"pcrm orgs unmerge {m['id'][:8]}" for m in reversed(chain))
    see = f"`pcrm orgs show {target[:8]}` shows it now; " if tid is not None else ""
    return NotFound(
        f"{old!r} was merged into {into} ({chain[0]['target_uuid'][:8]}){via} on {day}{gone}",
        hint=f"{see}to bring it back, undo the merge: `{undo}`",
        details={
            "merged_into": {
                "id": target,
                "name": now_name,
                "merge_id": first["id"],
                "target_deleted": tid is None,
            }
        },
    )


def resolve_ref(ctx: Context, ref: str) -> str:
    """A CLI organization reference to a UUID: full UUID, unique id prefix (4+ characters), the exact
    name (casefolded), and last the name with accents ignored. Ambiguity lists the candidates."""
    text = (ref or "").strip()
    if not text:
        raise ValidationError(
            "empty organization reference",
            field="organization",
            hint="give an id, id prefix or name from `pcrm orgs list --all`",
        )
    conn = ctx.conn
    for ids in _ref_candidates(conn, text):
        if len(ids) == 1:
            return store.names(conn, ids)[0]["id"]
        if len(ids) > 1:
            found = store.names(conn, ids[:10])
            listing = "; ".join(f"{o['name']} {o['id'][:8]}" for o in found)
            raise BadRequest(
                f"{ref!r} matches {len(ids)} organizations: {listing}",
                hint="use an id prefix; `pcrm orgs merge` can combine duplicates",
                details={"candidates": [{"id": o["id"], "name": o["name"]} for o in found]},
            )
    merged = merged_away(ctx, name=text)
    if merged is None and len(text) >= 4 and all(ch in "0123456789abcdef-" for ch in text.lower()):
        merged = merged_away(ctx, id_prefix=text)
    if merged is not None:
        raise merged
    search = f"search with `pcrm orgs list --all --search {_arg(text)}`"
    close = _near(conn, text)
    if not close:
        raise NotFound(f"no organization matches {ref!r}", hint=search)
    named = [f"{o['name']} ({o['id'][:8]})" for o in close]
    listing = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} or {named[-1]}"
    raise NotFound(
        f"no organization matches {ref!r}",
        hint=f"did you mean {listing}? or {search}",
        details={"near": close},
    )


def _arg(text: str) -> str:
    """`text` as one shell word in a command the hint offers: 'Pied Piper' quoted, so it runs as written."""
    import shlex

    return shlex.quote(text)


def _near(conn: Any, text: str) -> list[dict[str, Any]]:
    """Up to 3 organizations whose name is a letter or two off `text` [near-names] (`Hoolie`: Hooli), none
    on a store with more organizations than near_names compares."""
    from pcrm.domain.near_names import MOST, near

    names = store.matching(conn, include_empty=True)
    if len(names) > MOST:
        return []
    ids = near(fold(text), names)
    by_rowid = {o["_rowid"]: o for o in store.names(conn, ids)}
    return [{"id": by_rowid[i]["id"], "name": by_rowid[i]["name"]} for i in ids if i in by_rowid]


def _ref_candidates(conn: Any, text: str) -> Iterator[list[int]]:
    """The organizations a reference may mean, one kind after the other (the caller stops at the first
    kind that finds any): by id, by id prefix, by name, and last by the name with accents ignored, as for
    contacts (`societe` finds Société)."""
    low = text.lower()
    if _UUID.match(low):
        oid = store.rowid_for_uuid(conn, low)
        yield [oid] if oid else []
    elif len(low) >= 4 and all(ch in "0123456789abcdef-" for ch in low):
        yield store.ids_by_prefix(conn, low)
    yield store.ids_by_name(conn, fold(text))
    bare = sort_key(fold(text))
    yield [oid for oid, name in store.matching(conn, include_empty=True) if sort_key(name) == bare]


def _one(ctx: Context, oid: int) -> dict[str, Any]:
    return _with_contacts(store.fetch(ctx.conn, [oid]))[0]


def _with_contacts(orgs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Orgs as the reference answers them: `contacts` is there, null unless the org is read on its own."""
    for o in orgs:
        o.setdefault("contacts", None)
    return orgs


def _name_taken(ctx: Context, name: str, exclude: int | None = None) -> None:
    for oid in store.ids_by_name(ctx.conn, fold(name)):
        if oid != exclude:
            other = _one(ctx, oid)
            raise Conflict(
                f"an organization named {other['name']!r} already exists",
                hint=f"merge into it with `pcrm orgs merge ... --into {other['id'][:8]}`",
                details={"conflicting_organization": {"id": other["id"], "name": other["name"]}},
            )


# ---------------------------------------------------------------- routes


def list_organizations(
    ctx: Context,
    *,
    search: str | None = None,
    page: Any = None,
    page_size: Any = None,
    include_empty: bool = False,
    everything: bool = False,
) -> Result:
    """GET /organizations: orgs with at least one non-archived contact (all with include_empty), by name;
    search is a substring of the name, case and accents ignored. Page paging 50/200; each item has its stats.
    `everything` (the CLI's --all and --nl) returns every one as one page [complete-lists]."""
    p, size = parse_paging(page, page_size, default_size=50, max_size=200)
    from_query(check_length)("search", search, MAX_SEARCH)  # [text-limits]; ["query", "search"]
    refused = no_name_term(search or "")
    if refused is not None:  # only spaces would list every one: the CLI's --search refuses it too
        raise refused.at("query")
    term = sort_key(fold(search)) if search else None
    found = store.matching(ctx.conn, include_empty=bool(parse_bool(include_empty, "include_empty")))
    if term:  # accents ignored, as in contact search: `societe` finds Société
        found = [r for r in found if term in sort_key(r[1])]
    if everything:
        p, size = 1, max(len(found), 1)
    found.sort(key=lambda r: (sort_key(r[1]), r[1], r[0]))
    ids = [oid for oid, _ in found[(p - 1) * size : p * size]]
    return Result(_with_contacts(store.fetch(ctx.conn, ids)), page_meta(len(found), p, size))


def sort_key(folded: str) -> str:
    """Alphabetical order for people: accents do not move a name to the end (É sorts with E)."""
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))


def _by_company(ctx: Context, name: str) -> list[int]:
    """The unlinked contacts whose company is `name` (case-insensitive)."""
    key = fold(name)
    return [cid for cid, company in store.unlinked_companies(ctx.conn) if fold(company) == key]


def _link_by_company(ctx: Context, oid: int, name: str, now: str) -> int:
    """Link the unlinked contacts whose company is `name` (case-insensitive) [company-orgs]: those left
    without an organization when theirs was deleted, or named before it existed under that name."""
    ids = _by_company(ctx, name)
    return store.link_contacts(ctx.conn, oid, ids, now) if ids else 0


def prepare_create(ctx: Context, data: Mapping[str, Any]) -> OnSave:
    """POST /organizations' network half, the daemon's prepare step [prepare-off-lane]: the input checked
    (its 422 and 409 come before any download), then the logo of its website or domain fetched
    (logos.on_save) [org-logo-on-save]. Writes nothing."""
    from pcrm.services import logos

    fields = parse_org(data, creating=True)
    _name_taken(ctx, fields["name"])
    return logos.on_save(ctx, None, fields)


def create_organization(ctx: Context, data: Mapping[str, Any], *, prepared: OnSave | None = None) -> Result:
    """POST /organizations: a new org; unlinked contacts whose company is its name join it [company-orgs],
    and so do unlinked contacts with an email at its domain (their empty company filled in).
    meta.contacts_assigned says how many. A second org with the same name is refused. With logos on, its
    logo comes along, or meta.logo says why not [org-logo-on-save]; `prepared`: `prepare_create`'s answer,
    None fetches it here. One that links contacts is journalled (kind org-add): meta.bulk_update_id and
    meta.undo name the `pcrm contacts bulk-undo ID` that unlinks them again and deletes the organization
    if nothing has used it since [bulk-undo]."""
    from pcrm.services import bulk, logos

    got = prepared if prepared is not None else prepare_create(ctx, data)
    fields = parse_org(data, creating=True)
    now = ctx.now_iso()
    with write(ctx.conn):
        _name_taken(ctx, fields["name"])
        maybe = _by_company(ctx, fields["name"])
        if fields.get("domain"):
            maybe += store.unlinked_at_domain(ctx.conn, fields["domain"])
        contacts_were = bulk_journal.states(ctx.conn, maybe)  # [bulk-undo]
        oid = store.insert(ctx.conn, fields, now)
        assigned = _link_by_company(ctx, oid, fields["name"], now)
        if fields.get("domain"):
            assigned += store.assign_by_domain(ctx.conn, oid, fields["domain"], fields["name"], now)
        logo = logos.attach(ctx, oid, got)
        meta: dict[str, Any] = {"contacts_assigned": assigned, **_same_domain(ctx, oid, fields.get("domain"))}
        if assigned:  # the undo unlinks them and drops the organization, unless used since
            made = (store.raw_row(ctx.conn, oid) or {})["uuid"]
            changes = {
                "organization_added": fields["name"],
                "organizations_made": [made],
                # as it was added, its logo aside: dropped by the undo unless used or edited since
                "organizations_made_as": bulk_journal.organization_values(ctx.conn, [made]),
            }
            bid = bulk.journal(ctx.conn, "org-add", changes, contacts_were, now, fields=bulk.ORG_FIELDS)
            meta["bulk_update_id"], meta["undo"] = bid, bulk.undo_command(bid)
    if logo is not None:
        meta["logo"] = logo
    return Result(_one(ctx, oid), meta)


def _same_domain(ctx: Context, oid: int, domain: str | None) -> dict[str, Any]:
    """meta.same_domain: the other organizations holding the domain just given to `oid`, which `orgs
    duplicates scan` will merge with it [org-dedupe]: said when the domain is given, not found out later."""
    others = store.others_holding_domain(ctx.conn, domain, oid) if domain else []
    return {"same_domain": others} if others else {}


def get_organization(ctx: Context, org_id: str) -> Result:
    """GET /organizations/{id}: the org, its stats, the names it gave up that a company still names it by
    (`store.former_names`) and up to 200 contacts (active first, then archived, each group by score).
    meta.contacts_total counts them all, archived included, so a reader can tell that the list was cut."""
    oid = org_rowid(ctx, org_id)
    org = _one(ctx, oid)
    members = store.members(ctx.conn, oid, _MEMBERS_SHOWN)
    shown = cstore.display_names(ctx.conn, [m["_rowid"] for m in members if not m["full_name"]])
    for m in members:  # named as lists name it: by address or number when it has no name [display-name]
        rid = m.pop("_rowid")
        m["display_name"] = m["full_name"] or shown.get(rid) or "(no name)"
    org["contacts"] = members
    org["former_names"] = store.former_names(ctx.conn, oid)  # what a company still names it by
    return Result(org, {"contacts_total": store.member_count(ctx.conn, oid)})


def _edit_fields(ctx: Context, org_id: str, data: Mapping[str, Any]) -> dict[str, Any]:
    stored: Mapping[str, Any] = {}
    if data.get("website") or data.get("notes"):  # the organization's own, kept as they are (parse_org)
        with contextlib.suppress(NotFound):
            stored = store.get(ctx.conn, org_rowid(ctx, org_id)) or {}
    fields = parse_org(
        data, creating=False, stored_website=stored.get("website"), stored_notes=stored.get("notes")
    )
    if not fields:
        raise ValidationError(
            "nothing to change", field="fields", hint="e.g. pcrm orgs edit ORG --industry Fintech"
        )
    return fields


def _renaming(ctx: Context, oid: int, before: Mapping[str, Any], fields: Mapping[str, Any]) -> None:
    """A new name taken by another organization is refused (a change of case or accents only is not)."""
    if "name" in fields and fields["name"] != before["name"] and fold(fields["name"]) != fold(before["name"]):
        _name_taken(ctx, fields["name"], exclude=oid)


def prepare_update(ctx: Context, org_id: str, data: Mapping[str, Any]) -> OnSave:
    """PATCH /organizations/{id}'s network half, the daemon's prepare step [prepare-off-lane]: the input and
    the organization checked (422, 404, 409 before any download), then the logo fetched when the edit
    changes where it comes from (logos.on_save) [org-logo-on-save]. Writes nothing."""
    from pcrm.services import logos

    fields = _edit_fields(ctx, org_id, data)
    oid = org_rowid(ctx, org_id)
    before = store.get(ctx.conn, oid)
    assert before is not None
    _renaming(ctx, oid, before, fields)
    return logos.on_save(ctx, before, fields)


def update_organization(
    ctx: Context, org_id: str, data: Mapping[str, Any], *, prepared: OnSave | None = None
) -> Result:
    """PATCH /organizations/{id}: partial. A new name is copied into `company` on every linked contact and
    links unlinked contacts whose company is that name; a new domain links unlinked contacts with an email
    there. meta: contacts_renamed, contacts_assigned; with logos on, a new website or domain brings its logo,
    or meta.logo says why not [org-logo-on-save] (`prepared`: `prepare_update`'s answer, None fetches it
    here). An edit that changes no value is no update: updated_at stays and meta says `unchanged`
    [no-op-edits]. An edit that changes something is journalled with what it did to the contacts (kind
    org-edit): meta.bulk_update_id and meta.undo name its undo, `pcrm contacts bulk-undo ID` [bulk-undo]."""
    got = prepared if prepared is not None else prepare_update(ctx, org_id, data)
    fields = _edit_fields(ctx, org_id, data)
    now = ctx.now_iso()
    meta: dict[str, Any] = {"contacts_renamed": 0, "contacts_assigned": 0}  # undo: added by _update
    try:
        oid = _update(ctx, org_id, fields, got, meta, now)
    except no_op.Unchanged as same:  # rolled back; a logo it failed to fetch is still said
        return Result(same.before, {**meta, "unchanged": True})
    return Result(_one(ctx, oid), meta)


def _update(
    ctx: Context, org_id: str, fields: dict[str, Any], got: OnSave, meta: dict[str, Any], now: str
) -> int:
    """update_organization's transaction, filling `meta` -> the organization's rowid; raises
    no_op.Unchanged, the write undone, when it changed no value [no-op-edits]."""
    from pcrm.services import bulk, logos

    with write(ctx.conn):
        oid = org_rowid(ctx, org_id)
        before = _one(ctx, oid)
        _renaming(ctx, oid, before, fields)
        # [bulk-undo]: the contacts the edit may change, as they are, and the organization's own row
        maybe: list[int] = []
        if "name" in fields and fields["name"] != before["name"]:
            maybe += store.member_ids(ctx.conn, oid) + _by_company(ctx, fields["name"])
        if fields.get("domain") and fields["domain"] != before["domain"]:
            maybe += store.unlinked_at_domain(ctx.conn, fields["domain"])
        contacts_were = bulk_journal.states(ctx.conn, maybe)
        row_was = store.raw_row(ctx.conn, oid)
        store.update(ctx.conn, oid, fields, now)
        if "name" in fields and fields["name"] != before["name"]:
            meta["contacts_renamed"] = store.rename_members(ctx.conn, oid, fields["name"], now)
            meta["contacts_assigned"] = _link_by_company(ctx, oid, fields["name"], now)
        if fields.get("domain") and fields["domain"] != before["domain"]:
            name = fields.get("name", before["name"])
            meta["contacts_assigned"] += store.assign_by_domain(ctx.conn, oid, fields["domain"], name, now)
            meta.update(_same_domain(ctx, oid, fields["domain"]))
        kept = logos.keep_aside(ctx, oid, got)  # the logo file it replaces, for the undo [bulk-undo]
        logo = logos.attach(ctx, oid, got)
        if logo is not None:
            meta["logo"] = logo
        no_op.undo_if_same(before, _one(ctx, oid))
        assert row_was is not None
        edited = edited_row(row_was, store.raw_row(ctx.conn, oid) or {})
        if (logo or {}).get("fetched") and got.found is not None and got.found.body is not None:
            edited["logo_digest"] = logos.digest(got.found.body)  # the logo it left [bulk-undo]
            if kept is not None:
                edited["logo_kept"] = kept
        bid = bulk.journal(
            ctx.conn,
            "org-edit",
            {"organization": edited},
            contacts_were,
            now,
            fields=bulk.ORG_FIELDS,
        )
        meta["bulk_update_id"], meta["undo"] = bid, bulk.undo_command(bid)
    return oid


_OWN = (*store.ORG_FIELDS, "name_fold", "updated_at")  # an organization's values an undo puts back


def edited_row(was: Mapping[str, Any], now: Mapping[str, Any]) -> dict[str, Any]:
    """What an edit did to an organization's own row, as the journal keeps it [bulk-undo]: {uuid, name (its
    name now), before, after (the values it changed, updated_at with them)}."""
    changed = [k for k in _OWN if was.get(k) != now.get(k)]
    return {
        "uuid": was["uuid"],
        "name": now["name"],
        "before": {k: was.get(k) for k in changed},
        "after": {k: now.get(k) for k in changed},
    }


def check_undo(ctx: Context, change: Mapping[str, Any]) -> None:
    """Whether `pcrm contacts bulk-undo` can put back an organization's edit or removal [bulk-undo]: a 409
    (nothing changed) when its removal's name is taken since, or when the edited organization is gone or
    holds other values since in what the edit changed."""
    conn = ctx.conn
    oid = store.rowid_for_uuid(conn, change["uuid"])
    if "deleted" in change:
        name = change["deleted"]["name"]
        if oid is not None:
            raise Conflict(f"the organization {name!r} is there already", hint="see it with `pcrm orgs show`")
        taken = store.ids_by_name(conn, fold(name))
        if taken:
            other = _one(ctx, taken[0])
            raise _taken_since(
                other, f"an organization named {other['name']!r} was made since {name!r} was deleted"
            )
        return
    if oid is None:
        raise _gone_since(ctx, change)
    row = store.raw_row(conn, oid) or {}
    since = [k for k, v in change["after"].items() if k in store.ORG_FIELDS and row.get(k) != v]
    if change.get("logo_digest") and not since:
        from pcrm.services import logos

        if logos.current_digest(change["uuid"]) not in (change["logo_digest"], None):
            raise Conflict(  # another logo was saved since, under the same file name
                f"the organization {row['name']!r} has another logo since; nothing changed",
                hint="undo the later logo change first (`pcrm contacts bulk-updates` lists it), then this",
            )
    if since:
        raise Conflict(
            f"the organization {row['name']!r} was edited since in its "
            f"{', '.join(field_words(k) for k in since)}; nothing changed",
            hint=f"change it by hand with `pcrm orgs edit {change['uuid'][:8]}`",
        )
    old = change["before"].get("name")
    if old is not None and fold(old) != fold(row["name"]):
        for other_id in store.ids_by_name(conn, fold(old)):
            if other_id == oid:
                continue
            other = _one(ctx, other_id)
            raise _taken_since(
                other,
                f"the organization {row['name']!r} cannot be named {old!r} again: another organization "
                f"{other['name']!r} was made since",
            )


def _taken_since(other: Mapping[str, Any], said: str) -> Conflict:
    """The 409 of an undo whose organization's name another one took since [bulk-undo]: nothing changed,
    and the step that lets it through (rename or remove the other)."""
    return Conflict(
        f"{said}; nothing changed",
        hint=f"rename or remove the other organization {other['name']!r} (`pcrm orgs edit "
        f"{other['id'][:8]} --name ...` or `pcrm orgs rm {other['id'][:8]}`), then undo again",
        details={"conflicting_organization": {"id": other["id"], "name": other["name"]}},
    )


def _gone_since(ctx: Context, change: Mapping[str, Any]) -> Conflict:
    """The 409 of an edit's undo whose organization is gone since, with the step that brings it back
    [bulk-undo]: the unmerge of the merge that took it (`merged_away`), or the undo of its removal."""
    name = change["name"]
    merged = merged_away(ctx, id_prefix=change["uuid"])
    if merged is not None:
        into = merged.details["merged_into"]
        steps = (merged.hint or "").rpartition("undo the merge: ")[2]  # the unmerges, the latest first
        return Conflict(
            f"the organization {name!r} was merged into {into['name']} since; nothing changed",
            hint=f"bring it back first with {steps}, then undo again",
            details={"merged_into": into},
        )
    removal = bulk_journal.removal_of(ctx.conn, change["uuid"])
    if removal is not None:
        return Conflict(
            f"the organization {name!r} was deleted since; nothing changed",
            hint=f"undo its removal first (`pcrm contacts bulk-undo {removal[:8]}`), then this edit",
            details={"removal_id": removal},
        )
    return Conflict(
        f"the organization {name!r} was deleted since; nothing changed",
        hint=f"add it again (`pcrm orgs add {_arg(name)}`) and edit it by hand: this edit cannot be undone",
    )


def joined_since(ctx: Context, change: Mapping[str, Any], journalled: Collection[str]) -> list[str]:
    """The contacts (uuids) a rename's undo renames with the organization [company-orgs] [bulk-undo]: linked
    to it since the rename (not in the rename's journal, `journalled`), their company its new name (any
    case). The name is the company of every linked contact: left with the new name, they would stand apart
    from their organization, and the next contact naming it would make a second one. Empty for any other
    change."""
    if "deleted" in change or "name" not in (change.get("before") or {}):
        return []
    oid = store.rowid_for_uuid(ctx.conn, change["uuid"])
    if oid is None:
        return []
    new = fold(change["after"]["name"])
    return [
        uuid
        for uuid, company in store.member_companies(ctx.conn, oid)
        if uuid not in journalled and company and fold(company) == new
    ]


def undo_change(
    ctx: Context, change: Mapping[str, Any], now: str, *, journalled: Collection[str] = ()
) -> dict[str, Any]:
    """Put back an organization's edit or removal that `check_undo` let through [bulk-undo]: the deleted
    row under its old id (rowid when free) with its duplicate matches, or the values the edit changed,
    with its updated_at when nothing changed it since (now otherwise). A rename's undo also gives the old
    name as company to the contacts that joined it since with the new one (`joined_since`), and an edit
    that replaced the logo file gets the old one back (logos.keep_aside) -> what the undo's meta says of
    them: {contacts_renamed, logo_restored}, those that apply."""
    conn = ctx.conn
    if "deleted" in change:
        store.restore_row(conn, dict(change["deleted"]))
        store.restore_matches(conn, change.get("matches") or ())
        return {}
    oid = store.rowid_for_uuid(conn, change["uuid"])
    assert oid is not None
    joined = joined_since(ctx, change, journalled)
    row = store.raw_row(conn, oid) or {}
    values = dict(change["before"])
    if "updated_at" in values and row.get("updated_at") != change["after"].get("updated_at"):
        values["updated_at"] = now
    store.put_back_values(conn, oid, values)
    said: dict[str, Any] = {}
    if change.get("logo_kept"):  # the logo file the edit wrote over [bulk-undo]
        from pcrm.services import logos

        said["logo_restored"] = logos.put_back_kept(change["uuid"], change["logo_kept"])
    elif "logo_url" in change["before"] and change["before"]["logo_url"] is None:
        said["logo_removed"] = True  # it had none: the file goes after the undo (logos.tidy)
    if joined:
        said["contacts_renamed"] = store.rename_contacts(conn, joined, change["before"]["name"], now)
    return said


def delete_organization(ctx: Context, org_id: str) -> Result:
    """DELETE /organizations/{id}: unlinks its contacts (their company text stays) -> {id, deleted: true,
    bulk_update_id}. Journalled (kind org-delete: its row, its duplicate matches, its contacts' links):
    `pcrm contacts bulk-undo ID` brings it back with its values and contacts [bulk-undo]; meta.undo says
    so."""
    from pcrm.services import bulk

    now = ctx.now_iso()
    with write(ctx.conn):
        oid = org_rowid(ctx, org_id)
        members = store.member_ids(ctx.conn, oid)
        contacts_were = bulk_journal.states(ctx.conn, members)
        row = store.raw_row(ctx.conn, oid)
        assert row is not None
        change = {
            "uuid": row["uuid"],
            "name": row["name"],
            "deleted": row,
            "matches": store.matches_of(ctx.conn, oid),
        }
        store.delete(ctx.conn, oid)
        bid = bulk.journal(
            ctx.conn, "org-delete", {"organization": change}, contacts_were, now, fields=bulk.ORG_FIELDS
        )
    return Result(
        {"id": str(org_id).lower(), "deleted": True, "bulk_update_id": bid},
        {"contacts_unlinked": len(members), "undo": bulk.undo_command(bid)},
    )


def merge_organizations(
    ctx: Context, source_ids: list[str], target_id: str, *, by_reference: bool = False
) -> Result:
    """POST /organizations/merge {source_ids, target_id} and `pcrm orgs merge`: each source fills the
    target's empty fields, has its values that differ from the target's (and its own notes) said in the
    target's notes (`_kept_note`, listed in `values_kept`), hands over its contacts (their company becomes
    the target's name) and is deleted. A source that names no organization, the target itself or one
    already given is skipped and said in meta.skipped [{id, reason, message}] (reason `not_found`,
    `is_target` or `repeated`); none left to merge is 404 when some named nothing, else 422; an unknown
    target is 404. `by_reference`: the CLI's references (id prefix or name, `resolve_ref`), else ids.
    -> {target_id, target_name, contacts_updated, source_organizations_merged,
    values_kept: [{organization, field, value}]}, meta {merge_ids, skipped}."""
    if not isinstance(source_ids, (list, tuple)):
        raise ValidationError(
            "source_ids must be a list of organization ids",
            field="source_ids",
            hint="e.g. pcrm orgs merge Globex-Inc --into Globex",
        )
    if not source_ids:
        raise _nothing_to_merge()

    def rowid(ref: str) -> int:
        if by_reference:
            oid = store.rowid_for_uuid(ctx.conn, resolve_ref(ctx, ref))
            assert oid is not None
            return oid
        return org_rowid(ctx, ref)

    skipped: list[dict[str, Any]] = []
    with write(ctx.conn):
        tid = rowid(target_id)
        sids: list[int] = []
        for ref in source_ids:
            try:
                sid = rowid(str(ref))
            except NotFound as e:
                skipped.append({"id": str(ref), "reason": "not_found", "message": e.message, "error": e})
                continue
            if sid == tid:
                skipped.append({"id": str(ref), "reason": "is_target", "message": "it is the target itself"})
            elif sid in sids:
                skipped.append({"id": str(ref), "reason": "repeated", "message": "given more than once"})
            else:
                sids.append(sid)
        if not sids:
            raise _none_to_merge(skipped)
        return _merge_into(ctx, tid, sids, [{k: v for k, v in s.items() if k != "error"} for s in skipped])


def _nothing_to_merge() -> ValidationError:
    return ValidationError(
        "give at least one organization to merge other than the target",
        field="source_ids",
        hint="e.g. pcrm orgs merge Globex-Inc --into Globex",
    )


def _none_to_merge(skipped: list[dict[str, Any]]) -> PcrmError:
    """The refusal of a merge none of whose sources is left: 404 when some named no organization (the one
    lookup's own error when it was the only source), 422 when all were the target itself."""
    missing = [s for s in skipped if s["reason"] == "not_found"]
    if not missing:
        return _nothing_to_merge()
    listed = [{k: v for k, v in s.items() if k != "error"} for s in skipped]
    if len(skipped) == 1:
        error: PcrmError = missing[0]["error"]
        error.details = {**error.details, "skipped": listed}
        return error
    said = "; ".join(f"{s['id']}: {s['message']}" for s in missing)
    return NotFound(
        f"none of the organizations to merge is left: {said}",
        hint="list organizations with `pcrm orgs list --all`",
        details={"skipped": listed},
    )


def _merge_into(ctx: Context, tid: int, sids: list[int], skipped: list[dict[str, Any]]) -> Result:
    """The merge itself, under the caller's write: `sids` into `tid`, each one journalled."""
    target = _one(ctx, tid)
    now = ctx.now_iso()
    moved = merged = 0
    journal: list[str] = []
    values_kept: list[dict[str, Any]] = []
    for sid in sids:
        src = store.get(ctx.conn, sid)
        assert src is not None
        before, members = store.raw_row(ctx.conn, sid), store.member_companies(ctx.conn, sid)
        fill = {f: src[f] for f in MERGE_FILL if target.get(f) is None and src.get(f) is not None}
        noted, kept = _kept_note(target, src)
        changed = dict(fill)
        if noted is not None:  # the source's notes are in the block: they fill no empty notes
            fill.pop("notes", None)
            changed["notes"] = f"{target['notes']}\n\n{noted}" if target.get("notes") else noted
            values_kept += [{"organization": src["name"], "field": f, "value": v} for f, v in kept]
        if changed:
            store.update(ctx.conn, tid, changed, now)
            target.update(changed)
        moved += store.move_members(ctx.conn, sid, tid, target["name"], now)
        journal.append(
            store.journal_merge(
                ctx.conn,
                target_uuid=target["id"],
                target_name=target["name"],
                source=before or {},
                filled={**fill, **({NOTES_ADDED: noted} if noted is not None else {})},
                contacts=members,
                now=now,
            )
        )
        store.delete(ctx.conn, sid)
        merged += 1
    return Result(
        {
            "target_id": target["id"],
            "target_name": target["name"],
            "contacts_updated": moved,
            "source_organizations_merged": merged,
            "values_kept": values_kept,
        },
        {"merge_ids": journal, "skipped": skipped},
    )


# the journal's key (beside the fields a merge filled) for the block a merge added to the kept one's notes
NOTES_ADDED = "notes_added"


def _same_value(field: str, a: str, b: str) -> bool:
    """Whether two values of an organization's field say the same: in another case or spacing, or a
    website with or without its scheme, `www.` or a trailing slash."""
    if field == "website":
        a, b = (re.sub(r"^[a-z][a-z0-9+.-]*://|/+$", "", fold(v)).removeprefix("www.") for v in (a, b))
    return fold(a) == fold(b)


def _holds_lines(notes: str, part: str) -> bool:
    """Whether `notes` hold `part` as whole lines (spaces around each aside): there already, as the same
    notes of an earlier merge are. Text found inside a line is not ('Supplier' in 'Former Supplier of
    parts' says something else)."""

    def lines(text: str) -> str:
        return "\n".join(line.strip() for line in text.splitlines())

    return bool(part) and f"\n{lines(part)}\n" in f"\n{lines(notes)}\n"


def _kept_note(target: Mapping[str, Any], src: Mapping[str, Any]) -> tuple[str | None, list[tuple[str, str]]]:
    """What a merge keeps of the organization merged away in the kept one's notes, so that nothing of it
    is lost from view [org-dedupe]: (the block added, or None; the (field, value) pairs it holds). The
    block is a line naming the organization, its values that differ from the kept one's (one a line),
    then its notes when the kept one has others. None when there is nothing to say: no differing value,
    and its notes are empty, already there, or fill empty ones as any empty field is filled."""
    differing = [
        (f, str(src[f]))
        for f in KEPT_IN_NOTES
        if target.get(f) and src.get(f) and not _same_value(f, str(target[f]), str(src[f]))
    ]
    notes = (src.get("notes") or "").strip()
    mine = target.get("notes") or ""
    if _holds_lines(mine, notes) or (not mine and not differing):
        notes = ""
    if not differing and not notes:
        return None, []
    kept = differing + ([("notes", notes)] if notes else [])
    lines = [f"From {src['name']} (merged in):"]
    lines += [f"{field_words(f)}: {shown_value(f, v)}" for f, v in differing]
    return "\n".join([*lines, *([notes] if notes else [])]), kept


def unmerge_organization(ctx: Context, merge_id: str) -> Result:
    """`pcrm orgs unmerge MERGE_ID`: bring back an organization merged away, with its own id and fields.
    Its contacts return to it with their old company, unless they moved or their company was edited
    since (listed, left alone); fields the merge filled on the target are emptied where unchanged.
    A later merge of the target itself must be undone first; a target deleted since gives back the
    contacts it left unlinked with its name as their company [org-dedupe]."""
    now = ctx.now_iso()
    conn = ctx.conn
    ref = (merge_id or "").strip().lower()
    with write(conn):
        found = store.find_merge(conn, ref) if len(ref) >= 4 else []
        exact = [m for m in found if m["id"] == ref]
        if exact:
            found = exact
        if not found:
            raise NotFound(
                f"no organization merge with id {merge_id!r}", hint="list them with `pcrm orgs merges`"
            )
        if len(found) > 1:
            raise BadRequest(
                f"{merge_id!r} matches {len(found)} organization merges", hint="give more of the id"
            )
        m = found[0]
        if m["unmerged_at"]:
            undone = local_day(m["unmerged_at"], ctx.tz())
            raise BadRequest(
                f"organization merge {m['id'][:8]} was already undone on {undone}",
                hint="see `pcrm orgs merges`",
            )
        tid = store.rowid_for_uuid(conn, m["target_uuid"])
        if tid is None:
            later = store.merges_from(conn, m["target_uuid"], m["merged_at"])
            if later:
                raise Conflict(
                    f"{m['target_name']} was itself merged into another organization since",
                    hint=f"undo that first: pcrm orgs unmerge {later[0]['id'][:8]}",
                    details={"blocking_merge_id": later[0]["id"]},
                )
        if store.rowid_for_uuid(conn, m["source_uuid"]) is not None:
            raise Conflict(f"organization {m['source_uuid']} exists again", hint="see `pcrm orgs list --all`")
        name = m["source_before"].get("name") or ""
        if store.find_by_name(conn, name) is not None:
            raise Conflict(
                f"another organization is now called {name!r}",
                hint="rename or merge it first, then run the unmerge again",
            )
        sid = store.restore_row(conn, m["source_before"])
        cleared: list[str] = []
        notes_back = False
        block = m["target_filled"].get(NOTES_ADDED)
        if tid is not None:
            others = [o for o in store.merges_into(conn, m["target_uuid"]) if o["id"] != m["id"]]
            cleared = store.clear_filled(conn, tid, m["target_filled"], now, others)
            notes_back = _take_out_note(ctx, tid, block, now)
            names: tuple[str, ...] = (m["target_name"], _one(ctx, tid)["name"])
        else:
            # the organization the merge kept was deleted since, its contacts unlinked with its name as
            # their company: they come back as they would have from it, the journal knows who they were
            names = (m["target_name"],)
        returned, kept = 0, []
        for contact_uuid, company in m["contacts"]:
            if store.give_back_contact(
                conn, contact_uuid, frm=tid, frm_names=names, to=sid, company=company, now=now
            ):
                returned += 1
            elif cstore.rowid_for_uuid(conn, contact_uuid) is not None:
                kept.append(contact_uuid)
        # once unmerged the name is its own organization's again: a contact that joined the target since
        # by naming the merged one as its company comes with it (else its company and organization disagree)
        returned += store.take_back_by_company(conn, frm=tid, to=sid, name=name, now=now)

        if tid is not None:  # remembered as dismissed, so `orgs duplicates scan` never merges the two again
            pair = istore.org_matches(conn).get(frozenset((tid, sid)))
            if pair is None:
                istore.insert_org_match(
                    conn, tid, sid, score=1.0, method="unmerge", status="dismissed", now=now
                )
            else:
                istore.update_org_match(
                    conn, pair["_rowid"], match_method="unmerge", status="dismissed", resolved_at=now
                )
        store.mark_merge_undone(conn, m["_rowid"], now)
    return Result(
        {
            "merge_id": m["id"],
            "unmerged": True,
            "organization_id": m["source_uuid"],
            "name": name,
            "target_id": m["target_uuid"],
            "contacts_returned": returned,
            "contacts_kept_on_target": kept,
            "target_fields_cleared": cleared,
            "target_notes_restored": notes_back,
            # the block the merge wrote into the kept one's notes, edited since and so left there
            "target_notes_left": bool(block) and tid is not None and not notes_back,
            "target_deleted": tid is None,
        }
    )


def _take_out_note(ctx: Context, tid: int, block: str | None, now: str) -> bool:
    """Take back from the kept organization's notes the block a merge added (`_kept_note`), the last time
    it stands there as a paragraph of its own: its notes are as they were before the merge, whatever was
    added after it staying. False when there was none, or it was edited since (the notes stay as they are)."""
    notes = (store.get(ctx.conn, tid) or {}).get("notes") or ""
    if not block:
        return False
    if notes == block:
        rest = ""
    elif notes.endswith("\n\n" + block):
        rest = notes[: -len(block) - 2]
    elif ("\n\n" + block + "\n\n") in notes:
        head, _, tail = notes.rpartition("\n\n" + block + "\n\n")
        rest = f"{head}\n\n{tail}"
    elif notes.startswith(block + "\n\n"):
        rest = notes[len(block) + 2 :]
    else:
        return False
    store.update(ctx.conn, tid, {"notes": rest or None}, now)
    return True


def merge_history(ctx: Context, *, limit: Any = None, offset: Any = None) -> Result:
    """`pcrm orgs merges`: the organization merge journal, newest first."""
    lim, off = parse_limit_offset(limit, offset, default=50, hi=500)
    items, total = store.merge_history(ctx.conn, lim, off)
    return Result(items, {"total": total, "limit": lim, "offset": off})


def organization_stats(ctx: Context, org_id: str) -> Result:
    """GET /organizations/{id}/stats -> {organization_id, contact_count, avg_relationship_score,
    total_interactions, last_interaction_at} over its non-archived contacts, and `archived_contact_count`,
    the archived ones they leave out, as the organization itself says it [org-counts]."""
    oid = org_rowid(ctx, org_id)
    s = store.stats_for(ctx.conn, [oid]).get(oid) or {
        "contact_count": 0,
        "avg_relationship_score": 0,
        "total_interactions": 0,
        "last_interaction_at": None,
    }
    archived = store.archived_counts(ctx.conn, [oid]).get(oid, 0)
    return Result({"organization_id": str(org_id).lower(), **s, "archived_contact_count": archived})


def _logos_enabled(ctx: Context) -> None:
    if not ctx.setting("logos.enabled"):
        raise FeatureDisabled(
            "logo fetching is off: it downloads favicons from organizations' websites",
            hint="turn it on with `pcrm settings set logos.enabled true`",
            details={"setting": "logos.enabled"},
        )


def backfill_logos(ctx: Context, *, wait: bool = False) -> Result:
    """POST /organizations/backfill-logos (off unless logos.enabled, [network-opt-in]): every organization
    with a domain or website and no logo, in the background ({queued: true}); `wait` (the CLI) fetches
    them now and says how many came ({queued: false, fetched, failed}) [safe-fetch]."""
    from pcrm.services import logos

    _logos_enabled(ctx)
    oids = store.without_logo(ctx.conn)
    if wait:
        return Result({"queued": False, **logos.backfill(ctx, oids)})
    logos.backfill_in_background(ctx, oids)
    return Result({"queued": True})


def refresh_logo(ctx: Context, org_id: str, *, force: Any = False) -> Result:
    """POST /organizations/{id}/refresh-logo?force= (off unless logos.enabled, [network-opt-in]): at most
    once an hour unless forced → {logo_url, refreshed}, with `reason` when nothing was fetched
    (refreshed_recently, no_domain_or_website, not_found) [safe-fetch]. A new logo is journalled as the
    organization's edit: meta.bulk_update_id and meta.undo name its undo [bulk-undo]."""
    from pcrm.services import logos

    oid = org_rowid(ctx, org_id)
    forced = bool(parse_bool(force, "force"))
    _logos_enabled(ctx)
    got = logos.fetch_one(ctx, oid, force=forced, journal=True)
    bid = got.pop("bulk_update_id", None)  # a new logo is journalled: its undo [bulk-undo]
    meta = {"bulk_update_id": bid, "undo": bulk_undo_command(bid)} if bid else {}
    return Result(got, meta)


def bulk_undo_command(bid: str) -> str:
    """services.bulk.undo_command, imported when a change was journalled."""
    from pcrm.services import bulk

    return bulk.undo_command(bid)
