"""[suggestion-status] "Suggestions API": the service operations through the CLI (the same envelope the
routes return)."""

from __future__ import annotations

import json
from typing import Any

from tests.support.world import NOW, due_history, rich_history


def gen(cli: Any, now: str = NOW) -> list[dict[str, Any]]:
    return cli.json("suggestions", "generate", "--now", now)["data"]


def listing(cli: Any, now: str = NOW) -> list[dict[str, Any]]:
    return cli.json("suggestions", "list", "--now", now)["data"]


def test_generate_returns_items_with_meta(cli, world):
    world.contact("Gen One", history=due_history())
    out = cli.json("suggestions", "generate", "--now", NOW)
    assert out["meta"] == {"generated": 1}
    s = out["data"][0]
    assert set(s) >= {
        "id",
        "contact_id",
        "trigger_type",
        "trigger_event_id",
        "suggested_message",
        "suggested_channel",
        "status",
        "dismissed_by",
        "pool",
        "reason",
        "scheduled_for",
        "created_at",
        "updated_at",
        "contact",
    }
    assert s["status"] == "pending" and s["created_at"] == NOW
    assert set(s["contact"]) == {
        "id",
        "full_name",
        "given_name",
        "family_name",
        "company",
        "title",
        "avatar_url",
        "telegram_username",
        "twitter_handle",
        "linkedin_profile_id",
        "linkedin_url",
        "last_interaction_at",
        "display_name",  # how lists show it [display-name]
    }


def test_generate_with_nobody_new_does_not_send_the_user_back_to_generate(cli, world):
    """A run that finds nobody new says so and points at the queue, not at the command just run."""
    world.contact("Queued Once", history=due_history())
    assert len(gen(cli)) == 1
    again = cli("suggestions", "generate", "--now", NOW)
    assert "nobody new to suggest now" in again.stdout and "pcrm suggestions list" in again.stdout
    assert "pcrm suggestions generate" not in again.stdout


def test_generate_recalculates_scores_when_all_zero(cli, world):
    from pcrm.store import settings as sstore

    c = world.contact("Deep Dora", history=rich_history(500, count=6))
    world.ctx.conn.execute("UPDATE contacts SET relationship_score = 0")
    sstore.put(world.ctx.conn, "_internal.scores_day", "2026-06-01", NOW)  # no daily catch-up today
    assert [s["trigger_type"] for s in gen(cli)] == ["dormant_deep"]
    assert world.score(c) > 0


def test_list_is_pending_only(cli, world):
    world.contact("Keep Me", history=due_history(70))
    world.contact("Dismiss Me", history=due_history(71))
    got = {s["contact"]["full_name"]: s["id"] for s in gen(cli)}
    cli("suggestions", "dismiss", got["Dismiss Me"], "--now", NOW)
    assert [s["contact"]["full_name"] for s in listing(cli)] == ["Keep Me"]


def test_list_newest_first(cli, world):
    world.contact("First Run", history=due_history(70))
    gen(cli)
    world.contact("Second Run", history=due_history(70))
    gen(cli, "2026-06-02T08:00:00Z")
    assert [s["contact"]["full_name"] for s in listing(cli, "2026-06-02T08:00:00Z")] == [
        "Second Run",
        "First Run",
    ]


def test_list_excludes_2nd_tier_archived_and_unreachable(cli, world):
    ids = {}
    for name in ("Tiered", "Archived", "Unreachable", "Normal"):
        ids[name] = world.contact(name, history=due_history())
    gen(cli)
    world.ctx.conn.execute(
        "INSERT INTO contact_tags(contact_id, tag) SELECT id, '2nd tier' FROM contacts "
        "WHERE full_name = 'Tiered'"
    )
    world.ctx.conn.execute("UPDATE contacts SET priority_level = 'archived' WHERE full_name = 'Archived'")
    world.ctx.conn.execute(
        "DELETE FROM contact_emails WHERE contact_id = "
        "(SELECT id FROM contacts WHERE full_name = 'Unreachable')"
    )
    assert [s["contact"]["full_name"] for s in listing(cli)] == ["Normal"]
    digest = cli.json("digest", "--now", NOW)
    assert sorted(s["contact"]["full_name"] for s in digest["data"]) == ["Normal", "Unreachable"]
    assert digest["meta"] == {"count": 2, "last_generated_at": NOW}


