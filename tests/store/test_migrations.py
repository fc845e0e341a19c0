"""Migrations: the migrated schema matches the committed snapshot, an m001 store with data upgrades in
place (and its old data is searchable), a store from a newer pcrm is refused, and the pragmas hold."""

from __future__ import annotations

from pathlib import Path

import apsw
import pytest

from pcrm.errors import PcrmError
from pcrm.store import migrations
from pcrm.store.db import connect
from tests.support.schema_snapshot import SNAPSHOT, migrated_schema, schema_sql

NOW = "2026-06-15T12:00:00.000Z"


def test_migrated_schema_matches_the_snapshot():
    """If this fails after you added a migration on purpose, regenerate the snapshot with
    `.venv/bin/python -m tests.support.schema_snapshot` and review the diff of tests/store/schema.sql."""
    assert migrated_schema() == SNAPSHOT.read_text(encoding="utf-8")


def test_every_migration_is_recorded_once_and_opening_again_applies_nothing(tmp_path):
    db = tmp_path / "pcrm.db"
    conn = connect(db)
    names = [n for n, _ in migrations.MIGRATIONS]
    assert migrations.applied(conn) == names
    assert migrations.migrate(conn) == []
    assert migrations.status(conn) == [{"name": n, "applied": True} for n in names]
    before = schema_sql(conn)
    conn.close()
    conn = connect(db)
    assert migrations.applied(conn) == names and schema_sql(conn) == before
    conn.close()


def _add_ann(conn: apsw.Connection) -> None:
    """Contact 1, Ann, written as a store of any migration holds it (no pcrm code runs)."""
    conn.execute(
        "INSERT INTO contacts(id, uuid, full_name, name_fold, priority_level, created_at, updated_at) "
        "VALUES (1, '00000001-0000-4000-8000-000000000000', 'Ann', 'ann', 'high', ?, ?)",
        (NOW, NOW),
    )


def test_pragmas_on_open(tmp_path):
    conn = connect(tmp_path / "pcrm.db")
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    finally:
        conn.close()


def test_status_lists_pending_migrations(tmp_path):
    conn = connect(tmp_path / "pcrm.db", migrate=False)
    try:
        assert migrations.migrate(conn, upto="m001_initial") == ["m001_initial"]
        status = migrations.status(conn)
        assert status[0] == {"name": "m001_initial", "applied": True}
        assert all(not s["applied"] for s in status[1:]) and len(status) == len(migrations.MIGRATIONS)
    finally:
        conn.close()


def _m001_store_with_data(db: Path) -> None:
    """A store as the first release left it: only m001 applied, with a contact and a message."""
    conn = connect(db, migrate=False)
    migrations.migrate(conn, upto="m001_initial")
    assert "contacts_fts" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO contacts(id, uuid, full_name, name_fold, company, priority_level, created_at, "
        "updated_at) VALUES (1, '11111111-1111-4111-8111-111111111111', 'Ada Lovelace', 'ada lovelace', "
        "'Analytical Engines', 'high', ?, ?)",
        (NOW, NOW),
    )
    conn.execute("INSERT INTO contact_emails(contact_id, email) VALUES (1, 'ada@analytical.io')")
    conn.execute(
        "INSERT INTO contact_identities(contact_id, platform, handle, created_at) "
        "VALUES (1, 'twitter', 'enchantress', ?)",
        (NOW,),
    )
    conn.execute(
        "INSERT INTO interactions(uuid, contact_id, platform, direction, content_preview, occurred_at, "
        "created_at) VALUES ('22222222-2222-4222-8222-222222222222', 1, 'email', 'inbound', "
        "'Notes on the Bernoulli numbers', '2026-06-01T10:00:00.000Z', ?)",
        (NOW,),
    )
    conn.execute("COMMIT")
    conn.close()


