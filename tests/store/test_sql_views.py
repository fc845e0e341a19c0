"""[plain-sqlite]: the store is a plain SQLite file other tools can read, through flat read-only views,
while pcrm writes (WAL)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def test_other_tools_read_the_views_while_pcrm_writes(cli: Any, pcrm_home: Path) -> None:
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.com", "--tag", "math")
    cli("contacts", "edit", "Ada Lovelace", "--phone", "+12025550123")
    cli("note", "add", "Ada Lovelace", "lunch at the British Library")
    from pcrm.services.context import open_context

    with open_context() as ctx:
        ctx.conn.execute("BEGIN IMMEDIATE")  # pcrm is in the middle of a write
        ctx.conn.execute("UPDATE contacts SET title = 'Countess'")
        other = sqlite3.connect(f"file:{pcrm_home / 'pcrm.db'}?mode=ro", uri=True)  # stdlib sqlite3
        try:
            other.row_factory = sqlite3.Row
            rows = [dict(r) for r in other.execute("SELECT * FROM contacts_view")]
            notes = [dict(r) for r in other.execute("SELECT * FROM interactions_view")]
        finally:
            other.close()
            ctx.conn.execute("ROLLBACK")
    assert len(rows) == 1
    ada = rows[0]
    assert ada["full_name"] == "Ada Lovelace" and ada["emails"] == "ada@example.com"
    assert ada["phones"] == "+12025550123" and ada["tags"] == "math"
    assert ada["title"] is None  # the reader sees the last committed state, not the open write
    assert [(n["contact_name"], n["direction"]) for n in notes] == [("Ada Lovelace", "note")]
    assert notes[0]["content_preview"] == "lunch at the British Library"