def test_unreachable_contacts_never_suggested(cli, world):
    world.contact("No Channel", email=False, history=due_history())
    world.contact(
        "Linkedin Only", email=False, linkedin="https://www.linkedin.com/in/li-only", history=due_history()
    )
    got = gen(cli)
    assert [(s["contact"]["full_name"], s["suggested_channel"]) for s in got] == [
        ("Linkedin Only", "linkedin")
    ]


def test_digest_returns_pending_newest_first(cli, world):
    world.contact("Older", history=due_history(70))
    gen(cli)
    world.contact("Newer", history=due_history(70))
    gen(cli, "2026-06-03T08:00:00Z")
    out = cli.json("digest", "--now", "2026-06-03T08:00:00Z")
    assert [s["contact"]["full_name"] for s in out["data"]] == ["Newer", "Older"]


def test_digest_formats(cli, world):
    world.contact("Ada Digest", history=due_history(70))
    gen(cli)
    text = cli("digest", "--now", NOW).stdout
    assert "Your weekly networking digest" in text and "Ada Digest (It's been a while)" in text
    assert "Last contact: Mar 23, 2026" in text
    md = cli("digest", "--format", "md", "--now", NOW).stdout
    assert md.startswith("# Your weekly networking digest") and "\n### Ada Digest\n" in md
    # each person one level below the section's heading (it was `## Ada Digest`, a section of its own)
    assert md.index("\n## Suggested follow-ups\n") < md.index("\n### Ada Digest\n")
    assert "\n## Ada Digest" not in md
    html = cli("digest", "--format", "html", "--now", NOW).stdout
    assert "<h3>Ada Digest</h3>" in html and html.startswith("<!DOCTYPE html>")
    assert "<title>pcrm: Your weekly networking digest</title>" in html  # not the reference's brand
    assert "<h2>Suggested follow-ups</h2>" in html
    bad = cli("digest", "--format", "pdf", "--now", NOW, ok=False)
    assert "unknown format" in bad.stderr


def test_a_digest_with_no_suggestion_generated_lately_says_how_to_generate_them(cli, world):
    """[weekly-digest]: a store where suggestions were never generated (a demo, a fresh import) had its
    digest say "Nobody to follow up with this week." under a list of overdue people, as if the engine had
    looked and found nobody. It now says none were generated, and the command that does; "Nobody to follow
    up" stays for a week whose generation found nobody, and a generation older than the week is said so."""
    world.contact("Ada Digest", history=due_history(70))
    forms = {
        "text": "No suggestions have been generated yet: run pcrm suggestions generate\n",
        "md": "No suggestions have been generated yet: run `pcrm suggestions generate`.\n",
        "html": "<p>No suggestions have been generated yet: run <code>pcrm suggestions generate</code>.</p>",
    }
    for fmt, said in forms.items():
        shown = cli("digest", "--format", fmt, "--now", NOW).stdout
        assert said in shown and "Nobody to follow up" not in shown, shown
    assert cli.json("digest", "--now", NOW)["meta"] == {"count": 0, "last_generated_at": None}
    [s] = gen(cli)
    cli("suggestions", "dismiss", s["id"], "--now", NOW)
    later = "2026-06-03T08:00:00Z"
    assert gen(cli, later) == []  # it ran, and found nobody new (dismissed lately)
    for fmt in ("text", "md", "html"):
        shown = cli("digest", "--format", fmt, "--now", later).stdout
        assert "Nobody to follow up with this week." in shown and "suggestions generate" not in shown, shown
    assert cli.json("digest", "--now", later)["meta"] == {
        "count": 0,
        "last_generated_at": later[:-1] + ".000Z",
    }
    weeks = "2026-06-20T08:00:00Z"
    text = cli("digest", "--now", weeks).stdout
    assert "No suggestions generated since Jun 03, 2026: run pcrm suggestions generate\n" in text, text


def test_a_birthday_read_after_the_day_is_not_coming_up(cli, world):
    """The weekly digest (and the list) labelled every birthday suggestion "Birthday coming up", also one
    still pending days after the birthday, beside a reason saying "Birthday 5 days ago". The digest says
    when, as of the day it is read; the list's label is "Birthday", its reason says when."""
    world.contact("Bday Late", birthday="1990-06-03")
    [s] = gen(cli)
    assert s["trigger_type"] == "birthday"
    before = cli("digest", "--now", NOW).stdout
    assert "Bday Late (Birthday in 2 days)" in before
    after = "2026-06-08T09:00:00Z"
    for fmt in ("text", "md", "html"):
        shown = cli("digest", "--format", fmt, "--now", after).stdout
        assert "Birthday 5 days ago" in shown and "coming up" not in shown, shown
    listed = cli(
        "suggestions", "list", "--now", after, "--format", "csv", "--fields", "who,why,reason"
    ).stdout
    assert listed.splitlines()[1] == "Bday Late,Birthday,Birthday 5 days ago"


