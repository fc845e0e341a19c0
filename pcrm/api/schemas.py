"""Request and response schemas of the wired operations, in pydantic v2.

pydantic is the one schema library: it validates request bodies (types and shapes; the services
still own the business rules, so the CLI and the API agree) and generates the JSON schemas of the
OpenAPI document. Response models forbid extra keys, so the contract tests catch any drift between
what a service returns and what the schema promises.
"""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from pcrm.errors import STATUS


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- errors and meta -------------------------------------------------------------------------------------------

class ErrorBody(Out):
    code: Literal[tuple(STATUS)]  # type: ignore[valid-type]
    message: str
    hint: Optional[str]
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


# -- auth ------------------------------------------------------------------------------------------------------

class RegisterIn(In):
    email: str = Field(max_length=320, description="The account's email address.")
    password: str = Field(min_length=8, max_length=1024)
    full_name: Optional[str] = Field(default=None, max_length=200)


class LoginIn(In):
    """JSON {email, password, remember_me} or the OAuth2 password form {username, password, ...}."""

    email: Optional[str] = None
    username: Optional[str] = Field(default=None, description="The email, as the OAuth2 form names it.")
    password: str
    remember_me: Optional[bool | str] = Field(default=None, description="true: a 30-day token.")
    grant_type: Optional[str] = Field(default=None, description="OAuth2 form field; ignored.")
    scope: Optional[str] = Field(default=None, description="OAuth2 form field; ignored.")
    client_id: Optional[str] = Field(default=None, description="OAuth2 form field; ignored.")
    client_secret: Optional[str] = Field(default=None, description="OAuth2 form field; ignored.")


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
    full_name: Optional[str]
    created_at: str
    google_connected: bool
    google_email: Optional[str]
    google_accounts: list[GoogleAccount]
    telegram_connected: bool
    telegram_username: Optional[str]
    twitter_connected: bool
    twitter_username: Optional[str]
    whatsapp_connected: bool
    whatsapp_phone: Optional[str]
    linkedin_extension_paired_at: Optional[str]
    meta_connected: bool
    meta_connected_name: Optional[str]
    meta_sync_facebook: bool
    meta_sync_instagram: bool


class ProfileIn(In):
    full_name: Optional[str] = Field(default=None, max_length=200)


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
    created_at: Optional[str]
    last_used_at: Optional[str]


class McpKey(Out):
    key: str


class Revoked(Out):
    revoked: bool


# -- contacts --------------------------------------------------------------------------------------------------

class ContactIn(In):
    """A contact's editable fields. On PUT every key is optional: keys present change, null clears."""

    full_name: Optional[str] = None
    given_name: Optional[str] = None
    family_name: Optional[str] = None
    company: Optional[str] = None
    title: Optional[str] = None
    twitter_bio: Optional[str] = None
    telegram_bio: Optional[str] = None
    location: Optional[str] = None
    linkedin_headline: Optional[str] = None
    linkedin_bio: Optional[str] = None
    avatar_url: Optional[str] = None
    notes: Optional[str] = None
    source: Optional[str] = None
    twitter_handle: Optional[str] = None
    twitter_user_id: Optional[str | int] = None
    telegram_username: Optional[str] = None
    telegram_user_id: Optional[str | int] = None
    linkedin_profile_id: Optional[str] = None
    whatsapp_phone: Optional[str] = None
    facebook_id: Optional[str | int] = None
    instagram_id: Optional[str | int] = None
    instagram_username: Optional[str] = None
    emails: Optional[list[str]] = None
    phones: Optional[list[str]] = None
    tags: Optional[list[str]] = None
    priority_level: Optional[Literal["high", "medium", "low", "archived"]] = None
    birthday: Optional[str] = Field(default=None, description="MM-DD or YYYY-MM-DD")
    linkedin_url: Optional[str] = None
    latitude: Optional[float] = None
    longitude: Optional[float] = None
    organization_id: Optional[str] = None


