"""Notifications [notification-inbox]: the inbox other code writes to with `notify`, and the routes that read
it.

GET /notifications (page paging 20/100, newest first, optional exact `link` filter and, pcrm's addition,
`unread`), GET /notifications/unread-count, PUT /notifications/{id}/read, PUT /notifications/read-all.
"""

from __future__ import annotations

import re
from typing import Any

from pcrm.domain.limits import Span
from pcrm.domain.query import page_meta, parse_bool, parse_paging
from pcrm.errors import BadRequest, NotFound, ValidationError
from pcrm.services.context import Context, Result
from pcrm.store import notifications as store
from pcrm.store.db import write

# The kinds written [notification-inbox], plus `digest` which the UI's Suggestions tab groups with
# `suggestion`.
PAGE_SIZE = Span(1, 100, 20)  # GET /notifications page_size [paging-styles]
TYPES = ("sync", "error", "system", "bio_change", "suggestion", "digest", "event", "tagging")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def notify(
    ctx: Context, notification_type: str, title: str, body: str | None = None, link: str | None = None
) -> dict[str, Any]:
    """Write one notification and return it. Safe inside an open write transaction (it nests)."""
    if notification_type not in TYPES:
        raise ValidationError(
            f"unknown notification type {notification_type!r}",
            field="notification_type",
            hint=f"use one of: {', '.join(TYPES)}",
        )
    title = (title or "").strip()
    if not title:
        raise ValidationError("a notification needs a title", field="title", hint="give a short title")
    with write(ctx.conn):
        nid = store.insert(ctx.conn, notification_type, title, body, link, ctx.now_iso())
    item = store.get(ctx.conn, nid)
    assert item is not None
    return item


def list_notifications(
    ctx: Context,
    *,
    unread: bool = False,
    link: str | None = None,
    page: Any = None,
    page_size: Any = None,
    everything: bool = False,
) -> Result:
    """GET /notifications: newest first, page style meta {total, page, page_size, total_pages}.
    `everything` (the CLI's --all and --nl) returns every one as one page [complete-lists]."""
    p, size = parse_paging(page, page_size, default_size=PAGE_SIZE.default, max_size=PAGE_SIZE.hi)
    only_unread = bool(parse_bool(unread, "unread"))  # the API passes "true"/"false" strings
    if everything:
        items, total = store.page(ctx.conn, unread_only=only_unread, link=link or None, limit=-1, offset=0)
        return Result(items, page_meta(total, 1, max(total, 1)))
    items, total = store.page(
        ctx.conn, unread_only=only_unread, link=link or None, limit=size, offset=(p - 1) * size
    )
    return Result(items, page_meta(total, p, size))


def unread_count(ctx: Context) -> Result:
    """GET /notifications/unread-count -> {count}."""
    return Result({"count": store.unread_count(ctx.conn)})


def _rowid(ctx: Context, notification_id: str) -> int:
    nid = (
        store.rowid_for_uuid(ctx.conn, notification_id) if _UUID.match(str(notification_id).lower()) else None
    )
    if nid is None:
        raise NotFound(
            f"no notification with id {notification_id}", hint="list them with `pcrm notifications`"
        )
    return nid


def mark_read(ctx: Context, notification_id: str) -> Result:
    """PUT /notifications/{id}/read -> {id, read: true}; idempotent: one read already is no change
    (`meta.unchanged` [no-op-edits])."""
    with write(ctx.conn):
        nid = _rowid(ctx, notification_id)
        changed = store.mark_read(ctx.conn, nid)
    return Result({"id": str(notification_id).lower(), "read": True}, {} if changed else {"unchanged": True})


def mark_all_read(ctx: Context) -> Result:
    """PUT /notifications/read-all -> {marked: true} (meta.count: how many changed)."""
    with write(ctx.conn):
        n = store.mark_all_read(ctx.conn)
    return Result({"marked": True}, {"count": n})


def resolve_ref(ctx: Context, ref: str) -> str:
    """A CLI reference to a notification: its id or a unique id prefix (4+ characters)."""
    low = (ref or "").strip().lower()
    if _UUID.match(low):
        return low
    if len(low) < 4:
        raise ValidationError(
            "give a notification id or at least 4 characters of it",
            field="id",
            hint="ids are in `pcrm notifications --json`",
        )
    ids = store.ids_by_prefix(ctx.conn, low)
    if not ids:
        raise NotFound(f"no notification with id {ref}", hint="list them with `pcrm notifications`")
    if len(ids) > 1:
        raise BadRequest(f"{ref!r} matches {len(ids)} notifications", hint="give more characters of the id")
    item = store.get(ctx.conn, ids[0])
    assert item is not None
    return item["id"]
