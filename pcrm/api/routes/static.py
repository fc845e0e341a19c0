"""Avatars and organization logos saved under PCRM_HOME/avatars [static-avatars]."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from pcrm.api.declare import Call, Param, op
from pcrm.services import avatars

T = "static files"


async def avatar(request: Any, call: Call) -> Any:
    """The file's bytes with a content type read from them; anything but a raster image is an attachment."""
    name = call.path["name"]
    # the file is read in the I/O pool, never in the worker lane: a page of avatars does not queue behind an
    # import [prepare-off-lane]
    body, kind = await request.app.state.pcrm.io(avatars.read, name)
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, max-age=300",
    }
    if kind not in avatars.SAFE_TYPES:
        headers["Content-Disposition"] = "attachment"
    return Response(body, media_type=kind, headers=headers)


def signed(path: dict[str, str], query: dict[str, str]) -> bool:
    """Whether the URL carries a signed link to this file instead of a token [avatar-links]."""
    sig = query.get("sig")
    if sig is None:
        return False
    avatars.check_link(path["name"], sig)
    return True


OPS = [
    op(
        "GET",
        "/static/avatars/{name}",
        "An avatar or organization logo (contacts' avatar_url, organizations' logo_url)",
        T,
        raw=avatar,
        pcrm=True,
        read=True,  # authenticated in the read pool
        query=(
            Param(
                "sig",
                secret=True,
                description="The signature the API's avatar_url and logo_url carry: opens this one file "
                "for 6 to 12 hours without a token (an <img> cannot send one) [avatar-links].",
            ),
        ),
        link_auth=signed,
        description="[static-avatars]: a bearer token, or the signed link of the avatar_url the API "
        "answered [avatar-links]; the content type comes from the file's bytes; names that would leave "
        "the avatars folder are 404.",
    ),
]
