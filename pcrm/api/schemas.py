"""Request and response schemas of the wired operations, in pydantic v2.

pydantic is the one schema library: it validates request bodies (types and shapes; the services
still own the business rules, so the CLI and the API agree) and generates the JSON schemas of the
OpenAPI document. Response models forbid extra keys, so the contract tests catch any drift between
what a service returns and what the schema promises.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pcrm.errors import STATUS


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- errors and meta -----------------------------------------------------------------------------------------


class ErrorBody(Out):
    code: Literal[tuple(STATUS)]  # type: ignore[valid-type]
    message: str
    hint: str | None
    details: dict[str, Any]


class PageMeta(Out):
    total: int
    page: int
    page_size: int
    total_pages: int


class OffsetMeta(Out):
    total: int
    limit: int
    offset: int


# -- auth ----------------------------------------------------------------------------------------------------


class RegisterIn(In):
    email: str = Field(max_length=320, description="The account's email address.")
    password: str = Field(min_length=8, max_length=1024)
    full_name: str | None = Field(default=None, max_length=200)


class LoginIn(In):
    """JSON {email, password, remember_me} or the OAuth2 password form {username, password, ...}."""

    email: str | None = None
    username: str | None = Field(default=None, description="The email, as the OAuth2 form names it.")
    password: str
    remember_me: bool | str | None = Field(default=None, description="true: a 30-day token.")
    grant_type: str | None = Field(default=None, description="OAuth2 form field; ignored.")
    scope: str | None = Field(default=None, description="OAuth2 form field; ignored.")
    client_id: str | None = Field(default=None, description="OAuth2 form field; ignored.")
    client_secret: str | None = Field(default=None, description="OAuth2 form field; ignored.")


class TokenOut(Out):
    access_token: str
    token_type: Literal["bearer"]
    expires_at: str


class GoogleAccount(Out):
    id: str
    email: str


class Profile(Out):
    id: str
    email: str
    full_name: str | None
    created_at: str
    google_connected: bool
    google_email: str | None
    google_accounts: list[GoogleAccount]
    telegram_connected: bool
    telegram_username: str | None
    twitter_connected: bool
    twitter_username: str | None
    whatsapp_connected: bool
    whatsapp_phone: str | None
    linkedin_extension_paired_at: str | None
    meta_connected: bool
    meta_connected_name: str | None
    meta_sync_facebook: bool
    meta_sync_instagram: bool


class ProfileIn(In):
    full_name: str | None = Field(default=None, max_length=200)


class Updated(Out):
    updated: bool


class ChangePasswordIn(In):
    current_password: str
    new_password: str = Field(min_length=8, max_length=1024)


class Changed(Out):
    changed: bool


class DeleteAccountIn(In):
    password: str


class AccountDeleted(Out):
    deleted: bool
    backup: str


class McpKeyStatus(Out):
    has_key: bool
    created_at: str | None
    last_used_at: str | None


class McpKey(Out):
    key: str


class Revoked(Out):
    revoked: bool


# -- contacts ------------------------------------------------------------------------------------------------


class ContactIn(In):
    """A contact's editable fields. On PUT every key is optional: keys present change, null clears."""

    full_name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    company: str | None = None
    title: str | None = None
    twitter_bio: str | None = None
    telegram_bio: str | None = None
    location: str | None = None
    linkedin_headline: str | None = None
    linkedin_bio: str | None = None
    avatar_url: str | None = None
    notes: str | None = None
    source: str | None = None
    twitter_handle: str | None = None
    twitter_user_id: str | int | None = None
    telegram_username: str | None = None
    telegram_user_id: str | int | None = None
    linkedin_profile_id: str | None = None
    whatsapp_phone: str | None = None
    facebook_id: str | int | None = None
    instagram_id: str | int | None = None
    instagram_username: str | None = None
    emails: list[str] | None = None
    phones: list[str] | None = None
    tags: list[str] | None = None
    priority_level: Literal["high", "medium", "low", "archived"] | None = None
    birthday: str | None = Field(default=None, description="MM-DD or YYYY-MM-DD")
    linkedin_url: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    organization_id: str | None = None


