"""The pure decision logic of domain/suggestions.py, without a database."""

from __future__ import annotations

from datetime import date, timedelta

from pcrm.domain import suggestions as r
from pcrm.domain.suggestions import Candidate, ContactFacts, Event, Prefs, RecentSignals
from tests.support.world import NOW_DT

TODAY = date(2026, 6, 1)


def facts(**kw):
    base = {
        "id": 1,
        "priority_level": "medium",
        "score": 2,
        "interaction_count": 5,
        "last_interaction_at": NOW_DT - timedelta(days=70),
    }
    base.update(kw)
    return ContactFacts(**base)


def test_pool_a_priority_tiers():
    assert r.compute_priority(12, 120) == 1012  # rich history
    assert r.compute_priority(12, 90) == 512  # cooling (14..90)
    assert r.compute_priority(12, 14) == 512
    assert r.compute_priority(12, 13) == 12
    assert r.compute_priority(9, 200) == 9
    assert r.compute_priority(12, 120, event=True) == 1212


def test_pool_b_priority_tiers():
    assert r.compute_priority_b(8, 1, 0) == 1008
    assert r.compute_priority_b(2, 5, 0) == 1002
    assert r.compute_priority_b(4, 1, 0) == 504
    assert r.compute_priority_b(2, 3, 0) == 502
    assert r.compute_priority_b(2, 1, 0) == 2
    assert r.compute_priority_b(2, 1, 180) == 152  # +150 for a long span
    assert r.compute_priority_b(2, 1, 179) == 2
    assert r.compute_priority_b(2, 1, 0, event=True) == 302


def test_budgets():
    assert r.budgets(5) == (3, 2)
    assert r.budgets(7) == (4, 3)
    assert r.budgets(20) == (12, 8)


def _c(cid, pool, p):
    return Candidate(cid, pool, "time_based" if pool == "A" else "dormant_deep", p, "")


def test_select_default_split_and_rollover():
    a = [_c(i, "A", 100 - i) for i in range(1, 7)]
    b = [_c(i, "B", 100 - i) for i in range(11, 17)]
    assert [c.pool for c in r.select(a, b, 5)] == ["A", "A", "A", "B", "B"]
    assert [c.pool for c in r.select(a, [], 5)] == ["A"] * 5
    assert [c.pool for c in r.select(a[:1], b, 5)] == ["A", "B", "B", "B", "B"]


def test_select_never_takes_a_contact_twice():
    a = [_c(1, "A", 10), _c(2, "A", 9)]
    b = [_c(1, "B", 1000), _c(3, "B", 5)]
    assert sorted(c.contact_id for c in r.select(a, b, 5)) == [1, 2, 3]


def test_ties_broken_by_contact_id():
    a = [_c(5, "A", 10), _c(2, "A", 10), _c(9, "A", 10), _c(1, "A", 10)]
    assert [c.contact_id for c in r.select(a, [], 5)][:3] == [1, 2, 5]


def test_post_filter_rules():
    c = Candidate(1, "A", "time_based", 10, "x")
    t = lambda d: NOW_DT - timedelta(days=d)
    assert r.post_filter(c, RecentSignals(telegram_read=False), NOW_DT) is None
    assert r.post_filter(c, RecentSignals(telegram_read=True), NOW_DT).priority == 110
    out3 = RecentSignals(recent=(("outbound", t(1)), ("outbound", t(2)), ("outbound", t(3))))
    assert r.post_filter(c, out3, NOW_DT) is None
    old3 = RecentSignals(recent=(("outbound", t(31)), ("outbound", t(32)), ("outbound", t(33))))
    assert r.post_filter(c, old3, NOW_DT).priority == 10
    two = RecentSignals(recent=(("outbound", t(1)), ("outbound", t(2)), ("inbound", t(3))))
    assert r.post_filter(c, two, NOW_DT).priority == 5
    inbound = RecentSignals(recent=(("inbound", t(1)), ("outbound", t(2)), ("outbound", t(3))))
    assert r.post_filter(c, inbound, NOW_DT).priority == 10
    assert r.upper_bound(c) == 110


def test_time_based_needs_due_and_low_score():
    p = Prefs()
    assert r.pool_a(facts(), NOW_DT, TODAY, p).trigger == "time_based"
    assert r.pool_a(facts(score=4), NOW_DT, TODAY, p) is None
    assert r.pool_a(facts(last_interaction_at=NOW_DT - timedelta(days=59)), NOW_DT, TODAY, p) is None
    assert r.pool_a(facts(last_interaction_at=None), NOW_DT, TODAY, p) is None


def test_interval_setting_changes_due_date():
    p = Prefs(intervals={"high": 30, "medium": 90, "low": 180})
    assert r.pool_a(facts(), NOW_DT, TODAY, p) is None


