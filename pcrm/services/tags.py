"""Whole-tag edits [tag-edits]: rename a tag (onto one in use: the two merge) or delete it, on every contact
that carries it, archived ones included, and in the tag taxonomy [ai-taxonomy], in one transaction;
journalled, so that `pcrm contacts bulk-undo` takes it back [bulk-undo]."""

from __future__ import annotations

from typing import Any

from pcrm.domain import taxonomy
from pcrm.domain.limits import check_length
from pcrm.domain.normalize import blank, has_control
from pcrm.domain.normalize import tag as norm_tag
from pcrm.domain.prompts import TAXONOMY_WORD
from pcrm.errors import BadRequest, NotFound, ValidationError
from pcrm.services import bulk
from pcrm.services.context import Context, Result
from pcrm.store import ai as ai_store
from pcrm.store import bulk_journal
from pcrm.store import contact_bulk as store
from pcrm.store.db import write

_SECOND_TIER_HINT = "the `2nd tier` marker comes and goes with interactions; see `pcrm second-tier --help`"


def _one_tag(value: Any, field: str) -> str:
    """A tag as the user typed it, normalised [value-normalisation]; blank or control characters refused."""
    check_length(field, value)  # [text-limits]
    if not isinstance(value, str) or has_control(value) or blank(value):
        raise ValidationError(
            f"{field} must be a tag, not {value!r}",
            field=field,
            hint="give a name with some text in it, e.g. "
            + ("pcrm tags delete conference" if field == "tag" else "pcrm tags rename conference events"),
        )
    tag = norm_tag(value)
    if tag == store.SECOND_TIER:
        raise BadRequest(f"{store.SECOND_TIER!r} is not renamed or deleted here", hint=_SECOND_TIER_HINT)
    return tag


def _missing(tag: str) -> NotFound:
    return NotFound(
        f"no contact has the tag {tag!r}, and the taxonomy does not list it",
        hint="see the tags in use with `pcrm tags list`, the taxonomy with `pcrm tags taxonomy`",
    )


def _retaxonomy(
    ctx: Context, edit: Any, *args: str
) -> tuple[tuple[dict[str, list[str]], str] | None, list[str]]:
    """What `edit` (taxonomy.renamed or .deleted) makes of the taxonomy -> ((its categories, its status) to
    store, or None when it does not change; the categories that change)."""
    t = ai_store.get_taxonomy(ctx.conn)
    if t is None:
        return None, []
    cats, changed = edit(t["categories"], *args)
    return ((cats, t["status"]) if changed else None), changed


def compose_all(ctx: Context) -> int:
    """Inside the caller's transaction: every stored tag, and the taxonomy, in today's form (composed, NFC)
    as migration m022 made them. For rows that arrive from elsewhere with their values (a JSON export an
    older pcrm wrote) [value-normalisation]. Returns how many distinct stored tags changed."""
    changed = store.fold_tags(ctx.conn, norm_tag)
    ai_store.fold_taxonomy(ctx.conn, taxonomy.composed)
    return changed


