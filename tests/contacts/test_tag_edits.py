"""`pcrm tags rename | delete` [tag-edits]: a whole tag on every contact that carries it, archived ones
included, in one go; renaming onto a tag in use merges the two."""

from __future__ import annotations


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
    body = crm.cli.json("tags", "rename", " Conference ", "FOUNDER", "--now", "2026-06-20T09:00:00Z")
    assert body["data"] == {
        "tag": "founder",
        "renamed_from": "conference",
        "contacts": 3,
        "already_tagged": 1,
    }
    assert _tags(crm, "ada") == ["founder", "friend"]  # in the renamed tag's place
    assert _tags(crm, "grace") == ["founder"]  # archived contacts too
    assert _tags(crm, "linus") == ["founder"]  # once
    assert _tags(crm, "alan") == ["mentor"]
    ada = crm.show("ada")
    assert "tags" in ada["user_edited_fields"] and ada["updated_at"] == "2026-06-20T09:00:00.000Z"
    assert crm.cli.json("tags", "list")["meta"]["counts"] == {"founder": 3, "friend": 1, "mentor": 1}
    human = crm.cli("tags", "rename", "mentor", "advisor").stdout
    assert "renamed 'mentor' to 'advisor' on 1 contact(s)" in human


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
    assert body["data"] == {"tag": "conference", "contacts": 3}
    assert [_tags(crm, n) for n in ("ada", "grace", "linus")] == [["friend"], [], ["founder"]]
    assert "tags" in crm.show("grace")["user_edited_fields"]
    crm.rejects("tags", "delete", "conference", "--yes", code="not_found")
