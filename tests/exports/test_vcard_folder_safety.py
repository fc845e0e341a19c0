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
    # merged away (the merge journal) and left out by the filter (a contact of the store) go; a contact
    # deleted before the store kept a record of the folder is not known to be its own: its card stays
    expected = sorted([f"{gone}.vcf", f"{ids['Dee Hopper']}.vcf"])
    assert dry["data"]["removed_files"] == expected and dry["data"]["removed"] == 2
    assert len(_cards(folder)) == 4
    res = cli(*args, "--tag", "phone", "--dry-run")
    assert "(dry run: nothing changed)" in res.stderr and expected[0] in res.stderr
    assert len(_cards(folder)) == 4

    done = cli.json(*args, "--tag", "phone")["data"]
    assert done["removed_files"] == expected
    kept = set(_cards(folder))
    assert f"{ids['Cy Babbage']}.vcf" in kept and len(kept) == 2
    with sqlite3.connect(pcrm_home / "pcrm.db") as conn:
        (value,) = conn.execute(
            "SELECT value FROM settings WHERE key LIKE '\\_internal.vcard\\_dir.%' ESCAPE '\\'"
        )
    conn.close()
    # the record names the cards written now; Cy's stays unknown to it
    assert json.loads(value[0])["uuids"] == [({ids["Ada Lovelace"], ids["Bob Byron"]} - {gone}).pop()]


def test_a_dry_run_is_for_a_folder_export(cli: Any, tmp_path: Path) -> None:
    res = cli("export", "vcard", "--dry-run", "--output", str(tmp_path / "a.vcf"), ok=False)
    assert "--dry-run is for a folder export (--dir)" in res.stderr and not (tmp_path / "a.vcf").exists()
    _add(cli, "Ada Lovelace")
    cli("export", "vcard", "--dir", "--dry-run", "--output", str(tmp_path / "new"))
    assert not (tmp_path / "new").exists()
