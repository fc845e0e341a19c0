"""/contacts: listing, CRUD, dashboard views, 2nd tier and tags [contact-list] [second-tier]
[strict-validation] [partial-edits]."""

from __future__ import annotations

from pcrm.api import schemas as s
from pcrm.api.declare import Param, op, svc
from pcrm.api.routes.identity import DRY_RUN, flagged
from pcrm.api.schemas import ai as ai_s
from pcrm.services import activity, bulk, contacts, second_tier, views
from pcrm.services.ai import taxonomy

T = "contacts"

FILTERS = (
    Param(
        "search",
        description="Case-insensitive substring over names, company, tags, handles, emails, notes "
        "and messages; one leading @ is ignored.",
    ),
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
SORT = Param(
    "sort",
    description="`recent` is `interaction` (last interaction first), as the sync notifications link it.",
    enum=(
        "score",
        "created",
        "interaction",
        "activity",
        "company",
        "birthday",
        "overdue",
        "priority",
        "recent",
    ),
)
PAGE = (Param("page", "integer", "From 1."), Param("page_size", "integer", "Default 20, at most 100."))
LIMIT = Param("limit", "integer")

RECALC = "score recalculation over the API"
ACTIVITY = "the per-contact activity feed (score breakdown and trend)"


OPS = [
    op(
        "GET",
        "/contacts",
        "List contacts (paginated, searchable, filterable)",
        T,
        read=True,
        # a search costs 1-30 ms of queries: past the slice it would meet, in a reader thread, an event loop
        # that holds the GIL [inline-reads]
        inline=lambda q: not q.get("search"),
        call=svc(contacts.list_contacts, filters=FILTER_NAMES, query=("sort", "page", "page_size")),
        query=(*FILTERS, SORT, *PAGE),
        response=list[s.Contact],
        meta=s.ContactPageMeta,
    ),
    op(
        "POST",
        "/contacts",
        "Create a new contact",
        T,
        status=201,
        call=svc(contacts.create_contact, body=True),
        body=s.ContactIn,
        response=s.Contact,
        meta=s.CreatedContactMeta,
    ),
    op(
        "GET",
        "/contacts/ids",
        "Bulk contact IDs for select-all",
        T,
        read=True,
        call=svc(contacts.contact_ids, filters=FILTER_NAMES),
        query=FILTERS,
        response=list[str],
        meta=s.IdsMeta,
    ),
    op(
        "GET",
        "/contacts/stats",
        "Dashboard contact stats",
        T,
        read=True,
        call=svc(views.contact_stats),
        response=s.ContactStats,
        description="Score buckets over non-archived contacts (strong >= 8, active 4-7, dormant < 4) and "
        "interactions in the last 7 days and the 7 before.",
    ),
    op(
        "GET",
        "/contacts/birthdays",
        "Upcoming birthdays",
        T,
        read=True,
        call=svc(views.birthdays, query=("limit",)),
        query=(Param("limit", "integer", "At most N (1-10, default 10)."),),
        response=list[s.BirthdayContact],
        meta=s.BirthdaysMeta,
        description="Today and the next 6 days in the `timezone` setting; Feb 29 shows on Feb 28 in other "
        "years.",
    ),
    op(
        "GET",
        "/contacts/overdue",
        "Overdue follow-up contacts",
        T,
        read=True,
        call=svc(views.overdue, query=("limit",)),
        query=(LIMIT,),
        response=list[s.OverdueContact],
        meta=s.OverdueMeta,
    ),
    op(
        "GET",
        "/contacts/map",
        "Contacts within a viewport (bbox query)",
        T,
        read=True,
        call=svc(views.contacts_map, query=("bbox", "limit")),
        query=(
            Param("bbox", required=True, description="minLng,minLat,maxLng,maxLat (inclusive); else 400."),
            Param("limit", "integer", "1-2000; at most 500 come back."),
        ),
        response=list[s.MapPoint],
        meta=s.MapMeta,
        description="Archived and 2nd-tier contacts are left out; best score first; meta.total_in_bounds is "
        "the uncapped count.",
    ),
    op(
        "POST",
        "/contacts/bulk-update",
        "Bulk update tags, priority, and other fields",
        T,
        call=svc(bulk.bulk_update, body=True),
        body=s.BulkUpdateIn,
        response=s.BulkUpdated,
        meta=s.BulkUpdateMeta,
        description="data.bulk_update_id names the change (absent when nothing changed): "
        "POST /contacts/bulk-updates/{bulk_update_id}/undo takes it back [bulk-undo].",
    ),
    op(
        "POST",
        "/contacts/bulk-updates/{bulk_update_id}/undo",
        "Take back a bulk update",
        T,
        pcrm=True,
        call=flagged(bulk.undo, "dry_run"),
        query=(DRY_RUN,),
        response=s.BulkUndone,
        meta=s.BulkUndoMeta,
        description="Puts back the tags, priority, company and organization the change took (a bulk update, "
        "AI tagging, a tag rename or delete, an organization's edit, removal or addition); a contact edited "
        "since in one of those is left alone and listed in data.kept; 409 once undone [bulk-undo].",
    ),
    op(
        "GET",
        "/contacts/bulk-updates",
        "List the changes a bulk undo takes back",
        T,
        pcrm=True,
        read=True,
        call=svc(bulk.list_updates, query=("limit",)),
        query=(Param("limit", "integer", "At most N (1-500, default 20)."),),
        response=list[s.BulkUpdateListed],
        meta=s.BulkUpdatesMeta,
        description="Bulk updates, AI tagging, tag renames and deletes, organization edits, removals and "
        "additions, newest first, each with how many contacts it changed and whether it was undone, or "
        "partly [bulk-undo].",
    ),
    op(
        "POST",
        "/contacts/reconcile-last-interaction",
        "Recompute last_interaction_at for all contacts",
        T,
        call=svc(bulk.reconcile_last_interaction),
        response=s.UpdatedCount,
        description="Only where it is missing or stale, never from a future interaction.",
    ),
    op(
        "POST",
        "/contacts/scores/recalculate",
        "Trigger relationship-score recompute",
        T,
        call=svc(activity.recalculate_scores),
        response=s.ScoresRecalculated,
        meta=s.RecalcMeta,
    ),
    op(
        "GET",
        "/contacts/{contact_id}",
        "Get a contact",
        T,
        read=True,
        inline=True,
        call=svc(contacts.contact_with_labels),
        response=s.ContactDetail,
    ),
    op(
        "PUT",
        "/contacts/{contact_id}",
        "Update a contact",
        T,
        call=svc(contacts.update_contact, body=True, fixed={"via": "PUT /api/v1/contacts/{id}"}),
        body=s.ContactIn,
        response=s.Contact,
        description="Partial: keys present change, null clears. A new company that makes its organization "
        "(or gives one its domain) is journalled: meta.bulk_update_id names it, and POST "
        "/contacts/bulk-updates/{bulk_update_id}/undo puts the company back and drops the organization "
        "unless used since [bulk-undo]. Archiving dismisses the contact's open suggestions "
        "(meta.suggestions_dismissed) and, when it dismissed any, is journalled so too: the undo reopens "
        "them. meta.protected names the fields the edit made the user's (imports "
        "keep theirs aside; a blank sent for an empty field is none), meta.unchanged says no value moved "
        "[no-op-edits].",
    ),
    op(
        "DELETE",
        "/contacts/{contact_id}",
        "Delete a contact",
        T,
        call=svc(contacts.delete_contact),
        response=s.ContactDeleted,
    ),
    op(
        "GET",
        "/contacts/{contact_id}/activity",
        "Activity feed for a contact (the score breakdown and trend of)",
        T,
        read=True,
        call=svc(activity.contact_activity),
        response=s.ContactActivity,
    ),
    op(
        "GET",
        "/contacts/{contact_id}/related",
        "Related contacts (same org, etc.)",
        T,
        read=True,
        call=svc(views.related_contacts),
        response=list[s.RelatedContact],
        description="Up to 5 non-archived contacts sharing the organization, the company or tags.",
    ),
    op(
        "GET",
        "/contacts/2nd-tier/count",
        "Count of 2nd-tier contacts",
        T,
        read=True,
        inline=True,
        call=svc(bulk.second_tier_count),
        response=s.Count,
    ),
    op(
        "DELETE",
        "/contacts/2nd-tier",
        "Delete all 2nd-tier contacts",
        T,
        call=svc(second_tier.delete),
        response=s.DeletedCount,
        meta=s.SecondTierDeletedMeta,
        description="Every contact tagged `2nd tier` that has no history, with its timeline, after a backup "
        "(meta.backup); those with an interaction, a note or a hand edit stay (meta.kept), and those with a "
        "direct interaction lose the tag.",
    ),
    op(
        "POST",
        "/contacts/{contact_id}/promote",
        "Promote 2nd-tier contact to 1st-tier",
        T,
        call=svc(bulk.promote_contact),
        response=s.Promoted,
        description="Drops the `2nd tier` tag; 400 when the contact has none.",
    ),
    op(
        "GET",
        "/contacts/tags",
        "Flat list of in-use tags",
        T,
        read=True,
        inline=True,
        call=svc(contacts.list_tags),
        response=list[str],
        meta=s.TagsMeta,
    ),
    op(
        "GET",
        "/contacts/tags/taxonomy",
        "Tag taxonomy structure",
        T,
        call=svc(taxonomy.get_taxonomy),
        response=ai_s.Taxonomy | None,
    ),
    op(
        "PUT",
        "/contacts/tags/taxonomy",
        "Update taxonomy",
        T,
        call=svc(taxonomy.put_taxonomy, body=True),
        body=ai_s.TaxonomyIn,
        response=ai_s.Taxonomy,
    ),
    op(
        "POST",
        "/contacts/tags/discover",
        "LLM-discover a draft taxonomy",
        T,
        call=svc(taxonomy.discover, prepared=True),
        prepare=svc(taxonomy.draft_taxonomy),  # the model, off the writer lane [prepare-off-lane]
        response=ai_s.Taxonomy,
        description="409 feature_disabled without an AI model (`ai.tagging_model` or `ai.model`).",
    ),
    op(
        "POST",
        "/contacts/tags/apply",
        "Apply taxonomy to contacts",
        T,
        call=svc(taxonomy.apply_api, body=True, prepared=True),
        prepare=svc(taxonomy.plan_apply, body=True),  # the model, off the writer lane [prepare-off-lane]
        body=ai_s.ApplyIn,
        response=ai_s.Applied,
        description="Inline up to 20 contacts; beyond, in the background ({tagged_count: 0, task_id}) with a "
        "`tagging` notification when done.",
    ),
]
