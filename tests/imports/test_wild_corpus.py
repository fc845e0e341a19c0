"""The wild corpus (tests/fixtures/wild: other projects' real-format test files, SOURCES.md) through
`pcrm import`, against its manifest: per file the format, the counts, a few expected values, or the
refusal. A dry run writes nothing, a rerun changes nothing, undo restores the store, and a file read as
nothing is an error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pcrm.domain.models import display_name

WILD = Path(__file__).resolve().parent.parent / "fixtures" / "wild"
MANIFEST: dict[str, dict[str, Any]] = json.loads((WILD / "manifest.json").read_text(encoding="utf-8"))
NOW = "2026-03-01T12:00:00Z"


def test_every_fixture_is_in_the_manifest_and_in_sources():
    files = {
        p.relative_to(WILD).as_posix()
        for p in WILD.rglob("*")
        if p.is_file() and p.name not in ("manifest.json", "SOURCES.md", ".gitattributes")
    }
    assert files == set(MANIFEST)
    sources = (WILD / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in sources for name in files)


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_wild_file(name, cli, dump, contacts):
    spec = MANIFEST[name]
    path = WILD / name
    args = [*spec.get("args", []), "--now", NOW]
    empty = dump(skip=("import_batches", "settings"))
    if "error" in spec:
        env = cli.json("import", str(path), *args, ok=False)
        assert env["error"]["message"].startswith(spec["error"]), env["error"]
        assert env["error"]["hint"]
        assert dump(skip=("import_batches", "settings")) == empty
        return
    dry = cli.json("import", str(path), *args, "--dry-run")["data"]
    assert dump(skip=("import_batches", "settings")) == empty
    env = cli.json("import", str(path), *args)
    rep = env["data"]
    assert env["meta"]["format"] == spec["format"]
    assert (rep["contacts_created"], rep["interactions_created"]) == (
        spec["contacts_created"],
        spec["interactions_created"],
    )
    assert (dry["contacts_created"], dry["interactions_created"]) == (
        rep["contacts_created"],
        rep["interactions_created"],
    )
    assert len(rep["errors"]) == spec.get("row_errors", 0), rep["errors"]
    # people by the name lists show (a contact with no name by its e-mail or number [display-name])
    people = {display_name(c): c for c in contacts()}
    for person, fields in spec.get("contacts", {}).items():
        assert person in people, sorted(people)
        for key, value in fields.items():
            assert people[person][key] == value, (person, key)
    for person, occurred_at, direction in spec.get("interactions", []):
        got = cli.json("interactions", "list", people[person]["id"])["data"]
        assert any(i["occurred_at"] == occurred_at and i["direction"] == direction for i in got), got
    again = cli.json("import", str(path), *args)["data"]
    assert again["contacts_created"] == 0 and again["interactions_created"] == 0 and again["batch_id"] is None
    cli.json("import", "undo", rep["batch_id"], "--yes", "--now", NOW)
    assert dump(skip=("import_batches", "settings")) == empty