def test_event_confidence_strictly_above_07():
    ev = lambda c, d=1: Event(1, c, NOW_DT - timedelta(days=d))
    f = facts(last_interaction_at=NOW_DT - timedelta(days=20), score=6)
    assert (
        r.pool_a(f.__class__(**{**f.__dict__, "events": (ev(0.71),)}), NOW_DT, TODAY, Prefs()).trigger
        == "event_based"
    )
    assert r.pool_a(f.__class__(**{**f.__dict__, "events": (ev(0.7),)}), NOW_DT, TODAY, Prefs()) is None
    assert r.pool_a(f.__class__(**{**f.__dict__, "events": (ev(0.9, 8),)}), NOW_DT, TODAY, Prefs()) is None


def test_birthday_window_and_leap_day():
    p = Prefs()
    assert r.pool_a(facts(birthday="06-04", last_interaction_at=None), NOW_DT, TODAY, p).priority == 1500
    assert r.pool_a(facts(birthday="06-05", last_interaction_at=None), NOW_DT, TODAY, p) is None
    assert (
        r.pool_a(
            facts(birthday="06-04", last_interaction_at=None), NOW_DT, TODAY, Prefs(birthday_reminders=False)
        )
        is None
    )
    assert r.days_until_birthday("02-29", date(2027, 2, 27)) == 1
    assert r.days_until_birthday("02-29", date(2028, 2, 28)) == 1
    assert r.days_until_birthday("1990-01-01", date(2026, 12, 31)) == 1


def test_pool_b_triggers_and_hard_cap():
    p = Prefs()
    deep = facts(
        last_interaction_at=NOW_DT - timedelta(days=400),
        interaction_count=5,
        first_interaction_at=NOW_DT - timedelta(days=700),
    )
    assert r.pool_b(deep, NOW_DT, p).trigger == "dormant_deep"
    assert r.pool_b(deep, NOW_DT, p).priority == 505 + 150
    mid = facts(last_interaction_at=NOW_DT - timedelta(days=800), interaction_count=2)
    assert r.pool_b(mid, NOW_DT, p).trigger == "dormant_mid"
    assert (
        r.pool_b(facts(last_interaction_at=NOW_DT - timedelta(days=1200), interaction_count=2), NOW_DT, p)
        is None
    )
    ancient = facts(last_interaction_at=NOW_DT - timedelta(days=1900), interaction_count=30)
    assert r.pool_b(ancient, NOW_DT, p) is None
    with_event = ContactFacts(**{**ancient.__dict__, "events": (Event(3, 0.9, NOW_DT - timedelta(days=10)),)})
    assert r.pool_b(with_event, NOW_DT, p).trigger == "dormant_event"
    assert r.pool_b(facts(score=0, last_interaction_at=NOW_DT - timedelta(days=400)), NOW_DT, p) is None


def test_channel_choice():
    reach = r.reachable_channels(True, True, False, False)
    assert r.choose_channel(["linkedin", "telegram", "email"], reach) == "telegram"
    assert r.choose_channel(["twitter"], reach) == "email"  # not reachable on twitter
    assert r.choose_channel([], ()) == "email"
    assert r.choose_channel(["email"], reach, "telegram") == "telegram"
    assert r.choose_channel(["email"], reach, "twitter") == "email"


def test_drafts_and_first_names():
    assert r.first_name(None, "Ada Lovelace") == "Ada"
    assert r.first_name("  ", None) == "there"
    assert r.draft("birthday", "A", "Ada") == "Happy birthday, Ada! Hope the year ahead treats you well."
    assert (
        r.draft("dormant_deep", "B", "Ada")
        == "Hi Ada, it's been a while since we last talked. How have you been?"
    )
    assert r.draft("scheduled", "A", "Ada") == "Hey Ada, just wanted to check in. How have things been going?"


def test_lazy_ranking_equals_brute_force(monkeypatch):
    """services.suggestions._best looks at few candidates; it must pick what ranking all of them would."""
    import random

    from pcrm.services import suggestions as svc

    rng = random.Random(5)
    for _ in range(200):
        n = rng.randint(0, 30)
        cands = [
            Candidate(i, "A", "time_based", rng.choice([5, 40, 90, 100, 120, 500, 510, 600]), "")
            for i in range(1, n + 1)
        ]
        flags = {i: rng.random() < 0.5 for i in range(1, n + 1) if rng.random() < 0.3}
        dirs = {i: tuple(rng.choice(["inbound", "outbound"]) for _ in range(3)) for i in range(1, n + 1)}
        monkeypatch.setattr(
            svc.store,
            "read_flags",
            lambda conn, ids, now, flags=flags: {i: flags[i] for i in ids if i in flags},
        )
        monkeypatch.setattr(
            svc.store,
            "recent_directions",
            lambda conn, cid, now, dirs=dirs: [(d, "2026-05-31T08:00:00.000Z") for d in dirs[cid]],
        )
        k = rng.randint(1, 6)
        got = svc._best(type("Ctx", (), {"conn": None})(), cands, k, NOW_DT)
        brute = []
        for c in cands:
            sig = RecentSignals(
                flags.get(c.contact_id), tuple((d, NOW_DT - timedelta(days=1)) for d in dirs[c.contact_id])
            )
            f = r.post_filter(c, sig, NOW_DT)
            if f is not None:
                brute.append(f)
        assert got == sorted(brute, key=r.rank_key)[:k]
