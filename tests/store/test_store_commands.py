"""`pcrm init`, `pcrm paths`, `pcrm demo`, `pcrm db backup | restore | check | migrate --list` [one-store]
[automatic-backups]."""

from __future__ import annotations

import json

import apsw
import pytest

from pcrm.store.migrations import MIGRATIONS
from tests.support.crm import NOW
from tests.support.store import dump_store

ALL_MIGRATIONS = [name for name, _ in MIGRATIONS]


# ------------------------------------------------------------------ init, paths


def test_init_creates_the_store_and_its_folders_and_is_idempotent(cli, pcrm_home):
    out = cli.json("init")
    assert out["data"] == {
        "database": str(pcrm_home / "pcrm.db"),
        "migrations": ALL_MIGRATIONS,
        "contacts": 0,
        "phone_region": None,  # the tests' locale (C.UTF-8) names no country
    }
    for d in ("avatars", "backups", "exports", "run"):
        assert (pcrm_home / d).is_dir()
    before = dump_store(pcrm_home / "pcrm.db")
    assert cli("init").stdout.startswith(f"store ready at {pcrm_home / 'pcrm.db'} (0 contacts)")
    assert dump_store(pcrm_home / "pcrm.db") == before


def test_paths_shows_where_things_live_without_creating_anything(cli, pcrm_home):
    data = cli.json("paths")["data"]
    assert data == {
        "home": str(pcrm_home),
        "database": str(pcrm_home / "pcrm.db"),
        "avatars": str(pcrm_home / "avatars"),
        "backups": str(pcrm_home / "backups"),
        "exports": str(pcrm_home / "exports"),
        "run": str(pcrm_home / "run"),
        "phone_region": None,
    }
    assert not pcrm_home.exists()
    human = cli("paths").stdout
    assert "database" in human and str(pcrm_home / "pcrm.db") in human


# ------------------------------------------------------------------ demo


@pytest.fixture(scope="module")
def _demo_once(tmp_path_factory):
    """`pcrm demo` with its defaults, built once for this module; each test gets a copy."""
    from typer.testing import CliRunner

    from pcrm.cli import app

    home = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PCRM_HOME", str(home))
        mp.setenv("PCRM_NOW", NOW)
        r = CliRunner().invoke(app, ["demo", "--json"])
    assert r.exit_code == 0, r.stderr
    assert not (home / "pcrm.db-wal").exists() or (home / "pcrm.db-wal").stat().st_size == 0
    return home / "pcrm.db", json.loads(r.stdout)


@pytest.fixture
def demo_run(_demo_once, monkeypatch, pcrm_home):
    import shutil

    monkeypatch.setenv("PCRM_NOW", NOW)
    pcrm_home.mkdir(mode=0o700)  # as pcrm makes a home ([private-files])
    shutil.copy(_demo_once[0], pcrm_home / "pcrm.db")
    out = json.loads(json.dumps(_demo_once[1]))
    out["meta"]["database"] = str(pcrm_home / "pcrm.db")
    return out


def test_demo_fills_an_empty_store_and_shows_the_overdue_list(cli, demo_run, pcrm_home):
    d = demo_run["data"]
    assert d["contacts"] == 305  # 300 people and 5 duplicates
    assert d["interactions"] > 5000 and d["organizations"] >= 10
    assert demo_run["meta"] == {"database": str(pcrm_home / "pcrm.db")}
    overdue = d["overdue"]
    assert overdue, "the demo should have someone overdue"
    assert overdue == cli.json("contacts", "overdue")["data"]
    assert all(c["priority_level"] == "high" and c["days_overdue"] > 0 for c in overdue)
    assert [c["days_overdue"] for c in overdue] == sorted((c["days_overdue"] for c in overdue), reverse=True)
    # a living CRM: scores, several platforms, both directions, tags, birthdays
    listed = [
        c
        for page in (1, 2, 3, 4)
        for c in cli.json(
            "contacts", "list", "--page-size", "100", "--page", str(page), "--include-archived"
        )["data"]
    ]
    assert len(listed) == 305 == len({c["id"] for c in listed})
    assert max(c["relationship_score"] for c in listed) >= 7
    assert any(c["birthday"] for c in listed) and any(c["tags"] for c in listed)
    assert cli.json("contacts", "list", "--archived-only")["meta"]["total"] >= 1
    busiest = max(listed, key=lambda c: c["interaction_count"])
    page = cli.json("interactions", "list", busiest["id"], "--limit", "200")
    items = page["data"]
    assert page["meta"]["total"] >= busiest["interaction_count"] > 50
    assert {"inbound", "outbound"} <= {i["direction"] for i in items}
    assert cli.json("tags", "list")["data"]


