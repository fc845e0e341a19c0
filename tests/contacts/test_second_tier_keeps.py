"""`pcrm second-tier rm` (DELETE /contacts/2nd-tier) never deletes a contact with a history [second-tier].
`pcrm contacts tag "Camille Yılmaz" "2nd tier"` (or the API's bulk-update, or MCP's tag_contact) and then
`pcrm second-tier rm --yes` deleted Camille, score 10 and 58 interactions, with her whole timeline and no
backup. The 2nd tier is group members with no interactions: those with an interaction (of any kind), a note
or an edit of the user's stay, said by name; those with a direct interaction lose the tag; and an automatic
backup taken first lets `pcrm db restore` take the deletion back [automatic-backups]."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.mcp import memory_session, text_of
from tests.support.twin import NOW

N = ("--now", NOW)
TIER = ("--tag", "2nd tier")


def _tagged(twin: Any, uuid: str) -> bool:
    return bool(
        twin.sql(
            "SELECT 1 FROM contact_tags t JOIN contacts c ON c.id = t.contact_id "
            "WHERE c.uuid = ? AND t.tag = ?",
            (uuid, "2nd tier"),
        )
    )


@pytest.mark.anyio
async def test_contacts_with_interactions_tagged_2nd_tier_by_cli_api_or_mcp_are_kept(demo_twin: Any) -> None:
    from pcrm.services import settings
    from pcrm.services.context import open_context

    talked = demo_twin.sql(
        "SELECT uuid, full_name, interaction_count FROM contacts WHERE interaction_count > 5 "
        "AND full_name IS NOT NULL ORDER BY id LIMIT 3"
    )
    (u1, _, _), (u2, _, _), (u3, _, _) = talked
    demo_twin.cli("contacts", "tag", u1, "2nd tier", *N)
    r = await demo_twin.request(
        "POST", "/api/v1/contacts/bulk-update", json={"contact_ids": [u2], "add_tags": ["2nd tier"]}
    )
    assert r.status_code == 200, r.text
    with open_context() as ctx:
        settings.set_setting(ctx, "mcp.allow_writes", True)
    async with memory_session() as client:
        done = await client.call_tool("tag_contact", {"contact": u3, "tags": ["2nd tier"]})
        assert not done.is_error, text_of(done)
    brock = demo_twin.add("Brock Harrison", *TIER, *N)["id"]  # a group member: nothing of the user's
    assert demo_twin.cli.json("second-tier", "count")["data"]["count"] == 4

    snap = demo_twin.snapshot()
    said = demo_twin.cli("second-tier", "rm", "--yes").stdout
    said = " ".join(said.split())
    assert said.startswith("deleted 1 contact (backup pcrm-"), said
    assert "before-second-tier-rm.db: `pcrm db restore pcrm-" in said, said
    assert "kept 3 contacts with a history: " in said, said
    assert all(f"({u[:8]})" in said for u in (u1, u2, u3)) and "Brock" not in said.split("kept")[1]
    assert "(3 of them have interactions: no longer 2nd tier)" in said, said
    assert "`pcrm contacts rm CONTACT` deletes one on purpose" in said, said
    demo_twin.restore(snap)

    r = await demo_twin.parity(["second-tier", "rm", "--yes"], "DELETE", "/api/v1/contacts/2nd-tier")
    demo_twin.check_schema("DELETE", "/contacts/2nd-tier", r)
    body = r.json()
    assert body["data"] == {"deleted_count": 1}  # the reference's shape
    assert sorted(c["id"] for c in body["meta"]["kept"]) == sorted((u1, u2, u3))
    assert all(c["promoted"] for c in body["meta"]["kept"])
    for uuid, _, count in talked:  # still there, their timelines whole, and no longer 2nd tier
        assert demo_twin.sql("SELECT interaction_count FROM contacts WHERE uuid = ?", (uuid,)) == [(count,)]
        assert not _tagged(demo_twin, uuid)
    assert not demo_twin.sql("SELECT 1 FROM contacts WHERE uuid = ?", (brock,))

    backup = Path(body["meta"]["backup"])
    assert backup.is_file() and backup.parent == demo_twin.home / "backups"
    demo_twin.cli("db", "restore", backup.name, "--yes")
    assert demo_twin.sql("SELECT full_name FROM contacts WHERE uuid = ?", (brock,)) == [("Brock Harrison",)]


def _group(twin: Any) -> dict[str, str]:
    add = twin.cli.json
    ids = {
        name: add("contacts", "add", "--name", name, *TIER, *N)["data"]["id"]
        for name in ("Raichu", "Meowth", "Brock")
    }
    twin.cli("note", "add", ids["Raichu"], "met at the gym", *N)
    twin.cli("contacts", "edit", ids["Meowth"], "--title", "Scratcher", *N)
    twin.cli("contacts", "add", "--name", "Misty", *N)
    twin.cli("contacts", "tag", "Misty", "2nd tier", *N)  # tagging someone 2nd tier is no history
    return ids


def test_the_dry_run_and_the_question_say_who_stays(empty_twin: Any) -> None:
    ids = _group(empty_twin)
    dry = empty_twin.cli.json("second-tier", "rm", "--dry-run")
    assert dry["data"]["deleted_count"] == 2
    assert sorted(c["full_name"] for c in dry["data"]["contacts"]) == ["Brock", "Misty"]
    kept = sorted(dry["meta"]["kept"], key=lambda c: c["full_name"])
    assert kept == [
        {"id": ids[n], "full_name": n, "display_name": n, "promoted": False} for n in ("Meowth", "Raichu")
    ]
    said = empty_twin.cli("second-tier", "rm", "--dry-run").stdout
    assert "would delete 2 contacts (dry run: nothing changed)" in said, said
    assert "would keep 2 contacts with a history: Raichu" in " ".join(said.split()), said
    err = empty_twin.rejects("second-tier", "rm", code="bad_request")
    assert (
        "Delete 2 2nd-tier contacts and their timelines? It keeps 2 contacts with a history" in err["message"]
    )
    assert f"Raichu ({ids['Raichu'][:8]})" in err["message"] and "Brock" not in err["message"]


@pytest.mark.anyio
async def test_notes_and_edits_keep_a_contact_and_its_tag(empty_twin: Any) -> None:
    ids = _group(empty_twin)
    r = await empty_twin.parity(["second-tier", "rm", "--yes"], "DELETE", "/api/v1/contacts/2nd-tier")
    empty_twin.check_schema("DELETE", "/contacts/2nd-tier", r)
    body = r.json()
    assert body["data"] == {"deleted_count": 2}
    assert sorted(c["full_name"] for c in body["meta"]["kept"]) == ["Meowth", "Raichu"]
    assert _tagged(empty_twin, ids["Raichu"]) and _tagged(empty_twin, ids["Meowth"])  # still 2nd tier
    assert [n for (n,) in empty_twin.sql("SELECT full_name FROM contacts ORDER BY full_name")] == [
        "Meowth",
        "Raichu",
    ]


def test_nobody_to_delete_takes_no_backup(empty_twin: Any) -> None:
    empty_twin.cli("contacts", "add", "--name", "Brock", *TIER, *N)
    done = empty_twin.cli.json("second-tier", "rm", "--yes")
    assert done["data"] == {"deleted_count": 1} and set(done["meta"]) == {"backup"}
    said = empty_twin.cli("second-tier", "rm", "--yes").stdout
    assert said.strip() == "deleted 0 contacts", said
    assert len(list((empty_twin.home / "backups").iterdir())) == 1
