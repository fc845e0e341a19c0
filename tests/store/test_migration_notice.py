"""A store that holds data and has migrations pending says so while it is updated [migration-notice]: an
update of 1M messages ran ~10 s with nothing on screen, and the user thought pcrm hung. The notice goes to
stderr (stdout stays the `--json` envelope) or to the daemon's log; a new store, and one with nothing
pending, say nothing."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from pcrm.store import migrations
from pcrm.store.db import connect

NOW = "2026-06-15T12:00:00.000Z"
OLD = "m036_bulk_updates"  # a store some releases old: m037 and every later migration pending
UPDATING = "Updating the store for this version of pcrm (one time, may take a minute on a big store)…"


def _old_store(db: Path, *, with_data: bool = True) -> None:
    """A store as an older pcrm left it, with a contact and a message in it (or empty)."""
    db.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(db, migrate=False)
    migrations.migrate(conn, upto=OLD)
    if with_data:
        conn.execute(
            "INSERT INTO contacts(id, uuid, full_name, name_fold, priority_level, created_at, updated_at) "
            "VALUES (1, '00000001-0000-4000-8000-000000000000', 'Ann Example', 'ann example', 'high', ?, ?)",
            (NOW, NOW),
        )
        conn.execute(
            "INSERT INTO interactions(uuid, contact_id, platform, direction, content_preview, occurred_at, "
            "created_at) VALUES ('00000002-0000-4000-8000-000000000000', 1, 'manual', 'note', "
            "'Dinner in Zürich', ?, ?)",
            (NOW, NOW),
        )
    conn.close()


def _said(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def test_a_command_on_an_old_store_says_it_updates_it_on_stderr_and_json_stays_clean(cli, pcrm_home):
    _old_store(pcrm_home / "pcrm.db")
    r = cli("contacts", "list", "--json")
    lines = _said(r.stderr)
    assert lines[0] == UPDATING, r.stderr
    assert len(lines) == 2 and lines[1].startswith("Store updated in ") and lines[1].endswith("."), lines
    env = json.loads(r.stdout)  # nothing but the envelope on stdout
    assert [c["full_name"] for c in env["data"]] == ["Ann Example"]
    # it is updated once: the next command says nothing, and the message m042 indexed again is found
    again = cli("contacts", "list", "--search", "zurich", "--json")
    assert again.stderr == ""
    assert [c["full_name"] for c in json.loads(again.stdout)["data"]] == ["Ann Example"]


def test_a_new_store_and_an_up_to_date_one_say_nothing(cli, pcrm_home):
    first = cli("contacts", "add", "--name", "Ann Example", "--json")
    assert first.stderr == "" and json.loads(first.stdout)["data"]["full_name"] == "Ann Example"
    assert cli("contacts", "list", "--json").stderr == ""


def test_a_fresh_demo_says_nothing_of_an_update(cli, pcrm_home):
    said = cli("demo").stderr
    assert said.startswith("demo ready: ") and "Updating" not in said and "updated in" not in said


def test_an_old_store_with_nothing_in_it_updates_quietly(cli, pcrm_home):
    """A store an older pcrm made and never filled migrates in milliseconds: no notice to alarm anyone."""
    _old_store(pcrm_home / "pcrm.db", with_data=False)
    r = cli("contacts", "list", "--json")
    assert r.stderr == "" and json.loads(r.stdout)["data"] == []
    conn = connect(pcrm_home / "pcrm.db", migrate=False)
    assert migrations.applied(conn) == [n for n, _ in migrations.MIGRATIONS]
    conn.close()


def test_db_migrate_says_it_too_before_saying_what_it_applied(cli, pcrm_home):
    _old_store(pcrm_home / "pcrm.db")
    r = cli("db", "migrate")
    assert _said(r.stderr)[0] == UPDATING
    names = [n for n, _ in migrations.MIGRATIONS]
    after = names[names.index(OLD) + 1 :]  # every migration since the old store's
    assert "m042_message_accents" in after
    assert r.stdout == f"applied {len(after)} migrations: {', '.join(after)}\n"


@pytest.fixture
def store_log() -> list[str]:
    """What the store's logger says (the daemon routes 'pcrm' to its log; tests may have stopped its
    propagation to the root logger, so the records are taken at the logger itself)."""
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    lg = logging.getLogger("pcrm.store")
    handler, level = Keep(), lg.level
    lg.addHandler(handler)
    lg.setLevel(logging.INFO)
    yield seen
    lg.removeHandler(handler)
    lg.setLevel(level)


def test_the_daemon_logs_the_update(pcrm_home, store_log):
    from pcrm.daemon import server

    _old_store(pcrm_home / "pcrm.db")
    server._store_opens()
    assert store_log[0] == UPDATING and store_log[1].startswith("Store updated in "), store_log
    store_log.clear()
    server._store_opens()
    assert store_log == []


def test_the_api_runtime_logs_the_update_it_makes(tmp_path, store_log):
    from pcrm.api.runtime import Runtime

    db = tmp_path / "pcrm.db"
    _old_store(db)
    rt = Runtime(db_path=db, allowed_hosts=frozenset(), readers=0)
    rt.open()
    rt.close()
    assert store_log[0] == UPDATING and len(store_log) == 2, store_log
