"""The tag taxonomy and auto-tag [ai-taxonomy]: discover a draft, edit and approve it, apply it.

GET /contacts/tags/taxonomy -> get_taxonomy, PUT -> put_taxonomy, POST /contacts/tags/discover ->
discover, POST /contacts/tags/apply -> plan_apply (off the writer lane) then apply_api (the CLI: apply), POST
/contacts/{id}/auto-tag -> choose_tags then auto_tag.

Tagging is append-only: the chosen tags (only those in the taxonomy, lowercased like every tag
[value-normalisation]) are added after a contact's own, which are never removed.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pcrm.domain import prompts
from pcrm.domain.normalize import fold
from pcrm.domain.normalize import tag as norm_tag
from pcrm.domain.normalize import tags as norm_tags
from pcrm.domain.wording import counted
from pcrm.errors import BadRequest, PcrmError, ValidationError
from pcrm.services.ai import models
from pcrm.services.ai.compose import dry_run_data, platforms_without_text
from pcrm.services.bulk import (
    MAX_TAGS,
    SECOND_TIER,
    SHOWN_OVER,
    entries_since,
    past_cap,
    second_tier_said,
    tag_cap_error,
    undo_command,
)
from pcrm.services.contacts import missing_ids
from pcrm.services.context import Context, Result, open_context
from pcrm.store import ai as store
from pcrm.store import bulk_journal
from pcrm.store import completion as cstore
from pcrm.store import notifications as nstore
from pcrm.store.contact_bulk import rowids_for_uuids
from pcrm.store.db import write
from pcrm.store.rows import new_uuid

log = logging.getLogger(__name__)

SAMPLE_OVER = 300
RICHEST = 200
RANDOM_OTHERS = 100
BATCH = 50
DEDUPE_OVER = 10
INLINE_MAX = 20
TOPICS = 10
RICHNESS = {
    "full_name": 1,
    "title": 2,
    "company": 2,
    "twitter_bio": 3,
    "telegram_bio": 3,
    "notes": 1,
    "tags": 1,
    "location": 1,
}
MAX_TOKENS = {"discover": 2048, "dedupe": 4096, "assign": 512}


# ------------------------------------------------------------------ CRUD


def _shape(t: Mapping[str, Any]) -> dict[str, Any]:
    cats = t["categories"]
    return {
        "categories": cats,
        "total_tags": sum(len(v) for v in cats.values()),
        "status": t["status"],
        "created_at": t.get("created_at"),
        "updated_at": t.get("updated_at"),
    }


def get_taxonomy(ctx: Context) -> Result:
    """GET /contacts/tags/taxonomy: the taxonomy, or null."""
    t = store.get_taxonomy(ctx.conn)
    return Result(_shape(t) if t else None)


def _categories(value: Any) -> dict[str, list[str]]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(x, str) for x in v)
        for k, v in value.items()
    ):
        raise ValidationError(
            'categories must be an object of lists of tags, e.g. {"Industry": ["fintech"]}',
            field="categories",
            hint='give {"Category": ["tag", ...], ...}',
        )
    for word in (w for cat, tags in value.items() for w in (cat, *tags)):
        _check_word(word)
    return prompts.taxonomy_of(value)


def _user_categories(value: Any) -> tuple[dict[str, list[str]], list[dict[str, Any]]]:
    """The categories a user wrote: each tag as every tag is stored (trimmed, lowercased, normalize.tag), in
    a category named as written (trimmed); values that become one (`Investor`, `investor`, `INVESTOR `, or
    two spellings of a category name) are kept once and listed as folded {field, kept, values}."""
    from pcrm.domain.normalize import tag

    _categories(value)  # the shape and each word's checks
    out: dict[str, list[str]] = {}
    named: dict[str, list[str]] = {}
    given: dict[tuple[str, str], list[str]] = {}
    for cat, tags in value.items():
        name = " ".join(cat.split())
        named.setdefault(name, []).append(cat)
        kept = out.setdefault(name, [])
        for t in tags:
            given.setdefault((name, tag(t)), []).append(t)
            if tag(t) not in kept:
                kept.append(tag(t))
    folded = [
        {"field": "categories", "kept": name, "values": cats}
        for name, cats in named.items()
        if len(set(cats)) > 1
    ]
    folded += [
        {"field": f"categories.{name}", "kept": t, "values": vals}
        for (name, t), vals in given.items()
        if len(set(vals)) > 1
    ]
    return out, folded


def _check_word(word: str) -> None:
    """A category name or tag the user wrote: refused when blank or too long, where a model's answer is
    trimmed (taxonomy_of), so nothing the user typed is silently dropped or cut."""
    if not word.strip():
        raise ValidationError(
            "a category name or tag is empty",
            field="categories",
            hint="remove the empty name, or give it some text",
        )
    if len(word.strip()) > prompts.TAXONOMY_WORD:
        raise ValidationError(
            f"{word.strip()[:20]!r}... is longer than {prompts.TAXONOMY_WORD} characters",
            field="categories",
            hint=f"category names and tags take at most {prompts.TAXONOMY_WORD} characters",
        )


def put_taxonomy(ctx: Context, body: Mapping[str, Any]) -> Result:
    """PUT /contacts/tags/taxonomy {categories?, status?}: created when missing; status draft or approved
    (422 otherwise), kept when omitted."""
    unknown = set(body) - {"categories", "status"}
    if unknown:
        raise ValidationError(
            f"unknown field {min(unknown)!r}", field=min(unknown), hint="fields: categories, status"
        )
    status = body.get("status")
    if status is not None and status not in ("draft", "approved"):
        raise ValidationError(
            "status must be draft or approved", field="status", hint="use draft or approved"
        )
    folded: list[dict[str, Any]] = []
    if "categories" in body:
        cats, folded = _user_categories(body["categories"])
    with write(ctx.conn):
        cur = store.get_taxonomy(ctx.conn)
        if "categories" not in body:
            cats = cur["categories"] if cur else {}
        store.put_taxonomy(ctx.conn, cats, status or (cur["status"] if cur else "draft"), ctx.now_iso())
    result = get_taxonomy(ctx)
    if folded:  # [value-normalisation]: said, not dropped without a word
        result.meta["folded"] = folded
        result.meta["note"] = "; ".join(
            f"{f['field']} {' and '.join(repr(v) for v in f['values'])} are one, kept once as {f['kept']!r}"
            for f in folded
        )
    return result


def approve(ctx: Context) -> Result:
    """`pcrm tags approve`: the draft becomes the approved taxonomy."""
    if store.get_taxonomy(ctx.conn) is None:
        raise BadRequest("there is no taxonomy to approve", hint="discover one with `pcrm tags discover`")
    return put_taxonomy(ctx, {"status": "approved"})


# ------------------------------------------------------------------ discover


def richness(c: Mapping[str, Any]) -> int:
    return sum(w for k, w in RICHNESS.items() if c.get(k))


def sample(contacts: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    """All of them up to SAMPLE_OVER; beyond, the RICHEST richest plus RANDOM_OTHERS others at random."""
    if len(contacts) <= SAMPLE_OVER:
        return contacts
    ranked = sorted(contacts, key=lambda c: (-richness(c), c["rowid"]))
    rest = ranked[RICHEST:]
    return ranked[:RICHEST] + rng.sample(rest, min(RANDOM_OTHERS, len(rest)))


def discover_prompts(ctx: Context) -> list[str]:
    contacts = store.active_texts(ctx.conn)
    if not contacts:
        raise BadRequest(
            "there are no active contacts to learn a taxonomy from",
            hint="archived and 2nd-tier contacts do not count; add or import contacts first",
        )
    # a fixed seed: the same store gives the same sample, so --dry-run shows what a real run sends
    chosen = sample(contacts, random.Random(len(contacts)))
    tops = store.topics(ctx.conn, [c["rowid"] for c in chosen], TOPICS, platforms_without_text(ctx))
    for c in chosen:
        c["topics"] = [prompts.clean(t, 100) for t in tops.get(c["rowid"], [])]
    return [prompts.discover_prompt(chosen[i : i + BATCH]) for i in range(0, len(chosen), BATCH)]


def discover(
    ctx: Context, *, dry_run: bool = False, prepared: tuple[dict[str, list[str]], str, int] | None = None
) -> Result:
    """POST /contacts/tags/discover: a draft taxonomy → {categories, total_tags, status: draft}.
    A failing first batch fails the call (502); later failing batches are skipped. `prepared`: what
    `draft_taxonomy` asked the model beforehand, off the daemon's writer lane [prepare-off-lane]."""
    if dry_run:
        batches = discover_prompts(ctx)
        data = dry_run_data(models.choice(ctx, "tagging"), batches)
        data["then"] = "a dedupe prompt over the unioned taxonomy when it has more than 10 tags"
        return Result(data, {"dry_run": True})
    cats, model_id, n = prepared if prepared is not None else draft_taxonomy(ctx)
    with write(ctx.conn):
        store.put_taxonomy(ctx.conn, cats, "draft", ctx.now_iso())
    # the saved taxonomy, as GET shows it (its timestamps included)
    return Result(get_taxonomy(ctx).data, {"model": model_id, "batches": n})


