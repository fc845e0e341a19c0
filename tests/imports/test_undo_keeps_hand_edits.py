"""[import-undo]: a contact an import created that the user then edited by hand is theirs, whatever the
edit: an email or a phone added, a priority set (one contact or many at once), not only the protected
fields user_edited_fields records. Undoing the import keeps it, with what the user typed, and says so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.store import people, query

ROWS = {
    "emailed": "Emailed Two",
    "phoned": "Phoned Three",
    "high": "Prio Four",
    "archived": "Archived Five",
    "bulk": "Bulk Six",
    "untouched": "Untouched Seven",
}


def _import(imp: Any, tmp_path: Path) -> str:
    f = tmp_path / "people.csv"
    f.write_text(
        "full_name,email\n" + "".join(f"{name},{key}@undo.test\n" for key, name in ROWS.items()),
        encoding="utf-8",
    )
    return str(imp(f)["data"]["batch_id"])


def test_undo_keeps_created_contacts_whose_emails_phones_or_priority_the_user_changed(
    cli: Any, imp: Any, tmp_path: Path, db: Path
) -> None:
    batch = _import(imp, tmp_path)
    cli("contacts", "edit", "emailed@undo.test", "--add-email", "mine@home.test")
    cli("contacts", "edit", "phoned@undo.test", "--add-phone", "+1 202 555 0188")
    cli("contacts", "edit", "high@undo.test", "--priority", "high")
    cli("contacts", "edit", "archived@undo.test", "--priority", "archived")
    cli("contacts", "bulk-update", "bulk@undo.test", "--priority", "low")

    dry = cli.json("import", "undo", batch, "--dry-run")["data"]
    res = cli.json("import", "undo", batch, "--yes")["data"]

    kept = {ROWS[k] for k in ("emailed", "phoned", "high", "archived", "bulk")}
    for d in (dry, res):
        assert {k["full_name"]: k["why"] for k in d["kept_contacts"]} == {n: ["edited since"] for n in kept}
        assert d["removed_names"] == ["Untouched Seven"]
    left = people(db)
    assert set(left) == kept
    assert left["Emailed Two"]["emails"] == ["emailed@undo.test", "mine@home.test"]
    assert left["Phoned Three"]["phones"] == ["+1 202 555 0188"]
    assert left["Prio Four"]["priority_level"] == "high"
    assert left["Archived Five"]["priority_level"] == "archived"
    assert left["Bulk Six"]["priority_level"] == "low"
    assert query(db, "SELECT count(*) FROM contacts WHERE import_batch_id IS NOT NULL") == [(0,)]


def test_an_edit_after_the_undo_or_of_a_contact_no_import_made_touches_no_batch(
    cli: Any, imp: Any, tmp_path: Path, db: Path
) -> None:
    batch = _import(imp, tmp_path)
    mine = cli.json("contacts", "add", "--name", "Own Person", "--email", "own@me.test")["data"]["id"]
    cli("contacts", "edit", mine, "--priority", "high")
    journal = query(db, "SELECT changes FROM import_batches")
    cli("import", "undo", batch, "--yes")
    assert query(db, "SELECT full_name FROM contacts") == [("Own Person",)]
    undone = query(db, "SELECT changes FROM import_batches")
    assert undone == journal and "edited_since" not in undone[0][0]


def test_undo_keeps_the_tags_the_user_set_by_hand_after_the_import(
    cli: Any, imp: Any, tmp_path: Path, db: Path
) -> None:
    """[protected-fields]: an import adds no tag to a contact whose tags the user has set by hand, so tags
    named in user_edited_fields at the undo were set after the import, and are the user's. The undo
    removed an imported tag the user had typed again (`contacts edit X --tag family --tag vip`)."""
    cli("contacts", "add", "--name", "Ann Lee", "--email", "ann@undo.test", "--tag", "friend")
    cli("contacts", "add", "--name", "Bob Ray", "--email", "bob@undo.test", "--tag", "friend")
    f = tmp_path / "tags.csv"
    f.write_text("full_name,email,tags\nAnn Lee,ann@undo.test,family\nBob Ray,bob@undo.test,family\n")
    batch = str(imp(f)["data"]["batch_id"])
    assert {n: p["tags"] for n, p in people(db).items()} == {
        "Ann Lee": ["friend", "family"],
        "Bob Ray": ["friend", "family"],
    }
    cli("contacts", "edit", "ann@undo.test", "--tag", "family", "--tag", "vip")

    dry = cli.json("import", "undo", batch, "--dry-run")["data"]
    human = cli("import", "undo", batch, "--yes")

    ann = people(db)["Ann Lee"]
    assert ann["tags"] == ["family", "vip"]  # what the user typed
    assert dry["kept_later_edits"] == [f"{ann['id'][:8]}.tags"]
    assert "kept 1 value changed after the import" in human.stderr
    assert people(db)["Bob Ray"]["tags"] == ["friend"]  # untouched by hand: the import's tag goes
