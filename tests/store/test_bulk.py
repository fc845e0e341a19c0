"""The bulk load path: its set-based shortcuts must leave exactly the store the per-row path leaves."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pcrm import clock
from pcrm.services import demo
from pcrm.services.context import open_context
from pcrm.store import bulk
from pcrm.store.db import write
from tests.support.schema_snapshot import schema_sql

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def _load(
    path: Path, set_based_from: int, monkeypatch: pytest.MonkeyPatch, *, second_tier: bool = False
) -> tuple[Any, dict[str, list[tuple[Any, ...]]], str, list[str]]:
    monkeypatch.setattr(bulk, "_SET_BASED_FROM", set_based_from)
    clock.set_now(NOW)
    data = demo.generate(3, 600, 6000, NOW, duplicates=5)
    if second_tier:
        talked = next(
            k
            for k, items in enumerate(data.interactions)
            if any(it["direction"] in ("inbound", "outbound") for it in items)
        )
        assert talked == 1  # contact rowid 2 (the assertion below relies on it)
        data.contacts[talked]["tags"] = ["2nd tier"]  # a direct interaction: the promotion trigger drops it
        data.contacts[-1]["tags"] = ["2nd tier"]  # a duplicate, no interactions: keeps it
    ctx = open_context(path)
    with write(ctx.conn):
        ids = bulk.insert_contacts(ctx.conn, data.contacts, ctx.now_iso())
        n = bulk.insert_interactions(
            ctx.conn,
            ((cid, it) for cid, items in zip(ids, data.interactions, strict=False) for it in items),
            ctx.now_iso(),
        )
    conn = ctx.conn
    assert n == sum(len(x) for x in data.interactions)
    dump = {
        "contacts": list(
            conn.execute(
                "SELECT id, full_name, name_fold, name_plain, name_umlaut, company, latitude, longitude, "
                "birthday, priority_level, "
                "created_at FROM contacts ORDER BY id"
            )
        ),
        "emails": list(conn.execute("SELECT contact_id, email, position FROM contact_emails ORDER BY 1, 2")),
        "tags": list(conn.execute("SELECT contact_id, tag FROM contact_tags ORDER BY 1, 2")),
        "identities": list(
            conn.execute(
                "SELECT contact_id, platform, external_id, handle FROM contact_identities ORDER BY 1, 2"
            )
        ),
        "interactions": list(
            conn.execute(
                "SELECT id, contact_id, platform, direction, content_preview, occurred_at "
                "FROM interactions ORDER BY id"
            )
        ),
        "geo": list(conn.execute("SELECT * FROM contacts_geo ORDER BY id")),
        "contacts_fts": list(
            conn.execute("SELECT rowid, names, org, handles, other FROM contacts_fts ORDER BY rowid")
        ),
        "fts_hits": list(
            conn.execute(
                "SELECT rowid FROM interactions_fts "
                "WHERE interactions_fts MATCH '\"the proposal\"' ORDER BY rowid"
            )
        ),
        "dirty": list(conn.execute("SELECT * FROM search_dirty")),
    }
    uuids = [r[0] for r in conn.execute("SELECT uuid FROM contacts UNION ALL SELECT uuid FROM interactions")]
    from pcrm.store.backup import integrity

    assert integrity(conn) == []
    schema = schema_sql(conn)
    ctx.close()
    return ctx, dump, schema, uuids


def test_set_based_load_equals_per_row_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, per_row, schema_a, _ = _load(tmp_path / "a.db", 10**9, monkeypatch, second_tier=True)
    _, set_based, schema_b, uuids = _load(tmp_path / "b.db", 1, monkeypatch, second_tier=True)
    assert per_row["interactions"] and per_row["geo"] and per_row["contacts_fts"] and per_row["fts_hits"]
    assert per_row == set_based
    # The dropped triggers and indexes are back, word for word.
    assert schema_a == schema_b
    # The promotion trigger's work was done: contact 2 lost '2nd tier', the silent duplicate kept it.
    assert (2, "2nd tier") not in set_based["tags"]
    assert (len(set_based["contacts"]), "2nd tier") in set_based["tags"]
    assert len(set(uuids)) == len(uuids)


def test_uuids_are_version_4() -> None:
    import uuid

    for text in bulk.uuids(200):
        u = uuid.UUID(text)
        assert str(u) == text and u.version == 4 and u.variant == uuid.RFC_4122


def test_failed_bulk_load_rolls_back_data_and_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "_SET_BASED_FROM", 1)
    ctx = open_context(tmp_path / "c.db")
    before = schema_sql(ctx.conn)
    records = [{"full_name": f"P{i}", "emails": [f"p{i}@example.com"]} for i in range(5)]
    records[3]["identities"] = [("twitter", None, "same")]
    records[4]["identities"] = [("twitter", None, "same")]  # unique index refuses: the whole load aborts
    with pytest.raises(Exception, match="UNIQUE"), write(ctx.conn):
        bulk.insert_contacts(ctx.conn, records, "2025-06-01T12:00:00.000Z")
    assert ctx.conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 0
    assert schema_sql(ctx.conn) == before
    ctx.close()


@pytest.mark.parametrize("set_based_from", [1, 10**9])
def test_a_bulk_load_writes_the_plain_names_search_ranks_by(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, set_based_from: int
) -> None:
    """The bulk path (the demo's and the bench's) writes name_plain and name_umlaut beside name_fold, with
    their indexes dropped and built again or kept up row by row: "emile" puts Émile Zola first, "mueller"
    Müller Anna [plain-names] [search-spellings]."""
    from pcrm.services import contacts

    monkeypatch.setattr(bulk, "_SET_BASED_FROM", set_based_from)
    ctx = open_context(tmp_path / "d.db")
    names = ("Émile Zola", "Jean Emile", "Zoë Kravitz", "Anna Zoe", "Anna Mueller", "Müller Anna")
    records = [{"full_name": n} for n in names]
    with write(ctx.conn):
        bulk.insert_contacts(ctx.conn, records, "2025-06-01T12:00:00.000Z")
    assert list(ctx.conn.execute("SELECT name_fold, name_plain, name_umlaut FROM contacts ORDER BY id")) == [
        ("émile zola", "emile zola", None),
        ("jean emile", None, None),
        ("zoë kravitz", "zoe kravitz", None),
        ("anna zoe", None, None),
        ("anna mueller", None, None),
        ("müller anna", "muller anna", "mueller anna"),
    ]
    for term, want in (
        ("emile", ["Émile Zola", "Jean Emile"]),
        ("zo", ["Zoë Kravitz", "Émile Zola", "Anna Zoe"]),
        ("mueller", ["Müller Anna", "Anna Mueller"]),
    ):
        assert [c["full_name"] for c in contacts.list_contacts(ctx, {"search": term}).data] == want, term
    ctx.close()
