"""Answers for routes the reference's web UI calls on every page, whose capability needs a connected
source [idle-answers]: the X cookie status is "disconnected" while none are stored; the version comes from
the installed package, with no network. The capability's own code replaces each answer when it lands (the
bio and photo refreshes did: services/profiles.py)."""

from __future__ import annotations

from pcrm import secrets
from pcrm.services.context import Context, Result


def twitter_cookie_status(ctx: Context) -> Result:
    """GET /integrations/twitter/cookies: {status, checked_at}; no cookies are stored in this version."""
    stored = bool(secrets.get("twitter.cookies"))
    return Result({"status": "stored" if stored else "disconnected", "checked_at": None})


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
