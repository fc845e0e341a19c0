"""Relationship intelligence's store: a World built at a fixed `now` (NOW) with hand-made histories,
written straight through the services and the store (the `world` fixture)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from pcrm import clock
from pcrm.clock import iso, parse_iso

NOW = "2026-06-01T08:00:00.000Z"
NOW_DT = parse_iso(NOW)


def ago(days: float, now: datetime = NOW_DT) -> str:
    return iso(now - timedelta(days=days))


class World:
    """Writes contacts, interactions, events and settings straight through the services and store."""

    def __init__(self) -> None:
        from pcrm.services.context import open_context
        from pcrm.store import settings as sstore

        clock.set_now(NOW_DT)
        self.ctx = open_context()
        sstore.put(self.ctx.conn, "timezone", "UTC", NOW)
        self._n = 0

    def contact(
        self,
        name: str,
        *,
        priority: str = "medium",
        email: bool = True,
        history: Iterable[tuple[Any, ...]] = (),
        birthday: str | None = None,
        tags: Iterable[str] = (),
        twitter: str | None = None,
        telegram: str | None = None,
        linkedin: str | None = None,
        followup_days: float | None = None,
    ) -> str:
        """history: (days_ago, direction[, platform[, is_read_by_recipient]])."""
        from pcrm.services import contacts, scores
        from pcrm.store import contacts as cstore
        from pcrm.store import interactions as istore
        from pcrm.store.db import write

        self._n += 1
        data: dict[str, Any] = {"full_name": name, "priority_level": priority}
        if email:
            # no character an address may not hold (a name written with markup, "Ada <b>Bold</b>")
            local = "".join(c for c in name.lower().replace(" ", ".") if c not in '<>"(),;')
            data["emails"] = [f"{local}{self._n}@example.com"]
        data.update(
            (key, value)
            for key, value in (
                ("birthday", birthday),
                ("twitter_handle", twitter),
                ("telegram_username", telegram),
                ("linkedin_url", linkedin),
            )
            if value is not None
        )
        if tags:
            data["tags"] = list(tags)
        if priority == "archived":
            data["priority_level"] = "medium"
        uuid = contacts.create_contact(self.ctx, data).data["id"]
        cid = contacts.rowid(self.ctx, uuid)
        with write(self.ctx.conn):
            for k, h in enumerate(history):
                days, direction = h[0], h[1]
                platform = h[2] if len(h) > 2 else "email"
                read = h[3] if len(h) > 3 else None
                istore.insert(
                    self.ctx.conn,
                    cid,
                    {
                        "platform": platform,
                        "direction": direction,
                        "occurred_at": ago(days),
                        "raw_reference_id": f"t:{self._n}:{k}",
                        "is_read_by_recipient": read,
                    },
                    NOW,
                )
            if followup_days is not None:
                cstore.update_contact(self.ctx.conn, cid, {"last_followup_at": ago(followup_days)}, NOW)
            if priority == "archived":
                cstore.update_contact(self.ctx.conn, cid, {"priority_level": "archived"}, NOW)
        scores.refresh(self.ctx, [cid])
        return uuid

    def event(
        self, contact: str, *, days_ago: float, confidence: float, summary: str = "Joined Globex as CTO"
    ) -> None:
        from pcrm.services import contacts
        from pcrm.store.rows import new_uuid

        cid = contacts.rowid(self.ctx, contact)
        self.ctx.conn.execute(
            "INSERT INTO detected_events(uuid, contact_id, event_type, confidence, summary, detected_at, "
            "created_at) VALUES (?, ?, 'job_change', ?, ?, ?, ?)",
            (new_uuid(), cid, confidence, summary, ago(days_ago), NOW),
        )

    def setting(self, key: str, value: Any) -> None:
        from pcrm.store import settings as sstore

        sstore.put(self.ctx.conn, key, value, NOW)

    def score(self, contact: str) -> int:
        return self.ctx.conn.execute(
            "SELECT relationship_score FROM contacts WHERE uuid = ?", (contact,)
        ).fetchone()[0]

    def close(self) -> None:
        self.ctx.close()


def due_history(
    days: float = 70, n_out: int = 3, n_in: int = 1, platform: str = "email"
) -> list[tuple[Any, ...]]:
    """A modest history whose last message is `days` ago: score below 4."""
    return [(days + k, "outbound", platform) for k in range(n_out)] + [
        (days + n_out + k, "inbound", platform) for k in range(n_in)
    ]


def rich_history(last_days: float, count: int = 12, platform: str = "email") -> list[tuple[Any, ...]]:
    """`count` alternating messages ending `last_days` ago (inbound last)."""
    return [(last_days + k, "inbound" if k % 2 == 0 else "outbound", platform) for k in range(count)]