def test_an_m001_store_with_data_upgrades_and_its_data_is_searchable(tmp_path, monkeypatch):
    db = tmp_path / "pcrm.db"
    _m001_store_with_data(db)
    monkeypatch.setenv("PCRM_HOME", str(tmp_path))
    monkeypatch.setenv("PCRM_NOW", NOW)

    conn = connect(db)  # opens normally: m002 applies
    try:
        assert migrations.applied(conn) == [n for n, _ in migrations.MIGRATIONS]
        assert schema_sql(conn) == SNAPSHOT.read_text(encoding="utf-8")
        # indexed during the migration itself, before any write
        assert conn.execute("SELECT count(*) FROM contacts_fts").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM search_dirty").fetchone()[0] == 0
    finally:
        conn.close()

    from pcrm.services import contacts
    from pcrm.services.context import open_context

    with open_context(db) as ctx:
        for term in ("lovelace", "analytical", "ada@analytical.io", "@enchantress", "bernoulli", "ad"):
            found = contacts.list_contacts(ctx, {"search": term}).data
            assert [c["full_name"] for c in found] == ["Ada Lovelace"], term
        ada = contacts.get_contact(ctx, "11111111-1111-4111-8111-111111111111").data
        # the daily catch-up filled what m001-era writers left at their defaults
        assert ada["last_interaction_at"] == "2026-06-01T10:00:00.000Z" and ada["interaction_count"] == 1
    from pcrm.store.backup import integrity

    conn = connect(db)
    try:
        assert integrity(conn) == []
    finally:
        conn.close()


def test_a_store_recording_an_unknown_migration_is_refused(tmp_path):
    db = tmp_path / "pcrm.db"
    connect(db).close()
    raw = apsw.Connection(str(db))
    raw.execute("INSERT INTO schema_migrations VALUES ('m042_from_a_newer_pcrm', ?)", (NOW,))
    raw.close()
    with pytest.raises(PcrmError) as e:
        connect(db)
    assert e.value.code == "conflict"
    assert "newer pcrm" in e.value.message and "m042_from_a_newer_pcrm" in e.value.message
    assert "upgrade pcrm" in (e.value.hint or "")


def test_a_failing_migration_leaves_nothing_half_done(tmp_path, monkeypatch):
    db = tmp_path / "pcrm.db"
    conn = connect(db, migrate=False)
    migrations.migrate(conn, upto="m001_initial")

    def broken(c: apsw.Connection) -> None:
        c.execute("CREATE TABLE half_done(x)")
        raise RuntimeError("boom")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, ("m999_broken", broken)])
    before = schema_sql(conn)
    with pytest.raises(RuntimeError):
        migrations.migrate(conn)
    # m002 committed on its own; the broken one left no table and no record
    assert migrations.applied(conn) == [n for n, _ in migrations.MIGRATIONS if n != "m999_broken"]
    assert "half_done" not in schema_sql(conn) and schema_sql(conn) != before
    conn.close()


def test_opening_a_missing_store_without_create_says_how_to_make_one(tmp_path):
    with pytest.raises(PcrmError) as e:
        connect(tmp_path / "nope.db", create=False)
    assert e.value.code == "not_found" and "pcrm init" in (e.value.hint or "")


def test_m007_keeps_organization_matches_and_accepts_unmerged_pairs(tmp_path):
    conn = connect(tmp_path / "pcrm.db", migrate=False)
    try:
        migrations.migrate(conn, upto="m006_search_index")
        conn.execute(
            "INSERT INTO organizations(id, uuid, name, name_fold, created_at, updated_at) VALUES "
            "(1, 'o1', 'Globex', 'globex', ?1, ?1), (2, 'o2', 'Globex Corp', 'globex corp', ?1, ?1)",
            (NOW,),
        )
        conn.execute(
            "INSERT INTO org_identity_matches(uuid, org_a_id, org_b_id, match_score, match_method, status, "
            "created_at) VALUES ('m1', 1, 2, 0.8, 'probabilistic', 'pending_review', ?)",
            (NOW,),
        )
        with pytest.raises(apsw.ConstraintError):
            conn.execute("UPDATE org_identity_matches SET match_method = 'unmerge'")
        assert migrations.migrate(conn, upto="m007_org_merges") == ["m007_org_merges"]
        assert conn.execute(
            "SELECT uuid, org_a_id, org_b_id, match_score, status FROM org_identity_matches"
        ).fetchall() == [("m1", 1, 2, 0.8, "pending_review")]
        conn.execute("UPDATE org_identity_matches SET match_method = 'unmerge', status = 'dismissed'")
        with pytest.raises(apsw.ConstraintError):  # the pair index came back
            conn.execute(
                "INSERT INTO org_identity_matches(uuid, org_a_id, org_b_id, match_method, created_at) "
                "VALUES ('m2', 2, 1, 'probabilistic', ?)",
                (NOW,),
            )
    finally:
        conn.close()


