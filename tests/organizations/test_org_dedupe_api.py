"""pcrm's organization dedupe routes [org-dedupe] [pcrm-routes]: the CLI's bytes, the published schemas,
and the status codes behaviour.md gives."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import assert_error

pytestmark = pytest.mark.anyio
UNKNOWN = "0b7e1a52-7a3c-4c0e-9d7e-1f2a3b4c5d6e"


async def test_organization_dedupe_answers_the_cli_bytes(demo_twin: Any) -> None:
    r = await demo_twin.parity(
        ["orgs", "duplicates", "scan"], "POST", "/api/v1/organizations/scan-duplicates"
    )
    demo_twin.check_schema("POST", "/organizations/scan-duplicates", r)
    assert (
        r.json()["data"]["auto_merged"] >= 1 and r.json()["data"]["pending_review"] >= 2
    )  # Los Pollos: one domain

    r = await demo_twin.parity(["orgs", "duplicates"], "GET", "/api/v1/organizations/duplicates")
    demo_twin.check_schema("GET", "/organizations/duplicates", r)
    pairs = {frozenset((p["org_a"]["name"], p["org_b"]["name"])): p for p in r.json()["data"]}
    prestige = pairs[frozenset(("Prestige Worldwide", "Prestige Worldwide Inc"))]
    bluth = pairs[frozenset(("Bluth Company", "Bluth Company Inc."))]

    outsider = next(o["id"] for o in demo_twin.cli.json("orgs", "list")["data"] if o["name"] == "Globex")
    url = f"/api/v1/organizations/duplicates/{prestige['id']}"
    assert_error(
        await demo_twin.request("POST", f"{url}/merge", json={"target_id": outsider}), "bad_request", 400
    )
    assert_error(await demo_twin.request("POST", f"{url}/merge", json={}), "validation_error", 422)
    assert_error(
        await demo_twin.request(
            "POST", f"/api/v1/organizations/duplicates/{UNKNOWN}/merge", json={"target_id": outsider}
        ),
        "not_found",
        404,
    )
    target = prestige["org_b"]["id"]
    r = await demo_twin.parity(
        ["orgs", "duplicates", "merge", prestige["id"], "--target", target],
        "POST",
        f"{url}/merge",
        json={"target_id": target},
    )
    demo_twin.check_schema("POST", "/organizations/duplicates/{match_id}/merge", r)
    assert r.json()["data"]["merged"] is True and r.json()["data"]["target_id"] == target
    assert_error(
        await demo_twin.request("GET", f"/api/v1/organizations/{prestige['org_a']['id']}"), "not_found", 404
    )

    r = await demo_twin.parity(
        ["orgs", "duplicates", "dismiss", bluth["id"]],
        "POST",
        f"/api/v1/organizations/duplicates/{bluth['id']}/dismiss",
    )
    demo_twin.check_schema("POST", "/organizations/duplicates/{match_id}/dismiss", r)
    assert r.json()["data"] == {"dismissed": True}
    assert_error(
        await demo_twin.request(
            "POST",
            f"/api/v1/organizations/duplicates/{bluth['id']}/merge",
            json={"target_id": bluth["org_a"]["id"]},
        ),
        "bad_request",
        400,
    )
    assert_error(
        await demo_twin.request("POST", f"/api/v1/organizations/duplicates/{UNKNOWN}/dismiss"),
        "not_found",
        404,
    )
    left = (await demo_twin.request("GET", "/api/v1/organizations/duplicates")).json()["data"]
    assert prestige["id"] not in {p["id"] for p in left} and bluth["id"] not in {p["id"] for p in left}


def test_organization_dedupe_routes_are_marked_as_pcrm_own() -> None:
    from tests.support.api import openapi_doc

    paths = openapi_doc()["paths"]
    for path, method in (
        ("/api/v1/organizations/scan-duplicates", "post"),
        ("/api/v1/organizations/duplicates", "get"),
        ("/api/v1/organizations/duplicates/{match_id}/merge", "post"),
        ("/api/v1/organizations/duplicates/{match_id}/dismiss", "post"),
    ):
        op = paths[path][method]
        assert op["x-pcrm"] is True and "x-pcrm-not-implemented" not in op
