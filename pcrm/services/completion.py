"""The words shell completion offers, read from the store for the CLI's cache [shell-completion]."""

from __future__ import annotations

from pcrm.domain.settings import REGISTRY
from pcrm.services.context import Context
from pcrm.store import completion as store
from pcrm.store import contacts as cstore


def words(ctx: Context) -> dict[str, list[str]]:
    """{contacts: contact names, tags: tags in use, settings: every settings key}. The contact names are
    the full names of the contacts not archived, then how each nameless one is shown wherever a name is
    (`X user 99999`, `Telegram user 123`, an email, a number, an @handle) [display-name]: each a contact
    reference that finds it again [contact-references]; one with nothing to show it by is left out."""
    names = store.contact_names(ctx.conn) + cstore.shown_without_name(ctx.conn)
    return {
        "contacts": list(dict.fromkeys(names)),
        "tags": store.tags(ctx.conn),
        "settings": sorted(REGISTRY),
    }
