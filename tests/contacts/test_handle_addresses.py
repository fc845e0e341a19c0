"""A handle given as the profile address people copy from the browser is stored as the handle
[value-normalisation]: `pcrm contacts add --twitter https://x.com/Ada_L` stored the handle
"https://x.com/ada_l", which no sync, import or `@ada_l` reference ever matched (a second Ada came in with
the next X import), and a phrase or another site's address was stored as a handle too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.api import assert_error
from tests.support.crm import Crm


@pytest.mark.parametrize(
    ("option", "typed", "stored"),
    [
        ("--twitter", "https://x.com/Ada_L", "ada_l"),
        ("--twitter", "https://twitter.com/ada_l/", "ada_l"),
        ("--twitter", "http://mobile.twitter.com/@Ada_L?lang=en", "ada_l"),
        ("--twitter", "x.com/ada_l", "ada_l"),
        ("--twitter", "@Ada_L", "ada_l"),
        ("--twitter", "@@ada_l", "ada_l"),
        ("--telegram", "https://t.me/Ada_TG", "ada_tg"),
        ("--telegram", "telegram.me/ada_tg", "ada_tg"),
    ],
)
def test_a_profile_address_is_stored_as_its_handle(crm: Crm, option: str, typed: str, stored: str) -> None:
    field = "twitter_handle" if option == "--twitter" else "telegram_username"
    ada = crm.add("Ada Lovelace", option, typed)
    assert ada[field] == stored
    assert crm.show("@" + stored)["id"] == ada["id"]
    assert crm.show("@@" + stored)["id"] == ada["id"]  # a reference loses its @s as the stored handle did
    # the same person typed as a handle is the same key: refused as anyone else's
    err = crm.rejects("contacts", "add", "--name", "Ada Two", option, stored, code="conflict")
    assert err["details"]["conflicting_contact"]["id"] == ada["id"]


@pytest.mark.parametrize(
    ("option", "typed"),
    [
        ("--twitter", "not a handle!"),
        ("--twitter", "https://t.me/ada_l"),  # the other site's address
        ("--twitter", "https://example.com/ada_l"),
        ("--twitter", "ada@example.com"),
        ("--telegram", "ada@tg"),
        ("--telegram", "https://x.com/ada_l"),
        ("--telegram", "https://t.me/+AbCdEf12"),  # an invite link, no one's username (found by review)
        ("--telegram", "+44 20 7946 0958"),
        ("--twitter", "@@"),  # no handle left: was stored as none without a word (found by review)
        ("--twitter", "https://x.com/@"),
    ],
)
def test_what_is_no_handle_is_refused_and_changes_nothing(crm: Crm, option: str, typed: str) -> None:
    crm.add("Ada Lovelace")
    field = "twitter_handle" if option == "--twitter" else "telegram_username"
    for args in (("contacts", "add", "--name", "Grace Hopper"), ("contacts", "edit", "Ada Lovelace")):
        err = crm.rejects(*args, option, typed, code="validation_error", says="is not a handle")
        assert err["details"]["fields"][0]["field"] == field
        assert "profile address" in err["hint"]


@pytest.mark.anyio
async def test_the_api_stores_the_handle_of_an_address_too(client: Any, script: dict[str, str]) -> None:
    r = await client.post(
        "/api/v1/contacts",
        headers=script,
        json={
            "full_name": "Ada",
            "twitter_handle": "https://x.com/Ada_L",
            "telegram_username": "t.me/ada_tg",
        },
    )
    ada = r.json()["data"]
    assert (ada["twitter_handle"], ada["telegram_username"]) == ("ada_l", "ada_tg")
    r = await client.put(
        f"/api/v1/contacts/{ada['id']}",
        headers=script,
        json={"twitter_handle": "https://twitter.com/lovelace"},
    )
    assert r.json()["data"]["twitter_handle"] == "lovelace"
    r = await client.put(f"/api/v1/contacts/{ada['id']}", headers=script, json={"twitter_handle": "a b"})
    assert_error(r, "validation_error", 422)
    got = (await client.get(f"/api/v1/contacts/{ada['id']}", headers=script)).json()["data"]
    assert got["twitter_handle"] == "lovelace"


def test_an_import_keeps_the_handle_of_an_address(crm: Crm, tmp_path: Path) -> None:
    """A CSV's twitter column holding profile addresses: the handle is stored; a phrase is dropped with a
    row error, the person kept."""
    f = tmp_path / "people.csv"
    f.write_text(
        "name,email,twitter\nAda Lovelace,ada@example.com,https://x.com/Ada_L\n"
        "Grace Hopper,grace@example.com,ask me later\n",
        encoding="utf-8",
    )
    report = crm.cli.json("import", str(f))["data"]
    assert report["contacts_created"] == 2
    assert any("is not a handle" in e for e in report["errors"]), report["errors"]
    assert crm.show("ada@example.com")["twitter_handle"] == "ada_l"
    assert crm.show("grace@example.com")["twitter_handle"] is None


def test_an_organization_s_x_address_is_its_handle(crm: Crm) -> None:
    org = crm.cli.json("orgs", "add", "Analytical Engines", "--twitter", "https://x.com/AnalyticalEng")[
        "data"
    ]
    assert org["twitter_handle"] == "analyticaleng"
