"""Organization dedupe ([org-dedupe], pcrm's own routes, [pcrm-routes]): a deterministic pass, a
probabilistic pass, a
review queue. Merging reuses the organizations service's merge (fill empty fields, move contacts)."""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz.distance import Levenshtein

from pcrm.domain.identity import company_key
from pcrm.errors import BadRequest, Conflict, NotFound, ValidationError
from pcrm.services.context import Context, Result
from pcrm.services.organizations import merge_organizations
from pcrm.store import identity as istore
from pcrm.store import organizations as ostore
from pcrm.store.db import write

# [org-dedupe] shorter generic list for org dedupe
GENERIC = ("gmail", "yahoo", "hotmail", "outlook", "icloud", "mail", "aol", "protonmail")
WEIGHTS = {"name": 0.40, "domain": 0.20, "linkedin": 0.20, "website": 0.10, "twitter": 0.10}
AUTO, REVIEW = 0.95, 0.40


def _generic(domain: str) -> bool:
    return domain.split(".", 1)[0] in GENERIC


def norm_website(value: str | None) -> str:
    """Host only: no scheme, no `www.`, no path."""
    v = (value or "").strip().lower()
    v = re.sub(r"^[a-z][a-z0-9+.-]*://", "", v).split("/", 1)[0].split("?", 1)[0].split(":", 1)[0]
    return v.removeprefix("www.")


def norm_linkedin(value: str | None) -> str:
    v = (value or "").strip().lower()
    m = re.search(r"linkedin\.com/(company|school|showcase)/([^/?#]+)", v)
    return f"{m.group(1)}/{m.group(2)}" if m else ""


def norm_domain(value: str | None) -> str:
    return norm_website(value)


def org_score(a: dict[str, Any], b: dict[str, Any]) -> float:
    na, nb = company_key(a["name"]), company_key(b["name"])
    vals: dict[str, float] = {}
    vals["name"] = Levenshtein.normalized_similarity(na, nb) if na and nb else 0.0
    avail = {"name": bool(na and nb)}
    da, db = norm_domain(a.get("domain")), norm_domain(b.get("domain"))
    avail["domain"] = bool(da and db)
    vals["domain"] = float(da == db) if avail["domain"] else 0.0
    la, lb = norm_linkedin(a.get("linkedin_url")), norm_linkedin(b.get("linkedin_url"))
    avail["linkedin"] = bool(la and lb)
    vals["linkedin"] = float(la == lb) if avail["linkedin"] else 0.0
    wa, wb = norm_website(a.get("website")), norm_website(b.get("website"))
    avail["website"] = bool(wa and wb)
    vals["website"] = float(wa == wb) if avail["website"] else 0.0
    ta, tb = (
        (a.get("twitter_handle") or "").lower().lstrip("@"),
        (b.get("twitter_handle") or "").lower().lstrip("@"),
    )
    avail["twitter"] = bool(ta and tb)
    vals["twitter"] = float(ta == tb) if avail["twitter"] else 0.0
    tw = sum(WEIGHTS[k] for k in WEIGHTS if avail[k])
    if not tw:
        return 0.0
    total = sum(WEIGHTS[k] * vals[k] for k in WEIGHTS if avail[k]) / tw
    name = vals["name"]
    if avail["name"] and name < 0.5 and (vals["domain"] == 1.0 or vals["linkedin"] == 1.0):
        total = min(total, 0.50)
    others = [k for k in WEIGHTS if k != "name" and avail[k]]
    single_a, single_b = len(na.split()) == 1, len(nb.split()) == 1
    if (single_a or single_b) and not others:
        total = min(total, 0.50)
        if single_a and single_b and name < 0.95:
            total = 0.0
    if avail["name"] and not others:
        total = min(total, 0.70)
    return round(total, 4)


def _anchors(o: dict[str, Any]) -> set[str]:
    keys = set()
    n = company_key(o["name"])
    if n:
        keys.add("name:" + n[:3])
    if norm_domain(o.get("domain")):
        keys.add("domain:" + norm_domain(o.get("domain")))
    if norm_linkedin(o.get("linkedin_url")):
        keys.add("linkedin:" + norm_linkedin(o.get("linkedin_url")))
    if norm_website(o.get("website")):
        keys.add("website:" + norm_website(o.get("website")))
    return keys


def _deterministic(a: dict[str, Any], b: dict[str, Any]) -> str | None:
    da, db = norm_domain(a.get("domain")), norm_domain(b.get("domain"))
    if da and da == db and not _generic(da):
        return "deterministic_domain"
    la = norm_linkedin(a.get("linkedin_url"))
    if la and la == norm_linkedin(b.get("linkedin_url")):
        return "deterministic_linkedin"
    wa = norm_website(a.get("website"))
    if (
        wa
        and wa == norm_website(b.get("website"))
        and a["name"].strip().casefold() == b["name"].strip().casefold()
    ):
        return "deterministic_name_website"
    return None


