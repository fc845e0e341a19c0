"""A contact's timeline [notes-and-logs] and recent activity."""

from __future__ import annotations

from pcrm.api import schemas as s
from pcrm.api.declare import Param, op, svc
from pcrm.services import interactions, views

T = "interactions"

OPS = [
    op(
        "GET",
        "/contacts/{contact_id}/interactions",
        "List interactions",
        T,
        read=True,
        call=svc(interactions.list_interactions, query=("limit", "offset", "platform")),
        query=(
            Param("limit", "integer", "Default 50, at most 200."),
            Param("offset", "integer"),
            Param("platform", description="Only this platform's: email, telegram, manual, call, ..."),
        ),
        response=list[s.Interaction],
        meta=s.OffsetMeta,
    ),
    op(
        "POST",
        "/contacts/{contact_id}/interactions",
        "Add a manual note",
        T,
        status=201,
        call=svc(interactions.add_interaction, body=True),
        body=s.InteractionIn,
        response=s.Interaction,
    ),
    op(
        "PATCH",
        "/contacts/{contact_id}/interactions/{interaction_id}",
        "Update a note",
        T,
        call=svc(
            interactions.update_interaction,
            path=("interaction_id",),
            body=True,
            path_kw={"contact_id": "contact_id"},
        ),
        body=s.InteractionPatch,
        response=s.Interaction,
    ),
    op(
        "DELETE",
        "/contacts/{contact_id}/interactions/{interaction_id}",
        "Delete a note",
        T,
        call=svc(
            interactions.delete_interaction,
            path=("interaction_id",),
            path_kw={"contact_id": "contact_id"},
        ),
        response=s.Deleted,
    ),
    op(
        "GET",
        "/activity/recent",
        "Recent interactions (last 7 days, deduped per contact)",
        T,
        read=True,
        call=svc(views.recent_activity, query=("limit",)),
        query=(Param("limit", "integer", "At most N (1-100, default 20)."),),
        response=list[s.RecentActivity],
        meta=s.CountTotalMeta,
        description="The newest interaction of each non-archived contact in the last 7 days, newest first.",
    ),
]
