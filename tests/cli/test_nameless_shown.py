"""A contact without a name is shown by its address or number everywhere a name is shown [display-name]:
`pcrm contacts list` named it so, while `pcrm activity recent`, the `pcrm suggestions` rows and replies and
the `pcrm score explain` header still said "(no name)"."""

from __future__ import annotations

from typing import Any

from tests.support.crm import Crm


def test_a_nameless_contact_is_shown_by_its_address_everywhere(crm: Crm) -> None:
    who = crm.add(None, "--email", "solo@example.com", "--priority", "medium")
    crm.history(who["id"], [("email", "inbound", "2026-04-02T10:00:00Z")])
    assert "solo@example.com" in crm.cli("contacts", "list").stdout

    header = crm.cli("score", "explain", who["id"], "--format", "table").stdout.splitlines()[0]
    assert header.startswith("solo@example.com"), header

    crm.cli("suggestions", "generate")
    (s,) = crm.cli.json("suggestions", "list")["data"]
    assert s["contact"]["full_name"] is None and s["contact"]["display_name"] == "solo@example.com"
    rows = crm.cli("suggestions", "list").stdout
    assert "solo@example.com" in rows and "(no name)" not in rows
    said = crm.cli("suggestions", "snooze", s["id"], "--days", "3").stdout
    assert "(solo@example.com)" in said, said

    crm.cli("log", who["id"], "called", "--platform", "call")
    recent = crm.cli("activity", "recent").stdout
    assert "solo@example.com" in recent and "(no name)" not in recent
    item: dict[str, Any] = crm.cli.json("activity", "recent")["data"][0]
    assert item["contact_name"] == "solo@example.com"