class Contact(Out):
    id: str
    full_name: str | None
    given_name: str | None
    family_name: str | None
    emails: list[str]
    phones: list[str]
    tags: list[str]
    company: str | None
    organization_id: str | None
    title: str | None
    twitter_handle: str | None
    twitter_user_id: str | None
    twitter_bio: str | None
    telegram_username: str | None
    telegram_user_id: str | None
    telegram_bio: str | None
    telegram_bio_checked_at: str | None
    telegram_common_groups: Any | None
    telegram_groups_fetched_at: str | None
    telegram_last_seen_at: str | None
    telegram_read_outbox_max_id: int | None
    linkedin_url: str | None
    linkedin_profile_id: str | None
    linkedin_headline: str | None
    linkedin_bio: str | None
    whatsapp_phone: str | None
    whatsapp_name: str | None
    whatsapp_about: str | None
    whatsapp_avatar_url: str | None
    whatsapp_bio_checked_at: str | None
    facebook_id: str | None
    facebook_name: str | None
    facebook_avatar_url: str | None
    instagram_id: str | None
    instagram_username: str | None
    instagram_avatar_url: str | None
    avatar_url: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geocoded_at: str | None
    geocoded_location: str | None
    birthday: str | None
    notes: str | None
    relationship_score: int
    interaction_count: int
    last_interaction_at: str | None
    last_followup_at: str | None
    score_computed_at: str | None
    priority_level: Literal["high", "medium", "low", "archived"]
    source: str | None
    user_edited_fields: list[str]
    google_resource_name: str | None
    bcc_hash: str | None
    created_at: str
    updated_at: str


class OverdueContact(Contact):
    days_overdue: int


class OverdueMeta(Out):
    count: int
    interval_days: int


class Deleted(Out):
    id: str
    deleted: bool


class IdsMeta(Out):
    total: int


class TagsMeta(Out):
    counts: dict[str, int]


# -- interactions --------------------------------------------------------------------------------------------


class InteractionIn(In):
    platform: str | None = Field(default=None, description="default manual")
    direction: Literal["inbound", "outbound", "mutual", "event", "note"] | None = Field(
        default=None, description="default note for manual, else outbound"
    )
    content_preview: str | None = None
    raw_reference_id: str | None = None
    occurred_at: str | None = Field(default=None, description="ISO 8601; default now")


class InteractionPatch(In):
    content_preview: str | None = None


class Interaction(Out):
    id: str
    contact_id: str
    platform: str
    direction: Literal["inbound", "outbound", "mutual", "event", "note"]
    content_preview: str | None
    raw_reference_id: str | None
    is_read_by_recipient: bool | None
    call_type: Literal["phone", "video"] | None
    duration_seconds: int | None
    extra_data: Any | None
    occurred_at: str
    created_at: str
    updated_at: str | None


# -- diagnostics ---------------------------------------------------------------------------------------------


class Health(Out):
    status: Literal["ok"]


class ErrorReportIn(In):
    message: str = Field(max_length=1000)
    source: str | None = Field(default=None, max_length=500)
    lineno: int | None = None
    colno: int | None = None
    stack: str | None = Field(default=None, max_length=5000)
    url: str | None = Field(default=None, max_length=500)
    component: str | None = Field(default=None, max_length=200)


class Received(Out):
    received: bool


# -- contact views, bulk changes and the 2nd tier (API B) ----------------------------------------------------


class CountMeta(Out):
    count: int


class ContactStats(Out):
    total: int
    strong: int
    active: int
    dormant: int
    interactions_this_week: int
    interactions_last_week: int
    active_last_week: int


class BirthdayContact(Contact):
    days_until_birthday: int = Field(ge=0, le=6)