def rename_tag(ctx: Context, old: Any, new: Any, *, dry_run: bool = False) -> Result:
    """`pcrm tags rename OLD NEW`: every contact tagged OLD is tagged NEW instead, in the same place among its
    tags; those that already had NEW keep it once (a merge); the taxonomy follows (taxonomy.renamed) ->
    {tag, renamed_from, contacts, already_tagged, merges_with: the contacts tagged NEW before (more than 0:
    the two tags merge), taxonomy: the categories changed}. A tag edit of each contact [protected-fields];
    with dry_run nothing is written."""
    src, dst = _one_tag(old, "old"), _one_tag(new, "new")
    if src == dst:
        raise BadRequest(
            f"{old!r} and {new!r} are the same tag ({dst!r})",
            hint="tags are stored trimmed and lowercase; give a different new name",
        )
    now = ctx.now_iso()
    with write(ctx.conn):
        ids = store.tag_carriers(ctx.conn, src)
        after, changed = _retaxonomy(ctx, taxonomy.renamed, src, dst)
        if not ids and after is None:
            raise _missing(src)
        if after and len(dst) > TAXONOMY_WORD and any(dst in tags for tags in after[0].values()):
            raise ValidationError(
                f"the taxonomy lists {src!r}, and takes tags of at most {TAXONOMY_WORD} characters",
                field="new",
                hint=f"give a new name of at most {TAXONOMY_WORD} characters",
            )
        carriers = store.tag_carriers(ctx.conn, dst)
        both = set(ids) & set(carriers)
        bid = None
        if not dry_run:
            before = _before(ctx, ids, after)
            store.rename_tag(ctx.conn, src, dst)
            store.mark_edited(ctx.conn, ids, ["tags"], now)
            if after:
                ai_store.put_taxonomy(ctx.conn, *after, now)
            asked = {"old": src, "new": dst, "merged": bool(carriers)}
            bid = _journal(ctx, "tags-rename", asked, before, after, now)
    data = {
        "tag": dst,
        "renamed_from": src,
        "contacts": len(ids),
        "already_tagged": len(both),
        "merges_with": len(carriers),
        "taxonomy": changed,
    }
    return _answer(data, bid, dry_run)


def delete_tag(ctx: Context, tag: Any, *, dry_run: bool = False) -> Result:
    """`pcrm tags delete TAG`: remove the tag from every contact that carries it and from the taxonomy ->
    {tag, contacts, taxonomy: the categories changed}. A tag edit of each contact [protected-fields]; with
    dry_run nothing is written."""
    name = _one_tag(tag, "tag")
    now = ctx.now_iso()
    with write(ctx.conn):
        ids = store.tag_carriers(ctx.conn, name)
        after, changed = _retaxonomy(ctx, taxonomy.deleted, name)
        if not ids and after is None:
            raise _missing(name)
        bid = None
        if not dry_run:
            before = _before(ctx, ids, after)
            store.delete_tag(ctx.conn, name)
            store.mark_edited(ctx.conn, ids, ["tags"], now)
            if after:
                ai_store.put_taxonomy(ctx.conn, *after, now)
            bid = _journal(ctx, "tags-delete", {"tag": name}, before, after, now)
    data = {"tag": name, "contacts": len(ids), "taxonomy": changed}
    return _answer(data, bid, dry_run)


def _before(
    ctx: Context, ids: list[int], after: tuple[dict[str, list[str]], str] | None
) -> tuple[dict[int, dict[str, Any]], dict[str, Any] | None]:
    """What a whole-tag edit is about to change: the contacts' tags and marks (bulk_journal.states), and
    the taxonomy when the edit changes it."""
    t = ai_store.get_taxonomy(ctx.conn) if after else None
    return bulk_journal.states(ctx.conn, ids), (
        {"categories": t["categories"], "status": t["status"]} if t else None
    )


def _journal(
    ctx: Context,
    kind: str,
    asked: dict[str, Any],
    before: tuple[dict[int, dict[str, Any]], dict[str, Any] | None],
    after: tuple[dict[str, list[str]], str] | None,
    now: str,
) -> str:
    """Journal a whole-tag edit as a change `pcrm contacts bulk-undo` takes back [bulk-undo]: each contact's
    tags before and after, and the taxonomy's (`changes.taxonomy`) when it changed."""
    contacts, taxonomy_was = before
    if taxonomy_was is not None and after is not None:
        asked["taxonomy"] = {"before": taxonomy_was, "after": {"categories": after[0], "status": after[1]}}
    return bulk.journal(ctx.conn, kind, asked, contacts, now)


def _answer(data: dict[str, Any], bid: str | None, dry_run: bool) -> Result:
    """A whole-tag edit's answer: data.bulk_update_id and meta.undo name its undo [bulk-undo]."""
    if dry_run:
        return Result(data, {"dry_run": True})
    data["bulk_update_id"] = bid
    return Result(data, {"undo": bulk.undo_command(bid)} if bid else {})
