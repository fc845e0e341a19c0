"""Avatars and organization logos saved under PCRM_HOME/avatars [static-avatars]."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from pcrm.api.declare import Call, op
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


OPS = [
    op(
        "GET",
        "/static/avatars/{name}",
        "An avatar or organization logo (contacts' avatar_url, organizations' logo_url)",
        T,
        raw=avatar,
        pcrm=True,
        read=True,  # authenticated in the read pool
        description="[static-avatars]: a bearer token like every non-public route; the content type comes "
        "from the file's bytes; names that would leave the avatars folder are 404.",
    ),
]
