"""Follow-up suggestions, the digest (§3, D17) and the follow-up calendar feed."""

from __future__ import annotations

from pcrm.api.declare import WEB_AND_EXTENSION, Param, op

T = "suggestions"
SUGGESTIONS = "follow-up suggestions"

OPS = [
    op("GET", "/suggestions", "List follow-up suggestions", T, todo=SUGGESTIONS, audiences=WEB_AND_EXTENSION),
    op("GET", "/suggestions/digest", "Weekly digest of suggestions", T, todo="the weekly digest"),
    op("POST", "/suggestions/generate", "Generate new follow-up suggestions", T, todo=SUGGESTIONS),
    op("PUT", "/suggestions/{suggestion_id}", "Update suggestion status (snooze, dismiss, send)", T,
       todo=SUGGESTIONS),
    op("POST", "/suggestions/{suggestion_id}/regenerate", "Regenerate the AI-drafted message", T,
       todo=SUGGESTIONS, audiences=WEB_AND_EXTENSION),
    op("GET", "/calendar.ics", "Follow-up calendar (ICS) for calendar apps; token in the query string", T,
       todo="the follow-up calendar feed", public=True, pcrm=True,
       query=(Param("token", required=True, secret=True, description="A calendar token (never logged)."),)),
]
