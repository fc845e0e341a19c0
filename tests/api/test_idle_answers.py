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
    missing connection is said first (with the command that connects), by the CLI and the API alike."""
    import json

    ada = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace"}), 201)["data"]
    grace = ok(
        empty_api.post(f"{V}/contacts", json={"full_name": "Grace", "emails": ["g@navy.example"]}), 201
    )
    for who in (ada, grace["data"]):
        r = empty_api.post(f"{V}/contacts/{who['id']}/sync-emails")
        body = assert_error(r, "not_connected", 400)
        assert body["error"]["hint"] == "connect it with: pcrm auth google"
        said = cli("sync", "emails", who["full_name"], ok=False)
        assert said.exit_code == 1 and "skipped" not in said.stdout
        assert "Gmail is not connected" in said.stderr and "pcrm auth google" in said.stderr
        as_json = cli("sync", "emails", who["full_name"], "--json", ok=False)
        assert json.loads(as_json.stdout) == r.json()