def test_digest_limit_and_preview_truncation(cli, world):
    for k in range(3):
        world.contact(f"Limit {k}", history=due_history(70 + k))
    got = gen(cli)
    cli("suggestions", "edit", got[0]["id"], "--message", "x" * 200, "--now", NOW)
    text = cli("digest", "--limit", "2", "--now", NOW).stdout
    assert text.count("Last contact:") == 2 and "and 1 more" in text
    assert "x" * 117 + "..." in text and "x" * 118 not in text


def test_digest_json_refuses_a_limit_it_would_not_apply(cli, world):
    """`pcrm digest --json --limit 2` gave every pending suggestion without a word: --json is the API's
    uncapped digest [weekly-digest], so a --limit (or a --format) beside it is a usage error saying so."""
    for k in range(3):
        world.contact(f"Limit {k}", history=due_history(70 + k))
    gen(cli)
    for extra, name in (
        (("--limit", "2"), "--limit"),
        (("--format", "md"), "--format"),
        (("-f", "text"), "--format"),
    ):
        r = cli("digest", "--json", *extra, "--now", NOW, ok=None)
        assert r.exit_code == 2, (extra, r.exit_code, r.stdout, r.stderr)
        said = " ".join(r.stderr.split())
        assert "--json gives every pending suggestion" in said and f"takes no {name}" in said, said
        env = json.loads(r.stdout)
        assert env["data"] is None and env["error"]["code"] == "validation_error"
    assert len(cli.json("digest", "--now", NOW)["data"]) == 3
    assert cli("digest", "--limit", "2", "--now", NOW).stdout.count("Last contact:") == 2
    assert cli("digest", "--now", NOW).stdout.count("Last contact:") == 3


def test_digest_keeps_each_draft_on_its_row(cli, world):
    """A draft written over several lines (AI drafts are) is shown on one line, so it cannot break the
    layout: no unindented text rows, no Markdown heading or HTML made out of a draft or a name."""
    world.contact("Ada <b>Bold</b> *Star*", history=due_history(70))
    got = gen(cli)
    draft = "Hi Ada,\n\n# not a heading\n<i>see</i> you   soon"
    cli("suggestions", "edit", got[0]["id"], "--message", draft, "--now", NOW)
    text = cli("digest", "--now", NOW).stdout
    assert "   Hi Ada, # not a heading <i>see</i> you soon\n" in text
    md = cli("digest", "--format", "md", "--now", NOW).stdout
    assert "> Hi Ada, \\# not a heading &lt;i&gt;see&lt;/i&gt; you soon\n" in md
    assert "### Ada &lt;b&gt;Bold&lt;/b&gt; \\*Star\\*\n" in md
    assert "\n# not" not in md and "<b>" not in md and "<i>" not in md
    html = cli("digest", "--format", "html", "--now", NOW).stdout
    assert "<blockquote>Hi Ada, # not a heading &lt;i&gt;see&lt;/i&gt; you soon</blockquote>" in html


def test_status_dismissed(cli, world):
    world.contact("Dis", history=due_history())
    [s] = gen(cli)
    out = cli.json("suggestions", "dismiss", s["id"], "--now", NOW)["data"]
    assert (out["status"], out["dismissed_by"]) == ("dismissed", "user")


def test_status_sent_sets_last_followup_and_leaves_list(cli, world):
    c = world.contact("Sent Sam", history=due_history())
    [s] = gen(cli)
    assert cli.json("suggestions", "sent", s["id"], "--now", NOW)["data"]["status"] == "sent"
    assert listing(cli) == []
    assert cli.json("contacts", "show", c, "--now", NOW)["data"]["last_followup_at"] == NOW