class MapPoint(Out):
    id: str
    full_name: str | None
    avatar_url: str | None
    latitude: float
    longitude: float
    relationship_score: int


class MapMeta(Out):
    total_in_bounds: int


class RelatedContact(Out):
    id: str
    full_name: str | None
    title: str | None
    company: str | None
    avatar_url: str | None
    relationship_score: int
    reasons: list[str]


class BulkUpdateIn(In):
    """Types only; the service owns the rules (<= 500 ids, <= 50 tags each, known priority, something to
    change), so the CLI and the API refuse the same bodies."""

    contact_ids: list[str] | None = Field(default=None, description="At most 500 contact ids.")
    add_tags: list[str] | None = Field(default=None, description="At most 50; normalised to lowercase.")
    remove_tags: list[str] | None = Field(default=None, description="At most 50.")
    priority_level: str | None = Field(
        default=None, description="high, medium, low or archived (archiving dismisses open suggestions)."
    )
    company: str | None = Field(default=None, description='null leaves it; "" clears it.')


class BulkUpdated(Out):
    updated: int


class BulkUpdateMeta(Out):
    suggestions_dismissed: int


class UpdatedCount(Out):
    updated_count: int


class Count(Out):
    count: int


class DeletedCount(Out):
    deleted_count: int


class Promoted(Out):
    promoted: bool
    id: str


class RecentActivity(Out):
    type: Literal["message"]
    contact_id: str
    contact_name: str | None
    contact_avatar_url: str | None
    platform: str
    direction: Literal["inbound", "outbound", "mutual", "event", "note"]
    content_preview: str | None
    timestamp: str


# -- organizations -------------------------------------------------------------------------------------------


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
    contact_count: int
    avg_relationship_score: int
    total_interactions: int
    last_interaction_at: str | None


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


class OrganizationDetail(Organization):
    contacts: list[OrganizationMember]


class OrgCreatedMeta(Out):
    contacts_assigned: int


class OrgUpdatedMeta(Out):
    contacts_renamed: int
    contacts_assigned: int


class OrgDeletedMeta(Out):
    contacts_unlinked: int


class OrganizationMergeIn(In):
    source_ids: list[str] = Field(min_length=1, description="Organizations merged away (ids).")
    target_id: str = Field(description="The organization that stays.")


class OrganizationMerged(Out):
    target_id: str
    target_name: str
    contacts_updated: int
    source_organizations_merged: int


class OrganizationStats(Out):
    organization_id: str
    contact_count: int
    avg_relationship_score: int
    total_interactions: int
    last_interaction_at: str | None


class LogosQueued(Out):
    queued: bool


class LogoRefreshed(Out):
    logo_url: str | None
    refreshed: bool


# -- notifications -------------------------------------------------------------------------------------------


class Notification(Out):
    id: str
    notification_type: str
    title: str
    body: str | None
    read: bool
    link: str | None
    created_at: str


class NotificationRead(Out):
    id: str
    read: Literal[True]


class Marked(Out):
    marked: Literal[True]


# -- settings (D14) ------------------------------------------------------------------------------------------


class Priority(Out):
    high: int
    medium: int
    low: int


class PriorityIn(In):
    """Intervals in days (7-365); keys left out keep their value, null restores the default."""

    high: int | None = None
    medium: int | None = None
    low: int | None = None


class SyncSource(Out):
    auto_sync: bool
    schedule: Literal["manual", "6h", "12h", "daily"]
    hour: int


class SyncSourceIn(In):
    auto_sync: bool | None = None
    schedule: str | None = Field(default=None, description="manual, 6h, 12h or daily")
    hour: int | None = Field(default=None, description="0-23, for daily syncs")


class SyncSettings(Out):
    gmail: SyncSource
    google_calendar: SyncSource
    google_contacts: SyncSource
    linkedin: SyncSource
    telegram: SyncSource
    twitter: SyncSource
    whatsapp: SyncSource


