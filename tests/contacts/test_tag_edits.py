"""`pcrm tags rename | delete` [tag-edits]: a whole tag on every contact that carries it, archived ones
included, and in the tag taxonomy, in one go; renaming onto a tag in use merges the two."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.undo import undo_id

TAXONOMY = "/api/v1/contacts/tags/taxonomy"


def _tags(crm, ref):
    return crm.show(ref)["tags"]


def _people(crm):
    crm.add("Ada Lovelace", "--tag", "conference", "--tag", "friend")
    crm.add("Grace Hopper", "--tag", "conference", "--priority", "archived")
    crm.add("Linus Torvalds", "--tag", "founder", "--tag", "conference")
    crm.add("Alan Turing", "--tag", "mentor")


def test_rename_onto_a_tag_in_use_merges_them_on_every_contact(crm):
    _people(crm)
    before = crm.dump()
    dry = crm.cli.json("tags", "rename", "conference", "founder", "--dry-run")
    assert dry["data"]["contacts"] == 3 and dry["meta"] == {"dry_run": True}
    assert crm.dump() == before
    body = crm.cli.json("tags", "rename", " Conference ", "FOUNDER", "--yes", "--now", "2026-06-20T09:00:00Z")
    assert body["data"].pop("bulk_update_id")  # [bulk-undo]
    assert body["data"] == {
        "tag": "founder",
        "renamed_from": "conference",
        "contacts": 3,
        "already_tagged": 1,
        "merges_with": 1,
        "taxonomy": [],
    }
    assert _tags(crm, "ada") == ["founder", "friend"]  # in the renamed tag's place
    assert _tags(crm, "grace") == ["founder"]  # archived contacts too
    assert _tags(crm, "linus") == ["founder"]  # once
    assert _tags(crm, "alan") == ["mentor"]
    ada = crm.show("ada")
    assert "tags" in ada["user_edited_fields"] and ada["updated_at"] == "2026-06-20T09:00:00.000Z"
    assert crm.cli.json("tags", "list")["meta"]["counts"] == {"founder": 3, "friend": 1, "mentor": 1}
    human = crm.cli("tags", "rename", "mentor", "advisor").stdout
    assert "renamed 'mentor' to 'advisor' on 1 contact" in human


def test_rename_onto_a_tag_in_use_says_it_merges_and_asks_first(crm, monkeypatch):
    """It merged the two tags without a word ("renamed 'friend' to 'mentor' on 1 contact"), where `tags
    delete` asks: after a merge the contacts of each can no longer be told apart but by its undo."""
    _people(crm)
    crm.add("Edsger Dijkstra", "--tag", "mentor")
    before = crm.dump()
    # a script: nobody was asked, nothing changed
    refused = crm.cli("tags", "rename", "friend", "mentor", ok=False)
    assert refused.exit_code == 1
    assert refused.stderr.startswith(
        "error: not at a terminal, so nobody was asked: 'mentor' is already a tag, on 2 contacts: renaming "
        "'friend' (1 contact) to it merges the two tags"
    )
    assert "hint: add --yes to go ahead" in refused.stderr
    assert crm.dump() == before
    # at a terminal: asked, and a no changes nothing
    from pcrm.cli import _output

    monkeypatch.setattr(_output, "at_terminal", lambda: True)
    declined = crm.cli("tags", "rename", "friend", "mentor", input="n\n", ok=False)
    assert "Merge them?" in declined.stderr and "nothing changed" in declined.stderr
    assert crm.dump() == before
    # a dry run says it would merge, without asking
    dry = crm.cli("tags", "rename", "friend", "mentor", "--dry-run").stdout
    assert "would merge 'friend' into 'mentor' on 1 contact" in dry
    merged = crm.cli("tags", "rename", "friend", "mentor", input="y\n").stdout
    assert "merged 'friend' into 'mentor' on 1 contact" in merged
    assert crm.cli.json("tags", "list")["meta"]["counts"]["mentor"] == 3
    # a new name nobody uses is a plain rename: no question
    monkeypatch.setattr(_output, "at_terminal", lambda: False)
    assert (
        "renamed 'founder' to 'builder' on 1 contact"
        in crm.cli("tags", "rename", "founder", "builder").stdout
    )


def test_rename_refusals_change_nothing(crm):
    _people(crm)
    crm.rejects("tags", "rename", "nope", "x", code="not_found", says="no contact has the tag 'nope'")
    crm.rejects("tags", "rename", "Friend", " friend ", code="bad_request", says="same tag")
    crm.rejects("tags", "rename", "friend", "2nd Tier", code="bad_request", hint="second-tier")
    crm.rejects("tags", "rename", "friend", "  ", code="validation_error")


def test_delete_removes_a_tag_from_everyone_after_asking(crm):
    _people(crm)
    crm.rejects("tags", "delete", "conference", code="bad_request", hint="--yes")
    body = crm.cli.json("tags", "delete", "CONFERENCE", "--yes")
    bid = body["data"].pop("bulk_update_id")  # taken back by `pcrm contacts bulk-undo` [bulk-undo]
    assert body["data"] == {"tag": "conference", "contacts": 3, "taxonomy": []}
    assert body["meta"] == {"undo": f"pcrm contacts bulk-undo {bid[:8]}"}
    assert [_tags(crm, n) for n in ("ada", "grace", "linus")] == [["friend"], [], ["founder"]]
    assert "tags" in crm.show("grace")["user_edited_fields"]
    crm.rejects("tags", "delete", "conference", "--yes", code="not_found")


async def _taxonomy(twin: Any) -> dict[str, Any]:
    """The taxonomy as the API answers it, checked to be the CLI's `tags taxonomy --json` too."""
    body = (await twin.request("GET", TAXONOMY)).json()
    assert body["data"] == twin.cli.json("tags", "taxonomy")["data"]
    return dict(body["data"])