def draft_taxonomy(ctx: Context) -> tuple[dict[str, list[str]], str, int]:
    """The model's taxonomy, nothing written: (categories, model id, batches asked)."""
    batches = discover_prompts(ctx)
    chosen = models.require(ctx, "tagging", "tag discovery")
    answers = models.complete_many(chosen, batches, max_tokens=MAX_TOKENS["discover"])
    parts = []
    for i, a in enumerate(answers):
        part = prompts.taxonomy_of(prompts.parse_json(a)) if isinstance(a, str) else {}
        if not part:
            if i == 0:
                why = a.message if isinstance(a, PcrmError) else "the answer was not a JSON taxonomy"
                raise PcrmError(
                    f"AI tag discovery failed: {why}",
                    code="upstream_error",
                    hint=f"try again, or choose another model: `pcrm settings set {chosen.setting} MODEL`",
                )
            log.warning("tag discovery: batch %d skipped", i + 1)
            continue
        parts.append(part)
    cats = prompts.union(parts)
    if sum(len(v) for v in cats.values()) > DEDUPE_OVER:
        try:
            cleaned = prompts.taxonomy_of(
                prompts.parse_json(
                    models.complete(chosen, prompts.dedupe_prompt(cats), max_tokens=MAX_TOKENS["dedupe"])
                )
            )
        except PcrmError as e:
            log.warning("tag discovery: the dedupe pass failed (%s); keeping the union", e.message)
            cleaned = {}
        if cleaned:
            cats = prompts.union([cleaned])
    return _as_tags(cats, cstore.tags(ctx.conn)), chosen.model_id, len(batches)


