"""STUB (branch `jobs`): the list of sync sources, with exactly the interface the sync engine on main
provides. The jobs code is written against it; this file is replaced by main's at merge. Write nothing
else here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceSpec:
    name: str
    label: str
    platform: str
    auto_sync: bool
    schedule: str
    hour: int = 3
    hidden: bool = False


SOURCES: tuple[SourceSpec, ...] = (
    SourceSpec("gmail", "Gmail", "gmail", True, "6h"),
    SourceSpec("google_contacts", "Google Contacts", "google_contacts", False, "manual"),
    SourceSpec("google_calendar", "Google Calendar", "google_calendar", True, "daily"),
    SourceSpec("telegram", "Telegram", "telegram", True, "daily"),
    SourceSpec("twitter", "X (Twitter)", "twitter", True, "daily"),
    SourceSpec("linkedin", "LinkedIn", "linkedin", False, "manual"),
    SourceSpec("whatsapp", "WhatsApp", "whatsapp", False, "manual"),
    SourceSpec("memory", "Memory (test source)", "memory", False, "manual", hidden=True),
)


def source(name: str) -> SourceSpec:
    for s in SOURCES:
        if s.name == name:
            return s
    raise KeyError(name)
