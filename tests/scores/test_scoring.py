"""[score-formula] "Scoring" (the [score-formula] test expectations) through `pcrm contacts activity`, `pcrm
score recalc|explain`,
and a property test that the SQL batch path and the pure functions agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.world import NOW


def activity(cli: Any, who: str) -> dict[str, Any]:
    return cli.json("contacts", "activity", who, "--now", NOW)["data"]


def dims(cli: Any, who: str) -> dict[str, int]:
    return {k: v["value"] for k, v in activity(cli, who)["dimensions"].items()}


def test_no_interactions_scores_zero(cli, world):
    c = world.contact("Nobody")
    a = activity(cli, c)
    assert (
        a["score"] == 0
        and a["stats"]["interaction_count"] == 0
        and a["stats"]["first_interaction_at"] is None
    )


def test_four_outbound_only_over_a_year_at_most_2(cli, world):
    c = world.contact("Out Only", history=[(d, "outbound") for d in (10, 100, 200, 300)])
    assert activity(cli, c)["score"] <= 2
    assert dims(cli, c)["reciprocity"] == 0


def test_busy_two_platform_fortnight_at_least_7(cli, world):
    hist = [(k, "outbound", "email") for k in range(1, 9)] + [
        (k + 0.5, "inbound", "telegram") for k in range(6)
    ]
    c = world.contact("Busy Bee", history=hist)
    assert activity(cli, c)["score"] >= 7


def test_balanced_3_and_3_two_months_ago_4_to_6(cli, world):
    c = world.contact("Balanced", history=[(55 + k, d) for k in range(3) for d in ("inbound", "outbound")])
    assert 4 <= activity(cli, c)["score"] <= 6


def test_second_platform_adds_exactly_one(cli, world):
    one = world.contact("One Platform", history=[(5, "inbound", "email"), (6, "outbound", "email")])
    two = world.contact("Two Platforms", history=[(5, "inbound", "email"), (6, "outbound", "telegram")])
    assert activity(cli, two)["score"] == activity(cli, one)["score"] + 1


def test_never_above_10(cli, world):
    hist = [
        (k * 0.5, "inbound" if k % 2 else "outbound", ("email", "telegram")[k % 2]) for k in range(60)
    ] + [(800 + k, "inbound") for k in range(10)]
    c = world.contact("Max Out", history=hist)
    a = activity(cli, c)
    assert a["score"] == 10 and sum(d["value"] for d in a["dimensions"].values()) > 10


def test_interaction_count_persisted(cli, world):
    c = world.contact("Counted", history=[(k, "inbound") for k in range(1, 8)])
    world.ctx.conn.execute("UPDATE contacts SET interaction_count = 0, relationship_score = 0")
    assert cli.json("score", "recalc", "--now", NOW)["data"]["updated"] >= 1
    shown = cli.json("contacts", "show", c, "--now", NOW)["data"]
    assert shown["interaction_count"] == 7 and shown["relationship_score"] > 0


def test_four_in_four_out_reciprocity_4(cli, world):
    c = world.contact("Even", history=[(10 + k, d) for k in range(4) for d in ("inbound", "outbound")])
    assert dims(cli, c)["reciprocity"] == 4


def test_breakdown_lists_platform_names(cli, world):
    c = world.contact(
        "Multi", history=[(3, "inbound", "telegram"), (4, "outbound", "email"), (5, "note", "manual")]
    )
    assert activity(cli, c)["stats"]["platforms"] == ["email", "telegram"]


def test_tenure_thresholds(cli, world):
    none = world.contact("T0", history=[(400 + k, "inbound") for k in range(19)])
    one = world.contact("T1", history=[(366 + k, "inbound") for k in range(20)])
    two = world.contact("T2", history=[(731, "inbound")] + [(k, "inbound") for k in range(1, 50)])
    almost = world.contact("T1b", history=[(700, "inbound")] + [(k, "inbound") for k in range(1, 50)])
    assert [dims(cli, c)["tenure"] for c in (none, one, two, almost)] == [0, 1, 2, 1]


def test_old_rows_still_count_for_frequency_and_reciprocity(cli, world):
    c = world.contact(
        "Old Friend",
        history=[(400 + k, d) for k in range(40) for d in ("inbound", "outbound")]
        + [(800 + k, "inbound") for k in range(100)],
    )
    d = dims(cli, c)
    assert d["frequency"] == 1  # 80 * 0.05 + 100 * 0.02 = 6
    assert d["reciprocity"] == 2  # in 40*0.05 + 100*0.02 = 4, out 40*0.05 = 2: round(4 * 2/4)


def test_recalculate_reports_updated(cli, world):
    world.contact("Recalc", history=[(3, "inbound")])
    out = cli.json("score", "recalc", "--now", NOW)
    assert out["data"]["updated"] >= 1 and out["error"] is None


def test_activity_breakdown_first_interaction_and_trend(cli, world):
    c = world.contact(
        "Trendy",
        history=[(1, "inbound"), (2, "outbound"), (40, "inbound"), (150, "inbound"), (200, "inbound")],
    )
    a = activity(cli, c)
    assert set(a["dimensions"]) == {"reciprocity", "recency", "frequency", "breadth", "tenure"}
    assert {k: v["max"] for k, v in a["dimensions"].items()} == {
        "reciprocity": 4,
        "recency": 3,
        "frequency": 2,
        "breadth": 1,
        "tenure": 2,
    }
    assert a["stats"]["first_interaction_at"] == "2025-11-13T08:00:00.000Z"
    assert a["stats"]["inbound_365d"] == 4 and a["stats"]["count_30d"] == 2 and a["stats"]["count_90d"] == 3
    trend = a["monthly_trend"]
    assert [m["month"] for m in trend] == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
        "2026-06",
    ]
    assert trend[-1] == {"month": "2026-06", "count": 0}
    assert sum(m["count"] for m in trend) == 4  # the 200-day-old one is outside the 183 days
    assert {m["month"]: m["count"] for m in trend}["2026-05"] == 2


def test_score_explain_shows_dimensions_and_facts(cli, world):
    world.contact("Explained Ed", history=[(3, "inbound", "telegram"), (4, "outbound", "email")])
    out = cli.json("score", "explain", "Explained Ed", "--now", NOW)["data"]
    assert out["contact"]["full_name"] == "Explained Ed"
    assert out["dimensions"]["recency"]["facts"]["days_since"] == 3
    assert out["dimensions"]["breadth"]["facts"]["platforms"] == ["email", "telegram"]
    assert out["dimensions"]["reciprocity"]["facts"]["inbound_365d"] == 1
    assert out["score"] == sum(d["value"] for d in out["dimensions"].values())
    text = cli("score", "explain", "Explained Ed", "--now", NOW).stdout
    for word in (
        "reciprocity",
        "recency",
        "frequency",
        "breadth",
        "tenure",
        "days_since=3",
        "email, telegram",
    ):
        assert word in text


def test_score_explain_unknown_contact(cli, world):
    r = cli("score", "explain", "nobody-at-all", "--now", NOW, ok=False)
    assert "no contact matches" in r.stderr


# ------------------------------------------------------------------ SQL batch == pure functions


@dataclass
class Item:
    platform: str
    direction: str
    occurred_at: datetime


BASE = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
EDGES = [0, 30, 90, 365, 730, 1825]
offsets = st.one_of(
    st.integers(min_value=-5 * 86_400_000, max_value=2100 * 86_400_000),  # ms before now (some in the future)
    st.sampled_from(EDGES).flatmap(lambda d: st.integers(-1, 1).map(lambda e: d * 86_400_000 + e)),
)
items = st.lists(
    st.tuples(
        st.sampled_from(["email", "telegram", "twitter", "manual", "meeting"]),
        st.sampled_from(["inbound", "outbound", "mutual", "event", "note"]),
        offsets,
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories=st.lists(items, min_size=1, max_size=4), now_ms=st.integers(0, 999))
def test_sql_batch_path_matches_pure_functions(world, histories, now_ms):
    from pcrm.clock import iso
    from pcrm.domain.scoring import inputs_from_interactions, score
    from pcrm.store import interactions as istore
    from pcrm.store.db import write

    now = BASE + timedelta(milliseconds=now_ms)
    conn = world.ctx.conn
    with write(conn):
        conn.execute("DELETE FROM interactions")
        cids = [r[0] for r in conn.execute("SELECT id FROM contacts ORDER BY id")]
        while len(cids) < len(histories):
            cids.append(
                conn.execute(
                    "INSERT INTO contacts(uuid, name_fold, created_at, updated_at) "
                    "VALUES (lower(hex(randomblob(16))), '', ?, ?) RETURNING id",
                    (iso(now), iso(now)),
                ).fetchone()[0]
            )
        expected = {}
        for cid, hist in zip(cids, histories, strict=False):
            recs = [Item(p, d, now - timedelta(milliseconds=off)) for p, d, off in hist]
            for k, r in enumerate(recs):
                istore.insert(
                    conn,
                    cid,
                    {
                        "platform": r.platform,
                        "direction": r.direction,
                        "occurred_at": iso(r.occurred_at),
                        "raw_reference_id": f"h{k}",
                    },
                    iso(now),
                )
            expected[cid] = inputs_from_interactions(recs, now)
    got = istore.score_inputs(conn, now, cids[: len(histories)])
    for cid, want in expected.items():
        if want.lifetime_count == 0:
            assert cid not in got
            continue
        assert got[cid] == want
        assert score(got[cid], now) == score(want, now)


def test_recalc_writes_what_the_pure_functions_give(cli, world):
    from pcrm.clock import parse_iso
    from pcrm.domain.scoring import score
    from pcrm.services import demo
    from pcrm.store import interactions as istore

    demo.load(world.ctx, demo.generate(3, 120, 2500, parse_iso(NOW)))
    world.ctx.conn.execute(
        "UPDATE contacts SET relationship_score = 0, interaction_count = 0, last_interaction_at = NULL"
    )
    out = cli.json("score", "recalc", "--now", NOW)
    assert out["meta"]["changed"] > 50
    now = parse_iso(NOW)
    inputs = istore.score_inputs(world.ctx.conn, now)
    stored = {
        cid: (s, n, last)
        for cid, s, n, last in world.ctx.conn.execute(
            "SELECT id, relationship_score, interaction_count, last_interaction_at FROM contacts"
        )
    }
    for cid, inp in inputs.items():
        assert stored[cid] == (
            score(inp, now).total,
            inp.lifetime_count,
            __import__("pcrm.clock", fromlist=["iso"]).iso(inp.last_any),
        )
    assert cli.json("score", "recalc", "--now", NOW)["meta"]["changed"] == 0


# ------------------------------------------------------------------ the daily catch-up, incremental

DAY_MS = 86_400_000
near_edges = st.sampled_from(["t0", "t1"]).flatmap(
    lambda which: st.sampled_from([0, 7, 8, 30, 31, 90, 91, 365, 366, 730, 731, 1825]).flatmap(
        lambda d: st.integers(-2, 2).map(lambda e: (which, d * DAY_MS + e))
    )
)
catch_up_items = st.lists(
    st.tuples(
        st.sampled_from(["email", "telegram", "manual"]),
        st.sampled_from(["inbound", "outbound", "note"]),
        st.one_of(near_edges, st.integers(-30 * DAY_MS, 2000 * DAY_MS).map(lambda ms: ("t1", ms))),
    ),
    max_size=25,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    histories=st.lists(catch_up_items, min_size=1, max_size=4),
    gap_ms=st.integers(25 * 3_600_000, 61 * DAY_MS),
)
def test_incremental_catch_up_equals_the_pure_functions(world, monkeypatch, histories, gap_ms):
    """The catch-up recomputes only contacts with an interaction near a [score-freshness] boundary since the
    last one;
    every contact must still end with exactly the score the formula gives at the new time."""
    from pcrm import clock
    from pcrm.clock import iso
    from pcrm.domain.scoring import inputs_from_interactions, total
    from pcrm.services import scores
    from pcrm.store import interactions as istore
    from pcrm.store import settings as sstore
    from pcrm.store.db import write

    t0 = BASE
    t1 = t0 + timedelta(milliseconds=gap_ms)
    conn = world.ctx.conn
    with write(conn):
        conn.execute("DELETE FROM interactions")
        for key in (scores._DAY_KEY, scores._AT_KEY):
            sstore.delete(conn, key)
        cids = [r[0] for r in conn.execute("SELECT id FROM contacts ORDER BY id")]
        while len(cids) < len(histories):
            cids.append(
                conn.execute(
                    "INSERT INTO contacts(uuid, name_fold, created_at, updated_at) "
                    "VALUES (lower(hex(randomblob(16))), '', ?, ?) RETURNING id",
                    (iso(t0), iso(t0)),
                ).fetchone()[0]
            )
        recs_of = {}
        for cid, hist in zip(cids, histories, strict=False):
            recs = [
                Item(p, d, (t0 if which == "t0" else t1) - timedelta(milliseconds=off))
                for p, d, (which, off) in hist
            ]
            for k, r in enumerate(recs):
                istore.insert(
                    conn,
                    cid,
                    {
                        "platform": r.platform,
                        "direction": r.direction,
                        "occurred_at": iso(r.occurred_at),
                        "raw_reference_id": f"c{k}",
                    },
                    iso(t0),
                )
            recs_of[cid] = recs
    asked = []
    real = istore.contacts_with_interactions_in
    monkeypatch.setattr(istore, "contacts_with_interactions_in", lambda c, r: asked.append(r) or real(c, r))
    try:
        clock.set_now(t0)
        assert scores.catch_up(world.ctx)  # the first one: every contact
        clock.set_now(t1)
        assert scores.catch_up(world.ctx)
    finally:
        clock.set_now(None)
    assert len(asked) == (1 if gap_ms <= scores.INCREMENTAL_MAX_DAYS * DAY_MS else 0)
    for cid in cids:
        want = inputs_from_interactions(recs_of.get(cid, []), t1)
        row = conn.execute(
            "SELECT relationship_score, interaction_count, last_interaction_at FROM contacts WHERE id = ?",
            (cid,),
        ).fetchone()
        last = iso(want.last_any) if want.last_any else None
        assert row == (total(want, t1), want.lifetime_count, last), (cid, recs_of.get(cid))


@settings(max_examples=400, deadline=None)
@given(
    edge=st.sampled_from([0, 7, 8, 30, 31, 90, 91, 365, 366, 730, 731, 1825, 1826]),
    jitter=st.integers(-2 * DAY_MS, 2 * DAY_MS),
    gap_ms=st.integers(0, 3 * DAY_MS),
    direction=st.sampled_from(["inbound", "outbound", "note"]),
)
def test_every_time_a_score_input_moves_is_a_crossing(edge, jitter, gap_ms, direction):
    """One interaction at t: whenever anything the formula reads of it changes between t0 and t1 (its
    windows, recency's day bucket, tenure's year bucket), t lies in crossing_ranges(t0, t1)."""
    from dataclasses import replace

    from pcrm.domain.scoring import crossing_ranges, inputs_from_interactions, recency, tenure

    t0 = BASE
    t1 = t0 + timedelta(milliseconds=gap_ms)
    t = t0 - timedelta(days=edge, milliseconds=jitter)

    def seen(now: datetime) -> tuple:
        i = inputs_from_interactions([Item("email", direction, t)], now)
        return (i, recency(i, now), tenure(replace(i, lifetime_count=50), now))

    if seen(t0) != seen(t1):
        assert any(lo <= t <= hi for lo, hi in crossing_ranges(t0, t1)), (edge, jitter, gap_ms)


def _all_scores_follow_the_formula(cli, at: str) -> None:
    """Every contact's stored score, count and last interaction are what [score-formula] gives at `at`."""
    from pcrm.clock import iso, parse_iso
    from pcrm.domain.scoring import total
    from pcrm.services.context import open_context
    from pcrm.store import interactions as istore

    now = parse_iso(at)
    with open_context() as ctx:
        want = istore.score_inputs(ctx.conn, now)
        got = ctx.conn.execute(
            "SELECT id, relationship_score, interaction_count, last_interaction_at FROM contacts"
        ).fetchall()
    for cid, score_, count, last in got:
        i = want.get(cid)
        expected = (total(i, now), i.lifetime_count, iso(i.last_any)) if i else (0, 0, None)
        assert (score_, count, last) == expected, cid


