"""Fixtures for identity tests: a service context on the test's real store, seeding helpers, and a
canonical dump of a contact (every row that belongs to it, keyed by public ids, not rowids)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pcrm.services.context import Context, open_context


@pytest.fixture
def ctx(pcrm_home: Any) -> Iterator[Context]:
    c = open_context()
    yield c
    c.close()


def add(ctx: Context, **data: Any) -> str:
    from pcrm.services.contacts import create_contact

    return create_contact(ctx, data).data["id"]


def add_interaction(
    ctx: Context,
    contact: str,
    ref: str | None,
    *,
    at: str = "2025-01-10T10:00:00Z",
    direction: str = "inbound",
    text: str = "hello",
) -> str:
    from pcrm.services.interactions import add_interaction as svc

    data = {"platform": "email", "direction": direction, "occurred_at": at, "content_preview": text}
    if ref:
        data["raw_reference_id"] = ref
    return svc(ctx, contact, data).data["id"]


def seed_suggestion_and_event(ctx: Context, contact: str) -> None:
    """A detected event and a suggestion pointing at it (their engines live elsewhere)."""
    from pcrm.store.db import write
    from pcrm.store.rows import new_uuid

    cid = ctx.conn.execute("SELECT id FROM contacts WHERE uuid = ?", (contact,)).fetchone()[0]
    with write(ctx.conn):
        ev = ctx.conn.execute(
            "INSERT INTO detected_events(uuid, contact_id, event_type, confidence, summary, detected_at, "
            "created_at) VALUES (?, ?, 'job_change', 0.9, 'joined Globex', '2025-01-01T00:00:00.000Z', "
            "'2025-01-01T00:00:00.000Z') RETURNING id",
            (new_uuid(), cid),
        ).fetchone()[0]
        ctx.conn.execute(
            "INSERT INTO follow_up_suggestions(uuid, contact_id, trigger_type, trigger_event_id, "
            "suggested_message, suggested_channel, status, pool, created_at, updated_at) "
            "VALUES (?, ?, 'event_based', ?, 'Congrats!', "
            "'email', 'pending', 'A', '2025-01-02T00:00:00.000Z', '2025-01-02T00:00:00.000Z')",
            (new_uuid(), cid, ev),
        )


def _rows(ctx: Context, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    from pcrm.store.rows import rows

    return rows(ctx.conn, sql, params)


def dump(ctx: Context, contact_uuid: str) -> dict[str, Any] | None:
    """Canonical state of one contact: its row (all columns but the rowid) and every child row,
    interaction, suggestion and detected event, with internal ids replaced by public ones."""
    rows = _rows(ctx, "SELECT * FROM contacts WHERE uuid = ?", (contact_uuid,))
    if not rows:
        return None
    c = rows[0]
    cid = c.pop("id")
    org = c.pop("organization_id")
    c["organization"] = (
        ctx.conn.execute("SELECT uuid FROM organizations WHERE id = ?", (org,)).fetchone()[0] if org else None
    )
    out: dict[str, Any] = {"contact": c}
    for table, order in (
        ("contact_emails", "position, email"),
        ("contact_phones", "position, normalized"),
        ("contact_tags", "position, tag"),
        ("contact_fields", "position, kind, value"),
        ("contact_identities", "platform, external_id, handle"),
    ):
        items = _rows(ctx, f"SELECT * FROM {table} WHERE contact_id = ? ORDER BY {order}", (cid,))
        for r in items:
            r.pop("id", None)
            r.pop("contact_id")
        out[table] = items
    inter = _rows(ctx, "SELECT * FROM interactions WHERE contact_id = ? ORDER BY uuid", (cid,))
    for r in inter:
        r.pop("id")
        r.pop("contact_id")
    out["interactions"] = inter
    events = _rows(ctx, "SELECT * FROM detected_events WHERE contact_id = ? ORDER BY uuid", (cid,))
    ev_uuid = {}
    for r in events:
        ev_uuid[r.pop("id")] = r["uuid"]
        r.pop("contact_id")
    out["detected_events"] = events
    sugg = _rows(ctx, "SELECT * FROM follow_up_suggestions WHERE contact_id = ? ORDER BY uuid", (cid,))
    for r in sugg:
        r.pop("id")
        r.pop("contact_id")
        r["trigger_event_id"] = ev_uuid.get(r["trigger_event_id"], r["trigger_event_id"])
    out["follow_up_suggestions"] = sugg
    return out


def count_contacts(ctx: Context) -> int:
    return ctx.conn.execute("SELECT count(*) FROM contacts").fetchone()[0]


def bulk_add(ctx: Context, **rec: Any) -> str:
    """A contact written the way an import's bulk path or an old store holds it, without the
    resolver's 409 (so two contacts can share an email, as tier 1 expects to find)."""
    from pcrm.store import bulk
    from pcrm.store.db import write

    if "phones" in rec:
        from pcrm.domain.normalize import phone

        rec["phones"] = [(p, phone(p) or p) for p in rec["phones"]]
    with write(ctx.conn):
        cid = bulk.insert_contacts(ctx.conn, [rec], ctx.now_iso())[0]
    return ctx.conn.execute("SELECT uuid FROM contacts WHERE id = ?", (cid,)).fetchone()[0]
