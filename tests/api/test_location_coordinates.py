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


def test_half_a_map_point_is_refused(api: Any, cli: Cli) -> None:
    """`pcrm contacts add --latitude 51.5` without --longitude stored a point no map shows, and said nothing
    [geocoding]: both coordinates or neither, from either shell."""
    res = cli("contacts", "add", "--name", "Mary Somerville", "--latitude", "51.5", ok=None)
    assert res.exit_code == 1 and "needs both latitude and longitude" in res.stderr, res.stderr
    assert "--clear latitude --clear longitude" in res.stderr
    assert not api.get(f"{V}/contacts", params={"search": "Mary Somerville"}).json()["data"]
    r = api.post(f"{V}/contacts", json={"full_name": "Mary Somerville", "longitude": -0.12})
    assert r.status_code == 422 and r.json()["error"]["details"]["fields"][0]["field"] == "latitude"

    ada = _ada(api)
    for half in ({"latitude": None}, {"longitude": None}):
        r = api.put(f"{V}/contacts/{ada['id']}", json=half)
        assert r.status_code == 422, r.text
    res = cli("contacts", "edit", ada["id"], "--clear", "latitude", ok=None)
    assert res.exit_code == 1 and "needs both latitude and longitude" in res.stderr
    got = api.get(f"{V}/contacts/{ada['id']}").json()["data"]
    assert (got["latitude"], got["longitude"]) == (ada["latitude"], ada["longitude"])
    # one coordinate moved, the other kept: still a whole point
    got = api.put(f"{V}/contacts/{ada['id']}", json={"latitude": 51.6}).json()["data"]
    assert (got["latitude"], got["longitude"]) == (51.6, ada["longitude"])
    cleared = api.put(f"{V}/contacts/{ada['id']}", json={"latitude": None, "longitude": None}).json()["data"]
    assert (cleared["latitude"], cleared["longitude"]) == (None, None)
