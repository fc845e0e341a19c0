"""A file pcrm exported, imported back into the store that wrote it, changes nothing [own-exports]: each row
or card names its contact by id, namesakes known by nothing but their name included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

EXPORTS = [("csv", ()), ("vcard", ()), ("vcard", ("--version", "4.0"))]


def _people(cli: Any, imp: Any, corpus: Path) -> None:
    """Two namesakes known by their name alone (a chat's group members and a card), a chat's contact
    known by its messages, and contacts with emails."""
    cli("settings", "set", "me", '{"names": ["Ash Ketchum"]}')
    imp(corpus / "whatsapp/whatstk__pokemon.txt")  # 2nd-tier members, nothing but a name
    imp(corpus / "telegram/langchain__telegram_old_format.json")  # Grace, with her messages
    imp(corpus / "linkedin/tekjobs__Connections.csv")
    cli("contacts", "add", "--name", "Misty")  # a namesake of a group member
    cli("contacts", "add", "--name", "Grace 🧤")


def _snapshot(store: Any) -> list[Any]:
    return [
        store.q("SELECT uuid, full_name, updated_at FROM contacts ORDER BY id"),
        store.q("SELECT contact_id, kind, label, value FROM contact_fields ORDER BY id"),
    ]


@pytest.mark.parametrize(("kind", "args"), EXPORTS)
def test_an_export_imported_back_changes_nothing(kind, args, cli, imp, store, corpus, tmp_path):
    _people(cli, imp, corpus)
    out = tmp_path / f"export.{kind}"
    cli("export", kind, *args, "--output", str(out))
    before = _snapshot(store)
    for _ in range(2):
        rep = imp(out)["data"]
        # the CSV's id and created_at were kept on every contact as X-ID and X-CREATED-AT (every row
        # 'updated'), and each namesake known by name alone got a new contact on every run
        assert (rep["contacts_created"], rep["contacts_updated"], rep["batch_id"]) == (0, 0, None)
        assert rep["contacts_skipped"] == len(before[0])
        assert _snapshot(store) == before


def test_an_edited_export_updates_the_contact_its_id_names(cli, imp, store, tmp_path):
    cli("contacts", "add", "--name", "Misty")
    cli("contacts", "add", "--name", "Misty")
    out = tmp_path / "export.csv"
    cli("export", "csv", "--output", str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    second = lines[2].split(",")
    second[7] = "Gym Leader"  # the title of the second Misty
    out.write_text("\n".join([*lines[:2], ",".join(second)]) + "\n", encoding="utf-8")
    rep = imp(out)["data"]
    assert (rep["contacts_created"], rep["contacts_updated"], rep["contacts_skipped"]) == (0, 1, 1)
    assert store.q("SELECT uuid, title FROM contacts ORDER BY id") == [
        (lines[1].split(",")[0], None),
        (second[0], "Gym Leader"),
    ]
    assert store.q("SELECT count(*) FROM contact_fields") == [(0,)]


def test_another_stores_export_keeps_its_id_and_creation_time(cli, imp, store, tmp_path):
    out = tmp_path / "theirs.csv"
    out.write_text(
        "id,full_name,emails,created_at\n"
        "0d7b1c8e-5a55-4f0e-9a35-0c8f1d1e2a3b,Brock,brock@pewter.example,2025-01-02T03:04:05.000Z\n",
        encoding="utf-8",
    )
    assert imp(out)["data"]["contacts_created"] == 1
    assert store.q("SELECT kind, value FROM contact_fields ORDER BY id") == [
        ("x", "X-ID:0d7b1c8e-5a55-4f0e-9a35-0c8f1d1e2a3b"),
        ("x", "X-CREATED-AT:2025-01-02T03:04:05.000Z"),
    ]
    again = imp(out)["data"]
    assert (again["contacts_created"], again["contacts_updated"], again["batch_id"]) == (0, 0, None)
