"""Every value a contact keeps beside its own fields reaches scripts [other-values]: `pcrm contacts show`
listed a vCard's addresses, chat addresses, SIP, department, role, phonetic names, anniversary, related
people, web pages and custom dates, but `pcrm contacts show --json` and GET /contacts/{id} (the web UI's
read) carried none of them. Now both carry `other_values`, the rows the human view lists, in its order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.api import V, ok
from tests.support.paths import require_testdata

ALLFIELDS = "vcard4android__allfields-vcard3.vcf"


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # one row a line


def _rows(cli: Any, ref: str) -> list[tuple[str, str]]:
    """The rows `pcrm contacts show` prints, a value that runs on over lines joined by newlines."""
    rows: list[tuple[str, str]] = []
    for line in cli("contacts", "show", ref, "--recent", "0").stdout.splitlines():
        what, _, value = line.partition("  ")
        if what.strip():
            rows.append((what.strip(), value.strip()))
        elif value.strip() and rows:
            rows[-1] = (rows[-1][0], f"{rows[-1][1]}\n{value.strip()}")
    return rows


def _shown(other: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(o["what"], o["value"]) for o in other]


def test_the_vcards_kept_values_are_in_show_json_and_the_api_as_the_human_view_lists_them(
    cli: Any, imp: Any, empty_api: Any
) -> None:
    imp(require_testdata() / "vcard" / ALLFIELDS)
    data = cli.json("contacts", "show", "Ämi Display")["data"]
    got = ok(empty_api.get(f"{V}/contacts/{data['id']}"))["data"]
    assert got["other_values"] == data["other_values"]  # one answer for both (the API signs the avatar's URL)
    assert {k: v for k, v in got.items() if k != "avatar_url"} == {
        k: v for k, v in data.items() if k != "avatar_url"
    }
    other = data["other_values"]
    for row in [
        ("address (work,postal,parcel)", "6544 Battleford Drive, Raleigh, NC, 27613-3502, U.S.A."),
        ("chat (skype)", "skype:echo@example.com"),
        ("sip", "mysip@example.com"),
        ("department", "North American Division, Marketing"),
        ("role", "Programmer"),
        ("given name (phonetic)", "Förstnehm"),
        ("anniversary", "2014-08-12"),
        ("related (co-worker,crush)", "Ägidius"),
        ("related (parent)", "muuum@example.com"),
        ("web (blog)", "http://www.swbyps.restaurant.french/~chezchic.html"),
        ("date (Custom Date)", "2021-07-29"),
    ]:
        assert row in _shown(other), row
    # typed: where each comes from, as kept
    (blog,) = [o for o in other if o["what"] == "web (blog)"]
    assert blog == {
        "what": "web (blog)",
        "value": "http://www.swbyps.restaurant.french/~chezchic.html",
        "kind": "url",
        "label": "blog",
        "raw": "http://www.swbyps.restaurant.french/~chezchic.html",
    }
    (home,) = [o for o in other if o["kind"] == "address" and o["label"] == "Monkey Tree"]
    assert home["raw"].split(";")[2:4] == ["Teststraße 22", "Mönchspfaffingen"]  # the address's parts
    (role,) = [o for o in other if o["what"] == "role"]
    assert (role["kind"], role["label"], role["raw"]) == ("prop", None, "ROLE:Programmer")
    # the human view lists the same rows, in the same order, after the contact's own fields
    rows = _rows(cli, "Ämi Display")
    assert rows[-len(other) :] == _shown(other)
    # the contact's own fields are as they were: the reference's keys keep their types
    assert data["phones"] == ["+49 1234 56788", "+1-800-MYFAX"] and data["company"] == "ABC, Inc."


@pytest.mark.parametrize(
    "sample",
    [
        "vcard/ez-vcard__fullcontact.vcf",
        "vcard/nametag__apple-vcard-example.vcf",
        "vcard/aosp__v21_complicated.vcf",
        "google_csv/rolomind__google_new_layout_subset.csv",
        "google_csv/roundcube__gmail_legacy.csv",
    ],
)
def test_every_contact_of_a_sample_shows_the_same_kept_values_in_json_and_in_the_human_view(
    cli: Any, imp: Any, sample: str
) -> None:
    imp(require_testdata() / sample)
    listed = cli.json("contacts", "list", "--page-size", "100")["data"]
    kept = 0
    for c in listed:
        assert "other_values" not in c  # lists stay the contact alone
        other = cli.json("contacts", "show", c["id"])["data"]["other_values"]
        kept += len(other)
        if other:
            assert _rows(cli, c["id"])[-len(other) :] == _shown(other), c["id"]
    assert kept  # each sample has values kept beside the contacts' own


def test_a_photos_web_address_and_a_chat_of_another_service_are_listed(cli: Any, imp: Any) -> None:
    data = require_testdata()
    imp(data / "vcard" / "ez-vcard__fullcontact.vcf")
    other = cli.json("contacts", "show", "home@example.com")["data"]["other_values"]
    photos = [o["value"] for o in other if o["kind"] == "photo"]
    # PHOTO URLs are never fetched: no avatar shows them, and they were shown nowhere
    assert len(photos) == 2 and all(p.startswith("https://") for p in photos)
    assert ("photo", photos[0]) in _rows(cli, "home@example.com")
    imp(data / "vcard" / "nametag__apple-vcard-example.vcf")
    doc = cli.json("contacts", "show", "Emmetiano Lucas Brown")["data"]
    assert doc["twitter_handle"] == "doc"
    # a Signal address `x-apple:doc` is not the X handle `doc` (the `x` of `x-apple` named no service)
    assert ("chat (Signal)", "x-apple:doc") in _shown(doc["other_values"])
    # the Telegram one is the contact's Telegram username, said once
    assert doc["telegram_username"] == "docemmet"
    assert not [o for o in doc["other_values"] if o["value"] == "x-apple:docemmet"]


def test_a_contact_without_kept_values_has_an_empty_list(empty_api: Any, tmp_path: Path) -> None:
    made = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Bo"}), 201)["data"]
    assert "other_values" not in made  # a write answers with the contact alone, as before
    assert ok(empty_api.get(f"{V}/contacts/{made['id']}"))["data"]["other_values"] == []
