"""Tier 2 [match-scoring]: every candidate pair scored; the sure ones merged, the likely ones queued."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

from pcrm.domain import identity as dom
from pcrm.services.context import Context
from pcrm.services.identity.groups import Backup, Groups, merge_groups
from pcrm.store import identity as istore

_WORK: tuple[list[dom.Person], set[frozenset[str]], list[int]] | None = None
PARALLEL_MIN_PAIRS = 50_000
# progress(stage, done, total): the CLI draws it at a terminal
Progress = Callable[[str, int, int], None]


def _score_range(bounds: tuple[int, int]) -> tuple[list[tuple[float, int, int]], int, int]:
    """Score pairs[lo:hi] (in a worker process after fork, or in-process): (review and auto-merge
    pairs, pairs compared, pairs looked at)."""
    assert _WORK is not None
    people, seen, codes = _WORK
    n = len(people)
    found = []
    compared = 0
    score_from, same_source, namesakes_only = dom.score_from, dom.same_source, dom.namesakes_only
    review = dom.REVIEW
    for k in range(*bounds):
        i, j = divmod(codes[k], n)
        a, b = people[i], people[j]
        if same_source(a, b) or namesakes_only(a, b) or (seen and frozenset((a.uuid, b.uuid)) in seen):
            continue
        compared += 1
        s = score_from(a, b, review)  # the score of a pair in the review band or above, else None
        if s is not None:
            found.append((s, i, j))
    return found, compared, bounds[1] - bounds[0]


def _tier2_candidates(
    people: list[dom.Person], seen: set[frozenset[str]], progress: Progress | None = None
) -> tuple[list[tuple[float, int, int]], dict[str, int]]:
    """Score every candidate pair; big stores are scored by one process per core (fork, so the
    workers share the loaded contacts without copying them). `progress("comparing", done, total)`
    follows the pairs, a chunk at a time."""
    import multiprocessing
    import os

    global _WORK
    codes, skipped = dom.pair_codes(people)
    _WORK = (people, seen, codes)
    total = len(codes)
    step = max(5_000, total // 64 + 1)  # ~64 chunks: a smooth progress bar, little overhead
    chunks = [(lo, min(lo + step, total)) for lo in range(0, total, step)]
    results: list[tuple[list[tuple[float, int, int]], int, int]] = []

    def advance(part: tuple[list[tuple[float, int, int]], int, int]) -> None:
        results.append(part)
        if progress is not None:
            progress("comparing", sum(r[2] for r in results), total)

    try:
        workers = min(os.cpu_count() or 1, 4)
        if total >= PARALLEL_MIN_PAIRS and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            gc.freeze()  # the children share the contacts copy-on-write; keep the collector off those pages
            try:
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    for part in pool.imap_unordered(_score_range, chunks):
                        advance(part)
            finally:
                gc.unfreeze()
        else:
            for bounds in chunks:
                advance(_score_range(bounds))
    finally:
        _WORK = None
    found = [t for part, _, _ in results for t in part]
    compared = sum(n for _, n, _ in results)
    found.sort(key=lambda t: (-t[0], t[1], t[2]))
    return found, {"candidate_pairs": len(codes), "pairs_compared": compared, "blocks_skipped": skipped}


def _coherent(people: list[dom.Person], left: list[int], right: list[int]) -> bool:
    """Every record of one group would auto-merge with every record of the other (no chaining two
    people through a third record)."""
    if len(left) == 1 and len(right) == 1:
        return True
    return all(dom.band(dom.score(people[x], people[y])) == "auto_merge" for x in left for y in right)


def _torn(people: list[dom.Person], sure: list[tuple[float, int, int]]) -> set[int]:
    """Records that would merge with two contacts who are clearly two people (the pair of them scores
    below review): a "Wei Dubois at Acme" with nothing else, next to two Wei Dubois at Acme born years
    apart. Merging in score order would hand the record to whichever came first [match-thresholds]."""
    partners: dict[int, list[int]] = {}
    for _s, i, j in sure:
        partners.setdefault(i, []).append(j)
        partners.setdefault(j, []).append(i)
    torn: set[int] = set()
    for x, ps in partners.items():
        if len(ps) < 2:
            continue
        for k, y in enumerate(ps):
            if any(dom.band(dom.score(people[y], people[z])) == "ignore" for z in ps[k + 1 :]):
                torn.add(x)
                break
    return torn


def tier2_merges(
    ctx: Context, backup: Backup, people: list[dom.Person] | None = None, progress: Progress | None = None
) -> tuple[list[dict[str, Any]], list[str], dict[str, int]]:
    conn = ctx.conn
    now = ctx.now_iso()
    if people is None:
        people = [dom.person(r) for r in istore.load_people(conn)]
    seen = istore.seen_pairs(conn)
    # a pending pair is scored again with the contacts as they are now [match-thresholds]: one an import
    # queued (it saw less of the records than the scan does) or one whose contacts gained data since
    # merges when it passes the auto-merge bar; a pair asked for a shared key under conflicting names
    # keeps its own reason, and a decided pair (merged, rejected) is never scored again
    decided = seen - {
        frozenset((m["contact_a_id"], m["contact_b_id"]))
        for m in istore.pending(conn)
        if not (m.get("explanation") or {}).get("shared_key")
    }
    found, stats = _tier2_candidates(people, decided, progress)
    g = Groups(people, istore.rejected_pairs(conn))
    merged: list[dict[str, Any]] = []
    review = [(s, i, j) for s, i, j in found if dom.band(s) == "review"]
    sure = [(s, i, j) for s, i, j in found if dom.band(s) == "auto_merge"]
    torn = _torn(people, sure)
    for done, (s, i, j) in enumerate(sure, 1):
        if progress is not None and (done % 50 == 0 or done == len(sure)):
            progress("merging", done, len(sure))
        ri, rj = g.find(i), g.find(j)
        if ri == rj or g.blocked(ri, rj):
            continue
        if i in torn or j in torn:
            # the record fits two contacts that are two people: which one is for the user to say
            review.append((s, i, j))
            continue
        if not _coherent(people, g.members[ri], g.members[rj]):
            # merging would chain two people through a third record: ask instead
            review.append((s, i, j))
            continue
        backup.take()
        res = merge_groups(
            ctx,
            g,
            i,
            j,
            score=round(s, 4),
            method="probabilistic",
            explanation=dom.explain(people[i], people[j]).to_dict(),
        )
        if res:
            merged.append(res)
    queued: list[tuple[int, str, int, str, float]] = []
    queued_pairs: set[frozenset[int]] = set()
    holders = {p.rowid: p for p in people}
    # a contact that absorbed others in this scan is scored as it is now (all of its records' data)
    grown = sorted({g.holder[r] for r, members in g.members.items() if len(members) > 1})
    holders.update((p.rowid, p) for p in (dom.person(r) for r in istore.load_people(conn, ids=grown)))
    for s, i, j in sorted(review, key=lambda t: (-t[0], t[1], t[2])):
        ri, rj = g.find(i), g.find(j)
        if ri == rj or g.blocked(ri, rj):
            continue
        key = frozenset((ri, rj))
        if key in queued_pairs:
            continue
        # queue the pair between the contacts that now hold each side (a merged-away record is
        # represented by its survivor), with the score those two contacts get: the queue, the hints
        # and `matches --explain` then all see the same pair the same way
        a, b = holders.get(g.holder[ri]), holders.get(g.holder[rj])
        if a is None or b is None or frozenset((a.uuid, b.uuid)) in seen:
            continue
        if len(g.members[ri]) > 1 or len(g.members[rj]) > 1:
            s = dom.score(a, b)
            if dom.band(s) == "ignore":
                continue
        # a pair sure on its own but torn or chaining two people is asked at the top of the review band
        queued_pairs.add(key)
        # the explanation is computed when asked (`matches --explain`), from the contacts as they are then
        queued.append((a.rowid, a.uuid, b.rowid, b.uuid, dom.queued_score(s)))
    queued_ids = istore.insert_pending(conn, queued, now)
    return merged, queued_ids, stats