def test_a_sent_suggestion_stays_sent_until_reopened(cli, world):
    """Snoozing or dismissing a sent suggestion would quietly undo the follow-up on record: refused (409)
    with the way to reopen it; marking it sent again changes nothing (meta.unchanged, exit 0). `reopen`
    brings it back."""
    world.contact("Done Dana", history=due_history())
    [s] = gen(cli)
    cli.json("suggestions", "sent", s["id"], "--now", NOW)
    for args in (("snooze", s["id"], "--days", "3"), ("dismiss", s["id"])):
        err = cli.json("suggestions", *args, "--now", NOW, ok=False)["error"]
        assert err["code"] == "conflict" and "already marked sent" in err["message"]
        assert f"pcrm suggestions reopen {s['id'][:8]}" in err["hint"]
    again = cli.json("suggestions", "sent", s["id"], "--now", NOW)
    assert again["meta"]["unchanged"] is True and again["data"]["status"] == "sent"
    assert listing(cli) == []
    # by the contact's name: its most recently sent suggestion
    assert cli.json("suggestions", "reopen", "Done Dana", "--now", NOW)["data"]["status"] == "pending"
    assert [x["id"] for x in listing(cli)] == [s["id"]]
    twice = cli.json("suggestions", "reopen", s["id"], "--now", NOW)
    assert twice["meta"]["unchanged"] is True and twice["data"]["status"] == "pending"


def test_last_followup_never_moves_back(cli, world):
    """A follow-up recorded with an earlier clock (--now in the past) keeps the later one on record."""
    c = world.contact("Forward Fay", history=due_history())
    [s] = gen(cli)
    cli.json("suggestions", "sent", s["id"], "--now", NOW)
    cli.json("suggestions", "reopen", s["id"], "--now", NOW)
    cli.json("suggestions", "sent", s["id"], "--now", "2026-05-20T08:00:00Z")
    assert cli.json("contacts", "show", c, "--now", NOW)["data"]["last_followup_at"] == NOW


def test_status_snoozed_with_days(cli, world):
    world.contact("Snooze Days", history=due_history())
    [s] = gen(cli)
    out = cli.json("suggestions", "snooze", s["id"], "--days", "14", "--now", NOW)["data"]
    assert out["status"] == "snoozed" and out["scheduled_for"] == "2026-06-15T08:00:00.000Z"
    assert listing(cli) == []


def test_status_snoozed_with_snooze_until_or_scheduled_for(cli, world):
    from pcrm.services import suggestions as svc

    world.contact("Until A", history=due_history(70))
    world.contact("Until B", history=due_history(71))
    a, b = gen(cli)
    r1 = svc.update_suggestion(
        world.ctx, a["id"], {"status": "snoozed", "snooze_until": "2026-07-01T00:00:00Z"}
    )
    r2 = svc.update_suggestion(world.ctx, b["id"], {"status": "snoozed", "scheduled_for": "2026-07-02"})
    assert r1.data["scheduled_for"] == "2026-07-01T00:00:00.000Z"
    assert r2.data["scheduled_for"] == "2026-07-02T00:00:00.000Z"


def test_snoozed_without_time_is_422(cli, world):
    import pytest

    from pcrm.errors import ValidationError
    from pcrm.services import suggestions as svc

    world.contact("No Time", history=due_history())
    [s] = gen(cli)
    with pytest.raises(ValidationError) as e:
        svc.update_suggestion(world.ctx, s["id"], {"status": "snoozed"})
    assert e.value.status == 422
    # the CLI snoozes for two weeks when given no time [suggestion-refs]
    out = cli.json("suggestions", "snooze", s["id"][:6], "--now", NOW)
    assert out["data"]["scheduled_for"] == "2026-06-15T08:00:00.000Z"


def test_invalid_status_is_400(cli, world):
    import pytest

    from pcrm.errors import BadRequest
    from pcrm.services import suggestions as svc

    world.contact("Bad Status", history=due_history())
    [s] = gen(cli)
    with pytest.raises(BadRequest) as e:
        svc.update_suggestion(world.ctx, s["id"], {"status": "done"})
    assert e.value.status == 400


def test_unknown_suggestion_is_404(cli, world):
    import pytest

    from pcrm.errors import NotFound
    from pcrm.services import suggestions as svc

    with pytest.raises(NotFound):
        svc.update_suggestion(world.ctx, "00000000-0000-4000-8000-000000000000", {"status": "sent"})
    out = cli.json("suggestions", "dismiss", "deadbeef", "--now", NOW, ok=False)
    assert out["error"]["code"] == "not_found" and "pcrm suggestions list" in out["error"]["hint"]


def test_edited_message_and_channel_saved(cli, world):
    world.contact("Editable", telegram="editable", history=due_history())
    [s] = gen(cli)
    cli(
        "suggestions",
        "edit",
        s["id"][:5],
        "--message",
        "Coffee next week?",
        "--channel",
        "telegram",
        "--now",
        NOW,
    )
    [after] = listing(cli)
    assert (after["suggested_message"], after["suggested_channel"]) == ("Coffee next week?", "telegram")
    bad = cli.json("suggestions", "edit", s["id"], "--channel", "pigeon", "--now", NOW, ok=False)
    assert bad["error"]["code"] == "validation_error"
    assert listing(cli)[0]["suggested_channel"] == "telegram"


