"""Suggestions for people [suggestion-refs]: named by their contact, snoozed for two weeks by default, reasons
in words, and a digest that starts with who needs attention."""

from __future__ import annotations

from typing import Any

from tests.support.world import NOW, due_history


def _gen(cli: Any) -> list[dict[str, Any]]:
    return cli.json("suggestions", "generate", "--now", NOW)["data"]


def test_dismiss_and_snooze_by_contact_name(cli: Any, world: Any) -> None:
    world.contact("Grace Hopper", history=due_history())
    world.contact("Alan Turing", history=due_history())
    got = {s["contact"]["full_name"]: s for s in _gen(cli)}
    out = cli.json("suggestions", "dismiss", "grace", "--now", NOW)["data"]
    assert out["id"] == got["Grace Hopper"]["id"] and out["status"] == "dismissed"
    # snooze without --days: two weeks
    out = cli.json("suggestions", "snooze", "Alan Turing", "--now", NOW)["data"]
    assert out["status"] == "snoozed" and out["scheduled_for"] == "2026-06-15T08:00:00.000Z"
    # a contact with nothing open says so, naming its latest suggestion
    r = cli("suggestions", "snooze", "grace", "--now", NOW, ok=False)
    assert "'grace' has no pending or snoozed suggestion" in r.stderr
    assert f"its latest suggestion, {got['Grace Hopper']['id'][:8]}, is dismissed" in r.stderr
    r = cli("suggestions", "dismiss", "nobody-at-all", "--now", NOW, ok=False)
    assert "no suggestion or contact matches" in r.stderr


def test_reasons_are_words_never_internal_labels(cli: Any, world: Any) -> None:
    world.contact("Grace Hopper", history=due_history())
    _gen(cli)
    text = cli("suggestions", "list", "--now", NOW).stdout
    assert "It's been a while" in text
    assert "pool" not in text and "time_based" not in text


def test_every_trigger_has_words() -> None:
    from pcrm.domain.suggestions import TRIGGERS, reason_label

    for trigger in TRIGGERS:
        label = reason_label(trigger)
        assert "_" not in label and label[0].isupper(), trigger


def test_digest_lists_overdue_people_first(cli: Any, world: Any) -> None:
    world.contact("Late Lovelace", priority="high", history=due_history(70))
    world.contact("Grace Hopper", history=due_history(70))
    _gen(cli)
    text = cli("digest", "--now", NOW).stdout
    assert "Needs attention" in text
    attention, _, rest = text.partition("Needs attention")[2].partition("\n\n")
    assert "- Late Lovelace: " in attention and "days overdue" in attention
    assert "Grace Hopper" not in attention and "Grace Hopper (It's been a while)" in rest
    md = cli("digest", "--format", "md", "--now", NOW).stdout
    assert "## Needs attention" in md and "- **Late Lovelace**:" in md
    html = cli("digest", "--format", "html", "--now", NOW).stdout
    assert "<h2>Needs attention</h2>" in html and "<strong>Late Lovelace</strong>" in html


def test_a_name_that_starts_another_suggestions_id_is_that_persons(cli: Any, world: Any) -> None:
    from pcrm.services import contacts

    world.contact("Grace Hopper", history=due_history())
    abba = world.contact("Abba", history=due_history())
    got = {s["contact"]["full_name"]: s for s in _gen(cli)}
    # a name that is also the start of Grace's suggestion id (as `Abba` or `Dede` can be)
    prefix = got["Grace Hopper"]["id"][:6]
    contacts.update_contact(world.ctx, abba, {"full_name": prefix, "given_name": prefix})
    out = cli.json("suggestions", "dismiss", prefix, "--now", NOW)["data"]
    assert out["id"] == got["Abba"]["id"]
    # an id prefix no contact is named still names the suggestion
    out = cli.json("suggestions", "snooze", got["Grace Hopper"]["id"][:8], "--now", NOW)["data"]
    assert out["id"] == got["Grace Hopper"]["id"] and out["status"] == "snoozed"


def test_digest_shows_a_nameless_overdue_contact_as_everywhere_else(cli: Any, world: Any) -> None:
    from pcrm.services import contacts

    late = world.contact("Late Lovelace", priority="high", history=due_history(70))
    contacts.update_contact(world.ctx, late, {"full_name": None})
    shown = cli.json("contacts", "show", late)["data"]
    assert not shown["full_name"] and shown["emails"]
    email = shown["emails"][0]
    _gen(cli)
    text = cli("digest", "--now", NOW).stdout
    attention = text.partition("Needs attention")[2].partition("\n\n")[0]
    assert f"- {email}: " in attention and "(no name)" not in attention
    # the numbered suggestions below it said "1. (no name) (It's been a while)" [display-name]
    assert f"1. {email} (" in text and "(no name)" not in text, text
    assert f"<h3>{email}</h3>" in cli("digest", "--format", "html", "--now", NOW).stdout