class Contact(Out):
    id: str
    full_name: Optional[str]
    given_name: Optional[str]
    family_name: Optional[str]
    emails: list[str]
    phones: list[str]
    tags: list[str]
    company: Optional[str]
    organization_id: Optional[str]
    title: Optional[str]
    twitter_handle: Optional[str]
    twitter_user_id: Optional[str]
    twitter_bio: Optional[str]
    telegram_username: Optional[str]
    telegram_user_id: Optional[str]
    telegram_bio: Optional[str]
    telegram_bio_checked_at: Optional[str]
    telegram_common_groups: Optional[Any]
    telegram_groups_fetched_at: Optional[str]
    telegram_last_seen_at: Optional[str]
    telegram_read_outbox_max_id: Optional[int]
    linkedin_url: Optional[str]
    linkedin_profile_id: Optional[str]
    linkedin_headline: Optional[str]
    linkedin_bio: Optional[str]
    whatsapp_phone: Optional[str]
    whatsapp_name: Optional[str]
    whatsapp_about: Optional[str]
    whatsapp_avatar_url: Optional[str]
    whatsapp_bio_checked_at: Optional[str]
    facebook_id: Optional[str]
    facebook_name: Optional[str]
    facebook_avatar_url: Optional[str]
    instagram_id: Optional[str]
    instagram_username: Optional[str]
    instagram_avatar_url: Optional[str]
    avatar_url: Optional[str]
    location: Optional[str]
    latitude: Optional[float]
    longitude: Optional[float]
    geocoded_at: Optional[str]
    geocoded_location: Optional[str]
    birthday: Optional[str]
    notes: Optional[str]
    relationship_score: int
    interaction_count: int
    last_interaction_at: Optional[str]
    last_followup_at: Optional[str]
    score_computed_at: Optional[str]
    priority_level: Literal["high", "medium", "low", "archived"]
    source: Optional[str]
    user_edited_fields: list[str]
    google_resource_name: Optional[str]
    bcc_hash: Optional[str]
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


# -- interactions ------------------------------------------------------------------------------------------------

class InteractionIn(In):
    platform: Optional[str] = Field(default=None, description="default manual")
    direction: Optional[Literal["inbound", "outbound", "mutual", "event", "note"]] = Field(
        default=None, description="default note for manual, else outbound")
    content_preview: Optional[str] = None
    raw_reference_id: Optional[str] = None
    occurred_at: Optional[str] = Field(default=None, description="ISO 8601; default now")


class InteractionPatch(In):
    content_preview: Optional[str] = None


class Interaction(Out):
    id: str
    contact_id: str
    platform: str
    direction: Literal["inbound", "outbound", "mutual", "event", "note"]
    content_preview: Optional[str]
    raw_reference_id: Optional[str]
    is_read_by_recipient: Optional[bool]
    call_type: Optional[Literal["phone", "video"]]
    duration_seconds: Optional[int]
    extra_data: Optional[Any]
    occurred_at: str
    created_at: str
    updated_at: Optional[str]


# -- diagnostics -------------------------------------------------------------------------------------------------

class Health(Out):
    status: Literal["ok"]


class ErrorReportIn(In):
    message: str = Field(max_length=1000)
    source: Optional[str] = Field(default=None, max_length=500)
    lineno: Optional[int] = None
    colno: Optional[int] = None
    stack: Optional[str] = Field(default=None, max_length=5000)
    url: Optional[str] = Field(default=None, max_length=500)
    component: Optional[str] = Field(default=None, max_length=200)


class Received(Out):
    received: bool


# -- contact views, bulk changes and the 2nd tier (API B) --------------------------------------------------------

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
    full_name: Optional[str]
    avatar_url: Optional[str]
    latitude: float
    longitude: float
    relationship_score: int


class MapMeta(Out):
    total_in_bounds: int


class RelatedContact(Out):
    id: str
    full_name: Optional[str]
    title: Optional[str]
    company: Optional[str]
    avatar_url: Optional[str]
    relationship_score: int
    reasons: list[str]


class BulkUpdateIn(In):
    """Types only; the service owns the rules (<= 500 ids, <= 50 tags each, known priority, something to
    change), so the CLI and the API refuse the same bodies."""

    contact_ids: Optional[list[str]] = Field(default=None, description="At most 500 contact ids.")
    add_tags: Optional[list[str]] = Field(default=None, description="At most 50; normalised to lowercase.")
    remove_tags: Optional[list[str]] = Field(default=None, description="At most 50.")
    priority_level: Optional[str] = Field(default=None, description="high, medium, low or archived "
                                                                    "(archiving dismisses open suggestions).")
    company: Optional[str] = Field(default=None, description='null leaves it; "" clears it.')


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
    contact_name: Optional[str]
    contact_avatar_url: Optional[str]
    platform: str
    direction: Literal["inbound", "outbound", "mutual", "event", "note"]
    content_preview: Optional[str]
    timestamp: str


# -- organizations -----------------------------------------------------------------------------------------------

