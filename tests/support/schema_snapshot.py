"""The migrated schema as text, for tests/store/schema.sql.

Regenerate after adding a migration (and read the diff before committing it):

    .venv/bin/python -m tests.support.schema_snapshot

Shadow tables of FTS5 and R*Tree virtual tables are left out: SQLite creates them itself and their
definitions belong to the SQLite version, not to pcrm.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import apsw

SNAPSHOT = Path(__file__).resolve().parents[1] / "store" / "schema.sql"


def schema_sql(conn: apsw.Connection) -> str:
    entries = list(conn.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"))
    virtual = [
        name for kind, name, sql in entries if kind == "table" and sql.upper().startswith("CREATE VIRTUAL")
    ]
    order = {"table": 0, "view": 1, "index": 2, "trigger": 3}
    keep = [
        (kind, name, sql)
        for kind, name, sql in entries
        if not (kind == "table" and any(name.startswith(v + "_") for v in virtual))
    ]
    keep.sort(key=lambda e: (order.get(e[0], 9), e[1]))
    return "".join(f"-- {kind} {name}\n{sql.strip()};\n\n" for kind, name, sql in keep)


def migrated_schema() -> str:
    from pcrm.store.db import connect

    with tempfile.TemporaryDirectory() as d:
        conn = connect(Path(d) / "pcrm.db")
        try:
            return schema_sql(conn)
        finally:
            conn.close()


if __name__ == "__main__":
    SNAPSHOT.write_text(migrated_schema(), encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
