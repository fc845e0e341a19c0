"""Interaction use cases: the timeline, notes and hand-logged interactions [notes-and-logs]."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pcrm.clock import iso
from pcrm.domain.dates import parse_when
from pcrm.domain.limits import Span, check_length, check_utf8
from pcrm.domain.normalize import blank
from pcrm.domain.query import choice, parse_limit_offset
from pcrm.errors import BadRequest, Forbidden, NotFound, ValidationError
from pcrm.services import no_op, scores
from pcrm.services.contacts import SHORT_PREFIX, rowid, short_prefix
from pcrm.services.context import Context, Result
from pcrm.store import interactions as store
from pcrm.store import suggestions as sstore
from pcrm.store.db import write

PLATFORMS = (
    "email",
    "telegram",
    "twitter",
    "linkedin",
    "whatsapp",
    "facebook",
    "instagram",
    "meeting",
    "manual",
    "call",
    "sms",
    "other",
)
DIRECTIONS = ("inbound", "outbound", "mutual", "event", "note")
# what a hand-logged interaction can be [notes-and-logs]: notes are `note add`'s, events the sources'
LOG_DIRECTIONS = ("inbound", "outbound", "mutual")
MAX_PREVIEW = 10_000
LIMIT = Span(1, 200, 50)  # a contact's interactions: limit [paging-styles]
_TEXT_HINT = f"give the text as a string of at most {MAX_PREVIEW:,} characters"


def _parse(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    allowed = {"platform", "direction", "content_preview", "raw_reference_id", "occurred_at"}
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(
            f"unknown field {min(unknown)!r}",
            field=min(unknown),
            hint="fields: " + ", ".join(sorted(allowed)),
        )
    platform = str(data.get("platform") or "manual").strip().lower()
    if platform not in PLATFORMS:
        raise ValidationError(
            f"unknown platform {platform!r}", field="platform", hint=f"use one of: {', '.join(PLATFORMS)}"
        )
    default_dir = "note" if platform == "manual" else "outbound"
    direction = str(data.get("direction") or default_dir).strip().lower()
    if direction not in DIRECTIONS:
        raise ValidationError(
            f"unknown direction {direction!r}", field="direction", hint=f"use one of: {', '.join(DIRECTIONS)}"
        )
    if platform == "manual" and direction in LOG_DIRECTIONS:
        # manual is the platform of notes [notes-and-logs]: the reference's web UI sends its notes as
        # {platform: manual, direction: outbound}, which counted as a message sent (reciprocity, ghosting)
        # and made `manual` a channel (breadth)
        direction = "note"
    content = data.get("content_preview")
    if content is not None:
        if not isinstance(content, str):
            raise ValidationError("content_preview must be text", field="content_preview", hint=_TEXT_HINT)
        check_utf8("content_preview", content)
        content = None if blank(content) else content.strip()
        if content and len(content) > MAX_PREVIEW:
            raise ValidationError(
                f"content_preview is longer than {MAX_PREVIEW:,} characters",
                field="content_preview",
                hint=_TEXT_HINT,
            )
    when = data.get("occurred_at")
    occurred = (
        ctx.now()
        if when in (None, "")
        else parse_when(str(when), field="occurred_at", tz=ctx.tz(), now=ctx.now())  # [interaction-times]
    )
    ref = data.get("raw_reference_id")
    check_length("raw_reference_id", ref)  # [text-limits]
    return {
        "platform": platform,
        "direction": direction,
        "content_preview": content,
        "raw_reference_id": str(ref).strip() if ref else None,
        "occurred_at": iso(occurred),
    }


def add_interaction(
    ctx: Context, contact_id: str, data: Mapping[str, Any], *, recorded_by: str | None = None
) -> Result:
    """POST /contacts/{id}/interactions. A ref already on the contact is a conflict, not a duplicate.

    recorded_by: who wrote it when not the user's own hands, e.g. `mcp:add_note` for an AI agent's write
    through the MCP server [agent-writes]; kept in extra_data, so the timeline shows it."""
    item = _parse(ctx, data)
    if item["direction"] == "note" and not item["content_preview"]:
        # as `pcrm note add` and PATCH refuse one: a note is its text [notes-and-logs]
        raise ValidationError(
            "a note needs some text",
            field="content_preview",
            hint='give content_preview, e.g. pcrm note add "Ada Lovelace" "lunch at the British Library"',
        )
    if recorded_by:
        item["extra_data"] = {"recorded_by": recorded_by}
    with write(ctx.conn):
        cid = rowid(ctx, contact_id)
        iid = store.insert(ctx.conn, cid, item, ctx.now_iso())
        if iid is None:
            raise BadRequest(
                f"the contact already has an interaction with reference {item['raw_reference_id']}",
                code="conflict",
                hint="leave raw_reference_id out, or list the timeline with `pcrm interactions list CONTACT`",
            )
        scores.refresh(ctx, [cid])
    notes = []
    asked = str(data.get("direction") or "").strip().lower()
    if item["direction"] == "note" and asked in LOG_DIRECTIONS:
        notes.append(
            f"manual is the platform of notes: kept as a note, not {asked} (notes count as activity only)"
        )
    ahead = _ahead_note(ctx, item["occurred_at"])
    if ahead:
        notes.append(ahead)
    return Result(store.get(ctx.conn, iid), {"note": "; ".join(notes)} if notes else {})


def _ahead_note(ctx: Context, occurred_at: str) -> str | None:
    """What to say of a time ahead of now: it is taken (a booked meeting [future-interactions]), but
    `log Ada --at tomorrow` for the call just had, or `--at 2062-03-14` for last week's, is a slip that would
    count for nothing, unseen. Said of every kind of interaction, a booked meeting or call too."""
    from datetime import datetime

    from pcrm.domain.wording import counted

    now = ctx.now()
    when = datetime.fromisoformat(occurred_at)
    if when <= now:
        return None
    tz = ctx.tz()
    local = when.astimezone(tz)
    days = (local.date() - now.astimezone(tz).date()).days
    if days == 0:
        far = "later today"
    elif days == 1:
        far = "tomorrow"
    else:
        far = (counted(days // 365, "year") if days >= 730 else counted(days, "day")) + " ahead"
    return (
        f"{local.strftime('%Y-%m-%d %H:%M')} is {far}: kept as planned, it counts for nothing until then "
        "(check the date if it has happened)"
    )


def log_interaction(
    ctx: Context,
    contact_id: str,
    data: Mapping[str, Any],
    *,
    recorded_by: str | None = None,
    note_with: str = 'pcrm note add CONTACT "..."',
) -> Result:
    """`pcrm log` and the MCP tool log_interaction: an interaction that happened elsewhere, inbound,
    outbound or mutual [notes-and-logs]. A note is refused with `note_with` (how this shell adds one) in
    the hint, an event as the sources' alone; recorded_by as for add_interaction."""
    direction = str(data.get("direction") or "").strip().lower()
    if direction not in LOG_DIRECTIONS:
        hint = f"use one of: {', '.join(LOG_DIRECTIONS)}"
        given = data.get("direction")
        if direction == "note":
            msg, hint = "a note is not logged as an interaction", f"for a note: {note_with}; or {hint}"
        elif direction == "event":
            msg = "events come from syncs and imports, not from a hand-logged interaction"
        else:
            msg = f"unknown direction {given!r}"
        raise ValidationError(msg, field="direction", hint=hint)
    if str(data.get("platform") or "").strip().lower() == "manual":
        # manual is the platform of notes: logged so, a call counted `manual` as a channel of its own (the
        # score's breadth) and showed among the notes
        raise ValidationError(
            "manual is the platform of notes, not of something that happened elsewhere",
            field="platform",
            hint=f"for a note: {note_with}; else give the platform it happened on, e.g. call or meeting",
        )
    return add_interaction(ctx, contact_id, data, recorded_by=recorded_by)


