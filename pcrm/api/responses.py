"""Envelope responses [one-envelope]: the same bytes as the CLI's --json, plus error envelopes with their
status."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from pcrm.errors import PcrmError
from pcrm.serialize import dumps, envelope, error_envelope

JSON = "application/json"


def ok(data: Any, meta: dict[str, Any] | None = None, status: int = 200) -> Response:
    return Response(dumps(envelope(data, meta)), status_code=status, media_type=JSON)


def error(err: PcrmError) -> Response:
    meta: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if err.code == "rate_limited":
        retry = int(err.details.get("retry_after", 1))
        meta["retry_after"] = retry
        headers["Retry-After"] = str(retry)
    if err.code == "unauthorized":
        headers["WWW-Authenticate"] = "Bearer"
    return Response(
        dumps(error_envelope(err, meta)), status_code=err.status, media_type=JSON, headers=headers
    )


def internal() -> Response:
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
