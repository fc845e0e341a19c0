"""A folder export removes only the cards this store knows to be its own and gone [vcard-folders]: a
selection of no one (a typo in --search) is refused before anything is written or removed, a second store
exporting into the same folder leaves the first one's cards, and --dry-run names what would go."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any


def _ids(cli: Any) -> dict[str, str]:
    return {c["full_name"]: c["id"] for c in cli.json("contacts", "list", "--all")["data"]}


def _add(cli: Any, *names: str) -> dict[str, str]:
    for name in names:
        cli("contacts", "add", "--name", name, "--email", f"{name.split()[0].lower()}@example.com")
    return _ids(cli)


def _cards(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_selection_of_no_one_is_refused_and_removes_nothing(cli: Any, tmp_path: Path) -> None:
    _add(cli, "Ada Lovelace", "Bob Byron", "Cy Babbage")
    folder = tmp_path / "vd2"
    args = ("export", "vcard", "--dir", "--output", str(folder))
    assert cli.json(*args)["data"]["contacts"] == 3
    before = _cards(folder)
    assert len(before) == 3

    res = cli(*args, "--search", "zzqqxx", ok=False)
    said = " ".join(res.stderr.split())
    assert "no contact is selected" in said and "nothing was written or removed" in said
    assert "pcrm contacts list" in said  # the hint
    assert _cards(folder) == before
    env = cli.json(*args, "--search", "zzqqxx", ok=False)
    assert env["error"]["code"] and "no contact is selected" in env["error"]["message"]
    assert _cards(folder) == before
    # nor does an empty store empty the folder
    for name in ("Ada Lovelace", "Bob Byron", "Cy Babbage"):
        cli("contacts", "delete", name, "--yes")
    cli(*args, ok=False)
    assert _cards(folder) == before


def test_a_second_store_leaves_the_cards_of_the_first(cli: Any, tmp_path: Path, monkeypatch: Any) -> None:
    a = _add(cli, "Ada Lovelace", "Bob Byron")
    folder = tmp_path / "shared"
    args = ("export", "vcard", "--dir", "--output", str(folder))
    cli(*args)
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "store-b"))
    cli("init")
    b = _add(cli, "Grace Hopper", "Alan Turing")
    res = cli.json(*args)["data"]
    assert (res["contacts"], res["removed"]) == (2, 0)
    assert set(_cards(folder)) == {f"{u}.vcf" for u in (*a.values(), *b.values())}
    # store B removes its own card of a contact it deleted, and still none of A's
    cli("contacts", "delete", "Alan Turing", "--yes")
    res = cli.json(*args)["data"]
    assert res["removed_files"] == [f"{b['Alan Turing']}.vcf"]
    assert set(_cards(folder)) == {f"{u}.vcf" for u in (*a.values(), b["Grace Hopper"])}


def test_the_merge_journal_and_the_filters_name_cards_written_before_the_record(
    cli: Any, tmp_path: Path, pcrm_home: Path
) -> None:
    ids = _add(cli, "Ada Lovelace", "Bob Byron", "Cy Babbage", "Dee Hopper")
    cli("contacts", "edit", "Ada Lovelace", "--tag", "phone")
    cli("contacts", "edit", "Bob Byron", "--tag", "phone")
    folder = tmp_path / "vdir"
    args = ("export", "vcard", "--dir", "--output", str(folder))
    cli(*args)
    # a folder an earlier pcrm wrote: the store has no record of what it wrote there
    with sqlite3.connect(pcrm_home / "pcrm.db") as conn:
        conn.execute("DELETE FROM settings WHERE key LIKE '\\_internal.vcard\\_dir.%' ESCAPE '\\'")
    conn.close()
    cli("contacts", "merge", "Ada Lovelace", "Bob Byron")
    (gone,) = {ids["Ada Lovelace"], ids["Bob Byron"]} - set(_ids(cli).values())
    cli("contacts", "delete", "Cy Babbage", "--yes")

    dry = cli.json(*args, "--tag", "phone", "--dry-run")
    assert dry["meta"]["dry_run"] is True
    # merged away (the merge journal), left out by the filter (a contact of the store) and deleted (the
    # store keeps the ids of the contacts it deleted) go, though the store had no record of the folder
    expected = sorted([f"{gone}.vcf", f"{ids['Dee Hopper']}.vcf", f"{ids['Cy Babbage']}.vcf"])
    assert dry["data"]["removed_files"] == expected and dry["data"]["removed"] == 3
    assert len(_cards(folder)) == 4
    res = cli(*args, "--tag", "phone", "--dry-run")
    assert "(dry run: nothing changed)" in res.stderr and expected[0] in res.stderr
    assert len(_cards(folder)) == 4

    done = cli.json(*args, "--tag", "phone")["data"]
    assert done["removed_files"] == expected
    assert set(_cards(folder)) == {f"{({ids['Ada Lovelace'], ids['Bob Byron']} - {gone}).pop()}.vcf"}
    with sqlite3.connect(pcrm_home / "pcrm.db") as conn:
        (value,) = conn.execute(
            "SELECT value FROM settings WHERE key LIKE '\\_internal.vcard\\_dir.%' ESCAPE '\\'"
        )
    conn.close()
    # the record names the cards written now
    assert json.loads(value[0])["uuids"] == [({ids["Ada Lovelace"], ids["Bob Byron"]} - {gone}).pop()]


def test_a_dry_run_is_for_a_folder_export(cli: Any, tmp_path: Path) -> None:
    cli("init")  # a command that only reads makes no store [opening-the-store]
    res = cli("export", "vcard", "--dry-run", "--output", str(tmp_path / "a.vcf"), ok=False)
    assert "--dry-run is for a folder export (--dir)" in res.stderr and not (tmp_path / "a.vcf").exists()
    _add(cli, "Ada Lovelace")
    cli("export", "vcard", "--dir", "--dry-run", "--output", str(tmp_path / "new"))
    assert not (tmp_path / "new").exists()


def test_a_moved_folder_loses_the_cards_of_contacts_deleted_before_its_first_export_there(
    cli: Any, imp: Any, tmp_path: Path
) -> None:
    """The record of a folder is by its path: moved, the folder is new to the store. The cards of contacts
    deleted meanwhile go all the same, as the store keeps the ids it deleted; a card of an id the store
    never had still stays."""
    mine = _add(cli, "Ada Lovelace")["Ada Lovelace"]
    imp(Path("/work/shared/testdata/vcard/ez-vcard__John_Doe_ANDROID.vcf"))
    imported = {c["id"] for c in cli.json("contacts", "list", "--all")["data"]} - {mine}
    assert len(imported) == 5
    first = tmp_path / "contacts"
    cli("export", "vcard", "--dir", "--output", str(first))
    other = "0d7b1c8e-5a55-4f0e-9a35-0c8f1d1e2a3b"  # another store's card, pcrm's own by its content
    card = (first / f"{mine}.vcf").read_bytes().replace(mine.encode(), other.encode())
    (first / f"{other}.vcf").write_bytes(card)
    moved = first.rename(tmp_path / "phone")
    for uuid in imported:
        cli("contacts", "delete", uuid, "--yes")

    res = cli.json("export", "vcard", "--dir", "--output", str(moved))["data"]
    assert res["removed_files"] == sorted(f"{u}.vcf" for u in imported)
    assert set(_cards(moved)) == {f"{mine}.vcf", f"{other}.vcf"}
