"""A bulk update says how many contacts it selected and how many it changed [bulk-edits]: `pcrm contacts
bulk-update X --remove-tag nonexistent` said "updated 1 contact(s)" though nothing changed. A contact that
already is as asked is left alone (no updated_at, no edited field), and meta.changed counts the others.
An id in the list that a merge took away says where it went [merged-references], in bulk and in a tagging
run, instead of a bare "not found"."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.crm import Crm
from tests.support.twin import NOW

N = ("--now", NOW)


def _two(crm: Crm) -> tuple[str, str]:
    ada = crm.add("Ada Lovelace", "--tag", "mentor", "--priority", "low")["id"]
    alan = crm.add("Alan Turing", "--tag", "mentor", "--tag", "chess", "--priority", "high")["id"]
    return ada, alan


def test_a_bulk_update_that_changes_nobody_says_so_and_writes_nothing(crm: Crm) -> None:
    ada, alan = _two(crm)
    before = crm.dump()
    said = crm.cli("contacts", "bulk-update", ada, "--remove-tag", "nonexistent").stdout
    assert said.strip() == "1 contact selected, none changed: it did not have the tag 'nonexistent'", said
    assert crm.dump() == before  # not even updated_at or the edited fields
    said = crm.cli("contacts", "bulk-update", ada, alan, "--add-tag", "Mentor", "--dry-run").stdout
    assert "2 contacts selected, none would change: each already had the tag 'mentor'" in said, said
    said = crm.cli(
        "contacts", "bulk-update", "--where", "tag=mentor", "--remove-tag", "x", "--remove-tag", "y"
    )
    assert "2 contacts selected, none changed: none had any of the tags 'x', 'y'" in said.stdout
    body = crm.cli.json("contacts", "bulk-update", ada, "--remove-tag", "nonexistent")
    assert body["data"] == {"updated": 1} and body["meta"] == {"changed": 0, "suggestions_dismissed": 0}
    assert crm.dump() == before


def test_a_bulk_update_counts_those_it_changed_and_touches_only_them(crm: Crm) -> None:
    ada, alan = _two(crm)
    edited = dict(crm.sql("SELECT uuid, user_edited_fields FROM contacts"))
    dry = crm.cli("contacts", "bulk-update", ada, alan, "--remove-tag", "chess", "--dry-run").stdout
    assert f"{alan[:8]}  Alan Turing" in dry and "Ada Lovelace" not in dry, dry
    assert "would update 1 of 2 contacts selected; 1 other already was as asked (dry run" in dry, dry
    later = ("--now", "2026-06-16")
    said = crm.cli("contacts", "bulk-update", ada, alan, "--remove-tag", "chess", *later).stdout
    first, undo = said.strip().splitlines()
    assert first == "updated 1 of 2 contacts selected; 1 other already was as asked", said
    assert undo.startswith("undo with: pcrm contacts bulk-undo "), said
    after = dict(crm.sql("SELECT uuid, user_edited_fields FROM contacts"))
    assert after[ada] == edited[ada] and "tags" in after[alan]
    assert crm.sql("SELECT updated_at FROM contacts WHERE uuid = ?", (ada,))[0][0] < "2026-06-16"
    said = crm.cli("contacts", "bulk-update", ada, "--priority", "high").stdout
    assert said.strip().splitlines()[0] == "updated 1 contact", said


@pytest.mark.anyio
async def test_the_api_counts_what_it_changed_in_meta_as_the_cli_does(empty_twin: Any) -> None:
    added = empty_twin.cli.json("contacts", "add", "--name", "Ada Lovelace", "--tag", "mentor", *N)
    ada = added["data"]["id"]
    r = await empty_twin.parity(
        ["contacts", "bulk-update", ada, "--remove-tag", "nonexistent"],
        "POST",
        "/api/v1/contacts/bulk-update",
        json={"contact_ids": [ada], "remove_tags": ["nonexistent"]},
    )
    empty_twin.check_schema("POST", "/contacts/bulk-update", r)
    assert r.json()["data"] == {"updated": 1} and r.json()["meta"]["changed"] == 0
    r = await empty_twin.request(
        "POST", "/api/v1/contacts/bulk-update", json={"contact_ids": [ada], "remove_tags": ["mentor"]}
    )
    assert r.json()["data"]["updated"] == 1 and r.json()["meta"]["changed"] == 1
    assert r.json()["data"]["bulk_update_id"]  # [bulk-undo]


def _merged(crm: Crm) -> dict[str, Any]:
    crm.add("Wei Dubois", "--email", "wei.dubois@proton.me")
    crm.add("Wei Dubois", "--email", "weidubois.1@gmail.com", "--title", "Engineer")
    data = crm.cli.json("contacts", "merge", "wei.dubois@proton.me", "weidubois.1@gmail.com")["data"]
    return {"survivor": data["id"], "merged": data["merged_contact_id"], "merge_id": data["merge_id"]}


@pytest.mark.anyio
async def test_a_merged_id_in_a_list_says_where_it_went(
    crm: Crm, client: Any, script: dict[str, str]
) -> None:
    m = _merged(crm)
    ada = crm.add("Ada Lovelace")["id"]
    crm.cli("settings", "set", "ai.model", "no-such-model")
    r = await client.put(
        "/api/v1/contacts/tags/taxonomy",
        headers=script,
        json={"categories": {"Role": ["Engineer"]}, "status": "approved"},
    )
    assert r.status_code == 200, r.text

    def people() -> dict[str, Any]:
        return {k: v for k, v in crm.dump().items() if k != "api_tokens"}  # the token's last use is written

    before = people()
    unknown = "0b7e1a52-7a3c-4c0e-9d7e-1f2a3b4c5d6e"
    for path, body in (
        ("/api/v1/contacts/bulk-update", {"contact_ids": [ada, m["merged"]], "add_tags": ["x"]}),
        ("/api/v1/contacts/bulk-update", {"contact_ids": [unknown, m["merged"]], "add_tags": ["x"]}),
        ("/api/v1/contacts/tags/apply", {"contact_ids": [m["merged"], ada]}),
    ):
        r = await client.post(path, headers=script, json=body)
        assert r.status_code == 404, r.text
        err = r.json()["error"]
        assert err["code"] == "not_found"
        said = f"contact {m['merged']} was merged into Wei Dubois ({m['survivor']}) on 2026-06-15"
        assert said in err["message"], err
        assert f"`pcrm contacts unmerge {m['merge_id']}`" in err["hint"], err
        assert err["details"]["merged_into"]["id"] == m["survivor"]
        assert m["merged"] in err["details"]["missing"]
        if unknown in body["contact_ids"]:
            assert "(1 other id not found either)" in err["message"] and unknown in err["details"]["missing"]
    assert people() == before
    # the CLI reads a merged id as every contact argument does
    crm.rejects("contacts", "bulk-update", m["merged"], "--add-tag", "x", code="not_found", says="merged")


def test_a_bulk_update_moves_nothing_on_a_contact_already_as_asked(crm: Crm, tmp_path: Any) -> None:
    """`pcrm contacts bulk-update X --add-tag t` on a contact that had t gave it a new updated_at and marked
    its tags edited, though nothing changed; so did --priority and --company with the values it had. Now
    only the contacts that change move, each marked edited only in what changed on it, and a value typed
    still stays on every contact selected when the import it came with is undone [hand-edits]."""
    people = tmp_path / "people.csv"
    people.write_text(
        "full_name,email,company,tags\nAda Lovelace,ada@example.com,Analytical,investor\n"
        "Alan Turing,alan@example.com,Bletchley,chess\n",
        encoding="utf-8",
    )
    crm.add("Ada Lovelace", "--email", "ada@example.com", "--priority", "high")
    crm.add("Alan Turing", "--email", "alan@example.com")
    batch = crm.cli.json("import", str(people))["data"]["batch_id"]  # brings the companies and tags

    def rows() -> dict[str, tuple[Any, ...]]:
        columns = "full_name, updated_at, user_edited_fields, priority_level, company"
        return {r[0]: r[1:] for r in crm.sql(f"SELECT {columns} FROM contacts")}

    before = rows()
    later = ("--now", "2026-06-16")
    both = ("ada@example.com", "alan@example.com")
    for change in (
        ("--add-tag", "investor"),
        ("--priority", "high"),
        ("--add-tag", "investor", "--priority", "high"),
    ):
        said = crm.cli("contacts", "bulk-update", "ada@example.com", *change, *later).stdout
        assert said.strip().startswith("1 contact selected, none changed"), said
        assert rows() == before, change
    said = crm.cli("contacts", "bulk-update", *both, "--add-tag", "investor", "--priority", "high", *later)
    assert "updated 1 of 2 contacts selected; 1 other already was as asked" in said.stdout, said.stdout
    after = rows()
    assert after["Ada Lovelace"] == before["Ada Lovelace"]
    assert after["Alan Turing"][0] > before["Alan Turing"][0] and "tags" in after["Alan Turing"][1]
    # Alan's company did not change: it is not marked edited
    crm.cli("contacts", "bulk-update", *both, "--company", "Analytical", *later)
    after = rows()
    assert after["Ada Lovelace"] == before["Ada Lovelace"], "Ada already worked at Analytical"
    assert '"company"' in after["Alan Turing"][1] and after["Alan Turing"][3] == "Analytical"
    # the tag typed on Ada, where the import had put it already, is hers: the undo keeps it
    crm.cli("import", "undo", batch, "--yes")
    assert crm.show("Ada Lovelace")["tags"] == ["investor"]
    assert crm.show("Alan Turing")["tags"] == ["investor"]  # chess came with the import


def test_a_bulk_update_names_values_as_typed(crm: Crm) -> None:
    """ "it already had the tag 'a\\\\b'": the reason a bulk update changed nobody quoted the tag (or company)
    with Python's repr, which doubles a backslash. It is quoted as typed now."""
    ada = crm.add("Ada Lovelace", "--tag", "a\\b", "--company", "R&D\\Labs")["id"]
    said = crm.cli("contacts", "bulk-update", ada, "--add-tag", "a\\b", "--company", "R&D\\Labs").stdout
    assert said.strip() == (
        "1 contact selected, none changed: it already had the tag 'a\\b'; it already had company 'R&D\\Labs'"
    ), said
    said = crm.cli("contacts", "bulk-update", ada, "--remove-tag", "o'brien").stdout
    assert said.strip() == '1 contact selected, none changed: it did not have the tag "o\'brien"', said
