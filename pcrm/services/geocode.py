"""Geocoding contact locations for the map [geocoding] [network-opt-in].

Off until `geocoding.provider` is `mapbox` (token: `pcrm secrets set mapbox`) or `nominatim` (server:
`geocoding.url`). Each contact remembers the location text its coordinates answer for
(`geocoded_location`), so a run asks only about locations that changed since: rerunning is free, and a
location the geocoder did not find is not asked again until its text changes. An emptied location clears
the coordinates. Requests are spaced by `geocoding.min_interval` seconds (Nominatim's policy: 1 per second)
and each answer is written at once, so an interrupted run keeps what it got. The coordinates feed the map's
R*Tree through its triggers.
"""

from __future__ import annotations

import time
from typing import Any

from pcrm import secrets
from pcrm.errors import FeatureDisabled, PcrmError
from pcrm.services.context import Context, Result
from pcrm.store import enrich as store
from pcrm.store.db import write
from pcrm.sync import geocoder

SECRET = "mapbox"
NOMINATIM = "https://nominatim.openstreetmap.org"


def _provider(ctx: Context) -> tuple[str, str, str | None]:
    provider = str(ctx.setting("geocoding.provider") or "none")
    if provider == "none":
        raise FeatureDisabled(
            "geocoding is off: it sends contacts' location text to a geocoding service",
            hint="pcrm settings set geocoding.provider nominatim (or mapbox, with `pcrm secrets set mapbox`)",
            details={"setting": "geocoding.provider"},
        )
    base = str(ctx.setting("geocoding.url") or "")
    token = None
    if provider == "mapbox":
        token = secrets.get(SECRET)
        if not token:
            raise PcrmError("no Mapbox token is stored", code="not_connected", hint="pcrm secrets set mapbox")
        if base == NOMINATIM:  # the setting's default names Nominatim's server, not Mapbox's
            base = "https://api.mapbox.com"
    return provider, base, token


def geocode(ctx: Context, *, every: bool = False, dry_run: bool = False, limit: int | None = None) -> Result:
    """`pcrm geocode [--all] [--dry-run]`: geocode the contacts whose location changed (every: all with a
    location) → {to_geocode, located, not_found, cleared, failed, errors}."""
    provider, base, token = _provider(ctx)
    todo = store.to_geocode(ctx.conn, every=every)
    if limit is not None:
        todo = todo[:limit]
    asks = [(cid, loc) for cid, loc in todo if loc]
    if dry_run:
        sample = []
        for _cid, loc in asks[:20]:
            url, params = geocoder.request(provider, base, loc, "(the stored mapbox token)")
            sample.append({"url": url, "params": params})
        return Result(
            {"to_geocode": len(asks), "to_clear": len(todo) - len(asks), "would_send": sample},
            {"dry_run": True},
        )
    pause = float(ctx.setting("geocoding.min_interval") or 0)
    got: dict[str, Any] = {"to_geocode": len(asks), "located": 0, "not_found": 0, "cleared": 0, "failed": 0}
    errors: list[str] = []
    cache: dict[str, tuple[float, float] | None] = {}  # one request per distinct text in a run
    asked = False
    for cid, loc in todo:
        if not loc:
            with write(ctx.conn):
                store.set_geocode(ctx.conn, cid, None, None, ctx.now_iso())
            got["cleared"] += 1
            continue
        key = loc.casefold()
        if key not in cache:
            if asked and pause:
                time.sleep(pause)
            asked = True
            try:
                cache[key] = geocoder.forward(provider, base, loc, token, retry_pause=pause or 0.0)
            except geocoder.GeocodeError as e:
                if e.kind == "rate_limited":
                    errors.append(f"{e}; stopped, the rest waits for the next run")
                    got["failed"] += 1
                    break
                errors.append(f"{loc[:60]!r}: {e}")
                got["failed"] += 1
                continue
        point = cache[key]
        with write(ctx.conn):
            store.set_geocode(ctx.conn, cid, loc, point, ctx.now_iso())
        got["located" if point else "not_found"] += 1
    return Result({**got, "errors": errors[:50]})