def _target(a: dict[str, Any], b: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(target, source): more contacts wins; on a tie, the older."""
    if b["contact_count"] > a["contact_count"]:
        return b, a
    if a["contact_count"] > b["contact_count"]:
        return a, b
    return (a, b) if (a["created_at"], a["_rowid"]) <= (b["created_at"], b["_rowid"]) else (b, a)


def _merge(ctx: Context, target: dict[str, Any], source: dict[str, Any]) -> dict[str, Any]:
    """Merge `source` into `target` through the journaled merge [company-orgs]: what it did, with the id
    `pcrm orgs unmerge` takes -> {merge_id, kept, merged_away, contacts_moved, values_kept}."""
    res = merge_organizations(ctx, [source["id"]], target["id"])
    moved = res.data["contacts_updated"]
    target["contact_count"] += moved
    return {
        "merge_id": res.meta["merge_ids"][0],
        "kept": target["name"],
        "merged_away": source["name"],
        "contacts_moved": moved,
        "values_kept": res.data["values_kept"],
    }


class _DryRun(Exception):
    def __init__(self, result: tuple[int, int, list[dict[str, Any]]]) -> None:
        super().__init__("dry run")
        self.result = result


def scan_duplicates(ctx: Context, *, dry_run: bool = False) -> Result:
    """POST /organizations/scan-duplicates -> {matches_found, auto_merged, pending_review}; meta.merges
    names each merge it made ({merge_id, kept, merged_away, contacts_moved, values_kept}), so a wrong one
    can be undone.

    With dry_run (the CLI's --dry-run) the scan runs in a transaction that is rolled back, so the counts
    and meta.merges (without merge ids: no merge is kept) are exactly what the scan would do, and nothing
    is written (meta.dry_run) [org-dedupe]."""
    if not dry_run:
        with write(ctx.conn):
            auto, pending, merges = _scan(ctx)
        data = {"matches_found": auto + pending, "auto_merged": auto, "pending_review": pending}
        return Result(data, {"merges": merges})
    try:
        with write(ctx.conn):
            raise _DryRun(_scan(ctx))
    except _DryRun as d:
        auto, pending, merges = d.result
    data = {"matches_found": auto + pending, "auto_merged": auto, "pending_review": pending}
    would = [{k: v for k, v in m.items() if k != "merge_id"} for m in merges]
    return Result(data, {"merges": would, "dry_run": True})


def _scan(ctx: Context) -> tuple[int, int, list[dict[str, Any]]]:
    """The scan, inside the caller's write transaction -> (merged, queued, the merges it made)."""
    now = ctx.now_iso()
    auto = pending = 0
    merges: list[dict[str, Any]] = []
    orgs = istore.org_rows(ctx.conn)
    alive = {o["_rowid"]: o for o in orgs}
    blocks: dict[str, list[int]] = {}
    for o in orgs:
        for k in _anchors(o):
            blocks.setdefault(k, []).append(o["_rowid"])
    pairs = sorted(
        {
            (min(x, y), max(x, y))
            for ids in blocks.values()
            if len(ids) <= 500
            for i, x in enumerate(ids)
            for y in ids[i + 1 :]
        }
    )
    existing = istore.org_matches(ctx.conn)
    scored = []
    for x, y in pairs:
        a, b = alive.get(x), alive.get(y)
        if a is None or b is None:
            continue
        prior = existing.get(frozenset((x, y)))
        if prior and prior["status"] != "pending_review":
            continue  # resolved pairs are kept and never re-decided
        method = _deterministic(a, b)
        if method:
            target, source = _target(a, b)
            merges.append(_merge(ctx, target, source))
            alive.pop(source["_rowid"])
            auto += 1
            continue
        scored.append((org_score(a, b), x, y, prior))
    for s, x, y, prior in scored:
        if x not in alive or y not in alive:
            continue
        a, b = alive[x], alive[y]
        if s >= AUTO:
            target, source = _target(a, b)
            merges.append(_merge(ctx, target, source))
            alive.pop(source["_rowid"])
            auto += 1
        elif s >= REVIEW:
            if prior is None:
                istore.insert_org_match(
                    ctx.conn, x, y, score=s, method="probabilistic", status="pending_review", now=now
                )
                pending += 1
            else:
                istore.update_org_match(ctx.conn, prior["_rowid"], match_score=s)
        elif prior is not None:  # stale pending pair that no longer scores
            istore.delete_org_match(ctx.conn, prior["_rowid"])
    # pending pairs whose orgs no longer share an anchor are stale too
    scored_keys = {frozenset((x, y)) for _, x, y, _ in scored}
    for key, m in istore.org_matches(ctx.conn).items():
        if m["status"] == "pending_review" and key not in scored_keys and all(k in alive for k in key):
            a, b = (alive[k] for k in key)
            if org_score(a, b) < REVIEW:
                istore.delete_org_match(ctx.conn, m["_rowid"])
    return auto, pending, merges


def _org_summary(o: dict[str, Any]) -> dict[str, Any]:
    return {
        k: o.get(k)
        for k in (
            "id",
            "name",
            "domain",
            "logo_url",
            "linkedin_url",
            "website",
            "twitter_handle",
            "contact_count",
        )
    }


def list_duplicates(ctx: Context) -> Result:
    """GET /organizations/duplicates: pending pairs by score."""
    orgs = {o["_rowid"]: o for o in istore.org_rows(ctx.conn)}
    out = [
        {
            "id": m["id"],
            "match_score": m["match_score"],
            "match_method": m["match_method"],
            "status": m["status"],
            "created_at": m["created_at"],
            "org_a": _org_summary(orgs[m["_a"]]),
            "org_b": _org_summary(orgs[m["_b"]]),
        }
        for m in istore.org_pending(ctx.conn)
    ]
    return Result(out, {"count": len(out)})


def _match(ctx: Context, match_id: str) -> dict[str, Any]:
    ref = (match_id or "").strip().lower()
    m = istore.org_match(ctx.conn, ref) if ref else None
    if m is None and len(ref) >= 4:
        found = istore.org_match_prefix(ctx.conn, ref)
        if len(found) > 1:
            raise BadRequest(
                f"{match_id!r} matches {len(found)} organization pairs", hint="give more of the id"
            )
        if found:
            m = istore.org_match(ctx.conn, found[0])
    if m is None and ref:
        _refuse_merged(ctx, ref)
    if m is None:
        raise NotFound(
            f"no organization duplicate with id {match_id}", hint="list them with `pcrm orgs duplicates`"
        )
    return m


def _refuse_merged(ctx: Context, ref: str) -> None:
    """A pair merged already is gone with the organization merged away: say so, into what, and how to
    undo it, rather than that no such pair exists [org-dedupe]."""
    found = ostore.merge_of_pair(ctx.conn, ref) if len(ref) >= 4 else []
    pairs = {m["source_before"].get("_pair") for m in found}
    if len(pairs) != 1:
        return
    m = found[0]
    away = m["source_before"].get("name") or m["source_uuid"]
    when = (m["merged_at"] or "")[:10]
    if m["unmerged_at"]:
        raise Conflict(
            f"this pair was merged ({away} into {m['target_name']}, merge {m['id'][:8]} on {when}) and "
            f"unmerged since",
            hint="list the pairs left to review with `pcrm orgs duplicates`",
            details={"merge_id": m["id"]},
        )
    raise Conflict(
        f"this pair was already merged: {away} into {m['target_name']} (merge {m['id'][:8]} on {when})",
        hint=f"undo it with: pcrm orgs unmerge {m['id'][:8]}",
        details={"merge_id": m["id"], "target_name": m["target_name"]},
    )


def merge_duplicate(ctx: Context, match_id: str, target_id: str) -> Result:
    """POST /organizations/duplicates/{id}/merge {target_id} -> {merged, target_id, target_name,
    merged_away (its name), contacts_moved, values_kept (what of it the kept one's notes now hold)};
    meta.merge_ids holds the id `pcrm orgs unmerge` takes (as POST /organizations/merge answers)."""
    if not target_id:
        raise ValidationError(
            "target_id is required", field="target_id", hint="pcrm orgs duplicates merge ID --target ORG"
        )
    with write(ctx.conn):
        m = _match(ctx, match_id)
        if m["status"] != "pending_review":
            raise BadRequest(
                f"this pair is already {m['status']}", hint="list pending pairs with `pcrm orgs duplicates`"
            )
        tid = ostore.rowid_for_uuid(ctx.conn, str(target_id).lower())
        if tid not in (m["_a"], m["_b"]):
            raise BadRequest(
                "the target must be one of the two organizations of the pair",
                hint="give target_id: one of the pair's ids",
            )
        orgs = {o["_rowid"]: o for o in istore.org_rows(ctx.conn)}
        target, source = orgs[tid], orgs[m["_b"] if tid == m["_a"] else m["_a"]]
        istore.update_org_match(ctx.conn, m["_rowid"], status="merged", resolved_at=ctx.now_iso())
        done = _merge(ctx, target, source)  # deleting the source cascades the pair row away
        ostore.note_merged_pair(ctx.conn, done["merge_id"], m["id"])  # ...so its journal names the pair
    return Result(
        {
            "merged": True,
            "target_id": target["id"],
            "target_name": done["kept"],
            "merged_away": done["merged_away"],
            "contacts_moved": done["contacts_moved"],
            "values_kept": done["values_kept"],
        },
        {"merge_ids": [done["merge_id"]]},
    )


def dismiss_duplicate(ctx: Context, match_id: str) -> Result:
    """POST /organizations/duplicates/{id}/dismiss -> {dismissed: true}."""
    with write(ctx.conn):
        m = _match(ctx, match_id)
        istore.update_org_match(ctx.conn, m["_rowid"], status="dismissed", resolved_at=ctx.now_iso())
    return Result({"dismissed": True})
