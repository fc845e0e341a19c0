"""What the user did to an imported contact survives importing the same file again: a chat rejoins its
contact by its messages after a rename or a merge into a contact of another name [import-matching], and a
row whose email a merged contact's survivor holds joins it by the name it is also known by [shared-keys]."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ME = '{"names": ["Sam Vimes"]}'


def _chat(tmp_path: Path) -> Path:
    f = tmp_path / "WhatsApp Chat with Ann Lee.txt"
    lines = [
        f"01/02/2024, 10:0{i} - {'Ann Lee' if i % 2 == 0 else 'Sam Vimes'}: message {i}" for i in range(6)
    ]
    f.write_text("\n".join(lines) + "\n")
    return f


def _people(store: Any) -> list[tuple[str, int]]:
    """(name, interactions) of every contact, oldest first."""
    return store.q(
        "SELECT c.full_name, (SELECT count(*) FROM interactions i WHERE i.contact_id = c.id) "
        "FROM contacts c ORDER BY c.id"
    )


def _counts(rep: dict[str, Any]) -> tuple[int, int, int]:
    return rep["contacts_created"], rep["interactions_created"], rep["pending_review"]


def test_a_chat_rejoins_its_contact_after_a_rename(imp, cli, store, tmp_path):
    cli("settings", "set", "me", ME)
    chat = _chat(tmp_path)
    assert _counts(imp(chat, "--date-order", "dmy")["data"]) == (1, 6, 0)
    cli("contacts", "edit", "Ann Lee", "--name", "Ann Lee-Smith")
    # the chat's name is the one she was renamed away from, not a name to keep aside: nothing changes
    again = imp(chat, "--date-order", "dmy")["data"]
    assert (*_counts(again), again["contacts_skipped"], again["values_kept"]) == (0, 0, 0, 1, 0)
    assert again["batch_id"] is None
    assert _people(store) == [("Ann Lee-Smith", 6)]
    assert store.q("SELECT kind, value FROM contact_fields") == []


def test_a_chat_rejoins_the_contact_it_was_merged_into(imp, cli, store, tmp_path):
    cli("settings", "set", "me", ME)
    chat = _chat(tmp_path)
    imp(chat, "--date-order", "dmy")
    cli("contacts", "add", "--name", "Ann Smith", "--email", "ann@x.test", "--company", "Guild")
    cli("contacts", "merge", "Ann Lee", "ann@x.test")
    assert [name for name, _n in _people(store)] == ["Ann Smith"]
    again = imp(chat, "--date-order", "dmy")["data"]
    assert (*_counts(again), again["contacts_skipped"], again["batch_id"]) == (0, 0, 0, 1, None)
    assert _people(store) == [("Ann Smith", 6)]


def test_a_row_rejoins_the_contact_it_was_merged_into(imp, cli, store, tmp_path):
    rows = tmp_path / "people.csv"
    rows.write_text("full_name,email\nAda King,ada@x.test\n")
    imp(rows)
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "lovelace@x.test", "--company", "Engines")
    cli("contacts", "merge", "Ada King", "Ada Lovelace")
    assert [name for name, _n in _people(store)] == ["Ada Lovelace"]
    again = imp(rows)["data"]
    assert (again["contacts_created"], again["pending_review"], again["contacts_skipped"]) == (0, 0, 1)
    assert [name for name, _n in _people(store)] == ["Ada Lovelace"]


def _linkedin(tmp_path: Path) -> tuple[Path, Path]:
    """A LinkedIn connection and her conversation, both naming her profile address."""
    url = "https://www.linkedin.com/in/sophie-wilson"
    people = tmp_path / "Connections.csv"
    people.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        f"Sophie,Wilson,{url},,Acorn,Chip Designer,01 Feb 2020\n"
    )
    chat = tmp_path / "messages.csv"
    chat.write_text(
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,"
        "CONTENT,FOLDER\n"
        f"c1,,Sophie Wilson,{url},Sam Vimes,,2023-06-01 10:00:00 UTC,,Hello,INBOX\n"
        f"c1,,Sam Vimes,,Sophie Wilson,{url},2023-06-01 11:00:00 UTC,,Hi,INBOX\n"
    )
    return people, chat


def test_a_linkedin_profile_rejoins_its_contact_after_a_rename(imp, cli, store, tmp_path):
    # a profile address names one account: the contact holding it is the person's, whatever the user
    # renamed it to [shared-keys]; its rows and messages are not made a second contact
    cli("settings", "set", "me", ME)
    people, chat = _linkedin(tmp_path)
    imp(people)
    imp(chat)
    cli("contacts", "edit", "Sophie Wilson", "--name", "Grandma Sophie")
    for f in (people, chat):
        again = imp(f)["data"]
        assert (*_counts(again), again["errors"]) == (0, 0, 0, [])
    assert _people(store) == [("Grandma Sophie", 2)]


def test_a_profile_address_another_person_took_up_joins_nobody(imp, cli, store, tmp_path):
    # a vanity profile address is one account's at a time, but its owner may give it up and another take
    # it: on a contact the user did not rename, the names decide, so another person's row is queued
    # beside it, never poured into it [shared-keys]
    cli(
        "contacts",
        "add",
        "--name",
        "Tom Baker",
        "--linkedin",
        "https://www.linkedin.com/in/tbaker",
        "--email",
        "tom@bbc.example",
    )
    people = tmp_path / "Connections.csv"
    people.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Tina,Barnes,https://www.linkedin.com/in/tbaker,,Acme,Engineer,01 Feb 2024\n"
    )
    rep = imp(people)["data"]
    assert (rep["contacts_created"], rep["contacts_updated"], rep["pending_review"]) == (1, 0, 1)
    assert [name for name, _n in _people(store)] == ["Tom Baker", "Tina Barnes"]
    assert store.q("SELECT company, title FROM contacts WHERE full_name = 'Tom Baker'") == [(None, None)]