class SyncSettingsIn(In):
    """Per source, the fields given change; other sources and fields keep their settings."""

    gmail: SyncSourceIn | None = None
    google_calendar: SyncSourceIn | None = None
    google_contacts: SyncSourceIn | None = None
    linkedin: SyncSourceIn | None = None
    telegram: SyncSourceIn | None = None
    twitter: SyncSourceIn | None = None
    whatsapp: SyncSourceIn | None = None


class TelegramSettings(Out):
    sync_2nd_tier: bool


class TelegramSettingsIn(In):
    sync_2nd_tier: bool | None = None


class SuggestionSettings(Out):
    max_suggestions: int
    include_dormant: bool
    birthday_reminders: bool
    preferred_channel: str
    dormancy_threshold_days: int


class SuggestionSettingsIn(In):
    """Keys given change (validated by the settings registry), the rest keep their values."""

    max_suggestions: int | None = None
    include_dormant: bool | None = None
    birthday_reminders: bool | None = None
    preferred_channel: str | None = None
    dormancy_threshold_days: int | None = None


class MapConfig(Out):
    mapbox_public_token: str


# -- sync history --------------------------------------------------------------------------------------------


class SyncRun(Out):
    id: str
    platform: str
    sync_type: Literal["manual", "scheduled", "webhook"]
    status: Literal["started", "success", "failed", "partial"]
    records_created: int
    records_updated: int
    records_failed: int
    duration_ms: int | None
    error_message: str | None
    details: str | None = Field(description="A JSON string.")
    started_at: str
    completed_at: str | None


class SyncPlatformStats(Out):
    total_syncs: int
    success_count: int
    failed_count: int
    success_rate: float
    last_sync: str | None


# -- relationship intelligence, identity resolution, imports (issues 6, 7, 9) --------------------------------


class SuggestionContact(Out):
    id: str
    full_name: str | None
    given_name: str | None
    family_name: str | None
    company: str | None
    title: str | None
    avatar_url: str | None
    telegram_username: str | None
    twitter_handle: str | None
    linkedin_profile_id: str | None
    linkedin_url: str | None
    last_interaction_at: str | None


class Suggestion(Out):
    id: str
    contact_id: str
    contact: SuggestionContact
    trigger_type: Literal[
        "time_based", "event_based", "scheduled", "birthday", "dormant_deep", "dormant_mid", "dormant_event"
    ]
    trigger_event_id: str | None
    pool: Literal["A", "B"] | None
    reason: str | None
    suggested_message: str
    suggested_channel: str
    status: Literal["pending", "snoozed", "dismissed", "sent"]
    dismissed_by: Literal["user", "system"] | None
    scheduled_for: str | None
    created_at: str
    updated_at: str


class GenerateMeta(Out):
    generated: int
    locked: bool | None = Field(default=None, description="true: another run held the lock; nothing made.")


class SuggestionUpdateIn(In):
    """Status values and times are checked by the service: an unknown status is 400, snoozing without a
    time 422 (§3.7)."""

    status: str | None = Field(default=None, description="pending, snoozed, dismissed or sent")
    snooze_until: str | None = Field(default=None, description="ISO 8601; needed with status snoozed")
    scheduled_for: str | None = Field(default=None, description="the same as snooze_until")
    suggested_message: str | None = None
    suggested_channel: str | None = Field(
        default=None, description="email, telegram, twitter, linkedin, whatsapp"
    )


class RegenerateIn(In):
    channel: str | None = Field(default=None, description="email, telegram, twitter, linkedin or whatsapp")


class Regenerated(Out):
    suggested_message: str
    suggested_channel: str


class ScoresRecalculated(Out):
    updated: int


class RecalcMeta(Out):
    changed: int


class ScoreDimension(Out):
    value: int
    max: int


class ActivityStats(Out):
    inbound_365d: int
    outbound_365d: int
    count_30d: int
    count_90d: int
    platforms: list[str]
    interaction_count: int
    first_interaction_at: str | None