def test_demo_renders_the_overdue_table(cli, monkeypatch):
    monkeypatch.setenv("PCRM_NOW", NOW)
    r = cli("demo", "--contacts", "30")
    assert "Overdue" in r.stdout and "high" in r.stdout
    assert "demo ready: 31 contacts" in r.stderr


def test_demo_is_deterministic(cli, monkeypatch, tmp_path):
    monkeypatch.setenv("PCRM_NOW", NOW)
    names = []
    for home in ("a", "b"):
        monkeypatch.setenv("PCRM_HOME", str(tmp_path / home))
        cli("demo", "--contacts", "20", "--seed", "3")
        names.append(
            [
                (c["full_name"], c["relationship_score"])
                for c in cli.json("contacts", "list", "--sort", "created", "--include-archived")["data"]
            ]
        )
    assert names[0] == names[1]


def test_demo_refuses_a_store_with_contacts(cli, monkeypatch, pcrm_home):
    from tests.support.crm import Crm

    monkeypatch.setenv("PCRM_NOW", NOW)
    cli("contacts", "add", "--name", "Ada Lovelace")
    Crm(cli, pcrm_home).rejects(
        "demo", "--contacts", "20", code="conflict", says="already holds 1 contact;", hint="PCRM_HOME"
    )


def test_db_check_is_ok_on_the_demo(cli, demo_run):
    out = cli.json("db", "check")
    assert out["data"] == {
        "ok": True,
        "problems": [],
        "damaged": False,
        "hint": None,
        "unchecked": [],
        "fixed": [],
        "tightened": [],
        "stray_logos": [],  # no logo file left behind [bulk-undo]
    }
    assert cli("db", "check").stdout.startswith("ok:")


def test_db_check_reports_a_broken_search_index(cli, demo_run, pcrm_home):
    conn = apsw.Connection(str(pcrm_home / "pcrm.db"))
    conn.execute("DELETE FROM contacts_fts WHERE rowid IN (SELECT id FROM contacts LIMIT 2)")
    conn.close()
    out = cli.json("db", "check", ok=False)  # scripts see the failure in the exit code too
    assert out["data"]["ok"] is False
    assert "2 contacts missing from the search index" in out["data"]["problems"]
    human = cli("db", "check", ok=None)
    assert human.exit_code == 1 and "problem:" in human.stdout


def test_db_check_counts_one_missing_contact_in_the_singular(cli, demo_run, pcrm_home):
    conn = apsw.Connection(str(pcrm_home / "pcrm.db"))
    conn.execute("DELETE FROM contacts_fts WHERE rowid IN (SELECT id FROM contacts LIMIT 1)")
    conn.close()
    out = cli.json("db", "check", ok=False)
    assert "1 contact missing from the search index" in out["data"]["problems"]


# ------------------------------------------------------------------ backup and restore


def test_backup_then_restore_brings_the_store_back(cli, demo_run, pcrm_home, tmp_path):
    db = pcrm_home / "pcrm.db"
    before = dump_store(db)
    target = tmp_path / "saved.db"
    out = cli.json("db", "backup", str(target))["data"]
    assert out["path"] == str(target) and out["bytes"] == target.stat().st_size > 0
    assert dump_store(target) == before

    # change the store in every way a user can
    cli("contacts", "add", "--name", "Newcomer", "--email", "new@example.com")
    victim = cli.json("contacts", "list")["data"][0]
    cli("contacts", "rm", victim["id"], "--yes")
    cli("note", "add", "newcomer", "after the backup")
    assert dump_store(db) != before

    restored = cli.json("db", "restore", str(target), "--yes")["data"]
    assert restored["restored_from"] == str(target)
    assert restored["contacts"] == 305 and restored["migrations_applied"] == []
    assert dump_store(db) == before
    # the store it replaced was saved first, and holds the newcomer
    saved = restored["previous_saved_to"]
    assert saved.startswith(str(pcrm_home / "backups"))
    conn = apsw.Connection(saved, flags=apsw.SQLITE_OPEN_READONLY)
    assert conn.execute("SELECT count(*) FROM contacts WHERE full_name = 'Newcomer'").fetchone()[0] == 1
    conn.close()
    # and the restored store works
    assert cli.json("contacts", "show", victim["id"])["data"]["full_name"] == victim["full_name"]
    assert cli.json("db", "check")["data"]["ok"] is True


