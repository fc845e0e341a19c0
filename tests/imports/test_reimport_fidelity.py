"""Importing a file again converges [import-matching]: an address a store holds in an older shape is held,
not added twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pcrm.services.context import open_context
from pcrm.store import imports as istore

# what older code kept of the legacy Google CSV's two addresses: the `Formatted` cell, labelled as written
OLD_ADDRESSES = [
    {
        "kind": "address",
        "label": "Home",
        "value": "home_street\nhome_pobox\nhome_city, home_state home_zip\nhome_country",
    },
    {"kind": "address", "label": "Work", "value": "work_street\nwork_city  work_zip\nwork_country"},
]


def _addresses(store: Any) -> list[tuple[str, str]]:
    return store.q("SELECT label, value FROM contact_fields WHERE kind = 'address' ORDER BY id")


def _as_older_code_kept_them(store: Any) -> None:
    """Replace the contact's address rows by the flat, capitalised ones an older import wrote."""
    (cid,) = store.q("SELECT id FROM contacts")[0]
    with open_context() as ctx:
        ctx.conn.execute("DELETE FROM contact_fields WHERE kind = 'address'")
        istore.append_fields(ctx.conn, cid, OLD_ADDRESSES)


def test_a_google_csv_reimported_into_a_store_of_older_code_adds_no_address(imp, store, corpus: Path):
    legacy = corpus / "google_csv/roundcube__gmail_legacy.csv"
    assert imp(legacy)["data"]["contacts_created"] == 1
    _as_older_code_kept_them(store)
    before = _addresses(store)
    again = imp(legacy)["data"]
    assert (again["contacts_updated"], again["contacts_skipped"], again["batch_id"]) == (0, 1, None)
    assert _addresses(store) == before


def test_an_address_in_parts_is_the_one_held_as_one_cell(imp, store, corpus: Path, tmp_path: Path):
    parts = tmp_path / "parts.csv"
    parts.write_text(
        "First Name,Last Name,E-mail 1 - Value,Address 1 - Label,Address 1 - Street,Address 1 - City,"
        "Address 1 - Region\nJohn,Doe,john@example.com,work,123  Main St,San Francisco,ca\n"
    )
    imp(parts)
    imp(corpus / "google_csv/rolomind__google_new_layout_subset.csv")  # John's as "123 Main St, San ..., CA"
    john = store.q("SELECT value FROM contact_fields WHERE kind = 'address' AND contact_id = 1")
    assert john == [(";;123  Main St;San Francisco;ca;;",)]
    assert len(_addresses(store)) == 3  # and Jane's and Alice's


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("12 Main St Apt 3, Springfield", "3 Main St Apt 12, Springfield"),
        ("100 N 200 E, Salt Lake City", "100 E 200 N, Salt Lake City"),  # a grid: two corners
        ("5 North Street, South Town", "5 South Street, North Town"),
    ],
)
def test_addresses_of_the_same_words_in_another_order_are_both_kept(
    imp, store, tmp_path: Path, one: str, other: str
):
    head = "First Name,Last Name,E-mail 1 - Value,Address 1 - Label,Address 1 - Formatted\n"
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(head + f'John,Doe,john@example.com,home,"{one}"\n')
    second.write_text(head + f'John,Doe,john@example.com,home,"{other}"\n')
    imp(first)
    assert imp(second)["data"]["contacts_updated"] == 1
    # the same words in another order are another place: kept, never folded into the first
    assert sorted(v for _label, v in _addresses(store)) == sorted(
        ";;" + a.replace(",", "\\,") + ";;;;" for a in (one, other)
    )


# ------------------------------------------------------------ rows folded into a contact the file created


def test_a_row_enriching_a_contact_made_earlier_in_the_file_is_counted_folded(imp, cli, tmp_path: Path):
    rows = tmp_path / "people.csv"
    rows.write_text(
        "full_name,email,phone\nAda King,ada@x.test,\nBo Lin,bo@x.test,\nAda King,ada@x.test,+442071234567\n"
    )
    rep = imp(rows)["data"]
    counts = ("contacts_created", "contacts_folded", "contacts_updated", "contacts_skipped")
    assert tuple(rep[k] for k in counts) == (2, 1, 0, 0)
    again = imp(rows)["data"]  # every row now finds a contact the store held before: Ada's two, one
    assert tuple(again[k] for k in counts) == (0, 0, 0, 2)
    rows.write_text(rows.read_text() + "Cy Ng,cy@x.test,\nCy Ng,cy@x.test,+442079876543\n")
    line = cli("import", str(rows)).stdout
    assert "1 new contact, 1 row folded into new ones, 0 updated, 2 unchanged" in line


def test_a_row_folded_into_a_contact_of_an_earlier_batch_is_counted_folded(imp, tmp_path: Path):
    rows = tmp_path / "many.csv"
    people = "".join(f"Person {i},p{i}@x.test,\n" for i in range(2100))  # more than one streamed batch
    rows.write_text(f"full_name,email,phone\n{people}Person 0,p0@x.test,+442071234567\n")
    rep = imp(rows)["data"]
    assert (rep["contacts_created"], rep["contacts_folded"], rep["contacts_skipped"]) == (2100, 1, 0)
