"""A file pcrm exported, imported back into the store that wrote it, changes nothing [own-exports]: each row
or card names its contact by id, namesakes known by nothing but their name included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.store import StoreReader

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


BROCK = "id,full_name,emails,created_at\n{uid},Brock,brock@pewter.example,{created}\n"
THEIR_ID = "0d7b1c8e-5a55-4f0e-9a35-0c8f1d1e2a3b"


def test_another_stores_export_restores_its_ids_and_creation_times(cli, imp, store, tmp_path):
    """A store that never knew the id (a restore, a move): the contact the row makes keeps the row's id and
    creation time as its own, so the file imported again, or the store's vCard export, names it."""
    out = tmp_path / "theirs.csv"
    out.write_text(BROCK.format(uid=THEIR_ID, created="2025-01-02T03:04:05.000Z"), encoding="utf-8")
    rep = imp(out)["data"]
    assert rep["contacts_created"] == 1
    # before: a new id, and the row's two cells kept aside as X-ID and X-CREATED-AT fields
    assert store.q("SELECT uuid, created_at FROM contacts") == [(THEIR_ID, "2025-01-02T03:04:05.000Z")]
    assert store.q("SELECT kind, value FROM contact_fields ORDER BY id") == []
    again = imp(out)["data"]
    assert (again["contacts_created"], again["contacts_updated"], again["batch_id"]) == (0, 0, None)
    cli("import", "undo", rep["batch_id"], "--yes")
    assert store.q("SELECT count(*) FROM contacts") == [(0,)]
    assert imp(out)["data"]["contacts_created"] == 1  # undone, the id is free again
    assert store.q("SELECT uuid FROM contacts") == [(THEIR_ID,)]


def test_an_id_the_store_knew_is_not_taken_again(cli, imp, store, tmp_path):
    """An id of a contact merged away since is still the merge journal's (an unmerge brings the contact back
    under it): a row naming it makes a contact of a new id and keeps the two cells aside, as before; so does
    a creation time pcrm never writes."""
    gone = cli.json("contacts", "add", "--name", "Misty", "--email", "misty@cerulean.example")["data"]["id"]
    kept = cli.json("contacts", "add", "--name", "Misty W", "--email", "misty@gym.example")["data"]["id"]
    cli("contacts", "merge", kept, gone)
    out = tmp_path / "theirs.csv"
    out.write_text(BROCK.format(uid=gone, created="yesterday"), encoding="utf-8")
    assert imp(out)["data"]["contacts_created"] == 1
    brock = store.q("SELECT id, uuid FROM contacts WHERE full_name = 'Brock'")[0]
    assert brock[1] not in (gone, kept)
    assert store.q("SELECT kind, value FROM contact_fields WHERE contact_id = ?", (brock[0],)) == [
        ("x", f"X-ID:{gone}"),
        ("x", "X-CREATED-AT:yesterday"),
    ]
    out.write_text(
        f"id,full_name,created_at\n{THEIR_ID},Lt. Surge,2999-01-01T00:00:00.000Z\n", encoding="utf-8"
    )
    assert imp(out)["data"]["contacts_created"] == 1
    assert store.q("SELECT created_at < '2999' FROM contacts WHERE uuid = ?", (THEIR_ID,)) == [(1,)]
    assert store.q(
        "SELECT value FROM contact_fields f JOIN contacts c ON c.id = f.contact_id WHERE c.uuid = ?",
        (THEIR_ID,),
    ) == [("X-CREATED-AT:2999-01-01T00:00:00.000Z",)]