def test_backup_without_a_file_goes_to_the_backups_folder(cli, demo_run, pcrm_home):
    out = cli.json("db", "backup")["data"]
    assert out["path"].startswith(str(pcrm_home / "backups")) and out["path"].endswith("-manual.db")
    assert "backup written to" in cli("db", "backup").stdout  # a second one gets its own name
    assert len(list((pcrm_home / "backups").glob("*.db"))) == 2


def test_backup_into_a_folder_names_the_file(cli, demo_run, tmp_path):
    out = cli.json("db", "backup", str(tmp_path))["data"]
    assert out["path"] == str(tmp_path / "pcrm-20260615-120000.db")


def test_backup_never_overwrites(cli, demo_run, pcrm_home, tmp_path):
    from tests.support.crm import Crm

    target = tmp_path / "taken.db"
    target.write_bytes(b"precious")
    Crm(cli, pcrm_home).rejects("db", "backup", str(target), code="conflict", says="already exists")
    assert target.read_bytes() == b"precious"


def test_backup_into_a_folder_that_does_not_exist_is_refused_as_an_export_is(
    cli, demo_run, pcrm_home, tmp_path
):
    """No folder is created for a backup (a typo in a path grew a tree of folders): `no folder`, as
    `pcrm export --output` says, also when a file stands where a folder should be."""
    from tests.support.crm import Crm

    crm = Crm(cli, pcrm_home)
    missing = tmp_path / "no" / "such" / "dir"
    crm.rejects("db", "backup", str(missing / "x.db"), code="not_found", says=f"no folder {missing}")
    assert not (tmp_path / "no").exists()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    crm.rejects("db", "backup", str(blocker / "sub" / "x.db"), code="not_found", hint="create it first")
    export = cli("export", "json", "--output", str(missing / "x.json"), ok=False)
    assert f"no folder {missing}" in export.stderr


def test_backup_to_a_place_that_cannot_be_written_is_a_clear_error(cli, demo_run, pcrm_home, tmp_path):
    from tests.support.crm import Crm

    Crm(cli, pcrm_home).rejects(
        "db",
        "backup",
        str(tmp_path / ("x" * 300 + ".db")),  # longer than a file name may be
        code="bad_request",
        says="cannot write a backup",
        hint="folder you can write to",
    )


def test_restore_refuses_what_is_not_a_healthy_pcrm_backup(cli, demo_run, pcrm_home, tmp_path):
    from tests.support.crm import Crm

    crm = Crm(cli, pcrm_home)
    crm.rejects("db", "restore", str(tmp_path / "missing.db"), "--yes", code="not_found")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    crm.rejects("db", "restore", str(junk), "--yes", code="bad_request", says="not a SQLite database")
    exported = tmp_path / "my crm.json"  # a JSON export is restored by `pcrm import`, and the hint says so
    cli("export", "json", "--output", str(exported))
    err = crm.rejects(
        "db", "restore", str(exported), "--yes", code="bad_request", says="not a SQLite database"
    )
    assert f"pcrm import '{exported}'" in err["hint"]
    other = tmp_path / "other.db"
    conn = apsw.Connection(str(other))
    conn.execute("CREATE TABLE t(x)")
    conn.close()
    crm.rejects("db", "restore", str(other), "--yes", code="bad_request", says="not a healthy pcrm database")
    newer = tmp_path / "newer.db"
    cli("db", "backup", str(newer))
    conn = apsw.Connection(str(newer))
    conn.execute("INSERT INTO schema_migrations VALUES ('m999_from_the_future', ?)", (NOW,))
    conn.close()
    crm.rejects("db", "restore", str(newer), "--yes", code="conflict", says="newer pcrm", hint="upgrade")
    assert not list((pcrm_home / "backups").glob("*before-restore*"))


