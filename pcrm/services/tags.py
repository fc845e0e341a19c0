"""Whole-tag edits [tag-edits]: rename a tag (onto one in use: the two merge) or delete it, on every contact
that carries it, archived ones included, in one transaction."""

from __future__ import annotations

from typing import Any

from pcrm.domain.limits import check_length
from pcrm.domain.normalize import has_control
from pcrm.domain.normalize import tag as norm_tag
from pcrm.errors import BadRequest, NotFound, ValidationError
from pcrm.services.context import Context, Result
from pcrm.store import contact_bulk as store
from pcrm.store.db import write

_SECOND_TIER_HINT = "the `2nd tier` marker comes and goes with interactions; see `pcrm second-tier --help`"


def _one_tag(value: Any, field: str) -> str:
    """A tag as the user typed it, normalised [value-normalisation]; blank or control characters refused."""
    check_length(field, value)  # [text-limits]
    if not isinstance(value, str) or has_control(value) or not norm_tag(value):
        raise ValidationError(
            f"{field} must be a tag, not {value!r}",
            field=field,
            hint="give tags as text, e.g. pcrm tags rename conference events",
        )
    tag = norm_tag(value)
    if tag == store.SECOND_TIER:
        raise BadRequest(f"{store.SECOND_TIER!r} is not renamed or deleted here", hint=_SECOND_TIER_HINT)
    return tag


def _carriers(ctx: Context, tag: str) -> list[int]:
    ids = store.tag_carriers(ctx.conn, tag)
    if not ids:
        raise NotFound(f"no contact has the tag {tag!r}", hint="see the tags in use with `pcrm tags list`")
    return ids


def rename_tag(ctx: Context, old: Any, new: Any, *, dry_run: bool = False) -> Result:
    """`pcrm tags rename OLD NEW`: every contact tagged OLD is tagged NEW instead, in the same place among its
    tags; those that already had NEW keep it once (a merge) -> {tag, renamed_from, contacts, already_tagged}.
    A tag edit of each contact [protected-fields]; with dry_run nothing is written."""
    src, dst = _one_tag(old, "old"), _one_tag(new, "new")
    if src == dst:
        raise BadRequest(
            f"{old!r} and {new!r} are the same tag ({dst!r})",
            hint="tags are stored trimmed and lowercase; give a different new name",
        )
    now = ctx.now_iso()
    with write(ctx.conn):
        ids = _carriers(ctx, src)
        both = set(ids) & set(store.tag_carriers(ctx.conn, dst))
        if not dry_run:
            store.rename_tag(ctx.conn, src, dst)
            store.mark_edited(ctx.conn, ids, ["tags"], now)
    data = {"tag": dst, "renamed_from": src, "contacts": len(ids), "already_tagged": len(both)}
    return Result(data, {"dry_run": True} if dry_run else {})


def delete_tag(ctx: Context, tag: Any, *, dry_run: bool = False) -> Result:
    """`pcrm tags delete TAG`: remove the tag from every contact that carries it -> {tag, contacts}. A tag
    edit of each contact [protected-fields]; with dry_run nothing is written."""
    name = _one_tag(tag, "tag")
    now = ctx.now_iso()
    with write(ctx.conn):
        ids = _carriers(ctx, name)
        if not dry_run:
            store.delete_tag(ctx.conn, name)
            store.mark_edited(ctx.conn, ids, ["tags"], now)
    return Result({"tag": name, "contacts": len(ids)}, {"dry_run": True} if dry_run else {})
