"""The `whatsapp` pull source's adapter [whatsapp-sidecar]: `pcrm sync whatsapp` (and the schedule) asks the
sidecar for the linked account's address book, written as one batch, then for a backfill of the last
`whatsapp.backfill_days` days; the sidecar sends those messages as `backfill_batch` webhooks, written by the
webhook (services/whatsapp_webhook.py) through the same engine. A session that is not linked is a
`SourceError` naming the command that links it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pcrm import clock
from pcrm.domain.records import ContactRecord, Records
from pcrm.domain.sources import source
from pcrm.sync.base import Batch, Source, SourceError
from pcrm.sync.whatsapp import client as wa
from pcrm.sync.whatsapp.events import phone

SESSION = "pcrm"  # default of whatsapp.session: the sidecar's user id for this store
BACKFILL_DAYS = 30
BATCH = 500


def sidecar(settings: Mapping[str, Any], *, transport: Any = None) -> wa.Sidecar:
    """A client for the configured sidecar and session."""
    return wa.Sidecar(
        str(settings.get("whatsapp.sidecar_url") or wa.DEFAULT_URL),
        str(settings.get("whatsapp.session") or SESSION),
        transport=transport,
    )


def contact_data(c: Mapping[str, Any]) -> dict[str, Any] | None:
    """An address-book entry (`{id|phone|number, name|pushname}`) as contact input; None without a number."""
    number = phone(c.get("id") or c.get("phone") or c.get("number"))
    if number is None:
        return None
    data: dict[str, Any] = {"whatsapp_phone": number, "phones": [number]}
    name = c.get("name") or c.get("pushname") or c.get("pushName")
    if isinstance(name, str) and name.strip():
        data["full_name"] = " ".join(name.split())[:200]
        data["whatsapp_name"] = data["full_name"]
    return data


class WhatsAppSource(Source):
    spec = source("whatsapp")
    capabilities = frozenset({"contacts", "interactions"})

    @classmethod
    def connect(cls, secrets: Mapping[str, str], settings: Mapping[str, Any]) -> Any:
        return sidecar(settings)

    def fetch(self, cursor: str | None) -> Iterator[Batch]:
        sc: wa.Sidecar = self.client
        status = sc.status()
        if status != "connected":
            raise SourceError(
                f"WhatsApp is not linked at the sidecar (its session is {status})",
                hint="link it: pcrm auth whatsapp connect",
            )
        people = [d for c in sc.contacts() if (d := contact_data(c)) is not None]
        for k in range(0, len(people), BATCH):
            chunk = people[k : k + BATCH]
            records = Records(
                contacts=[ContactRecord(row=k + i + 1, data=d, where="contacts") for i, d in enumerate(chunk)]
            )
            yield Batch(records, cursor, done=k + len(chunk), total=len(people))
        days = int(self.settings.get("whatsapp.backfill_days") or BACKFILL_DAYS)
        sc.backfill(days_back=days)
        yield Batch(
            Records(),
            clock.iso(self.now()),
            details={"backfill_requested_days": days, "contacts": len(people)},
        )
