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
