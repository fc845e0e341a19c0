"""A suggestion named by a person with namesakes [contact-references]: `pcrm suggestions snooze "Niklaus
Lamport"` was refused as ambiguous between two Niklaus Lamports even when only one had a suggestion; now it
names the one whose suggestion it is. A name fitting nobody gets the 'did you mean' hint [near-names]."""

from __future__ import annotations

from typing import Any

from tests.support.world import NOW, due_history


def test_the_namesake_with_a_suggestion_is_the_one_meant(cli: Any, world: Any) -> None:
    due = world.contact("Niklaus Lamport", history=due_history())
    world.contact("Niklaus Lamport")  # a namesake with nothing to suggest
    (made,) = cli.json("suggestions", "generate", "--now", NOW)["data"]
    assert made["contact_id"] == due
    out = cli.json("suggestions", "snooze", "Niklaus Lamport", "--days", "3", "--now", NOW)["data"]
    assert out["id"] == made["id"] and out["status"] == "snoozed"
    out = cli.json("suggestions", "dismiss", "niklaus lamport", "--now", NOW)["data"]  # snoozed is open too
    assert out["id"] == made["id"] and out["status"] == "dismissed"
    # dismissed again: the namesake whose suggestion is dismissed is the one meant, and nothing changes,
    # as when the same is asked by id [suggestion-status]
    again = cli.json("suggestions", "dismiss", "Niklaus Lamport", "--now", NOW)
    assert again["data"]["id"] == made["id"] and again["meta"] == {"unchanged": True}
    # nothing open for either, and nothing this command would find done: still ambiguous
    r = cli("suggestions", "snooze", "Niklaus Lamport", "--now", NOW, ok=False)
    assert "'Niklaus Lamport' matches 2 contacts" in r.stderr


def test_namesakes_that_both_have_one_stay_ambiguous(cli: Any, world: Any) -> None:
    world.contact("Niklaus Lamport", history=due_history())
    world.contact("Niklaus Lamport", history=due_history())
    assert len(cli.json("suggestions", "generate", "--now", NOW)["data"]) == 2
    r = cli("suggestions", "snooze", "Niklaus Lamport", "--now", NOW, ok=False)
    assert r.exit_code == 1 and "'Niklaus Lamport' matches 2 contacts" in r.stderr


def test_a_typo_gets_did_you_mean(cli: Any, world: Any) -> None:
    niklaus = world.contact("Niklaus Lamport", history=due_history())
    cli.json("suggestions", "generate", "--now", NOW)
    r = cli("suggestions", "snooze", "Niklaus Lamprt", "--now", NOW, ok=False)
    said = " ".join(r.stderr.split())
    assert "no suggestion or contact matches 'Niklaus Lamprt'" in said, said
    assert f"did you mean Niklaus Lamport ({niklaus[:8]})?" in said and "`pcrm suggestions list`" in said
    err = cli.json("suggestions", "dismiss", "Niklaus Lamprt", "--now", NOW, ok=False)["error"]
    assert [c["id"] for c in err["details"]["near"]] == [niklaus]
