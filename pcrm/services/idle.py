"""Answers for routes the reference's web UI calls on every page or every contact it opens, whose
capability needs a connected source [idle-answers]: a bio or avatar refresh with no Telegram or X account
connected is `not_connected` with the command that connects one; the version comes from the installed
package, with no network. The capability's own code replaces each answer when it lands."""

from __future__ import annotations

from typing import Any, NoReturn

from pcrm import secrets
from pcrm.domain.sources import source
from pcrm.errors import PcrmError
from pcrm.services.contacts import rowid
from pcrm.services.context import Context, Result

_BIO_SOURCES = ("telegram", "twitter")


def _connected(name: str) -> bool:
    return all(secrets.get(n) for n in source(name).secrets)


def _need_a_profile_source(ctx: Context, contact_id: str, what: str) -> NoReturn:
    rowid(ctx, contact_id)  # 404 for an unknown contact, as the real refresh would
    if not any(_connected(n) for n in _BIO_SOURCES):
        raise PcrmError(
            f"no Telegram or X account is connected, so there is no {what} to refresh",
            code="not_connected",
            hint="connect one: pcrm auth telegram (or pcrm auth x)",
            details={"sources": list(_BIO_SOURCES)},
        )
    raise PcrmError(
        f"{what} refresh is not available in this version of pcrm",
        code="not_implemented",
        hint="the next sync of the connected account brings new bios and photos",
    )


def refresh_bios(ctx: Context, contact_id: str, *, force: Any = None) -> Result:
    """POST /contacts/{id}/refresh-bios."""
    _need_a_profile_source(ctx, contact_id, "bio")


def refresh_avatar(ctx: Context, contact_id: str, *, force: Any = None) -> Result:
    """POST /contacts/{id}/refresh-avatar."""
    _need_a_profile_source(ctx, contact_id, "photo")


def version(ctx: Context) -> Result:
    """GET /version: the installed version; with no network, the latest known is the installed one."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        current = installed("pcrm")
    except PackageNotFoundError:  # pragma: no cover - running from a checkout without installing
        current = "dev"
    return Result(
        {
            "current": current,
            "latest": current,
            "release_url": None,
            "release_notes": None,
            "update_available": False,
            "checked_at": ctx.now_iso(),
            "disabled": False,
        },
        {"note": "pcrm does not look for updates over the network; latest is the installed version"},
    )
