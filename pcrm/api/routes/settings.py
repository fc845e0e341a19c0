"""/settings (D14) and the MCP key (§7.5)."""

from __future__ import annotations

from pcrm.api import schemas as s
from pcrm.api.declare import op, svc

T = "settings"
SETTINGS = "settings over the API"

OPS = [
    op("GET", "/settings/priority", "Follow-up intervals (high, medium, low)", T, todo=SETTINGS),
    op("PUT", "/settings/priority", "Update follow-up intervals (7-365 days)", T, todo=SETTINGS),
    op("GET", "/settings/sync", "Sync schedule preferences", T, todo=SETTINGS),
    op("PUT", "/settings/sync", "Update sync schedule preferences", T, todo=SETTINGS),
    op("GET", "/settings/telegram", "Telegram-specific settings (e.g., 2nd-tier toggle)", T, todo=SETTINGS),
    op("PUT", "/settings/telegram", "Update Telegram settings", T, todo=SETTINGS),
    op("GET", "/settings/suggestions", "Suggestion engine prefs", T, todo=SETTINGS),
    op("PUT", "/settings/suggestions", "Update suggestion engine prefs", T, todo=SETTINGS),
    op("GET", "/settings/mcp-key", "MCP API key status", T,
       call=svc("pcrm.services.tokens:mcp_key_status"), response=s.McpKeyStatus),
    op("POST", "/settings/mcp-key", "Generate a new MCP API key (shown once)", T,
       call=svc("pcrm.services.tokens:mcp_key_create"), response=s.McpKey),
    op("DELETE", "/settings/mcp-key", "Revoke the MCP API key", T,
       call=svc("pcrm.services.tokens:mcp_key_revoke"), response=s.Revoked),
]