def test_every_digest_format_heads_the_suggested_follow_ups(cli: Any, world: Any) -> None:
    """`pcrm digest` (text) printed "Needs attention" with a heading and then the suggestions without one,
    where the Markdown digest heads them "Suggested follow-ups"; the HTML had no such heading either."""
    world.contact("Late Lovelace", priority="high", history=due_history(70))
    world.contact("Grace Hopper", history=due_history(70))
    _gen(cli)
    text = cli("digest", "--now", NOW).stdout
    attention, _, follow_ups = text.partition("Needs attention\n---------------\n")[2].partition("\n\n")
    assert "- Late Lovelace: " in attention
    assert follow_ups.startswith("Suggested follow-ups\n--------------------\n1. "), text
    assert "Grace Hopper (It's been a while)" in follow_ups
    md = cli("digest", "--format", "md", "--now", NOW).stdout
    assert md.index("## Needs attention") < md.index("## Suggested follow-ups") < md.index("Grace Hopper")
    html = cli("digest", "--format", "html", "--now", NOW).stdout
    assert html.index("<h2>Needs attention</h2>") < html.index("<h2>Suggested follow-ups</h2>")
    assert html.index("<h2>Suggested follow-ups</h2>") < html.index("Grace Hopper")


def test_a_digest_with_nobody_overdue_still_heads_its_follow_ups(cli: Any, world: Any) -> None:
    world.contact("Grace Hopper", history=due_history(70))
    _gen(cli)
    for fmt, heading in (
        ("text", "\n\nSuggested follow-ups\n--------------------\n1. Grace Hopper"),
        ("md", "\n\n## Suggested follow-ups\n\n### Grace Hopper"),
        ("html", "<h2>Suggested follow-ups</h2>\n<ul>"),
    ):
        shown = cli("digest", "--format", fmt, "--now", NOW).stdout
        assert heading in shown and "Needs attention" not in shown, (fmt, shown)


def test_a_command_repeated_by_name_answers_as_one_repeated_by_id(cli: Any, world: Any) -> None:
    """[suggestion-status]: dismissing twice by name was `'grace' has no pending or snoozed suggestion`,
    exit 1, where twice by id says "was already dismissed; nothing to change", exit 0; so were sent twice and
    reopen twice. Dismissing one marked sent, by name, is the same 409 with its hint as by id."""
    world.contact("Grace Hopper", history=due_history())
    world.contact("Alan Turing", history=due_history())
    world.contact("Ada Lovelace", history=due_history())
    got = {s["contact"]["full_name"]: s["id"] for s in _gen(cli)}
    for verb, name, said in (
        ("dismiss", "Grace Hopper", "was already dismissed"),
        ("sent", "Alan Turing", "was already marked sent"),
    ):
        cli("suggestions", verb, name, "--now", NOW)
        by_id = cli("suggestions", verb, got[name], "--now", NOW)
        by_name = cli("suggestions", verb, name, "--now", NOW)
        assert by_name.exit_code == by_id.exit_code == 0
        assert by_name.stderr == by_id.stderr
        assert f"suggestion {got[name][:8]} ({name}) {said}; nothing to change" in by_name.stderr
        body = cli.json("suggestions", verb, name, "--now", NOW)
        assert body["meta"] == {"unchanged": True} and body["data"]["id"] == got[name]
    # reopened, then reopened again: in the queue already
    cli("suggestions", "reopen", "Alan Turing", "--now", NOW)
    again = cli("suggestions", "reopen", "Alan Turing", "--now", NOW)
    assert "is already in the queue (pending); nothing to change" in again.stderr
    # sent, then dismissed by name: the refusal by id, with its hint, not "no pending suggestion"
    cli("suggestions", "sent", "Ada Lovelace", "--now", NOW)
    by_id = cli("suggestions", "dismiss", got["Ada Lovelace"], "--now", NOW, ok=False)
    by_name = cli("suggestions", "dismiss", "Ada Lovelace", "--now", NOW, ok=False)
    assert by_name.exit_code == by_id.exit_code == 1
    assert by_name.stderr == by_id.stderr and "reopen it first" in by_name.stderr
