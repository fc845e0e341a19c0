"""Reads for the vCard and CSV exports: contact rowids in a stable order, their contact_fields and their
platform identities in bulk."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import apsw

from pcrm.domain.models import IDENTITY_FIELD


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


def contact_uuids(conn: apsw.Connection) -> list[str]:
    """Every contact's uuid, in the export's order."""
    return [r[0] for r in conn.execute("SELECT uuid FROM contacts ORDER BY created_at, id")]


def had_contacts(conn: apsw.Connection, uuids: Sequence[str]) -> set[str]:
    """Those of `uuids` this store has or had as a contact, as far as it records [vcard-folders]: a contact
    of it, one it deleted (deleted_contacts, since m035), one side of a merge (the contact merged away, or a
    survivor deleted since), or a contact an AI agent's write named in the audit log."""
    out: set[str] = set()
    for i in range(0, len(uuids), 500):
        part = tuple(u.lower() for u in uuids[i : i + 500])
        marks = ",".join("?" * len(part))
        out.update(
            r[0]
            for r in conn.execute(
                f"SELECT uuid FROM contacts WHERE uuid IN ({marks}) "
                f"UNION SELECT contact_uuid FROM deleted_contacts WHERE contact_uuid IN ({marks}) "
                f"UNION SELECT merged_uuid FROM contact_merges WHERE merged_uuid IN ({marks}) "
                f"UNION SELECT primary_uuid FROM contact_merges WHERE primary_uuid IN ({marks}) "
                f"UNION SELECT contact_id FROM audit_log WHERE contact_id IN ({marks})",
                part * 5,
            )
        )
    return out


def identities_by_contact(conn: apsw.Connection, ids: Sequence[int]) -> dict[str, list[tuple[str, str]]]:
    """contact uuid -> every platform identity it holds as (field, value) (`telegram_user_id`, `7044...`),
    oldest first: the first of a field is the one the contact shows [child-tables], the others came with a
    merge or a second id of the same account [own-exports]."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    out: dict[str, list[tuple[str, str]]] = {}
    for uuid, platform, external_id, handle in conn.execute(
        f"SELECT c.uuid, i.platform, i.external_id, i.handle FROM contact_identities i JOIN contacts c "
        f"ON c.id = i.contact_id WHERE i.contact_id IN ({marks}) ORDER BY i.contact_id, i.id",
        tuple(ids),
    ):
        for column, value in (("external_id", external_id), ("handle", handle)):
            field = IDENTITY_FIELD.get((platform, column))
            if value is not None and field is not None:
                out.setdefault(uuid, []).append((field, value))
    return out
