"""A contact's coordinates belong to its location [geocoding]: a write that empties the location clears
them (the contact leaves the map), one that moves it elsewhere drops the old place's point so the geocoder
finds the new one; the same place (case, spacing) or coordinates given with the location keep what the
write says."""

from __future__ import annotations

from typing import Any

from tests.support.cli import Cli

V = "/api/v1"
WORLD = "-180,-90,180,90"


def _ada(api: Any) -> dict[str, Any]:
    found = api.get(f"{V}/contacts", params={"search": "Ada Lovelace"}).json()["data"]
    ada = next(c for c in found if c["full_name"] == "Ada Lovelace")
    assert ada["location"] == "London" and ada["latitude"] is not None
    return ada


def _on_map(api: Any, cid: str) -> bool:
    return cid in {p["id"] for p in api.get(f"{V}/contacts/map", params={"bbox": WORLD}).json()["data"]}


def test_emptying_the_location_clears_the_coordinates(api: Any) -> None:
    ada = _ada(api)
    assert _on_map(api, ada["id"])
    got = api.put(f"{V}/contacts/{ada['id']}", json={"location": None}).json()["data"]
    assert (got["location"], got["latitude"], got["longitude"]) == (None, None, None)
    assert not _on_map(api, ada["id"])


def test_a_new_location_drops_the_old_point_for_the_geocoder(api: Any, cli: Cli) -> None:
    ada = _ada(api)
    same = api.put(f"{V}/contacts/{ada['id']}", json={"location": " london "}).json()["data"]
    assert (same["latitude"], same["longitude"]) == (ada["latitude"], ada["longitude"])

    moved = api.put(f"{V}/contacts/{ada['id']}", json={"location": "Tokyo"}).json()
    got = moved["data"]
    assert (got["location"], got["latitude"], got["longitude"]) == ("Tokyo", None, None)
    # nothing dropped without a word: the point that went is in the answer
    assert moved["meta"] == {"coordinates_cleared": [ada["latitude"], ada["longitude"]]}
    assert (
        "coordinates_cleared" not in api.put(f"{V}/contacts/{ada['id']}", json={"title": "x"}).json()["meta"]
    )
    assert not _on_map(api, ada["id"])
    cli("settings", "set", "geocoding.provider", "nominatim")
    asked = [s["params"]["q"] for s in cli.json("geocode", "--dry-run")["data"]["would_send"]]
    assert "Tokyo" in asked  # the geocoder will fill Tokyo's point

    typed = {"location": "Paris", "latitude": 48.85, "longitude": 2.35}
    got = api.put(f"{V}/contacts/{ada['id']}", json=typed).json()["data"]
    assert (got["latitude"], got["longitude"]) == (48.85, 2.35) and _on_map(api, ada["id"])


def test_the_cli_edit_says_the_point_was_cleared(cli: Cli) -> None:
    cli("contacts", "add", "--name", "Mary Somerville", "--location", "Londn", "--latitude", "51.5",
        "--longitude", "-0.12")  # fmt: skip
    res = cli("contacts", "edit", "Mary Somerville", "--location", "London")
    assert "map point (51.5, -0.12) was cleared" in res.stderr and "--latitude" in res.stderr
