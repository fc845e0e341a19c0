"""A map point an import brings, as one fact with the location it places [own-exports] [geocoding].

A record's latitude and longitude (a CSV's columns, a vCard's X-PCRM-LATITUDE and X-PCRM-LONGITUDE) are
taken together, and only where they place the contact's own location: a contact without a point whose
location is empty or the one the record gives. Anywhere else (the contact holds another point, or another
location than the record's) they are kept aside as extra fields, as a differing value is [import-matching]:
neither dropped nor put on the map at another place than the contact's."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from pcrm.domain.normalize import fold

POINT = ("latitude", "longitude")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?")


def read_point(latitude: Any, longitude: Any) -> tuple[float, float] | None:
    """Two values a file gives as a map point, as (latitude, longitude) when they are one: decimal numbers
    (`51.5072`, `-0.1276`, `1e-05` as Python writes a small one; not `51,5`, `nan`, `1_0` or degrees and
    minutes), latitude within -90..90 and
    longitude -180..180, and not 0, 0: the point in the Gulf of Guinea that apps write for "no point"
    (HubSpot's, a CRM's blank number exported as 0). None otherwise: the caller keeps each value aside."""
    texts = [str(v).strip() if v is not None else "" for v in (latitude, longitude)]
    if not all(_DECIMAL.fullmatch(t) for t in texts):
        return None
    lat, lon = float(texts[0]), float(texts[1])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return lat, lon


def _number(value: Any) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _same(held: float, new: float) -> bool:
    return abs(held - new) < 1e-9


def point_over(
    current: Mapping[str, Any], incoming: Mapping[str, Any], *, location_emptied: bool = False
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """What a record's map point does to a contact that holds `current`: (the columns to set, the extra
    fields that keep it aside). Nothing when the record has no whole point or the contact holds that one.
    `location_emptied`: the user emptied the contact's location by hand (the record's stays aside, and so
    does its point)."""
    raw = incoming.get("latitude"), incoming.get("longitude")
    if raw[0] in (None, "") or raw[1] in (None, ""):  # most records: no point (no exception to catch)
        return {}, []
    lat, lon = _number(raw[0]), _number(raw[1])
    if lat is None or lon is None:
        return {}, []
    held = _number(current.get("latitude")), _number(current.get("longitude"))
    if held[0] is not None and held[1] is not None:
        if _same(held[0], lat) and _same(held[1], lon):
            return {}, []
        return {}, kept_point(incoming)
    here = fold(str(current.get("location") or ""))
    if (here or location_emptied) and here != fold(str(incoming.get("location") or "")):
        return {}, kept_point(incoming)  # the point of another place than the contact's
    return {f: incoming[f] for f in POINT}, []


def kept_point(incoming: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The extra fields keeping a record's map point aside: `X-LATITUDE` and `X-LONGITUDE` lines, the ones
    a CSV's latitude and longitude columns are kept as when they are no point."""
    return [{"kind": "x", "label": None, "value": f"X-{f.upper()}:{str(incoming[f]).strip()}"} for f in POINT]
