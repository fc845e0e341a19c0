"""Forward geocoding of a location text [geocoding]: Mapbox's Search Geocoding v6 or any Nominatim-compatible
server, one request per location. It knows no SQL; pcrm/services/geocode.py decides what to ask and stores
the answers.

An answer is a point (lat, lng), None ("not found": no result, or a 4xx other than 429), or GeocodeError:
429 (`rate_limited`, the run stops), a server error or a network failure after 3 attempts (`upstream`), an
answer that is not the expected JSON or a point off the globe (`bad_answer`). Redirects are not followed (the
Mapbox token travels in the query string) and answers over 1 MB are refused.
"""

from __future__ import annotations

import time
from typing import Any, Literal

from pcrm import __version__
from pcrm.sync.base import why_unanswered

TIMEOUT = 10.0
MAX_BYTES = 1_000_000
ATTEMPTS = 3

Kind = Literal["rate_limited", "upstream", "bad_answer"]


class GeocodeError(Exception):
    def __init__(self, message: str, kind: Kind, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status


def request(provider: str, base_url: str, query: str, token: str | None) -> tuple[str, dict[str, str]]:
    """The URL and query parameters sent for one location (also what a dry run shows, token masked)."""
    base = base_url.rstrip("/")
    if provider == "mapbox":
        params = {"q": query, "limit": "1", "access_token": token or ""}
        return base + "/search/geocode/v6/forward", params
    return base + "/search", {"q": query, "format": "jsonv2", "limit": "1"}


def _point(lat: Any, lng: Any) -> tuple[float, float]:
    try:
        la, ln = float(lat), float(lng)
    except (TypeError, ValueError):
        raise GeocodeError("the geocoder's coordinates are not numbers", "bad_answer") from None
    if not (-90 <= la <= 90 and -180 <= ln <= 180):
        raise GeocodeError(f"the geocoder answered a point off the globe ({la}, {ln})", "bad_answer")
    return la, ln


def parse(provider: str, data: Any) -> tuple[float, float] | None:
    """The first result's point, None when there is none; GeocodeError for any other shape."""
    if provider == "mapbox":
        if not isinstance(data, dict) or not isinstance(data.get("features"), list):
            raise GeocodeError("the geocoder's answer has no feature list", "bad_answer")
        if not data["features"]:
            return None
        f = data["features"][0]
        geometry = f.get("geometry") if isinstance(f, dict) else None
        coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if not isinstance(coords, list) or len(coords) < 2:
            raise GeocodeError("the geocoder's first feature has no coordinates", "bad_answer")
        return _point(coords[1], coords[0])
    if not isinstance(data, list):
        raise GeocodeError("the geocoder's answer is not a list of places", "bad_answer")
    if not data:
        return None
    first = data[0]
    if not isinstance(first, dict):
        raise GeocodeError("the geocoder's first place is not an object", "bad_answer")
    return _point(first.get("lat"), first.get("lon"))


def forward(
    provider: str,
    base_url: str,
    query: str,
    token: str | None,
    *,
    timeout: float = TIMEOUT,
    retry_pause: float = 1.0,
    transport: Any = None,
) -> tuple[float, float] | None:
    """Geocode one location text (see the module docstring). `transport` is the tests' seam."""
    import httpx
    import orjson

    url, params = request(provider, base_url, query, token)
    headers = {"User-Agent": f"pcrm/{__version__} (personal CRM)", "Accept": "application/json"}
    last: GeocodeError | None = None
    with httpx.Client(timeout=timeout, transport=transport, follow_redirects=False) as client:
        for attempt in range(ATTEMPTS):
            if attempt:
                time.sleep(retry_pause * 2 ** (attempt - 1))
            try:
                with client.stream("GET", url, params=params, headers=headers) as r:
                    raw = b""
                    for chunk in r.iter_bytes():
                        raw += chunk
                        if len(raw) > MAX_BYTES:
                            raise GeocodeError("the geocoder's answer is larger than 1 MB", "bad_answer")
                    status = r.status_code
            except httpx.HTTPError as e:
                last = GeocodeError(
                    f"the geocoder at {base_url.rstrip('/')} is not answering: {why_unanswered(e, timeout)}; "
                    "check `geocoding.url`, or try again later",
                    "upstream",
                )
                continue
            if status == 429:
                raise GeocodeError("the geocoder's rate limit was reached", "rate_limited", status)
            if status >= 500:
                last = GeocodeError(f"the geocoder answered {status}", "upstream", status)
                continue
            if 300 <= status < 400:
                raise GeocodeError(f"the geocoder redirected ({status}); not followed", "upstream", status)
            if status >= 400:
                return None
            try:
                data = orjson.loads(raw)
            except orjson.JSONDecodeError:
                raise GeocodeError("the geocoder's answer is not JSON", "bad_answer", status) from None
            return parse(provider, data)
    assert last is not None
    raise last