def test_catch_up_after_writes_with_a_past_clock(cli):
    """A score written for an earlier `now` (--now in the past) must not survive the next catch-up."""
    ann = cli.json("contacts", "add", "--name", "Ann", "--now", "2026-05-01T09:00:00Z")["data"]["id"]
    for day in ("04-20", "04-25", "04-28"):
        cli(
            "log",
            ann,
            "hi",
            "--platform",
            "email",
            "--direction",
            "inbound",
            "--at",
            f"2026-{day}T09:00:00Z",
            "--now",
            "2026-05-01T09:00:00Z",
        )
    cli("contacts", "list", "--now", "2026-06-01T09:00:00Z")  # a catch-up
    cli(
        "log",
        ann,
        "late",
        "--platform",
        "email",
        "--direction",
        "outbound",
        "--at",
        "2026-05-20T09:00:00Z",
        "--now",
        "2026-05-20T09:00:00Z",
    )  # written as of an earlier day
    cli("contacts", "list", "--now", "2026-06-02T09:00:00Z")
    _all_scores_follow_the_formula(cli, "2026-06-02T09:00:00Z")


def test_catch_up_after_an_unmerge(cli):
    """An unmerge restores scores journaled at the merge: both contacts are re-scored at once."""
    ann = cli.json("contacts", "add", "--name", "Ann", "--email", "ann@x.io", "--now", "2026-05-01T09:00:00Z")
    bea = cli.json(
        "contacts", "add", "--name", "Ann B", "--email", "ann@y.io", "--now", "2026-05-01T09:00:00Z"
    )
    for who, day in ((ann, "04-20"), (bea, "04-29"), (bea, "04-30")):
        cli(
            "log",
            who["data"]["id"],
            "hi",
            "--platform",
            "email",
            "--direction",
            "inbound",
            "--at",
            f"2026-{day}T09:00:00Z",
            "--now",
            "2026-05-01T09:00:00Z",
        )
    merge_id = cli.json(
        "contacts", "merge", ann["data"]["id"], bea["data"]["id"], "--now", "2026-05-01T10:00:00Z"
    )["data"]["merge_id"]
    cli("contacts", "list", "--now", "2026-06-01T09:00:00Z")
    cli("contacts", "unmerge", merge_id, "--now", "2026-06-01T10:00:00Z")
    _all_scores_follow_the_formula(cli, "2026-06-01T10:00:00Z")
    cli("contacts", "list", "--now", "2026-06-02T09:00:00Z")
    _all_scores_follow_the_formula(cli, "2026-06-02T09:00:00Z")


