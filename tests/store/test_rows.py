"""The typed read helpers of store.rows: a query that must answer says so when it does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcrm.store import db, rows


@pytest.fixture
def conn(tmp_path: Path) -> db.Connection:
    c = db.connect(tmp_path / "pcrm.db")
    c.execute("CREATE TABLE t(i INTEGER, s TEXT)")
    c.execute("INSERT INTO t VALUES (1, 'one'), (2, NULL)")
    yield c
    c.close()


def test_integer_and_first_answer_or_raise(conn: db.Connection) -> None:
    assert rows.integer(conn, "SELECT count(*) FROM t") == 2
    assert rows.integer(conn, "SELECT i FROM t WHERE s = ?", ("one",)) == 1
    assert rows.first(conn, "SELECT i, s FROM t ORDER BY i") == (1, "one")
    with pytest.raises(rows.MissingRow, match="no row"):
        rows.first(conn, "SELECT i FROM t WHERE i = 9")
    with pytest.raises(rows.MissingRow, match="not an integer"):
        rows.integer(conn, "SELECT s FROM t WHERE i = 1")


def test_maybe_values_are_none_when_absent_and_checked_when_present(conn: db.Connection) -> None:
    assert rows.maybe_int(conn, "SELECT i FROM t WHERE i = 9") is None
    assert rows.maybe_int(conn, "SELECT i FROM t WHERE i = 2") == 2
    assert rows.maybe_str(conn, "SELECT s FROM t WHERE i = 2") is None  # NULL
    assert rows.maybe_str(conn, "SELECT s FROM t WHERE i = 1") == "one"
    with pytest.raises(rows.MissingRow, match="not text"):
        rows.maybe_str(conn, "SELECT i FROM t WHERE i = 1")
    with pytest.raises(rows.MissingRow, match="not an integer"):
        rows.maybe_int(conn, "SELECT s FROM t WHERE i = 1")
    assert rows.exists(conn, "SELECT 1 FROM t WHERE i = 1")
    assert not rows.exists(conn, "SELECT 1 FROM t WHERE i = 9")


def test_pcrm_fold_folds_text_and_keeps_null(conn: db.Connection) -> None:
    assert rows.first(conn, "SELECT pcrm_fold('  ÅSA  Berg '), pcrm_fold(NULL)") == ("åsa berg", None)
