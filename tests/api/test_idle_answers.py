"""[idle-answers]: routes the reference UI calls on every page answer its idle shapes, not 501."""

from __future__ import annotations

from typing import Any

from tests.support.api import UNKNOWN, V, assert_error, ok


def test_refreshing_bios_or_photos_with_nothing_connected_answers_the_reference_shape(empty_api: Any) -> None:
    """The reference UI posts refresh-bios and refresh-avatar on every contact it opens; with neither
    Telegram nor X connected they were a 400 `not_connected` (an error on each page), where the reference
    answers 200 with nothing changed. Now that shape, skipped, with the code, the words and the command."""
    made = empty_api.post(f"{V}/contacts", json={"full_name": "Ada", "avatar_url": "https://a.example/p.png"})
    ada = ok(made, 201)["data"]
    words = {"refresh-bios": "bio", "refresh-avatar": "photo"}
    shapes = {
        "refresh-bios": {"twitter_bio_changed": False, "telegram_bio_changed": False},
        "refresh-avatar": {"avatar_url": ada["avatar_url"], "changed": False},
    }
    for what, shape in shapes.items():
        for force in ({}, {"force": "true"}):
            body = ok(empty_api.post(f"{V}/contacts/{ada['id']}/{what}", params=force))
            assert body["data"] == {
                **shape,
                "skipped": True,
                "reason": "not_connected",
                "message": f"no Telegram or X account is connected, so there is no {words[what]} to refresh",
                "hint": "connect one: pcrm auth telegram (or pcrm auth x)",
            }
            assert body["meta"] == {"not_connected": ["telegram", "twitter"]}
        assert_error(empty_api.post(f"{V}/contacts/{UNKNOWN}/{what}"), "not_found", 404)


def test_syncing_one_contact_with_its_source_not_connected_answers_the_reference_skip(empty_api: Any) -> None:
    """sync-telegram and sync-twitter with the source not connected were a 400 `not_connected`; the
    reference answers 200 {new_interactions: 0, skipped: true, reason: telegram_not_connected |
    twitter_not_connected}: that, with pcrm's words and the command that connects, whatever the contact
    holds (connecting is the step to take)."""
    ada = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Ada"}), 201)["data"]
    tg = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Tg", "telegram_username": "tg_person"}), 201)
    xp = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Xp", "twitter_handle": "x_person"}), 201)
    cases = {
        "sync-telegram": ("telegram", "Telegram", "pcrm auth telegram", tg["data"]),
        "sync-twitter": ("twitter", "X", "pcrm auth x", xp["data"]),
    }
    for route, (code, label, connect, holder) in cases.items():
        for who in (ada, holder):
            body = ok(empty_api.post(f"{V}/contacts/{who['id']}/{route}"))
            assert body["data"] == {
                "new_interactions": 0,
                "skipped": True,
                "reason": f"{code}_not_connected",
                "message": f"{label} is not connected, so there are no messages to sync",
                "hint": f"connect it with: {connect}",
            }
            assert body["meta"] == {"not_connected": [code]}
        assert_error(empty_api.post(f"{V}/contacts/{UNKNOWN}/{route}"), "not_found", 404)


def test_cookie_status_taxonomy_and_version_answer_the_reference_shapes(empty_api: Any) -> None:
    assert ok(empty_api.get(f"{V}/integrations/twitter/cookies"))["data"] == {
        "status": "disconnected",
        "checked_at": None,
        "verified": False,
        "pushed_at": None,
    }
    assert ok(empty_api.get(f"{V}/contacts/tags/taxonomy"))["data"] is None
    from importlib.metadata import version

    v = ok(empty_api.get(f"{V}/version"))["data"]
    assert v["current"] == version("pcrm") == v["latest"] and v["update_available"] is False
    assert v["checked_at"] is None  # pcrm never checks for updates: no time may claim it did


def test_pcrm_version_json_is_the_envelope_of_get_version(empty_api: Any, tmp_path: Any) -> None:
    """`pcrm version --json` was a usage error (no such option): now the envelope, the version and what
    `GET /version` says, without opening or creating a store."""
    import json
    import os

    from typer.testing import CliRunner

    from pcrm import __version__
    from pcrm.cli import app

    api = ok(empty_api.get(f"{V}/version"))
    home = tmp_path / "no-store-here"
    r = CliRunner().invoke(app, ["version", "--json"], env={**os.environ, "PCRM_HOME": str(home)})
    assert r.exit_code == 0, r.output
    env = json.loads(r.stdout)
    assert env["error"] is None and env["data"] == {"version": __version__, **api["data"]}
    assert env["meta"] == api["meta"]
    assert not home.exists()
    assert CliRunner().invoke(app, ["version"]).stdout == f"{__version__}\n"


def test_syncing_a_contacts_emails_with_gmail_not_connected_says_so_first(empty_api: Any, cli: Any) -> None:
    """`pcrm sync emails CONTACT` for a contact without an address, while Gmail is not connected, said
    'skipped: the contact has no email address' and exited 0: connecting is the step to take, so the
    missing connection is said first (with the command that connects), by the CLI and the API alike.
    The API answers the reference's 200 skip (`google_not_connected`; it was a 400 the reference UI showed
    as an error on every contact it opened); the CLI still fails, exit 1, and says how to connect."""
    import json

    ada = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace"}), 201)["data"]
    grace = ok(
        empty_api.post(f"{V}/contacts", json={"full_name": "Grace", "emails": ["g@navy.example"]}), 201
    )
    for who in (ada, grace["data"]):
        r = empty_api.post(f"{V}/contacts/{who['id']}/sync-emails")
        assert ok(r)["data"] == {
            "new_interactions": 0,
            "skipped": True,
            "reason": "google_not_connected",
            "message": "Gmail is not connected, so there is no mail to sync",
            "hint": "connect it with: pcrm auth google",
        }
        said = cli("sync", "emails", who["full_name"], ok=False)
        assert said.exit_code == 1 and said.stdout == ""
        assert said.stderr == (
            "error: Gmail is not connected, so there is no mail to sync\n"
            "hint: connect it with: pcrm auth google\n"
        )
        as_json = cli("sync", "emails", who["full_name"], "--json", ok=False)
        assert as_json.exit_code == 1 and json.loads(as_json.stdout) == r.json()
