"""GET /api/v1/calendar.ics [public-routes] [followup-calendar] [pcrm-routes]: public, opened only by a live
calendar token in its query
string; calendar and API tokens never stand in for each other; the token never reaches a log."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.support.api import assert_error
from tests.support.twin import NOW

pytestmark = pytest.mark.anyio
FEED = "/api/v1/calendar.ics"


def _calendar_token(twin: Any, name: str = "phone") -> str:
    token = twin.cli("token", "create", "--calendar", name).stdout.strip()
    assert token.startswith("pcrm_cal_")
    return token


async def test_a_calendar_token_opens_the_feed_with_the_export_ics_bytes(demo_twin: Any) -> None:
    import icalendar

    token = _calendar_token(demo_twin)
    r = await demo_twin.parity(
        ["export", "ics", "--now", NOW], "GET", f"{FEED}?token={token}", raw=True, auth=False
    )
    assert r.headers["content-type"] == "text/calendar; charset=utf-8"
    assert r.content == demo_twin.cli("calendar", "export", "--now", NOW).stdout_bytes
    cal = icalendar.Calendar.from_ical(r.content)
    events = list(cal.walk("VEVENT"))
    assert events and all(str(e["UID"]).endswith("@pcrm") for e in events)
    assert any(str(e["UID"]).startswith("followup-") for e in events)
    assert all(len(line) <= 75 for line in r.content.split(b"\r\n"))
    used = demo_twin.cli.json("token", "list", "--calendar")["data"]
    assert [t["name"] for t in used] == ["phone"] and used[0]["last_used_at"] is not None
    # HEAD works like GET for calendar apps that probe first
    assert (await demo_twin.request("HEAD", f"{FEED}?token={token}", auth=False)).status_code == 200


async def test_bad_revoked_and_api_tokens_are_refused_and_never_logged(
    demo_twin: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token = _calendar_token(demo_twin)
    wrong = "pcrm_cal_" + "A" * 43
    refusals = []
    for url, headers in (
        (f"{FEED}?token={wrong}", {}),  # unknown
        (f"{FEED}?token={demo_twin.token}", {}),  # an API token in the query
        (f"{FEED}?token={token}x", {}),  # damaged
        (f"{FEED}?token=", {}),
    ):  # empty
        r = await demo_twin.request("GET", url, auth=False, headers=headers)
        body = assert_error(r, "unauthorized", 401)
        assert "pcrm token create --calendar" in body["error"]["hint"]
        refusals.append(r)
    # an API token as a bearer header does not open the feed ([public-routes]: the feed takes only its own
    # token)
    r = await demo_twin.request("GET", FEED)  # Authorization: Bearer <script token>, no ?token
    assert_error(r, "validation_error", 422)
    r = await demo_twin.request("GET", f"{FEED}?token={wrong}")
    assert_error(r, "unauthorized", 401)
    # and a calendar token is not an API token
    r = await demo_twin.request(
        "GET", "/api/v1/contacts", auth=False, headers={"Authorization": f"Bearer {token}"}
    )
    assert_error(r, "unauthorized", 401)
    r = await demo_twin.request(
        "GET", "/api/v1/suggestions", auth=False, headers={"Authorization": f"Bearer {token}"}
    )
    assert_error(r, "unauthorized", 401)

    # revoked: refused from then on
    assert (await demo_twin.request("GET", f"{FEED}?token={token}", auth=False)).status_code == 200
    demo_twin.cli("token", "revoke", "--calendar", "phone", "--yes")
    assert_error(await demo_twin.request("GET", f"{FEED}?token={token}", auth=False), "unauthorized", 401)
    # revoking by the API token's name under --calendar finds nothing: the kinds are separate
    assert (
        demo_twin.cli.json("token", "revoke", "--calendar", "wired-tests", "--yes", ok=False)["error"]["code"]
        == "not_found"
    )

    for r in refusals:
        assert token.encode() not in r.content and wrong.encode() not in r.content
    access = [rec.getMessage() for rec in caplog.records if rec.name == "pcrm.access"]
    assert any(line.startswith(f"GET {FEED} 401") for line in access)
    assert any(line.startswith(f"GET {FEED} 200") for line in access)
    # every record the daemon's side wrote (httpx's own line is the test client's, outside pcrm)
    logged = "\n".join(rec.getMessage() for rec in caplog.records if not rec.name.startswith("httpx"))
    for secret in (token, wrong, demo_twin.token, "pcrm_cal_"):
        assert secret not in logged


async def test_calendar_token_cli(demo_twin: Any) -> None:
    created = demo_twin.cli.json("token", "create", "--calendar", "laptop")
    assert created["data"]["token"].startswith("pcrm_cal_") and created["data"]["name"] == "laptop"
    assert created["meta"]["feed"] == f"{FEED}?token={created['data']['token']}"
    again = demo_twin.cli.json("token", "create", "--calendar", "laptop", ok=False)
    assert again["error"]["code"] == "conflict" and "--calendar" in again["error"]["hint"]
    assert [t["name"] for t in demo_twin.cli.json("token", "list", "--calendar")["data"]] == ["laptop"]
    assert "laptop" not in [t["name"] for t in demo_twin.cli.json("token", "list")["data"]]
    assert "--calendar" in demo_twin.cli("token", "create", "--help").stdout