def test_a_full_catch_up_scores_a_chunk_at_a_time_in_its_own_transaction(world, monkeypatch):
    """[daemon-memory]: the first catch-up (every contact) holds REFRESH_CHUNK contacts' inputs at a time
    (100k at once held ~60 MB, which the daemon kept), writes in the catch-up's transaction without a
    savepoint (whose journal keeps every changed page in memory), and leaves no statement naming a list of
    ids in the statement cache; every contact still ends with the formula's score."""
    import apsw

    from pcrm.clock import iso
    from pcrm.domain.scoring import total
    from pcrm.services import scores
    from pcrm.store import interactions as istore
    from pcrm.store import settings as sstore
    from pcrm.store.db import write

    for k in range(5):
        world.contact(f"Person {k}", history=[(k + 1, "inbound"), (3 * k + 2, "outbound", "telegram")])
    conn = world.ctx.conn
    with write(conn):  # stale: as a store no catch-up has run on
        conn.execute(
            "UPDATE contacts SET relationship_score = 0, interaction_count = 0, last_interaction_at = NULL"
        )
        for key in (scores._DAY_KEY, scores._AT_KEY):
            sstore.delete(conn, key)
    monkeypatch.setattr(scores, "REFRESH_CHUNK", 2)
    asked: list[int | None] = []
    real = istore.score_inputs
    monkeypatch.setattr(
        istore,
        "score_inputs",
        lambda c, now, ids=None: asked.append(None if ids is None else len(ids)) or real(c, now, ids),
    )
    statements: list[str] = []
    conn.trace_v2(apsw.SQLITE_TRACE_STMT, lambda event: statements.append(event["sql"]))
    try:
        assert scores.catch_up(world.ctx)
    finally:
        conn.trace_v2(0, None)
    assert asked == [2, 2, 1]
    assert not [s for s in statements if "SAVEPOINT" in s.upper()]
    cached = [e["query"] for e in conn.cache_stats(True)["entries"]]
    assert not [q for q in cached if "AS lifetime_count" in q and "contact_id IN (" in q]
    now = world.ctx.now()
    want = real(conn, now)
    for cid, score_, count, last in conn.execute(
        "SELECT id, relationship_score, interaction_count, last_interaction_at FROM contacts"
    ):
        i = want[cid]
        assert (score_, count, last) == (total(i, now), i.lifetime_count, iso(i.last_any)), cid


def test_recalc_says_how_many_changed_as_its_json_does(crm: Any) -> None:
    """`pcrm score recalc` said "updated 4 contacts" while --json said meta.changed: 0: it counted every
    contact rescored. It now says how many were rescored and how many of them changed [score-formula]."""
    ada = crm.add("Ada Lovelace")
    crm.add("Grace Hopper")
    crm.history(
        ada["id"],
        [("email", "inbound", "2026-06-01T10:00:00Z"), ("email", "outbound", "2026-06-02T10:00:00Z")],
    )
    crm.cli("score", "recalc")
    assert crm.cli.json("score", "recalc")["meta"]["changed"] == 0
    assert crm.cli("score", "recalc").stdout.strip() == "rescored 1 contact: none changed"
    later = ("--now", "2027-06-01T00:00:00Z")  # a year on, Ada's recency has gone
    said = crm.cli("score", "recalc", *later).stdout.strip()
    assert said == "rescored 1 contact: 1 changed", said
    assert crm.cli.json("score", "recalc", *later)["meta"]["changed"] == 0
