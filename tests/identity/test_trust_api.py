"""The trust cases over the API [shared-keys] [import-matching]: the import routes, the scan and the review
queue on a real store, with the CLI for what the API has no route for (`import undo`, `settings set`). The
same cases through the CLI are in tests/imports/test_shared_keys_import.py and
tests/identity/test_shared_keys_scan.py."""

from __future__ import annotations

from typing import Any

from tests.support.api import V, ok

LINE = "+46 8 555 010 20"
LINE_E164 = "+46855501020"


def _upload(api: Any, text: str, name: str = "people.csv") -> dict[str, Any]:
    r = api.post(f"{V}/contacts/import/csv", files={"file": (name, text.encode(), "text/csv")})
    return ok(r)["data"]


def _names(api: Any) -> list[str]:
    return sorted(c["full_name"] for c in ok(api.get(f"{V}/contacts", params={"page_size": 100}))["data"])


def _queue(api: Any) -> list[dict[str, Any]]:
    return ok(api.get(f"{V}/identity/matches"))["data"]


def _scan(api: Any) -> dict[str, Any]:
    return ok(api.post(f"{V}/identity/scan"))


def test_a_family_landline_keeps_the_family_and_asks_once(empty_api: Any) -> None:
    rep = _upload(
        empty_api,
        "full_name,phone,email,birthday\n"
        f"Anna Berg,{LINE},,\nErik Berg,{LINE},,\nAnna Berg,{LINE},anna@berg.example,1984-02-03\n",
    )
    assert (rep["contacts_created"], rep["contacts_folded"], rep["pending_review"]) == (2, 1, 1)
    assert _names(empty_api) == ["Anna Berg", "Erik Berg"]
    (m,) = _queue(empty_api)
    assert m["shared_key"] == {"key": "phone", "value": LINE_E164}
    # the scan neither merges the family nor asks a second time
    assert _scan(empty_api)["data"]["auto_merged"] == 0
    assert [q["id"] for q in _queue(empty_api)] == [m["id"]]


def test_a_switchboard_shared_by_ten_people_joins_nobody(empty_api: Any) -> None:
    names = [
        "Astrid Lindqvist", "Hiro Nakamura", "Chidi Okafor", "Ivan Petrov", "Maeve Quinn",
        "Giulia Rossi", "Tiago Santos", "Yuki Tanaka", "Fiona Urquhart", "Bence Varga",
    ]  # fmt: skip
    rep = _upload(
        empty_api, "full_name,phone,company\n" + "".join(f"{n},{LINE},Switchboard Ltd\n" for n in names)
    )
    assert rep["contacts_created"] == 10 and rep["pending_review"] == 0
    # a number held by three or more contacts is a shared line: no merge key, no question
    scan = _scan(empty_api)
    assert scan["meta"]["deterministic_merged"] == 0 and scan["data"]["pending_review"] == 0
    assert len(_names(empty_api)) == 10 and _queue(empty_api) == []


def test_two_john_smiths_with_different_birthdays_stay_two_and_unasked(empty_api: Any) -> None:
    rep = _upload(
        empty_api, "full_name,birthday,location\nJohn Smith,1980-04-02,Berlin\nJohn Smith,1975-11-30,Oslo\n"
    )
    assert rep["contacts_created"] == 2 and rep["pending_review"] == 0
    assert _scan(empty_api)["data"] == {"auto_merged": 0, "pending_review": 0, "matches_found": 0}
    smiths = ok(empty_api.get(f"{V}/contacts", params={"search": "John Smith"}))["data"]
    assert sorted(c["birthday"] for c in smiths) == ["1975-11-30", "1980-04-02"]


def test_one_john_smith_from_two_files_is_one_contact_and_loses_nothing(empty_api: Any, cli: Any) -> None:
    first = _upload(empty_api, "full_name,company,birthday,title\nJohn Smith,Acme,1980-04-02,CEO\n", "a.csv")
    assert first["contacts_created"] == 1
    second = _upload(
        empty_api,
        "full_name,company,birthday,title,location\nJohn Smith,Acme,1980-04-02,CTO,Berlin\n",
        "b.csv",
    )
    assert (second["contacts_created"], second["contacts_updated"], second["values_kept"]) == (0, 1, 1)
    (john,) = ok(empty_api.get(f"{V}/contacts", params={"search": "John Smith"}))["data"]
    full = ok(empty_api.get(f"{V}/contacts/{john['id']}"))["data"]
    assert full["title"] == "CEO" and full["location"] == "Berlin"
    # the other title is kept with the contact, not dropped
    assert "TITLE:CTO" in cli("export", "vcard").stdout


def test_a_national_and_an_international_number_meet_after_the_region_is_set(
    empty_api: Any, cli: Any
) -> None:
    ann = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Ann Lee", "phones": ["07700 900123"]}), 201)
    # without a region the national number is another number: nothing joins them
    other = ok(
        empty_api.post(f"{V}/contacts", json={"full_name": "Ann Lee", "phones": ["+44 7700 900123"]}), 201
    )
    assert other["data"]["id"] != ann["data"]["id"]
    assert _scan(empty_api)["meta"]["deterministic_merged"] == 0
    cli("settings", "set", "phone_region", "GB")
    # under GB they are one number: the same name on the same phone is one person
    scan = _scan(empty_api)
    assert scan["meta"]["deterministic_merged"] == 1
    (left,) = ok(empty_api.get(f"{V}/contacts", params={"search": "Ann Lee"}))["data"]
    assert (
        ok(empty_api.get(f"{V}/contacts", params={"search": "+447700900123"}))["data"][0]["id"] == left["id"]
    )


def test_a_merge_of_a_pair_an_import_queued_then_the_undo_of_that_import(empty_api: Any, cli: Any) -> None:
    anna = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Anna Berg", "phones": [LINE]}), 201)["data"]
    rep = _upload(empty_api, f"full_name,phone\nErik Berg,{LINE}\n", "erik.csv")
    assert rep["contacts_created"] == 1 and rep["pending_review"] == 1
    (m,) = _queue(empty_api)
    merged = ok(empty_api.post(f"{V}/identity/matches/{m['id']}/merge"))["data"]
    # the import cannot be undone under the merge it led to: the merge is named, nothing changes
    refused = cli.json("import", "undo", rep["batch_id"], "--yes", ok=False)["error"]
    assert refused["code"] == "conflict" and merged["merge_id"] in refused["details"]["merge_ids"]
    cli("contacts", "unmerge", merged["merge_id"])
    cli("import", "undo", rep["batch_id"], "--yes")
    assert _names(empty_api) == ["Anna Berg"]
    back = ok(empty_api.get(f"{V}/contacts/{anna['id']}"))["data"]
    assert back["full_name"] == "Anna Berg" and back["phones"] == anna["phones"]
    assert _queue(empty_api) == []
