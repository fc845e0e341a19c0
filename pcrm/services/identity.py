"""Identity resolution use cases [review-queue]: the scan (tier 1 then tier 2), the review queue,
per-contact duplicate hints, dismissals.

Rejected pairs (a user's reject or dismissal, and every unmerge, [rejected-pairs]) are honoured by both tiers:
a tier-1 merge never joins two groups that hold a rejected pair, and tier 2 never re-queues any pair it has
seen. A scan that will merge takes an automatic backup first [automatic-backups].
"""

from __future__ import annotations

import gc
import re
from typing import Any

from pcrm.domain import identity as dom
from pcrm.errors import BadRequest, NotFound
from pcrm.services import scores
from pcrm.services.contacts import rowid
from pcrm.services.context import Context, Result, collector_paused
from pcrm.services.merge import _DryRun, merge_pair
from pcrm.store import contacts as cstore
from pcrm.store import identity as istore
from pcrm.store.backup import auto_backup
from pcrm.store.db import connect, write

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


# ---------------------------------------------------------------- groups of contacts being merged


class _Groups:
    """Union-find over contacts during one scan: who has been merged into whom, and which rowid
    currently holds each group. Rejected pairs between two groups block their union."""

    def __init__(self, people: list[dom.Person], rejected: set[frozenset[str]]) -> None:
        self.parent = list(range(len(people)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(people))}
        self.holder: dict[int, int] = {i: p.rowid for i, p in enumerate(people)}
        self.people = people
        self.partners: dict[str, set[str]] = {}
        for pair in rejected:
            if len(pair) == 2:
                x, y = tuple(pair)
                self.partners.setdefault(x, set()).add(y)
                self.partners.setdefault(y, set()).add(x)

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def blocked(self, ri: int, rj: int) -> bool:
        if not self.partners:
            return False
        uj = {self.people[m].uuid for m in self.members[rj]}
        return any(self.partners.get(self.people[m].uuid, set()) & uj for m in self.members[ri])

    def union(self, ri: int, rj: int, holder: int) -> None:
        self.parent[rj] = ri
        self.members[ri].extend(self.members.pop(rj))
        self.holder[ri] = holder
        self.holder.pop(rj, None)


def _merge_groups(
    ctx: Context, g: _Groups, i: int, j: int, *, score: float, method: str, explanation: Any = None
) -> dict[str, Any] | None:
    ri, rj = g.find(i), g.find(j)
    if ri == rj or g.blocked(ri, rj):
        return None
    res = merge_pair(
        ctx,
        g.holder[ri],
        g.holder[rj],
        score=score,
        method=method,
        explanation=explanation,
        refresh_scores=False,
        atomic=False,
    )
    g.union(ri, rj, res["_survivor"])
    return res


# ---------------------------------------------------------------- tier 1


def _tier1_links(people: list[dom.Person]) -> list[tuple[int, int, str]]:
    """Deterministic links in list order [deterministic-merges]: same email, same phone (digits), an email in
    notes."""
    links: list[tuple[int, int, str]] = []
    seen: dict[str, int] = {}
    for i, p in enumerate(people):
        for e in p.emails:
            if e in seen and seen[e] != i:
                links.append((seen[e], i, "email"))
            else:
                seen.setdefault(e, i)
    by_phone: dict[str, int] = {}
    for i, p in enumerate(people):
        for d in p.phones:
            if len(d) < 7:
                continue
            if d in by_phone and by_phone[d] != i:
                links.append((by_phone[d], i, "phone"))
            else:
                by_phone.setdefault(d, i)
    for i, p in enumerate(people):
        for e in dom.emails_in_text(p.notes):
            j = seen.get(e)
            if j is not None and j != i:
                links.append((j, i, "notes_email"))
    return links


def _tier1_people(conn: Any) -> list[dom.Person]:
    """The contacts as tier 1 sees them: rowid, uuid, emails, phone digits and notes, the same values
    `dom.person` derives, without the name/company/handle work tier 1 never uses (an import's run_tier1
    over a large store)."""
    rows = istore.load_tier1(conn)
    if not _may_link(rows):
        return []  # no link possible: nobody to build
    digits = _NON_DIGIT.sub
    return [
        dom.Person(
            rowid=cid,
            uuid=uuid,
            notes=notes,
            emails=frozenset(e.lower() for e in emails),
            phones=tuple(d for d in (digits("", p) for p in phones) if d),
        )
        for cid, uuid, notes, emails, phones in rows
    ]


_NON_DIGIT = re.compile(r"\D")


