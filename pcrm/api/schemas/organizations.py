"""Organizations, their members, merges and duplicate review [company-orgs]."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from pcrm.api.schemas.common import In, Out


class OrganizationIn(In):
    """An organization's editable fields. On PATCH every key is optional: keys present change, null clears
    (except the name)."""

    name: str | None = Field(default=None, description="Required on create.")
    domain: str | None = Field(
        default=None,
        description="Its own web domain, e.g. analytical.io (personal mail domains are refused).",
    )
    industry: str | None = None
    location: str | None = None
    website: str | None = None
    linkedin_url: str | None = None
    twitter_handle: str | None = None
    notes: str | None = None


class Organization(Out):
    id: str
    name: str
    domain: str | None
    industry: str | None
    location: str | None
    website: str | None
    linkedin_url: str | None
    twitter_handle: str | None
    notes: str | None
    logo_url: str | None
    created_at: str
    updated_at: str
    contact_count: int = Field(
        description="Its contacts that are not archived, as `pcrm contacts list` counts them (the stats are "
        "over these)."
    )
    archived_contact_count: int = Field(
        description="Its archived contacts, which contact_count leaves out and the detail's `contacts` "
        "lists last (pcrm's own key)."
    )
    avg_relationship_score: int
    total_interactions: int
    last_interaction_at: str | None
    contacts: list[OrganizationMember] | None = Field(
        description="Null here; GET /organizations/{id} lists the members (the reference's shape)."
    )


class OrganizationMember(Out):
    id: str
    full_name: str | None
    given_name: str | None
    family_name: str | None
    title: str | None
    avatar_url: str | None
    relationship_score: int
    priority_level: Literal["high", "medium", "low", "archived"]
    last_interaction_at: str | None
    display_name: str = Field(description="How lists show the contact: its name, else an address or number")


class OrganizationDetail(Organization):
    contacts: list[OrganizationMember]
    former_names: list[str] = Field(
        default_factory=list,
        description="Names it gave up by a rename or a merge into it, which a company still names it by: an "
        "import's contact at such a company joins it (a name it was renamed back from is none).",
    )


class LogoOnSave(Out):
    """The logo an add or edit fetched [org-logo-on-save]: present only when one was tried."""

    fetched: bool
    logo_url: str | None
    reason: Literal["not_found", "changed"] | None = None
    message: str | None = None


class OrgCreatedMeta(Out):
    contacts_assigned: int
    logo: LogoOnSave | None = None
    bulk_update_id: str | None = Field(
        default=None,
        description="When it linked contacts: POST /contacts/bulk-updates/{bulk_update_id}/undo unlinks them "
        "again and deletes the organization if nothing has used it since [bulk-undo].",
    )
    undo: str | None = Field(default=None, description="The CLI command that takes it back.")


class OrgUpdatedMeta(Out):
    contacts_renamed: int
    contacts_assigned: int
    logo: LogoOnSave | None = None
    unchanged: bool | None = Field(
        None, description="true when every value given is the one stored: nothing written, updated_at kept"
    )
    bulk_update_id: str | None = Field(
        default=None,
        description="The edit's id when it changed something: POST "
        "/contacts/bulk-updates/{bulk_update_id}/undo puts the organization and the contacts it renamed or "
        "linked back [bulk-undo].",
    )
    undo: str | None = Field(default=None, description="The CLI command that takes the edit back.")


class OrgDeleted(Out):
    id: str
    deleted: bool
    bulk_update_id: str = Field(
        description="POST /contacts/bulk-updates/{bulk_update_id}/undo brings the organization back, with "
        "its values and its contacts linked again [bulk-undo]."
    )


class OrgDeletedMeta(Out):
    contacts_unlinked: int
    undo: str = Field(description="The CLI command that brings it back.")


class OrganizationMergeIn(In):
    source_ids: list[str] = Field(min_length=1, description="Organizations merged away (ids).")
    target_id: str = Field(description="The organization that stays.")


class OrgMergeSkipped(Out):
    id: str = Field(description="The source as it was given.")
    reason: Literal["not_found", "is_target", "repeated"]
    message: str = Field(description="Why, in words (for not_found: where a merge took it, if one did).")


class OrgMergedMeta(Out):
    merge_ids: list[str] = Field(description="One a source merged away: `pcrm orgs unmerge` takes it back.")
    skipped: list[OrgMergeSkipped] = Field(description="The sources not merged, each with why.")


class OrgValueKept(Out):
    organization: str = Field(description="The organization merged away that had the value.")
    field: str = Field(
        description="Its field: domain, industry, location, website, linkedin_url, twitter_handle or notes."
    )
    value: str


class OrganizationMerged(Out):
    target_id: str
    target_name: str
    contacts_updated: int
    source_organizations_merged: int
    values_kept: list[OrgValueKept] = Field(
        description="Values of the organizations merged away that differ from the kept one's (and their "
        "notes), written into its notes rather than lost."
    )


class OrganizationStats(Out):
    organization_id: str
    contact_count: int = Field(description="Its contacts that are not archived (the stats are over these).")
    avg_relationship_score: int
    total_interactions: int
    last_interaction_at: str | None
    archived_contact_count: int = Field(
        description="Its archived contacts, which the stats leave out (pcrm's own key) [org-counts]."
    )


class LogosQueued(Out):
    queued: bool
    fetched: int | None = None
    failed: int | None = None


class LogoRefreshedMeta(Out):
    bulk_update_id: str | None = Field(
        default=None,
        description="When a new logo was saved: POST /contacts/bulk-updates/{bulk_update_id}/undo puts "
        "the old one back, or takes it off when there was none [bulk-undo].",
    )
    undo: str | None = Field(default=None, description="The CLI command that takes the new logo back.")


class LogoRefreshed(Out):
    logo_url: str | None
    refreshed: bool
    skipped: bool | None = Field(
        default=None,
        description="true when nothing was asked: no domain or website, or refreshed within the hour.",
    )
    reason: str | None = None


class OrgSummary(Out):
    id: str
    name: str
    domain: str | None
    logo_url: str | None
    linkedin_url: str | None
    website: str | None
    twitter_handle: str | None
    contact_count: int


class OrgDuplicate(Out):
    id: str
    match_score: float
    match_method: str
    status: Literal["pending_review", "merged", "dismissed"]
    created_at: str
    org_a: OrgSummary
    org_b: OrgSummary


class OrgScan(Out):
    matches_found: int
    auto_merged: int
    pending_review: int


class OrgDuplicateMergeIn(In):
    target_id: str = Field(description="The organization to keep: one of the pair.")


class OrgDuplicateMerged(Out):
    merged: bool
    target_id: str
    target_name: str = Field(description="The organization kept.")
    merged_away: str = Field(description="The name of the one merged into it.")
    contacts_moved: int
    values_kept: list[OrgValueKept] = Field(
        description="Its values that differ from the kept one's (and its notes), written into the kept "
        "one's notes."
    )