# ------------------------------------------------------------------ migrations


def test_migrate_list(cli, pcrm_home):
    """By number: it listed them in the order they run, m032_name_plain before m031_search_spellings."""
    cli("init")
    out = cli.json("db", "migrate", "--list")
    assert out["data"] == [{"name": n, "applied": True} for n in sorted(ALL_MIGRATIONS)]
    human = cli("db", "migrate", "--list").stdout.splitlines()
    assert [line.split() for line in human] == [[n, "applied"] for n in sorted(ALL_MIGRATIONS)]
    names = [line.split()[0] for line in human]
    assert names.index("m031_search_spellings") < names.index("m032_name_plain")


def test_migrate_says_what_it_applied_or_that_the_store_is_up_to_date(cli, pcrm_home):
    """`pcrm db migrate` printed the list of applied migrations whether or not it applied any: it says what
    it did, `up to date` when nothing was pending; --list shows the list."""
    from pcrm.store.db import connect
    from pcrm.store.migrations import migrate

    conn = connect(pcrm_home / "pcrm.db", migrate=False)
    migrate(conn, upto=ALL_MIGRATIONS[-3])
    conn.close()
    pending = ALL_MIGRATIONS[-2:]
    listed = {m["name"]: m["applied"] for m in cli.json("db", "migrate", "--list")["data"]}
    assert [n for n, done in listed.items() if not done] == sorted(pending)
    got = cli("db", "migrate")
    assert got.stdout == f"applied 2 migrations: {', '.join(pending)}\n", got.stdout
    assert (
        cli("db", "migrate").stdout
        == f"up to date: nothing to apply ({len(ALL_MIGRATIONS)} migrations applied)\n"
    )
    assert cli.json("db", "migrate")["data"] == {"applied": [], "known": len(ALL_MIGRATIONS)}
    assert [m["applied"] for m in cli.json("db", "migrate", "--list")["data"]] == [True] * len(ALL_MIGRATIONS)


def test_a_store_written_by_a_newer_pcrm_is_refused(cli, pcrm_home):
    cli("contacts", "add", "--name", "Ada Lovelace")
    conn = apsw.Connection(str(pcrm_home / "pcrm.db"))
    conn.execute("INSERT INTO schema_migrations VALUES ('m999_from_the_future', ?)", (NOW,))
    conn.close()
    before = dump_store(pcrm_home / "pcrm.db")
    for args in (
        ("contacts", "list"),
        ("db", "migrate", "--list"),
        ("db", "migrate"),
        ("contacts", "add", "--name", "Grace"),
    ):
        r = cli(*args, ok=None)
        assert r.exit_code == 1
        assert "newer pcrm" in r.stderr and "m999_from_the_future" in r.stderr
        assert "hint:" in r.stderr
        env = json.loads(cli(*args, "--json", ok=None).stdout)
        assert env["error"]["code"] == "conflict"
    assert dump_store(pcrm_home / "pcrm.db") == before


def test_commands_that_need_no_store_leave_none_behind(cli, pcrm_home):
    cli("--help")
    cli("contacts", "--help")
    cli("paths")
    assert not (pcrm_home / "pcrm.db").exists()


def test_a_store_locked_by_another_writer_is_a_clear_error(cli, monkeypatch, pcrm_home):
    from pcrm.store import db

    monkeypatch.setenv("PCRM_NOW", NOW)
    cli("contacts", "add", "--name", "Ada Lovelace")
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)
    other = apsw.Connection(str(pcrm_home / "pcrm.db"))
    other.execute("BEGIN IMMEDIATE")
    try:
        r = cli("contacts", "add", "--name", "Grace Hopper", ok=None)
        assert r.exit_code == 1
        assert r.stderr.startswith("error: the store is busy") and "hint: try again" in r.stderr
        env = json.loads(cli("note", "add", "ada", "hi", "--json", ok=None).stdout)
        assert env["error"]["code"] == "unavailable"  # to retry, not a duplicate [store-busy]
        assert env["error"]["message"].startswith("the store is busy")
    finally:
        other.execute("ROLLBACK")
        other.close()
    cli("contacts", "add", "--name", "Grace Hopper")
