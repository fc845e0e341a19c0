"""Deleting a merge's survivor [reversible-merges]: the question, the CLI line, --json and the API name the
merged-in contacts that go with it and the unmerge that keeps them; after the delete an unmerge still
brings the merged contact back from the journal, without the interactions the merge had moved."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.seed import add, add_interaction, seed_suggestion_and_event
from tests.support.store import dump_contact
from tests.support.twin import NOW

N = ("--now", NOW)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from pcrm.cli import _output

    monkeypatch.setattr(_output, "at_terminal", lambda: True)


def _rich(ctx: Any) -> str:
    """Xena One: the richer side of every merge here, so she survives them."""
    return add(
        ctx,
        full_name="Xena One",
        emails=["x1@one.test", "xena@home.test"],
        phones=["+12025550101"],
        notes="x1 notes",
        company="OneCo",
        title="Chief",
        tags=["one", "vip"],
    )


def _merged(cli: Any, ctx: Any) -> tuple[str, str, str]:
    """Xena One absorbs Xena Three; returns (survivor, merged, merge id)."""
    one = _rich(ctx)
    three = add(ctx, full_name="Xena Three", emails=["x3@three.test"], title="Boss")
    d = cli.json("contacts", "merge", one, three)["data"]
    assert (d["id"], d["merged_contact_id"]) == (one, three)
    return one, three, d["merge_id"]


def test_the_question_names_the_merged_in_contacts_and_the_unmerge(cli: Any, ctx: Any, terminal: Any) -> None:
    one, _three, merge_id = _merged(cli, ctx)
    said_no = cli("contacts", "rm", one, input="n\n", ok=None)
    question = " ".join(said_no.stderr.split())
    assert "Delete Xena One and their whole timeline?" in question
    assert "It holds 1 merged-in contact that would go with it: Xena Three." in question
    assert f"first run `pcrm contacts unmerge {merge_id}`" in question
    assert cli.json("contacts", "show", one)["data"]["id"] == one  # nothing changed


def test_the_result_names_what_went_with_it(cli: Any, ctx: Any) -> None:
    one = _rich(ctx)
    three = add(ctx, full_name="Xena Three", emails=["x3@three.test"], title="Boss")
    four = add(ctx, full_name="Xena Four", emails=["x4@four.test"])
    cli("contacts", "merge", three, four)  # an earlier merge into the contact merged later
    merge_id = cli.json("contacts", "merge", one, three)["data"]["merge_id"]
    human = " ".join(cli("contacts", "rm", one, "--yes").stdout.split())
    assert f"deleted {one}" in human
    assert "2 merged-in contacts went with it: Xena Three, Xena Four" in human
    assert f"`pcrm contacts unmerge {merge_id}` brings them back" in human
    plain = add(ctx, full_name="Yuri", emails=["y@y.test"])
    assert cli.json("contacts", "rm", plain, "--yes")["data"] == {
        "id": plain,
        "deleted": True,
        "merged_contacts": [],
        "organization_removed": None,
    }


@pytest.mark.anyio
async def test_the_api_delete_answers_the_cli_bytes(empty_twin: Any) -> None:
    add_ = empty_twin.cli.json
    one = add_("contacts", "add", "--name", "Xena One", "--email", "x1@one.test", "--notes", "n", *N)
    three = add_("contacts", "add", "--name", "Xena Three", "--email", "x3@three.test", *N)
    one, three = one["data"]["id"], three["data"]["id"]
    merge_id = add_("contacts", "merge", one, three, *N)["data"]["merge_id"]
    r = await empty_twin.parity(["contacts", "rm", one, "--yes"], "DELETE", f"/api/v1/contacts/{one}")
    empty_twin.check_schema("DELETE", "/contacts/{contact_id}", r)
    assert r.json()["data"]["merged_contacts"] == [
        {
            "id": three,
            "full_name": "Xena Three",
            "display_name": "Xena Three",
            "merge_id": merge_id,
            "via": one,
        }
    ]


def test_an_unmerge_after_the_delete_brings_the_merged_contact_back(cli: Any, ctx: Any) -> None:
    one = _rich(ctx)
    three = add(ctx, full_name="Xena Three", emails=["x3@three.test"], title="Boss", tags=["work"])
    four = add(ctx, full_name="Xena Four", emails=["x4@four.test"])
    add_interaction(ctx, one, "gmail:1")
    add_interaction(ctx, three, "gmail:1", text="the same message, through the other address")
    add_interaction(ctx, three, "gmail:2")
    seed_suggestion_and_event(ctx, three)
    cli("contacts", "merge", three, four)
    before = dump_contact(ctx, three)
    merge_id = cli.json("contacts", "merge", one, three)["data"]["merge_id"]
    cli("contacts", "rm", one, "--yes")

    out = cli.json("contacts", "unmerge", merge_id)["data"]
    assert out["survivor_deleted"] is True and out["survivor_id"] == one
    assert out["contact_ids"] == [three]
    assert (out["interactions_lost"], out["collisions_restored"]) == (1, 1)
    back = dump_contact(ctx, three)
    # as it was before the merge, but for gmail:2, which the merge moved onto the deleted survivor
    assert sorted(i["raw_reference_id"] for i in before["interactions"]) == ["gmail:1", "gmail:2"]
    assert [i["raw_reference_id"] for i in back["interactions"]] == ["gmail:1"]
    for key in ("contact_emails", "contact_phones", "contact_tags", "contact_fields", "contact_identities"):
        assert back[key] == before[key], key
    assert back["follow_up_suggestions"] == before["follow_up_suggestions"]
    assert {k: v for k, v in back["contact"].items() if "score" not in k and k != "interaction_count"} == {
        k: v for k, v in before["contact"].items() if "score" not in k and k != "interaction_count"
    }
    assert cli("contacts", "show", one, ok=False)
    human = " ".join(cli("identity", "history").stdout.split())
    assert merge_id[:8] in human
    # the earlier merge into Xena Three can be undone as usual now that she is back
    earlier = cli.json("identity", "history")["data"][-1]
    assert earlier["merged_contact_id"] == four and not earlier["unmerged_at"]
    cli("contacts", "unmerge", earlier["id"])
    assert cli.json("contacts", "show", four)["data"]["emails"] == ["x4@four.test"]
    again = cli.json("contacts", "unmerge", merge_id, ok=False)["error"]
    assert again["code"] == "bad_request"  # already undone


def test_the_unmerge_line_says_the_survivor_was_deleted(cli: Any, ctx: Any) -> None:
    one, three, merge_id = _merged(cli, ctx)
    cli("contacts", "rm", one, "--yes")
    line = " ".join(cli("contacts", "unmerge", merge_id).stdout.split())
    assert line == (
        f"restored {three}; the survivor {one} was deleted, and with it the 0 interactions the merge "
        "had moved onto it"
    )
