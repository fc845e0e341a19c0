"""`pcrm export json|csv` and restoring a JSON export into an empty store (D24, D20)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.imports.conftest import NOW, canonical_dump, diff_dumps, people


def _switch_home(monkeypatch: pytest.MonkeyPatch, home: Path) -> Path:
    monkeypatch.setenv("PCRM_HOME", str(home))
    return home / "pcrm.db"


def test_json_round_trip_restores_every_table(cli, db, fx, tmp_path, monkeypatch):
    cli("demo", "--contacts", "120", "--now", NOW)
    # some of everything imports add: a batch with its journal, a job-change event, settings
    cli("import", str(fx / "Connections.csv"), "--now", NOW)
    cli("import", str(fx / "Connections_nopreamble.csv"), "--now", NOW)
    cli("settings", "set", "me", '{"names": ["Me Myself"]}')
    original = canonical_dump(db)
    assert original["contacts"] and original["interactions"] and original["detected_events"]
    out = tmp_path / "export.json"
    res = cli.json("export", "json", "--output", str(out), "--now", NOW)
    assert res["data"]["path"] == str(out) and res["data"]["bytes"] == out.stat().st_size
    doc = json.loads(out.read_bytes())
    assert doc["format"] == "pcrm-export" and doc["version"] == 1
    assert "users" not in doc["tables"] and "api_tokens" not in doc["tables"]
    assert all("id" not in t["columns"] for t in doc["tables"].values())  # public ids only (D2)

    restored_db = _switch_home(monkeypatch, tmp_path / "fresh")
    rep = cli.json("import", str(out), "--now", NOW)
    assert rep["meta"]["format"] == "json"
    assert rep["data"]["contacts_created"] == len(original["contacts"])
    assert Path(rep["meta"]["backup"]).exists()  # D20: backup first
    restored = canonical_dump(restored_db)
    assert restored == original, diff_dumps(original, restored)
    # and the restored store exports the same rows
    again = tmp_path / "again.json"
    cli("export", "json", "--output", str(again), "--now", NOW)
    assert json.loads(again.read_bytes())["tables"] == doc["tables"]


def test_json_export_to_stdout_is_the_same_document(cli, fx, tmp_path):
    cli("import", str(fx / "contacts_alt.csv"), "--now", NOW)
    out = tmp_path / "e.json"
    cli("export", "json", "--output", str(out), "--now", NOW)
    assert cli("export", "json", "--now", NOW).stdout == out.read_text()


def test_json_import_refuses_a_non_empty_store(cli, fx, tmp_path, dump):
    cli("import", str(fx / "contacts_alt.csv"), "--now", NOW)
    out = tmp_path / "e.json"
    cli("export", "json", "--output", str(out))
    before = dump()
    err = cli.json("import", str(out), ok=False)["error"]
    assert err["code"] == "conflict" and "only restores into an empty store" in err["message"]
    assert "PCRM_HOME" in err["hint"]
    assert dump() == before


def test_json_import_rejects_damaged_or_foreign_files(cli, tmp_path, dump):
    before = dump()
    bad = tmp_path / "x.json"
    bad.write_text('{"format": "pcrm-export", "version": 99, "tables": {}}')
    err = cli.json("import", str(bad), "--format", "json", ok=False)["error"]
    assert "format version 99" in err["message"]
    bad.write_text(
        '{"format": "pcrm-export", "version": 1, "tables": {"contacts": {"columns": ["nope"], "rows": []}}}'
    )
    err = cli.json("import", str(bad), "--format", "json", ok=False)["error"]
    assert "columns this pcrm does not know: nope" in err["message"]
    bad.write_text(
        '{"format": "pcrm-export", "version": 1, "tables": {"contact_emails": '
        '{"columns": ["contact_id", "email"], "rows": [["no-such-contact", "a@b.c"]]}}}'
    )
    err = cli.json("import", str(bad), "--format", "json", ok=False)["error"]
    assert "nothing was imported" in err["message"]
    bad.write_text('{"format": "pcrm-exp')
    err = cli.json("import", str(bad), "--format", "json", ok=False)["error"]
    assert "is not valid JSON" in err["message"]
    assert dump() == before


def test_export_never_includes_secrets(cli, tmp_path):
    cli("token", "create", "laptop-script")
    cli("contacts", "add", "--name", "Ada Lovelace")
    out = tmp_path / "e.json"
    cli("export", "json", "--output", str(out))
    doc = json.loads(out.read_bytes())
    assert "api_tokens" not in doc["tables"]
    text = out.read_text()
    assert "token_hash" not in text and "hashed_password" not in text


def test_csv_export_imports_back(cli, fx, tmp_path, monkeypatch, db):
    cli("import", str(fx / "contacts.csv"), "--now", NOW)
    cli("import", str(fx / "google_new.csv"), "--now", NOW)
    before = {
        k: (
            v["emails"],
            v["phones"],
            v["tags"],
            v["company"],
            v["title"],
            v["notes"],
            v["birthday"],
            v["twitter_handle"],
            v["telegram_username"],
        )
        for k, v in people(db).items()
    }
    out = tmp_path / "contacts.csv"
    res = cli.json("export", "csv", "--output", str(out))
    assert res["data"]["contacts"] == len(before)
    header = out.read_text().splitlines()[0]
    assert header.startswith("id,full_name,given_name,family_name,emails,phones,company,title")
    fresh = _switch_home(monkeypatch, tmp_path / "fresh")
    rep = cli.json("import", str(out))["data"]
    assert rep["contacts_created"] == len(before) and rep["errors"] == []
    after = {
        k: (
            v["emails"],
            v["phones"],
            v["tags"],
            v["company"],
            v["title"],
            v["notes"],
            v["birthday"],
            v["twitter_handle"],
            v["telegram_username"],
        )
        for k, v in people(fresh).items()
    }
    assert after == before


def test_export_errors(cli, tmp_path):
    res = cli.json("export", "json", ok=False)  # --json needs --output (the data itself goes to stdout)
    assert res["error"]["code"] == "bad_request"
    res = cli.json("export", "csv", "--output", str(tmp_path / "no" / "such" / "dir.csv"), ok=False)
    assert res["error"]["code"] == "not_found"
