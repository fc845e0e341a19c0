"""The review queue [review-queue]: pending pairs, merged or rejected one at a time."""

from __future__ import annotations

import re
from typing import Any

from pcrm.domain import identity as dom
from pcrm.errors import BadRequest, NotFound
from pcrm.services.context import Context, Result
from pcrm.services.merge import merge_pair
from pcrm.store import identity as istore
from pcrm.store.db import write

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _match_ref(ctx: Context, match_id: str) -> dict[str, Any]:
    ref = (match_id or "").strip().lower()
    m = istore.get(ctx.conn, ref) if _UUID.match(ref) else None
    if m is None and len(ref) >= 4 and not _UUID.match(ref):
        found = istore.by_prefix(ctx.conn, ref)
        if len(found) > 1:
            raise BadRequest(
                f"{match_id!r} matches {len(found)} identity matches", hint="give more of the id"
            )
        if found:
            m = istore.get(ctx.conn, found[0])
    if m is None:
        raise NotFound(f"no identity match with id {match_id}", hint="list them with `pcrm identity matches`")
    return m


def _public_match(m: dict[str, Any], summaries: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": m["id"],
        "contact_a_id": m["contact_a_id"],
        "contact_b_id": m["contact_b_id"] if m["_b"] else None,
        "contact_a": summaries.get(m["contact_a_id"]),
        "contact_b": summaries.get(m["contact_b_id"]),
        "match_score": m["match_score"],
        "match_method": m["match_method"],
        "status": m["status"],
        "created_at": m["created_at"],
        "resolved_at": m["resolved_at"],
        # [shared-keys]: the key a pair shares under conflicting names, when that is why it was queued
        "shared_key": (m.get("explanation") or {}).get("shared_key"),
    }


def _explain_rows(ctx: Context, a: int, b: int) -> dict[str, Any]:
    people = {
        p["_rowid"]: dom.person(p) for p in istore.load_people(ctx.conn, include_archived=True, ids=[a, b])
    }
    pa, pb = people[a], people[b]
    out = dom.explain(pa, pb).to_dict()
    out["same_source"] = dom.same_source(pa, pb)
    out["shared_blocking_keys"] = sorted(dom.blocking_keys(pa) & dom.blocking_keys(pb))
    return out


def list_matches(ctx: Context, *, explain: bool = False) -> Result:
    """GET /identity/matches: pending pairs (both contacts present and not archived), best first."""
    items = istore.pending(ctx.conn)
    ids = sorted({r["_a"] for r in items} | {r["_b"] for r in items})
    summ = istore.summaries(ctx.conn, ids)
    out = []
    for m in items:
        pm = _public_match(m, summ)
        if explain:
            pm["explanation"] = _explain_rows(ctx, m["_a"], m["_b"])
        out.append(pm)
    return Result(out, {"count": len(out)})


def merge_match(ctx: Context, match_id: str) -> Result:
    """POST /identity/matches/{id}/merge: merge a pending pair (the richer contact survives)."""
    with write(ctx.conn):
        m = _match_ref(ctx, match_id)
        if m["status"] != "pending_review":
            raise BadRequest(
                f"match {m['id']} is {m['status']}, not pending review",
                hint="list pending matches with `pcrm identity matches`",
            )
        if m["_a"] is None or m["_b"] is None:
            raise NotFound(
                "one contact of this match no longer exists", hint="run `pcrm identity scan` again"
            )
        res = merge_pair(
            ctx, m["_a"], m["_b"], score=m["match_score"], method=m["match_method"], match_rowid=m["_rowid"]
        )
        done = istore.match_row(ctx.conn, m["_rowid"])
        summ = istore.summaries(ctx.conn, [done["_a"]] if done["_a"] else [])
        data = _public_match(done, summ)
    data["merge_id"] = res["merge_id"]
    data["survivor_id"] = res["survivor_id"]
    return Result(data)


def reject_match(ctx: Context, match_id: str) -> Result:
    """POST /identity/matches/{id}/reject: these two are different people; no tier joins them again."""
    with write(ctx.conn):
        m = _match_ref(ctx, match_id)
        if m["status"] != "pending_review":
            raise BadRequest(
                f"match {m['id']} is {m['status']}, not pending review",
                hint="list pending matches with `pcrm identity matches`",
            )
        istore.update(ctx.conn, m["_rowid"], status="rejected", resolved_at=ctx.now_iso())
        done = istore.match_row(ctx.conn, m["_rowid"])
        summ = istore.summaries(ctx.conn, [x for x in (done["_a"], done["_b"]) if x])
    return Result(_public_match(done, summ))