def _may_link(rows: list[tuple[int, str, str, list[str], list[str]]]) -> bool:
    """Whether `_tier1_links` could find anything: an email or a phone (7+ digits) on two contacts, or
    notes that may hold an address. False for the usual import into a store without duplicates, which
    then skips building the people."""
    emails: set[str] = set()
    phones: set[str] = set()
    digits = _NON_DIGIT.sub
    for _cid, _uuid, notes, mails, nums in rows:
        if "@" in notes:
            return True
        if mails:
            mine = {e.lower() for e in mails}
            if not emails.isdisjoint(mine):
                return True
            emails |= mine
        if nums:
            mine = {d for d in (digits("", p) for p in nums) if len(d) >= 7}
            if not phones.isdisjoint(mine):
                return True
            phones |= mine
    return False


def _tier1(ctx: Context, backup: _Backup, people: list[dom.Person] | None = None) -> list[dict[str, Any]]:
    conn = ctx.conn
    if people is None:
        people = _tier1_people(conn)
    links = _tier1_links(people)
    if not links:
        return []
    g = _Groups(people, istore.rejected_pairs(conn))
    done = []
    for i, j, _why in links:
        ri, rj = g.find(i), g.find(j)
        if ri == rj or g.blocked(ri, rj):
            continue
        backup.take()
        res = _merge_groups(ctx, g, i, j, score=1.0, method="deterministic")
        if res:
            done.append(res)
    return done


class _Backup:
    """Takes the automatic backup once, just before the first merge [automatic-backups], from a second
    connection
    so it holds the state before this scan even while the scan's transaction is open."""

    def __init__(self, ctx: Context, enabled: bool) -> None:
        self.ctx, self.enabled = ctx, enabled
        self.path: str | None = None

    def take(self) -> None:
        if not self.enabled or self.path is not None:
            return

        reader = connect(self.ctx.path, migrate=False, create=False)
        try:
            self.path = str(auto_backup(reader, reason="identity-scan"))
        finally:
            reader.close()


def run_tier1(ctx: Context, *, backup_first: bool = True) -> dict[str, Any]:
    """The deterministic pass alone [deterministic-merges], for imports and syncs that created contacts. Call
    it after committing the import. Takes an automatic backup first when it will merge [automatic-backups].
    Returns {auto_merged, merge_ids, match_ids, backup}."""
    backup = _Backup(ctx, backup_first)
    with write(ctx.conn):
        done = _tier1(ctx, backup)
        survivors = sorted({d["_survivor"] for d in done})
        if survivors:
            scores.refresh(ctx, [c for c in survivors if cstore.summaries(ctx.conn, [c])])
    return {
        "auto_merged": len(done),
        "merge_ids": [d["merge_id"] for d in done],
        "match_ids": [d["match_id"] for d in done],
        "backup": backup.path,
    }


# ---------------------------------------------------------------- tier 2

_WORK: tuple[list[dom.Person], set[frozenset[str]], list[tuple[int, int]]] | None = None
PARALLEL_MIN_PAIRS = 50_000


def _score_range(bounds: tuple[int, int]) -> tuple[list[tuple[float, int, int]], int]:
    """Score pairs[lo:hi] (in a worker process after fork, or in-process)."""
    assert _WORK is not None
    people, seen, pairs = _WORK
    found = []
    compared = 0
    for k in range(*bounds):
        i, j = pairs[k]
        a, b = people[i], people[j]
        if dom.same_source(a, b) or frozenset((a.uuid, b.uuid)) in seen:
            continue
        compared += 1
        s = dom.score(a, b)
        if dom.band(s) != "ignore":
            found.append((s, i, j))
    return found, compared


def _tier2_candidates(
    people: list[dom.Person], seen: set[frozenset[str]]
) -> tuple[list[tuple[float, int, int]], dict[str, int]]:
    """Score every candidate pair; big stores are scored by one process per core (fork, so the
    workers share the loaded contacts without copying them)."""
    import multiprocessing
    import os

    global _WORK
    pair_set, skipped = dom.candidate_pairs(people)
    pairs = sorted(pair_set)
    del pair_set
    _WORK = (people, seen, pairs)
    try:
        workers = min(os.cpu_count() or 1, 4)
        if (
            len(pairs) >= PARALLEL_MIN_PAIRS
            and workers > 1
            and "fork" in multiprocessing.get_all_start_methods()
        ):
            step = len(pairs) // (workers * 4) + 1
            chunks = [(lo, min(lo + step, len(pairs))) for lo in range(0, len(pairs), step)]
            gc.freeze()  # the children share the contacts copy-on-write; keep the collector off those pages
            try:
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    results = pool.map(_score_range, chunks)
            finally:
                gc.unfreeze()
        else:
            results = [_score_range((0, len(pairs)))]
    finally:
        _WORK = None
    found = [t for part, _ in results for t in part]
    compared = sum(n for _, n in results)
    found.sort(key=lambda t: (-t[0], t[1], t[2]))
    return found, {"candidate_pairs": len(pairs), "pairs_compared": compared, "blocks_skipped": skipped}