@pytest.mark.anyio
async def test_rename_and_delete_carry_the_taxonomy_along(empty_twin: Any) -> None:
    t = empty_twin
    t.cli.json("contacts", "add", "--name", "Ada Lovelace", "--tag", "fintech", "--tag", "founder")
    t.cli.json("contacts", "add", "--name", "Grace Hopper", "--tag", "web summit", "--tag", "conferences")
    cats = {
        "Industry": ["FinTech", "Banking"],
        "Role/Expertise": ["Founder", "Investor"],
        "Events": ["Web Summit"],
        "Interests": ["conferences"],
    }
    r = await t.request("PUT", TAXONOMY, json={"categories": cats, "status": "approved"})
    assert r.status_code == 200

    # a dry run says what the taxonomy would lose and changes nothing
    dry = t.cli.json("tags", "rename", "fintech", "payments", "--dry-run")["data"]
    # the taxonomy's tags are stored lowercase, as every tag is
    lowered = {cat: [tag.lower() for tag in tags] for cat, tags in cats.items()}
    assert dry["taxonomy"] == ["Industry"] and (await _taxonomy(t))["categories"] == lowered

    # a new name takes the old one's place, in the taxonomy's category, which stays approved
    assert t.cli.json("tags", "rename", "FinTech", "payments")["data"]["taxonomy"] == ["Industry"]
    tax = await _taxonomy(t)
    assert tax["categories"]["Industry"] == ["payments", "banking"] and tax["status"] == "approved"

    # renamed onto a tag the taxonomy lists elsewhere: merged there; the category left empty goes
    body = t.cli.json("tags", "rename", "web summit", "conferences", "--yes")["data"]
    assert (body["contacts"], body["already_tagged"], body["taxonomy"]) == (1, 1, ["Events"])
    assert "Events" not in (await _taxonomy(t))["categories"]

    # a tag only the taxonomy lists is renamed and deleted there too, instead of "no contact has it"
    human = t.cli("tags", "rename", "investor", "angel").stdout
    assert "renamed 'investor' to 'angel' on 0 contacts and in the taxonomy (Role/Expertise)" in human
    deleted = t.cli.json("tags", "delete", "banking", "--yes")["data"]
    assert deleted.pop("bulk_update_id")  # [bulk-undo]
    assert deleted == {"tag": "banking", "contacts": 0, "taxonomy": ["Industry"]}
    assert t.cli.json("tags", "delete", "founder", "--yes")["data"]["taxonomy"] == ["Role/Expertise"]

    tax = await _taxonomy(t)
    assert tax["categories"] == {
        "Industry": ["payments"],
        "Role/Expertise": ["angel"],
        "Interests": ["conferences"],
    }
    assert tax["total_tags"] == 3 and tax["status"] == "approved"
    assert t.cli.json("tags", "list")["data"] == ["conferences", "payments"]
    t.cli("tags", "delete", "investor", "--yes", ok=False)  # gone from both: not found
    err = t.cli.json("tags", "rename", "investor", "x", ok=False)["error"]
    assert err["code"] == "not_found" and "taxonomy does not list it" in err["message"]


