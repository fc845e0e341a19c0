"""The real-format samples in ../shared/testdata, driven by corpus_csv.json (one expected outcome per file).

Under CI=true a missing ../shared/testdata fails the suite instead of skipping it (see
tests/support/paths.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.imports import NOW
from tests.support.paths import TESTDATA, require_testdata
from tests.support.store import canonical_dump, people, query

MANIFEST = json.loads((Path(__file__).parent / "corpus_csv.json").read_text(encoding="utf-8"))["files"]
FOLDERS = ("linkedin", "google_csv", "outlook_csv")


def _id(entry: dict) -> str:
    return (
        entry["path"]
        + (" " + " ".join(entry.get("args", [])) if entry.get("args") else "")
        + (" (fails)" if "fails" in entry else "")
    )


def test_every_sample_is_in_the_manifest():
    root = require_testdata()
    on_disk = {
        str(p.relative_to(root)) for folder in FOLDERS for p in (root / folder).iterdir() if p.is_file()
    }
    assert on_disk == {e["path"] for e in MANIFEST}


@pytest.mark.parametrize("entry", MANIFEST, ids=_id)
def test_real_sample(entry, cli, db):
    root = require_testdata()
    for cmd in entry.get("setup", []):
        cli(*cmd, "--now", NOW)
    path = root / entry["path"]
    if "fails" in entry:
        before = canonical_dump(db)
        res = cli.json("import", str(path), *entry.get("args", []), "--now", NOW, ok=False)
        assert entry["fails"] in res["error"]["message"]
        assert canonical_dump(db) == before
        return
    res = cli.json("import", str(path), *entry.get("args", []), "--now", NOW)
    rep = res["data"]
    assert res["meta"]["format"] == entry["format"]
    assert rep["contacts_created"] == entry["contacts_created"]
    assert rep["interactions_created"] == entry["interactions_created"]
    assert rep["errors"] == entry["errors"]
    assert rep["unmatched_names"] == entry.get("unmatched_names", [])
    found = people(db)
    for name, fields in entry.get("contacts", {}).items():
        assert name in found, sorted(found)
        for k, v in fields.items():
            assert found[name][k] == v, (name, k)
    if "interactions" in entry:
        rows = query(
            db,
            "SELECT c.full_name, i.direction, i.raw_reference_id, i.occurred_at FROM interactions i "
            "JOIN contacts c ON c.id = i.contact_id ORDER BY i.id",
        )
        assert sorted(map(list, rows)) == sorted(entry["interactions"])
    # a rerun changes nothing
    before = canonical_dump(db)
    again = cli.json("import", str(path), *entry.get("args", []), "--now", NOW)["data"]
    assert again["contacts_created"] == 0 and again["interactions_created"] == 0 and again["batch_id"] is None
    assert canonical_dump(db) == before


def test_testdata_location():
    # the samples live beside the checkout, never copied into the project
    assert Path(__file__).resolve().parents[2].parent / "shared" / "testdata" == TESTDATA


def test_missing_testdata_fails_under_ci(monkeypatch, tmp_path):
    from tests.support import paths

    monkeypatch.setattr(paths, "TESTDATA", tmp_path / "nowhere")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        paths.require_testdata()
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception):
        paths.require_testdata()
