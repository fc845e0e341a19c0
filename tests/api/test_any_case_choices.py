"""A named choice in a request body (a compose channel, an interaction's direction, a contact's priority)
is read in any case, as the CLI and the MCP tools read it [strict-validation]."""

from __future__ import annotations

from typing import Any


def test_a_named_choice_is_read_in_any_case(empty_api: Any, cli: Any) -> None:
    """POST /contacts/{id}/compose {"channel": "EMAIL"} was a 422 ("Input should be 'email', ...") while
    the CLI and MCP take other choices in any case; so were a direction and a priority in capitals. And
    `pcrm ai compose --channel EMAIL` itself was refused."""
    made = empty_api.post("/api/v1/contacts", json={"full_name": "Ada Lovelace", "priority_level": "HIGH"})
    assert made.status_code == 201, made.json()
    cid = made.json()["data"]["id"]
    assert made.json()["data"]["priority_level"] == "high"
    for given, meant in (("EMAIL", "email"), (" Telegram ", "telegram")):
        r = empty_api.post(f"/api/v1/contacts/{cid}/compose", json={"channel": given})
        assert r.status_code == 200, r.json()
        assert r.json()["data"]["suggested_channel"] == meant
    logged = empty_api.post(
        f"/api/v1/contacts/{cid}/interactions", json={"platform": "call", "direction": "Inbound"}
    )
    assert logged.status_code == 201, logged.json()
    assert logged.json()["data"]["direction"] == "inbound"
    # still refused: a value that is none of them, whatever its case, and what is not text
    r = empty_api.post(f"/api/v1/contacts/{cid}/compose", json={"channel": "PIGEON"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"
    r = empty_api.post(f"/api/v1/contacts/{cid}/compose", json={"channel": 1})
    assert r.status_code == 422
    assert (
        cli.json("ai", "compose", "Ada", "--channel", "WhatsApp")["data"]["suggested_channel"] == "whatsapp"
    )


def test_a_setting_choice_is_read_in_any_case(empty_api: Any, cli: Any) -> None:
    """PUT /settings/sync {"gmail": {"schedule": "DAILY"}} was a 422 ("must be one of manual, 6h, 12h,
    daily; got 'DAILY'"), and so was a preferred channel in capitals, while every other named choice is read
    in any case; stored as spelled, so the engine and the schedule compare as before."""
    r = empty_api.put("/api/v1/settings/sync", json={"gmail": {"schedule": "DAILY", "hour": 5}})
    assert r.status_code == 200, r.json()
    assert r.json()["data"]["gmail"]["schedule"] == "daily"
    r = empty_api.put("/api/v1/settings/suggestions", json={"preferred_channel": " Email "})
    assert r.status_code == 200, r.json()
    assert empty_api.get("/api/v1/settings/suggestions").json()["data"]["preferred_channel"] == "email"
    cli("settings", "set", "sync.telegram.schedule", "12H")
    assert cli.json("settings", "show", "sync.telegram.schedule")["data"] == {"sync.telegram.schedule": "12h"}
    # still refused: what names none of them, in any case
    r = empty_api.put("/api/v1/settings/sync", json={"gmail": {"schedule": "HOURLY"}})
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"
    assert empty_api.get("/api/v1/settings/sync").json()["data"]["gmail"]["schedule"] == "daily"
