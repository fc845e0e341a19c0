"""[followup-engine] "Follow-up engine": every behaviour end to end through `pcrm suggestions generate` at a
fixed now."""

from __future__ import annotations

from typing import Any

from tests.support.world import NOW, ago, due_history, rich_history


def gen(cli: Any, now: str = NOW) -> list[dict[str, Any]]:
    return cli.json("suggestions", "generate", "--now", now)["data"]


def by_name(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {s["contact"]["full_name"]: s for s in items}


# ------------------------------------------------------------------ channel


def test_channel_is_platform_of_last_sendable_interaction(cli, world):
    world.contact(
        "Tg Person",
        telegram="tgperson",
        history=[
            (70, "outbound", "telegram"),
            (71, "outbound", "email"),
            (72, "outbound", "email"),
            (73, "inbound", "email"),
        ],
    )
    assert gen(cli)[0]["suggested_channel"] == "telegram"


def test_channel_skips_unsendable_platforms_then_defaults_to_email(cli, world):
    world.contact(
        "Li Person",
        history=[
            (70, "outbound", "linkedin"),
            (71, "outbound", "linkedin"),
            (72, "outbound", "whatsapp"),
            (73, "inbound", "whatsapp"),
        ],
    )
    assert gen(cli)[0]["suggested_channel"] == "email"


def test_preferred_channel_used_when_reachable(cli, world):
    world.setting("suggestions.preferred_channel", "twitter")
    world.contact("Has Twitter", twitter="hastw", history=due_history())
    world.contact("No Twitter", history=due_history())
    got = by_name(gen(cli))
    assert got["Has Twitter"]["suggested_channel"] == "twitter"
    assert got["No Twitter"]["suggested_channel"] == "email"


# ------------------------------------------------------------------ time-based


def test_time_based_created(cli, world):
    world.contact("Due Dana", history=due_history(70))
    [s] = gen(cli)
    assert s["trigger_type"] == "time_based" and s["pool"] == "A"
    assert s["suggested_message"] == "Hey Due, just wanted to check in. How have things been going?"
    assert "70 days" in s["reason"]


def test_time_based_skipped_when_score_high(cli, world):
    c = world.contact("Strong Sam", history=[(61 + k, d) for k in range(5) for d in ("inbound", "outbound")])
    assert world.score(c) >= 4
    assert gen(cli) == []


def test_time_based_skipped_when_last_interaction_recent(cli, world):
    world.contact("Recent Rita", history=due_history(20))
    assert gen(cli) == []


def test_no_last_interaction_no_time_based(cli, world):
    world.contact("Silent Sid")
    assert gen(cli) == []


def test_low_priority_with_two_interactions_excluded(cli, world):
    world.contact("Low Two", priority="low", history=[(200, "outbound"), (201, "inbound")])
    assert gen(cli) == []


def test_low_priority_with_three_interactions_included(cli, world):
    world.contact(
        "Low Three", priority="low", history=[(200, "outbound"), (201, "inbound"), (202, "outbound")]
    )
    assert [s["trigger_type"] for s in gen(cli)] == ["time_based"]


def test_high_priority_with_one_interaction_included(cli, world):
    world.contact("High One", priority="high", history=[(40, "outbound")])
    assert [s["trigger_type"] for s in gen(cli)] == ["time_based"]


def test_score_zero_and_over_365_days_excluded(cli, world):
    # dormancy raised so the contact is still "active"; score 0 and 400 days silent -> skipped anyway
    world.setting("suggestions.dormancy_threshold_days", 800)
    world.setting("suggestions.include_dormant", False)
    c = world.contact("Stale Zero", history=[(400, "outbound")])
    assert world.score(c) == 0
    assert gen(cli) == []


# ------------------------------------------------------------------ event-based


def test_event_based_created(cli, world):
    c = world.contact("Evt Eve", history=[(20, "inbound"), (21, "outbound")] * 1)
    world.event(c, days_ago=2, confidence=0.9, summary="Joined Globex as CTO")
    [s] = gen(cli)
    assert s["trigger_type"] == "event_based" and s["trigger_event_id"] is not None
    assert "Joined Globex as CTO" in s["suggested_message"]


def test_event_low_confidence_none(cli, world):
    c = world.contact("Evt Low", history=[(20, "inbound")])
    world.event(c, days_ago=2, confidence=0.5)
    assert gen(cli) == []


def test_event_confidence_exactly_07_none(cli, world):
    c = world.contact("Evt Edge", history=[(20, "inbound")])
    world.event(c, days_ago=2, confidence=0.7)
    assert gen(cli) == []


def test_event_old_none(cli, world):
    c = world.contact("Evt Old", history=[(20, "inbound")])
    world.event(c, days_ago=8, confidence=0.95)
    assert gen(cli) == []


def test_event_within_interaction_cooldown_none(cli, world):
    c = world.contact("Evt Cool", history=[(5, "inbound")])
    world.event(c, days_ago=1, confidence=0.95)
    assert gen(cli) == []


# ------------------------------------------------------------------ scheduled


def test_scheduled_created(cli, world):
    # score too high for time-based, but the last follow-up is older than the interval
    c = world.contact(
        "Sched Sue",
        followup_days=90,
        history=[(61 + k, d) for k in range(5) for d in ("inbound", "outbound")],
    )
    assert world.score(c) >= 4
    [s] = gen(cli)
    assert s["trigger_type"] == "scheduled"


def test_scheduled_not_when_followed_up_recently(cli, world):
    world.contact(
        "Sched Recent",
        followup_days=30,
        history=[(61 + k, d) for k in range(5) for d in ("inbound", "outbound")],
    )
    assert gen(cli) == []


def test_scheduled_not_when_last_followup_null(cli, world):
    world.contact("Sched Null", history=[(61 + k, d) for k in range(5) for d in ("inbound", "outbound")])
    assert gen(cli) == []


def test_followup_cooldown_excludes_contact(cli, world):
    world.contact("Cooling", followup_days=10, history=due_history())
    assert gen(cli) == []


# ------------------------------------------------------------------ birthday


def test_birthday_in_window_created(cli, world):
    world.contact("Bday Bo", birthday="06-04")  # today + 3, no interactions needed
    [s] = gen(cli)
    assert s["trigger_type"] == "birthday"
    assert s["suggested_message"] == "Happy birthday, Bday! Hope the year ahead treats you well."


def test_birthday_reason_is_worded_as_of_the_day_it_is_read(cli, world):
    """Made two days before the birthday, the suggestion says so; read on the day, and after it, it must
    not still say "in 2 days": the reason is worded when the list or the digest is read."""
    world.contact("Bday Reads", birthday="1990-06-03")
    [s] = gen(cli)
    assert s["reason"] == "Birthday in 2 days"

    def reason(now: str) -> tuple[str, str]:
        listed = cli.json("suggestions", "list", "--now", now)["data"]
        digest = cli.json("digest", "--now", now)["data"]
        return listed[0]["reason"], digest[0]["reason"]

    assert reason("2026-06-02T09:00:00Z") == ("Birthday tomorrow", "Birthday tomorrow")
    assert reason("2026-06-03T09:00:00Z") == ("Birthday today", "Birthday today")
    assert reason("2026-06-06T09:00:00Z") == ("Birthday 3 days ago", "Birthday 3 days ago")
    shown = cli("suggestions", "list", "--now", "2026-06-04T09:00:00Z").stdout
    assert "Birthday yesterday" in shown and "Birthday in 2 days" not in shown


def test_day_counts_in_reasons_are_worded_as_of_the_day_they_are_read(cli, world):
    """ "Dormant for 500 days", "70 days since you last talked", "Last follow-up 90 days ago": each counted
    to the day the suggestion was made; read a month later (snoozed, or left in the queue) the list, the
    digest and a status change still said so. They count to the day they are read, as birthdays do."""
    world.contact("Due Dan", history=due_history(70))
    world.contact(
        "Sched Sue",
        followup_days=90,
        history=[(61 + k, d) for k in range(5) for d in ("inbound", "outbound")],
    )
    world.contact("Deep Dora", history=rich_history(500, count=6))
    world.contact("Mid Max", history=[(400, "inbound"), (401, "outbound")])
    c = world.contact("Evt Dormant", history=[(400, "inbound"), (402, "outbound")])
    world.event(c, days_ago=10, confidence=0.8)
    made = {s["contact"]["full_name"]: s for s in gen(cli)}
    assert {n: s["trigger_type"] for n, s in made.items()} == {
        "Due Dan": "time_based",
        "Sched Sue": "scheduled",
        "Deep Dora": "dormant_deep",
        "Mid Max": "dormant_mid",
        "Evt Dormant": "dormant_event",
    }
    assert made["Due Dan"]["reason"].startswith("70 days since you last talked (medium priority")
    assert made["Sched Sue"]["reason"].startswith("Last follow-up 90 days ago (medium priority")
    assert made["Deep Dora"]["reason"] == "Dormant for 500 days after 6 interactions"
    assert made["Mid Max"]["reason"] == "Dormant for 400 days after 2 interactions"
    assert made["Evt Dormant"]["reason"].endswith(", after 400 days of silence")

    later = ago(-30)  # a month on
    listed = {
        s["contact"]["full_name"]: s["reason"]
        for s in cli.json("suggestions", "list", "--now", later)["data"]
    }
    digest = {s["contact"]["full_name"]: s["reason"] for s in cli.json("digest", "--now", later)["data"]}
    assert listed == digest
    assert listed["Due Dan"] == "100 days since you last talked (medium priority: every 60 days)"
    assert listed["Sched Sue"] == "Last follow-up 120 days ago (medium priority: every 60 days)"
    assert listed["Deep Dora"] == "Dormant for 530 days after 6 interactions"
    assert listed["Mid Max"] == "Dormant for 430 days after 2 interactions"
    assert listed["Evt Dormant"].endswith(", after 430 days of silence")
    snoozed = cli.json("suggestions", "snooze", made["Deep Dora"]["id"], "--days", "7", "--now", later)[
        "data"
    ]
    assert snoozed["reason"] == "Dormant for 530 days after 6 interactions"
    table = cli("suggestions", "list", "--now", later).stdout
    assert "Dormant for 430 days" in table and "Dormant for 400 days" not in table


def test_birthday_outside_window_none(cli, world):
    world.contact("Bday Late", birthday="1990-06-05")
    assert gen(cli) == []


def test_birthday_reminders_false_disables_trigger(cli, world):
    world.setting("suggestions.birthday_reminders", False)
    world.contact("Bday Off", birthday="06-01")
    assert gen(cli) == []


def test_leap_day_birthday_on_feb_28_in_common_years(cli, world):
    world.contact("Leap Lee", birthday="02-29")
    assert [s["trigger_type"] for s in gen(cli, "2027-02-27T08:00:00Z")] == ["birthday"]


# ------------------------------------------------------------------ duplicates, cap, failures


def test_no_duplicate_per_contact(cli, world):
    world.contact("Once Only", history=due_history())
    assert len(gen(cli)) == 1
    assert gen(cli) == []  # it already has a pending suggestion


def test_at_most_max_suggestions(cli, world):
    for k in range(8):
        world.contact(f"Due {k}", history=due_history(70 + k))
    assert len(gen(cli)) == 5


def test_max_suggestions_setting_takes_effect(cli, world):
    world.setting("suggestions.max_suggestions", 7)
    for k in range(9):
        world.contact(f"Due {k}", history=due_history(70 + k))
    assert len(gen(cli)) == 7


def test_compose_error_skips_that_contact(cli, world, monkeypatch):
    from pcrm.domain import suggestions as rules

    world.contact("Breaks Draft", history=due_history(80))
    world.contact("Fine Fred", history=due_history(70))
    real = rules.draft

    def draft(trigger, pool, first, summary=None):
        if first == "Breaks":
            raise RuntimeError("model unavailable")
        return real(trigger, pool, first, summary)

    monkeypatch.setattr(rules, "draft", draft)
    assert [s["contact"]["full_name"] for s in gen(cli)] == ["Fine Fred"]


# ------------------------------------------------------------------ pool B


def test_dormant_deep_created(cli, world):
    world.contact("Deep Dora", history=rich_history(500, count=6))
    [s] = gen(cli)
    assert (s["trigger_type"], s["pool"]) == ("dormant_deep", "B")
    assert s["suggested_message"] == "Hi Deep, it's been a while since we last talked. How have you been?"


def test_dormant_mid_created(cli, world):
    world.contact("Mid Max", history=[(400, "inbound"), (401, "outbound")])
    [s] = gen(cli)
    assert s["trigger_type"] == "dormant_mid"


def test_dormant_mid_needs_two_interactions(cli, world):
    world.contact("Mid One", history=[(400, "inbound")])
    assert gen(cli) == []


def test_dormant_event_created(cli, world):
    c = world.contact("Evt Dormant", history=[(400, "inbound"), (401, "outbound")])
    world.event(c, days_ago=10, confidence=0.8)
    [s] = gen(cli)
    assert s["trigger_type"] == "dormant_event" and s["pool"] == "B"


def test_dormant_event_overrides_hard_cap(cli, world):
    c = world.contact("Ancient Event", history=rich_history(1900, count=20))  # tenure keeps the score at 1
    assert world.score(c) > 0
    world.event(c, days_ago=3, confidence=0.9)
    assert [s["trigger_type"] for s in gen(cli)] == ["dormant_event"]


def test_hard_cap_drops_ancient_contacts(cli, world):
    c = world.contact("Ancient Anna", history=rich_history(1900, count=20))
    assert world.score(c) > 0
    assert gen(cli) == []


def test_pool_b_needs_positive_score(cli, world):
    c = world.contact("Zero Dormant", history=[(400, "outbound"), (401, "outbound")])
    assert world.score(c) == 0
    assert gen(cli) == []


def test_include_dormant_false_disables_pool_b(cli, world):
    world.setting("suggestions.include_dormant", False)
    world.contact("Deep Dora", history=rich_history(500, count=6))
    assert gen(cli) == []


# ------------------------------------------------------------------ budget


def _fill(world: Any, a: int, b: int) -> None:
    for k in range(a):
        world.contact(f"A{k}", history=due_history(70 + k))
    for k in range(b):
        world.contact(f"B{k}", history=rich_history(500 + k, count=6))


def test_budget_3a_2b_by_default(cli, world):
    _fill(world, 6, 6)
    pools = [s["pool"] for s in gen(cli)]
    assert pools.count("A") == 3 and pools.count("B") == 2


def test_rollover_to_a_when_no_b(cli, world):
    _fill(world, 6, 0)
    assert [s["pool"] for s in gen(cli)] == ["A"] * 5


def test_rollover_to_b_when_one_a(cli, world):
    _fill(world, 1, 6)
    pools = [s["pool"] for s in gen(cli)]
    assert pools.count("A") == 1 and pools.count("B") == 4


def test_revival_framing_for_pool_b_only(cli, world):
    _fill(world, 3, 2)
    for s in gen(cli):
        revival = s["suggested_message"].startswith("Hi ") and "been a while" in s["suggested_message"]
        assert revival == (s["pool"] == "B")


# ------------------------------------------------------------------ dormancy


def test_dormancy_boundary(cli, world):
    world.setting("suggestions.include_dormant", False)
    world.contact("Inside", history=due_history(364))
    world.contact("Outside", history=due_history(366))
    assert [s["contact"]["full_name"] for s in gen(cli)] == ["Inside"]


def test_dormancy_setting_moves_the_boundary(cli, world):
    world.setting("suggestions.dormancy_threshold_days", 100)
    world.setting("suggestions.include_dormant", False)
    world.contact("Was Active", history=due_history(120))
    world.contact("Still Active", history=due_history(70))
    assert [s["contact"]["full_name"] for s in gen(cli)] == ["Still Active"]


# ------------------------------------------------------------------ post-filters


def test_ghost_three_recent_outbound_suppressed(cli, world):
    world.setting("priority.high", 7)
    world.contact(
        "Ghost",
        priority="high",
        history=[(35, "inbound"), (34, "outbound"), (33, "outbound"), (31, "outbound"), (29, "outbound")],
    )
    assert gen(cli) == []


def test_ghost_three_old_outbound_kept(cli, world):
    world.contact(
        "Old Streak", history=[(73, "inbound"), (72, "outbound"), (71, "outbound"), (70, "outbound")]
    )
    assert len(gen(cli)) == 1


def test_ghost_two_outbound_halves_priority(cli, world):
    from pcrm.domain.suggestions import Candidate, RecentSignals, post_filter
    from tests.support.world import NOW_DT, parse_iso

    # end to end: with two candidates, the halved one ranks below the plain one
    world.setting("priority.high", 7)
    # base priority = interaction count (last contact 10 days ago): Halved 12 -> 6, Plain 8
    world.contact(
        "Halved",
        priority="high",
        history=[(10, "outbound"), (11, "outbound"), (12, "inbound")]
        + [(100 + k, "outbound") for k in range(9)],
    )
    world.contact(
        "Plain",
        priority="high",
        history=[(10, "inbound"), (11, "outbound")] + [(100 + k, "outbound") for k in range(6)],
    )
    got = gen(cli)
    assert [s["contact"]["full_name"] for s in got] == ["Plain", "Halved"]
    assert "unanswered" in got[1]["reason"]
    c = Candidate(1, "A", "time_based", 512, "x")
    sig = RecentSignals(
        None,
        (("outbound", parse_iso(ago(1))), ("outbound", parse_iso(ago(2))), ("inbound", parse_iso(ago(3)))),
    )
    assert post_filter(c, sig, NOW_DT).priority == 256


def test_ghost_inbound_newest_kept(cli, world):
    world.setting("priority.high", 7)
    world.contact(
        "Answered", priority="high", history=[(20, "inbound")] + [(100 + k, "outbound") for k in range(9)]
    )
    assert len(gen(cli)) == 1


def test_telegram_unread_drops_candidate(cli, world):
    world.contact(
        "Unread",
        telegram="unread1",
        history=[*due_history(70, platform="telegram"), (69, "outbound", "telegram", 0)],
    )
    assert gen(cli) == []


def test_telegram_read_no_reply_boosts_priority(cli, world):
    world.contact("Bigger", history=due_history(70, n_out=5))
    world.contact(
        "Read Rae",
        telegram="readrae",
        history=[*due_history(70, platform="telegram"), (69, "outbound", "telegram", 1)],
    )
    got = gen(cli)
    assert [s["contact"]["full_name"] for s in got] == ["Read Rae", "Bigger"]
    assert "read your last Telegram message" in got[0]["reason"]


# ------------------------------------------------------------------ cooldowns and dismissal


def test_user_dismissal_starts_30_day_cooldown(cli, world):
    world.contact("Dismissed", history=due_history())
    [s] = gen(cli)
    cli("suggestions", "dismiss", s["id"][:8], "--now", NOW)
    assert gen(cli, "2026-06-20T08:00:00Z") == []
    assert len(gen(cli, "2026-07-02T08:00:00Z")) == 1


def test_system_dismissal_no_cooldown(cli, world):
    from pcrm.services import contacts
    from pcrm.services.suggestions import on_new_activity

    c = world.contact("System Dismissed", history=due_history())
    [_s] = gen(cli)
    assert on_new_activity(world.ctx, {contacts.rowid(world.ctx, c): NOW}) == 1
    assert len(gen(cli, "2026-06-02T08:00:00Z")) == 1


def test_null_dismissal_no_cooldown(cli, world):
    world.contact("Null Dismissed", history=due_history())
    [_s] = gen(cli)
    world.ctx.conn.execute("UPDATE follow_up_suggestions SET status = 'dismissed', dismissed_by = NULL")
    assert len(gen(cli, "2026-06-02T08:00:00Z")) == 1


def test_activity_at_created_at_dismisses(cli, world):
    from pcrm.services import contacts
    from pcrm.services.suggestions import on_new_activity

    c = world.contact("Equal Time", history=due_history())
    [s] = gen(cli)
    assert on_new_activity(world.ctx, {contacts.rowid(world.ctx, c): s["created_at"]}) == 1


def test_backfilled_old_activity_never_dismisses(cli, world):
    from pcrm.services import contacts
    from pcrm.services.suggestions import on_new_activity

    c = world.contact("Backfilled", history=due_history())
    gen(cli)
    assert on_new_activity(world.ctx, {contacts.rowid(world.ctx, c): ago(0.001)}) == 0
    assert len(cli.json("suggestions", "--now", NOW)["data"]) == 1


def test_activity_dismissal_touches_pending_only(cli, world):
    from pcrm.services import contacts
    from pcrm.services.suggestions import on_new_activity

    c = world.contact("Snoozer", history=due_history())
    [s] = gen(cli)
    cli("suggestions", "snooze", s["id"], "--days", "14", "--now", NOW)
    assert on_new_activity(world.ctx, {contacts.rowid(world.ctx, c): "2026-06-02T00:00:00.000Z"}) == 0


def test_new_interaction_after_creation_dismisses_on_listing(cli, world):
    world.contact("Talked Since", history=due_history())
    gen(cli)
    cli(
        "log",
        "Talked Since",
        "--platform",
        "email",
        "--direction",
        "inbound",
        "--at",
        "2026-06-02T09:00:00Z",
        "--now",
        "2026-06-02T10:00:00Z",
    )
    assert cli.json("suggestions", "--now", "2026-06-02T10:00:00Z")["data"] == []


def test_archiving_dismisses_pending_and_snoozed(cli, world):
    world.contact("Arch One", history=due_history(70))
    world.contact("Arch Two", history=due_history(71))
    got = by_name(gen(cli))
    cli("suggestions", "snooze", got["Arch Two"]["id"], "--days", "30", "--now", NOW)
    cli("contacts", "edit", "Arch One", "--priority", "archived", "--now", NOW)
    cli("contacts", "edit", "Arch Two", "--priority", "archived", "--now", NOW)
    rows = world.ctx.conn.execute("SELECT status, dismissed_by FROM follow_up_suggestions").fetchall()
    assert sorted(rows) == [("dismissed", "system"), ("dismissed", "system")]


def test_generation_lock_second_run_returns_nothing(cli, world):
    from pcrm.store import suggestions as store

    world.contact("Locked Out", history=due_history())
    assert store.acquire_lock(
        world.ctx.conn,
        "suggestions.generate",
        "other",
        "2000-01-01T00:00:00.000Z",
        "2999-01-01T00:00:00.000Z",
    )
    out = cli.json("suggestions", "generate", "--now", NOW)
    assert out["data"] == [] and out["meta"] == {"generated": 0, "locked": True}
    store.release_lock(world.ctx.conn, "suggestions.generate", "other")
    assert len(gen(cli)) == 1


def test_expired_lock_is_taken_over(cli, world):
    from pcrm.store import suggestions as store

    world.contact("Stale Lock", history=due_history())
    store.acquire_lock(
        world.ctx.conn,
        "suggestions.generate",
        "crashed",
        "2000-01-01T00:00:00.000Z",
        "2000-01-01T00:02:00.000Z",
    )
    assert len(gen(cli)) == 1


def test_with_more_birthdays_than_slots_the_soonest_are_suggested(cli, world):
    """All birthdays weigh the same (1500): ties went to the contact added first, so with more birthdays in
    the window than slots, today's were passed over for ones three days out, and never came back once
    their day left the window. The soonest birthday wins a tie now."""
    for i in range(5):
        world.contact(f"Later Bday {i}", birthday="06-04")  # today + 3, added first
    world.contact("Today Bday", birthday="1990-06-01")
    world.contact("Tomorrow Bday", birthday="06-02")
    got = by_name(gen(cli))
    assert len(got) == 5
    assert {"Today Bday", "Tomorrow Bday"} <= set(got), sorted(got)
    assert got["Today Bday"]["reason"] == "Birthday today"