def test_reactivation_after_snooze(cli, world):
    world.contact("Comes Back", history=due_history())
    [s] = gen(cli)
    cli("suggestions", "snooze", s["id"], "--until", "2026-06-10", "--now", NOW)
    assert listing(cli, "2026-06-09T23:00:00Z") == []
    [back] = listing(cli, "2026-06-10T01:00:00Z")
    assert back["id"] == s["id"] and back["status"] == "pending" and back["scheduled_for"] is None


def test_a_read_as_of_a_later_day_brings_no_snooze_back(cli, world, monkeypatch, pcrm_home):
    """`pcrm suggestions list --now 2027-01-20` (what would the queue be then?) woke every snooze due by then
    for good: the check before each read wrote at the --now given. A read with a clock set ahead of the one
    it replaces shows the queue as of then and changes no suggestion [what-if-reads]; a read at the present
    brings due snoozes back as before."""
    from tests.support.store import dump_store

    monkeypatch.setenv("PCRM_NOW", NOW)  # the present of this test
    world.contact("Comes Back", history=due_history())
    world.contact("Still Due", history=due_history())
    got = gen(cli)
    snoozed = next(s for s in got if s["contact"]["full_name"] == "Comes Back")
    cli("suggestions", "snooze", snoozed["id"], "--until", "2026-06-10")
    heard = next(s for s in got if s["contact"]["full_name"] == "Still Due")

    def queue() -> list[tuple[Any, ...]]:
        return dump_store(pcrm_home / "pcrm.db")["follow_up_suggestions"]

    before = queue()
    later = "2027-01-20T09:00:00Z"
    shown = {s["id"]: s for s in listing(cli, later)}
    assert shown[snoozed["id"]]["status"] == "pending" and shown[snoozed["id"]]["scheduled_for"] is None
    assert heard["id"] in shown
    digest = cli.json("digest", "--now", later)["data"]
    assert {s["id"] for s in digest} == set(shown)
    assert "Comes Back" in cli("digest", "--now", later).stdout
    assert queue() == before, "a read as of a later day changed the suggestions"
    today = cli.json("suggestions", "list")["data"]
    assert [s["id"] for s in today] == [heard["id"]]
    # the day comes: a read then brings it back for good, as before
    monkeypatch.setenv("PCRM_NOW", "2026-06-10T01:00:00Z")
    assert {s["id"] for s in cli.json("suggestions", "list")["data"]} == {snoozed["id"], heard["id"]}
    monkeypatch.setenv("PCRM_NOW", NOW)
    assert {s["id"] for s in cli.json("suggestions", "list")["data"]} == {snoozed["id"], heard["id"]}


def test_reactivation_skips_archived(cli, world):
    from pcrm.services import suggestions as svc

    world.contact("Archived Snoozer", history=due_history())
    [s] = gen(cli)
    cli("suggestions", "snooze", s["id"], "--days", "3", "--now", NOW)
    world.ctx.conn.execute("UPDATE contacts SET priority_level = 'archived'")
    from pcrm import clock
    from pcrm.clock import parse_iso

    clock.set_now(parse_iso("2026-06-05T00:00:00Z"))
    assert svc.reactivate_snoozed(world.ctx).data == {"reactivated": 0}


def test_regenerate_saves_message_and_keeps_channel(cli, world):
    world.contact("Regen Rae", telegram="regenrae", history=due_history(platform="telegram"))
    [s] = gen(cli)
    cli("suggestions", "edit", s["id"], "--message", "something else", "--now", NOW)
    out = cli.json("suggestions", "regenerate", s["id"], "--now", NOW)["data"]
    assert out == {
        "suggested_channel": "telegram",
        "suggested_message": "Hey Regen, just wanted to check in. How have things been going?",
    }
    assert listing(cli)[0]["suggested_message"] == out["suggested_message"]
    out = cli.json("suggestions", "regenerate", s["id"], "--channel", "email", "--now", NOW)["data"]
    assert out["suggested_channel"] == "email" and listing(cli)[0]["suggested_channel"] == "email"


def test_regenerate_pool_b_keeps_revival_framing(cli, world):
    world.contact("Revive Ron", history=rich_history(500, count=6))
    [s] = gen(cli)
    out = cli.json("suggestions", "regenerate", s["id"], "--now", NOW)["data"]
    assert out["suggested_message"] == "Hi Revive, it's been a while since we last talked. How have you been?"


