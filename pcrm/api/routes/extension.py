"""Pairing the browser extension [not-yet-built]."""

from __future__ import annotations

from pcrm.api.declare import Param, op

T = "extension"
PAIRING = "extension pairing"

OPS = [
    op("POST", "/extension/pair", "Submit a pairing code from the extension popup", T, todo=PAIRING),
    op(
        "GET",
        "/extension/pair",
        "Poll for token (unauthenticated, used by extension)",
        T,
        todo=PAIRING,
        public=True,
        query=(Param("code", required=True),),
    ),
    op("DELETE", "/extension/pair", "Disconnect the extension", T, todo=PAIRING),
    op(
        "POST",
        "/extension/refresh",
        "Silent token refresh (extension exchanges expiring JWT for a fresh 30-day one)",
        T,
        todo=PAIRING,
        public=True,
    ),
]
