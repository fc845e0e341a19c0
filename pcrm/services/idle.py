"""Answers for routes the reference's web UI calls on every page, whose capability needs a connected
source [idle-answers]: the version comes from the installed package, with no network. The capabilities'
own code replaced the other answers when they landed (bio and photo refreshes: services/profiles.py; the X
cookie status: services/x_contacts.py)."""

from __future__ import annotations

from pcrm.services.context import Context, Result


def version(ctx: Context) -> Result:
    """GET /version: version_info(); the route's service, the store unused."""
    return version_info()


def version_info() -> Result:
    """The installed version; with no network, the latest known is the installed one. `checked_at` (a key
    of the reference's shape) is null: no check ever ran, and a time there would claim one did
    [idle-answers]. Needs no store: `pcrm version --json` says it too."""
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
            "checked_at": None,
            "disabled": False,
        },
        {"note": "pcrm does not look for updates over the network; latest is the installed version"},
    )
