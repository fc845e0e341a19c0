"""Identity resolution: duplicate hints, direct merges, the match queue [review-queue] [reversible-merges].

Status codes [review-queue] [error-codes]: an unknown match or contact is 404; merging or rejecting a match
that is no longer pending review is 400; merging a contact with itself is 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pcrm.api import schemas as s
from pcrm.api.declare import Call, Param, op, svc, target_name
from pcrm.domain.query import parse_bool
from pcrm.services import identity, merge

T = "identity"
EXPLAIN = Param("explain", "boolean", "true: each signal, its weight, the guards applied and the score.")
DRY_RUN = Param("dry_run", "boolean", "true: compute everything, write nothing.")


def flagged(fn: Callable[..., Any], *flags: str) -> Any:
    """Like `svc(fn)` (path parameters positionally), with boolean query parameters parsed (true/false;
    anything else is 422) and passed as keywords."""

    def handler(ctx: Any, call: Call) -> Any:
        return fn(ctx, *call.path.values(), **{f: bool(parse_bool(call.query.get(f), f)) for f in flags})

    handler.target = target_name(fn)  # type: ignore[attr-defined]
    handler.query_names = flags  # type: ignore[attr-defined]
    return handler


def queue_handler() -> Any:
    """GET /identity/matches: `explain` (boolean) and `limit` (clusters) passed to the service."""

    def handler(ctx: Any, call: Call) -> Any:
        explain = bool(parse_bool(call.query.get("explain"), "explain"))
        return identity.list_matches(ctx, explain=explain, limit=call.query.get("limit"))

    handler.target = target_name(identity.list_matches)  # type: ignore[attr-defined]
    handler.query_names = ("explain", "limit")  # type: ignore[attr-defined]
    return handler


OPS = [
    op(
        "GET",
        "/contacts/{contact_id}/duplicates",
        "Duplicate candidates for a contact",
        T,
        call=flagged(identity.duplicates, "explain"),
        query=(EXPLAIN,),
        response=list[s.DuplicateHint],
        meta=s.CountTotalMeta,
        description="Other non-archived contacts sharing a blocking key, not same-source, not rejected, "
        "scoring 0.40 or more; best 20 (meta.total: how many scored so).",
    ),
    op(
        "POST",
        "/contacts/{contact_id}/merge/{other_id}",
        "Merge two contacts directly",
        T,
        call=flagged(merge.merge_contacts, "dry_run"),
        query=(DRY_RUN,),
        response=s.ContactMerged,
        meta=s.DryRunMeta,
        description=("The richer contact survives and is reported as `id`; undo with the merge_id."),
    ),
    op(
        "POST",
        "/contacts/{contact_id}/dismiss-duplicate/{other_id}",
        "Dismiss a duplicate hint",
        T,
        call=svc(identity.dismiss_duplicate),
        response=s.Dismissed,
    ),
    op(
        "GET",
        "/identity/matches",
        "List pending identity matches",
        T,
        read=True,
        call=queue_handler(),
        query=(EXPLAIN, Param("limit", "integer", "At most this many clusters (questions); default all.")),
        response=list[s.IdentityMatch],
        meta=s.IdentityMatchesMeta,
        description="Pending pairs grouped into clusters (pairs sharing a contact are one question), best "
        "evidence first; each pair names its cluster and the deciding signals in words (`reason`).",
    ),
    op(
        "POST",
        "/identity/scan",
        "Trigger an identity resolution scan",
        T,
        call=flagged(identity.scan, "dry_run"),
        query=(DRY_RUN,),
        response=s.IdentityScan,
        meta=s.IdentityScanMeta,
        description="Tier 1 then tier 2, synchronously; a scan that merges takes a backup first.",
    ),
    op(
        "POST",
        "/identity/matches/{match_id}/merge",
        "Confirm merge for a pair",
        T,
        call=svc(identity.merge_match),
        response=s.MergedMatch,
        description="404 unknown; 400 when the match is not pending review.",
    ),
    op(
        "POST",
        "/identity/matches/{match_id}/reject",
        "Reject a match",
        T,
        call=svc(identity.reject_match),
        response=s.IdentityMatch,
        description="404 unknown; 400 when the match is not pending review.",
    ),
]
