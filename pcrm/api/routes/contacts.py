"""/contacts: listing, CRUD, dashboard views, 2nd tier and tags (§8.4, D2, D6, D11)."""

from __future__ import annotations

from pcrm.api import schemas as s
from pcrm.api.declare import Param, op, svc

T = "contacts"

FILTERS = (
    Param("search", description="Case-insensitive substring over names, company, handles, emails, notes "
                                "and messages; one leading @ is ignored."),
    Param("tag", description="Exactly this tag."),
    Param("source", description="Exactly this source."),
    Param("score", enum=("strong", "active", "dormant")),
    Param("priority", enum=("high", "medium", "low")),
    Param("date_from", description="Created on or after YYYY-MM-DD."),
    Param("date_to", description="Created on or before YYYY-MM-DD (whole day)."),
    Param("interaction_from", description="Last interaction on or after YYYY-MM-DD."),
    Param("interaction_to", description="Last interaction on or before YYYY-MM-DD."),
    Param("has_interactions", "boolean"),
    Param("interaction_days", "integer", "Last interaction within N days (1-365)."),
    Param("has_birthday", "boolean"),
    Param("ghosted", "boolean", "Your last 3 messages went unanswered."),
    Param("archived_only", "boolean"),
    Param("include_archived", "boolean"),
)
FILTER_NAMES = tuple(p.name for p in FILTERS)
SORT = Param("sort", enum=("score", "created", "interaction", "activity", "company", "birthday", "overdue",
                           "priority"))
PAGE = (Param("page", "integer", "From 1."), Param("page_size", "integer", "Default 20, at most 100."))
LIMIT = Param("limit", "integer")

STATS = "dashboard contact stats"
BIRTHDAYS = "upcoming birthdays"
MAP = "the contact map (bbox query)"
BULK = "bulk update"
RECONCILE = "reconciling last_interaction_at"
RECALC = "score recalculation over the API"
ACTIVITY = "the per-contact activity feed (score breakdown and trend)"
RELATED = "related contacts"
SECOND_TIER = "2nd-tier contacts"
TAXONOMY = "the tag taxonomy (AI)"

OPS = [
    op("GET", "/contacts", "List contacts (paginated, searchable, filterable)", T,
       call=svc("pcrm.services.contacts:list_contacts", filters=FILTER_NAMES, query=("sort", "page", "page_size")),
       query=(*FILTERS, SORT, *PAGE), response=list[s.Contact], meta=s.PageMeta),
    op("POST", "/contacts", "Create a new contact", T, status=201,
       call=svc("pcrm.services.contacts:create_contact", body=True), body=s.ContactIn, response=s.Contact),
    op("GET", "/contacts/ids", "Bulk contact IDs for select-all", T,
       call=svc("pcrm.services.contacts:contact_ids", filters=FILTER_NAMES), query=FILTERS,
       response=list[str], meta=s.IdsMeta),
    op("GET", "/contacts/stats", "Dashboard contact stats", T, todo=STATS),
    op("GET", "/contacts/birthdays", "Upcoming birthdays", T, todo=BIRTHDAYS),
    op("GET", "/contacts/overdue", "Overdue follow-up contacts", T,
       call=svc("pcrm.services.views:overdue", query=("limit",)), query=(LIMIT,),
       response=list[s.OverdueContact], meta=s.OverdueMeta),
    op("GET", "/contacts/map", "Contacts within a viewport (bbox query)", T, todo=MAP),
    op("POST", "/contacts/bulk-update", "Bulk update tags, priority, and other fields", T, todo=BULK),
    op("POST", "/contacts/reconcile-last-interaction", "Recompute last_interaction_at for all contacts", T,
       todo=RECONCILE),
    op("POST", "/contacts/scores/recalculate", "Trigger relationship-score recompute", T, todo=RECALC),
    op("GET", "/contacts/{contact_id}", "Get a contact", T,
       call=svc("pcrm.services.contacts:get_contact"), response=s.Contact),
    op("PUT", "/contacts/{contact_id}", "Update a contact", T,
       call=svc("pcrm.services.contacts:update_contact", body=True), body=s.ContactIn, response=s.Contact,
       description="Partial: keys present change, null clears (D11)."),
    op("DELETE", "/contacts/{contact_id}", "Delete a contact", T,
       call=svc("pcrm.services.contacts:delete_contact"), response=s.Deleted),
    op("GET", "/contacts/{contact_id}/activity",
       "Activity feed for a contact (the score breakdown and trend of behaviour.md §2)", T, todo=ACTIVITY),
    op("GET", "/contacts/{contact_id}/related", "Related contacts (same org, etc.)", T, todo=RELATED),
    op("GET", "/contacts/2nd-tier/count", "Count of 2nd-tier contacts", T, todo=SECOND_TIER),
    op("DELETE", "/contacts/2nd-tier", "Delete all 2nd-tier contacts", T, todo=SECOND_TIER),
    op("POST", "/contacts/{contact_id}/promote", "Promote 2nd-tier contact to 1st-tier", T, todo=SECOND_TIER),
    op("GET", "/contacts/tags", "Flat list of in-use tags", T,
       call=svc("pcrm.services.contacts:list_tags"), response=list[str], meta=s.TagsMeta),
    op("GET", "/contacts/tags/taxonomy", "Tag taxonomy structure", T, todo=TAXONOMY),
    op("PUT", "/contacts/tags/taxonomy", "Update taxonomy", T, todo=TAXONOMY),
    op("POST", "/contacts/tags/discover", "LLM-discover a draft taxonomy", T, todo=TAXONOMY),
    op("POST", "/contacts/tags/apply", "Apply taxonomy to contacts", T, todo=TAXONOMY),
]
