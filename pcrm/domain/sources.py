"""The one list of sources pcrm is fed by [source-registry]: each source's name, label, platform, default
schedule and how it is connected. Everything that lists sources is derived from it: the `sync.*` and
`metadata_only.*` settings (domain/settings.py), the platforms of the sync history and its routes, the
CLI's choices, and the adapters' registry (pcrm/sync/registry.py, which pairs each name with its code).

It lives in the domain, not beside the adapters, because the settings and the services below the adapters
need it too; it is plain data and imports nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

Schedule = Literal["manual", "6h", "12h", "daily"]
SCHEDULES: tuple[Schedule, ...] = ("manual", "6h", "12h", "daily")
# hidden sources (the memory source of the tests and benchmarks) are offered only when this is set
HIDDEN_ENV = "PCRM_ENABLE_TEST_SOURCES"


@dataclass(frozen=True)
class SourceSpec:
    """A source of contacts and interactions.

    `kind` is how data arrives: "pull" sources are synced by pcrm (by hand or on a schedule), "push"
    sources send their data to the daemon (the extension's LinkedIn and Meta pushes, WhatsApp
    webhooks). `secrets` are the names in the secret store a pull source needs before it can run, and
    `connect` the command that stores them."""

    name: str
    label: str
    platform: str  # interactions.platform of what it brings
    kind: Literal["pull", "push"] = "pull"
    auto_sync: bool = False  # default of sync.<name>.auto_sync
    schedule: Schedule = "manual"  # default of sync.<name>.schedule
    hour: int = 3  # default of sync.<name>.hour (daily schedules, in the user's time zone)
    secrets: tuple[str, ...] = ()
    connect: str = ""
    hidden: bool = False
    scheduled: bool = True  # has sync.* settings (push sources without a pull side have none)


# every connected Google account's refresh token (one JSON object, so a Google source is connected exactly
# when an account is) and the OAuth client's secret [google-sources]
GOOGLE_SECRETS = ("google.refresh_tokens", "google.client_secret")

SOURCES: tuple[SourceSpec, ...] = (
    SourceSpec(
        "gmail",
        "Gmail",
        "email",
        auto_sync=True,
        schedule="6h",
        secrets=GOOGLE_SECRETS,
        connect="pcrm auth google",
    ),
    SourceSpec(
        "google_contacts",
        "Google Contacts",
        "email",
        secrets=GOOGLE_SECRETS,
        connect="pcrm auth google",
    ),
    SourceSpec(
        "google_calendar",
        "Google Calendar",
        "meeting",
        auto_sync=True,
        schedule="daily",
        hour=6,
        secrets=GOOGLE_SECRETS,
        connect="pcrm auth google",
    ),
    SourceSpec(
        "telegram",
        "Telegram",
        "telegram",
        auto_sync=True,
        schedule="daily",
        secrets=("telegram.session",),
        connect="pcrm auth telegram",
    ),
    SourceSpec(
        "twitter",
        "X (Twitter)",
        "twitter",
        auto_sync=True,
        schedule="daily",
        hour=4,
        secrets=("twitter.refresh_token",),
        connect="pcrm auth x",
    ),
    SourceSpec("linkedin", "LinkedIn", "linkedin", kind="push", connect="pcrm extension pair CODE"),
    SourceSpec(
        "whatsapp",
        "WhatsApp",
        "whatsapp",
        secrets=("whatsapp.webhook_secret",),
        connect="pcrm auth whatsapp secret && pcrm auth whatsapp connect",
    ),
    SourceSpec(
        "facebook", "Facebook Messenger", "facebook", kind="push", scheduled=False, connect="the extension"
    ),
    SourceSpec("instagram", "Instagram", "instagram", kind="push", scheduled=False, connect="the extension"),
    SourceSpec("memory", "Memory (tests)", "other", hidden=True, scheduled=False),
)

_BY_NAME = {s.name: s for s in SOURCES}
# the reference's name of the Google contacts source (its route /contacts/sync/google)
# [google-sources]: `pcrm sync reset google`, like `pcrm sync google`, takes it as the source's own name
ALIASES = {"google": "google_contacts"}
# every platform name a sync-history row can carry (hidden sources included: their runs are recorded too)
PLATFORMS: tuple[str, ...] = tuple(s.name for s in SOURCES)
# the sources with schedule settings (sync.<name>.*) and metadata_only.<name>
SCHEDULED: tuple[SourceSpec, ...] = tuple(s for s in SOURCES if s.scheduled)


def hidden_enabled() -> bool:
    return os.environ.get(HIDDEN_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def visible() -> tuple[SourceSpec, ...]:
    """The sources a user is offered: hidden ones only when PCRM_ENABLE_TEST_SOURCES is set."""
    show = hidden_enabled()
    return tuple(s for s in SOURCES if show or not s.hidden)


# What else a contact's `source` can say [contact-list]: typed by hand, read from a file (each format's SOURCE
# under pcrm/formats/, also the JSON restore's) or found by enrichment. tests/cli/test_input_errors.py keeps
# it complete.
OTHER_CONTACT_SOURCES = ("manual", "csv", "google", "vcard", "outlook", "json", "apollo")


def contact_sources() -> tuple[str, ...]:
    """Every `source` pcrm itself gives a contact: the live sources' names and the others."""
    return tuple(sorted({*OTHER_CONTACT_SOURCES, *(s.name for s in visible())}))


# every source pcrm can give a contact, the hidden ones too (a store that enabled them exports their contacts)
_GIVEN = frozenset({*OTHER_CONTACT_SOURCES, *(s.name for s in SOURCES)})


def file_source(value: str | None) -> str | None:
    """A contact's `source` as a file pcrm wrote gives it (the CSV's `source` column, a card's X-PCRM-SOURCE)
    [own-exports]: one pcrm gives contacts, else None (another program's "Source" column, "Referral", is
    not where pcrm got the contact: the import keeps it aside)."""
    v = (value or "").strip()
    return v if v in _GIVEN else None


def source(name: str) -> SourceSpec:
    """The source named `name` (KeyError when there is none)."""
    return _BY_NAME[name]


def source_key(name: str) -> str:
    """A source's name as the user may write it, as pcrm names it: any case, hyphens for underscores, or
    one of ALIASES ("google", "google-calendar" -> google_contacts, google_calendar)."""
    key = (name or "").strip().lower().replace("-", "_")
    return ALIASES.get(key, key)


def other_names() -> dict[str, str]:
    """The other names of the sources as `pcrm sync NAME` takes them (hidden commands): ALIASES, and each
    name with an underscore spelled with a hyphen, as the reference's routes spell them [google-sources]."""
    return {
        **{a.replace("_", "-"): t for a, t in ALIASES.items()},
        **{s.name.replace("_", "-"): s.name for s in SOURCES if "_" in s.name},
    }


def source_label(name: str) -> str:
    """How a contact's `source` is named to the user: its label when it is one of SOURCES ("WhatsApp"),
    else the name itself (an import format such as "vcard")."""
    spec = _BY_NAME.get(name)
    return spec.label if spec else name
