"""Apollo enrichment [apollo-enrichment] against a fake Apollo on 127.0.0.1, through the CLI and the API."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pcrm.sync import fetch
from tests.support.http_fake import closed_port, json_answer, serve

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
V = "/api/v1"


def _person(photo: str | None = None) -> dict[str, Any]:
    return {
        "person": {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "name": "Ada Lovelace",
            "title": "Chief Analyst",
            "organization": {"name": "Analytical Engines"},
            "city": "London",
            "state": "England",
            "country": "United Kingdom",
            "linkedin_url": "https://www.linkedin.com/in/ada-lovelace",
            "twitter_url": "https://twitter.com/ada_l",
            "phone_numbers": [{"sanitized_number": "+442079460000"}, {"raw": "no number"}, "junk"],
            "photo_url": photo,
            "email": "ada.l@personal.example",
        }
    }


def _setup(cli: Any, url: str, *, key: bool = True) -> None:
    cli("settings", "set", "enrichment.apollo", "true")
    cli("settings", "set", "enrichment.apollo_url", url)
    if key:
        cli("secrets", "set", "apollo", input="sk-apollo-test\n")


def _add(cli: Any, *args: str) -> str:
    return str(cli.json("contacts", "add", "--name", "Ada", *args)["data"]["id"])


def test_enrich_fills_empty_fields_never_a_user_edited_one_and_records_the_batch(
    crm: Any, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PCRM_ENABLE_TEST_SOURCES", "1")
    monkeypatch.setenv(fetch.ALLOW_ENV, "127.0.0.1")
    with serve({"/ada.png": (200, {"Content-Type": "image/png"}, PNG)}) as (photo_base, _):
        routes = {"/api/v1/people/match": json_answer(_person(photo_base + "/ada.png"))}
        with serve(routes) as (url, seen):
            _setup(cli, url)
            cid = _add(cli, "--email", "ada@example.com", "--title", "Countess")
            cli("contacts", "edit", cid, "--title", "Countess of Lovelace")
            got = cli.json("contacts", "enrich", cid)["data"]
    req = seen[0]
    assert req["method"] == "POST"
    assert req["headers"]["x-api-key"] == "sk-apollo-test"
    assert json.loads(req["body"]) == {"reveal_personal_emails": True, "email": "ada@example.com"}
    assert got["matched"] is True and got["source"] == "apollo"
    assert {"company", "location", "twitter_handle", "phones", "emails", "avatar_url"} <= set(
        got["fields_updated"]
    )
    assert "title" not in got["fields_updated"]
    c = cli.json("contacts", "show", cid)["data"]
    assert c["title"] == "Countess of Lovelace"  # the user's edit stands
    assert c["company"] == "Analytical Engines"
    assert c["location"] == "London, England, United Kingdom"
    assert c["twitter_handle"] == "ada_l"
    assert c["emails"][0] == "ada@example.com" and "ada.l@personal.example" in c["emails"]
    assert len(c["phones"]) == 1
    assert c["avatar_url"].startswith("/static/avatars/")
    # provenance: an import batch of source apollo, which undo reverts
    batches = crm.sql("SELECT source, format FROM import_batches")
    assert ("apollo", "enrich") in [tuple(b) for b in batches]
    cli("import", "undo", got["batch_id"], "--yes")
    assert cli.json("contacts", "show", cid)["data"]["company"] is None


def test_a_photo_url_pointing_at_a_private_address_is_not_downloaded(crm: Any, cli: Any) -> None:
    # no test allowance: 127.0.0.1 is refused by the SSRF rules, the rest of the answer still applies
    routes = {"/api/v1/people/match": json_answer(_person("http://127.0.0.1:1/x.png"))}
    with serve(routes) as (url, _):
        _setup(cli, url)
        cid = _add(cli, "--email", "ada@example.com")
        got = cli.json("contacts", "enrich", cid)["data"]
    assert "avatar_url" not in got["fields_updated"] and "company" in got["fields_updated"]
    assert cli.json("contacts", "show", cid)["data"]["avatar_url"] is None


def test_dry_run_shows_the_request_and_sends_nothing(crm: Any, cli: Any) -> None:
    with serve({}) as (url, seen):
        cli("settings", "set", "enrichment.apollo_url", url)  # still off, and no key: a dry run shows anyway
        cid = _add(cli, "--linkedin", "https://www.linkedin.com/in/ada-lovelace")
        r = cli("contacts", "enrich", cid, "--dry-run")
    assert seen == []
    sent = json.loads(r.stdout)
    assert sent["url"] == url + "/api/v1/people/match"
    assert sent["body"] == {
        "reveal_personal_emails": True,
        "linkedin_url": "https://www.linkedin.com/in/ada-lovelace",
    }
    assert "sk-" not in r.stdout


@pytest.mark.parametrize(
    ("answer", "code", "text"),
    [
        ((401, {}, b'{"error": "invalid"}'), "upstream_error", "refused the API key"),
        ((429, {}, b"slow down"), "rate_limited", "rate limit"),
        ((500, {}, b"boom"), "upstream_error", "answered 500"),
        ((200, {"Content-Type": "application/json"}, b"<html>not json"), "upstream_error", "not JSON"),
        (json_answer(["a", "list"]), "upstream_error", "not a JSON object"),
        (json_answer({"person": "Ada"}), "upstream_error", "not an object"),
        ((302, {"Location": "http://169.254.169.254/"}, b""), "upstream_error", "it is not followed"),
    ],
)
def test_upstream_failures_are_clear_errors_and_change_nothing(
    crm: Any, cli: Any, answer: Any, code: str, text: str
) -> None:
    with serve({"/api/v1/people/match": answer}) as (url, seen):
        _setup(cli, url)
        cid = _add(cli, "--email", "ada@example.com")
        r = cli("contacts", "enrich", cid, "--json", ok=False)
    err = json.loads(r.stdout)["error"]
    assert err["code"] == code and text in err["message"]
    assert len(seen) == 1  # the redirect was not followed
    assert cli.json("contacts", "show", cid)["data"]["company"] is None


def test_apollo_not_answering_says_why_in_words_with_a_hint(crm: Any, cli: Any) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    _setup(cli, url)
    cid = _add(cli, "--email", "ada@example.com")
    r = cli("contacts", "enrich", cid, ok=False)
    assert f"Apollo at {url} is not answering: connection refused" in r.stderr
    assert "hint:" in r.stderr and "enrichment.apollo_url" in r.stderr
    assert "Error" not in r.stderr  # ConnectError, the class name it said before
    err = json.loads(cli("contacts", "enrich", cid, "--json", ok=False).stdout)["error"]
    assert err["code"] == "upstream_error" and err["details"]["kind"] == "network"


def test_no_match_no_key_not_enabled_and_nothing_to_look_up(crm: Any, cli: Any) -> None:
    with serve({"/api/v1/people/match": json_answer({"person": None})}) as (url, _):
        cid = _add(cli, "--email", "ada@example.com")
        r = cli("contacts", "enrich", cid, "--json", ok=False)
        assert json.loads(r.stdout)["error"]["code"] == "feature_disabled"
        _setup(cli, url, key=False)
        r = cli("contacts", "enrich", cid, "--json", ok=False)
        err = json.loads(r.stdout)["error"]
        assert err["code"] == "not_connected" and "pcrm secrets set apollo" in err["hint"]
        cli("secrets", "set", "apollo", input="k\n")
        got = cli.json("contacts", "enrich", cid)["data"]
        assert got == {**got, "matched": False, "fields_updated": []}
        nobody = str(cli.json("contacts", "add", "--name", "Nobody")["data"]["id"])
        r = cli("contacts", "enrich", nobody, "--json", ok=False)
        assert json.loads(r.stdout)["error"]["code"] == "bad_request"


def test_all_missing_looks_up_contacts_lacking_a_title_or_company(crm: Any, cli: Any) -> None:
    with serve({"/api/v1/people/match": json_answer(_person())}) as (url, seen):
        _setup(cli, url)
        _add(cli, "--email", "ada@example.com")
        cli(
            "contacts",
            "add",
            "--name",
            "Grace",
            "--email",
            "grace@example.com",
            "--title",
            "RA",
            "--company",
            "Navy",
        )
        cli("contacts", "add", "--name", "No Address")
        got = cli.json("contacts", "enrich", "--all-missing")["data"]
    assert got["contacts"] == 1 and got["enriched"] == 1
    assert [json.loads(s["body"])["email"] for s in seen] == ["ada@example.com"]


def test_the_api_route_answers_from_real_code(empty_api: Any) -> None:
    from pcrm import secrets

    secrets.put("apollo", "k")
    with serve({"/api/v1/people/match": json_answer(_person())}) as (url, _):
        from pcrm.services import settings
        from pcrm.services.context import open_context

        with open_context() as ctx:
            settings.set_setting(ctx, "enrichment.apollo", True)
            settings.set_setting(ctx, "enrichment.apollo_url", url)
        cid = empty_api.post(
            f"{V}/contacts", json={"full_name": "Ada", "emails": ["ada@example.com"]}
        ).json()["data"]["id"]
        r = empty_api.post(f"{V}/contacts/{cid}/enrich")
    assert r.status_code == 200, r.text
    assert "company" in r.json()["data"]["fields_updated"]


def test_apollo_answers_are_mapped_defensively() -> None:
    from pcrm.services.enrich import to_contact_data

    assert to_contact_data(
        {
            "first_name": 7,
            "name": "  ",
            "organization": "Acme",
            "city": "Paris",
            "country": None,
            "twitter_url": "https://x.com/ada_l/",
            "phone_numbers": {"sanitized_number": "+1"},
            "email": "email_not_unlocked@domain.com",
        }
    ) == {"location": "Paris", "twitter_handle": "ada_l"}


def test_secrets_set_takes_only_service_keys_and_never_prints_them(crm: Any, cli: Any) -> None:
    r = cli("secrets", "set", "jwt_secret", "--json", input="overwrite\n", ok=False)
    assert json.loads(r.stdout)["error"]["code"] == "validation_error"
    r = cli("secrets", "set", "apollo", input="sk-very-secret\n")
    assert "sk-very-secret" not in r.stdout + r.stderr
    from pcrm import secrets

    assert secrets.get("apollo") == "sk-very-secret"
    cli("secrets", "rm", "apollo")
    assert secrets.get("apollo") is None