def test_another_stores_card_finds_the_name_only_contact_its_csv_made(cli, imp, store, tmp_path):
    """A move to a new store: the old store's CSV export, then its vCard export (for the photos the CSV
    does not carry). The CSV's row of a person known by nothing but a name keeps the old store's id and
    creation time aside; those say nothing about the person, so the card of that name is still the
    contact's, not a second one."""
    uid = "0d7b1c8e-5a55-4f0e-9a35-0c8f1d1e2a3b"
    rows = tmp_path / "theirs.csv"
    rows.write_text(
        f"id,full_name,created_at\n{uid},Solo Nameonly,2025-01-02T03:04:05.000Z\n", encoding="utf-8"
    )
    card = tmp_path / "theirs.vcf"
    card.write_text(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//pcrm//pcrm 0.1.0//EN\r\nUID:{uid}\r\nN:;;;;\r\n"
        "FN:Solo Nameonly\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    assert imp(rows)["data"]["contacts_created"] == 1
    rep = imp(card)["data"]
    # before: a second Solo Nameonly and a question, since the contact held "more than its name"
    assert (rep["contacts_created"], rep["pending_review"], rep["batch_id"]) == (0, 0, None)
    assert store.q("SELECT full_name FROM contacts") == [("Solo Nameonly",)]


def test_another_stores_name_only_row_joins_no_namesake_on_the_name_alone(cli, imp, store, tmp_path):
    cli("contacts", "add", "--name", "Misty", "--email", "misty@cerulean.example", "--company", "Gym")
    theirs = tmp_path / "theirs.csv"
    theirs.write_text(
        "id,full_name,created_at\n0d7b1c8e-5a55-4f0e-9a35-0c8f1d1e2a3b,Misty,2025-01-02T03:04:05.000Z\n",
        encoding="utf-8",
    )
    rep = imp(theirs)["data"]
    # before: 'updated', the other store's Misty folded into this one by her name alone, as a row without the
    # id and created_at cells never is (it makes a contact of its own)
    assert (rep["contacts_created"], rep["contacts_updated"]) == (1, 0)
    assert store.q("SELECT count(*) FROM contacts")[0][0] == 2
    again = imp(theirs)["data"]
    assert (again["contacts_created"], again["contacts_updated"], again["batch_id"]) == (0, 0, None)


def _rows(path: Path) -> tuple[str, list[list[str]]]:
    head, *rows = path.read_text(encoding="utf-8").splitlines()
    return head, [r.split(",") for r in rows]


def _write(path: Path, head: str, rows: list[list[str]]) -> None:
    path.write_text("\n".join([head, *(",".join(r) for r in rows)]) + "\n", encoding="utf-8")


@pytest.mark.parametrize("first", [False, True], ids=["copy below", "copy above (sorted by name)"])
def test_a_row_copied_to_add_someone_is_someone_new(first, cli, imp, store, tmp_path):
    """A row of the export copied in a spreadsheet to add a person, its id cell left as it was, below the
    original or above it: nothing in the copy is the contact's, so it is matched by its own keys and makes the
    new person (it was folded into the contact the id names, the new person lost)."""
    cli("contacts", "add", "--name", "Niklaus Wirth", "--email", "niklaus@example.com", "--title", "Prof")
    out = tmp_path / "export.csv"
    cli("export", "csv", "--output", str(out))
    head, (row,) = _rows(out)
    cols = head.split(",")
    copy = list(row)
    copy[cols.index("full_name")], copy[cols.index("given_name")], copy[cols.index("family_name")] = (
        "Grace Newperson",
        "Grace",
        "Newperson",
    )
    copy[cols.index("emails")] = "grace@new.example"
    copy[cols.index("title")] = "CTO"
    _write(out, head, [copy, row] if first else [row, copy])
    rep = imp(out, ok=None)["data"]
    assert (rep["contacts_created"], rep["contacts_skipped"]) == (1, 1)
    (problem,) = rep["errors"]
    assert f"Row {2 if first else 3}" in problem and "nothing in it is Niklaus Wirth's" in problem
    assert store.q("SELECT full_name, title FROM contacts ORDER BY id") == [
        ("Niklaus Wirth", "Prof"),
        ("Grace Newperson", "CTO"),
    ]
    assert store.q("SELECT email FROM contact_emails ORDER BY contact_id") == [
        ("niklaus@example.com",),
        ("grace@new.example",),
    ]


@pytest.mark.parametrize("first", [False, True], ids=["copy below", "copy above"])
def test_a_card_copied_with_its_uid_is_someone_new(first, cli, imp, store, tmp_path):
    cli("contacts", "add", "--name", "Niklaus Wirth", "--email", "niklaus@example.com")
    out = tmp_path / "export.vcf"
    cli("export", "vcard", "--output", str(out))
    card = out.read_text(encoding="utf-8")
    copy = card.replace("Niklaus Wirth", "Grace Newperson").replace("Wirth;Niklaus", "Newperson;Grace")
    copy = copy.replace("niklaus@example.com", "grace@new.example")
    assert copy != card and "UID" in copy
    out.write_text(copy + card if first else card + copy, encoding="utf-8")
    rep = imp(out, ok=None)["data"]
    assert rep["contacts_created"] == 1
    assert store.q("SELECT full_name FROM contacts ORDER BY id") == [("Niklaus Wirth",), ("Grace Newperson",)]


def test_ids_out_of_step_with_the_rows_go_to_nobody_else(cli, imp, store, tmp_path):
    """The id column sorted apart from the rest: a row whose email belongs to another contact than its id
    names is that email's contact's, as before the ids were read; a row of a name alone goes to the contact
    its id names only while that contact has the row's name."""
    cli("contacts", "add", "--name", "Niklaus Wirth", "--email", "niklaus@example.com")
    cli("contacts", "add", "--name", "Mei Shaw", "--email", "mei@example.com", "--birthday", "1990-05-06")
    cli("contacts", "add", "--name", "Misty", "--title", "Gym Leader")
    cli("contacts", "add", "--name", "Brock")
    out = tmp_path / "export.csv"
    cli("export", "csv", "--output", str(out))
    head, rows = _rows(out)
    ids = [r[0] for r in rows]
    for r, other in zip(rows, [ids[1], ids[0], ids[3], ids[2]], strict=True):
        r[0] = other
    _write(out, head, rows)
    rep = imp(out, ok=None)["data"]
    assert store.q("SELECT uuid, full_name, birthday, title FROM contacts ORDER BY id")[:2] == [
        (ids[0], "Niklaus Wirth", None, None),
        (ids[1], "Mei Shaw", "1990-05-06", None),
    ]
    misty, brock = store.q("SELECT uuid, full_name, title FROM contacts ORDER BY id")[2:4]
    assert misty == (ids[2], "Misty", "Gym Leader") and brock == (ids[3], "Brock", None)
    assert not store.q("SELECT value FROM contact_fields WHERE kind = 'nickname'")
    assert sum("is not taken for this row" in e for e in rep["errors"]) == 4


@pytest.mark.parametrize(("kind", "args"), EXPORTS)
def test_contacts_sharing_a_phone_come_back_unchanged(kind, args, cli, imp, store, tmp_path):
    """A family's landline on two contacts [shared-keys]: each row's phone is also the other's, which is no
    sign the id names the wrong person (each row 'updated' with its id kept aside, and a pair queued)."""
    cli("contacts", "add", "--name", "Ada Lovelace", "--phone", "+44 20 7946 0000")
    cli("contacts", "add", "--name", "Byron Lovelace", "--phone", "+44 20 7946 0000")
    out = tmp_path / f"export.{kind}"
    cli("export", kind, *args, "--output", str(out))
    before = _snapshot(store)
    rep = imp(out)["data"]
    assert (rep["contacts_created"], rep["contacts_updated"], rep["errors"]) == (0, 0, [])
    assert _snapshot(store) == before
    assert not store.q("SELECT 1 FROM identity_matches")


def test_a_name_only_row_renamed_is_asked_about_not_duplicated_silently(cli, imp, store, tmp_path):
    """A contact known by nothing but a name, renamed in the exported CSV: nothing but the name and the
    creation time tells the row from a copy made to add someone (a copy whose original row was removed looks
    the same), and taking the id would hide that new person as another name of the old one. So the row makes
    a contact of its own, as before, but the pair is asked about and the report says what happened; a row
    copied beside its original, or an id sorted away from its row, is not asked about."""
    cli("contacts", "add", "--name", "Nora Only")
    cli("note", "add", "Nora Only", "met at the climbing gym")
    cli("contacts", "add", "--name", "Brock")
    cli("contacts", "add", "--name", "Misty")
    out = tmp_path / "export.csv"
    cli("export", "csv", "--output", str(out))
    head, (nora, brock, misty) = _rows(out)
    cols = head.split(",")
    nora[cols.index("full_name")] = "Nora Renamed"
    copy = list(brock)
    copy[cols.index("full_name")] = "Brock Copy"
    misty[0], brock[0] = brock[0], misty[0]  # the id column sorted apart from the names
    _write(out, head, [nora, brock, copy, misty])
    rep = imp(out, ok=None)["data"]
    assert (rep["contacts_created"], rep["pending_review"]) == (2, 1)
    assert rep["errors"][0] == (
        f"Row 2: the id {nora[0]} is not taken for this row (nothing in it is Nora Only's but its creation "
        "time): made a contact of its own, next to it; if the row is Nora Only renamed, merge the two (pcrm "
        "identity matches asks about them)"
    )
    assert all("merge the two" not in e for e in rep["errors"][1:])
    (pair,) = cli.json("identity", "matches")["data"]
    assert {pair["contact_a"]["full_name"], pair["contact_b"]["full_name"]} == {"Nora Only", "Nora Renamed"}
    assert pair["reason"] == f"Nora Renamed came from an exported row with Nora Only's id {nora[0]}"
    assert store.q("SELECT full_name FROM contacts ORDER BY id") == [
        ("Nora Only",),
        ("Brock",),
        ("Misty",),
        ("Nora Renamed",),
        ("Brock Copy",),
    ]


def _exported_renamed(cli, tmp_path):
    """The store's one contact exported to CSV and its row renamed "Nora Renamed": (the file, the row)."""
    out = tmp_path / "export.csv"
    cli("export", "csv", "--output", str(out))
    head, (nora,) = _rows(out)
    nora[head.split(",").index("full_name")] = "Nora Renamed"
    _write(out, head, [nora])
    return out, nora


def test_merging_a_renamed_rows_pair_is_the_rename(cli, imp, store, tmp_path):
    """Following the row problem's advice, 'pcrm identity merge' of the pair, kept the old name (the new one a
    nickname, the rename lost) and, the id then being another contact's, importing the same file again made
    the renamed contact and asked again. The merge of a pair asked about for a renamed row keeps the contact
    the id names, under the row's name, its old name kept aside; the file imported again changes nothing."""
    cli("contacts", "add", "--name", "Nora Only", "--tag", "climbing")
    cli("note", "add", "Nora Only", "met at the climbing gym")
    out, nora = _exported_renamed(cli, tmp_path)
    rep = imp(out, ok=None)["data"]
    assert (rep["contacts_created"], rep["pending_review"]) == (1, 1)
    (pair,) = cli.json("identity", "matches")["data"]
    merged = cli.json("identity", "merge", pair["id"])["data"]
    assert merged["survivor_id"] == nora[0]
    (contact,) = cli.json("contacts", "list")["data"]
    assert (contact["id"], contact["full_name"], contact["tags"]) == (nora[0], "Nora Renamed", ["climbing"])
    said = cli("contacts", "show", nora[0]).stdout
    assert "Nora Only" in said and "met at the climbing gym" in cli("interactions", "list", nora[0]).stdout
    assert store.q("SELECT kind, value FROM contact_fields") == [("nickname", "Nora Only")]
    rep = imp(out)["data"]
    assert (rep["contacts_created"], rep["pending_review"], rep["errors"]) == (0, 0, []), rep
    assert store.q("SELECT uuid, full_name FROM contacts") == [(nora[0], "Nora Renamed")]


def test_contacts_merge_of_a_renamed_rows_pair_is_the_rename_too(cli, imp, store, tmp_path):
    """'pcrm contacts merge' of the two (either order) does what 'pcrm identity merge' of their pair does."""
    cli("contacts", "add", "--name", "Nora Only")
    out, nora = _exported_renamed(cli, tmp_path)
    imp(out, ok=None)
    new = next(c["id"] for c in cli.json("contacts", "list")["data"] if c["id"] != nora[0])
    merged = cli.json("contacts", "merge", new, nora[0])["data"]
    assert merged["id"] == nora[0]
    assert merged["fields_filled"] == []  # renamed, not filled: Nora had a name
    assert store.q("SELECT uuid, full_name FROM contacts") == [(nora[0], "Nora Renamed")]
    rep = imp(out)["data"]
    assert (rep["contacts_created"], rep["pending_review"], rep["errors"]) == (0, 0, []), rep


@pytest.mark.parametrize("args", [(), ("--version", "4.0")], ids=["3.0", "4.0"])
def test_a_name_only_card_renamed_is_asked_about_as_the_csv_row_is(args, cli, imp, store, tmp_path):
    """The vCard twin of the renamed CSV row: a card of a contact known by nothing but a name, renamed in the
    exported file, made a contact of its own with only 'nothing in it is Nora Only's' to say so and nothing
    queued (a card has no creation time). Its UID is inside the card, where no sort can move it from another
    card, so a UID the file names once is asked about; a card copied beside its original names it twice and
    is not. Merging the pair is the rename, and the file imported again changes nothing."""
    cli("contacts", "add", "--name", "Nora Only")
    cli("note", "add", "Nora Only", "met at the climbing gym")
    cli("contacts", "add", "--name", "Brock")
    out = tmp_path / "export.vcf"
    cli("export", "vcard", *args, "--output", str(out))
    nora_id, brock_id = (r[0] for r in store.q("SELECT uuid FROM contacts ORDER BY id"))
    text = out.read_text(encoding="utf-8")
    cards = ["BEGIN:VCARD" + c for c in text.split("BEGIN:VCARD")[1:]]
    nora, brock = (next(c for c in cards if uid in c) for uid in (nora_id, brock_id))
    copy = brock.replace("FN:Brock", "FN:Brock Copy")
    out.write_text(nora.replace("FN:Nora Only", "FN:Nora Renamed") + brock + copy, encoding="utf-8")
    rep = imp(out, ok=None)["data"]
    assert (rep["contacts_created"], rep["pending_review"]) == (2, 1)
    assert rep["errors"][0] == (
        f"Card 1 (Nora Renamed): the id {nora_id} is not taken for this row (nothing in it is Nora Only's "
        "but the id): "
        "made a contact of its own, next to it; if the row is Nora Only renamed, merge the two (pcrm "
        "identity matches asks about them)"
    )
    assert all("merge the two" not in e for e in rep["errors"][1:])
    (pair,) = cli.json("identity", "matches")["data"]
    assert {pair["contact_a"]["full_name"], pair["contact_b"]["full_name"]} == {"Nora Only", "Nora Renamed"}
    assert pair["reason"] == f"Nora Renamed came from an exported row with Nora Only's id {nora_id}"
    merged = cli.json("identity", "merge", pair["id"])["data"]
    assert merged["survivor_id"] == nora_id
    assert "met at the climbing gym" in cli("interactions", "list", nora_id).stdout
    out.write_text(nora.replace("FN:Nora Only", "FN:Nora Renamed") + brock, encoding="utf-8")
    rep = imp(out)["data"]
    assert (rep["contacts_created"], rep["contacts_updated"], rep["pending_review"], rep["errors"]) == (
        0,
        0,
        0,
        [],
    ), rep
    assert store.q("SELECT uuid, full_name FROM contacts ORDER BY id") == [
        (nora_id, "Nora Renamed"),
        (brock_id, "Brock"),
        (store.q("SELECT uuid FROM contacts WHERE full_name = 'Brock Copy'")[0][0], "Brock Copy"),
    ]


@pytest.mark.parametrize(("kind", "args"), EXPORTS)
def test_an_export_restored_into_an_empty_store_keeps_every_id(
    kind, args, cli, imp, store, tmp_path, monkeypatch
):
    before = "2026-01-01T00:00:00Z"  # the import's clock is pinned: the contacts were made before it
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@x.com", "--now", before)
    cli("contacts", "add", "--name", "Misty", "--now", before)
    out = tmp_path / f"export.{kind}"
    cli("export", kind, *args, "--output", str(out))
    ids = store.q("SELECT uuid, created_at FROM contacts ORDER BY uuid")
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "empty"))
    other = StoreReader(tmp_path / "empty")
    assert imp(out)["data"]["contacts_created"] == 2
    restored = other.q("SELECT uuid, created_at FROM contacts ORDER BY uuid")
    assert [u for u, _c in restored] == [u for u, _c in ids]
    if kind == "csv":  # a vCard carries no creation time
        assert restored == ids
    assert other.q("SELECT count(*) FROM contact_fields") == [(0,)]