def _coherent(people: list[dom.Person], left: list[int], right: list[int]) -> bool:
    """Every record of one group would auto-merge with every record of the other (no chaining two
    people through a third record)."""
    if len(left) == 1 and len(right) == 1:
        return True
    return all(dom.band(dom.score(people[x], people[y])) == "auto_merge" for x in left for y in right)


def _tier2(
    ctx: Context, backup: _Backup, people: list[dom.Person] | None = None
) -> tuple[list[dict[str, Any]], list[str], dict[str, int]]:
    conn = ctx.conn
    now = ctx.now_iso()
    if people is None:
        people = [dom.person(r) for r in istore.load_people(conn)]
    seen = istore.seen_pairs(conn)
    found, stats = _tier2_candidates(people, seen)
    g = _Groups(people, istore.rejected_pairs(conn))
    merged: list[dict[str, Any]] = []
    review = [(s, i, j) for s, i, j in found if dom.band(s) == "review"]
    for s, i, j in found:
        if dom.band(s) != "auto_merge":
            continue
        ri, rj = g.find(i), g.find(j)
        if ri == rj or g.blocked(ri, rj):
            continue
        if not _coherent(people, g.members[ri], g.members[rj]):
            # merging would chain two people through a third record: ask instead
            review.append((s, i, j))
            continue
        backup.take()
        res = _merge_groups(
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
    for s, i, j in sorted(review, key=lambda t: (-t[0], t[1], t[2])):
        ri, rj = g.find(i), g.find(j)
        if ri == rj or g.blocked(ri, rj):
            continue
        key = frozenset((ri, rj))
        if key in queued_pairs:
            continue
        # queue the pair between the contacts that now hold each side (a merged-away record is
        # represented by its survivor)
        a, b = holders.get(g.holder[ri]), holders.get(g.holder[rj])
        if a is None or b is None or frozenset((a.uuid, b.uuid)) in seen:
            continue
        queued_pairs.add(key)
        # the explanation is computed when asked (`matches --explain`), from the contacts as they are then
        queued.append((a.rowid, a.uuid, b.rowid, b.uuid, round(s, 4)))
    queued_ids = istore.insert_pending(conn, queued, now)
    return merged, queued_ids, stats


def scan(ctx: Context, *, dry_run: bool = False, backup_first: bool = True) -> Result:
    """POST /identity/scan: tier 1 then tier 2, synchronously. With dry_run everything is computed and
    rolled back, so the counts are exactly what a real scan would do."""
    backup = _Backup(ctx, backup_first and not dry_run)

    def body() -> dict[str, Any]:
        people = [dom.person(r) for r in istore.load_people(ctx.conn)]
        t1 = _tier1(ctx, backup, people)
        t2, queued, stats = _tier2(ctx, backup, None if t1 else people)  # reload only if tier 1 merged
        for rid in istore.stale_pending(ctx.conn):
            istore.delete(ctx.conn, rid)
        survivors = {m["_survivor"] for m in t1 + t2}
        if survivors:
            scores.refresh(ctx, sorted(c for c in survivors if cstore.summaries(ctx.conn, [c])))
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
    if dry_run:
        meta["would_merge"] = [
            {
                "survivor_id": m["survivor_id"],
                "merged_contact_id": m["merged_contact_id"],
                "full_name": m["full_name"],
            }
            for m in merges
        ]
    return Result(data, meta)


# ---------------------------------------------------------------- review queue


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


# ---------------------------------------------------------------- per-contact hints


def duplicates(ctx: Context, contact_id: str, *, explain: bool = False) -> Result:
    """GET /contacts/{id}/duplicates: other non-archived contacts that share a blocking key, are not
    same-source, not rejected with it, and score at least 0.40; best 20."""
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
    scored = scored[:20]
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
    out = []
    for s, p, ex, shared in scored:
        item = {k: full[p.uuid].get(k) for k in keep}
        item["score"] = round(s, 2)
        if explain:
            item["explanation"] = dict(ex.to_dict(), shared_blocking_keys=sorted(shared))
        out.append(item)
    return Result(out, {"count": len(out)})


def dismiss_duplicate(ctx: Context, contact_id: str, other_id: str) -> Result:
    """POST /contacts/{id}/dismiss-duplicate/{other_id}: remember that these two are different people."""
    now = ctx.now_iso()
    with write(ctx.conn):
        a, b = rowid(ctx, contact_id), rowid(ctx, other_id)
        if a == b:
            raise BadRequest("a contact cannot be a duplicate of itself", hint="give two different contacts")
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