def test_m008_normalises_every_number_again_from_the_typed_text(tmp_path, monkeypatch):
    """Numbers an older pcrm stored with the extension dropped or glued on, and national numbers typed
    before phone_region was set, take this release's form; a backup is taken first [value-normalisation]
    [automatic-backups]."""
    monkeypatch.setenv("PCRM_HOME", str(tmp_path))
    monkeypatch.setenv("PCRM_NOW", NOW)
    db = tmp_path / "pcrm.db"
    conn = connect(db, migrate=False)
    migrations.migrate(conn, upto="m007_org_merges")
    conn.execute("BEGIN")
    for cid, name in ((1, "Desk Nine"), (2, "Desk Nine Again"), (3, "Ann")):
        conn.execute(
            "INSERT INTO contacts(id, uuid, full_name, name_fold, priority_level, created_at, updated_at) "
            "VALUES (?, ?, ?, lower(?), 'medium', ?, ?)",
            (cid, f"0000000{cid}-0000-4000-8000-000000000000", name, name, NOW, NOW),
        )
    conn.executemany(
        "INSERT INTO contact_phones(contact_id, phone, normalized, position) VALUES (?, ?, ?, ?)",
        [
            (1, "+44 20 7946 0958 ext 9", "+442079460958", 0),  # extension dropped
            (2, "020 7946 0958 x9", "020794609589", 0),  # extension glued on
            (3, "07700 900123", "07700900123", 0),  # typed before the region was set
            (3, "+44 7700 900123", "+447700900123", 1),  # the same number: folded into the first
        ],
    )
    conn.execute("INSERT INTO settings(key, value, updated_at) VALUES ('phone_region', '\"GB\"', ?)", (NOW,))
    conn.execute("COMMIT")
    assert migrations.migrate(conn) == [
        "m008_phone_extensions",
        "m009_audit_log",
        "m010_short_terms",
        "m011_views",
        "m016_search",
        "m017_search_rank",
        "m018_overdue",
        "m019_search_accents",
        "m020_search_nicknames",
        "m022_tags_nfc",
        "m023_push_conversations",
        "m021_search_words",
        "m024_search_joined",
        "m026_search_tags",
        "m025_edit_journal",
        "m027_search_walk",
        "m030_search_fidelity",
        "m032_name_plain",
        "m031_search_spellings",
        "m033_name_umlaut",
        "m034_job_status",
        "m035_deleted_contacts",
        "m036_bulk_updates",
        "m037_bulk_update_kinds",
        "m042_message_accents",
        "m043_message_letters",
        "m044_name_lookup",
        "m048_search_scripts",
        "m046_org_leftovers",
    ]
    assert conn.execute(
        "SELECT contact_id, phone, normalized FROM contact_phones ORDER BY contact_id, position"
    ).fetchall() == [
        (1, "+44 20 7946 0958 ext 9", "+442079460958;ext=9"),
        (2, "020 7946 0958 x9", "+442079460958;ext=9"),
        (3, "07700 900123", "+447700900123"),
    ]
    assert conn.execute("SELECT count(*) FROM search_dirty").fetchone()[0] == 0
    assert schema_sql(conn) == SNAPSHOT.read_text(encoding="utf-8")
    conn.close()
    assert [p.name for p in (tmp_path / "backups").iterdir()] == [
        "pcrm-20260615-120000-before-m008_phone_extensions.db"
    ]


def test_m036_adds_the_bulk_update_journal_to_a_store_with_contacts(tmp_path):
    """A store at m035 with a contact gains the empty bulk_updates journal [bulk-undo]; its contact stays,
    and the journal refuses a row whose contacts are not JSON."""
    conn = connect(tmp_path / "pcrm.db", migrate=False)
    migrations.migrate(conn, upto="m035_deleted_contacts")
    _add_ann(conn)
    assert migrations.migrate(conn, upto="m036_bulk_updates") == ["m036_bulk_updates"]
    assert conn.execute("SELECT count(*) FROM bulk_updates").fetchone()[0] == 0
    assert conn.execute("SELECT priority_level FROM contacts").fetchall() == [("high",)]
    with pytest.raises(apsw.ConstraintError):
        conn.execute(
            "INSERT INTO bulk_updates(uuid, created_at, contacts) VALUES ('x', ?, 'not json')", (NOW,)
        )
    conn.close()


