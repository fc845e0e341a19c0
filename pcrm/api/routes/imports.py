"""File imports over the API (D15); the CLI's `pcrm import FILE` covers every format."""

from __future__ import annotations

from pcrm.api.declare import op

T = "imports"

OPS = [
    op("POST", "/contacts/import/csv", "Import from a CSV file", T, todo="CSV import over the API"),
    op("POST", "/contacts/import/linkedin", "Import a LinkedIn Connections.csv export", T,
       todo="LinkedIn import over the API"),
    op("POST", "/contacts/import/linkedin-messages", "Import a LinkedIn message export", T,
       todo="LinkedIn messages import over the API"),
]
