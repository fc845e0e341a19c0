"""The ImportReport of [import-report]: what every import, and the JSON restore, returns.

Its own module because both `services/imports/` (which writes files) and `services/exports.py` (which
restores its JSON export) build it, and neither imports the other for it.
"""

from __future__ import annotations

from typing import Any


def empty_report(source: str) -> dict[str, Any]:
    """A report with nothing done yet: the counters the writer increments, row errors, and the names
    of message counterparts nobody matched."""
    return {
        "source": source,
        "batch_id": None,
        "contacts_created": 0,
        "contacts_updated": 0,
        "contacts_skipped": 0,
        "interactions_created": 0,
        "interactions_skipped": 0,
        "errors": [],
        "unmatched_names": [],
    }
