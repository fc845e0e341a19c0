"""Reads for the vCard export: contact rowids in a stable order and their contact_fields in bulk."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import apsw


def contact_ids(conn: apsw.Connection) -> list[int]:
    """Every contact, oldest first (the export's order)."""
    return [r[0] for r in conn.execute("SELECT id FROM contacts ORDER BY created_at, id")]


def fields_by_contact(conn: apsw.Connection, ids: Sequence[int]) -> dict[str, list[dict[str, Any]]]:
    """contact uuid -> its contact_fields rows {kind, label, value, pref}, in position order."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    out: dict[str, list[dict[str, Any]]] = {}
    for uuid, kind, label, value, pref in conn.execute(
        f"SELECT c.uuid, f.kind, f.label, f.value, f.pref FROM contact_fields f JOIN contacts c "
        f"ON c.id = f.contact_id WHERE f.contact_id IN ({marks}) ORDER BY f.contact_id, f.position, f.id",
        tuple(ids),
    ):
        out.setdefault(uuid, []).append({"kind": kind, "label": label, "value": value, "pref": pref})
    return out
