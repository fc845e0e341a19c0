"""`pcrm interactions list`, `pcrm note add | edit | rm` and `pcrm log` [future-interactions]
[notes-and-logs] [score-freshness]: every write
keeps last_interaction_at, interaction_count and the score right."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pcrm.domain.scoring import inputs_from_interactions, score
from tests.support.crm import NOW

NOW_DT = datetime(2026, 6, 15, 12, tzinfo=UTC)


class _It:
    def __init__(self, item: dict) -> None:
        self.platform = item["platform"]
        self.direction = item["direction"]
        self.occurred_at = datetime.fromisoformat(item["occurred_at"])


def assert_numbers_right(crm, ref: str, now: datetime = NOW_DT) -> dict:
    """The stored score, count and last interaction equal what [score-formula] computes from the timeline."""
    from pcrm.clock import iso

    c = crm.show(ref)
    items = crm.cli.json("interactions", "list", ref, "--limit", "200")["data"]
    past = [i for i in items if i["occurred_at"] <= iso(now)]
    expected = score(inputs_from_interactions([_It(i) for i in items], now), now).total
    assert c["relationship_score"] == expected
    assert c["interaction_count"] == len(past)
    assert c["last_interaction_at"] == (max(i["occurred_at"] for i in past) if past else None)
    return c


@pytest.fixture
def ada(crm):
    return crm.add("Ada Lovelace", "--email", "ada@example.com")


# ------------------------------------------------------------------ note add


def test_note_add_records_a_manual_note_and_counts_as_activity(crm, ada):
    out = crm.cli.json("note", "add", "ada", "  lunch at the British Library  ")
    note = out["data"]
    assert out["error"] is None and out["meta"] == {}
    assert note["platform"] == "manual" and note["direction"] == "note"
    assert note["content_preview"] == "lunch at the British Library"
    assert note["occurred_at"] == note["created_at"] == NOW
    assert note["contact_id"] == ada["id"]
    assert note["updated_at"] is None and note["raw_reference_id"] is None
    c = assert_numbers_right(crm, "ada")
    assert c["last_interaction_at"] == NOW and c["interaction_count"] == 1
    # a note alone: recency from last_any at half weight, round(3 * 0.5) = 2; nothing else
    assert c["relationship_score"] == 2
    assert c["score_computed_at"] == NOW
    assert crm.names("--search", "british library") == ["Ada Lovelace"]


@pytest.mark.parametrize(
    "at, stored",
    [
        ("2026-03-14", "2026-03-14T00:00:00.000Z"),
        ("2026-03-14T09:30", "2026-03-14T09:30:00.000Z"),
        ("2026-03-14T09:30:00+02:00", "2026-03-14T07:30:00.000Z"),
        ("2026-03-14T09:30:00Z", "2026-03-14T09:30:00.000Z"),
        ("yesterday", "2026-06-14T12:00:00.000Z"),
        ("3d ago", "2026-06-12T12:00:00.000Z"),
        ("2w ago", "2026-06-01T12:00:00.000Z"),
        ("now", NOW),
    ],
)
def test_note_add_at(crm, ada, at, stored):
    note = crm.cli.json("note", "add", "ada", "x", "--at", at)["data"]
    assert note["occurred_at"] == stored
    assert crm.show("ada")["last_interaction_at"] == stored


def test_note_add_human_output(crm, ada):
    out = crm.cli("note", "add", "ada", "hello", "--at", "2026-06-01T10:00").stdout
    assert out.startswith("logged manual note at 2026-06-01 10:00 ")


@pytest.mark.parametrize(
    "args, code, says",
    [
        (("nobody", "text"), "not_found", "no contact matches"),
        (("ada", "   "), "validation_error", "needs some text"),
        (("ada", "text", "--at", "14/03/2026"), "validation_error", "must be a date or time like"),
        (("ada", "text", "--at", "2026-02-30"), "validation_error", "is not a real date"),
        (("ada", "text", "--at", "last fortnight"), "validation_error", "must be a date or time like"),
        (("ada", "x" * 10_001), "validation_error", "longer than"),
    ],
)
def test_note_add_refuses_bad_input(crm, ada, args, code, says):
    crm.rejects("note", "add", *args, code=code, says=says)


def test_note_add_to_an_ambiguous_contact_changes_nothing(crm, ada):
    crm.add("Ada Byron")
    crm.rejects("note", "add", "ada", "text", code="bad_request", says="matches 2 contacts")


# ------------------------------------------------------------------ log


def test_log_records_any_platform_and_direction(crm, ada):
    call = crm.cli.json(
        "log",
        "ada",
        "--platform",
        "call",
        "--direction",
        "inbound",
        "--at",
        "2026-06-10T18:00",
        "talked about the engine",
    )["data"]
    assert (call["platform"], call["direction"], call["occurred_at"]) == (
        "call",
        "inbound",
        "2026-06-10T18:00:00.000Z",
    )
    assert call["content_preview"] == "talked about the engine"
    default = crm.cli.json("log", "ada")["data"]
    assert (default["platform"], default["direction"], default["content_preview"]) == ("call", "mutual", None)
    mail = crm.cli.json("log", "ada", "--platform", "EMAIL", "--direction", "Outbound")["data"]
    assert (mail["platform"], mail["direction"]) == ("email", "outbound")
    c = assert_numbers_right(crm, "ada")
    assert c["interaction_count"] == 3 and c["last_interaction_at"] == NOW
    out = crm.cli("log", "ada", "--platform", "meeting", "--at", "2026-06-01T09:00").stdout
    assert out.startswith("logged meeting mutual at 2026-06-01 09:00 ")


@pytest.mark.parametrize(
    "args, says",
    [
        (("--platform", "pigeon"), "unknown platform"),
        (("--direction", "sideways"), "unknown direction"),
        (("--at", "tomorrow-ish"), "must be a date or time like"),
    ],
)
def test_log_refuses_bad_input(crm, ada, args, says):
    crm.rejects("log", "ada", *args, code="validation_error", says=says)


def test_log_to_an_unknown_contact_changes_nothing(crm, ada):
    crm.rejects("log", "nobody", "--platform", "call", code="not_found")


def test_an_interaction_promotes_a_2nd_tier_contact(crm):
    crm.add("Group Member", "--tag", "2nd tier", "--tag", "telegram")
    crm.cli("note", "add", "group", "a note is not a conversation")
    assert crm.show("group")["tags"] == ["2nd tier", "telegram"]
    crm.cli("log", "group", "--platform", "telegram", "--direction", "inbound")
    assert crm.show("group")["tags"] == ["telegram"]


# ------------------------------------------------------------------ last_interaction_at, counts, scores


def test_every_write_keeps_the_numbers_right(crm, ada):
    steps = [
        ("log", "ada", "--platform", "email", "--direction", "inbound", "--at", "2026-06-10"),
        ("log", "ada", "--platform", "email", "--direction", "outbound", "--at", "2026-06-11"),
        ("log", "ada", "--platform", "telegram", "--direction", "inbound", "--at", "2025-01-05"),  # older
        ("note", "add", "ada", "met at the Royal Society", "--at", "2026-06-12"),
    ]
    seen = []
    for step in steps:
        seen.append(crm.cli.json(*step)["data"])
        assert_numbers_right(crm, "ada")
    c = crm.show("ada")
    assert c["last_interaction_at"] == "2026-06-12T00:00:00.000Z"
    assert c["interaction_count"] == 4
    # reciprocity 1.05 in vs 1 out: round(4 * 1 / 1.05) = 4; recency 3; frequency c30 3 + 0.05 -> 1;
    # breadth 1 (email + telegram; the note is no channel)
    assert c["relationship_score"] == 9
    # removing the newest (the note) moves last_interaction_at back to the newest remaining one
    crm.cli("note", "rm", seen[3]["id"], "--yes")
    c = assert_numbers_right(crm, "ada")
    assert c["last_interaction_at"] == "2026-06-11T00:00:00.000Z" and c["interaction_count"] == 3
    assert c["relationship_score"] == 8  # frequency drops to 0


def test_removing_the_only_note_resets_the_contact(crm, ada):
    note = crm.cli.json("note", "add", "ada", "only one")["data"]
    assert crm.show("ada")["relationship_score"] == 2
    out = crm.cli.json("note", "rm", note["id"][:8], "--yes")
    assert out["data"] == {"id": note["id"], "deleted": True}
    c = crm.show("ada")
    assert (c["relationship_score"], c["interaction_count"], c["last_interaction_at"]) == (0, 0, None)
    assert crm.names("--search", "only one") == []


@pytest.mark.parametrize(
    "at, stored",
    [
        ("tomorrow", "2026-06-16T12:00:00.000Z"),  # noon, as for `yesterday`
        ("tomorrow 14:30", "2026-06-16T14:30:00.000Z"),
        ("in 2 days", "2026-06-17T12:00:00.000Z"),
        ("in 3h", "2026-06-15T15:00:00.000Z"),
        ("2030-01-01", "2030-01-01T00:00:00.000Z"),
    ],
)
def test_a_time_ahead_is_taken_in_every_form_a_time_ahead_has(crm, ada, at, stored):
    """[interaction-times]: `--at 2030-01-01` was taken and `--at tomorrow` refused; a booked meeting is
    stored whichever way its time is written [future-interactions], by `note add` and `log` alike."""
    note = crm.cli.json("note", "add", "ada", "x", "--at", at)["data"]
    assert note["occurred_at"] == stored
    meeting = crm.cli.json("log", "ada", "--platform", "meeting", "--at", at)["data"]
    assert meeting["occurred_at"] == stored
    assert crm.show("ada")["last_interaction_at"] is None  # ahead: counts for nothing yet
    err = crm.rejects("note", "add", "ada", "x", "--at", "next fortnight", code="validation_error")
    assert "tomorrow" in err["hint"] and "3d ago" in err["hint"]


def test_future_interactions_are_stored_but_never_move_last_interaction_at(crm, ada):
    crm.cli("log", "ada", "--platform", "email", "--direction", "inbound", "--at", "2026-06-01")
    meeting = crm.cli.json("log", "ada", "--platform", "meeting", "--at", "2026-07-01T10:00")["data"]
    assert meeting["occurred_at"] == "2026-07-01T10:00:00.000Z"
    c = crm.show("ada")
    assert (
        c["last_interaction_at"] == "2026-06-01T00:00:00.000Z"
    )  # [future-interactions]: never from the future
    assert c["interaction_count"] == 1
    assert [i["occurred_at"][:10] for i in crm.cli.json("interactions", "list", "ada")["data"]] == [
        "2026-07-01",
        "2026-06-01",
    ]
    # once the meeting has passed, the first command of that day catches up
    later = crm.cli.json("contacts", "show", "ada", "--now", "2026-07-02T08:00:00Z")["data"]
    assert later["last_interaction_at"] == "2026-07-01T10:00:00.000Z" and later["interaction_count"] == 2
    assert later["score_computed_at"] == "2026-07-02T08:00:00.000Z"


def test_a_contact_with_only_future_interactions_has_none_yet(crm, ada):
    crm.cli("log", "ada", "--platform", "meeting", "--at", "2026-12-24")
    c = crm.show("ada")
    assert (c["relationship_score"], c["interaction_count"], c["last_interaction_at"]) == (0, 0, None)
    assert crm.names("--has-interactions", "false") == ["Ada Lovelace"]


def test_scores_follow_the_clock_day_by_day(crm, ada):
    crm.cli("log", "ada", "--platform", "email", "--direction", "inbound", "--at", "2026-06-14")
    assert crm.show("ada")["relationship_score"] == 3  # recency 3 (≤ 7 days)
    shown = crm.cli.json("contacts", "show", "ada", "--now", "2026-07-01T12:00:00Z")["data"]
    assert shown["relationship_score"] == 2  # 17 days: recency 2
    listed = crm.cli.json("contacts", "list", "--now", "2026-10-01T12:00:00Z")["data"]
    assert listed[0]["relationship_score"] == 0  # 109 days: recency 0


# ------------------------------------------------------------------ note edit, note rm


def test_note_edit_changes_the_text_only(crm, ada):
    note = crm.cli.json("note", "add", "ada", "lunch", "--at", "2026-06-01")["data"]
    edited = crm.cli.json("note", "edit", note["id"][:6], "  lunch and a long walk ")["data"]
    assert edited["id"] == note["id"] and edited["content_preview"] == "lunch and a long walk"
    assert edited["occurred_at"] == note["occurred_at"] and edited["updated_at"] == NOW
    assert crm.names("--search", "long walk") == ["Ada Lovelace"]
    assert crm.names("--search", "lunch and") == ["Ada Lovelace"]
    crm.cli("note", "edit", note["id"], "picnic")
    assert crm.names("--search", "long walk") == []
    assert crm.names("--search", "picnic") == ["Ada Lovelace"]
    assert crm.cli("note", "edit", note["id"], "tea").stdout.strip() == f"updated note {note['id']}: tea"
    assert_numbers_right(crm, "ada")


def test_note_edit_to_blank_text_is_refused(crm, ada):
    note = crm.cli.json("note", "add", "ada", "lunch")["data"]
    crm.rejects(
        "note", "edit", note["id"], "  ", code="validation_error", says="needs some text", hint="pcrm note rm"
    )


def test_a_hand_logged_interaction_can_be_fixed_and_removed_a_sources_message_cannot(crm, ada, tmp_path):
    call = crm.cli.json("log", "ada", "--platform", "call", "--direction", "inbound", "tpyo")["data"]
    assert crm.cli.json("note", "edit", call["id"], "typo fixed")["data"]["content_preview"] == "typo fixed"
    assert crm.cli.json("note", "rm", call["id"], "--yes")["data"]["deleted"] is True
    chat = tmp_path / "WhatsApp Chat with Ada Lovelace.txt"
    chat.write_text("01/02/2024, 10:00 - Ada Lovelace: hello there\n01/02/2024, 10:05 - Me Myself: hi\n")
    crm.cli("import", str(chat), "--me", "Me Myself")
    # a sender named like a contact gets a contact of its own and a review question [import-matching]
    ids = [c["id"] for c in crm.cli.json("contacts", "list", "--search", "ada lovelace")["data"]]
    msg = next(
        i for c in ids for i in crm.cli.json("interactions", "list", c)["data"] if i["platform"] == "whatsapp"
    )
    says = "only notes and interactions logged by hand"
    crm.rejects("note", "edit", msg["id"], "rewritten", code="forbidden", says=says)
    crm.rejects("note", "rm", msg["id"], "--yes", code="forbidden", says=says)


@pytest.mark.parametrize("ref", ["", "abc", "ffffffff", "00000000-0000-4000-8000-000000000000"])
def test_note_edit_and_rm_of_unknown_notes_change_nothing(crm, ada, ref):
    crm.cli("note", "add", "ada", "keep me")
    crm.rejects("note", "edit", ref, "x", code="not_found")
    crm.rejects("note", "rm", ref, "--yes", code="not_found")


def test_an_ambiguous_note_prefix_is_refused(crm, ada):
    crm.cli("note", "add", "ada", "one")
    crm.cli("note", "add", "ada", "two")
    # give both notes ids with a common prefix
    crm.sql("UPDATE interactions SET uuid = 'abcd' || substr(uuid, 5)")
    crm.rejects("note", "rm", "abcd", "--yes", code="bad_request", says="matches 2 interactions")


# ------------------------------------------------------------------ interactions list


def test_interactions_list_is_newest_first_with_limit_offset(crm, ada):
    for day in ("2026-06-03", "2026-06-01", "2026-06-05", "2026-06-02", "2026-06-04"):
        crm.cli("log", "ada", "--platform", "email", "--direction", "inbound", "--at", day, f"on {day}")
    page = crm.cli.json("interactions", "list", "ada", "--limit", "2", "--offset", "1")
    assert [i["content_preview"] for i in page["data"]] == ["on 2026-06-04", "on 2026-06-03"]
    assert page["meta"] == {"total": 5, "limit": 2, "offset": 1}
    full = crm.cli.json("interactions", "list", "ada@example.com")
    assert [i["occurred_at"][:10] for i in full["data"]] == [
        "2026-06-05",
        "2026-06-04",
        "2026-06-03",
        "2026-06-02",
        "2026-06-01",
    ]
    assert full["meta"] == {"total": 5, "limit": 50, "offset": 0}
    assert set(full["data"][0]) == {
        "id",
        "contact_id",
        "platform",
        "direction",
        "content_preview",
        "raw_reference_id",
        "is_read_by_recipient",
        "call_type",
        "duration_seconds",
        "extra_data",
        "occurred_at",
        "created_at",
        "updated_at",
    }
    lines = crm.cli("interactions", "list", "ada", "--nl").stdout.splitlines()
    assert next(json.loads(x)["content_preview"] for x in lines) == "on 2026-06-05"
    human = crm.cli("interactions", "list", "ada", "--limit", "2")
    assert "on 2026-06-05" in human.stdout and "2026-06-05 00:00" in human.stdout
    assert "showing 2 of 5 · --all for every one" in human.stderr


def test_interactions_list_ties_are_stable(crm, ada):
    for n in range(4):
        crm.cli(
            "log", "ada", "--platform", "email", "--direction", "inbound", "--at", "2026-06-01", f"same {n}"
        )
    a = [i["id"] for i in crm.cli.json("interactions", "list", "ada", "--limit", "2")["data"]]
    b = [
        i["id"] for i in crm.cli.json("interactions", "list", "ada", "--limit", "2", "--offset", "2")["data"]
    ]
    assert len(set(a + b)) == 4


def test_interactions_list_empty_and_errors(crm, ada):
    assert crm.cli.json("interactions", "list", "ada")["data"] == []
    assert "no interactions" in crm.cli("interactions", "list", "ada", "--format", "table").stdout
    crm.rejects("interactions", "list", "nobody", code="not_found")
    crm.rejects("interactions", "list", "ada", "--limit", "201", code="validation_error", says="limit")


@pytest.mark.parametrize(
    ("now", "stored"),
    [
        ("2026-06-15T08:00", "2026-06-15T08:00:00.000Z"),  # morning: noon is still ahead, so now
        ("2026-06-15T17:30", "2026-06-15T12:00:00.000Z"),  # afternoon: noon, as before
    ],
)
def test_today_is_never_a_time_ahead(crm, ada, now, stored):
    """[interaction-times]: at 8 in the morning `pcrm note add ada coffee --at today` stored noon, four hours
    ahead: the coffee counted for nothing until then, so Ada stayed on the overdue list and her last
    interaction stayed weeks old. `today` is noon unless that is still to come, then now."""
    crm.cli("contacts", "edit", "ada", "--priority", "high")
    crm.cli("log", "ada", "--platform", "call", "--at", "2026-04-01", "old call")
    assert [c["full_name"] for c in crm.cli.json("contacts", "overdue", "--now", now)["data"]] == [
        "Ada Lovelace"
    ]
    note = crm.cli.json("note", "add", "ada", "coffee", "--at", "today", "--now", now)["data"]
    assert note["occurred_at"] == stored
    call = crm.cli.json("log", "ada", "--platform", "call", "--at", "today", "--now", now)["data"]
    assert call["occurred_at"] == stored
    assert crm.cli.json("contacts", "show", "ada", "--now", now)["data"]["last_interaction_at"] == stored
    assert crm.cli.json("contacts", "overdue", "--now", now)["data"] == []


def test_an_empty_platform_filter_does_not_say_the_timeline_is_empty(crm, ada):
    """`pcrm interactions list "Shafi Okafor" --platform email` said "no interactions; log one with `pcrm log
    CONTACT TEXT`" for someone with 233 messages on other platforms: the empty answer names the platform and
    shows how to see them all."""
    crm.cli("log", "ada", "--platform", "telegram", "--direction", "inbound", "--at", "2026-06-01", "hi")
    out = crm.cli("interactions", "list", "Ada Lovelace", "--platform", "email", "--format", "table")
    said = " ".join((out.stdout + out.stderr).split())
    assert "no email interactions" in said and "log one" not in said, said
    assert "pcrm interactions list 'Ada Lovelace'" in said, said
    assert crm.cli.json("interactions", "list", "ada", "--platform", "email")["data"] == []


@pytest.mark.parametrize(
    ("at", "stored"),
    [
        ("yesterday 18:00", "2026-06-14T18:00:00.000Z"),
        ("Yesterday 7:05", "2026-06-14T07:05:00.000Z"),
        ("yesterday 7pm", None),  # not a time pcrm reads: refused, quoting what was typed
        ("today 08:15", "2026-06-15T08:15:00.000Z"),
        ("today 14:30", "2026-06-15T14:30:00.000Z"),  # ahead, as `tomorrow 14:30` may be
        ("tomorrow 14:30", "2026-06-16T14:30:00.000Z"),
    ],
)
def test_a_day_word_takes_a_time_of_day(crm, ada, at, stored):
    """[interaction-times]: `--at "tomorrow 14:30"` was taken but `--at "yesterday 18:00"` (the call last
    night) and `--at "today 08:15"` were refused; and `--at "tomorrow 25:00"` was refused quoting
    '2026-06-16T25:00', a text the user never typed."""
    if stored is None:
        crm.rejects("log", "ada", "--at", at, code="validation_error", says=repr(at))
        return
    call = crm.cli.json("log", "ada", "--platform", "call", "--at", at, "the call")["data"]
    assert call["occurred_at"] == stored
    assert crm.cli.json("note", "add", "ada", "x", "--at", at)["data"]["occurred_at"] == stored


WEDNESDAY = "2026-06-17T15:00:00Z"  # two days after NOW, a Monday


@pytest.mark.parametrize(
    ("at", "stored"),
    [
        ("monday", "2026-06-15T12:00:00.000Z"),  # the Monday just past, noon as for `yesterday`
        ("Mon 14:00", "2026-06-15T14:00:00.000Z"),
        ("last monday", "2026-06-15T12:00:00.000Z"),
        ("friday", "2026-06-12T12:00:00.000Z"),
        ("last  friday 18:30", "2026-06-12T18:30:00.000Z"),
        ("wednesday", "2026-06-17T12:00:00.000Z"),  # today, as `today` is
        ("last wednesday", "2026-06-10T12:00:00.000Z"),  # a week ago
        ("next friday", "2026-06-19T12:00:00.000Z"),  # a meeting booked ahead, noon as for `tomorrow`
        ("next wednesday 16:30", "2026-06-24T16:30:00.000Z"),
    ],
)
def test_a_weekday_names_the_day_logged(crm, ada, at, stored):
    """[interaction-times]: `pcrm log Ada --at friday`, `--at "last monday"`, `--at "monday 14:00"` and
    `--at "next friday"` were refused though a call is remembered by its weekday."""
    call = crm.cli.json("log", "ada", "--platform", "call", "--at", at, "--now", WEDNESDAY, "the call")[
        "data"
    ]
    assert call["occurred_at"] == stored
    note = crm.cli.json("note", "add", "ada", "x", "--at", at, "--now", WEDNESDAY)["data"]
    assert note["occurred_at"] == stored


def test_a_bare_weekday_naming_today_is_never_ahead(crm, ada):
    """`--at wednesday` on a Wednesday morning is now, not noon: it has happened [future-interactions]."""
    morning = "2026-06-17T08:00:00Z"
    note = crm.cli.json("note", "add", "ada", "x", "--at", "Wednesday", "--now", morning)["data"]
    assert note["occurred_at"] == "2026-06-17T08:00:00.000Z"
    assert crm.show("ada", "--now", morning)["last_interaction_at"] == "2026-06-17T08:00:00.000Z"


def test_a_bad_time_after_a_weekday_is_quoted_as_typed(crm, ada):
    err = crm.rejects("log", "ada", "--at", "monday 25:00", code="validation_error", says="'monday 25:00'")
    assert "last friday 18:00" in err["hint"] and "next friday" in err["hint"], err
    err = crm.rejects("log", "ada", "--at", "next fortnight", code="validation_error", says="next fortnight")
    assert "monday" in err["hint"], err


def test_a_bad_time_after_a_day_word_is_quoted_as_typed(crm, ada):
    err = crm.rejects("note", "add", "ada", "x", "--at", "tomorrow 25:00", code="validation_error")
    assert "'tomorrow 25:00'" in err["message"] and "2026-06-16" not in err["message"], err
    assert "yesterday 18:00" in err["hint"], err


def test_note_list_lists_a_contacts_notes(crm, ada):
    """`pcrm note list Ada` answered "No such command 'list'": notes could be added, edited and removed from
    `pcrm note`, but listed only through `pcrm interactions list Ada --platform manual`."""
    crm.cli("log", "ada", "--platform", "email", "--direction", "inbound", "--at", "2026-06-01", "a mail")
    assert "no notes" in " ".join(crm.cli("note", "list", "ada", "--format", "table").stdout.split())
    crm.cli("note", "add", "ada", "first", "--at", "2026-06-02")
    crm.cli("note", "add", "ada", "second", "--at", "2026-06-03")
    got = crm.cli.json("note", "list", "ada")
    assert [n["content_preview"] for n in got["data"]] == ["second", "first"]
    assert got["meta"] == {"limit": 50, "offset": 0, "total": 2}
    same = crm.cli.json("interactions", "list", "ada", "--platform", "manual")
    assert got == same
    assert crm.cli("note", "list", "ada", "--fields", "content").stdout == "second\nfirst\n"
    crm.rejects("note", "list", "nobody", code="not_found")


def test_a_too_short_id_prefix_is_said_to_be_one(crm, ada):
    """`pcrm note edit c5 ...` and `pcrm contacts show a54` said only "no interaction with id c5" / "no
    contact matches 'a54'", though an id starting so exists: a prefix is read from 4 characters, and now the
    hint says so."""
    note = crm.cli.json("note", "add", "ada", "x")["data"]
    err = crm.rejects("note", "edit", note["id"][:2], "y", code="not_found", hint="4 or more characters")
    assert "pcrm note list CONTACT" in err["hint"]
    err = crm.rejects("contacts", "show", ada["id"][:3], code="not_found", hint="4 or more characters")
    assert "pcrm contacts list --search" in err["hint"]
    err = crm.rejects("note", "edit", "zzzz", "y", code="not_found")  # long enough: no word on length
    assert "4 or more" not in err["hint"]


def test_log_refuses_the_platform_of_notes(crm, ada):
    """[notes-and-logs]: `pcrm log ada --platform manual --direction inbound` was taken: a note-platform entry
    that counted toward reciprocity, made `manual` a channel of its own in the score's breadth (with one
    email: breadth 1 of 1) and showed among the notes, though `log` is for what happened elsewhere."""
    crm.cli("log", "ada", "--platform", "email", "--direction", "inbound", "--at", "2026-06-01", "hi")
    err = crm.rejects(
        "log", "ada", "--platform", "manual", "--direction", "inbound", "x", code="validation_error"
    )
    assert "pcrm note add" in err["hint"] and "call or meeting" in err["hint"], err
    assert crm.cli.json("score", "explain", "ada")["data"]["dimensions"]["breadth"]["value"] == 0
