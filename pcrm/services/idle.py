"""Answers for routes the reference's web UI calls on every page, whose capability needs a connected
source [idle-answers]: the version comes from the installed package, with no network. The capabilities'
own code replaced the other answers when they landed (bio and photo refreshes: services/profiles.py; the X
cookie status: services/x_contacts.py). `not_connected` is the one answer of a per-contact refresh or sync
whose source is not connected, `skipped` that of any per-contact sync that asked nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pcrm.services.context import Context, Result


def not_connected(
    shape: Mapping[str, Any], *, reason: str, message: str, hint: str, sources: Sequence[str]
) -> Result:
    """What a per-contact refresh or sync answers while the source it needs is not connected
    [idle-answers]: the route's own success shape (`shape`: nothing changed, nothing new) marked skipped,
    with why as a code (`reason`, the reference's where it has one), in words (`message`) and the command
    that connects (`hint`). `meta.not_connected` names the sources, so a CLI command can still fail."""
    data = {**skipped(shape, reason, message).data, "hint": hint}
    return Result(data, {"not_connected": list(sources)})


def skipped(shape: Mapping[str, Any], reason: str, message: str) -> Result:
    """A per-contact refresh or sync that asked nothing: the route's shape with nothing new, `skipped`,
    `reason` a code scripts branch on (the reference's: no_emails, synced_recently, ...) and `message`
    pcrm's words for people."""
    return Result({**shape, "skipped": True, "reason": reason, "message": message})


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
