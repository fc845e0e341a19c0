"""The typed read helpers of store.db: a query that must answer says so when it does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcrm.store import db


@pytest.fixture
def conn(tmp_path: Path) -> db.Connection:
    c = db.connect(tmp_path / "pcrm.db")
    c.execute("CREATE TABLE t(i INTEGER, s TEXT)")
    c.execute("INSERT INTO t VALUES (1, 'one'), (2, NULL)")
    yield c
    c.close()


def test_integer_and_first_answer_or_raise(conn: db.Connection) -> None:
    assert db.integer(conn, "SELECT count(*) FROM t") == 2
    assert db.integer(conn, "SELECT i FROM t WHERE s = ?", ("one",)) == 1
    assert db.first(conn, "SELECT i, s FROM t ORDER BY i") == (1, "one")
    with pytest.raises(db.MissingRow, match="no row"):
        db.first(conn, "SELECT i FROM t WHERE i = 9")
    with pytest.raises(db.MissingRow, match="not an integer"):
        db.integer(conn, "SELECT s FROM t WHERE i = 1")


def test_maybe_values_are_none_when_absent_and_checked_when_present(conn: db.Connection) -> None:
    assert db.maybe_int(conn, "SELECT i FROM t WHERE i = 9") is None
    assert db.maybe_int(conn, "SELECT i FROM t WHERE i = 2") == 2
    assert db.maybe_str(conn, "SELECT s FROM t WHERE i = 2") is None  # NULL
    assert db.maybe_str(conn, "SELECT s FROM t WHERE i = 1") == "one"
    with pytest.raises(db.MissingRow, match="not text"):
        db.maybe_str(conn, "SELECT i FROM t WHERE i = 1")
    with pytest.raises(db.MissingRow, match="not an integer"):
        db.maybe_int(conn, "SELECT s FROM t WHERE i = 1")
    assert db.exists(conn, "SELECT 1 FROM t WHERE i = 1")
    assert not db.exists(conn, "SELECT 1 FROM t WHERE i = 9")


def test_pcrm_fold_folds_text_and_keeps_null(conn: db.Connection) -> None:
    assert db.first(conn, "SELECT pcrm_fold('  ÅSA  Berg '), pcrm_fold(NULL)") == ("åsa berg", None)
