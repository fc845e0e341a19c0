"""A contact reference written as a mail program shows an address ("Lynn Khan <lynn.khan@fastmail.com>")
or as a mailto:/tel: link names the contact holding that address, in every command taking a contact
[contact-references]: `pcrm contacts show "Lynn Khan <lynn.khan@fastmail.com>"` matched nobody while
`pcrm contacts search` unwrapped both forms. The address decides: the name written with it is no second key
that could pick another person."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.crm import Crm


@pytest.fixture
def lynn(crm: Crm) -> dict[str, Any]:
    crm.add("Grace Hopper", "--email", "grace@navy.example")
    return crm.add("Lynn Khan", "--email", "lynn.khan@fastmail.com", "--phone", "+44 20 7946 0958")


@pytest.mark.parametrize(
    "ref",
    [
        "Lynn Khan <lynn.khan@fastmail.com>",
        '"Khan, Lynn" <Lynn.Khan@FastMail.com>',
        "<lynn.khan@fastmail.com>",
        "mailto:lynn.khan@fastmail.com",
        "MAILTO:Lynn.Khan@fastmail.com",
        "Lynn <mailto:lynn.khan@fastmail.com>",
        "tel:+44 20 7946 0958",
        "tel:+442079460958",
    ],
)
def test_an_address_written_as_a_mail_program_or_a_link_names_its_contact(
    crm: Crm, lynn: dict[str, Any], ref: str
) -> None:
    assert crm.show(ref)["id"] == lynn["id"]
    # every command taking a contact reads it so: a note, an edit
    crm.cli.json("note", "add", ref, "met at the conference")
    assert crm.sql("SELECT count(*) FROM interactions")[0][0] == 1
    assert crm.cli.json("contacts", "edit", ref, "--title", "CTO")["data"]["title"] == "CTO"


def test_the_address_decides_not_the_name_written_with_it(crm: Crm, lynn: dict[str, Any]) -> None:
    # another person's name before Lynn's address: Lynn, whose address it is
    assert crm.show("Grace Hopper <lynn.khan@fastmail.com>")["id"] == lynn["id"]
    # Lynn's name before an address nobody holds: nobody, not Lynn by her name
    err = crm.rejects(
        "contacts",
        "show",
        "Lynn Khan <lynn@elsewhere.example>",
        code="not_found",
        says="lynn@elsewhere.example",
    )
    assert "contacts search" in err["hint"]
    crm.rejects("note", "add", "mailto:nobody@example.com", "hi", code="not_found", says="nobody@example.com")
    crm.rejects("contacts", "show", "tel:+1 202 555 0100", code="not_found", says="+12025550100")


def test_an_address_two_contacts_hold_lists_both(crm: Crm, lynn: dict[str, Any]) -> None:
    other = crm.add("Lynn Khan", "--phone", "+44 20 7946 0958", "--email", "lk@work.example")
    err = crm.rejects(
        "contacts", "show", "tel:+44 20 7946 0958", code="bad_request", says="matches 2 contacts"
    )
    assert {c["id"] for c in err["details"]["candidates"]} == {lynn["id"], other["id"]}
