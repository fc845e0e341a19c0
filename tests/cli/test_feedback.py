"""Feedback on slow work: dry runs name the contacts, `import undo --dry-run` changes nothing, and slow
commands show a spinner on stderr only at a terminal."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tests.cli.test_tables import _in_a_terminal
from tests.support.crm import Crm


def test_import_dry_run_names_the_contacts(cli: Any, fx: Path) -> None:
    cli("contacts", "add", "--name", "Sophie Wilson", "--email", "sophie.wilson@example.com")
    out = cli("import", str(fx / "Connections.csv"), "--dry-run").stdout
    assert "  new: Anna Karenina · " in out and "Ken Thompson" in out
    assert "Jane Doe, MBA ★" in out  # names joined by ·, so a comma stays inside its name
    # --json stays the API's envelope (no names), as the upload route answers
    meta = cli.json("import", str(fx / "Connections.csv"), "--dry-run")["meta"]
    assert "would_create" not in meta


def test_import_undo_dry_run_names_and_changes_nothing(cli: Any, imp: Any, fx: Path, dump: Any) -> None:
    batch = imp(fx / "Connections.csv")["data"]["batch_id"]
    before = dump()
    preview = cli.json("import", "undo", batch[:8], "--dry-run")
    assert preview["meta"] == {"dry_run": True}
    assert preview["data"]["contacts_removed"] == len(preview["data"]["removed_names"]) > 0
    assert "Ken Thompson" in preview["data"]["removed_names"]
    assert dump() == before  # nothing changed, not even the batch's status
    text = cli("import", "undo", batch[:8], "--dry-run").stdout
    assert text.startswith("dry run, nothing changed: would undo batch") and "removes: " in text
    real = cli.json("import", "undo", batch[:8], "--yes")["data"]
    assert real["contacts_removed"] == preview["data"]["contacts_removed"]


def test_a_spinner_at_a_terminal_only(crm: Crm, tmp_path: Path) -> None:
    crm.add("Ada Lovelace")
    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", os.getcwd()), "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    seen = _in_a_terminal(["export", "csv", "--output", str(tmp_path / "a.csv")], env)
    assert b"exporting csv" in seen and (tmp_path / "a.csv").exists()
    piped = crm.cli("export", "csv", "--output", str(tmp_path / "b.csv"))
    assert "exporting" not in piped.stderr
