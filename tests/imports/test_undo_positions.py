"""[import-undo]: what an undo leaves of a contact's tags (and emails) is numbered 0, 1, 2... in the order it
had, as on a contact that never had the import's values. The undo took the import's rows out and left the
others where they were: tags at 0, 2, 3 (the JSON export carried the holes, and the next tag went to 4)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _positions(cli: Any, tmp_path: Path, table: str, value: str) -> dict[str, list[tuple[str, int]]]:
    """contact name -> its rows of `table` as (value, position) in position order (`pcrm export json`)."""
    out = tmp_path / "store.json"
    out.unlink(missing_ok=True)
    cli("export", "json", "--output", str(out))
    tables = json.loads(out.read_text(encoding="utf-8"))["tables"]
    names = {r[0]: r[1] for r in _rows(tables["contacts"], "uuid", "full_name")}
    got: dict[str, list[tuple[str, int]]] = {}
    for cid, v, pos in _rows(tables[table], "contact_id", value, "position"):
        got.setdefault(names[cid], []).append((v, pos))
    return {k: sorted(v, key=lambda r: r[1]) for k, v in got.items()}


def _rows(table: dict[str, Any], *cols: str) -> list[list[Any]]:
    idx = [table["columns"].index(c) for c in cols]
    return [[r[i] for i in idx] for r in table["rows"]]


def test_undo_numbers_the_tags_and_emails_left_without_gaps(cli: Any, imp: Any, tmp_path: Path) -> None:
    cli("contacts", "add", "--name", "Ann Lee", "--email", "ann@undo.test", "--tag", "friend")
    f = tmp_path / "people.csv"
    f.write_text("full_name,email,tags\nAnn Lee,ann@undo.test; ann@work.test,family\n", encoding="utf-8")
    batch = imp(f)["data"]["batch_id"]
    cli("contacts", "tag", "ann@undo.test", "vip")
    cli("contacts", "tag", "ann@undo.test", "work")
    cli("contacts", "edit", "ann@undo.test", "--add-email", "ann@home.test")
    # the same tags and emails, typed by hand on a contact no import touched
    cli("contacts", "add", "--name", "Bob Ray", "--email", "bob@undo.test", "--tag", "friend")
    cli("contacts", "tag", "bob@undo.test", "vip")
    cli("contacts", "tag", "bob@undo.test", "work")
    cli("contacts", "edit", "bob@undo.test", "--add-email", "bob@home.test")

    cli("import", "undo", batch, "--yes")

    tags = _positions(cli, tmp_path, "contact_tags", "tag")
    assert tags["Ann Lee"] == [("friend", 0), ("vip", 1), ("work", 2)]
    assert [p for _, p in tags["Ann Lee"]] == [p for _, p in tags["Bob Ray"]]
    emails = _positions(cli, tmp_path, "contact_emails", "email")
    assert emails["Ann Lee"] == [("ann@undo.test", 0), ("ann@home.test", 1)]
    # later edits carry on from there, as on Bob
    cli("contacts", "tag", "ann@undo.test", "new")
    cli("contacts", "tag", "bob@undo.test", "new")
    tags = _positions(cli, tmp_path, "contact_tags", "tag")
    assert tags["Ann Lee"] == [("friend", 0), ("vip", 1), ("work", 2), ("new", 3)] == tags["Bob Ray"]
    shown = cli.json("contacts", "show", "ann@undo.test")["data"]
    assert shown["tags"] == ["friend", "vip", "work", "new"]
    assert shown["emails"] == ["ann@undo.test", "ann@home.test"]
