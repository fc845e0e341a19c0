"""Changes over many contacts: bulk-update [bulk-edits], reconcile last_interaction_at [future-interactions],
and the
2nd tier ([second-tier]: the marker is the lowercase tag `2nd tier`)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence
from typing import Any

from pcrm.domain.contact_input import MAX_TAGS as MAX_CONTACT_TAGS
from pcrm.domain.contact_input import past_tag_cap, tag_values
from pcrm.domain.dates import local_moment
from pcrm.domain.normalize import search_term
from pcrm.domain.query import parse_limit
from pcrm.domain.wording import counted, field_words
from pcrm.errors import BadRequest, Conflict, NotFound, ValidationError
from pcrm.services import hand_edits, scores
from pcrm.services.contacts import contact_filter, missing_ids, no_tag_error, rowid
from pcrm.services.context import Context, Result
from pcrm.services.organizations import assign_for_company
from pcrm.store import ai as ai_store
from pcrm.store import bulk_journal, contact_query, suggestions
from pcrm.store import contact_bulk as store
from pcrm.store import contacts as cstore
from pcrm.store.db import write

BODY_KEYS = ("contact_ids", "add_tags", "remove_tags", "priority_level", "company")
PRIORITIES = ("low", "medium", "high", "archived")
MAX_IDS = 500
MAX_TAGS = MAX_CONTACT_TAGS  # as many as a contact holds [contact-tags]
SECOND_TIER = store.SECOND_TIER
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_HINT = 'e.g. pcrm contacts bulk-update "Ada Lovelace" "Shafi Okafor" --add-tag investor --priority high'
# "nothing to change" in the API's terms [error-detail]; the CLI says its options (NOTHING_TO_CHANGE_CLI)
NOTHING_TO_CHANGE = (
    'give add_tags, remove_tags, priority_level or company, e.g. {"contact_ids": ["ID"], "add_tags": '
    '["investor"], "priority_level": "high"}'
)
NOTHING_TO_CHANGE_CLI = "give --add-tag, --remove-tag, --priority or --company; " + _HINT
ASK_OVER = 5  # at a terminal, a bulk update (or its undo) changing more contacts than this asks first


def _tag_list(value: Any, field: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise ValidationError(f"{field} must be a list of tags", field=field, hint=_HINT)
    if len(value) > MAX_TAGS:
        raise ValidationError(
            f"{field} takes at most {MAX_TAGS} tags",
            field=field,
            hint="split the change into several bulk updates",
        )
    return tag_values(field, value)  # a contact's tag rules: text, length, no control characters


def _parse(body: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(body, Mapping):
        raise ValidationError("the bulk update must be an object", field="body", hint=_HINT)
    unknown = set(body) - set(BODY_KEYS)
    if unknown:
        raise ValidationError(
            f"unknown bulk-update field {', '.join(sorted(unknown))}",
            field=min(unknown),
            hint=f"fields: {', '.join(BODY_KEYS)}",
        )
    out: dict[str, Any] = {
        "add_tags": _tag_list(body.get("add_tags"), "add_tags"),
        "remove_tags": _tag_list(body.get("remove_tags"), "remove_tags"),
    }
    both = set(out["add_tags"]) & set(out["remove_tags"])
    if both:
        raise ValidationError(
            f"cannot both add and remove {', '.join(sorted(both))}",
            field="remove_tags",
            hint="add and remove different tags",
        )
    p = body.get("priority_level")
    if p is not None:
        v = str(p).strip().lower()
        if v not in PRIORITIES:
            raise ValidationError(
                f"unknown priority {p!r}", field="priority_level", hint=f"use one of: {', '.join(PRIORITIES)}"
            )
        out["priority_level"] = v
    if body.get("company") is not None:  # null means "leave it" (as in the reference); "" clears it
        out["company"] = " ".join(str(body["company"]).split()) or None
    if not (out["add_tags"] or out["remove_tags"] or "priority_level" in out or "company" in out):
        raise ValidationError(
            "nothing to change",
            field="body",
            hint=NOTHING_TO_CHANGE,
        )
    return out


def _target_ids(ctx: Context, contact_ids: Any, filters: Mapping[str, Any] | None) -> list[int]:
    if contact_ids is not None and filters is not None:
        raise ValidationError("give contacts or filters, not both", field="contact_ids", hint=_HINT)
    if filters is not None:
        term = filters.get("search")
        blank = "search" in filters and (term is None or (isinstance(term, str) and not search_term(term)))
        if blank:  # "", "  ", "@": no term, and no filter at all
            raise ValidationError(
                f"search={filters['search']!r} is no term once trimmed: it would select every contact",
                field="search",
                hint="give a term (search=ada), or leave search out to select by the other filters",
            )
        f = contact_filter(ctx, filters)
        ids, _ = contact_query.list_ids(ctx.conn, f, limit=None)
        if not ids:  # an empty selection is a mistake to say, not "updated 0" [unknown-tags]
            raise no_tag_error(ctx, filters) or NotFound(
                "no contact matches the --where filters",
                hint="`pcrm contacts list` with the same filters (--tag investor for tag=investor) "
                "shows who they select",
            )
        return ids
    if not isinstance(contact_ids, (list, tuple)) or not contact_ids:
        raise ValidationError(
            "contact_ids must be a non-empty list of contact ids", field="contact_ids", hint=_HINT
        )
    if len(contact_ids) > MAX_IDS:
        raise ValidationError(
            f"at most {MAX_IDS} contacts per bulk update",
            field="contact_ids",
            hint="split the list, or select with --where filters in the CLI",
        )
    uuids = list(dict.fromkeys(str(c).strip().lower() for c in contact_ids))
    bad = [u for u in uuids if not _UUID.match(u)]
    found = store.rowids_for_uuids(ctx.conn, [u for u in uuids if _UUID.match(u)])
    missing = bad + [u for u in uuids if _UUID.match(u) and u not in found]
    if missing:
        raise missing_ids(ctx, missing, "list contacts with `pcrm contacts ids`")
    return [found[u] for u in uuids]


def bulk_update(
    ctx: Context, body: Mapping[str, Any], *, filters: Mapping[str, Any] | None = None, dry_run: bool = False
) -> Result:
    """POST /contacts/bulk-update {contact_ids (<= 500), add_tags?, remove_tags? (<= 50 each, normalised),
    priority_level?, company? ("" clears it; null leaves it)} -> {updated: n}, n = the contacts selected;
    meta.changed counts those whose tags, priority or company the update changed [bulk-edits]. Only those
    are written to (updated_at, the edited fields; a tag added to one that had it moves nothing), while a
    value typed is recorded as the user's on every contact selected, in the edit journal [hand-edits].

    Instead of contact_ids the CLI may pass `filters` (the contact list's filters, any number of contacts).
    Archiving dismisses pending and snoozed suggestions (meta.suggestions_dismissed); a new company relinks
    the organization [company-orgs]; tags and company count as user edits [protected-fields]. With dry_run
    nothing is written, and data.contacts names those that would change. An update that changes someone
    is journalled [bulk-undo]: data.bulk_update_id names it and meta.undo says the CLI's undo."""
    changes = _parse(
        {k: v for k, v in body.items() if k != "contact_ids"} if isinstance(body, Mapping) else body
    )
    selected = _target_ids(ctx, body.get("contact_ids"), filters)
    if dry_run:  # who would change, in the selection's order [bulk-edits]
        _check_tag_cap(ctx, selected, changes)
        ids = _changing(ctx, selected, changes)
        return Result(
            {"updated": len(selected), "contacts": _named(ctx, ids)},
            {"dry_run": True, "changed": len(ids), **second_tier_said(ctx, _tiering(ctx, selected, changes))},
        )
    now = ctx.now_iso()
    conn = ctx.conn
    dismissed = 0
    with write(conn):
        # inside the write: what it says it changed. Each change reaches only the contacts it changes, and
        # only those are marked edited and get a new updated_at [bulk-edits]
        _check_tag_cap(ctx, selected, changes)  # inside the write: the tags the contacts hold now
        tier_said = second_tier_said(ctx, _tiering(ctx, selected, changes))  # [second-tier]
        tagged = _changing(
            ctx, selected, {"add_tags": changes["add_tags"], "remove_tags": changes["remove_tags"]}
        )
        ranked = _changing(ctx, selected, {"priority_level": changes.get("priority_level")})
        moved = _changing(ctx, selected, {"company": changes["company"]} if "company" in changes else {})
        some = set(tagged) | set(ranked) | set(moved)
        changing = [i for i in selected if i in some]
        # [hand-edits]: a value typed (a tag to add, a priority, a company) is the user's on every contact
        # selected, also where it already was (an import's undo then keeps it): the edit journal, which no
        # view shows, records it on each; a removal alone records nothing where it removed nothing
        typed: dict[str, list[Any]] = {"fields": [f for f in ("priority_level", "company") if f in changes]}
        if changes["add_tags"]:
            typed["tags"] = changes["add_tags"]
        typed = {k: v for k, v in typed.items() if v}
        wrote = hand_edits.record(conn, selected if typed else changing, typed, now)
        if not changing:
            return Result({"updated": len(selected)}, {"suggestions_dismissed": 0, "changed": 0})
        # [bulk-undo]: what the contacts held before, to journal what the update changed on each
        before = bulk_journal.states(conn, changing)
        archiving = changes.get("priority_level") == "archived"
        opened = bulk_journal.open_suggestions(conn, ranked) if archiving else {}
        if changes["add_tags"]:
            store.add_tags(conn, tagged, changes["add_tags"])
        if changes["remove_tags"]:
            store.remove_tags(conn, tagged, changes["remove_tags"])
        if changes.get("priority_level") == "archived":
            for cid in ranked:  # not archived yet: the others have nothing open
                dismissed += suggestions.dismiss_open_for_contact(conn, cid, now)
        if "priority_level" in changes:
            store.set_priority(conn, ranked, changes["priority_level"])
        made: list[str] = []
        given: dict[int, dict[str, Any]] = {}  # organizations given a domain: as they were [bulk-undo]

        def giving(oid: int) -> None:
            if oid not in given and (was := bulk_journal.organization_state(conn, oid)) is not None:
                given[oid] = was

        if "company" in changes:
            store.set_company(conn, moved, changes["company"])
            if changes["company"]:
                top = bulk_journal.newest_organization(conn)
                for cid in moved:
                    assign_for_company(ctx, cid, now, before_change=giving)
                made = bulk_journal.organizations_after(conn, top)
        store.mark_edited(conn, tagged, ["tags"], now)  # [protected-fields]
        store.mark_edited(conn, moved, ["company"], now)
        store.touch(conn, changing, now)
        # the undo drops the organizations made, unused since, and takes back a domain given
        asked = dict(changes)
        if made:  # with their values as made: one edited since is the user's, and stays
            asked["organizations_made"] = made
            asked["organizations_made_as"] = bulk_journal.organization_values(conn, made)
        if given:
            asked["organizations_given_domain"] = [
                {**was, "given": bulk_journal.organization_domain(conn, was["uuid"])}
                for was in given.values()
            ]
        bid = journal(conn, "bulk-update", asked, before, now, opened=opened, hand=wrote)
    return Result(
        {"updated": len(selected), "bulk_update_id": bid},
        {
            "suggestions_dismissed": dismissed,
            "changed": len(changing),
            "undo": undo_command(bid),
            **tier_said,
        },
    )


def _tiering(ctx: Context, ids: Sequence[int], changes: Mapping[str, Any]) -> list[int]:
    """Those of these contacts a bulk update adding the `2nd tier` marker gives it to (they hold it not)."""
    if SECOND_TIER not in changes["add_tags"]:
        return []
    held = cstore.tag_lists(ctx.conn, list(ids))
    return [cid for cid in ids if SECOND_TIER not in (held.get(cid) or ())]


def second_tier_said(ctx: Context, given: Sequence[int]) -> dict[str, Any]:
    """What a change over many contacts that gave these (rowids) the `2nd tier` marker says of those of them
    you talked with, as one contact's edit says it [second-tier]: the tag is kept (the user's), and hides them
    from suggestions and the map until their next interaction -> meta {note: in words, with how many and the
    first few names; second_tier_talked: {count, contacts: [{id, full_name, display_name}] (the first few)}};
    {} when none of them has a direct interaction."""
    from pcrm.store import second_tier as tier_store

    talked = tier_store.talked_with(ctx.conn, list(given)) if given else []
    if not talked:
        return {}
    shown = _named(ctx, talked[:SHOWN_OVER])
    names = ", ".join(c["display_name"] for c in shown)
    if len(talked) > len(shown):
        names += f" and {counted(len(talked) - len(shown), 'other')}"
    who = f"{names} has" if len(talked) == 1 else f"{counted(len(talked), 'contact')} have"
    why = "" if len(talked) == 1 else f" ({names})"
    note = (
        f"{who} talked with you{why}: `{SECOND_TIER}` is for group members you never talked to, and goes at "
        "their next interaction; `pcrm second-tier rm` keeps them"
    )
    return {"note": note, "second_tier_talked": {"count": len(talked), "contacts": shown}}


# ------------------------------------------------------------------ undo [bulk-undo]


def undo_command(bid: str) -> str:
    """The CLI command that takes a journalled change back [bulk-undo]."""
    return f"pcrm contacts bulk-undo {bid[:8]}"


_FIELDS = ("tags", "priority_level", "company")
_UNDO_HINT = (
    "`pcrm contacts bulk-updates` lists them with their ids (and `pcrm contacts bulk-update` says its id: "
    "data.bulk_update_id in --json)"
)


ORG_FIELDS = ("company", "organization")  # what an organization's edit or removal changes on its contacts


def entries_since(
    conn: Any,
    before: Mapping[int, dict[str, Any]],
    opened: Mapping[int, list[list[str]]] | None = None,
    *,
    fields: Sequence[str] = _FIELDS,
) -> list[dict[str, Any]]:
    """What a change did to each of these contacts since they held `before` (bulk_journal.states), as the
    journal keeps it [bulk-undo]: the `fields` it changed with their values before and after (tags as the
    ordered list; the company with its organization; ORG_FIELDS: the organization link also alone, with the
    company it held then, so that an undo leaves a contact whose company changed since alone), the
    protected-field marks it added, the suggestions archiving dismissed (`opened`), and its updated_at
    before and after (an undo that puts every value back puts that back too)."""
    after = bulk_journal.states(conn, list(before))
    entries: list[dict[str, Any]] = []
    for cid, was in before.items():
        now_ = after.get(cid)
        if now_ is None:
            continue
        changed = [f for f in fields if was[f] != now_[f]]
        if not changed:
            continue
        old = {f: was[f] for f in changed}
        new = {f: now_[f] for f in changed}
        if "company" in changed:
            old["organization"], new["organization"] = was["organization"], now_["organization"]
        entry: dict[str, Any] = {
            "uuid": was["uuid"],
            "before": old,
            "after": new,
            "updated_at": [was["updated_at"], now_["updated_at"]],
        }
        if "organization" in changed and "company" not in changed:  # the link alone: its company with it
            entry["company"] = now_["company"]
        added = [f for f in now_["user_edited_fields"] if f not in was["user_edited_fields"]]
        if added:
            entry["edited_added"] = added
        if opened and opened.get(cid):
            entry["reopen"] = opened[cid]
        entries.append(entry)
    return entries


def journal(
    conn: Any,
    kind: str,
    changes: Mapping[str, Any],
    before: Mapping[int, dict[str, Any]],
    now: str,
    *,
    opened: Mapping[int, list[list[str]]] | None = None,
    hand: Sequence[dict[str, Any]] = (),
    uuid: str | None = None,
    fields: Sequence[str] = _FIELDS,
) -> str:
    """Journal a change over many contacts [bulk-undo] (`kind`: bulk-update, tags-apply, tags-rename,
    tags-delete, auto-tag, org-edit, org-delete), inside its transaction: what it changed on each contact
    since `before` (in `fields`), and the edit journal rows it wrote (`hand`: hand_edits.record's answer);
    the journal's id (`uuid` when given)."""
    entries = entries_since(conn, before, opened, fields=fields)
    return bulk_journal.add(conn, dict(changes), entries, now, kind=kind, hand_edits=hand, uuid=uuid)


def journal_archive(
    conn: Any,
    cid: int,
    before: Mapping[int, dict[str, Any]],
    opened: Mapping[int, list[list[str]]],
    now: str,
    *,
    alone: bool,
    via: str,
) -> str:
    """Journal one contact's edit that archived it and dismissed its open suggestions (kind
    contact-archive) [bulk-undo], as a bulk update's archiving is: its undo gives the priority back and
    reopens the suggestions nothing has touched since. `before`: bulk_journal.states of the contact before
    the edit; `alone`: the edit changed nothing but the priority (its updated_at then goes back too)."""
    entries = entries_since(conn, before, opened, fields=("priority_level",))
    for e in entries:
        e.pop("edited_added", None)  # the other fields the edit typed stay the user's
        if not alone:
            e.pop("updated_at", None)
    changes = {
        "priority_level": "archived",
        "contact_name": cstore.display_names(conn, [cid]).get(cid) or "",
        "via": via,
    }
    return bulk_journal.add(conn, changes, entries, now, kind="contact-archive")


def _via(changes: Mapping[str, Any]) -> str:
    """The command or route of a contact's journalled edit; an entry written before it was kept says
    neither."""
    return changes.get("via") or "an edit of the contact"


LIST_LIMIT = 20  # the changes `pcrm contacts bulk-updates` lists by default
LIST_MAX = 500


def _listed_tags(tags: Sequence[str]) -> str:
    return ("tag " if len(tags) == 1 else "tags ") + ", ".join(repr(t) for t in tags)


def what(kind: str, changes: Mapping[str, Any]) -> str:
    """A journalled change in words, as `pcrm contacts bulk-updates` lists it: "add tag 'vip'; priority
    high", "AI tagging", "rename tag 'conf' to 'events'", "delete tag 'conf'"."""
    if kind == "tags-apply":
        return "AI tagging (pcrm tags apply)"
    if kind == "tags-rename":
        verb = "merge tag {!r} into {!r}" if changes.get("merged") else "rename tag {!r} to {!r}"
        return verb.format(changes.get("old"), changes.get("new"))
    if kind == "tags-delete":
        return f"delete tag {changes.get('tag')!r}"
    if kind == "auto-tag":
        return "AI tagging of one contact (pcrm contacts auto-tag)"
    if kind == "contact-company":
        return f"{_company_change(changes)} ({_via(changes)})"
    if kind == "contact-archive":
        return f"archive {changes.get('contact_name') or 'one contact'} ({_via(changes)})"
    org = changes.get("organization") or {}
    if kind == "org-add":
        return f"add organization {changes.get('organization_added')!r} (linking its contacts)"
    if kind == "org-delete":
        return f"delete organization {org.get('name')!r}"
    if kind == "org-edit":
        return _org_edit_words(org)
    parts: list[str] = []
    if changes.get("add_tags"):
        parts.append("add " + _listed_tags(changes["add_tags"]))
    if changes.get("remove_tags"):
        parts.append("remove " + _listed_tags(changes["remove_tags"]))
    if changes.get("priority_level"):
        parts.append(f"priority {changes['priority_level']}")
    if "company" in changes:
        parts.append(f"company {changes['company']!r}" if changes["company"] else "clear company")
    return "; ".join(parts) or "bulk update"


def change_words(kind: str, changes: Mapping[str, Any]) -> str:
    """What an undo undoes, named by its kind [bulk-undo]: "rename of organization 'Globex' to 'Globex
    Inc'", "edit of organization 'Globex'", "removal of organization 'Globex'", "addition of organization
    'Globex'"; "bulk update" for the changes over contacts (a bulk update, AI tagging, a tag's edit)."""
    org = changes.get("organization") or {}
    if kind == "org-edit":
        was, now_ = org.get("before") or {}, org.get("after") or {}
        if org.get("logo_fetch"):  # `pcrm orgs logos ORG`
            return f"new logo of organization {org.get('name')!r}"
        if "name" in was:
            return f"rename of organization {was['name']!r} to {now_.get('name', org.get('name'))!r}"
        return f"edit of organization {org.get('name')!r}"
    if kind == "org-delete":
        return f"removal of organization {org.get('name')!r}"
    if kind == "org-add":
        return f"addition of organization {changes.get('organization_added')!r}"
    if kind == "contact-company":
        return _company_change(changes)
    if kind == "contact-archive":
        return f"archiving of {changes.get('contact_name') or 'one contact'}"
    return "bulk update"


def _company_change(changes: Mapping[str, Any]) -> str:
    """A contact's company edit that made an organization, in words: "company 'New Co' of Ada Lovelace"
    ("...; archived" when the same edit archived it)."""
    said = f"company {changes.get('company')!r} of {changes.get('contact_name') or 'one contact'}"
    return f"{said}; archived" if changes.get("archived") else said


def _org_edit_words(org: Mapping[str, Any]) -> str:
    """An organization's edit in words: "rename organization 'Globex' to 'Globex Inc'; domain globex.com",
    "organization 'Globex': edit industry, notes"."""
    was, now_ = org.get("before") or {}, org.get("after") or {}
    if org.get("logo_fetch"):  # `pcrm orgs logos ORG`
        return f"organization {org.get('name')!r}: new logo"
    parts = [f"rename organization {was['name']!r} to {now_['name']!r}"] if "name" in was else []
    if "domain" in was:
        parts.append(f"domain {now_['domain']}" if now_["domain"] else "clear domain")
    rest = [f for f in was if f not in ("name", "name_fold", "domain", "updated_at")]
    if rest:
        parts.append("edit " + ", ".join(field_words(f) for f in rest))
    named = "" if "name" in was else f"organization {org.get('name')!r}: "
    return named + ("; ".join(parts) or "edit")


def _partly(r: Mapping[str, Any]) -> dict[str, Any]:
    """{partly_undone, restored, left} of a listed change: an undo that put back some of its contacts and
    left the others (edited since, or merged away) keeps it open for those [bulk-undo]; restored counts
    the contacts put back so far, left those still to undo (null unless partly undone)."""
    if r["undone_at"] or "partly_undone_at" not in r["changes"]:
        return {"partly_undone": False, "partly_undone_at": None, "restored": None, "left": None}
    return {
        "partly_undone": True,
        "partly_undone_at": r["changes"]["partly_undone_at"],
        "restored": r["changes"].get("restored", 0),
        "left": r["contacts"],
    }


def list_updates(ctx: Context, *, limit: Any = None) -> Result:
    """GET /contacts/bulk-updates (ours), `pcrm contacts bulk-updates`: the changes over many contacts that
    `pcrm contacts bulk-undo` takes back [bulk-undo] (bulk updates, AI tagging, tag renames and deletes),
    newest first -> [{id, kind, what, created_at, contacts: how many it changed, undone, undone_at,
    partly_undone, partly_undone_at, restored, left (`_partly`), undo: the CLI's undo, null once undone}];
    meta {total, limit} (limit 1-500, default 20)."""
    n = parse_limit(limit, default=LIST_LIMIT, hi=LIST_MAX)
    found, total = bulk_journal.listing(ctx.conn, n)
    items = [
        {
            "id": r["uuid"],
            "kind": r["kind"],
            "what": what(r["kind"], r["changes"]),
            "created_at": r["created_at"],
            "contacts": r["changes"].get("changed") or r["contacts"],  # an undo left some: all it changed
            "undone": r["undone_at"] is not None,
            "undone_at": r["undone_at"],
            **_partly(r),
            "undo": None if r["undone_at"] else undo_command(r["uuid"]),
        }
        for r in found
    ]
    return Result(items, {"total": total, "limit": n})


def _find_update(ctx: Context, ref: str) -> dict[str, Any]:
    low = (ref or "").strip().lower()
    if len(low) < 4:
        raise ValidationError(
            "give at least 4 characters of the bulk update's id", field="bulk_update_id", hint=_UNDO_HINT
        )
    found = bulk_journal.find(ctx.conn, low)
    if not found:
        raise NotFound(f"no bulk update {ref}", hint=_UNDO_HINT)
    exact = next((b for b in found if b["uuid"] == low), None)
    if exact is None and len(found) > 1:
        raise BadRequest(f"{ref!r} matches {len(found)} bulk updates", hint="give more of the id")
    update = exact or found[0]
    if update["undone_at"]:
        raise Conflict(
            f"bulk update {update['uuid'][:8]} was already undone at "
            f"{local_moment(update['undone_at'], ctx.tz())}",
            hint="nothing left to take back; `pcrm contacts list` shows the contacts as they are",
        )
    return update


def undo_target(ctx: Context, ref: str) -> dict[str, Any]:
    """The bulk update `pcrm contacts bulk-undo REF` would undo ({id, created_at, contacts: how many it
    changed, change: it in words, `change_words`}), or the error the undo would give (no such update, an
    ambiguous prefix, already undone): what the CLI checks before it asks, so a wrong id is said at once."""
    u = _find_update(ctx, ref)
    change = change_words(u["kind"], u["changes"])
    return {"id": u["uuid"], "created_at": u["created_at"], "contacts": len(u["contacts"]), "change": change}


def _later_edit(was: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    """What was changed on a contact since the bulk update left it `was` (the fields it changed): empty
    when it still holds what the update left."""
    why: list[str] = []
    for field, value in was.items():
        if now[field] == value:
            continue
        if field == "organization":  # said with the company, unless the link alone changed (ORG_FIELDS)
            if "company" not in was:
                why.append(
                    "it is linked to another organization now"
                    if now[field]
                    else "its organization link was removed"
                )
            continue
        if field == "tags":
            why.append(f"its tags are now {', '.join(now['tags']) or 'none'}")
        elif field == "priority_level":
            why.append(f"its priority is now {now[field]}, not {value}")
        else:
            why.append(f"its company is now {now[field] or 'none'}, not {value or 'none'}")
    return why


def undo(ctx: Context, ref: str, *, dry_run: bool = False) -> Result:
    """POST /contacts/bulk-updates/{id}/undo: put back what a bulk update changed [bulk-undo], exactly (tags
    in their order, the company with its organization, the protected-field marks it added, the suggestions
    archiving dismissed). A contact changed since in a field the update changed is left alone and named in
    data.kept (with why); one deleted since is counted in data.gone. -> {bulk_update_id, restored,
    contacts: [{id, full_name, display_name}], kept: [{id, display_name, why}], gone}; an update undone
    already is a 409. An organization's edit or removal puts the organization back first
    (meta.organization_restored), or is a 409 that changes nothing when it cannot (organizations.check_undo).
    A contact put back whole gets its updated_at from before the change (`_stamp`). With dry_run nothing is
    written."""
    from pcrm.services import organizations

    conn = ctx.conn
    now = ctx.now_iso()
    with write(conn):
        update = _find_update(ctx, ref)
        org_change = update["changes"].get("organization")  # an organization's edit or removal
        if org_change and org_change.get("done"):  # put back by an earlier undo that left some contacts
            org_change = None
        if org_change:  # refused as a whole when the organization cannot be put back (a 409)
            organizations.check_undo(ctx, org_change)
        entries = update["contacts"]
        rowids = store.rowids_for_uuids(conn, [e["uuid"] for e in entries])
        current = bulk_journal.states(conn, list(rowids.values()))
        restore: list[tuple[int, dict[str, Any]]] = []
        kept: list[tuple[int, list[str]]] = []
        for e in entries:
            cid = rowids.get(e["uuid"])
            if cid is None:
                continue
            why = _later_edit(e["after"], current[cid])
            # the link alone changed (ORG_FIELDS): its company changed since, it was relinked by hand. Only
            # such an entry is checked on its company: entries journalled by an older pcrm hold it on every
            # contact, also where the change never touched the company or the link
            if (
                "company" in e
                and "organization" in e["after"]
                and "company" not in e["after"]
                and current[cid]["company"] != e["company"]
            ):
                why.append(
                    f"its company is now {current[cid]['company'] or 'none'}, not {e['company'] or 'none'}"
                )
            if why:
                kept.append((cid, why))
            else:
                restore.append((cid, e))
        reopened = 0
        still: set[str] = set()
        journalled = {e["uuid"] for e in entries}
        org_said: dict[str, Any] = {}
        if org_change and (renamed := organizations.joined_since(ctx, org_change, journalled)):
            org_said["contacts_renamed"] = len(renamed)
        if not dry_run:
            if org_change:  # first: the contacts' organization is found again by its uuid
                org_said = organizations.undo_change(ctx, org_change, now, journalled=journalled)
            for cid, e in restore:
                values = dict(e["before"])
                org = values.pop("organization", None)
                if "company" in values or "organization" in e["before"]:
                    values["organization_id"] = bulk_journal.organization_id(conn, org) if org else None
                added = set(e.get("edited_added") or ())
                edited = [f for f in current[cid]["user_edited_fields"] if f not in added]
                bulk_journal.put_back(conn, cid, values, edited, _stamp(e, current[cid], now))
                if "company" in values and values["organization_id"] is None:
                    assign_for_company(ctx, cid, now)  # its organization is gone: by the name, as a new one
                reopened += bulk_journal.reopen(conn, e.get("reopen") or (), now)
            # [hand-edits]: what the change typed is not the user's any more, but on a contact edited
            # since (left holding the change's values) and one gone
            left = {current[cid]["uuid"] for cid, _ in kept} | {
                e["uuid"] for e in entries if e["uuid"] not in rowids
            }
            hand_edits.take_back(conn, update["hand_edits"], left)
            taxonomy = _taxonomy_back(conn, update["changes"].get("taxonomy"), now)
            # an organization the update made for its company goes with it, unless used since
            dropped, used, gone = bulk_journal.drop_unused_organizations(
                conn,
                update["changes"].get("organizations_made") or (),
                update["changes"].get("organizations_made_as"),
                undoing=update["uuid"],
            )
            for was in update["changes"].get("organizations_given_domain") or ():
                bulk_journal.put_back_organization(conn, was, was["given"])
            # those left alone stay in the entry, for an undo once their later edit is undone (another bulk
            # update's undo, say), and so do those merged away, for one after an unmerge: marked undone, no
            # undo would ever reach them again
            still = {current[cid]["uuid"] for cid, _ in kept} | bulk_journal.merged_away(
                conn, [e["uuid"] for e in entries if e["uuid"] not in rowids]
            )
            if still:
                _keep_open(conn, update, still, restored=len(restore), now=now)
            else:
                bulk_journal.mark_undone(conn, update["uuid"], now)
        else:
            taxonomy = _taxonomy_back(conn, update["changes"].get("taxonomy"), now, dry_run=True)
            # which organizations it made would go, once the contacts it puts back are off them
            dropped, used, gone = bulk_journal.drop_unused_organizations(
                conn,
                update["changes"].get("organizations_made") or (),
                update["changes"].get("organizations_made_as"),
                dry_run=True,
                leaving=[cid for cid, _ in restore],
                undoing=update["uuid"],
            )
        named = cstore.named(conn, [cid for cid, _ in restore] + [cid for cid, _ in kept])
    stuck: list[str] = []
    if not dry_run:  # the logo files of the organizations it deleted, and the copy an edit's undo put back
        from pcrm.services import logos

        touched = [*gone, *([org_change["uuid"]] if org_change else [])]
        if touched:
            logos.tidy(ctx, touched, gone=gone, stuck=stuck)
    data = {
        "bulk_update_id": update["uuid"],
        "kind": update["kind"],
        "change": change_words(update["kind"], update["changes"]),
        "restored": len(restore),
        "contacts": [named[cid] for cid, _ in restore if cid in named],
        "kept": [{**named[cid], "why": why} for cid, why in kept if cid in named],
        "gone": len(entries) - len(rowids),
    }
    meta: dict[str, Any] = {"suggestions_reopened": reopened}
    if still:  # the entry stays open for some [bulk-undo]
        meta["undo"] = undo_command(update["uuid"])
    if taxonomy is not None:
        meta["taxonomy_restored"] = taxonomy
    if org_change:  # an organization's edit or removal: put back (a 409 before anything otherwise)
        meta["organization_restored"] = (org_change.get("before") or {}).get("name", org_change["name"])
    # a rename's undo: the contacts linked to it since, given its old name [company-orgs]; the logo file an
    # edit wrote over, put back (false: its kept copy is gone)
    meta.update(org_said)
    if dropped or used:  # the organizations the change made (or an add added): taken out, or used since
        meta["organizations_dropped"], meta["organizations_left"] = dropped, used
    if stuck:  # the undo holds; a logo file it no longer needs would not go [bulk-undo]
        meta["logo_files_left"] = stuck
        meta["note"] = (
            f"could not remove {counted(len(stuck), 'logo file')} it no longer needs "
            f"({', '.join(stuck[:3])}{', ...' if len(stuck) > 3 else ''}): `pcrm db check --fix` tries again"
        )
    if dry_run:
        meta["dry_run"] = True
    return Result(data, meta)


def _stamp(entry: Mapping[str, Any], current: Mapping[str, Any], now: str) -> str:
    """The updated_at an undo gives a contact it puts back [bulk-undo]: the one it had before the change
    when nothing has touched it since (it still holds the updated_at the change left), so that a contact
    whose every value is back reads as it did; now otherwise (and for entries journalled without it)."""
    stamps = entry.get("updated_at")
    if stamps and current.get("updated_at") == stamps[1] and stamps[0]:
        return str(stamps[0])
    return now


def _keep_open(conn: Any, update: Mapping[str, Any], left: set[str], *, restored: int, now: str) -> None:
    """After an undo that left these contacts (uuids) alone, the update's entry holds only what it did to
    them and the edit journal rows it wrote on them; the taxonomy, the domains given and an organization's
    own values were dealt with once and for all, the organizations it made are dropped by a later undo if
    unused then [bulk-undo]. It counts the contacts put back so far and says when (listed as partly
    undone)."""
    changes = {
        k: v for k, v in update["changes"].items() if k not in ("taxonomy", "organizations_given_domain")
    }
    if "organization" in changes:  # put back already (its logo too): kept for the list's words
        done = {k: v for k, v in changes["organization"].items() if k != "logo_kept"}
        changes["organization"] = {**done, "done": True}
    changes["changed"] = update["changes"].get("changed") or len(update["contacts"])  # as listed
    changes["restored"] = int(update["changes"].get("restored") or 0) + restored
    changes["partly_undone_at"] = now
    bulk_journal.narrow(
        conn,
        update["uuid"],
        changes,
        [e for e in update["contacts"] if e["uuid"] in left],
        [w for w in update["hand_edits"] if w["contact"] in left],
    )


def _taxonomy_back(
    conn: Any, change: Mapping[str, Any] | None, now: str, *, dry_run: bool = False
) -> bool | None:
    """Put back the tag taxonomy a tag rename or delete changed [bulk-undo], when it is still what the edit
    left (an edit of it since is left alone): whether it was (would be) put back; None when the change did
    not touch it."""
    if not change:
        return None
    t = ai_store.get_taxonomy(conn)
    now_ = {"categories": t["categories"], "status": t["status"]} if t else None
    if now_ != change["after"]:
        return False
    if not dry_run:
        ai_store.put_taxonomy(conn, change["before"]["categories"], change["before"]["status"], now)
    return True


def _check_tag_cap(ctx: Context, ids: list[int], changes: Mapping[str, Any]) -> None:
    """Refuse the whole update when its tags would leave a contact with more than MAX_TAGS [contact-tags]:
    each request under the cap could otherwise pile them up, 30 now and 30 more later. Its removals count
    first (a tag taken off makes room for one added)."""
    add = changes["add_tags"]
    if not add:
        return
    over = past_cap(ctx, dict.fromkeys(ids, add), drop=changes["remove_tags"])
    if over:
        raise tag_cap_error(over, "add_tags", "this update")


def past_cap(
    ctx: Context, additions: Mapping[int, Sequence[str]], drop: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """The contacts (by rowid) that adding these tags would leave past the tag cap [contact-tags], in the
    order given: [{_rowid, id, display_name, tags (how many it holds), would_make}]. `drop`: tags the same
    change takes off first. One that holds more already (an older import) may keep as many, not gain."""
    held = cstore.tag_lists(ctx.conn, list(additions))
    counts: dict[int, tuple[int, int]] = {}
    for cid, tags in additions.items():
        now = held.get(cid) or []
        after = len((set(now) - set(drop)) | set(tags))
        if past_tag_cap(len(now), after):
            counts[cid] = (len(now), after)
    named = cstore.named(ctx.conn, list(counts))
    return [
        {"_rowid": cid, **named[cid], "tags": counts[cid][0], "would_make": counts[cid][1]}
        for cid in counts
        if cid in named
    ]


SHOWN_OVER = 5  # the contacts past the tag cap a message names; details.contacts lists them all


def tag_cap_error(over: list[dict[str, Any]], field: str, what: str, *, then: str = "") -> ValidationError:
    """The 422 naming the contacts `what` (a bulk update, AI tagging) would leave past the tag cap
    [contact-tags]; details.contacts lists each with how many tags it holds and would hold. `then`: what
    to do once there is room (default: leave them out of `what`)."""
    shown = ", ".join(
        f"{c['display_name']} ({c['tags']} now, {c['would_make']} after)" for c in over[:SHOWN_OVER]
    )
    if len(over) > SHOWN_OVER:
        shown += f" and {counted(len(over) - SHOWN_OVER, 'other')}"
    one = len(over) == 1
    who = "it" if one else "them"
    name = over[0]["display_name"]
    e = ValidationError(
        f"{field}: {what} would leave {counted(len(over), 'contact')} with more than {MAX_TAGS} tags, "
        f"the most a contact holds: {shown}; nothing changed",
        field=field,
        hint=f"take some tags off {who} first (e.g. pcrm contacts untag {shlex.quote(name)} TAG), "
        + (f"then {then}" if then else f"or leave {who} out of {what}"),
    )
    e.details["contacts"] = [{k: v for k, v in c.items() if k != "_rowid"} for c in over]
    return e


def _changing(ctx: Context, ids: list[int], changes: Mapping[str, Any]) -> list[int]:
    return store.would_change(
        ctx.conn,
        ids,
        add_tags=changes.get("add_tags") or (),
        remove_tags=changes.get("remove_tags") or (),
        priority=changes.get("priority_level"),
        company=(changes["company"],) if "company" in changes else None,
    )


def reconcile_last_interaction(ctx: Context) -> Result:
    """POST /contacts/reconcile-last-interaction: recompute last_interaction_at (with the score) for every
    contact where it is missing or stale, never from a future interaction [future-interactions] ->
    {updated_count}."""
    ids = store.stale_last_interaction(ctx.conn, ctx.now_iso())
    if ids:
        scores.refresh(ctx, ids)
    return Result({"updated_count": len(ids)})


def second_tier_count(ctx: Context) -> Result:
    """GET /contacts/2nd-tier/count -> {count}."""
    return Result({"count": store.second_tier_count(ctx.conn)})


def _named(ctx: Context, ids: list[int]) -> list[dict[str, Any]]:
    """{id, full_name, display_name} of each contact: display_name is how lists show it, by its address or
    number when it has no name [display-name]."""
    named = cstore.named(ctx.conn, ids)
    return [named[r] for r in ids if r in named]


def promote_contact(ctx: Context, contact_id: str) -> Result:
    """POST /contacts/{id}/promote: drop the `2nd tier` tag (400 when the contact has none) ->
    {promoted: true, id}."""
    with write(ctx.conn):
        cid = rowid(ctx, contact_id)
        if not store.remove_tag(ctx.conn, cid, SECOND_TIER):
            raise BadRequest(
                "this contact is not 2nd tier", hint="see who is with `pcrm contacts list --tag '2nd tier'`"
            )
        store.touch(ctx.conn, [cid], ctx.now_iso())
    return Result({"promoted": True, "id": str(contact_id).lower()})
