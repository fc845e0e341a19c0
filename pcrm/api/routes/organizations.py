"""Organizations [company-orgs], including pcrm's own dedupe routes [pcrm-routes]."""

from __future__ import annotations

from typing import Any

from pcrm.api import schemas as s
from pcrm.api.declare import Call, Param, op, svc, target_name
from pcrm.api.routes.identity import DRY_RUN, flagged
from pcrm.services import org_dedupe, organizations

T = "organizations"


def merge_duplicate(ctx: Any, call: Call) -> Any:
    """POST /organizations/duplicates/{match_id}/merge {target_id}: the pair and the organization to keep."""
    return org_dedupe.merge_duplicate(ctx, call.path["match_id"], call.body["target_id"])


def merge(ctx: Any, call: Call) -> Any:
    """POST /organizations/merge {source_ids, target_id}: the body's two fields are the service's
    arguments."""
    return organizations.merge_organizations(ctx, call.body["source_ids"], call.body["target_id"])


merge.target = target_name(organizations.merge_organizations)  # type: ignore[attr-defined]

OPS = [
    op(
        "GET",
        "/organizations",
        "List organizations (excludes those with zero active contacts)",
        T,
        read=True,
        call=svc(organizations.list_organizations, query=("search", "page", "page_size", "include_empty")),
        query=(
            Param("search", description="Substring of the name, case and accents ignored."),
            Param("page", "integer", "From 1."),
            Param("page_size", "integer", "Default 50, at most 200."),
            Param(
                "include_empty",
                "boolean",
                "Also organizations without active contacts (pcrm's addition; `pcrm orgs list --all`).",
            ),
        ),
        response=list[s.Organization],
        meta=s.PageMeta,
    ),
    op(
        "POST",
        "/organizations",
        "Create an organization",
        T,
        status=201,
        # the logo's download, off the writer lane [prepare-off-lane] [org-logo-on-save]
        prepare=svc(organizations.prepare_create, body=True),
        call=svc(organizations.create_organization, body=True, prepared=True),
        body=s.OrganizationIn,
        response=s.Organization,
        meta=s.OrgCreatedMeta,
        description="Unlinked contacts with an email at `domain` join it (meta.contacts_assigned); a second "
        "organization with the same name is 409 with details.conflicting_organization. With the "
        "`logos.enabled` setting on, the logo of its website or domain is fetched (a few seconds at most); "
        "meta.logo says whether it came, and why not.",
    ),
    op(
        "POST",
        "/organizations/merge",
        "Merge two or more organizations",
        T,
        call=merge,
        body=s.OrganizationMergeIn,
        response=s.OrganizationMerged,
        meta=s.OrgMergedMeta,
        description=(
            "Sources fill the target's empty fields and hand over their contacts; their values that differ "
            "from the target's, and their notes, are written into the target's notes (values_kept), which "
            "`pcrm orgs unmerge` takes back. A source that names no organization, the target itself or "
            "one given twice is skipped and said in meta.skipped (reason not_found, is_target or repeated); "
            "none left to merge is 404 when some named nothing, else 422; an unknown target is 404."
        ),
    ),
    op(
        "POST",
        "/organizations/backfill-logos",
        "Backfill favicon-derived logos for orgs missing one",
        T,
        call=svc(organizations.backfill_logos),
        response=s.LogosQueued,
        description="409 feature_disabled while the `logos.enabled` setting is off.",
    ),
    op(
        "GET",
        "/organizations/{org_id}",
        "Get organization detail",
        T,
        read=True,
        inline=True,
        call=svc(organizations.get_organization),
        response=s.OrganizationDetail,
    ),
    op(
        "PATCH",
        "/organizations/{org_id}",
        "Update an organization",
        T,
        prepare=svc(organizations.prepare_update, body=True),  # [prepare-off-lane] [org-logo-on-save]
        call=svc(organizations.update_organization, body=True, prepared=True),
        body=s.OrganizationIn,
        response=s.Organization,
        meta=s.OrgUpdatedMeta,
        description=(
            "Partial: keys present change, null clears. A new name becomes the company of every linked "
            "contact (meta.contacts_renamed); a new domain links unlinked contacts with an email there. With "
            "the `logos.enabled` setting on, a new website or domain brings its logo (meta.logo). "
            "meta.bulk_update_id names the edit: POST /contacts/bulk-updates/{bulk_update_id}/undo takes it "
            "back [bulk-undo]."
        ),
    ),
    op(
        "DELETE",
        "/organizations/{org_id}",
        "Delete an organization",
        T,
        call=svc(organizations.delete_organization),
        response=s.OrgDeleted,
        meta=s.OrgDeletedMeta,
        description="Its contacts stay, unlinked, with their company text. data.bulk_update_id names the "
        "removal: POST /contacts/bulk-updates/{bulk_update_id}/undo brings it back [bulk-undo].",
    ),
    op(
        "GET",
        "/organizations/{org_id}/stats",
        "Per-organization stats from the materialized view",
        T,
        read=True,
        call=svc(organizations.organization_stats),
        response=s.OrganizationStats,
        description="Computed live over its non-archived contacts.",
    ),
    op(
        "POST",
        "/organizations/{org_id}/refresh-logo",
        "Re-fetch favicon for the org",
        T,
        call=svc(organizations.refresh_logo, query=("force",)),
        query=(Param("force", "boolean", "Fetch again even if fetched within the hour."),),
        response=s.LogoRefreshed,
        meta=s.LogoRefreshedMeta,
        description="409 feature_disabled while the `logos.enabled` setting is off. A new logo is journalled "
        "as the organization's edit: meta.bulk_update_id names it, and POST "
        "/contacts/bulk-updates/{bulk_update_id}/undo puts the old logo back [bulk-undo].",
    ),
    op(
        "POST",
        "/organizations/scan-duplicates",
        "Scan organizations for duplicates",
        T,
        pcrm=True,
        call=flagged(org_dedupe.scan_duplicates, "dry_run"),
        query=(DRY_RUN,),
        response=s.OrgScan,
        description="Merges certain pairs (domain, LinkedIn page, name + website, score >= 0.95); queues "
        "0.40-0.95 for review. meta.merges names each merge made (merge_id, kept, merged_away, "
        "contacts_moved, values_kept). dry_run=true: the same answer, meta.merges without merge ids, "
        "nothing written (meta.dry_run).",
    ),
    op(
        "GET",
        "/organizations/duplicates",
        "Pending duplicate organization pairs",
        T,
        pcrm=True,
        read=True,
        call=svc(org_dedupe.list_duplicates),
        response=list[s.OrgDuplicate],
        meta=s.CountMeta,
    ),
    op(
        "POST",
        "/organizations/duplicates/{match_id}/merge",
        "Merge a duplicate organization pair",
        T,
        pcrm=True,
        call=merge_duplicate,
        body=s.OrgDuplicateMergeIn,
        response=s.OrgDuplicateMerged,
        description="404 unknown pair; 400 when target_id is not one of the pair or the pair is resolved.",
    ),
    op(
        "POST",
        "/organizations/duplicates/{match_id}/dismiss",
        "Dismiss a duplicate organization pair",
        T,
        pcrm=True,
        call=svc(org_dedupe.dismiss_duplicate),
        response=s.Dismissed,
    ),
]
