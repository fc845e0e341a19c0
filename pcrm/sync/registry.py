"""The adapters of the sources in `domain/sources.py` [source-registry]: which class syncs each pull source.

Adapters are imported only when asked for (a function per adapter, so the layer contracts see the
import), so listing sources costs nothing. A source without an adapter yet answers `None`: its sync says
it is not available in this version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pcrm.domain.sources import SOURCES


def _memory() -> Any:
    from pcrm.sync.memory import MemorySource

    return MemorySource


def _telegram() -> Any:
    from pcrm.sync.telegram.source import TelegramSource

    return TelegramSource


def _gmail() -> Any:
    from pcrm.sync.google.gmail import GmailSource

    return GmailSource


def _google_contacts() -> Any:
    from pcrm.sync.google.contacts import GoogleContactsSource

    return GoogleContactsSource


def _google_calendar() -> Any:
    from pcrm.sync.google.calendar import GoogleCalendarSource

    return GoogleCalendarSource


def _whatsapp() -> Any:
    from pcrm.sync.whatsapp.source import WhatsAppSource

    return WhatsAppSource


def _twitter() -> Any:
    from pcrm.sync.x.source import XSource

    return XSource


ADAPTERS: dict[str, Callable[[], Any]] = {
    "memory": _memory,
    "telegram": _telegram,
    "gmail": _gmail,
    "google_contacts": _google_contacts,
    "google_calendar": _google_calendar,
    "whatsapp": _whatsapp,
    "twitter": _twitter,
}

# every adapter belongs to a source of the one list
assert set(ADAPTERS) <= {s.name for s in SOURCES}


def adapter(name: str) -> Any:
    """The adapter class of source `name`, or None when it has none in this version."""
    load = ADAPTERS.get(name)
    return load() if load is not None else None
