"""WhatsApp through the sidecar [whatsapp-sidecar] and its webhook [whatsapp-webhook]."""

from __future__ import annotations

from pydantic import Field

from pcrm.api.schemas.common import Out


class WhatsAppQr(Out):
    status: str = Field(description="initializing, qr_pending, authenticated, connected or disconnected.")
    qr: str | None = Field(
        description="The QR payload to scan in WhatsApp > Linked devices; null once linked."
    )


class WhatsAppConnect(WhatsAppQr):
    webhook_secret_set: bool = Field(description="False: run `pcrm auth whatsapp secret` first.")


class WhatsAppStatus(Out):
    status: str
    connected: bool
    phone: str | None
    last_synced_at: str | None
    webhook_secret_set: bool


class WhatsAppDisconnected(Out):
    disconnected: bool
    sidecar_session_ended: bool = Field(description="False when the sidecar did not answer (best effort).")


class WhatsAppReceived(Out):
    received: bool
    event: str
    ignored: bool | None = Field(default=None, description="True for another session's event.")
    contacts_created: int | None = None
    contacts_updated: int | None = None
    interactions_created: int | None = None
    interactions_skipped: int | None = None
    errors: list[str] | None = Field(default=None, description="Malformed messages: `messages[3]: ...`.")
