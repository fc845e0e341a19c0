"""/settings [settings-registry] and the MCP key [opaque-tokens]."""

from __future__ import annotations

from pcrm.api import schemas as s
from pcrm.api.declare import op, svc
from pcrm.services import settings, tokens

T = "settings"
PARTIAL = (
    "Partial: keys present change, the rest keep their values, null restores a default. Every value "
    "is validated before anything is written (`pcrm settings set` reaches the same keys)."
)

OPS = [
    op(
        "GET",
        "/settings/priority",
        "Follow-up intervals (high, medium, low)",
        T,
        read=True,
        inline=True,
        call=svc(settings.get_priority),
        response=s.Priority,
    ),
    op(
        "PUT",
        "/settings/priority",
        "Update follow-up intervals (7-365 days)",
        T,
        call=svc(settings.update_priority, body=True),
        body=s.PriorityIn,
        response=s.Priority,
        description=PARTIAL,
    ),
    op(
        "GET",
        "/settings/sync",
        "Sync schedule preferences",
        T,
        read=True,
        inline=True,
        call=svc(settings.get_sync),
        response=s.SyncSettings,
    ),
    op(
        "PUT",
        "/settings/sync",
        "Update sync schedule preferences",
        T,
        call=svc(settings.update_sync, body=True),
        body=s.SyncSettingsIn,
        response=s.SyncSettings,
        description=PARTIAL,
    ),
    op(
        "GET",
        "/settings/telegram",
        "Telegram-specific settings (e.g., 2nd-tier toggle)",
        T,
        read=True,
        inline=True,
        call=svc(settings.get_telegram),
        response=s.TelegramSettings,
    ),
    op(
        "PUT",
        "/settings/telegram",
        "Update Telegram settings",
        T,
        call=svc(settings.update_telegram, body=True),
        body=s.TelegramSettingsIn,
        response=s.TelegramSettings,
        description=PARTIAL,
    ),
    op(
        "GET",
        "/settings/suggestions",
        "Suggestion engine prefs",
        T,
        read=True,
        inline=True,
        call=svc(settings.get_suggestions),
        response=s.SuggestionSettings,
    ),
    op(
        "PUT",
        "/settings/suggestions",
        "Update suggestion engine prefs",
        T,
        call=svc(settings.update_suggestions, body=True),
        body=s.SuggestionSettingsIn,
        response=s.SuggestionSettings,
        description=PARTIAL,
    ),
    op(
        "GET",
        "/settings/mcp-key",
        "MCP API key status",
        T,
        read=True,
        call=svc(tokens.mcp_key_status),
        response=s.McpKeyStatus,
    ),
    op(
        "POST",
        "/settings/mcp-key",
        "Generate a new MCP API key (shown once)",
        T,
        call=svc(tokens.mcp_key_create),
        response=s.McpKey,
    ),
    op(
        "DELETE",
        "/settings/mcp-key",
        "Revoke the MCP API key",
        T,
        call=svc(tokens.mcp_key_revoke),
        response=s.Revoked,
    ),
]
