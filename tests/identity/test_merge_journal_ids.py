"""An unmerge puts back what the merge moved, named by public ids [reversible-merges] [public-ids]: the
merged contact's own messages (not whichever rows now hold their old rowids) and its organization, in the
same store and in one restored from a JSON export, whose tables are numbered anew."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.crm import Crm


def _timeline(cli: Any, who: str) -> list[str]:
    items = cli.json("interactions", "list", who, "--limit", "100")["data"]
    return sorted(i["content_preview"] for i in items)


def _log(cli: Any, who: str, day: str, text: str) -> str:
    at = f"2026-{day}T10:00"
    return cli.json("log", who, text, "--platform", "call", "--direction", "inbound", "--at", at)["data"][
        "id"
    ]


def test_a_note_written_on_the_survivor_after_the_merge_stays_on_it(crm: Crm) -> None:
    """The merged contact's last note is deleted after the merge and a new note written on the survivor:
    SQLite gives the new note the freed rowid, which the journal named; it stays with the survivor."""
    cli = crm.cli
    ann = crm.add("Ann Reuse", "--email", "ann@reuse.test")["id"]
    ben = crm.add("Ben Reuse", "--email", "ben@reuse.test")["id"]
    _log(cli, ann, "01-10", "ann's call")
    _log(cli, ben, "01-11", "ben's call")
    ben_note = cli.json("note", "add", ben, "ben's note")["data"]["id"]
    merge = cli.json("contacts", "merge", ann, ben)["data"]
    assert merge["id"] == ann and merge["interactions_moved"] == 2
    cli("note", "rm", ben_note, "--yes")
    cli("note", "add", ann, "written on Ann after the merge")

    cli("contacts", "unmerge", merge["merge_id"])

    assert _timeline(cli, ann) == ["ann's call", "written on Ann after the merge"]
    assert _timeline(cli, ben) == ["ben's call"]


def test_an_unmerge_in_a_store_restored_from_json_gives_back_the_right_messages_and_organization(
    crm: Crm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows deleted before the merge (a note, an organization) leave gaps in the rowids; the restore
    numbers the rows without them, so every rowid the journal held names another row there."""
    cli = crm.cli
    crm.add("Gone Person", "--email", "gone@gap.test", "--company", "Gone Org")
    alice = crm.add("Alice Gap", "--email", "alice@gap.test", "--company", "Globex")["id"]
    bob = crm.add("Bob Gap", "--email", "bob@gap.test", "--company", "Initech")["id"]
    gap = [cli.json("note", "add", alice, f"removed {n}")["data"]["id"] for n in range(3)]
    _log(cli, alice, "01-01", "alice before the gap")
    for note in gap:
        cli("note", "rm", note, "--yes")
    said = cli("contacts", "rm", "gone@gap.test", "--yes").stdout  # its organization, made for it, goes along
    assert "removed the organization 'Gone Org'" in said, said
    _log(cli, bob, "02-01", "bob 1")
    _log(cli, bob, "02-02", "bob 2")
    for n in range(6):
        _log(cli, alice, f"03-0{n + 1}", f"alice {n + 1}")
    merge = cli.json("contacts", "merge", alice, bob)["data"]
    assert merge["id"] == alice and merge["interactions_moved"] == 2
    out = tmp_path / "export.json"
    cli("export", "json", "--output", str(out))

    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "restored"))
    cli("import", str(out))
    res = cli.json("contacts", "unmerge", merge["merge_id"])["data"]

    assert res["interactions_returned"] == 2
    assert _timeline(cli, bob) == ["bob 1", "bob 2"]
    assert _timeline(cli, alice) == [*(f"alice {n}" for n in range(1, 7)), "alice before the gap"]
    orgs = {o["name"]: o["id"] for o in cli.json("orgs", "list")["data"]}
    shown = {c: cli.json("contacts", "show", c)["data"] for c in (alice, bob)}
    assert shown[bob]["company"] == "Initech" and shown[bob]["organization_id"] == orgs.get("Initech")
    assert shown[alice]["company"] == "Globex" and shown[alice]["organization_id"] == orgs["Globex"]
