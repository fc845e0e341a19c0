"""The scan: tier 1 then tier 2 in one write transaction, or a dry run that says what it would do."""

from __future__ import annotations

from typing import Any

from pcrm.domain import identity as dom
from pcrm.services import scores
from pcrm.services.context import Context, Result, collector_paused
from pcrm.services.identity.groups import Backup
from pcrm.services.identity.queue import score_pending_now
from pcrm.services.identity.tier1 import tier1_pass
from pcrm.services.identity.tier2 import Progress, tier2_merges
from pcrm.services.merge import _DryRun
from pcrm.store import contacts as cstore
from pcrm.store import identity as istore
from pcrm.store.db import write


def scan(
    ctx: Context, *, dry_run: bool = False, backup_first: bool = True, progress: Progress | None = None
) -> Result:
    """POST /identity/scan: tier 1 then tier 2, synchronously. With dry_run everything is computed and
    rolled back, so the counts are exactly what a real scan would do. data.pending_review counts the pairs
    this scan queued; meta.pending_total every pair waiting for review once it is done (as `identity
    matches` lists them). `progress(stage, done, total)`
    follows loading, comparing and merging (the CLI draws it at a terminal)."""
    backup = Backup(ctx, backup_first and not dry_run)

    def body() -> dict[str, Any]:
        if progress is not None:
            progress("loading", 0, 1)
        people = [dom.person(r) for r in istore.load_people(ctx.conn)]
        if progress is not None:
            progress("loading", 1, 1)
        t1, asked = tier1_pass(ctx, backup, people)  # [shared-keys]: a key under conflicting names is asked
        # reload only if tier 1 merged
        t2, queued, stats = tier2_merges(ctx, backup, None if t1 else people, progress)
        queued = asked + queued
        for rid in istore.stale_pending(ctx.conn):
            istore.delete(ctx.conn, rid)
        # the pairs asked before, listed with their score as the contacts now stand [review-queue]
        rescored = score_pending_now(ctx)
        survivors = {m["_survivor"] for m in t1 + t2}
        if survivors:
            scores.refresh(ctx, sorted(c for c in survivors if cstore.summaries(ctx.conn, [c])))
        # every pair waiting, not only this scan's new ones: a second scan said "0 pairs to review" while
        # `pcrm identity matches` listed one [review-queue]
        waiting = len(istore.pending(ctx.conn))
        stats = {**stats, "pending_rescored": rescored, "pending_total": waiting}
        return {"t1": t1, "t2": t2, "queued": queued, "stats": stats}

    with collector_paused():
        if dry_run:
            try:
                with write(ctx.conn):
                    raise _DryRun(body())
            except _DryRun as d:
                out = d.result
        else:
            with write(ctx.conn):
                out = body()
    merges = out["t1"] + out["t2"]
    data = {
        "auto_merged": len(merges),
        "pending_review": len(out["queued"]),
        "matches_found": len(merges) + len(out["queued"]),
    }
    meta = {
        "auto_merged_ids": [] if dry_run else [m["match_id"] for m in merges],
        "pending_review_ids": [] if dry_run else out["queued"],
        "merge_ids": [] if dry_run else [m["merge_id"] for m in merges],
        "deterministic_merged": len(out["t1"]),
        "probabilistic_merged": len(out["t2"]),
        "dry_run": dry_run,
        "backup": backup.path,
        **out["stats"],
    }
    # [contact-tags]: the survivors a merge left with more tags than a contact takes, all kept; a contact
    # merged again later is said as its last merge left it
    past = {m["survivor_id"]: m for m in merges if m.get("tags_past_cap")}
    if past:
        meta["tags_past_cap"] = [
            {"id": k, "display_name": m["display_name"], "tags": m["tags_past_cap"]} for k, m in past.items()
        ]
    if dry_run:
        meta["would_merge"] = [
            {
                "survivor_id": m["survivor_id"],
                "merged_contact_id": m["merged_contact_id"],
                "full_name": m["full_name"],
                "display_name": m["display_name"],  # a nameless survivor by its address or number
            }
            for m in merges
        ]
    return Result(data, meta)
