"""Keys of the network services pcrm can use when enabled [network-opt-in] [secret-store]: Apollo's API key
(`apollo`) and a Mapbox token for geocoding (`mapbox`). Model keys are `pcrm ai key set` [ai-models]."""

from __future__ import annotations

from typing import Any

from pcrm import secrets
from pcrm.errors import ValidationError

NAMES = {"apollo": "Apollo API key (enrichment)", "mapbox": "Mapbox secret token (geocoding)"}


def check_name(name: str) -> str:
    """The key's name, lowercased; refused before anything is asked when it is not one of NAMES."""
    n = name.strip().lower()
    if n not in NAMES:
        raise ValidationError(
            f"unknown secret {name!r}",
            field="name",
            hint=f"use one of: {', '.join(NAMES)}",
        )
    return n


def set_key(name: str, value: str) -> dict[str, Any]:
    v = value.strip()
    if not v:
        raise ValidationError(
            "the value is empty", field="value", hint="paste the key when asked, or pipe it in"
        )
    n = check_name(name)
    secrets.put(n, v)
    return {"name": n, "stored": True}


def delete_key(name: str) -> dict[str, Any]:
    """Forget a key; `deleted` says whether there was one to forget."""
    n = check_name(name)
    had = secrets.get(n) is not None
    secrets.delete(n)
    return {"name": n, "deleted": had}