# ------------------------------------------------------------------ taken back [bulk-undo]

_STATE = (
    "SELECT c.full_name, c.user_edited_fields, (SELECT group_concat(tag, '|') FROM "
    "(SELECT tag FROM contact_tags t WHERE t.contact_id = c.id ORDER BY position)) "
    "FROM contacts c ORDER BY c.full_name"
)


def test_a_tag_merge_and_a_tag_delete_are_taken_back_with_the_taxonomy(crm):
    """`pcrm tags rename friend mentor --yes` merged two tags on every contact for good, and `pcrm tags
    delete` took a tag off everyone for good: each now says its id, and `pcrm contacts bulk-undo ID` puts
    every contact's tags back in their places, with their marks, and the taxonomy as it was."""
    _people(crm)
    crm.add("Edsger Dijkstra", "--tag", "mentor", "--tag", "friend")
    cats = {"Role": ["Mentor", "Friend"], "Events": ["Conference"]}
    crm.service("ai.taxonomy.put_taxonomy", {"categories": cats, "status": "approved"})
    before = crm.sql(_STATE)
    taxonomy = crm.cli.json("tags", "taxonomy")["data"]["categories"]
    merged = crm.cli("tags", "rename", "friend", "mentor", "--yes").stdout
    assert "merged 'friend' into 'mentor' on 2 contacts, 1 of them already tagged it" in merged
    assert crm.sql(_STATE) != before
    listed = crm.cli.json("contacts", "bulk-updates")["data"]
    assert [(b["kind"], b["what"], b["contacts"]) for b in listed] == [
        ("tags-rename", "merge tag 'friend' into 'mentor'", 2)
    ]
    dry = crm.cli("contacts", "bulk-undo", undo_id(merged), "--dry-run").stdout
    assert "would undo bulk update" in dry and "put back 2 contacts; put back the tag taxonomy" in dry, dry
    undone = crm.cli.json("contacts", "bulk-undo", undo_id(merged))
    assert undone["data"]["restored"] == 2 and undone["meta"]["taxonomy_restored"] is True
    assert crm.sql(_STATE) == before
    assert crm.cli.json("tags", "taxonomy")["data"]["categories"] == taxonomy

    deleted = crm.cli("tags", "delete", "conference", "--yes").stdout
    assert [_tags(crm, n) for n in ("ada", "grace", "linus")] == [["friend"], [], ["founder"]]
    crm.cli("contacts", "bulk-undo", undo_id(deleted))
    assert crm.sql(_STATE) == before
    assert crm.cli.json("tags", "taxonomy")["data"]["categories"] == taxonomy


def test_an_undo_leaves_a_taxonomy_and_a_contact_edited_since_alone(crm):
    _people(crm)
    crm.service("ai.taxonomy.put_taxonomy", {"categories": {"Events": ["Conference"]}, "status": "approved"})
    bid = crm.cli.json("tags", "delete", "conference", "--yes")["data"]["bulk_update_id"]
    crm.service("ai.taxonomy.put_taxonomy", {"categories": {"Events": ["Meetup"]}})
    crm.cli("contacts", "tag", "Ada Lovelace", "speaker")
    said = crm.cli("contacts", "bulk-undo", bid, "--dry-run").stderr
    assert "would leave the tag taxonomy alone: edited since" in said, said
    undone = crm.cli.json("contacts", "bulk-undo", bid)
    assert undone["meta"]["taxonomy_restored"] is False
    assert [k["full_name"] for k in undone["data"]["kept"]] == ["Ada Lovelace"]
    assert _tags(crm, "ada") == ["friend", "speaker"]
    assert _tags(crm, "linus") == ["founder", "conference"]
    assert crm.cli.json("tags", "taxonomy")["data"]["categories"] == {"Events": ["meetup"]}