def add_note(
    ctx: Context, contact_id: str, text: str, *, at: str | None = None, recorded_by: str | None = None
) -> Result:
    if blank(text):
        raise ValidationError(
            "a note needs some text",
            field="content_preview",
            hint='e.g. pcrm note add "Ada Lovelace" "lunch at the British Library"',
        )
    return add_interaction(
        ctx,
        contact_id,
        {"platform": "manual", "direction": "note", "content_preview": text, "occurred_at": at},
        recorded_by=recorded_by,
    )


# how a 404 names what was looked for, and the command that lists those: `pcrm note edit|rm` look for a note
_LISTED = {
    "interaction": "list them with `pcrm interactions list CONTACT`",
    "note": "list a contact's notes with `pcrm note list CONTACT`",
}


def locate(
    ctx: Context, interaction_id: str, contact_id: str | None, *, what: str = "interaction"
) -> tuple[int, int, str]:
    """(rowid, contact rowid, platform) of the interaction an id or unique id prefix (4 characters or more)
    names, of contact `contact_id` when given; 404 when none (said as a `what`: interaction or note), 400
    when the prefix is ambiguous."""
    ref = (interaction_id or "").strip().lower()
    found = store.locate(ctx.conn, ref) if len(ref) >= 4 else []
    if contact_id is not None:
        cid = rowid(ctx, contact_id)
        found = [f for f in found if f[1] == cid]
    exact = [f for f in found if len(ref) == 36]
    if len(found) > 1 and not exact:
        raise BadRequest(f"{interaction_id!r} matches {len(found)} interactions", hint="give more of the id")
    if not found:
        hint = _LISTED[what]
        raise NotFound(
            f"no {what} with id {interaction_id}",
            hint=f"{SHORT_PREFIX}; or {hint}" if short_prefix(ref) else hint,
        )
    return found[0]


