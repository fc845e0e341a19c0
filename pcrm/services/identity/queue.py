"""The review queue [review-queue]: pending pairs, merged or rejected one at a time."""

from __future__ import annotations

import re
from typing import Any

from pcrm.domain import identity as dom
from pcrm.domain import normalize as n
from pcrm.domain.identity_explain import HAS, IN_NOTES, NONE, said_key
from pcrm.domain.identity_explain import outcome as explain_outcome
from pcrm.domain.limits import Span
from pcrm.domain.models import IDENTITIES, display_name
from pcrm.domain.query import whole_number
from pcrm.errors import BadRequest, NotFound, ValidationError
from pcrm.services.context import Context, Result
from pcrm.services.merge import merge_pair, renamed_row
from pcrm.store import contacts as cstore
from pcrm.store import identity as istore
from pcrm.store.db import write

# find_duplicates without a contact (MCP): at most this many groups of look-alikes, as the other list tools
QUEUE_LIMIT = Span(1, 100, 20)

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _match_ref(ctx: Context, match_id: str) -> dict[str, Any]:
    ref = (match_id or "").strip().lower()
    if not ref:
        raise ValidationError(
            "empty identity match reference",
            field="match_id",
            hint="give a match id (or 4+ characters of it); `pcrm identity matches` lists them",
        )
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
        short = 0 < len(ref) < 4 and not _UUID.match(ref)
        raise NotFound(
            f"no identity match with id {match_id}",
            hint="an id prefix needs at least 4 characters; list the ids with `pcrm identity matches`"
            if short
            else "list them with `pcrm identity matches`",
        )
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


