"""Identity resolution: duplicate hints, direct merges, the match queue (§4, D16)."""

from __future__ import annotations

from pcrm.api.declare import op

T = "identity"
RESOLUTION = "identity resolution"

OPS = [
    op("GET", "/contacts/{contact_id}/duplicates", "Duplicate candidates for a contact", T,
       todo="duplicate hints"),
    op("POST", "/contacts/{contact_id}/merge/{other_id}", "Merge two contacts directly", T, todo="contact merges"),
    op("POST", "/contacts/{contact_id}/dismiss-duplicate/{other_id}", "Dismiss a duplicate hint", T,
       todo="duplicate hints"),
    op("GET", "/identity/matches", "List pending identity matches", T, todo=RESOLUTION),
    op("POST", "/identity/scan", "Trigger an identity resolution scan", T, todo=RESOLUTION),
    op("POST", "/identity/matches/{match_id}/merge", "Confirm merge for a pair", T, todo=RESOLUTION),
    op("POST", "/identity/matches/{match_id}/reject", "Reject a match", T, todo=RESOLUTION),
]
