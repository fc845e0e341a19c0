"""A slow search never makes the daemon wait [read-pool]: while one runs, `GET /api/health` is delayed by
less than 100 ms (its median during the search against its median just before, so that a loaded test machine
does not count as delay) and other reads and writes are answered too. A read tried on the event loop
[inline-reads] that turns out slow is stopped after its slice and finished in the pool, with the same answer.

The seam: `contact_query._list_ids` (the ranking of a search) is replaced by a loop of Python work that holds
the GIL as a slow ranking would, until the test releases it (or 3 s pass). Had searches run on the event loop,
as before the read pool, health would wait those 3 s.
"""

from __future__ import annotations

import asyncio
import statistics
import threading
import time
from typing import Any

import pytest

from pcrm.store import contact_query

pytestmark = pytest.mark.anyio
V = "/api/v1"
HEALTH_BUDGET_S = 0.100  # the bound; health answers measured here take ~1-10 ms on a quiet machine
SPIN_AT_MOST_S = 3.0


@pytest.fixture
def slow_search(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """(started, release): a search term "slow" spins in its ranking until `release` is set."""
    started, release = threading.Event(), threading.Event()
    real = contact_query._list_ids

    def spinning(conn: Any, f: Any, **kw: Any) -> Any:
        if f.search == "slow":
            started.set()
            stop = time.monotonic() + SPIN_AT_MOST_S
            while not release.is_set() and time.monotonic() < stop:
                sum(i * i for i in range(2_000))  # Python work: holds the GIL for its share, as ranking does
                time.sleep(0.001)  # and SQLite's share, which runs without it
        return real(conn, f, **kw)

    monkeypatch.setattr(contact_query, "_list_ids", spinning)
    return started, release


async def test_a_slow_search_never_delays_health(
    client: Any, script: dict[str, str], slow_search: tuple[threading.Event, threading.Event]
) -> None:
    started, release = slow_search
    r = await client.post(f"{V}/contacts", json={"full_name": "Ada Lovelace"}, headers=script)
    assert r.status_code == 201
    ada = r.json()["data"]["id"]
    await client.get(f"{V}/contacts", headers=script)  # the token's first use and the day's catch-up

    async def health_ms() -> float:
        t = time.perf_counter()
        h = await client.get("/api/health")
        assert h.status_code == 200 and h.json()["data"] == {"status": "ok"}
        return time.perf_counter() - t

    before = [await health_ms() for _ in range(20)]
    search = asyncio.create_task(client.get(f"{V}/contacts", params={"search": "slow"}, headers=script))
    for _ in range(300):
        if started.is_set():
            break
        await asyncio.sleep(0.01)
    assert started.is_set(), "the slow search never reached its ranking"

    try:
        during = [await health_ms() for _ in range(20)]
        # another read and a write, answered while the search still runs
        assert (await client.get(f"{V}/contacts/{ada}", headers=script)).status_code == 200
        put = await client.put(f"{V}/contacts/{ada}", json={"title": "Countess"}, headers=script)
        assert put.status_code == 200
        assert not search.done(), "the search ended before the measurements did: nothing was measured"
    finally:
        release.set()
    delay = statistics.median(during) - statistics.median(before)
    assert delay < HEALTH_BUDGET_S, [round(x * 1000, 1) for x in during]
    assert max(during) < SPIN_AT_MOST_S / 3, "one health answer waited for the search"
    r = await search
    assert r.status_code == 200 and r.json()["meta"]["total"] == 0


# ~1 s of SQLite work with nothing to show for it: a slow ranking's queries, which SQLite can interrupt
SPIN_SQL = (
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3000000) SELECT count(*) FROM n"
)


async def test_a_slow_inline_read_moves_to_the_pool(
    client: Any, script: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page with no search is tried on the event loop [inline-reads]: its queries there are stopped after
    the slice, and the page comes from a reader thread, the same one a full run gives; health meanwhile
    waits for neither. A quick page stays on the event loop."""
    r = await client.post(
        f"{V}/contacts", json={"full_name": "Ada Lovelace", "tags": ["slow"]}, headers=script
    )
    assert r.status_code == 201
    await client.get(f"{V}/contacts", headers=script)  # the token's first use and the day's catch-up
    attempts: list[tuple[str, bool]] = []  # (thread, finished) of each run of the slow page's ranking
    real = contact_query._list_ids

    def spinning(conn: Any, f: Any, **kw: Any) -> Any:
        if f.tag != "slow":
            return real(conn, f, **kw)
        attempts.append((threading.current_thread().name.rsplit("_", 1)[0], False))
        conn.execute(SPIN_SQL).fetchall()
        attempts[-1] = (attempts[-1][0], True)
        return real(conn, f, **kw)

    async def health_s() -> float:
        t = time.perf_counter()
        assert (await client.get("/api/health")).status_code == 200
        return time.perf_counter() - t

    before = [await health_s() for _ in range(10)]
    monkeypatch.setattr(contact_query, "_list_ids", spinning)
    loop_thread = threading.current_thread().name.rsplit("_", 1)[0]
    page = asyncio.create_task(client.get(f"{V}/contacts", params={"tag": "slow"}, headers=script))
    while len(attempts) < 2 and not page.done():
        await asyncio.sleep(0.005)
    during = [await health_s() for _ in range(10)]
    assert not page.done(), "the slow page ended before the measurements did: nothing was measured"
    r = await page
    assert r.status_code == 200, r.text
    assert [c["full_name"] for c in r.json()["data"]] == ["Ada Lovelace"]
    # stopped on the event loop (the test's own thread runs it), finished in a reader thread
    assert attempts == [(loop_thread, False), ("pcrm-read", True)]
    # as in the test above: against health's median just before, so that a loaded machine is no delay
    delay = statistics.median(during) - statistics.median(before)
    assert delay < HEALTH_BUDGET_S, [round(x * 1000, 1) for x in during]

    ran: list[str] = []

    def quick_ranking(conn: Any, f: Any, **kw: Any) -> Any:
        ran.append(threading.current_thread().name.rsplit("_", 1)[0])
        return real(conn, f, **kw)

    monkeypatch.setattr(contact_query, "_list_ids", quick_ranking)
    quick = await client.get(f"{V}/contacts", params={"tag": "slow", "page_size": 10}, headers=script)
    assert quick.json()["data"] == r.json()["data"] and ran == [loop_thread]