def _clusters(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Pending pairs grouped into questions [review-queue]: pairs that share a contact, directly or
    through others, are one cluster (A~B, B~C and A~C ask one thing: are A, B and C one person?).
    Clusters come best evidence first (their best pair's score), each cluster's pairs best first."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for m in items:
        ra, rb = find(m["_a"]), find(m["_b"])
        if ra != rb:
            parent[rb] = ra
    groups: dict[int, list[dict[str, Any]]] = {}
    for m in items:  # best first already (store.pending)
        groups.setdefault(find(m["_a"]), []).append(m)
    return list(groups.values())  # in order of each group's best pair


def typed_phones(ctx: Context, matches: list[dict[str, Any]]) -> dict[int, list[tuple[str, str]]]:
    """The numbers as typed (and as stored) of the contacts of the pairs queued for a shared phone, by
    contact rowid: what `shown_key` names them by."""
    ids = sorted({x for m in matches if _phone_key(m) for x in (m["_a"], m["_b"])})
    typed: dict[int, list[tuple[str, str]]] = {}
    for cid, phone, norm in istore.typed_phones(ctx.conn, ids):
        typed.setdefault(cid, []).append((phone, norm))
    return typed


def _phone_key(m: dict[str, Any]) -> bool:
    stored = m.get("explanation")
    return isinstance(stored, dict) and (stored.get("shared_key") or {}).get("key") == "phone"


def shown_key(
    shared: dict[str, Any] | None, a: int, b: int, typed: dict[int, list[tuple[str, str]]]
) -> dict[str, Any] | None:
    """A pair's shared key as its reason names it [review-queue]: a phone as `pcrm contacts show` shows it,
    typed as the first contact (else the second) holds that line ("+44 20 7946 0001"), not as it is
    stored (+442079460001); written out when neither holds it any more. Other keys as stored."""
    if not shared or shared.get("key") != "phone":
        return shared
    line = n.phone_line_digits(str(shared["value"]))
    for cid in (a, b):
        for phone, norm in typed.get(cid, ()):
            if n.phone_line_digits(norm) == line:
                return {**shared, "value": phone}
    return {**shared, "value": n.readable_phone(str(shared["value"]))}


def key_held(
    ctx: Context, shared: dict[str, Any] | None, pa: dom.Person, pb: dom.Person
) -> tuple[str, str] | None:
    """How each of two contacts holds the value of the key their pair was asked about for (as stored), for
    said_key [shared-key-reasons]: HAS, IN_NOTES or NONE each; None when the key is not one a contact holds
    (a conversation, a name). A pair is asked about for a value only one of them holds: a platform id the
    other's record gave but another contact held (it stays theirs), the id of an exported row that made the
    other, an email one holds and the other's notes name."""
    if not shared:
        return None
    key, value = shared.get("key"), str(shared.get("value") or "")

    def each(holds: Any) -> tuple[str, str]:
        return (holds(pa), holds(pb))

    if key in ("email", "phone"):
        return each(lambda p: HAS if dom.holds_key(p, shared) else NONE)
    if key == "email_in_notes":
        e = value.lower()
        return each(
            lambda p: HAS if e in p.emails else IN_NOTES if e in dom.emails_in_text(p.notes) else NONE
        )
    if key == "exported_id":
        return each(lambda p: HAS if p.uuid == value.lower() else NONE)
    if key in IDENTITIES:
        platform, column = IDENTITIES[key]
        holder = cstore.id_by_identity(ctx.conn, platform, column, value)
        return each(lambda p: HAS if p.rowid == holder else NONE)
    return None


def key_reason(
    ctx: Context,
    shared: dict[str, Any] | None,
    shown: dict[str, Any] | None,
    pair: tuple[Any, Any],
    names: tuple[str, str],
) -> tuple[str | None, tuple[str, str] | None]:
    """A pair's shared key as its reason says it (`shown`: the key as shown_key names it) and who holds it."""
    if not shared or not shown:
        return None, None
    held = key_held(ctx, shared, *pair)
    return said_key(shown, held, names), held


def list_matches(ctx: Context, *, explain: bool = False, limit: Any = None) -> Result:
    """GET /identity/matches: pending pairs (both contacts present and not archived), grouped into
    clusters of contacts that may be one person, best evidence first [review-queue]. Each pair keeps the
    reference's fields and adds `cluster_id` (the id of its cluster's best pair), `cluster_rank`
    (1 = the best question), `cluster_size` (contacts in the cluster) and `reason` (the deciding
    signals in words). `limit` counts clusters, not pairs."""
    n = whole_number(limit, "limit", default=0, lo=1, hi=1_000_000)
    items = istore.pending(ctx.conn)
    groups = _clusters(items)
    shown = groups[:n] if n else groups
    ids = sorted({m["_a"] for g in shown for m in g} | {m["_b"] for g in shown for m in g})
    summ = istore.summaries(ctx.conn, ids)
    people = {
        p["_rowid"]: dom.person(p) for p in istore.load_people(ctx.conn, include_archived=True, ids=ids)
    }
    typed = typed_phones(ctx, [m for g in shown for m in g])
    out = []
    for rank, group in enumerate(shown, 1):
        size = len({m["_a"] for m in group} | {m["_b"] for m in group})
        for m in group:
            pm = _public_match(m, summ)
            pa, pb = people[m["_a"]], people[m["_b"]]
            ex = dom.explain(pa, pb)
            stored = m["explanation"] if isinstance(m.get("explanation"), dict) else {}
            pm["cluster_id"] = group[0]["id"]
            pm["cluster_rank"] = rank
            pm["cluster_size"] = size
            # a pair queued with its own reason (a shared key between conflicting names) keeps it
            shared = shown_key(stored.get("shared_key"), m["_a"], m["_b"], typed)
            names = (
                display_name(summ.get(m["contact_a_id"]) or {}),
                display_name(summ.get(m["contact_b_id"]) or {}),
            )
            said, held = key_reason(ctx, stored.get("shared_key"), shared, (pa, pb), names)
            pm["reason"] = said or stored.get("summary") or stored.get("reason") or ex.summary
            if ex.band == "auto_merge" and not stored:
                # sure on its own, asked because one side also fits a contact the other is not
                pm["reason"] += " (asked: the records around this pair do not all agree)"
            if explain:
                pm["explanation"] = dict(
                    ex.to_dict(),
                    same_source=dom.same_source(pa, pb),
                    shared_blocking_keys=sorted(dom.blocking_keys(pa) & dom.blocking_keys(pb)),
                    # what happens to the pair: it is asked, whatever band the score alone is in
                    **explain_outcome(
                        ex.band,
                        shared,
                        pa,
                        pb,
                        score=ex.score,
                        listed=m["match_score"],
                        held=held,
                        names=names,
                    ),
                )
            out.append(pm)
    meta = {
        "count": len(out),
        "clusters": len(shown),
        "total_clusters": len(groups),
        "total_pairs": len(items),
    }
    return Result(out, meta)


def score_pending_now(ctx: Context) -> int:
    """Every pending pair scored again with its contacts as they now stand (a scan does it) [review-queue]:
    the score it was queued with said what the contacts held then, and the queue, its explanation and the
    hints listed that. It is stored as every pending pair is (`dom.queued_score`); a shared key stored as
    its reason stays while both contacts hold it, else the reason is worked out from the two, as are
    words stored with it. The status never changes: a pair asked stays asked until the user answers it.
    Returns how many pairs changed."""
    items = istore.pending(ctx.conn)
    if not items:
        return 0
    ids = sorted({x for m in items for x in (m["_a"], m["_b"])})
    people = {p["_rowid"]: dom.person(p) for p in istore.load_people(ctx.conn, ids=ids)}
    changed = 0
    for m in items:
        a, b = people.get(m["_a"]), people.get(m["_b"])
        if a is None or b is None:
            continue
        stored = m["explanation"] if isinstance(m.get("explanation"), dict) else None
        shared = (stored or {}).get("shared_key")
        if shared and not (dom.holds_key(a, shared) and dom.holds_key(b, shared)):
            shared = None
        now = {"shared_key": shared} if shared else None
        score = dom.queued_score(dom.score(a, b), shared_key=bool(shared))
        if score == m["match_score"] and now == (stored or None):
            continue
        istore.update(ctx.conn, m["_rowid"], match_score=score, explanation=now)
        changed += 1
    return changed


def review_queue(ctx: Context, limit: Any = None) -> Result:
    """The review queue as an agent reads it (MCP find_duplicates without a contact): the first `limit`
    groups (QUEUE_LIMIT), best first, with meta saying how many pairs and groups wait in all; the CLI and
    the API list the whole queue unless asked for less."""
    n = whole_number(limit, "limit", default=QUEUE_LIMIT.default, lo=QUEUE_LIMIT.lo, hi=QUEUE_LIMIT.hi)
    return list_matches(ctx, limit=n)


def merge_match(ctx: Context, match_id: str) -> Result:
    """POST /identity/matches/{id}/merge: merge a pending pair (the richer contact survives)."""
    with write(ctx.conn):
        m = _match_ref(ctx, match_id)
        if m["status"] != "pending_review":
            raise _not_pending(m)
        if m["_a"] is None or m["_b"] is None:
            raise NotFound(
                "one contact of this match no longer exists", hint="run `pcrm identity scan` again"
            )
        renamed = renamed_row(m)
        res = merge_pair(
            ctx,
            m["_a"],
            m["_b"],
            score=m["match_score"],
            method=m["match_method"],
            match_rowid=m["_rowid"],
            keep_questions=True,
            renamed=renamed,
        )
        done = istore.match_row(ctx.conn, m["_rowid"])
        summ = istore.summaries(ctx.conn, [done["_a"]] if done["_a"] else [])
        data = _public_match(done, summ)
    data["merge_id"] = res["merge_id"]
    data["survivor_id"] = res["survivor_id"]
    data["survivor_display_name"] = res["display_name"]  # as lists show it [display-name]
    # [merge-rules]: what the merge filled and kept aside, as a direct merge says it
    data["fields_filled"] = res["fields_filled"]
    data["values_kept"] = res["values_kept"]
    data["tags_past_cap"] = res["tags_past_cap"]  # [contact-tags]: all kept, said
    return Result(data)


def _not_pending(m: dict[str, Any]) -> BadRequest:
    """Merging or rejecting a match already decided: 400, as the reference answers rejecting twice
    [review-queue], with its status and when it was decided in `details`, so a script that rejects a match
    again can tell "already done" (status rejected) from a refusal; nothing is changed."""
    done = {"merged": "already merged", "rejected": "already rejected"}.get(m["status"], m["status"])
    hint = "list pending matches with `pcrm identity matches`"
    if m["status"] == "rejected":
        hint = f"nothing to do: the two stay apart; {hint}"
    return BadRequest(
        f"match {m['id']} is {done}, not pending review",
        hint=hint,
        details={"status": m["status"], "resolved_at": m["resolved_at"]},
    )


def reject_match(ctx: Context, match_id: str) -> Result:
    """POST /identity/matches/{id}/reject: these two are different people; no tier joins them again."""
    with write(ctx.conn):
        m = _match_ref(ctx, match_id)
        if m["status"] != "pending_review":
            raise _not_pending(m)
        istore.update(ctx.conn, m["_rowid"], status="rejected", resolved_at=ctx.now_iso())
        done = istore.match_row(ctx.conn, m["_rowid"])
        summ = istore.summaries(ctx.conn, [x for x in (done["_a"], done["_b"]) if x])
    return Result(_public_match(done, summ))