def update_interaction(
    ctx: Context,
    interaction_id: str,
    data: Mapping[str, Any],
    *,
    contact_id: str | None = None,
    what: str = "interaction",
) -> Result:
    """PATCH: only interactions recorded by hand may be edited (403 otherwise) [notes-and-logs]; body
    {content_preview}; `what` names what a 404 did not find (`pcrm note edit`: a note). The text it has
    already is no update: updated_at stays, meta says `unchanged` [no-op-edits]."""
    if set(data) - {"content_preview"}:
        bad = min(set(data) - {"content_preview"})
        raise ValidationError(
            f"only content_preview can be changed, not {bad}",
            field=bad,
            hint="to move a note in time, remove it and add it again with the new occurred_at",
        )
    text = data.get("content_preview")
    if text is not None and not isinstance(text, str):
        raise ValidationError("content_preview must be text", field="content_preview", hint=_TEXT_HINT)
    check_utf8("content_preview", text)
    if text is not None and len(text.strip()) > MAX_PREVIEW:
        raise ValidationError(
            f"content_preview is longer than {MAX_PREVIEW:,} characters",
            field="content_preview",
            hint=_TEXT_HINT,
        )
    if blank(text):
        raise ValidationError(
            "a note needs some text",
            field="content_preview",
            hint="to remove the note instead: pcrm note rm NOTE",
        )
    try:
        with write(ctx.conn):
            iid, _cid, _platform = locate(ctx, interaction_id, contact_id, what=what)
            if not store.by_hand(ctx.conn, iid):
                raise Forbidden(
                    "only notes and interactions logged by hand can be edited; synced and imported messages "
                    "mirror their source",
                    hint="add a note instead: pcrm note add CONTACT TEXT",
                )
            before = store.get(ctx.conn, iid)
            assert before is not None  # located just now
            store.update_content(ctx.conn, iid, (text or "").strip() or None, ctx.now_iso())
            no_op.undo_if_same(before, store.get(ctx.conn, iid) or {})
    except no_op.Unchanged as same:  # the text it has: no update, updated_at stays [no-op-edits]
        return Result(same.before, {"unchanged": True})
    return Result(store.get(ctx.conn, iid))


