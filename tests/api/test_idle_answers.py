"""[idle-answers]: routes the reference UI calls on every page answer its idle shapes, not 501."""

from __future__ import annotations

from typing import Any

from tests.support.api import UNKNOWN, V, assert_error, ok


def test_refreshing_bios_or_photos_with_nothing_connected_says_what_to_connect(empty_api: Any) -> None:
    ada = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Ada"}), 201)["data"]
    for what in ("refresh-bios", "refresh-avatar"):
        body = assert_error(empty_api.post(f"{V}/contacts/{ada['id']}/{what}"), "not_connected", 400)
        assert "pcrm auth telegram" in body["error"]["hint"]
        assert_error(empty_api.post(f"{V}/contacts/{UNKNOWN}/{what}"), "not_found", 404)


def test_cookie_status_taxonomy_and_version_answer_the_reference_shapes(empty_api: Any) -> None:
    assert ok(empty_api.get(f"{V}/integrations/twitter/cookies"))["data"] == {
        "status": "disconnected",
        "checked_at": None,
    }
    assert ok(empty_api.get(f"{V}/contacts/tags/taxonomy"))["data"] is None
    from importlib.metadata import version

    v = ok(empty_api.get(f"{V}/version"))["data"]
    assert v["current"] == version("pcrm") == v["latest"] and v["update_available"] is False
    assert v["checked_at"] is None  # pcrm never checks for updates: no time may claim it did
