"""The words shell completion offers, read from the store for the CLI's cache [shell-completion]."""

from __future__ import annotations

from pcrm.domain.settings import REGISTRY
from pcrm.services.context import Context
from pcrm.store import completion as store


def words(ctx: Context) -> dict[str, list[str]]:
    """{contacts: full names, tags: tags in use, settings: every settings key}."""
    return {
        "contacts": store.contact_names(ctx.conn),
        "tags": store.tags(ctx.conn),
        "settings": sorted(REGISTRY),
    }
