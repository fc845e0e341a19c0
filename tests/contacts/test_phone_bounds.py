"""A phone number has at most 15 digits (E.164), and a number written with its country code is no longer
than that country's numbers [value-normalisation]: longer text is refused on every write path with the field
and the value named (API, CLI add and edits), and an import keeps it as an extra field beside the row's good
numbers, never as an identity key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.api import V
from tests.support.store import people

TOO_LONG = [
    "12345678901234567890123456789012345",  # 35 digits, no country code
    "+1234567890123456789012",  # 22 digits with a +
    "7" * 401,
    "+44 20 7946 0958 12",  # 14 digits, but London numbers have 10 after the 44
    "011 44 20 7946 0958 12345 678",  # a dialling prefix apart, still 20
]
FINE = [
    "+44 20 7946 0958",
    "07700 900123",  # national, no region: kept as digits
    "0044 20 7946 0958",  # the international prefix counts for nothing
    "+44 20 7946 0958 ext. 12345",  # an extension is not the line
    "+49 30 12345678901",  # 15 digits: Germany's numbers run long
]


@pytest.mark.parametrize("number", TOO_LONG)
def test_the_api_refuses_a_number_no_phone_can_have(empty_api: Any, number: str) -> None:
    r = empty_api.post(f"{V}/contacts", json={"full_name": "Long Phone", "phones": [number]})
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["message"].startswith("phones: ") and "is not a phone number" in err["message"]
    assert number[:40] in err["message"] and len(err["message"]) < 200
    assert [f["field"] for f in err["details"]["fields"]] == ["phones"]
    assert empty_api.get(f"{V}/contacts").json()["data"] == []
    # an edit is held to the same rule, and changes nothing
    made = empty_api.post(f"{V}/contacts", json={"full_name": "Ok Phone", "phones": ["+44 20 7946 0958"]})
    cid = made.json()["data"]["id"]
    got = empty_api.put(f"{V}/contacts/{cid}", json={"phones": ["+44 20 7946 0958", number]})
    assert got.status_code == 422, got.text
    wa = empty_api.put(f"{V}/contacts/{cid}", json={"whatsapp_phone": number})
    assert wa.status_code == 422 and wa.json()["error"]["details"]["fields"][0]["field"] == "whatsapp_phone"
    assert empty_api.get(f"{V}/contacts/{cid}").json()["data"]["phones"] == ["+44 20 7946 0958"]


def test_numbers_a_phone_can_have_are_kept(empty_api: Any) -> None:
    r = empty_api.post(f"{V}/contacts", json={"full_name": "Many Phones", "phones": FINE})
    assert r.status_code == 201, r.text
    assert r.json()["data"]["phones"] == FINE


def test_the_cli_refuses_it_on_add_and_edit(crm: Any, cli: Any) -> None:
    res = cli("contacts", "add", "--name", "Long Phone", "--phone", TOO_LONG[0], ok=False)
    assert res.exit_code != 0
    assert f"--phone: '{TOO_LONG[0]}' is not a phone number: 35 digits" in res.output
    crm.add("Ok Phone", "--phone", "+44 20 7946 0958")
    res = cli("contacts", "edit", "Ok Phone", "--add-phone", TOO_LONG[1], ok=False)
    assert res.exit_code != 0 and "22 digits, and a phone number has at most 15" in res.output
    assert crm.sql("SELECT phone FROM contact_phones ORDER BY id") == [("+44 20 7946 0958",)]


def test_an_import_keeps_an_impossible_number_aside_with_the_good_ones(
    imp: Any, db: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "people.csv"
    rows = f"Mei Shaw,{TOO_LONG[0]}; +44 20 7946 0000\nRay Ode,{TOO_LONG[1]}\n"
    sheet.write_text("full_name,phone\n" + rows, encoding="utf-8")
    rep = imp(sheet)["data"]
    assert rep["contacts_created"] == 2
    assert rep["errors"] == [
        f"Row 2: phone '{TOO_LONG[0]}' is not a phone number: kept as an extra field",
        f"Row 3: phone '{TOO_LONG[1]}' is not a phone number: kept as an extra field",
    ]
    got = people(db)
    assert got["Mei Shaw"]["phones"] == ["+44 20 7946 0000"]
    assert got["Ray Ode"]["phones"] == []
    for name, number in (("Mei Shaw", TOO_LONG[0]), ("Ray Ode", TOO_LONG[1])):
        assert {"kind": "note", "label": "tel", "value": number}.items() <= next(
            f for f in got[name]["fields"] if f["value"] == number
        ).items()
