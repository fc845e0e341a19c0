"""An import that changes nothing records no batch, and says so [import-undo]: `pcrm import undo` of the
newest batch after it (the recipe `pcrm import undo --help` gave) undid an earlier, unrelated import and
removed its contacts."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_a_rerun_that_changes_nothing_says_no_batch_was_recorded(cli: Any, tmp_path: Path) -> None:
    first = tmp_path / "first.csv"
    first.write_text("full_name,email\nAda Lovelace,ada@first.test\n", encoding="utf-8")
    other = tmp_path / "other.csv"
    other.write_text("full_name,email\nBob Wilson,bob@other.test\n", encoding="utf-8")
    cli("import", str(first))
    made = cli.json("import", str(other))["data"]["batch_id"]
    again = cli("import", str(first))  # nothing new: no batch
    assert "nothing changed, so no batch was recorded" in again.stdout
    assert "undo with" not in again.stdout
    assert cli.json("import", str(first))["data"]["batch_id"] is None
    # the newest batch is still the other file's: an undo "of the last import" would remove Bob
    newest = cli("import", "history", "--limit", "1", "--fields", "batch").stdout.strip()
    assert made.startswith(newest)


def test_history_lists_imports_of_one_moment_newest_first(cli: Any, tmp_path: Path, monkeypatch: Any) -> None:
    """Imports made in the same millisecond (a pinned clock, a script) were listed by their uuids: the
    ORDER BY's `id` was the uuid's alias, not the row's number, so "the newest" was any of them."""
    monkeypatch.setenv("PCRM_NOW", "2026-12-05T09:00:00Z")
    made = []
    for i in range(6):
        f = tmp_path / f"f{i}.csv"
        f.write_text(f"full_name,email\nPerson {i},p{i}@moment.test\n", encoding="utf-8")
        made.append(cli.json("import", str(f))["data"]["batch_id"])
    listed = [b["id"] for b in cli.json("import", "history")["data"]]
    assert listed == made[::-1]
