"""Follow-up suggestions, the digest [followup-engine] [weekly-digest] and the follow-up calendar feed."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from pcrm.api import schemas as s
from pcrm.api.declare import WEB_AND_EXTENSION, Call, Param, op, svc
from pcrm.services import calendar, suggestions

T = "suggestions"


async def calendar_ics(request: Any, call: Call) -> Any:
    """The follow-up calendar as text/calendar. Public: the calendar token in ?token= is checked by
    the service; it is never logged (the access log names the path only) nor echoed in errors."""
    token = call.query.get("token")
    result = await request.app.state.pcrm.run(lambda ctx: calendar.calendar_feed(ctx, token))
    return Response(
        result.data.encode("utf-8"),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="pcrm-followups.ics"', "Cache-Control": "no-store"},
    )


OPS = [
    op(
        "GET",
        "/suggestions",
        "List follow-up suggestions",
        T,
        audiences=WEB_AND_EXTENSION,
        read=True,
        call=svc(suggestions.list_suggestions),
        response=list[s.Suggestion],
        meta=s.CountMeta,
        description="Pending suggestions, newest first, without archived, 2nd-tier or unreachable contacts.",
    ),
    op(
        "GET",
        "/suggestions/digest",
        "Weekly digest of suggestions",
        T,
        call=svc(suggestions.digest),
        response=list[s.Suggestion],
        meta=s.DigestMeta,
        description="Every pending suggestion, newest first, without archived and 2nd-tier contacts; "
        "meta.last_generated_at says when suggestions were last generated (null: never).",
    ),
    op(
        "POST",
        "/suggestions/generate",
        "Generate new follow-up suggestions",
        T,
        call=svc(suggestions.generate),
        response=list[s.Suggestion],
        meta=s.GenerateMeta,
        description="Runs the engine once; returns the suggestions it created (meta.generated).",
    ),
    op(
        "PUT",
        "/suggestions/{suggestion_id}",
        "Update suggestion status (snooze, dismiss, send)",
        T,
        call=svc(suggestions.update_suggestion, body=True),
        body=s.SuggestionUpdateIn,
        response=s.Suggestion,
        description="Unknown status: 400; snoozed without snooze_until: 422; unknown id: 404. A sent "
        "suggestion stays sent: snoozing or dismissing it is 409; status pending reopens it. Asking for "
        "what it already is (sent again, dismissed again) writes nothing: 200 with meta.unchanged.",
    ),
    op(
        "POST",
        "/suggestions/{suggestion_id}/regenerate",
        "Regenerate the AI-drafted message",
        T,
        audiences=WEB_AND_EXTENSION,
        call=svc(suggestions.regenerate, body=True, prepared=True),
        prepare=svc(suggestions.redraft, body=True),  # the model, off the writer lane [prepare-off-lane]
        body=s.RegenerateIn,
        response=s.Regenerated,
    ),
    op(
        "GET",
        "/calendar.ics",
        "Follow-up calendar (ICS) for calendar apps; token in the query string",
        T,
        raw=calendar_ics,
        public=True,
        pcrm=True,
        description="text/calendar (RFC 5545): follow-ups due and birthdays. The token comes from "
        "`pcrm token create --calendar NAME`; API tokens do not open it, nor does it work as one.",
        query=(Param("token", required=True, secret=True, description="A calendar token (never logged)."),),
    ),
]
