"""Dashboard views over contacts: overdue follow-ups [followup-intervals], stats [dashboard-views], birthdays
[upcoming-birthdays], the map's
bbox query [map-viewport], related contacts and recent activity [dashboard-views]. All read-only."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from typing import Any

from pcrm.clock import iso, parse_iso
from pcrm.domain.limits import Span
from pcrm.domain.models import BirthdayContact, OverdueContact, display_name
from pcrm.domain.query import parse_limit as parse
from pcrm.errors import BadRequest
from pcrm.services import scores
from pcrm.services.contacts import rowid
from pcrm.services.context import Context, Result
from pcrm.store import contacts as cstore
from pcrm.store import views as store

OVERDUE_LIMIT = Span(1, 50, 10)  # GET /contacts/overdue limit
BIRTHDAY_LIMIT = Span(1, 10, 10)  # GET /contacts/birthdays limit


def parse_limit(value: Any, *, default: int, hi: int) -> int:
    """domain.query.parse_limit, imported on use: that module's filter dataclass costs ~1.5 ms of CLI
    start-up that these views do not need."""
    return parse(value, default=default, hi=hi)


def overdue(ctx: Context, *, limit: Any = None, everything: bool = False) -> Result:
    """GET /contacts/overdue: high-priority contacts past the high interval, most overdue first.

    days_overdue counts calendar days in the user's zone [local-days]: whole days since the last interaction
    minus the interval; only positive values are listed. meta.total counts every overdue contact, so a cut
    list says so; `everything` (the CLI's --all, no API parameter) lifts the limit [complete-lists]. With
    nobody overdue, meta.high_priority counts the contacts watched and meta.next_due names the one heard
    from longest ago and the local day it becomes overdue (null if none was ever heard from)."""
    scores.catch_up(ctx)
    n = parse_limit(limit, default=OVERDUE_LIMIT.default, hi=OVERDUE_LIMIT.hi)
    interval = int(ctx.setting("priority.high"))
    tz = ctx.tz()
    today = ctx.now().astimezone(tz).date()
    # last interaction on or before this local day => more than `interval` days ago
    cutoff_day = today - timedelta(days=interval)
    before = iso(datetime.combine(cutoff_day, time(0, 0), tz))
    rows = store.overdue_candidates(ctx.conn, before, -1 if everything else n)  # -1: no LIMIT
    total = len(rows) if everything or len(rows) < n else store.overdue_count(ctx.conn, before)
    items: list[OverdueContact] = []
    for c, (_, last) in zip(cstore.fetch_contacts(ctx.conn, [cid for cid, _ in rows]), rows, strict=False):
        days = (today - parse_iso(last).astimezone(tz).date()).days
        items.append({**c, "days_overdue": days - interval})
    meta: dict[str, Any] = {"count": len(items), "total": total, "interval_days": interval}
    if not total:  # nobody overdue: whom the list watches, and who is next
        meta["high_priority"] = store.high_priority_count(ctx.conn)
        due = store.next_due(ctx.conn)
        meta["next_due"] = None
        if due is not None:
            day = parse_iso(due[1]).astimezone(tz).date() + timedelta(days=interval + 1)
            (who,) = cstore.fetch_contacts(ctx.conn, [due[0]])
            meta["next_due"] = {"id": who["id"], "name": display_name(who), "on": day.isoformat()}
    return Result(items, meta)


def contact_stats(ctx: Context) -> Result:
    """GET /contacts/stats -> {total, strong, active, dormant, interactions_this_week, interactions_last_week,
    active_last_week}. total and the score buckets (strong >= 8, active 4-7, dormant < 4) cover non-archived
    contacts, so the buckets add up to total; the weeks are the last 7 days and days 7-14 before now, counting
    only interactions that already happened [future-interactions]."""
    scores.catch_up(ctx)
    now = ctx.now()
    data = store.contact_stats(
        ctx.conn, iso(now - timedelta(days=7)), iso(now - timedelta(days=14)), iso(now)
    )
    return Result(data)


def birthday_window(today: date, days: int = 7) -> dict[str, int]:
    """MM-DD -> days until it, for today ... today+days-1 (real dates, so the year end wraps).

    Feb 29 birthdays are celebrated on Feb 28 in years without a Feb 29 (as the follow-up calendar does,
    [upcoming-birthdays]), so they still show up every year."""
    import calendar  # here: `pcrm contacts list` imports this module and never needs it (CLI start-up)

    out: dict[str, int] = {}
    for k in range(days):
        d = today + timedelta(days=k)
        out.setdefault(f"{d.month:02d}-{d.day:02d}", k)
        if d.month == 2 and d.day == 28 and not calendar.isleap(d.year):
            out.setdefault("02-29", k)
    return out


def birthdays(ctx: Context, *, limit: Any = None, everything: bool = False) -> Result:
    """GET /contacts/birthdays: non-archived contacts whose birthday falls today or in the next 6 days (in
    the `timezone` setting), soonest first (then by name), at most 10. Each is a full contact plus
    days_until_birthday (0 = today). meta.total counts the whole window; `everything` (the CLI's --all)
    lifts the limit [complete-lists]."""
    n = parse_limit(limit, default=BIRTHDAY_LIMIT.default, hi=BIRTHDAY_LIMIT.hi)
    today = ctx.now().astimezone(ctx.tz()).date()
    window = birthday_window(today)
    found = store.birthday_candidates(ctx.conn, list(window))
    found.sort(key=lambda r: window[r[1]])  # stable: keeps name order within a day
    total = len(found)
    found = found if everything else found[:n]
    items: list[BirthdayContact] = [
        {**c, "days_until_birthday": window[md]}
        for c, (_, md) in zip(cstore.fetch_contacts(ctx.conn, [cid for cid, _ in found]), found, strict=False)
    ]
    return Result(items, {"count": len(items), "total": total})


_BBOX_HINT = "e.g. pcrm contacts map --bbox=-123,37,-122,38 (minLng,minLat,maxLng,maxLat)"
MAP_HARD_CAP = 500


def _num(x: float) -> str:
    """A number as typed: -122, not -122.0; 37.77489999 whole."""
    return str(int(x)) if x.is_integer() else repr(x)


def parse_bbox(value: Any, *, ordered: bool = False) -> tuple[float, float, float, float]:
    """`minLng,minLat,maxLng,maxLat`: exactly four finite numbers, longitudes within -180..180 and latitudes
    within -90..90, else 400 [map-viewport]. ordered: a minimum above its maximum is refused too (the CLI);
    the reference's API answers such a box with nothing (no antimeridian case), and keeps doing so."""
    parts = (
        value.split(",")
        if isinstance(value, str)
        else list(value)
        if isinstance(value, (list, tuple))
        else []
    )
    try:
        nums = tuple(float(str(p).strip()) for p in parts)
    except ValueError:
        nums = ()
    if len(nums) != 4 or not all(math.isfinite(x) for x in nums):
        raise BadRequest(
            "bbox must be minLng,minLat,maxLng,maxLat",
            hint=_BBOX_HINT,
            details={"bbox": value if isinstance(value, str) else None},
            about="bbox",
        )
    min_lng, min_lat, max_lng, max_lat = nums
    out = [f"longitude {_num(x)}" for x in (min_lng, max_lng) if not -180 <= x <= 180]
    out += [f"latitude {_num(y)}" for y in (min_lat, max_lat) if not -90 <= y <= 90]
    if out:
        raise BadRequest(
            f"bbox: {', '.join(out)} {'is' if len(out) == 1 else 'are'} out of range (longitudes run from "
            "-180 to 180, latitudes from -90 to 90)",
            hint=_BBOX_HINT,
            details={"bbox": value if isinstance(value, str) else None},
            about="bbox",
        )
    swapped = [
        f"{lo_name} {_num(lo)} is above {hi_name} {_num(hi)}"
        for lo_name, lo, hi_name, hi in (
            ("minLng", min_lng, "maxLng", max_lng),
            ("minLat", min_lat, "maxLat", max_lat),
        )
        if lo > hi
    ]
    if ordered and swapped:
        fixed = ",".join(
            _num(x)
            for x in (
                min(min_lng, max_lng),
                min(min_lat, max_lat),
                max(min_lng, max_lng),
                max(min_lat, max_lat),
            )
        )
        raise BadRequest(
            f"bbox: {' and '.join(swapped)}, so the box holds nothing",
            hint=f"give minLng,minLat,maxLng,maxLat, smallest first: bbox={fixed} (a box across the "
            "antimeridian is two boxes, one each side)",
            details={"bbox": value if isinstance(value, str) else None},
            about="bbox",
        )
    return nums


def contacts_map(ctx: Context, bbox: Any, *, limit: Any = None, ordered: bool = False) -> Result:
    """GET /contacts/map?bbox=minLng,minLat,maxLng,maxLat&limit=: contacts with coordinates inside the box
    (bounds inclusive), archived and 2nd-tier contacts excluded [hidden-contacts], best score first. limit
    accepts 1-2000 but at most 500 come back; meta.total_in_bounds is the uncapped count. No antimeridian
    special
    case: a box with minLng > maxLng is empty, or refused with ordered (the CLI's)."""
    min_lng, min_lat, max_lng, max_lat = parse_bbox(bbox, ordered=ordered)
    n = min(parse_limit(limit, default=MAP_HARD_CAP, hi=2000), MAP_HARD_CAP)
    scores.catch_up(ctx)
    items, total = store.map_points(ctx.conn, min_lng, min_lat, max_lng, max_lat, n)
    return Result(_shown(ctx, items), {"total_in_bounds": total})


def _shown(ctx: Context, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row (from the store, with `_rowid`) given its `display_name`, how lists show it: by its address or
    number when it has no name [display-name]."""
    by_address = cstore.display_names(ctx.conn, [r["_rowid"] for r in items if not r["full_name"]])
    for r in items:
        cid = r.pop("_rowid")
        r["display_name"] = r["full_name"] or by_address[cid]
    return items


def map_config(ctx: Context) -> Result:
    """GET /map/config -> {mapbox_public_token}: the `map.mapbox_public_token` setting ("" when unset; the UI
    then says the map is not configured)."""
    return Result({"mapbox_public_token": ctx.setting("map.mapbox_public_token") or ""})


def related_contacts(ctx: Context, contact_id: str) -> Result:
    """GET /contacts/{id}/related: up to 5 non-archived contacts with the same organization, the same company
    (case-insensitive) or shared tags, best score first. Each {id, full_name, title, company, avatar_url,
    relationship_score, reasons, display_name}; reasons are "Same org", else "Same company", then "Shared
    tag: x"; display_name is how lists show the contact [display-name]."""
    scores.catch_up(ctx)
    cid = rowid(ctx, contact_id)
    out = []
    for r in store.related(ctx.conn, cid, 5, _same_company(ctx, cid)):
        reasons = ["Same org"] if r.pop("same_org") else []
        if r.pop("same_company"):
            reasons.append("Same company")
        shared = r.pop("shared_tags")
        reasons += [f"Shared tag: {t}" for t in (shared.split("\x1f") if shared else [])]
        r["reasons"] = reasons
        out.append(r)
    return Result(_shown(ctx, out))


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def _same_company(ctx: Context, cid: int) -> list[str]:
    """The company spellings the contacts use that are contact `cid`'s company by the company key
    [company-orgs] ("ACME" and "Acme Inc.", 株式会社ソニー and ソニー株式会社), its own included; [] without a
    company. A spelling in ASCII is keyed only when its letters hold every word of the key (a key word is a
    run of letters and digits of it, lowercased), so a store of thousands of companies keys a few."""
    own = store.company_of_contact(ctx.conn, cid)
    if not own:
        return []
    from pcrm.domain.identity_names import company_key  # loaded only here (rapidfuzz)
    from pcrm.domain.normalize import fold

    def company_of(name: str) -> str:  # as `organizations.company_of` tells companies apart
        return company_key(name) or fold(name)

    key = company_of(own)
    words = [_NOT_ALNUM.sub("", w) for w in key.split()]
    plain = key.isascii()
    out = []
    for name in store.companies(ctx.conn):
        if name.isascii():
            if not plain:
                continue  # an ASCII name's key is ASCII
            letters = _NOT_ALNUM.sub("", name.lower())
            if not all(w in letters for w in words):
                continue
        if name == own or company_of(name) == key:
            out.append(name)
    return out


def recent_activity(ctx: Context, *, limit: Any = None, everything: bool = False) -> Result:
    """GET /activity/recent?limit=20 (at most 100): the newest interaction of each non-archived contact in the
    last 7 days, newest first: {type: "message", contact_name, contact_id, contact_avatar_url, platform,
    direction, content_preview, timestamp}; a contact without a name is named as lists show it, by its
    address or number [display-name]. `everything` (the CLI's --all and --nl, no API parameter) lifts
    the limit; meta.total counts every one [complete-lists]."""
    n = parse_limit(limit, default=20, hi=100)
    now = ctx.now()
    since, until = iso(now - timedelta(days=7)), iso(now)
    items = store.recent_activity(ctx.conn, since, until, -1 if everything else n)
    nameless = {it["contact_id"]: rowid(ctx, it["contact_id"]) for it in items if not it["contact_name"]}
    shown = cstore.display_names(ctx.conn, list(nameless.values()))
    for it in items:
        it["type"] = "message"
        if not it["contact_name"]:  # as lists show a contact without a name: by address or number
            it["contact_name"] = shown.get(nameless[it["contact_id"]])
    # [complete-lists]: how many there are in all, counted only when the limit may have cut some
    cut = not everything and len(items) >= n
    total = store.recent_activity_count(ctx.conn, since, until) if cut else len(items)
    return Result(items, {"count": len(items), "total": total})


def dashboard(ctx: Context) -> Result:
    """The whole CRM at a glance, for an AI agent (the MCP tool get_dashboard_stats) [dashboard-views]: the
    `contacts stats` counts, how many suggestions are pending (as `suggestions list` shows them), and the
    interactions of the last 7 days (up to now) by platform, most first."""
    # here, not at the top: the suggestion engine (domain/suggestions) is ~2-7 ms of start-up that
    # `pcrm contacts overdue`, `stats` and `birthdays`, which import this module, do not need
    from pcrm.services import suggestions

    data: dict[str, Any] = dict(contact_stats(ctx).data)
    data["pending_suggestions"] = len(suggestions.list_suggestions(ctx).data)
    now = ctx.now()
    data["interactions_7d_by_platform"] = store.interactions_by_platform(
        ctx.conn, iso(now - timedelta(days=7)), iso(now)
    )
    return Result(data)
