"""Explainable scores [score-breakdown]: batch recompute, the breakdown with its monthly trend, and `score
explain`.

POST /contacts/scores/recalculate -> recalculate_scores; GET /contacts/{id}/activity -> contact_activity
(with the contact's detected events, [job-changes]); `pcrm score explain` -> explain_score (CLI only; the same
aggregates with the facts behind each value); `pcrm contacts show` -> contact_events.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from orjson import loads

from pcrm.clock import iso, parse_iso
from pcrm.domain import scoring
from pcrm.domain.scoring import ScoreInputs
from pcrm.services import scores
from pcrm.services.contacts import rowid
from pcrm.services.context import Context, Result
from pcrm.store import activity as store
from pcrm.store import ai as aistore
from pcrm.store import contacts as cstore
from pcrm.store import interactions as istore

TREND_DAYS = 183


def recalculate_scores(ctx: Context) -> Result:
    """POST /contacts/scores/recalculate: every score from one grouped query and the pure [score-formula]
    functions; {updated: n} counts the contacts rescored, meta.changed the rows whose values moved."""
    rescored, changed = scores.refresh(ctx)
    return Result({"updated": rescored}, {"changed": changed})


def _inputs(ctx: Context, cid: int, now: datetime) -> ScoreInputs:
    return istore.score_inputs(ctx.conn, now, [cid]).get(cid) or ScoreInputs()


def monthly_trend(occurred: list[datetime], now: datetime, tz: Any) -> list[dict[str, Any]]:
    """Counts per calendar month (in the user's zone) over the last 183 days, every month listed."""
    start = (now - timedelta(days=TREND_DAYS)).astimezone(tz)
    end = now.astimezone(tz)
    counts: dict[str, int] = {}
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        counts[f"{y:04d}-{m:02d}"] = 0
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    for t in occurred:
        key = t.astimezone(tz).strftime("%Y-%m")
        if key in counts:
            counts[key] += 1
    return [{"month": k, "count": v} for k, v in counts.items()]


def _events(ctx: Context, cid: int) -> list[dict[str, Any]]:
    out = aistore.events_of(ctx.conn, cid)
    for e in out:
        e["details"] = loads(e["details"]) if e["details"] else None
    return out


def contact_events(ctx: Context, contact_id: str) -> list[dict[str, Any]]:
    """A contact's detected events, newest first [job-changes]: the job changes an import or a push
    recorded, and the events classified from a changed bio [ai-events]."""
    return _events(ctx, rowid(ctx, contact_id))


REACTED = 20  # the messages whose reactions `contact_activity` lists, newest first


def _reactions(ctx: Context, cid: int) -> list[dict[str, Any]]:
    """The reactions on the contact's messages (an X DM's `extra_data.reactions`), newest first: each with
    the message it reacts to, who (you or them), how and when [chat-takeouts]."""
    out = [
        {
            "interaction_id": uuid,
            "message": text,
            "by": str(r.get("by") or "them"),
            "type": str(r.get("type") or "emoji"),
            "emoji": r.get("emoji"),
            "at": r.get("at") or at,
        }
        for uuid, at, text, extra in store.reacted(ctx.conn, cid, REACTED)
        for r in loads(extra).get("reactions") or []
        if isinstance(r, dict) and (r.get("type") or r.get("emoji"))
    ]
    return sorted(out, key=lambda r: str(r["at"]), reverse=True)


def contact_activity(ctx: Context, contact_id: str) -> Result:
    """GET /contacts/{id}/activity: {score, dimensions, stats, monthly_trend, events, reactions}
    [score-breakdown]."""
    now = ctx.now()
    cid = rowid(ctx, contact_id)
    i = _inputs(ctx, cid, now)
    b = scoring.score(i, now)
    since = iso(now - timedelta(days=TREND_DAYS))
    trend = monthly_trend(
        [parse_iso(t) for t in store.occurred_since(ctx.conn, cid, since, iso(now))], now, ctx.tz()
    )
    return Result(
        {
            "score": b.total,
            "dimensions": b.dimensions(),
            "stats": {
                "inbound_365d": i.inbound,
                "outbound_365d": i.outbound,
                "count_30d": i.c30,
                "count_90d": i.c30 + i.c90,
                "platforms": list(i.platforms),
                "interaction_count": i.lifetime_count,
                "first_interaction_at": iso(i.first_at) if i.first_at else None,
            },
            "monthly_trend": trend,
            "events": _events(ctx, cid),
            "reactions": _reactions(ctx, cid),
        }
    )


def _ts(dt: datetime | None) -> str | None:
    return iso(dt) if dt else None


def explain(i: ScoreInputs, now: datetime) -> dict[str, Any]:
    """Each dimension's value, maximum, rule and the facts it came from (pure)."""
    b = scoring.score(i, now)
    eff_in = i.inbound + 0.05 * i.inbound_1_2y + 0.02 * i.inbound_2_5y
    eff_out = i.outbound + 0.05 * i.outbound_1_2y + 0.02 * i.outbound_2_5y
    if i.last_inbound is not None:
        base, mult, base_kind = i.last_inbound, 1.0, "last inbound"
    elif i.last_any is not None:
        base, mult, base_kind = i.last_any, 0.5, "last interaction (no inbound: half weight)"
    else:
        base, mult, base_kind = None, 0.0, "none"
    weighted = i.c30 * 1.0 + i.c90 * 0.3 + i.c365 * 0.1 + i.c1_2y * 0.05 + i.c2_5y * 0.02
    tenure_years = (now - i.first_at).days / 365.25 if i.first_at else 0.0
    m = scoring.MAXIMA
    return {
        "score": b.total,
        "dimensions": {
            "reciprocity": {
                "value": b.reciprocity,
                "max": m["reciprocity"],
                "rule": "round(4 x min(in, out) / max(in, out)) on effective counts; 0 without both",
                "facts": {
                    "inbound_365d": i.inbound,
                    "outbound_365d": i.outbound,
                    "inbound_1_2y": i.inbound_1_2y,
                    "outbound_1_2y": i.outbound_1_2y,
                    "inbound_2_5y": i.inbound_2_5y,
                    "outbound_2_5y": i.outbound_2_5y,
                    "effective_in": round(eff_in, 4),
                    "effective_out": round(eff_out, 4),
                },
            },
            "recency": {
                "value": b.recency,
                "max": m["recency"],
                "rule": "days since base: <=7 -> 3, <=30 -> 2, <=90 -> 1, else 0; x0.5 without inbound",
                "facts": {
                    "last_inbound": _ts(i.last_inbound),
                    "last_interaction": _ts(i.last_any),
                    "base": base_kind,
                    "days_since": (now - base).days if base else None,
                    "multiplier": mult,
                },
            },
            "frequency": {
                "value": b.frequency,
                "max": m["frequency"],
                "rule": "weighted = c30 + 0.3 c90 + 0.1 c365 + 0.05 c1_2y + 0.02 c2_5y; >=8 -> 2, >=3 -> 1",
                "facts": {
                    "count_30d": i.c30,
                    "count_30_90d": i.c90,
                    "count_90_365d": i.c365,
                    "count_1_2y": i.c1_2y,
                    "count_2_5y": i.c2_5y,
                    "weighted": round(weighted, 4),
                },
            },
            "breadth": {
                "value": b.breadth,
                "max": m["breadth"],
                "rule": "1 with two or more platforms (notes do not count)",
                "facts": {"platforms": list(i.platforms)},
            },
            "tenure": {
                "value": b.tenure,
                "max": m["tenure"],
                "rule": ">=50 interactions over >=2 years -> 2; >=20 over >=1 year -> 1",
                "facts": {
                    "interaction_count": i.lifetime_count,
                    "first_interaction_at": _ts(i.first_at),
                    "tenure_years": round(tenure_years, 2),
                },
            },
        },
        "capped": sum((b.reciprocity, b.recency, b.frequency, b.breadth, b.tenure)) > 10,
    }


def explain_score(ctx: Context, contact_id: str) -> Result:
    """`pcrm score explain CONTACT`: the breakdown with the facts behind each dimension."""
    now = ctx.now()
    cid = rowid(ctx, contact_id)
    uuid, name, stored, _count, computed = store.contact_row(ctx.conn, cid)
    data = explain(_inputs(ctx, cid, now), now)
    shown = name or cstore.display_names(ctx.conn, [cid]).get(cid)  # [display-name]
    data["contact"] = {"id": uuid, "full_name": name, "display_name": shown}
    data["stored_score"] = stored
    data["score_computed_at"] = computed
    data["now"] = iso(now)
    return Result(data)
