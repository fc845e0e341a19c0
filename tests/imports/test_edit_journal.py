"""[hand-edits] [import-undo] [reversible-merges]: what an edit by hand typed is recorded in the edit journal,
a table of its own, and an import undo or an unmerge reads it there.

- An edit leaves the journals of imports and merges as they were written: rewriting a 20,000-contact
  import's journal to record one edit cost ~65 ms, and more as imports grow.
- A tag edit recorded with what it typed keeps only the tags it typed: `pcrm contacts tag ada vip` after an
  import that added `family` kept `family` on undo (user_edited_fields naming tags kept the whole list),
  though the user never typed it. The whole list stays only for a contact whose tags were set before typed
  values were recorded.
- What older pcrm versions wrote into the journals (`typed`, `edited_since`, a merge's `moved.typed`) still
  counts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import apsw
import pytest

from tests.support.store import people, query

TAGS_CSV = "full_name,email,tags\n" + "".join(
    f"{n} Lee,{n.lower()}@tags.test,family\n" for n in ("Ann", "Bob", "Cy", "Di")
)


def _tagged(cli: Any, imp: Any, tmp_path: Path, db: Path) -> str:
    """Four contacts tagged friend; an import adds family to each."""
    for n in ("Ann", "Bob", "Cy", "Di"):
        cli("contacts", "add", "--name", f"{n} Lee", "--email", f"{n.lower()}@tags.test", "--tag", "friend")
    f = tmp_path / "tags.csv"
    f.write_text(TAGS_CSV, encoding="utf-8")
    batch = str(imp(f)["data"]["batch_id"])
    assert _tags(db) == {f"{n} Lee": ["friend", "family"] for n in ("Ann", "Bob", "Cy", "Di")}
    return batch


def _tags(db: Path) -> dict[str, list[str]]:
    return {n: c["tags"] for n, c in people(db).items()}


def test_an_undo_keeps_only_the_tags_an_edit_typed(cli: Any, imp: Any, tmp_path: Path, db: Path) -> None:
    batch = _tagged(cli, imp, tmp_path, db)
    cli("contacts", "tag", "ann@tags.test", "vip")  # types vip: the import's family is not the user's
    cli("contacts", "untag", "bob@tags.test", "friend")  # types nothing
    cli("contacts", "tag", "cy@tags.test", "family")  # types the import's tag again
    ids = {n: c["id"][:8] for n, c in people(db).items()}

    dry = cli.json("import", "undo", batch, "--dry-run")["data"]
    res = cli.json("import", "undo", batch, "--yes")["data"]

    assert _tags(db) == {
        "Ann Lee": ["friend", "vip"],
        "Bob Lee": [],
        "Cy Lee": ["friend", "family"],
        "Di Lee": ["friend"],  # untouched by hand
    }
    assert dry["kept_later_edits"] == res["kept_later_edits"] == [f"{ids['Cy Lee']}.tags"]


@pytest.mark.anyio
async def test_api_tag_edits_keep_only_what_they_typed(
    empty_twin: Any, imp: Any, tmp_path: Path, db: Path
) -> None:
    """PUT /contacts/{id} types its whole list, POST /contacts/bulk-update the tags it adds."""
    t = empty_twin
    batch = _tagged(t.cli, imp, tmp_path, db)
    ids = {n: c["id"] for n, c in people(db).items()}
    r = await t.request("PUT", f"/api/v1/contacts/{ids['Ann Lee']}", json={"tags": ["family", "vip"]})
    assert r.status_code == 200, r.text
    r = await t.request(
        "POST",
        "/api/v1/contacts/bulk-update",
        json={"contact_ids": [ids["Bob Lee"], ids["Cy Lee"]], "add_tags": ["vip"]},
    )
    assert r.status_code == 200, r.text

    res = t.cli.json("import", "undo", batch, "--yes")["data"]

    assert _tags(db) == {
        "Ann Lee": ["family", "vip"],
        "Bob Lee": ["friend", "vip"],
        "Cy Lee": ["friend", "vip"],
        "Di Lee": ["friend"],
    }
    assert res["kept_later_edits"] == [f"{ids['Ann Lee'][:8]}.tags"]


def _as_before_the_edit_journal(db: Path) -> None:
    """The store as a pcrm without the edit journal left it: no table, the migration not applied."""
    conn = apsw.Connection(str(db))
    try:
        conn.execute(
            "DROP TABLE edit_journal; DELETE FROM schema_migrations WHERE name = 'm025_edit_journal'"
        )
    finally:
        conn.close()


def test_tags_set_before_typed_values_were_recorded_keep_the_whole_list(
    cli: Any, imp: Any, tmp_path: Path, db: Path
) -> None:
    """An older pcrm recorded no typed tags: opening its store marks the contacts whose tags the user had set
    (m025_edit_journal), and undoing a batch applied before keeps their whole list, as it did. A batch
    applied after the upgrade is undone tag by tag."""
    batch = _tagged(cli, imp, tmp_path, db)
    cli("contacts", "tag", "ann@tags.test", "vip")
    _as_before_the_edit_journal(db)
    ann = cli.json("contacts", "show", "ann@tags.test")["data"]["id"]  # opens (and migrates) the store
    assert query(db, "SELECT contact_uuid, tags_untracked FROM edit_journal") == [(ann, 1)]
    f = tmp_path / "later.csv"
    f.write_text("full_name,email,tags\nBob Lee,bob@tags.test,later\n", encoding="utf-8")
    later = str(imp(f)["data"]["batch_id"])
    cli("contacts", "tag", "bob@tags.test", "vip")

    res = cli.json("import", "undo", later, "--yes")["data"]
    assert _tags(db)["Bob Lee"] == ["friend", "family", "vip"]  # `later` went: typed since the upgrade
    assert res["kept_later_edits"] == []
    res = cli.json("import", "undo", batch, "--yes")["data"]

    assert _tags(db) == {
        "Ann Lee": ["friend", "family", "vip"],  # set by hand before typed values were recorded
        "Bob Lee": ["friend", "vip"],
        "Cy Lee": ["friend"],
        "Di Lee": ["friend"],
    }
    assert res["kept_later_edits"] == [f"{ann[:8]}.tags"]


def test_an_edit_leaves_the_import_and_merge_journals_as_they_were(
    cli: Any, imp: Any, tmp_path: Path, db: Path
) -> None:
    batch, merge = _import_merge(cli, imp, tmp_path, "New Person,new@p.test")
    journals = query(db, "SELECT changes FROM import_batches"), query(db, "SELECT moved FROM contact_merges")

    _retype(cli)
    cli("contacts", "edit", "new@p.test", "--priority", "high")

    after = query(db, "SELECT changes FROM import_batches"), query(db, "SELECT moved FROM contact_merges")
    assert after == journals
    res = cli.json("contacts", "unmerge", merge["merge_id"])["data"]
    assert cli.json("contacts", "show", merge["id"])["data"]["title"] == "Countess"  # typed on the survivor
    assert "title" in res["edits_kept_on_survivor"]
    res = cli.json("import", "undo", batch, "--yes")["data"]
    assert people(db)["Ada Lovelace"]["emails"] == ["ada@old.test", "ada@work.test"]  # typed again
    assert [c["full_name"] for c in res["kept_contacts"]] == ["New Person"]  # edited since


def test_what_an_older_pcrm_wrote_into_the_journals_still_counts(
    cli: Any, imp: Any, tmp_path: Path, db: Path
) -> None:
    """An import journal's `typed` and `edited_since`, a merge journal's `moved.typed`, as the pcrm before the
    edit journal wrote them."""
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@old.test", "--company", "Analytical")
    other = cli.json("contacts", "add", "--name", "Ada L", "--email", "ada@b.test", "--title", "Countess")
    f = tmp_path / "people.csv"
    f.write_text("full_name,email\nAda Lovelace,ada@old.test;ada@work.test\nNew Person,new@p.test\n")
    batch = str(imp(f)["data"]["batch_id"])
    ada, new = people(db)["Ada Lovelace"]["id"], people(db)["New Person"]["id"]
    merge = cli.json("contacts", "merge", ada, other["data"]["id"])["data"]
    cli("contacts", "edit", ada, "--email", "ada@old.test", "--email", "ada@work.test", "--title", "Countess")
    cli("contacts", "edit", new, "--priority", "high")
    conn = apsw.Connection(str(db))
    try:
        conn.execute("DELETE FROM edit_journal")
        conn.execute(
            "UPDATE import_batches SET changes = json_set(changes, ?, json(?), '$.edited_since', json(?))",
            (f'$.contacts."{ada}".typed', json.dumps({"emails": ["ada@work.test"]}), json.dumps([new])),
        )
        conn.execute(
            "UPDATE contact_merges SET moved = json_set(moved, '$.typed', json(?))",
            (json.dumps({"fields": ["title"]}),),
        )
    finally:
        conn.close()

    res = cli.json("contacts", "unmerge", merge["merge_id"])["data"]
    assert "title" in res["edits_kept_on_survivor"]
    assert people(db)["Ada Lovelace"]["title"] == "Countess"
    res = cli.json("import", "undo", batch, "--yes")["data"]
    assert people(db)["Ada Lovelace"]["emails"] == ["ada@old.test", "ada@work.test"]
    assert [c["full_name"] for c in res["kept_contacts"]] == ["New Person"]


def test_the_edit_journal_travels_in_a_json_export(
    cli: Any, imp: Any, tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A JSON export carries the edit journal; restored, its rows name the restored batch and merge (their
    ids are numbered anew), so the undo and the unmerge keep what was typed."""
    batch, merge = _import_merge(cli, imp, tmp_path)
    _retype(cli)
    out = tmp_path / "export.json"
    cli("export", "json", "--output", str(out))

    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "restored"))
    cli("import", str(out))
    restored = tmp_path / "restored" / "pcrm.db"
    res = cli.json("contacts", "unmerge", merge["merge_id"])["data"]
    assert "title" in res["edits_kept_on_survivor"]
    cli("import", "undo", batch, "--yes")
    assert people(restored)["Ada Lovelace"]["emails"] == ["ada@old.test", "ada@work.test"]
    assert people(restored)["Ada Lovelace"]["title"] == "Countess"


