"""The browser extension: pairing [extension-pairing]."""

from __future__ import annotations

from pydantic import Field

from pcrm.api.schemas.common import In, Out


class PairIn(In):
    code: str = Field(
        min_length=1,
        max_length=64,
        description="The code the extension shows, e.g. PING-7KQ2MX: PING- and six of "
        "ABCDEFGHJKMNPQRSTUVWXYZ23456789 (case and spaces around it do not matter).",
    )


class PairOk(Out):
    status: str = Field(description='"ok".')


class RefreshIn(In):
    token: str = Field(
        min_length=1, max_length=4096, description="The extension's current (or expired) token."
    )


class ExtensionToken(Out):
    token: str = Field(description="An extension JWT (aud=pcrm-extension), valid for 30 days.")
    api_url: str = Field(description="Where the extension sends its calls: this daemon.")
