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
    # a contact with nothing open says so
    r = cli("suggestions", "dismiss", "grace", "--now", NOW, ok=False)
    assert "'grace' has no pending or snoozed suggestion" in r.stderr
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