class OrganizationIn(In):
    """An organization's editable fields. On PATCH every key is optional: keys present change, null clears
    (except the name)."""

    name: Optional[str] = Field(default=None, description="Required on create.")
    domain: Optional[str] = Field(default=None, description="Its own web domain, e.g. analytical.io "
                                                            "(personal mail domains are refused).")
    industry: Optional[str] = None
    location: Optional[str] = None
    website: Optional[str] = None
    linkedin_url: Optional[str] = None
    twitter_handle: Optional[str] = None
    notes: Optional[str] = None


class Organization(Out):
    id: str
    name: str
    domain: Optional[str]
    industry: Optional[str]
    location: Optional[str]
    website: Optional[str]
    linkedin_url: Optional[str]
    twitter_handle: Optional[str]
    notes: Optional[str]
    logo_url: Optional[str]
    created_at: str
    updated_at: str
    contact_count: int
    avg_relationship_score: int
    total_interactions: int
    last_interaction_at: Optional[str]


class OrganizationMember(Out):
    id: str
    full_name: Optional[str]
    given_name: Optional[str]
    family_name: Optional[str]
    title: Optional[str]
    avatar_url: Optional[str]
    relationship_score: int
    priority_level: Literal["high", "medium", "low", "archived"]
    last_interaction_at: Optional[str]


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
    last_interaction_at: Optional[str]


class LogosQueued(Out):
    queued: bool


class LogoRefreshed(Out):
    logo_url: Optional[str]
    refreshed: bool


# -- notifications -----------------------------------------------------------------------------------------------

class Notification(Out):
    id: str
    notification_type: str
    title: str
    body: Optional[str]
    read: bool
    link: Optional[str]
    created_at: str


class NotificationRead(Out):
    id: str
    read: Literal[True]


class Marked(Out):
    marked: Literal[True]


# -- settings (D14) ------------------------------------------------------------------------------------------------

class Priority(Out):
    high: int
    medium: int
    low: int


class PriorityIn(In):
    """Intervals in days (7-365); keys left out keep their value, null restores the default."""

    high: Optional[int] = None
    medium: Optional[int] = None
    low: Optional[int] = None


class SyncSource(Out):
    auto_sync: bool
    schedule: Literal["manual", "6h", "12h", "daily"]
    hour: int


class SyncSourceIn(In):
    auto_sync: Optional[bool] = None
    schedule: Optional[str] = Field(default=None, description="manual, 6h, 12h or daily")
    hour: Optional[int] = Field(default=None, description="0-23, for daily syncs")


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

    gmail: Optional[SyncSourceIn] = None
    google_calendar: Optional[SyncSourceIn] = None
    google_contacts: Optional[SyncSourceIn] = None
    linkedin: Optional[SyncSourceIn] = None
    telegram: Optional[SyncSourceIn] = None
    twitter: Optional[SyncSourceIn] = None
    whatsapp: Optional[SyncSourceIn] = None


class TelegramSettings(Out):
    sync_2nd_tier: bool


class TelegramSettingsIn(In):
    sync_2nd_tier: Optional[bool] = None


class SuggestionSettings(Out):
    max_suggestions: int
    include_dormant: bool
    birthday_reminders: bool
    preferred_channel: str
    dormancy_threshold_days: int


class SuggestionSettingsIn(In):
    """Keys given change (validated by the settings registry), the rest keep their values."""

    max_suggestions: Optional[int] = None
    include_dormant: Optional[bool] = None
    birthday_reminders: Optional[bool] = None
    preferred_channel: Optional[str] = None
    dormancy_threshold_days: Optional[int] = None


class MapConfig(Out):
    mapbox_public_token: str


# -- sync history ----------------------------------------------------------------------------------------------------

class SyncRun(Out):
    id: str
    platform: str
    sync_type: Literal["manual", "scheduled", "webhook"]
    status: Literal["started", "success", "failed", "partial"]
    records_created: int
    records_updated: int
    records_failed: int
    duration_ms: Optional[int]
    error_message: Optional[str]
    details: Optional[str] = Field(description="A JSON string.")
    started_at: str
    completed_at: Optional[str]


class SyncPlatformStats(Out):
    total_syncs: int
    success_count: int
    failed_count: int
    success_rate: float
    last_sync: Optional[str]


# -- relationship intelligence, identity resolution, imports (issues 6, 7, 9) ----------------------------------

class SuggestionContact(Out):
    id: str
    full_name: Optional[str]
    given_name: Optional[str]
    family_name: Optional[str]
    company: Optional[str]
    title: Optional[str]
    avatar_url: Optional[str]
    telegram_username: Optional[str]
    twitter_handle: Optional[str]
    linkedin_profile_id: Optional[str]
    linkedin_url: Optional[str]
    last_interaction_at: Optional[str]


