"""store.import_keys.conversation_holders: every contact holding messages of one pushed conversation, with
the names they were pushed with, read through the m023 indexes [import-matching]."""

from __future__ import annotations

import json

from pcrm.store import import_keys
from pcrm.store.db import connect, write

NOW = "2026-06-15T12:00:00.000Z"


def test_the_holders_of_a_conversation_and_the_indexes_that_find_them(tmp_path):
    conn = connect(tmp_path / "pcrm.db")
    try:
        with write(conn):
            for cid in (1, 2, 3, 4):
                conn.execute(
                    "INSERT INTO contacts(id, uuid, full_name, name_fold, priority_level, created_at, "
                    "updated_at) VALUES (?, ?, 'x', 'x', 'medium', ?, ?)",
                    (cid, f"u{cid}", NOW, NOW),
                )
            rows = [
                (1, "linkedin", "linkedin:2-ab:h1", {"pushed_name": "Grace Hopper"}),
                (1, "linkedin", "linkedin:2-ab:h2", None),
                (2, "linkedin", "linkedin:2-ab:2024-05-15 10:30:00", None),  # the export's
                (3, "linkedin", "linkedin:2-abc:h3", {"pushed_name": "Grace Hopper"}),  # a longer id
                (4, "whatsapp", "linkedin:2-ab:h4", None),  # another platform's reference
                (3, "facebook", "facebook:m1", {"conversation_id": "t1", "pushed_name": "Dan"}),
                (4, "facebook", "facebook:m2", {"conversation_id": "t1"}),
                (1, "instagram", "instagram:m3", {"conversation_id": "t1", "pushed_name": "Dan"}),
            ]
            for i, (cid, platform, ref, extra) in enumerate(rows):
                conn.execute(
                    "INSERT INTO interactions(uuid, contact_id, platform, direction, raw_reference_id, "
                    "extra_data, occurred_at, created_at) VALUES (?, ?, ?, 'inbound', ?, ?, ?, ?)",
                    (f"i{i}", cid, platform, ref, json.dumps(extra) if extra else None, NOW, NOW),
                )
        holders = import_keys.conversation_holders
        assert holders(conn, "linkedin", "2-ab", "linkedin:2-ab:") == [
            (1, None),
            (1, "Grace Hopper"),
            (2, None),
        ]
        assert holders(conn, "facebook", "t1", None) == [(3, "Dan"), (4, None)]
        assert holders(conn, "facebook", "t2", None) == []
        for sql, args, index in (
            (import_keys.HOLDERS_BY_REF_PREFIX, ("a", "b"), "interactions_linkedin_refs"),
            (import_keys.HOLDERS_BY_CONVERSATION, ("facebook", "t1"), "interactions_conversation"),
        ):
            assert index in str(conn.execute(f"EXPLAIN QUERY PLAN {sql}", args).fetchall())
    finally:
        conn.close()
