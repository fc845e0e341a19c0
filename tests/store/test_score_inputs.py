"""The SQL aggregate path (store.interactions.score_inputs) equals the Python reference
(domain.scoring.inputs_from_interactions) on hand-made histories, window edges included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from pcrm.clock import iso
from pcrm.domain.scoring import inputs_from_interactions, score
from pcrm.store import interactions as istore
from pcrm.store.db import connect, write

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


@dataclass
class It:
    platform: str
    direction: str
    occurred_at: datetime


def ago(days: float, **kw: float) -> datetime:
    return NOW - timedelta(days=days, **kw)


HISTORIES = {
    "empty": [],
    "outbound only": [It("email", "outbound", ago(d)) for d in (3, 40, 100, 300)],
    "balanced, two platforms": [It("email", "inbound", ago(d)) for d in range(1, 7)]
    + [It("telegram", "outbound", ago(d, hours=3)) for d in range(1, 9)],
    "every window": [
        It("email", "inbound", ago(d)) for d in (1, 29, 31, 89, 91, 364, 366, 729, 731, 1824, 1826)
    ]
    + [It("linkedin", "outbound", ago(d)) for d in (2, 60, 200, 400, 800, 2000)],
    "exact window edges": [It("email", "inbound", ago(d)) for d in (30, 90, 365, 730, 1825)]
    + [It("email", "outbound", ago(d)) for d in (30, 90, 365, 730, 1825)],
    "notes, meetings and events": [
        It("manual", "note", ago(1)),
        It("meeting", "mutual", ago(2)),
        It("twitter", "event", ago(3)),
        It("email", "inbound", ago(50)),
    ],
    "future rows are ignored": [
        It("meeting", "mutual", NOW + timedelta(days=3)),
        It("email", "inbound", NOW + timedelta(seconds=1)),
        It("email", "outbound", ago(5)),
        It("email", "inbound", NOW),
    ],
    "long tenure": [It("email", "inbound" if k % 2 else "outbound", ago(800 - k * 15)) for k in range(52)],
}


@pytest.fixture(scope="module")
def histories(tmp_path_factory):
    db = tmp_path_factory.mktemp("score") / "pcrm.db"
    conn = connect(db)
    ids = {}
    with write(conn):
        for n, (name, items) in enumerate(HISTORIES.items()):
            conn.execute(
                "INSERT INTO contacts(uuid, full_name, created_at, updated_at) VALUES (?, ?, ?, ?)",
                (f"00000000-0000-4000-8000-{n:012d}", name, iso(NOW), iso(NOW)),
            )
            cid = conn.last_insert_rowid()
            ids[name] = cid
            for k, it in enumerate(items):
                istore.insert(
                    conn,
                    cid,
                    {
                        "platform": it.platform,
                        "direction": it.direction,
                        "occurred_at": iso(it.occurred_at),
                        "uuid": f"{n:08d}-0000-4000-8000-{k:012d}",
                    },
                    iso(NOW),
                )
    yield conn, ids
    conn.close()


@pytest.mark.parametrize("name", list(HISTORIES))
def test_sql_aggregates_equal_the_python_reference(histories, name):
    conn, ids = histories
    expected = inputs_from_interactions(HISTORIES[name], NOW)
    got = istore.score_inputs(conn, NOW, [ids[name]]).get(ids[name])
    if expected.lifetime_count == 0:
        assert got is None  # no past interactions: no row (refresh writes 0 / 0 / None)
        return
    assert got == expected
    assert score(got, NOW) == score(expected, NOW)


def test_all_contacts_at_once_equal_one_by_one(histories):
    conn, ids = histories
    together = istore.score_inputs(conn, NOW)
    for name, cid in ids.items():
        assert together.get(cid) == istore.score_inputs(conn, NOW, [cid]).get(cid), name


def test_the_histories_cover_what_they_claim():
    every = inputs_from_interactions(HISTORIES["every window"], NOW)
    assert (every.inbound, every.inbound_1_2y, every.inbound_2_5y) == (6, 2, 2)
    assert (every.c30, every.c90, every.c365, every.c1_2y, every.c2_5y) == (3, 3, 3, 3, 3)
    future = inputs_from_interactions(HISTORIES["future rows are ignored"], NOW)
    assert future.lifetime_count == 2 and future.last_any == NOW
    assert score(inputs_from_interactions(HISTORIES["long tenure"], NOW), NOW).tenure == 2
