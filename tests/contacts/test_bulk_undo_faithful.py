"""An undo puts a contact back as it was, its updated_at too, and an undo that could put back only part is
said as such [bulk-undo]: `pcrm contacts bulk-undo` gave every contact it put back today's updated_at, so a
contact whose every value was back still read as "updated today"; and an undo that left contacts edited
since alone was listed by `pcrm contacts bulk-updates` as "undone: no", as if nothing had happened, while
its answer said "left 2 others alone" without saying who they were or why."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import V, ok
from tests.support.crm import Crm
from tests.support.undo import undo_id

T1 = "2026-06-16T09:00:00.000Z"
T2 = "2026-06-17T09:00:00.000Z"
T3 = "2026-06-18T09:00:00.000Z"


def _stamps(crm: Crm) -> dict[str, str]:
    return dict(crm.sql("SELECT full_name, updated_at FROM contacts ORDER BY full_name"))


def test_an_undo_gives_back_the_updated_at_of_a_contact_it_puts_back_whole_and_lists_a_partial_undo(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("Ada Lovelace", "Bob Baker", "Cy Young"):
        crm.add(name, "--priority", "medium")
    was = _stamps(crm)
    monkeypatch.setenv("PCRM_NOW", T1)
    said = crm.cli(
        "contacts", "bulk-update", "Ada Lovelace", "Bob Baker", "Cy Young", "--priority", "low"
    ).stdout
    bid = undo_id(said)
    assert set(_stamps(crm).values()) == {T1}
    monkeypatch.setenv("PCRM_NOW", T2)
    crm.cli("contacts", "edit", "Bob Baker", "--priority", "high")  # edited since in what the update changed
    crm.cli(
        "contacts", "edit", "Cy Young", "--notes", "met at the conference"
    )  # edited since in another field
    monkeypatch.setenv("PCRM_NOW", T3)
    said = crm.cli("contacts", "bulk-undo", bid).stdout
    back = _stamps(crm)
    assert back["Ada Lovelace"] == was["Ada Lovelace"]  # every value back, nothing else since: as it was
    assert back["Cy Young"] == T3  # its notes changed since: it is not as it was, the undo changed it now
    assert back["Bob Baker"] == T2  # left alone
    assert said.startswith(
        f"undid bulk update {bid}: put back 2 contacts; 1 contact edited since, left as it is"
    )
    assert crm.show("Ada Lovelace")["priority_level"] == "medium"

    listed = crm.cli.json("contacts", "bulk-updates")["data"][0]
    assert listed["undone"] is False and listed["undone_at"] is None
    assert listed["partly_undone"] is True and listed["partly_undone_at"] == T3
    assert (listed["restored"], listed["left"], listed["contacts"]) == (2, 1, 3)
    assert listed["undo"] == f"pcrm contacts bulk-undo {bid}"
    table = crm.cli("contacts", "bulk-updates", "--format", "csv").stdout
    assert ',3,"partly: 2 restored, 1 left"' in table, table

    # Bob put back by hand as the update left him: the second undo puts him back, and the change is undone
    crm.cli("contacts", "edit", "Bob Baker", "--priority", "low")
    crm.cli("contacts", "bulk-undo", bid)
    listed = crm.cli.json("contacts", "bulk-updates")["data"][0]
    assert listed["undone"] is True and listed["partly_undone"] is False and listed["undone_at"] == T3


def test_contacts_left_alone_are_counted_as_what_they_are_in_the_plural_and_the_dry_run(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("Ada Lovelace", "Bob Baker", "Cy Young"):
        crm.add(name, "--tag", "friend")
    monkeypatch.setenv("PCRM_NOW", T1)
    bid = undo_id(crm.cli("contacts", "bulk-update", "--where", "tag=friend", "--add-tag", "vip").stdout)
    crm.cli("contacts", "untag", "Bob Baker", "vip")
    crm.cli("contacts", "untag", "Cy Young", "vip")
    dry = crm.cli("contacts", "bulk-undo", bid, "--dry-run").stdout
    assert "put back 1 contact; 2 contacts edited since, would be left as they are" in dry, dry
    said = crm.cli("contacts", "bulk-undo", bid).stdout
    assert "put back 1 contact; 2 contacts edited since, left as they are" in said, said
    assert "others alone" not in said


def test_the_api_undo_gives_back_updated_at_and_lists_a_partial_undo(
    api: Any, demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    who = [c["id"] for c in ok(api.get(f"{V}/contacts", params={"page_size": 3}))["data"]]
    before = {c: ok(api.get(f"{V}/contacts/{c}"))["data"] for c in who}
    monkeypatch.setenv("PCRM_NOW", "2030-01-02T09:00:00.000Z")
    body = {"contact_ids": who, "add_tags": ["undo-me"], "priority_level": "low"}
    if all(before[c]["priority_level"] == "low" for c in who):
        body["priority_level"] = "high"
    bid = ok(api.post(f"{V}/contacts/bulk-update", json=body))["data"]["bulk_update_id"]
    monkeypatch.setenv("PCRM_NOW", "2030-01-03T09:00:00.000Z")
    ok(api.put(f"{V}/contacts/{who[0]}", json={"tags": []}))  # edited since: left alone
    monkeypatch.setenv("PCRM_NOW", "2030-01-04T09:00:00.000Z")
    done = ok(api.post(f"{V}/contacts/bulk-updates/{bid}/undo"))
    assert done["data"]["restored"] == 2 and [k["id"] for k in done["data"]["kept"]] == [who[0]]
    for c in who[1:]:
        now = ok(api.get(f"{V}/contacts/{c}"))["data"]
        assert now["updated_at"] == before[c]["updated_at"], c
        assert (now["tags"], now["priority_level"]) == (before[c]["tags"], before[c]["priority_level"])
    listed = next(b for b in ok(api.get(f"{V}/contacts/bulk-updates"))["data"] if b["id"] == bid)
    assert listed["partly_undone"] is True and listed["undone"] is False
    assert (listed["restored"], listed["left"]) == (2, 1)
    assert listed["partly_undone_at"] == "2030-01-04T09:00:00.000Z"
