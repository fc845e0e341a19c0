"""store.phones: the holders of a line (for the write paths' phone look-ups) and the region of a store on
disk (for `pcrm paths`) [value-normalisation]."""

from __future__ import annotations

from pcrm.store import phones
from pcrm.store.db import connect, write

NOW = "2026-06-15T12:00:00.000Z"


def test_ids_by_phone_line_follows_phones_match(tmp_path):
    conn = connect(tmp_path / "pcrm.db")
    try:
        with write(conn):
            for cid in (1, 2, 3, 4):
                conn.execute(
                    "INSERT INTO contacts(id, uuid, full_name, name_fold, priority_level, created_at, "
                    "updated_at) VALUES (?, ?, 'x', 'x', 'medium', ?, ?)",
                    (cid, f"u{cid}", NOW, NOW),
                )
            conn.executemany(
                "INSERT INTO contact_phones(contact_id, phone, normalized) VALUES (?, '', ?)",
                [
                    (1, "+442079460958"),
                    (2, "+442079460958;ext=9"),
                    (3, "+442079460958;ext=7"),
                    (4, "+4420794609580"),  # a longer number with the same start: not the line
                ],
            )
        assert phones.ids_by_phone_line(conn, "+442079460958") == [1, 2, 3]
        assert phones.ids_by_phone_line(conn, "+442079460958;ext=9") == [1, 2]
        assert phones.ids_by_phone_line(conn, "+442079460958;ext=5") == [1]
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT contact_id FROM contact_phones WHERE normalized = ? "
            "OR (normalized >= ? AND normalized < ?)",
            ("a", "b", "c"),
        ).fetchall()
        assert "contact_phones_normalized" in str(plan)
    finally:
        conn.close()


def test_stored_region_reads_without_creating(tmp_path):
    db = tmp_path / "pcrm.db"
    assert phones.stored_region(db) is None and not db.exists()
    conn = connect(db)
    conn.execute("INSERT INTO settings(key, value, updated_at) VALUES ('phone_region', '\"GB\"', ?)", (NOW,))
    conn.close()
    assert phones.stored_region(db) == "GB"
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    assert phones.stored_region(junk) is None
