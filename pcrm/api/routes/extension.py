"""Pairing the browser extension [extension-pairing]."""

from __future__ import annotations

from pcrm.api.declare import Param, op, svc
from pcrm.api.schemas import extension as ext
from pcrm.services import extension

T = "extension"

OPS = [
    op(
        "POST",
        "/extension/pair",
        "Submit a pairing code from the extension popup",
        T,
        call=svc(extension.pair, body=True, principal=True),
        body=ext.PairIn,
        response=ext.PairOk,
        extra_statuses=(409, 410),
        description="Holds the code for 10 minutes. 422 for a string that is not a pairing code, 409 for "
        "a code already collected, 410 for an expired one.",
    ),
    op(
        "GET",
        "/extension/pair",
        "Poll for token (unauthenticated, used by extension)",
        T,
        call=svc(extension.poll, query=("code",), base_url=True),
        public=True,
        query=(
            Param(
                "code",
                required=True,
                description="The code the extension shows: PING- and six of "
                "ABCDEFGHJKMNPQRSTUVWXYZ23456789; anything else is 422.",
            ),
        ),
        response=ext.ExtensionToken,
        extra_statuses=(404, 410, 429),
        description="422 for a string that is not a pairing code, 404 until the code is entered in pcrm, "
        "410 once it expired unclaimed, 429 past the 20th poll of one code.",
    ),
    op(
        "DELETE",
        "/extension/pair",
        "Disconnect the extension",
        T,
        call=svc(extension.disconnect, principal=True),
        response=ext.PairOk,
        description="Forgets every code and retires every extension token issued so far.",
    ),
    op(
        "POST",
        "/extension/refresh",
        "Silent token refresh (extension exchanges expiring JWT for a fresh 30-day one)",
        T,
        call=svc(extension.refresh, body=True, base_url=True),
        public=True,
        body=ext.RefreshIn,
        response=ext.ExtensionToken,
        description="Any extension token pcrm signed, expired at most 90 days ago, while the extension is "
        "paired; 401 otherwise.",
    ),
]