def _deletable(ctx: Context, iid: int) -> tuple[dict[str, Any] | None, bool]:
    """The interaction at rowid `iid` and whether it is a scheduled send; 403 unless it may be deleted."""
    item = store.get(ctx.conn, iid)
    # a send pcrm scheduled and the platform never delivered (cancelled in the app) [telegram-send]
    scheduled = str((item or {}).get("raw_reference_id") or "").startswith(store.SCHEDULED_PREFIX)
    if not scheduled and not store.by_hand(ctx.conn, iid):
        raise Forbidden(
            "only notes and interactions logged by hand can be deleted; synced and imported messages "
            "mirror their source (undo an import with `pcrm import undo`)",
            hint="notes are added with `pcrm note add`; other interactions stay as recorded",
        )
    return item, scheduled


def to_delete(ctx: Context, interaction_id: str, *, what: str = "interaction") -> dict[str, Any]:
    """What `pcrm note rm` asks about before deleting: the interaction an id or prefix names, with
    `contact_name` (as lists show the contact), after the checks the delete makes (404, an ambiguous
    prefix, 403), so nobody is asked about something that cannot go."""
    from pcrm.domain.models import display_name
    from pcrm.services.contacts import get_contact

    iid, _cid, _platform = locate(ctx, interaction_id, None, what=what)
    item, _scheduled = _deletable(ctx, iid)
    assert item is not None  # located just now
    return {**item, "contact_name": display_name(get_contact(ctx, item["contact_id"]).data)}


def delete_interaction(ctx: Context, interaction_id: str, *, contact_id: str | None = None) -> Result:
    with write(ctx.conn):
        iid, cid, _platform = locate(ctx, interaction_id, contact_id)
        item, scheduled = _deletable(ctx, iid)
        if scheduled:  # never sent: the follow-up it recorded goes with it
            sstore.withdraw_followup(ctx.conn, iid)
        store.delete(ctx.conn, iid)
        scores.refresh(ctx, [cid])
    return Result({"id": item["id"] if item else interaction_id, "deleted": True})


def list_interactions(
    ctx: Context,
    contact_id: str,
    *,
    limit: Any = None,
    offset: Any = None,
    platform: str | None = None,
    everything: bool = False,
    planned_apart: bool = False,
) -> Result:
    """GET /contacts/{id}/interactions: newest first, limit/offset paging (50 / 200); `platform` keeps
    one platform's (email, telegram, manual, ...). `everything` (the CLI's --all and --nl; no API
    parameter) returns the whole timeline [complete-lists].

    planned_apart (the CLI's text formats; no API parameter): the page is of what happened (at or before
    now), newest first, and the planned interactions (after now) come apart in meta `upcoming`, soonest first
    (as many as a page holds, every one with `everything`; on the first page only), with `upcoming_total`
    [future-interactions]: a meeting booked for next month headed the history."""
    lim, off = parse_limit_offset(limit, offset, default=LIMIT.default, hi=LIMIT.hi)
    only = choice(platform, "platform", PLATFORMS)  # its error at ["query", "platform"]
    cid = rowid(ctx, contact_id)
    if everything:
        lim, off = -1, 0
    until = ctx.now_iso() if planned_apart else None
    items, total = store.list_for_contact(ctx.conn, cid, lim, off, platform=only, until=until)
    meta: dict[str, Any] = {"total": total, "limit": max(total, 1) if everything else lim, "offset": off}
    if until is not None:
        ahead, ahead_total = (
            store.list_for_contact(ctx.conn, cid, lim, 0, platform=only, after=until, oldest_first=True)
            if off == 0
            else ([], 0)
        )
        meta |= {"upcoming": ahead, "upcoming_total": ahead_total}
    return Result(items, meta)


def recent_and_upcoming(ctx: Context, contact_id: str, limit: int) -> Result:
    """The timeline `pcrm contacts show` prints: the `limit` newest interactions at or before now (meta
    `total`: how many there are), and apart from them the planned ones, after now, soonest first (meta
    `upcoming`, `upcoming_total`) [future-interactions]: a meeting booked for 2030 was listed first among
    the recent ones."""
    cid, now = rowid(ctx, contact_id), ctx.now_iso()
    items, total = store.list_for_contact(ctx.conn, cid, limit, 0, until=now)
    ahead, ahead_total = store.list_for_contact(ctx.conn, cid, limit, 0, after=now, oldest_first=True)
    return Result(items, {"total": total, "upcoming": ahead, "upcoming_total": ahead_total})
