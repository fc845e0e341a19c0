"""An e-mail value written as a mail program shows it or as a link is its address [not-an-address]: 'Ada
Lovelace <ada@example.com>', '"Lovelace, Ada" <ada@x.org>' and 'mailto:ada@x.org' were kept aside as values
that are no address, while the me setting and contact references read the same forms."""

from __future__ import annotations

from typing import Any


def test_an_address_written_with_a_name_or_as_a_link_is_read_on_import(imp, cli, store, tmp_path):
    cli("contacts", "add", "--name", "Grace Hopper", "--email", "grace@navy.example")
    f = tmp_path / "people.csv"
    f.write_text(
        "full_name,email,company\n"
        "Ada Lovelace,Ada Lovelace <ADA@example.com>,Analytical\n"  # the name beside it is the row's own
        ',"""Lovelace, Byron"" <byron@x.org>; mailto:b.lovelace@x.org?subject=hi",Poetry\n'  # no name
        "Charles Babbage,Chuck <charles@x.org>,\n"  # the mail program's name is not kept
        ",Grace <grace@navy.example>,Navy\n"  # her address: her contact, whatever the name says
        "Cy Nope,n/a,\n"  # still no address: kept aside, as before
        ",Nobody <nope>,\n",  # nothing else: a row with no name, email, phone or handle
        encoding="utf-8",
    )
    rep = imp(f, ok=None)["data"]
    assert rep["errors"] == [
        "Row 6: email 'n/a' is not an email address: kept as an extra field, X-PCRM-EMAIL",
        "Row 7: email 'Nobody <nope>' is not an email address: kept as an extra field, X-PCRM-EMAIL",
        "Row 7: no name, email, phone or handle; row skipped",
    ]
    assert (rep["contacts_created"], rep["contacts_updated"]) == (4, 1)
    assert store.q(
        "SELECT c.full_name, group_concat(e.email, ' ') FROM contacts c LEFT JOIN "
        "(SELECT * FROM contact_emails ORDER BY id) e ON e.contact_id = c.id GROUP BY c.id ORDER BY c.id"
    ) == [
        ("Grace Hopper", "grace@navy.example"),
        ("Ada Lovelace", "ada@example.com"),
        ("Byron Lovelace", "byron@x.org b.lovelace@x.org"),
        ("Charles Babbage", "charles@x.org"),
        ("Cy Nope", None),
    ]
    # the name the row gave Grace's address is part of her name: nothing to keep aside
    assert store.q("SELECT kind, value FROM contact_fields ORDER BY id") == [("x", "X-PCRM-EMAIL:n/a")]
    assert store.q("SELECT company FROM contacts WHERE full_name = 'Grace Hopper'") == [("Navy",)]


def test_a_labelled_address_written_with_a_name_keeps_its_label(imp, store, tmp_path):
    """A Google CSV's labelled e-mail value: the label goes with the address read out of it."""
    f = tmp_path / "google.csv"
    f.write_text(
        "Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value\n"
        "Ada Lovelace,Ada,Lovelace,* Work,Ada Lovelace <ada@example.com> ::: mailto:ada@home.example\n",
        encoding="utf-8",
    )
    rep: Any = imp(f, "--format", "google-csv")["data"]
    assert rep["errors"] == [] and rep["contacts_created"] == 1
    assert store.q("SELECT email FROM contact_emails ORDER BY id") == [
        ("ada@example.com",),
        ("ada@home.example",),
    ]
    assert store.q("SELECT kind, label, value FROM contact_fields ORDER BY id") == [
        ("email", "work", "ada@example.com"),
        ("email", "work", "ada@home.example"),
    ]


def test_a_name_that_is_part_of_the_contacts_name_adds_nothing(imp, cli, store, tmp_path):
    """A nameless row 'Grace <grace@x.org>' matching Grace Hopper by her address left 'Grace' as another of
    her names (a nickname 'contacts show' lists as 'also known as'), and so did a later row of the same file
    for a contact the file creates: a name that is some of the words of the contact's name says nothing new.
    A name that is not (an initial, another word, another order of all the words) is still kept aside."""
    cli("contacts", "add", "--name", "Grace Hopper", "--email", "grace@x.org")
    f = tmp_path / "people.csv"
    f.write_text(
        "full_name,email\n"
        ",Grace <grace@x.org>\n"
        ",hopper <GRACE@x.org>\n"
        "Ada King Lovelace,ada@x.org\n"
        ",Ada Lovelace <ada@x.org>\n"  # a later row of a contact this file creates
        ",G. Hopper <grace@x.org>\n",  # not a part of her name: kept aside as before
        encoding="utf-8",
    )
    rep = imp(f)["data"]
    assert (rep["contacts_created"], rep["contacts_updated"], rep["values_kept"]) == (1, 1, 1), rep
    assert store.q(
        "SELECT c.full_name, f.kind, f.value FROM contact_fields f JOIN contacts c ON c.id = f.contact_id"
    ) == [("Grace Hopper", "nickname", "G. Hopper")]
    said = cli("contacts", "show", "ada@x.org").stdout
    assert "Ada King Lovelace" in said and "also known as" not in said
    again = imp(f)["data"]
    assert (again["contacts_created"], again["contacts_updated"], again["batch_id"]) == (0, 0, None)