def test_m037_names_what_made_each_journalled_change_and_keeps_the_older_ones(tmp_path):
    """A store at m036 holding a journalled bulk update gains `kind` (the older one is a bulk update) and
    `hand_edits` (none recorded for it) [bulk-undo]; a row whose hand_edits are not JSON is refused."""
    conn = connect(tmp_path / "pcrm.db", migrate=False)
    migrations.migrate(conn, upto="m036_bulk_updates")
    conn.execute(
        "INSERT INTO bulk_updates(uuid, created_at, changes, contacts) VALUES ('b1', ?, '{}', '[]')", (NOW,)
    )
    assert migrations.migrate(conn, upto="m037_bulk_update_kinds") == ["m037_bulk_update_kinds"]
    assert conn.execute("SELECT uuid, kind, hand_edits FROM bulk_updates").fetchall() == [
        ("b1", "bulk-update", "[]")
    ]
    with pytest.raises(apsw.ConstraintError):
        conn.execute(
            "INSERT INTO bulk_updates(uuid, created_at, hand_edits) VALUES ('b2', ?, 'not json')", (NOW,)
        )
    conn.close()


def _add_message(conn: apsw.Connection, text: str) -> None:
    """A note to contact 1 (Ann) by plain SQL, as the migration under test finds or follows it."""
    conn.execute(
        "INSERT INTO interactions(uuid, contact_id, platform, direction, content_preview, occurred_at, "
        "created_at) VALUES (lower(hex(randomblob(16))), 1, 'manual', 'outbound', ?, ?, ?)",
        (text, NOW, NOW),
    )


def test_m042_finds_the_messages_already_stored_without_their_accents(tmp_path):
    """A store at m037 whose message says "Zürich" is not found by "zurich"; m042 indexes the stored messages
    again without the accents of Latin letters [contact-search], and the index stays in step with the
    messages written after it (m002's triggers) and passes FTS5's integrity check."""
    conn = connect(tmp_path / "pcrm.db", migrate=False)
    migrations.migrate(conn, upto="m037_bulk_update_kinds")
    _add_ann(conn)

    def add(text: str) -> None:
        _add_message(conn, text)

    def found(term: str) -> int:
        sql = "SELECT count(*) FROM interactions_fts WHERE interactions_fts MATCH ?"
        return int(conn.execute(sql, (f'"{term}"',)).fetchone()[0])

    add("Dinner in Zürich")
    assert found("zurich") == 0 and found("zürich") == 1
    assert migrations.migrate(conn, upto="m042_message_accents") == ["m042_message_accents"]
    assert found("zurich") == 1 and found("ZÜRICH") == 1
    add("Café Zoë")
    assert found("cafe zoe") == 1
    conn.execute("UPDATE interactions SET content_preview = 'Lunch in Genève' WHERE id = 1")
    assert found("zurich") == 0 and found("geneve") == 1
    conn.execute("INSERT INTO interactions_fts(interactions_fts) VALUES ('integrity-check')")  # raises if not
    conn.close()


def test_m042_makes_a_missing_message_index_again(tmp_path):
    """A store at m037 whose messages' index was lost (dropped by hand, a tool's clean-up) is mended by m042
    instead of failing every command: the index is made from the messages."""
    conn = connect(tmp_path / "pcrm.db", migrate=False)
    migrations.migrate(conn, upto="m037_bulk_update_kinds")
    _add_ann(conn)
    conn.execute(
        "INSERT INTO interactions(uuid, contact_id, platform, direction, content_preview, occurred_at, "
        "created_at) VALUES ('m1', 1, 'manual', 'outbound', 'Lunch in Genève', ?, ?)",
        (NOW, NOW),
    )
    conn.execute("DROP TABLE interactions_fts")
    assert migrations.migrate(conn, upto="m042_message_accents") == ["m042_message_accents"]
    sql = "SELECT rowid FROM interactions_fts WHERE interactions_fts MATCH ?"
    assert conn.execute(sql, ('"geneve"',)).fetchall() == [(1,)]
    conn.close()


