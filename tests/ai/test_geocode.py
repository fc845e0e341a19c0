"""Geocoding [geocoding] against a fake Nominatim and a fake Mapbox on 127.0.0.1, through the CLI."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from pcrm.sync import geocoder
from tests.support.http_fake import closed_port, json_answer, serve

PLACES = {"London": ("51.5074", "-0.1278"), "Paris": ("48.8566", "2.3522")}


def _nominatim(req: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    q = parse_qs(urlsplit(req["path"]).query)["q"][0]
    hit = PLACES.get(q)
    return json_answer([{"lat": hit[0], "lon": hit[1], "display_name": q}] if hit else [])


def _setup(cli: Any, url: str, provider: str = "nominatim") -> None:
    cli("settings", "set", "geocoding.provider", provider)
    cli("settings", "set", "geocoding.url", url)
    cli("settings", "set", "geocoding.min_interval", "0")


def _add(cli: Any, name: str, location: str | None) -> str:
    args = ["--location", location] if location else []
    return str(cli.json("contacts", "add", "--name", name, *args)["data"]["id"])


def _map(cli: Any) -> list[str]:
    return sorted(c["full_name"] for c in cli.json("contacts", "map", "--bbox", "-10,40,10,60")["data"])


def test_geocode_locates_feeds_the_map_and_reruns_only_changed_locations(crm: Any, cli: Any) -> None:
    with serve({"/search": _nominatim}) as (url, seen):
        _setup(cli, url)
        ada = _add(cli, "Ada", "London")
        _add(cli, "Grace", "London")
        _add(cli, "Nowhere", "Atlantis")
        _add(cli, "Unplaced", None)
        got = cli.json("geocode")["data"]
        assert got | {"errors": []} == {
            "to_geocode": 3,
            "located": 2,
            "not_found": 1,
            "cleared": 0,
            "failed": 0,
            "errors": [],
        }
        assert len(seen) == 2  # London asked once for both contacts
        q = parse_qs(urlsplit(seen[0]["path"]).query)
        assert q["format"] == ["jsonv2"] and q["limit"] == ["1"]
        assert seen[0]["headers"]["User-Agent"].startswith("pcrm/")
        assert _map(cli) == ["Ada", "Grace"]
        c = cli.json("contacts", "show", ada)["data"]
        assert (c["latitude"], c["longitude"]) == (51.5074, -0.1278)

        again = cli.json("geocode")["data"]  # nothing changed, nothing asked (not even Atlantis)
        assert again["to_geocode"] == 0 and len(seen) == 2

        cli("contacts", "edit", ada, "--location", "Paris")
        assert cli.json("geocode")["data"]["located"] == 1 and len(seen) == 3
        c = cli.json("contacts", "show", ada)["data"]
        assert (c["latitude"], c["longitude"]) == (48.8566, 2.3522)

        cli("contacts", "edit", ada, "--clear", "location")  # the write itself clears the point
        assert _map(cli) == ["Grace"]
        assert cli.json("geocode")["data"]["cleared"] == 0

        assert cli.json("geocode", "--all")["data"]["to_geocode"] == 2  # Grace and Atlantis again


def test_dry_run_shows_the_requests_and_sends_nothing(crm: Any, cli: Any) -> None:
    with serve({}) as (url, seen):
        _setup(cli, url)
        _add(cli, "Ada", "London")
        r = cli("geocode", "--dry-run")
    assert seen == []
    sent = json.loads(r.stdout.splitlines()[0])
    assert sent == {"url": url + "/search", "params": {"q": "London", "format": "jsonv2", "limit": "1"}}


def test_mapbox_reads_the_first_feature_and_needs_a_token(crm: Any, cli: Any) -> None:
    answer = json_answer({"features": [{"geometry": {"coordinates": [-0.1278, 51.5074]}}]})
    with serve({"/search/geocode/v6/forward": answer}) as (url, seen):
        _setup(cli, url, "mapbox")
        ada = _add(cli, "Ada", "London")
        r = cli("geocode", "--json", ok=False)
        assert json.loads(r.stdout)["error"]["code"] == "not_connected"
        cli("secrets", "set", "mapbox", input="sk.mapbox-test\n")
        assert cli.json("geocode")["data"]["located"] == 1
    assert parse_qs(urlsplit(seen[0]["path"]).query)["access_token"] == ["sk.mapbox-test"]
    c = cli.json("contacts", "show", ada)["data"]
    assert (c["latitude"], c["longitude"]) == (51.5074, -0.1278)


def test_off_by_default(crm: Any, cli: Any) -> None:
    r = cli("geocode", "--json", ok=False)
    err = json.loads(r.stdout)["error"]
    assert err["code"] == "feature_disabled" and "geocoding.provider" in err["hint"]


@pytest.mark.parametrize(
    "answer",
    [
        (200, {"Content-Type": "application/json"}, b"not json"),
        json_answer({"lat": 1}),
        json_answer([{"lat": "north", "lon": "0"}]),
        json_answer([{"lat": "123", "lon": "0"}]),
        json_answer(["London"]),
        (500, {}, b"down"),
    ],
)
def test_malformed_or_failing_answers_store_nothing_and_are_retried_next_run(
    crm: Any, cli: Any, answer: Any
) -> None:
    with serve({"/search": answer}) as (url, seen):
        _setup(cli, url)
        ada = _add(cli, "Ada", "London")
        got = cli.json("geocode")["data"]
        assert got["failed"] == 1 and got["located"] == 0 and got["errors"]
        assert len(seen) == (geocoder.ATTEMPTS if answer[0] == 500 else 1)
        c = cli.json("contacts", "show", ada)["data"]
        assert c["latitude"] is None
        assert cli.json("geocode")["data"]["to_geocode"] == 1  # still pending


def test_a_geocoder_not_answering_says_why_in_words(crm: Any, cli: Any) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    _setup(cli, url)
    _add(cli, "Ada", "London")
    r = cli("geocode", ok=None)  # a run that failed for some contacts still ran: it says so per contact
    assert "1 failed" in r.stdout
    assert f"the geocoder at {url} is not answering: connection refused" in r.stderr
    assert "check `geocoding.url`" in r.stderr
    assert "Error" not in r.stderr  # ConnectError, the class name it said before


def test_a_rate_limit_stops_the_run(crm: Any, cli: Any) -> None:
    with serve({"/search": (429, {}, b"slow down")}) as (url, seen):
        _setup(cli, url)
        _add(cli, "Ada", "London")
        _add(cli, "Bob", "Paris")
        got = cli.json("geocode")["data"]
    assert got["failed"] == 1 and len(seen) == 1 and "rate limit" in got["errors"][0]


def test_a_4xx_is_not_found_and_a_redirect_is_not_followed(crm: Any, cli: Any) -> None:
    with serve({"/search": (302, {"Location": "http://169.254.169.254/"}, b"")}) as (url, seen):
        _setup(cli, url)
        _add(cli, "Ada", "London")
        got = cli.json("geocode")["data"]
        assert got["failed"] == 1 and len(seen) == 1
    with serve({"/search": (400, {}, b"bad query")}) as (url, seen):
        _setup(cli, url)
        got = cli.json("geocode")["data"]
        assert got["not_found"] == 1
        assert cli.json("geocode")["data"]["to_geocode"] == 0


def test_requests_are_spaced_by_the_minimum_interval(
    monkeypatch: pytest.MonkeyPatch, crm: Any, cli: Any
) -> None:
    from pcrm.services import geocode

    slept: list[float] = []
    monkeypatch.setattr(geocode.time, "sleep", slept.append)
    with serve({"/search": _nominatim}) as (url, _):
        _setup(cli, url)
        cli("settings", "set", "geocoding.min_interval", "1")
        _add(cli, "Ada", "London")
        _add(cli, "Bob", "Paris")
        cli("geocode")
    assert slept == [1.0]


def test_the_daemon_job_geocodes_hourly_only_while_a_provider_is_set(crm: Any, cli: Any) -> None:
    job = {j["name"]: j for j in cli.json("jobs", "list")["data"]}["geocode"]
    assert job["schedule"] == "manual" and job["next_run_at"] is None
    with serve({"/search": _nominatim}) as (url, _):
        _setup(cli, url)
        _add(cli, "Ada", "London")
        job = {j["name"]: j for j in cli.json("jobs", "list")["data"]}["geocode"]
        assert job["schedule"] != "manual"
        got = cli.json("jobs", "run", "geocode")["data"]["result"]
    assert got["located"] == 1


def test_coordinates_typed_by_hand_are_kept_until_the_location_moves(crm: Any, cli: Any) -> None:
    with serve({"/search": _nominatim}) as (url, seen):
        _setup(cli, url)
        cid = str(
            cli.json(
                "contacts",
                "add",
                "--name",
                "Ada",
                "--location",
                "London",
                "--latitude",
                "51.5",
                "--longitude",
                "0.1",
            )["data"]["id"]
        )
        assert cli.json("geocode", "--all")["data"]["to_geocode"] == 0 and seen == []
        cli("contacts", "edit", cid, "--location", "london ")  # the same place: the point stays
        cli("contacts", "edit", cid, "--location", "Paris", "--latitude", "48.9", "--longitude", "2.4")
        assert cli.json("geocode", "--all")["data"]["to_geocode"] == 0 and seen == []
        c = cli.json("contacts", "show", cid)["data"]
        assert (c["latitude"], c["longitude"]) == (48.9, 2.4)
        # moved without a point of its own: the old place's goes, and the geocoder finds the new one
        cli("contacts", "edit", cid, "--location", "London")
        c = cli.json("contacts", "show", cid)["data"]
        assert (c["latitude"], c["longitude"]) == (None, None)
        assert cli.json("geocode")["data"]["located"] == 1
    c = cli.json("contacts", "show", cid)["data"]
    assert (c["latitude"], c["longitude"]) == (51.5074, -0.1278)