def _as_tags(cats: Mapping[str, Sequence[str]], existing: Iterable[str]) -> dict[str, list[str]]:
    """A model's taxonomy with its tags as every tag is stored (normalize.tag: `Investor` is `investor`),
    each a tag in use where one is that tag in any case (as stored: its spelling kept), once per category
    [ai-taxonomy]: the model's casing made a second, near-duplicate tag of one the user has."""
    known = {fold(t): t for t in existing}
    out: dict[str, list[str]] = {}
    for cat, tags in cats.items():
        kept: list[str] = []
        for t in (norm_tag(t) for t in tags):
            t = known.get(fold(t), t)
            if t and t not in kept:
                kept.append(t)
        if kept:
            out[cat] = kept
    return out


# ------------------------------------------------------------------ assign


def _approved(ctx: Context) -> dict[str, list[str]]:
    t = store.get_taxonomy(ctx.conn)
    if t is None or t["status"] != "approved" or not t["categories"]:
        raise BadRequest(
            "auto-tagging needs an approved taxonomy",
            hint="`pcrm tags discover`, review it (`pcrm tags taxonomy`), then `pcrm tags approve`",
        )
    return dict(t["categories"])


def _with_topics(ctx: Context, contacts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    tops = store.topics(ctx.conn, [c["rowid"] for c in contacts], TOPICS, platforms_without_text(ctx))
    for c in contacts:
        c["topics"] = [prompts.clean(t, 100) for t in tops.get(c["rowid"], [])]
    return contacts


Asked = tuple[dict[int, list[str]], dict[str, list[str]], int]  # what _ask_tags answers for a batch


def _asking(
    ctx: Context, chosen: models.ModelChoice, cats: dict[str, list[str]], contacts: list[dict[str, Any]]
) -> Iterator[Asked]:
    """The model's tags, batch by batch, each asked when the one before is written."""
    for i in range(0, len(contacts), BATCH):
        yield _ask_tags(ctx, chosen, cats, contacts[i : i + BATCH])


def _tag(
    ctx: Context, batches: Iterable[Asked], journal_as: str, *, by_id: bool = False, model: str = ""
) -> tuple[dict[str, list[str]], int, list[dict[str, Any]], str | None, dict[str, Any]]:
    """Append the tags of each batch in its own transaction; ({contact uuid: tags added}, failures, the
    contacts left untagged as their tags would pass the cap [contact-tags]: `bulk.past_cap`'s entries,
    the id of its journal entry, None when it tagged nobody). What each batch changes is journalled as one
    change over many contacts, `journal_as` (its uuid), which `pcrm contacts bulk-undo` takes back
    [bulk-undo]: the first batch that tags someone makes the entry, the later ones add to it (to a new one,
    under a new uuid, when the entry was undone while the run went on).
    `by_id`: the answers were asked before this (off the daemon's writer lane), so each contact is found
    again by its id (one deleted or merged away meanwhile gets nothing, and no other takes its row).
    Last, what it says of the contacts it gave the `2nd tier` marker that you talked with
    (bulk.second_tier_said) [second-tier]."""
    added: dict[str, list[str]] = {}
    tiered: list[int] = []
    failed = 0
    refused: list[dict[str, Any]] = []
    journalled = False
    for additions, got, missed in batches:
        failed += missed
        with write(ctx.conn):
            now = ctx.now_iso()
            # what each would hold is read in the write: a contact tagged since the model was asked counts
            if by_id:
                found = rowids_for_uuids(ctx.conn, [u for u, t in got.items() if t])
                over = past_cap(ctx, {found[u]: got[u] for u in found})
            else:
                found = {}
                over = past_cap(ctx, {r: t for r, t in additions.items() if t})
            gone = {c["id"] for c in over}
            got = {u: t for u, t in got.items() if u not in gone}
            additions = {r: t for r, t in additions.items() if r not in {c["_rowid"] for c in over}}
            tagging = [found[u] for u, t in got.items() if t and u in found] if by_id else list(additions)
            before = bulk_journal.states(ctx.conn, tagging)
            if by_id:
                store.append_tags_by_uuid(ctx.conn, got, now)
            else:
                store.append_tags(ctx.conn, additions, now)
            entries = entries_since(ctx.conn, before)
            rowid_of = {was["uuid"]: cid for cid, was in before.items()}
            tiered += [
                rowid_of[e["uuid"]]
                for e in entries
                if SECOND_TIER in e["after"].get("tags", ())
                and SECOND_TIER not in e["before"].get("tags", ())
            ]
            if entries and not bulk_journal.extend(ctx.conn, journal_as, entries):
                if bulk_journal.exists(ctx.conn, journal_as):  # undone while the run went on: a new one
                    journal_as = new_uuid()
                bulk_journal.add(ctx.conn, {"model": model}, entries, now, kind="tags-apply", uuid=journal_as)
            journalled = journalled or bool(entries)
        added.update(got)
        refused += [{k: v for k, v in c.items() if k != "_rowid"} for c in over]
    return added, failed, refused, journal_as if journalled else None, second_tier_said(ctx, tiered)


def _ask_tags(
    ctx: Context, chosen: models.ModelChoice, cats: dict[str, list[str]], contacts: list[dict[str, Any]]
) -> tuple[dict[int, list[str]], dict[str, list[str]], int]:
    """The model's tags for some contacts, nothing written: ({rowid: tags to append}, {uuid: the same},
    answers that were no JSON)."""
    chunk = _with_topics(ctx, contacts)
    answers = models.complete_many(
        chosen, [prompts.assign_prompt(c, cats) for c in chunk], max_tokens=MAX_TOKENS["assign"]
    )
    additions: dict[int, list[str]] = {}
    added: dict[str, list[str]] = {}
    failed = 0
    for c, a in zip(chunk, answers, strict=True):
        parsed = prompts.parse_json(a) if isinstance(a, str) else None
        if parsed is None:
            failed += 1
            continue
        have = set(c["tags"])
        new = [t for t in norm_tags(prompts.chosen_tags(parsed, cats)) if t not in have]
        additions[c["rowid"]] = new
        added[c["id"]] = new
    return additions, added, failed


def auto_tag(
    ctx: Context,
    contact_id: str,
    *,
    dry_run: bool = False,
    prepared: tuple[dict[int, list[str]], list[str], str] | None = None,
) -> Result:
    """POST /contacts/{id}/auto-tag → {tags_added, all_tags, bulk_update_id} (append-only). `prepared`: what
    `choose_tags` asked the model beforehand, off the daemon's writer lane [prepare-off-lane]. Tags added are
    journalled as AI tagging is (kind auto-tag): bulk_update_id (null when it added none) and meta.undo name
    the `pcrm contacts bulk-undo ID` that takes them off [bulk-undo]."""
    if dry_run:
        from pcrm.services.contacts import rowid

        rowid(ctx, contact_id)
        cats = _approved(ctx)
        contacts = store.texts_of(ctx.conn, [contact_id.lower()])
        prompt = prompts.assign_prompt(_with_topics(ctx, contacts)[0], cats)
        return Result(dry_run_data(models.choice(ctx, "tagging"), [prompt]), {"dry_run": True})
    _, new, model_id = prepared if prepared is not None else choose_tags(ctx, contact_id)
    from pcrm.services.contacts import rowid

    # found again by its id: asked off the lane, the contact may have gone meanwhile (404), and its row
    # number gone to a contact added since
    additions = {rowid(ctx, contact_id): new}
    bid = None
    with write(ctx.conn):
        over = past_cap(ctx, additions)
        if over:  # [contact-tags]: the user asked for this one contact, so it is refused, said as such
            raise tag_cap_error(over, "tags", "auto-tagging", then="auto-tag it again")
        now = ctx.now_iso()
        before = bulk_journal.states(ctx.conn, list(additions))
        store.append_tags(ctx.conn, additions, now)
        entries = entries_since(ctx.conn, before)
        if entries:  # [bulk-undo]: the model's tags can be taken off again
            bid = bulk_journal.add(ctx.conn, {"model": model_id}, entries, now, kind="auto-tag")
        given = [cid for cid, was in before.items() if SECOND_TIER in new and SECOND_TIER not in was["tags"]]
        tier = second_tier_said(ctx, given)  # [second-tier]: kept, and said
    all_tags = store.texts_of(ctx.conn, [contact_id.lower()])[0]["tags"]
    meta: dict[str, Any] = {"model": model_id, **tier}
    if bid:
        meta["undo"] = undo_command(bid)
    return Result({"tags_added": new, "all_tags": all_tags, "bulk_update_id": bid}, meta)


def choose_tags(ctx: Context, contact_id: str) -> tuple[dict[int, list[str]], list[str], str]:
    """The model's tags for one contact, nothing written: ({rowid: tags to append}, those tags, model id)."""
    from pcrm.services.contacts import rowid

    rowid(ctx, contact_id)
    cats = _approved(ctx)
    contacts = store.texts_of(ctx.conn, [contact_id.lower()])
    chosen = models.require(ctx, "tagging", "auto-tagging")
    additions, added, failed = _ask_tags(ctx, chosen, cats, contacts)
    if failed:
        raise PcrmError(
            "the AI model's answer was not the JSON asked for; no tag was added",
            code="upstream_error",
            hint=f"try again, or choose another model with `pcrm settings set {chosen.setting} MODEL`",
        )
    return additions, added.get(contact_id.lower(), []), chosen.model_id


# ------------------------------------------------------------------ apply

# background runs of this process (tests wait on them); each ends with a `tagging` notification
_threads: dict[str, threading.Thread] = {}


def _targets(
    ctx: Context, ids: Sequence[str] | None, cats: dict[str, list[str]]
) -> tuple[list[dict[str, Any]], int]:
    """(contacts to tag, how many were skipped as already carrying a taxonomy tag)."""
    contacts = _given(ctx, ids) if ids else store.active_texts(ctx.conn)
    known = {t.casefold() for v in cats.values() for t in v}
    todo = [c for c in contacts if not any(t.casefold() in known for t in c["tags"])]
    return todo, len(contacts) - len(todo)


def _given(ctx: Context, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The contacts named by id; an id that is no contact's is not_found, before anything is asked or
    written (a typo must not turn into "Tagged 0 of 0 contacts")."""
    uuids = list(dict.fromkeys(i.strip().lower() for i in ids))
    contacts = store.texts_of(ctx.conn, uuids)
    found = {c["id"] for c in contacts}
    missing = [u for u in uuids if u not in found]
    if missing:
        hint = "give full contact ids (`pcrm contacts ids` lists them), or leave them out to tag everyone"
        raise missing_ids(ctx, missing, hint)
    return contacts


def _run_apply(
    ctx: Context,
    chosen: models.ModelChoice,
    cats: dict[str, list[str]],
    todo: list[dict[str, Any]],
    skipped: int,
    asked: list[Asked] | None = None,
    *,
    journal_as: str | None = None,
) -> dict[str, Any]:
    """Tag `todo` and leave the `tagging` notification; `asked`: the model's answers, asked beforehand.
    The run is journalled as `journal_as` (a new uuid when None) [bulk-undo]: data.bulk_update_id names it
    when it tagged someone, and the notification says its undo."""
    first = journal_as or new_uuid()
    model = chosen.model_id
    if asked is None:
        added, failed, over, bid, tier = _tag(ctx, _asking(ctx, chosen, cats, todo), first, model=model)
    else:
        added, failed, over, bid, tier = _tag(ctx, asked, first, by_id=True, model=model)
    tagged = sum(1 for v in added.values() if v)
    total = len(todo) + skipped
    title = "Auto-tagging completed" if tagged else "Auto-tagging finished with issues"
    body = f"Tagged {tagged} of {counted(total, 'contact')} ({skipped} already tagged)"
    if over:
        body += ". " + over_cap_words(over)
    if tier:  # [second-tier]: the marker given to people you talked with is kept, and said
        body += f". Note: {tier['note']}"
    if bid:
        body += f". Undo with: {undo_command(bid)}"
    with write(ctx.conn):
        nstore.insert(ctx.conn, "tagging", title, body, "/settings?tab=tags", ctx.now_iso())
    out: dict[str, Any] = {"tagged_count": tagged, "skipped": skipped, "failed": failed, "task_id": None}
    if over:
        out["over_tag_cap"] = over
    if bid:
        out["bulk_update_id"] = bid
    if tier:
        out["second_tier_talked"] = tier  # said in meta by `_applied`
    return out


def _applied(data: dict[str, Any], model: str) -> Result:
    """An apply's answer: meta.undo says the CLI's undo when it tagged someone [bulk-undo]."""
    meta: dict[str, Any] = {"model": model}
    if data.get("bulk_update_id"):
        meta["undo"] = undo_command(data["bulk_update_id"])
    tier = data.pop("second_tier_talked", None)
    if tier:  # [second-tier]
        meta.update(tier)
    return Result(data, meta)


def over_cap_words(over: list[dict[str, Any]]) -> str:
    """What an apply says of the contacts it left untagged for the tag cap [contact-tags]."""
    names = ", ".join(c["display_name"] for c in over[:SHOWN_OVER])
    if len(over) > SHOWN_OVER:
        names += f" and {counted(len(over) - SHOWN_OVER, 'other')}"
    one = len(over) == 1
    return (
        f"Not tagged: {names}: {'its' if one else 'their'} tags would pass {MAX_TAGS}, the most a contact "
        f"holds; take some off {'it' if one else 'them'} (pcrm contacts untag), then apply again"
    )


def _failed(ctx: Context, e: PcrmError) -> None:
    """A background run that could not tag: "Auto-tagging failed", with why and what fixes it."""
    body = f"{e.message}. {e.hint}" if e.hint else e.message
    with contextlib.suppress(PcrmError), write(ctx.conn):
        nstore.insert(ctx.conn, "tagging", "Auto-tagging failed", body, "/settings?tab=tags", ctx.now_iso())


def _checked(body: Mapping[str, Any] | None) -> list[str] | None:
    """The body's contact_ids, checked: None to tag every active contact."""
    body = dict(body or {})
    unknown = set(body) - {"contact_ids"}
    if unknown:
        raise ValidationError(
            f"unknown field {min(unknown)!r}", field=min(unknown), hint="the only field is contact_ids"
        )
    ids = body.get("contact_ids")
    if ids is not None and (not isinstance(ids, list) or not all(isinstance(i, str) for i in ids)):
        raise ValidationError(
            "contact_ids must be a list of contact ids",
            field="contact_ids",
            hint="leave it out to tag every contact, or list the ids to tag",
        )
    if ids is not None and not ids:
        # an empty selection is nobody: read as "everyone", it sent every contact's text to the model
        raise ValidationError(
            "contact_ids is empty: no contact to tag",
            field="contact_ids",
            hint="list the ids to tag, or leave contact_ids out to tag every contact",
        )
    return ids


def apply(ctx: Context, body: Mapping[str, Any] | None = None, *, dry_run: bool = False) -> Result:
    """`pcrm tags apply` {contact_ids?}: tag the given contacts, or every active one, skipping those that
    already carry a taxonomy tag, and wait for it all (the API's is `apply_api`, beyond 20 contacts in the
    background)."""
    ids = _checked(body)
    cats = _approved(ctx)
    todo, skipped = _targets(ctx, ids, cats)
    if dry_run:
        data = dry_run_data(
            models.choice(ctx, "tagging"), [prompts.assign_prompt(c, cats) for c in _with_topics(ctx, todo)]
        )
        data["skipped"] = skipped
        return Result(data, {"dry_run": True})
    chosen = models.require(ctx, "tagging", "auto-tagging")
    return _applied(_run_apply(ctx, chosen, cats, todo, skipped), chosen.model_id)


def _in_background(
    ctx: Context,
    chosen: models.ModelChoice,
    cats: dict[str, list[str]],
    todo: list[dict[str, Any]],
    skipped: int,
) -> Result:
    """Tag `todo` in a thread of its own, over its own connection: {tagged_count: 0, task_id} at once."""
    task_id = new_uuid()
    path = ctx.path

    def work() -> None:
        try:
            with open_context(path) as own:
                try:
                    _run_apply(own, chosen, cats, todo, skipped)
                except PcrmError as e:  # nobody waits for this answer: the notification says it
                    _failed(own, e)
        finally:
            _threads.pop(task_id, None)

    t = threading.Thread(target=work, name="pcrm-auto-tag", daemon=True)
    _threads[task_id] = t
    t.start()
    return Result({"tagged_count": 0, "task_id": task_id})


@dataclass(frozen=True)
class Planned:
    """What the API's apply found before writing anything: the contacts to tag and, for up to 20 of
    them, the model's answers (`asked`; None: the run goes to the background)."""

    chosen: models.ModelChoice
    cats: dict[str, list[str]]
    todo: list[dict[str, Any]]
    skipped: int
    asked: list[Asked] | None


def plan_apply(ctx: Context, body: Mapping[str, Any] | None = None) -> Planned:
    """The API's apply before its writes, the daemon's prepare step off the writer lane [prepare-off-lane]:
    the checks, the contacts to tag, and up to 20 contacts' tags asked of the model (nothing written)."""
    ids = _checked(body)
    cats = _approved(ctx)
    todo, skipped = _targets(ctx, ids, cats)
    chosen = models.require(ctx, "tagging", "auto-tagging")
    asked = list(_asking(ctx, chosen, cats, todo)) if len(todo) <= INLINE_MAX else None
    return Planned(chosen, cats, todo, skipped, asked)


def apply_api(
    ctx: Context, body: Mapping[str, Any] | None = None, *, prepared: Planned | None = None
) -> Result:
    """The API's apply: up to 20 contacts, the tags `plan_apply` asked the model for off the writer lane
    (None: plans here), appended in the lane; beyond 20, in the background."""
    p = prepared if prepared is not None else plan_apply(ctx, body)
    if p.asked is None:
        return _in_background(ctx, p.chosen, p.cats, p.todo, p.skipped)
    return _applied(_run_apply(ctx, p.chosen, p.cats, p.todo, p.skipped, p.asked), p.chosen.model_id)


def wait(task_id: str, timeout: float | None = None) -> None:
    t = _threads.get(task_id)
    if t is not None:
        t.join(timeout)
