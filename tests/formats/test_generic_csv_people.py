"""Person files through the generic CSV [csv-imports]: FEBRL's columns and the common variants,
addresses to an ADR field and `location`, dates in several forms, unknown columns kept."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

from pcrm.domain.records import Me
from pcrm.formats import generic_csv
from pcrm.formats.base import Input, Options
from tests.support.store import people

FEBRL = (
    "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, "
    "date_of_birth, soc_sec_id\n"
    "rec-223-org, , waller, 6, tullaroop street, willaroo, st james, 4011, wa, 19081209, 6988048\n"
    "rec-122-org, lachlan, berry, 69, giblin street, killarney, bittern, 4814, qld, 19990219, 7364009\n"
    "rec-373-dup-0, deakin, sondergeld, 48, goldfinch circuit, kooltuo, canterbury, 2776, vic, 19600231,\n"
)


def parse(text: str, name: str = "people.csv") -> Any:
    return generic_csv.parse(Input(text.encode(), name), Options(tz=UTC, me=Me()))


def test_febrl_columns_become_names_an_address_a_location_and_a_birthday() -> None:
    out = parse(FEBRL)
    waller, berry, deakin = (c for c in out.contacts)
    assert waller.data["family_name"] == "waller" and waller.data["given_name"] is None
    assert berry.data["birthday"] == "1999-02-19" and berry.data["location"] == "bittern, qld"
    assert {"kind": "address", "label": None, "value": ";killarney;69 giblin street;bittern;qld;4814;"} in (
        berry.fields
    )
    # the columns pcrm does not know are kept, as the vCard lines an export writes back
    assert {"kind": "x", "label": None, "value": "X-REC-ID:rec-122-org"} in berry.fields
    assert {"kind": "x", "label": None, "value": "X-SOC-SEC-ID:7364009"} in berry.fields
    # Feb 31 is not a date: the row carries it in pcrm's form and validation reports it as a row error
    assert deakin.data["birthday"] == "1960-02-31"
    # ... and the report names them, with the way to read one as a field
    assert out.errors == [
        (
            "columns not recognised, kept on each contact as extra fields: rec_id, soc_sec_id; "
            "read one as a field with --map 'COLUMN=field'"
        )
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("19081209", "1908-12-09"),
        ("1908-12-09", "1908-12-09"),
        ("1908/12/9", "1908-12-09"),
        ("09/12/1908", "1908-12-09"),
        ("31.12.1999", "1999-12-31"),
        ("--12-08", "12-08"),
        ("12-08", "12-08"),
        ("19560231", None),
        ("1980", None),
        ("soon", None),
    ],
)
def test_dates_in_the_forms_people_write(value: str, expected: str | None) -> None:
    assert generic_csv.read_date(value) == expected


def test_slashed_dates_are_day_first_unless_a_row_can_only_be_month_first() -> None:
    assert generic_csv.month_first(["05/13/1980", "01/02/1990"])
    assert not generic_csv.month_first(["13/05/1980", "01/02/1990"])
    assert not generic_csv.month_first(["13/05/1980", "05/13/1980"])  # both seen: day first
    us = parse("first_name,last_name,dob\nAda,King,05/13/1980\nBob,Ray,01/02/1990\n").contacts
    assert [c.data["birthday"] for c in us] == ["1980-05-13", "1990-01-02"]


def test_variant_columns_street_city_zip() -> None:
    out = parse(
        "First Name,Last Name,Street,City,Zip,Country,Birth Date,Favourite Colour\n"
        "Ada,Lovelace,12 St James Square,London,SW1Y 4JH,UK,1815-12-10,green\n"
    )
    (ada,) = out.contacts
    assert ada.data["location"] == "London, UK" and ada.data["birthday"] == "1815-12-10"
    assert {
        "kind": "address",
        "label": None,
        "value": ";;12 St James Square;London;;SW1Y 4JH;UK",
    } in ada.fields
    assert {"kind": "x", "label": None, "value": "X-FAVOURITE-COLOUR:green"} in ada.fields


def test_a_location_column_wins_over_the_address_town() -> None:
    (row,) = parse("name,city,location\nAda Lovelace,London,Marylebone\n").contacts
    assert row.data["location"] == "Marylebone"


def test_import_of_a_person_file_end_to_end(imp: Any, tmp_path: Path, db: Path) -> None:
    f = tmp_path / "febrl.csv"
    f.write_text(FEBRL, encoding="utf-8")
    rep = imp(f)["data"]
    assert rep["contacts_created"] == 3
    # a date that is no real day is a row error, not a crash: kept as the cell has it, the rest of the row
    # imports [kept-birthdays]
    assert rep["errors"][0] == (
        "Row 4: birthday '19600231' is not a real date: kept as an extra field, as text; the birthday is "
        "left empty"
    )
    assert rep["errors"][1].startswith("columns not recognised") and len(rep["errors"]) == 2
    p = people(db)
    berry = p["lachlan berry"]
    assert berry["birthday"] == "1999-02-19" and berry["location"] == "bittern, qld"
    kinds = {(f["kind"], f["value"]) for f in berry["fields"]}
    assert ("address", ";killarney;69 giblin street;bittern;qld;4814;") in kinds
    assert ("x", "X-REC-ID:rec-122-org") in kinds
    assert p["deakin sondergeld"]["birthday"] is None
    assert {"kind": "birthday", "label": None, "value": "19600231"} in [
        {k: f[k] for k in ("kind", "label", "value")} for f in p["deakin sondergeld"]["fields"]
    ]
    # a rerun changes nothing (the kept columns are not added twice)
    again = imp(f)["data"]
    assert again["contacts_created"] == 0 and again["contacts_updated"] == 0


def test_an_empty_location_cell_takes_the_address_town() -> None:
    rows = parse("name,city,location\nAda Lovelace,London,\nAlan Turing,Wilmslow,Manchester\n").contacts
    assert [r.data["location"] for r in rows] == ["London", "Manchester"]
