"""A value the user took off a contact by hand is no reason on its own to join a record to that contact
[protected-fields]: a record with no name of its own (none, or only the value written as one) that brings a
removed email or phone is a new contact; a record whose own name agrees still joins, but adds no account id
through that value. End to end through the CLI on the shared fixture files."""

from __future__ import annotations

from pathlib import Path

import pytest

GOOGLE = "google_csv/rolomind__google_new_layout_subset.csv"


@pytest.mark.parametrize(
    "row",
    [
        "emails,phones\nbob@startup.com,+1-555-9999\n",
        "full_name,emails,phones\nbob@startup.com,bob@startup.com,+1-555-9999\n",
        "full_name,emails,phones\nbob,bob@startup.com,+1-555-9999\n",
    ],
)
def test_a_row_named_by_nothing_but_a_removed_email_joins_nobody(cli, imp, corpus, tmp_path, row):
    imp(corpus / GOOGLE)
    cli("contacts", "edit", "Bob Wilson", "--rm-email", "bob@startup.com")
    f = tmp_path / "f.csv"
    f.write_text(row)
    rep = imp(f)["data"]
    assert (rep["contacts_created"], rep["contacts_updated"]) == (1, 0), rep
    bob = cli.json("contacts", "show", "Bob Wilson")["data"]
    assert "+15559999" not in {p["normalized"] for p in bob["phones"]}
    assert "bob@startup.com" not in {e["email"] for e in bob["emails"]}


def test_a_chat_with_a_number_removed_from_john_is_not_johns(cli, imp, corpus, tmp_path: Path):
    imp(corpus / GOOGLE)
    cli("settings", "set", "me", "Pat Me, pat@me.example")
    cli("contacts", "edit", "John Doe", "--rm-phone", "+1-555-0123")  # the plumber's number, not John's
    chat = tmp_path / "WhatsApp Chat with +1 555-0123.txt"
    chat.write_text("12/01/25, 10:00 - +1 555-0123: hi, this is the plumber\n12/01/25, 10:05 - Pat Me: ok\n")
    rep = imp(chat)["data"]
    assert (rep["contacts_created"], rep["contacts_updated"]) == (1, 0), rep
    john = cli.json("contacts", "show", "John Doe")["data"]
    assert john["whatsapp_phone"] is None
    assert "+15550123" not in {p["normalized"] for p in john["phones"]}
    assert cli.json("interactions", "list", "John Doe")["data"] == []


def test_a_row_of_the_same_name_joins_but_adds_no_account_id(cli, imp, corpus, tmp_path: Path):
    imp(corpus / GOOGLE)
    cli("contacts", "edit", "John Doe", "--rm-phone", "+1-555-0123")
    f = tmp_path / "f.csv"
    f.write_text("full_name,phones,telegram\nJohn Doe,+1-555-0123,johnny_plumber\n")
    rep = imp(f)["data"]
    assert (rep["contacts_created"], rep["values_removed"]) == (0, 1), rep
    john = cli.json("contacts", "show", "John Doe")["data"]
    assert john["telegram_username"] is None
    assert "+15550123" not in {p["normalized"] for p in john["phones"]}