class Suggestion(Out):
    id: str
    contact_id: str
    contact: SuggestionContact
    trigger_type: Literal["time_based", "event_based", "scheduled", "birthday", "dormant_deep", "dormant_mid",
                          "dormant_event"]
    trigger_event_id: Optional[str]
    pool: Optional[Literal["A", "B"]]
    reason: Optional[str]
    suggested_message: str
    suggested_channel: str
    status: Literal["pending", "snoozed", "dismissed", "sent"]
    dismissed_by: Optional[Literal["user", "system"]]
    scheduled_for: Optional[str]
    created_at: str
    updated_at: str


class GenerateMeta(Out):
    generated: int
    locked: Optional[bool] = Field(default=None, description="true: another run held the lock; nothing made.")


class SuggestionUpdateIn(In):
    """Status values and times are checked by the service: an unknown status is 400, snoozing without a
    time 422 (§3.7)."""

    status: Optional[str] = Field(default=None, description="pending, snoozed, dismissed or sent")
    snooze_until: Optional[str] = Field(default=None, description="ISO 8601; needed with status snoozed")
    scheduled_for: Optional[str] = Field(default=None, description="the same as snooze_until")
    suggested_message: Optional[str] = None
    suggested_channel: Optional[str] = Field(default=None, description="email, telegram, twitter, linkedin, whatsapp")


class RegenerateIn(In):
    channel: Optional[str] = Field(default=None, description="email, telegram, twitter, linkedin or whatsapp")


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
    first_interaction_at: Optional[str]


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
    full_name: Optional[str]
    given_name: Optional[str]
    family_name: Optional[str]
    emails: list[str]
    phones: list[str]
    company: Optional[str]
    title: Optional[str]
    twitter_handle: Optional[str]
    telegram_username: Optional[str]
    linkedin_url: Optional[str]
    tags: list[str]
    notes: Optional[str]
    source: Optional[str]


class IdentityMatch(Out):
    id: str
    contact_a_id: Optional[str]
    contact_b_id: Optional[str]
    contact_a: Optional[MatchContact]
    contact_b: Optional[MatchContact]
    match_score: float
    match_method: str
    status: Literal["pending_review", "merged", "rejected"]
    created_at: str
    resolved_at: Optional[str]
    explanation: Optional[dict[str, Any]] = Field(
        default=None, description="With ?explain=true: each signal, its weight, the guards and the score.")


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
    full_name: Optional[str]


class IdentityScanMeta(BaseModel):
    """The fixed keys; the scorer adds its own counters (pairs compared, blocks skipped...)."""

    model_config = ConfigDict(extra="allow")
    auto_merged_ids: list[str]
    pending_review_ids: list[str]
    merge_ids: list[str]
    deterministic_merged: int
    probabilistic_merged: int
    dry_run: bool
    backup: Optional[str] = Field(description="The automatic backup taken before the first merge (D20).")
    would_merge: Optional[list[WouldMerge]] = Field(default=None, description="With dry_run=true.")


class DuplicateHint(Out):
    id: str
    full_name: Optional[str]
    given_name: Optional[str]
    family_name: Optional[str]
    emails: list[str]
    phones: list[str]
    company: Optional[str]
    title: Optional[str]
    twitter_handle: Optional[str]
    telegram_username: Optional[str]
    score: float
    explanation: Optional[dict[str, Any]] = None


class ContactMerged(Out):
    id: str = Field(description="The survivor: the richer contact, whichever side it was (D23).")
    full_name: Optional[str]
    merged_contact_id: str
    merge_id: Optional[str] = Field(description="null on a dry run")
    match_id: Optional[str]
    interactions_moved: int
    collisions_journaled: int


class DryRunMeta(Out):
    dry_run: Optional[bool] = None


class Dismissed(Out):
    dismissed: bool


class OrgSummary(Out):
    id: str
    name: str
    domain: Optional[str]
    logo_url: Optional[str]
    linkedin_url: Optional[str]
    website: Optional[str]
    twitter_handle: Optional[str]
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

    file: Optional[bytes] = Field(default=None, description="The file (a form part with a filename); required.")
    dry_run: Optional[str] = Field(default=None, description="true: report what would happen, write nothing.")
    strict: Optional[str] = Field(default=None, description="true: any row error aborts; nothing is written.")
    tz: Optional[str] = Field(default=None, description="Zone for times without one (default: the setting).")
    me: Optional[str] = Field(default=None, description="Your name or email as the file writes it; repeatable.")


class ImportReport(Out):
    source: str
    batch_id: Optional[str] = Field(description="For `pcrm import undo`; null when nothing changed or dry run.")
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
