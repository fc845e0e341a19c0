"""Accounts and sessions: registration, login tokens, the profile, passwords, MCP keys."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, WithJsonSchema

from pcrm.api.schemas.common import In, Out

# A password's length is the service's to check, so the API refuses it with the words and hint of the CLI
# (`pcrm account create`, `pcrm account password`) [one-envelope]; the schema still states it.
_PASSWORD = Field(json_schema_extra={"minLength": 8, "maxLength": 1024})


class RegisterIn(In):
    email: str = Field(max_length=320, description="The account's email address.")
    password: str = _PASSWORD
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
    created_at: str | None = Field(description="When it was connected (the reference declares it too).")


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


class ChangePasswordIn(In):
    current_password: str
    new_password: str = _PASSWORD


class DeleteAccountIn(In):
    # required, as the schema says; not required by the model, so that a body without it (the reference web
    # UI sends {}) gets the service's 422 saying what to send, not pydantic's bare "Field required"
    model_config = ConfigDict(extra="forbid", json_schema_extra={"required": ["password"]})

    password: Annotated[
        str | None,
        WithJsonSchema(
            {
                "type": "string",
                "description": "The account's password: deleting the account wipes the whole store.",
            }
        ),
    ] = None


class AccountDeleted(Out):
    deleted: bool
    backup: str


class McpKeyStatus(Out):
    has_key: bool
    created_at: str | None
    last_used_at: str | None


class McpKey(Out):
    key: str


class PrioritySettings(Out):
    high: int
    medium: int
    low: int
    suggestion_prefs: dict[str, Any]


class Registered(Profile):
    priority_settings: PrioritySettings = Field(
        description="The follow-up intervals in days and the suggestion preferences (as the reference)."
    )


class GoogleUrl(Out):
    url: str = Field(description="Google's consent page.")
    state: str = Field(description="Bound to this request; valid 10 minutes, used once.")


class GoogleCallbackIn(In):
    code: str = Field(max_length=4096)
    state: str = Field(max_length=256)


class GoogleConnected(Out):
    connected: bool
    email: str
    account_id: str


class GoogleAccountRow(Out):
    id: str
    email: str
    created_at: str
    connected: bool = Field(description="Its refresh token is in the secret store.")