def test_m043_finds_the_messages_already_stored_without_their_letters_of_their_own(tmp_path):
    """A store at m042 whose messages say "Straße", "Łódź" and "Søren" is not found by "lodz" or "soren";
    m043 indexes the stored messages again with those letters written as the documents write them
    [contact-search], and the index stays in step with the messages written, edited and deleted after it and
    passes FTS5's integrity check, which reads the text back through the view."""
    from pcrm.domain.normalize import message_letters

    conn = connect(tmp_path / "pcrm.db", migrate=False)
    migrations.migrate(conn, upto="m042_message_accents")
    _add_ann(conn)

    def add(text: str) -> None:
        _add_message(conn, text)

    def found(term: str) -> list[int]:
        sql = "SELECT rowid FROM interactions_fts WHERE interactions_fts MATCH ? ORDER BY rowid"
        return [r[0] for r in conn.execute(sql, (f'"{message_letters(term)}"',))]

    add("Treffen in der Straße")
    add("A week in ŁÓDŹ with Søren")
    assert found("lodz") == [] and found("soren") == []
    assert migrations.migrate(conn, upto="m043_message_letters") == ["m043_message_letters"]
    assert (
        found("strasse") == [1] and found("straße") == [1] and found("lodz") == [2] and found("soren") == [2]
    )
    add("Ægir’s œuvre")
    assert found("aegir's oeuvre") == [3] and found("ægir’s") == [3]
    conn.execute("UPDATE interactions SET content_preview = 'Lunch in Tórshavn with Đorđe' WHERE id = 2")
    assert found("lodz") == [] and found("dorde") == [2]
    conn.execute("UPDATE interactions SET content_preview = NULL WHERE id = 3")
    assert found("aegir") == []
    conn.execute("DELETE FROM interactions WHERE id = 1")
    assert found("strasse") == []
    # rank 1: the index is also compared with the text the view gives (raises if they differ)
    conn.execute("INSERT INTO interactions_fts(interactions_fts, rank) VALUES ('integrity-check', 1)")
    conn.close()


def test_m046_marks_the_organizations_pcrm_made_for_a_company(tmp_path):
    """A store at m048: the organizations made with one of their contacts, or journalled as made by a
    contact's company edit or an import, and unchanged since, count as made by pcrm [company-orgs]; one
    added by hand (`orgs add`, journalled or not) or edited since does not: its last contact's delete keeps
    it."""
    conn = connect(tmp_path / "pcrm.db", migrate=False)
    migrations.migrate(conn, upto="m048_search_scripts")
    later = "2026-06-16T12:00:00.000Z"
    for oid, name, updated in (
        (1, "With", NOW),
        (2, "Edit", NOW),
        (3, "Import", NOW),
        (4, "Hand", NOW),
        (5, "Added", NOW),
        (6, "Edited", later),
    ):
        conn.execute(
            "INSERT INTO organizations(id, uuid, name, name_fold, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (oid, f"org-{oid}", name, name.lower(), NOW, updated),
        )
    _add_ann(conn)
    conn.execute("UPDATE contacts SET organization_id = 1")
    conn.execute(
        "INSERT INTO contacts(id, uuid, full_name, name_fold, organization_id, created_at, updated_at) "
        "VALUES (2, 'c2', 'Bo', 'bo', 6, ?, ?), (3, 'c3', 'Cy', 'cy', 4, ?, ?)",
        (NOW, NOW, later, later),
    )
    for kind, made in (("contact-company", "org-2"), ("org-add", "org-5")):
        conn.execute(
            "INSERT INTO bulk_updates(uuid, created_at, changes, kind) VALUES (?, ?, ?, ?)",
            (f"b-{made}", NOW, f'{{"organizations_made": ["{made}"]}}', kind),
        )
    conn.execute(
        "INSERT INTO import_batches(uuid, source, format, changes, created_at) "
        "VALUES ('i1', 'csv', 'csv', '{\"organizations_created\": [\"org-3\"]}', ?)",
        (NOW,),
    )
    assert migrations.migrate(conn, upto="m046_org_leftovers") == ["m046_org_leftovers"]
    made = conn.execute("SELECT name, made_for_company FROM organizations ORDER BY id").fetchall()
    assert made == [("With", 1), ("Edit", 1), ("Import", 1), ("Hand", 0), ("Added", 0), ("Edited", 0)]
    conn.close()
