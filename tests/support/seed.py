"""Seeding a store through a service context: contacts through the resolver, interactions, a detected
event with its suggestion, and contacts written the bulk way (as an import or an old store holds them)."""

from __future__ import annotations

from typing import Any

from pcrm.services.context import Context


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
