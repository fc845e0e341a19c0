"""Organizations (§9), including pcrm's own dedupe routes (D21)."""

from __future__ import annotations

from pcrm.api.declare import op

T = "organizations"
ORGS = "organizations over the API"
LOGOS = "organization logos"
DEDUPE = "organization dedupe"

OPS = [
    op("GET", "/organizations", "List organizations (excludes those with zero active contacts)", T, todo=ORGS),
    op("POST", "/organizations", "Create an organization", T, todo=ORGS),
    op("POST", "/organizations/merge", "Merge two or more organizations", T, todo=ORGS),
    op("POST", "/organizations/backfill-logos", "Backfill favicon-derived logos for orgs missing one", T,
       todo=LOGOS),
    op("GET", "/organizations/{org_id}", "Get organization detail", T, todo=ORGS),
    op("PATCH", "/organizations/{org_id}", "Update an organization", T, todo=ORGS),
    op("DELETE", "/organizations/{org_id}", "Delete an organization", T, todo=ORGS),
    op("GET", "/organizations/{org_id}/stats", "Per-organization stats from the materialized view", T,
       todo="organization stats"),
    op("POST", "/organizations/{org_id}/refresh-logo", "Re-fetch favicon for the org", T, todo=LOGOS),
    op("POST", "/organizations/scan-duplicates", "Scan organizations for duplicates", T, todo=DEDUPE, pcrm=True),
    op("GET", "/organizations/duplicates", "Pending duplicate organization pairs", T, todo=DEDUPE, pcrm=True),
    op("POST", "/organizations/duplicates/{match_id}/merge", "Merge a duplicate organization pair", T,
       todo=DEDUPE, pcrm=True),
    op("POST", "/organizations/duplicates/{match_id}/dismiss", "Dismiss a duplicate organization pair", T,
       todo=DEDUPE, pcrm=True),
]
