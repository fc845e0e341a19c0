"""Per-contact duplicate hints [duplicate-hints] and dismissing a pair as two people."""

from __future__ import annotations

from typing import Any

from pcrm.domain import identity as dom
from pcrm.domain.identity_explain import outcome
from pcrm.domain.models import display_name
from pcrm.serialize import loads
from pcrm.services.contacts import one_contact_twice, rowid
from pcrm.services.context import Context, Result, collector_paused
from pcrm.services.identity.queue import key_held, shown_key, typed_phones
from pcrm.store import contacts as cstore
from pcrm.store import identity as istore
from pcrm.store.db import write

BEST = 20  # the duplicates of one contact listed, best first


def duplicates(ctx: Context, contact_id: str, *, explain: bool = False) -> Result:
    """GET /contacts/{id}/duplicates: other non-archived contacts that share a blocking key, are not
    same-source, not rejected with it, and score at least 0.40; best 20, meta.total counting every one
    [complete-lists]."""
    with collector_paused():
        return _duplicates(ctx, rowid(ctx, contact_id), explain=explain)


def _duplicates(ctx: Context, cid: int, *, explain: bool) -> Result:
    conn = ctx.conn
    rows = istore.load_people(conn)
    target_row = next((r for r in rows if r["_rowid"] == cid), None)
    if target_row is None:  # an archived contact can still ask
        target_row = istore.load_people(conn, include_archived=True, ids=[cid])[0]
    target = dom.person(target_row)
    tkeys = dom.blocking_keys(target)
    sizes: dict[str, int] = {}
    cands: list[tuple[dom.Person, set[str]]] = []
    for r in rows:
        if r["_rowid"] == cid:
            continue
        p = dom.person(r)
        shared = dom.blocking_keys(p) & tkeys
        for k in shared:
            sizes[k] = sizes.get(k, 0) + 1
        if shared:
            cands.append((p, shared))
    rejected = istore.rejected_partners(conn, target.uuid)
    scored = []
    for p, shared in cands:
        if all(sizes[k] + 1 > dom.MAX_BLOCK for k in shared):
            continue
        if dom.same_source(target, p) or p.uuid in rejected:
            continue
        ex = dom.explain(target, p)
        if ex.score >= dom.HINT:
            scored.append((ex.score, p, ex, shared))
    scored.sort(key=lambda t: (-t[0], t[1].uuid))
    total = len(scored)
    scored = scored[:BEST]
    full = {c["id"]: c for c in cstore.fetch_contacts(conn, [p.rowid for _, p, _, _ in scored])}
    keep = (
        "id",
        "full_name",
        "given_name",
        "family_name",
        "emails",
        "phones",
        "company",
        "title",
        "twitter_handle",
        "telegram_username",
    )
    # pairs of the contact waiting in the review queue: what happens to those is that they are asked
    # [review-queue], whatever band the score alone is in
    asked: dict[int, Any] = {}
    pending = [
        {
            **r,
            "_a": r["contact_a_id"],
            "_b": r["contact_b_id"],
            "explanation": loads(r["explanation"] or "null"),
        }
        for r in (istore.rows_involving(conn, cid) if explain else [])
        if r["status"] == "pending_review"
    ]
    typed = typed_phones(ctx, pending)
    for r in pending:
        stored = r["explanation"]
        other = r["_b"] if r["_a"] == cid else r["_a"]
        key = stored.get("shared_key") if isinstance(stored, dict) else None
        asked[other] = (key, shown_key(key, r["_a"], r["_b"], typed), r["match_score"])
    out = []
    for s, p, ex, shared in scored:
        item = {k: full[p.uuid].get(k) for k in keep}
        item["score"] = round(s, 2)
        if explain:
            fate = {}
            if p.rowid in asked:
                stored_key, shared_key, listed = asked[p.rowid]
                held = key_held(ctx, stored_key, target, p)
                names = (display_name(target_row), display_name(full[p.uuid]))
                fate = outcome(
                    ex.band, shared_key, target, p, score=ex.score, listed=listed, held=held, names=names
                )
            item["explanation"] = dict(ex.to_dict(), shared_blocking_keys=sorted(shared), **fate)
        out.append(item)
    return Result(out, {"count": len(out), "total": total})


def dismiss_duplicate(ctx: Context, contact_id: str, other_id: str) -> Result:
    """POST /contacts/{id}/dismiss-duplicate/{other_id}: remember that these two are different people."""
    now = ctx.now_iso()
    with write(ctx.conn):
        a, b = rowid(ctx, contact_id), rowid(ctx, other_id)
        if a == b:
            raise one_contact_twice(ctx, a, "a duplicate of")
        ua, ub = cstore.uuid_for_rowid(ctx.conn, a), cstore.uuid_for_rowid(ctx.conn, b)
        (ra, xa), (rb, xb) = sorted([(a, ua), (b, ub)], key=lambda t: t[1])
        m = istore.find_pair(ctx.conn, ua, ub)
        if m is not None:
            istore.update(ctx.conn, m["_rowid"], status="rejected", resolved_at=now)
        else:
            istore.insert(
                ctx.conn,
                (ra, xa),
                (rb, xb),
                score=0.0,
                method="manual_dismiss",
                status="rejected",
                now=now,
                resolved=True,
            )
    return Result({"dismissed": True})
