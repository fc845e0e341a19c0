"""[deterministic-merges] / [automatic-backups]: an import that creates contacts runs the deterministic
identity pass (backup first when it
merges), and an import whose contacts were merged since cannot be undone until the merge is."""

from __future__ import annotations

from pathlib import Path

NOW = "2026-06-01T12:00:00Z"


def test_import_merges_a_new_contact_whose_email_is_in_notes_and_undo_waits_for_unmerge(
    cli, tmp_path: Path, pcrm_home: Path
) -> None:
    # the importer cannot match her (no shared email, phone or handle); tier 1 finds the email in notes
    cli("contacts", "add", "--name", "Grace Hopper", "--notes", "new address: grace@navy.mil", "--now", NOW)
    f = tmp_path / "people.csv"
    f.write_text(
        "Name,Email\nGrace B. Hopper,grace@navy.mil\nAlan Turing,alan@bletchley.uk\n", encoding="utf-8"
    )
    out = cli.json("import", str(f), "--now", NOW)
    assert out["data"]["contacts_created"] == 2
    identity = out["meta"]["identity"]
    assert identity["auto_merged"] == 1 and len(identity["merge_ids"]) == 1
    people = cli.json("contacts", "list", "--now", NOW)["data"]
    assert len(people) == 2
    grace = next(p for p in people if p["full_name"] != "Alan Turing")  # the richer record survives
    assert grace["emails"] == ["grace@navy.mil"] and "grace@navy.mil" in grace["notes"]
    assert list((pcrm_home / "backups").glob("*.db")), (
        "a merging pass takes a backup first [automatic-backups]"
    )

    batch = out["data"]["batch_id"]
    refused = cli.json("import", "undo", batch, "--yes", ok=False)
    assert refused["error"]["code"] == "conflict"
    assert identity["merge_ids"][0] in refused["error"]["details"]["merge_ids"]

    cli("contacts", "unmerge", identity["merge_ids"][0], "--now", NOW)
    cli("import", "undo", batch, "--yes", "--now", NOW)
    names = [p["full_name"] for p in cli.json("contacts", "list", "--now", NOW)["data"]]
    assert names == ["Grace Hopper"]
    restored = cli.json("contacts", "show", "Grace Hopper")["data"]
    assert restored["emails"] == [] and restored["notes"] == "new address: grace@navy.mil"


def test_an_import_that_creates_nobody_runs_no_identity_pass(cli, tmp_path: Path) -> None:
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.com")
    f = tmp_path / "again.csv"
    f.write_text("Name,Email\nAda Lovelace,ada@example.com\n", encoding="utf-8")
    out = cli.json("import", str(f))
    assert out["data"]["contacts_created"] == 0
    assert "identity" not in out["meta"]