def _import_merge(cli: Any, imp: Any, tmp_path: Path, *more_rows: str) -> tuple[str, dict[str, Any]]:
    """Ada Lovelace imported again with a second email (and more_rows), then merged with "Ada L": the batch
    id and the merge."""
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@old.test", "--company", "Analytical")
    other = cli.json("contacts", "add", "--name", "Ada L", "--email", "ada@b.test", "--title", "Countess")
    f = tmp_path / "people.csv"
    f.write_text(
        "".join(f"{r}\n" for r in ("full_name,email", "Ada Lovelace,ada@old.test;ada@work.test", *more_rows))
    )
    batch = str(imp(f)["data"]["batch_id"])
    return batch, cli.json("contacts", "merge", "ada@old.test", other["data"]["id"])["data"]


def _retype(cli: Any) -> None:
    """Ada's imported email and the merged contact's title typed again by hand."""
    cli("contacts", "edit", "ada@old.test", "--email", "ada@old.test", "--email", "ada@work.test")
    cli("contacts", "edit", "ada@old.test", "--title", "Countess")


def test_a_deleted_contacts_rows_go_and_a_merged_ones_stay_while_it_can_come_back(
    cli: Any, imp: Any, tmp_path: Path, db: Path
) -> None:
    """The edit journal kept the rows of deleted contacts forever. A contact deleted (`contacts rm`,
    `second-tier rm`) never comes back: its rows go. One merged into another comes back with an unmerge, even
    once the survivor is deleted: its rows stay, and the import undo after the unmerge keeps what was typed on
    it before the merge [hand-edits]."""
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@old.test")
    cli("contacts", "add", "--name", "Ada L", "--email", "ada@b.test")
    for name, email in (("Grace Hopper", "grace@navy.test"), ("Alan Turing", "alan@bletchley.test")):
        cli("contacts", "add", "--name", name, "--email", email)
    f = tmp_path / "people.csv"
    f.write_text(
        "full_name,email\nAda Lovelace,ada@old.test;ada@work.test\nAda L,ada@b.test;ada@l.test\n"
        "Grace Hopper,grace@navy.test;grace@yale.test\nAlan Turing,alan@bletchley.test;alan@kings.test\n"
    )
    batch = str(imp(f)["data"]["batch_id"])
    for email, more in (
        ("ada@b.test", "ada@l.test"),
        ("grace@navy.test", "grace@yale.test"),
        ("alan@bletchley.test", "alan@kings.test"),
    ):
        cli("contacts", "edit", email, "--email", email, "--email", more)  # the import's email typed again
    cli("contacts", "tag", "alan@bletchley.test", "2nd tier")
    ids = {n: c["id"] for n, c in people(db).items()}
    merge = cli.json("contacts", "merge", "ada@old.test", ids["Ada L"])["data"]
    cli("contacts", "edit", "ada@old.test", "--title", "Countess")

    def journaled() -> set[str]:
        return {u for (u,) in query(db, "SELECT contact_uuid FROM edit_journal")}

    assert journaled() == {ids[n] for n in ("Ada Lovelace", "Ada L", "Grace Hopper", "Alan Turing")}
    cli("contacts", "rm", "grace@navy.test", "--yes")
    assert journaled() == {ids[n] for n in ("Ada Lovelace", "Ada L", "Alan Turing")}
    assert cli.json("second-tier", "rm", "--yes")["data"]["deleted_count"] == 1
    assert journaled() == {ids["Ada Lovelace"], ids["Ada L"]}
    cli("contacts", "rm", "ada@old.test", "--yes")  # the survivor: Ada L can still come back
    assert journaled() == {ids["Ada L"]}

    assert cli.json("contacts", "unmerge", merge["merge_id"])["data"]["survivor_deleted"] is True
    res = cli.json("import", "undo", batch, "--yes")["data"]
    assert people(db)["Ada L"]["emails"] == ["ada@b.test", "ada@l.test"]  # typed again before the merge
    assert res["kept_later_edits"] == [f"{ids['Ada L'][:8]}.emails"]
