"""Envelope responses [one-envelope]: the same bytes as the CLI's --json, plus error envelopes with their
status."""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import Response

from pcrm import clock
from pcrm.errors import PcrmError
from pcrm.serialize import dumps, envelope, error_envelope
from pcrm.services import avatars

JSON = "application/json"
# a local avatar URL as services answer it, the whole value of an avatar_url, whatsapp_avatar_url,
# contact_avatar_url or logo_url key: never a note or message that happens to hold such a path (a link signed
# for it would open the picture to whoever wrote the text)
_LOCAL_AVATAR = re.compile(
    rb'("(?:[a-z_]*avatar_url|logo_url)"\s*:\s*)"/static/avatars/([A-Za-z0-9][A-Za-z0-9_.-]*)"'
)


def ok(data: Any, meta: dict[str, Any] | None = None, status: int = 200) -> Response:
    return Response(signed_avatars(dumps(envelope(data, meta))), status_code=status, media_type=JSON)


def signed_avatars(body: bytes) -> bytes:
    """The encoded answer with each local avatar URL signed, so a browser's <img src> can load it without a
    token [avatar-links]. Done on the bytes, once for every route: avatar_url, logo_url and
    contact_avatar_url come from many services, and the CLI's --json (which no browser loads) keeps the
    stored path. One substring search when an answer has none."""
    if b'"/static/avatars/' not in body:
        return body
    now = clock.now()

    def sign(m: re.Match[bytes]) -> bytes:
        name = m[2].decode()
        return m[1] + f'"/static/avatars/{name}?sig={avatars.link_signature(name, now)}"'.encode()

    return _LOCAL_AVATAR.sub(sign, body)


def error(err: PcrmError) -> Response:
    meta: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if err.code in ("rate_limited", "unavailable"):  # both to retry: when, in the header and meta
        retry = int(err.details.get("retry_after", 1))
        meta["retry_after"] = retry
        headers["Retry-After"] = str(retry)
    if err.code == "unauthorized":
        headers["WWW-Authenticate"] = "Bearer"
    if err.code == "method_not_allowed" and err.details.get("allowed"):
        headers["Allow"] = ", ".join(err.details["allowed"])
    return Response(
        dumps(error_envelope(err, meta)), status_code=err.status, media_type=JSON, headers=headers
    )


def internal(exc: BaseException | None = None) -> Response:
    """The 500 of an unexpected failure (`exc`, logged by the caller); one of the store's file, damaged or
    read-only, says so and what to do, as the CLI does [store-failures]."""
    if exc is not None:
        from pcrm.services import store_failures

        said = store_failures.unusable(exc)
        if said is not None:
            return error(said)
    return error(
        PcrmError(
            "something went wrong inside pcrm; the daemon log has the details",
            code="internal",
            hint="see the output of `pcrm serve` (or its log file)",
        )
    )


async def send_error(send: Any, err: PcrmError) -> None:
    """Send an error envelope from raw ASGI middleware."""
    resp = error(err)
    await send(
        {
            "type": "http.response.start",
            "status": resp.status_code,
            "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in resp.headers.items()],
        }
    )
    await send({"type": "http.response.body", "body": resp.body})
