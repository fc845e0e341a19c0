"""A huge name searched with a long term once froze the daemon for 34 s and took gigabytes: text fields have
caps (a 422 naming the field and its cap), search terms stop at 200 characters, and every read request
has a time budget past which SQLite is interrupted [text-limits] [read-budget]."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import assert_error, fields, ok

V = "/api/v1"


def test_a_name_over_1000_characters_is_a_422_that_names_the_cap(api: Any) -> None:
    r = api.post(f"{V}/contacts", json={"full_name": "A" * 1001})
    assert fields(r) == ["full_name"]
    err = r.json()["error"]
    assert "1,000" in err["message"] and "1,000" in err["hint"]
    ok(api.post(f"{V}/contacts", json={"full_name": "A" * 1000}), 201)


@pytest.mark.parametrize(("field", "cap"), [("title", 1000), ("linkedin_bio", 10_000), ("notes", 100_000)])
def test_each_text_field_has_its_cap(api: Any, field: str, cap: int) -> None:
    r = api.post(f"{V}/contacts", json={"full_name": "Capped", field: "x" * (cap + 1)})
    assert fields(r) == [field] and f"{cap:,}" in r.json()["error"]["message"]
    ok(api.post(f"{V}/contacts", json={"full_name": "Capped", field: "x" * cap}), 201)


def test_list_items_and_org_fields_are_capped(api: Any) -> None:
    assert fields(api.post(f"{V}/contacts", json={"full_name": "T", "tags": ["t" * 1001]})) == ["tags"]
    assert fields(api.post(f"{V}/organizations", json={"name": "O" * 1001})) == ["name"]


def test_a_search_term_over_200_characters_is_refused(api: Any) -> None:
    r = api.get(f"{V}/contacts", params={"search": "a" * 201})
    assert fields(r) == ["search"] and "200" in r.json()["error"]["message"]
    assert fields(api.get(f"{V}/organizations", params={"search": "a" * 201})) == ["search"]
    ok(api.get(f"{V}/contacts", params={"search": "a" * 200}))


def test_an_import_drops_an_oversized_name_instead_of_storing_it(crm: Any, tmp_path: Any) -> None:
    f = tmp_path / "people.csv"
    f.write_text("Name,Email\n" + "B" * 5000 + ",big@example.com\nAda Lovelace,ada@example.com\n")
    crm.cli("import", str(f))
    names = [c["full_name"] for c in crm.cli.json("contacts", "list", "--page-size", "100")["data"]]
    assert all(n is None or len(n) <= 1000 for n in names)


@pytest.mark.parametrize("term", ["lovelace", "e"])  # on the event loop; a scan, in the writer lane
def test_a_read_past_its_budget_is_stopped_with_a_clear_error(
    api: Any, term: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcrm.store import db

    monkeypatch.setattr(db, "_PROGRESS_STEPS", 10)  # the demo store's queries are short
    rt = api.app.state.pcrm
    rt.read_budget_s = 0.0  # every query is past its deadline at its first check
    r = api.get(f"{V}/contacts", params={"search": term})
    body = assert_error(r, "bad_request", 400)
    assert "budget" in body["error"]["message"] and body["error"]["details"]["budget_seconds"] == 0.0
    # writes are not timed, and the connections are usable afterwards
    ok(api.post(f"{V}/contacts", json={"full_name": "Grace Lovelace"}), 201)
    rt.read_budget_s = 5.0
    got = ok(api.get(f"{V}/contacts", params={"search": "grace lovelace"}))
    assert "Grace Lovelace" in [c["full_name"] for c in got["data"]]


def test_the_budget_interrupts_a_runaway_query_but_not_a_write_inside_it(db: Any) -> None:
    from pcrm.store.db import BudgetExceeded, connect, time_budget, write

    conn = connect(db)
    try:
        runaway = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
        fill = "INSERT INTO t " + runaway.replace("FROM n)", "FROM n LIMIT 20000)").replace("count(*)", "i")
        with pytest.raises(BudgetExceeded) as e, time_budget(conn, 0.05):
            conn.execute(runaway).fetchall()
        assert e.value.code == "bad_request" and "0.05 s budget" in e.value.message
        with time_budget(conn, 0.0), write(conn):
            conn.execute("CREATE TEMP TABLE t(x)")
            conn.execute(fill)
        assert conn.execute("SELECT count(*) FROM t").fetchall() == [(20000,)]
    finally:
        conn.close()


def test_an_inner_budget_never_outlives_the_block_around_it(db: Any) -> None:
    """A read tried on the event loop runs its usual 5 s budget inside a slice of a few ms [inline-reads]: the
    earlier deadline holds and its block says what happened (the slice: move the read to the pool; a budget:
    the 400 naming that budget)."""
    from pcrm.store.db import _DEADLINES, BudgetExceeded, SliceOver, connect, time_budget, time_slice

    conn = connect(db)
    runaway = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    try:
        with pytest.raises(SliceOver), time_slice(conn, 0.02), time_budget(conn, 5.0):
            conn.execute(runaway).fetchall()
        with pytest.raises(BudgetExceeded) as e, time_budget(conn, 0.02), time_budget(conn, 5.0):
            conn.execute(runaway).fetchall()
        assert "0.02 s budget" in e.value.message
        with pytest.raises(BudgetExceeded) as e, time_slice(conn, 5.0), time_budget(conn, 0.02):
            conn.execute(runaway).fetchall()
        assert "0.02 s budget" in e.value.message
        assert conn not in _DEADLINES  # no deadline left behind
        bounded = runaway.replace("FROM n)", "FROM n LIMIT 100000)")
        assert conn.execute(bounded).fetchall() == [(100000,)]
    finally:
        conn.close()
