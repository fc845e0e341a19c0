"""`pcrm second-tier rm` names the 2nd-tier contacts the user has worked on [second-tier]: a note does not
lift the 2nd tier, so `pcrm note add Raichu "met at the gym"` followed weeks later by
`pcrm second-tier rm --yes` deleted Raichu with the note, and neither the question, the dry run nor the answer
said so (the dry run gave a bare count)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.twin import NOW

N = ("--now", NOW)
TIER = ("--tag", "2nd tier")


def _group(twin: Any) -> dict[str, str]:
    add = twin.cli.json
    ids = {
        name: add("contacts", "add", "--name", name, *TIER, *N)["data"]["id"]
        for name in ("Raichu", "Meowth", "Brock")
    }
    twin.cli("note", "add", ids["Raichu"], "met at the gym", *N)
    twin.cli("contacts", "edit", ids["Meowth"], "--title", "Scratcher", *N)
    return ids


def _yours(ids: dict[str, str]) -> list[dict[str, str]]:
    return [{"id": ids[n], "full_name": n, "display_name": n} for n in ("Raichu", "Meowth")]


def test_the_dry_run_and_the_question_name_the_contacts_with_the_user_s_work(empty_twin: Any) -> None:
    ids = _group(empty_twin)
    dry = empty_twin.cli.json("second-tier", "rm", "--dry-run")
    assert dry["data"]["deleted_count"] == 3
    assert sorted(c["full_name"] for c in dry["data"]["contacts"]) == ["Brock", "Meowth", "Raichu"]
    assert sorted(dry["meta"]["yours"], key=lambda c: c["full_name"]) == sorted(
        _yours(ids), key=lambda c: c["full_name"]
    )
    said = empty_twin.cli("second-tier", "rm", "--dry-run").stdout
    raichu = next(line for line in said.splitlines() if "Raichu" in line)
    brock = next(line for line in said.splitlines() if "Brock" in line)
    assert "your notes or edits" in raichu and "your notes" not in brock
    err = empty_twin.rejects("second-tier", "rm", code="bad_request")
    assert "2 of them hold notes or edits of yours" in err["message"], err
    assert f"Raichu ({ids['Raichu'][:8]})" in err["message"] and "Brock" not in err["message"]
    assert "pcrm contacts promote" in err["message"]


@pytest.mark.anyio
async def test_the_deletion_says_whose_notes_and_edits_went(empty_twin: Any) -> None:
    _group(empty_twin)
    r = await empty_twin.parity(["second-tier", "rm", "--yes"], "DELETE", "/api/v1/contacts/2nd-tier")
    empty_twin.check_schema("DELETE", "/contacts/2nd-tier", r)
    body = r.json()
    assert body["data"] == {"deleted_count": 3}
    assert sorted(c["full_name"] for c in body["meta"]["yours"]) == ["Meowth", "Raichu"]


def test_nothing_of_the_user_s_leaves_the_answer_as_it_was(empty_twin: Any) -> None:
    empty_twin.cli("contacts", "add", "--name", "Brock", *TIER, *N)
    done = empty_twin.cli.json("second-tier", "rm", "--yes")
    assert done == {"data": {"deleted_count": 1}, "error": None, "meta": {}}
    empty_twin.cli("contacts", "add", "--name", "Misty", *TIER, *N)
    said = empty_twin.cli("second-tier", "rm", "--yes")
    assert said.stdout.strip() == "deleted 1 contact"
