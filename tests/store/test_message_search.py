"""A search by a message's words finds the contact that holds the message now [contact-search], through every
way a message changes hands or text, whether its matches are ranked all at once or tier by tier."""

from __future__ import annotations

import pytest

from pcrm.store.backup import integrity
from pcrm.store.db import connect


@pytest.mark.parametrize("cap", [1000, 1], ids=["ranked", "tier by tier"])
def test_a_message_is_found_under_whoever_holds_it(crm, monkeypatch, cap) -> None:
    from pcrm.store import contact_query

    monkeypatch.setattr(contact_query, "COUNT_CAP", cap)
    ada = crm.add("Ada Lovelace")["id"]
    king = crm.add("Augusta King")["id"]
    note = crm.cli.json("note", "add", ada, "the orrery blueprint")["data"]["id"]
    crm.cli.json("note", "add", king, "orrery gears, second batch")

    assert crm.names("--search", "blueprint") == ["Ada Lovelace"]
    assert sorted(crm.names("--search", "orrery")) == ["Ada Lovelace", "Augusta King"]

    merged = crm.cli.json("contacts", "merge", ada, king)["data"]  # both messages now on one contact
    survivor = merged["full_name"]
    assert crm.names("--search", "blueprint") == [survivor]
    assert crm.names("--search", "orrery") == [survivor]

    crm.cli.json("contacts", "unmerge", merged["merge_id"])  # and back where they were
    assert crm.names("--search", "blueprint") == ["Ada Lovelace"]
    assert sorted(crm.names("--search", "orrery")) == ["Ada Lovelace", "Augusta King"]

    crm.cli.json("note", "edit", note, "the difference engine")  # new text in, old text out
    assert crm.names("--search", "blueprint") == []
    assert crm.names("--search", "difference") == ["Ada Lovelace"]
    crm.cli.json("note", "rm", note, "--yes")
    assert crm.names("--search", "difference") == []

    crm.cli("contacts", "rm", king, "--yes")  # its messages go with it
    assert crm.names("--search", "orrery") == []
    conn = connect(crm.db)
    try:
        assert integrity(conn) == []
    finally:
        conn.close()