def test_regenerate_not_found(cli, world):
    out = cli.json(
        "suggestions", "regenerate", "00000000-0000-4000-8000-000000000000", "--now", NOW, ok=False
    )
    assert out["error"]["code"] == "not_found"


def test_ambiguous_prefix_lists_candidates(cli, world):
    for k in range(2):
        world.contact(f"Pref {k}", history=due_history(70 + k))
    gen(cli)
    world.ctx.conn.execute("UPDATE follow_up_suggestions SET uuid = 'abcd' || substr(uuid, 5)")
    out = cli.json("suggestions", "dismiss", "abcd", "--now", NOW, ok=False)
    assert out["error"]["code"] == "bad_request" and "matches 2 suggestions" in out["error"]["message"]
    # under 4 characters it is no id prefix, so it names a contact [suggestion-refs]
    short = cli.json("suggestions", "dismiss", "abc", "--now", NOW, ok=False)
    assert short["error"]["code"] == "not_found" and "no suggestion or contact" in short["error"]["message"]


def test_bare_suggestions_lists(cli, world):
    world.contact("Bare List", history=due_history())
    gen(cli)
    text = cli("suggestions", "--now", NOW).stdout
    assert "Bare List" in text and "It's been a while" in text


def test_generate_with_notify_writes_notification(world, cli):
    """The reference's words in the number they take: one suggestion was '1 new follow-up suggestions',
    'You have 1 new people to reach out to this week.' (`pcrm notifications` after the daemon's run)."""
    from pcrm.services import suggestions as svc

    world.contact("Notified", history=due_history())
    svc.generate(world.ctx, notify=True)
    row = world.ctx.conn.execute("SELECT notification_type, title, body, link FROM notifications").fetchone()
    assert row == (
        "suggestion",
        "1 new follow-up suggestion",
        "You have 1 new person to reach out to this week.",
        "/suggestions",
    )
    (shown,) = cli.json("notifications")["data"]
    assert (shown["title"], shown["body"]) == row[1:3]


def test_edit_message_dash_reads_the_draft_from_stdin(cli, world):
    """`--message -` reads the draft from stdin, as every free-text argument does (it stored a dash)."""
    world.contact("Ada Stdin", history=due_history(70))
    got = gen(cli)
    out = cli(
        "suggestions",
        "edit",
        got[0]["id"],
        "--message",
        "-",
        "--json",
        "--now",
        NOW,
        input="Hi Ada,\nsoon?\n",
    )
    assert json.loads(out.stdout)["data"]["suggested_message"] == "Hi Ada,\nsoon?"


def test_asking_a_suggestion_for_the_state_it_is_in_changes_nothing_and_says_so(cli, world):
    """`suggestions dismiss ID` run twice said "dismissed" again (and wrote again); `sent` twice was an
    error, exit 1, and `reopen` of a pending one too. Each now says the suggestion already is so, exit 0,
    nothing written (`updated_at` stays, meta.unchanged) [no-op-edits]; a real change still goes through."""
    world.contact("Twice Tom", history=due_history())
    [s] = gen(cli)
    first = cli.json("suggestions", "dismiss", s["id"], "--now", NOW)["data"]
    later = "2026-06-16T08:00:00Z"
    for args, words in (
        (("dismiss", s["id"]), "was already dismissed; nothing to change"),
        (("sent", s["id"]), None),
        (("sent", s["id"]), "was already marked sent; nothing to change"),
        (("reopen", s["id"]), None),
        (("reopen", s["id"]), "is already in the queue (pending); nothing to change"),
        (("edit", s["id"], "--message", first["suggested_message"]), "already has the draft"),
    ):
        got = cli("suggestions", *args, "--now", later)
        assert got.exit_code == 0, (args, got.stderr)
        if words is None:
            continue
        assert f"suggestion {s['id'][:8]} (Twice Tom) {words}" in " ".join(got.stderr.split())
        assert got.stdout == ""
        again = cli.json("suggestions", *args, "--now", "2026-06-17T08:00:00Z")
        assert again["meta"]["unchanged"] is True
        written = first["updated_at"] if args[0] == "dismiss" else "2026-06-16T08:00:00.000Z"
        assert again["data"]["updated_at"] == written
    assert cli.json("suggestions", "dismiss", s["id"], "--now", later)["data"]["status"] == "dismissed"