class MonthCount(Out):
    month: str = Field(description="YYYY-MM in the `timezone` setting")
    count: int


class ContactActivity(Out):
    score: int
    dimensions: dict[str, ScoreDimension]
    stats: ActivityStats
    monthly_trend: list[MonthCount]


class MatchContact(Out):
    id: str
    full_name: str | None
    given_name: str | None
    family_name: str | None
    emails: list[str]
    phones: list[str]
    company: str | None
    title: str | None
    twitter_handle: str | None
    telegram_username: str | None
    linkedin_url: str | None
    tags: list[str]
    notes: str | None
    source: str | None


class IdentityMatch(Out):
    id: str
    contact_a_id: str | None
    contact_b_id: str | None
    contact_a: MatchContact | None
    contact_b: MatchContact | None
    match_score: float
    match_method: str
    status: Literal["pending_review", "merged", "rejected"]
    created_at: str
    resolved_at: str | None
    explanation: dict[str, Any] | None = Field(
        default=None, description="With ?explain=true: each signal, its weight, the guards and the score."
    )


class MergedMatch(IdentityMatch):
    merge_id: str = Field(description="Undo with `pcrm contacts unmerge MERGE_ID`.")
    survivor_id: str


class IdentityScan(Out):
    auto_merged: int
    pending_review: int
    matches_found: int


class WouldMerge(Out):
    survivor_id: str
    merged_contact_id: str
    full_name: str | None


class IdentityScanMeta(BaseModel):
    """The fixed keys; the scorer adds its own counters (pairs compared, blocks skipped...)."""

    model_config = ConfigDict(extra="allow")
    auto_merged_ids: list[str]
    pending_review_ids: list[str]
    merge_ids: list[str]
    deterministic_merged: int
    probabilistic_merged: int
    dry_run: bool
    backup: str | None = Field(description="The automatic backup taken before the first merge (D20).")
    would_merge: list[WouldMerge] | None = Field(default=None, description="With dry_run=true.")


class DuplicateHint(Out):
    id: str
    full_name: str | None
    given_name: str | None
    family_name: str | None
    emails: list[str]
    phones: list[str]
    company: str | None
    title: str | None
    twitter_handle: str | None
    telegram_username: str | None
    score: float
    explanation: dict[str, Any] | None = None


class ContactMerged(Out):
    id: str = Field(description="The survivor: the richer contact, whichever side it was (D23).")
    full_name: str | None
    merged_contact_id: str
    merge_id: str | None = Field(description="null on a dry run")
    match_id: str | None
    interactions_moved: int
    collisions_journaled: int


class DryRunMeta(Out):
    dry_run: bool | None = None


class Dismissed(Out):
    dismissed: bool


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
    contacts_moved: int


class ImportUploadIn(In):
    """multipart/form-data: the file in `file`, options as form fields (as `pcrm import FILE` takes them)."""

    file: bytes | None = Field(default=None, description="The file (a form part with a filename); required.")
    dry_run: str | None = Field(default=None, description="true: report what would happen, write nothing.")
    strict: str | None = Field(default=None, description="true: any row error aborts; nothing is written.")
    tz: str | None = Field(default=None, description="Zone for times without one (default: the setting).")
    me: str | None = Field(default=None, description="Your name or email as the file writes it; repeatable.")


class ImportReport(Out):
    source: str
    batch_id: str | None = Field(description="For `pcrm import undo`; null when nothing changed or dry run.")
    contacts_created: int
    contacts_updated: int
    contacts_skipped: int
    interactions_created: int
    interactions_skipped: int
    errors: list[str] = Field(description='"Row n: ..." for rows that were not imported.')
    unmatched_names: list[str]


class ImportIdentity(Out):
    auto_merged: int
    merge_ids: list[str]


class ImportMeta(Out):
    format: str
    filename: str
    dry_run: bool
    identity: ImportIdentity | None = None  # the tier-1 pass after an import that created contacts
