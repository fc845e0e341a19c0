"""An organization a merge took away [org-dedupe]: named afterwards by its old name or id, it says where it
went and how to bring it back; and its merge can be undone after the organization it went into was deleted,
its contacts coming back as they were."""

from __future__ import annotations

from typing import Any

from tests.support.api import V, assert_error


def _merge(cli: Any, source: str, into: str) -> str:
    return str(cli.json("orgs", "merge", source, "--into", into)["meta"]["merge_ids"][0])


def _members(crm: Any) -> list[tuple[Any, ...]]:
    return crm.sql(
        "SELECT c.uuid, c.company, o.uuid, o.name FROM contacts c LEFT JOIN organizations o "
        "ON o.id = c.organization_id ORDER BY c.uuid"
    )


def test_a_merged_away_organization_says_where_it_went_and_how_to_undo(crm: Any, cli: Any) -> None:
    crm.add("Ada", "--company", "Hooli")
    crm.add("Bea", "--company", "Globex")
    crm.add("Cid", "--company", "Initech")
    hooli = cli.json("orgs", "show", "Hooli")["data"]["id"]
    globex = cli.json("orgs", "show", "Globex")["data"]["id"]
    initech = cli.json("orgs", "show", "Initech")["data"]["id"]
    first = _merge(cli, "Hooli", "Globex")
    for ref in ("Hooli", "hooli", hooli, hooli[:8]):
        err = crm.rejects(
            "orgs",
            "show",
            ref,
            code="not_found",
            says=f"'Hooli' was merged into Globex ({globex[:8]})",
            hint=f"`pcrm orgs unmerge {first[:8]}`",
        )
        assert err["details"]["merged_into"] == {
            "id": globex,
            "name": "Globex",
            "merge_id": first,
            "target_deleted": False,
        }
    # a command acting on it refuses alike, and changes nothing
    crm.rejects("orgs", "merge", "Hooli", "--into", "Initech", code="not_found", says="merged into Globex")
    # merged on in turn: both undos, newest first
    second = _merge(cli, "Globex", "Initech")
    err = crm.rejects(
        "orgs", "edit", "Hooli", "--industry", "Search", code="not_found", says="then into Initech"
    )
    assert f"`pcrm orgs unmerge {second[:8]}`, then `pcrm orgs unmerge {first[:8]}`" in err["hint"]
    assert err["details"]["merged_into"]["id"] == initech


def test_the_api_names_where_a_merged_away_organization_went(crm: Any, cli: Any, empty_api: Any) -> None:
    crm.add("Ada", "--company", "Hooli")
    crm.add("Bea", "--company", "Globex")
    hooli = cli.json("orgs", "show", "Hooli")["data"]["id"]
    merge_id = _merge(cli, "Hooli", "Globex")
    body = assert_error(empty_api.get(f"{V}/organizations/{hooli}"), "not_found", 404)
    assert body["error"]["details"]["merged_into"]["merge_id"] == merge_id
    assert body["detail"] == body["error"]["message"]
    assert cli.json("orgs", "show", hooli, ok=False) == body  # the CLI says the same


def test_a_merge_into_an_organization_deleted_since_is_undone(crm: Any, cli: Any) -> None:
    crm.add("Ada", "--company", "Pied Piper")
    crm.add("Bea", "--company", "Pied Piper")
    crm.add("Cid", "--company", "Oscorp")
    before = _members(crm)
    merge_id = _merge(cli, "Pied Piper", "Oscorp")
    cli("orgs", "rm", "Oscorp", "--yes")
    crm.rejects("orgs", "show", "Pied Piper", code="not_found", says="which was deleted since")
    out = cli.json("orgs", "unmerge", merge_id)["data"]
    assert out["contacts_returned"] == 2 and out["target_deleted"] is True
    # Pied Piper's people are its own again, with their company; Cid stays as the delete left him
    after = {r[0]: r for r in _members(crm)}
    for uuid, company, org, name in before:
        if company == "Pied Piper":
            assert after[uuid] == (uuid, company, org, name)
        else:
            assert after[uuid] == (uuid, "Oscorp", None, None)
    assert cli.json("orgs", "show", "Pied Piper")["data"]["contact_count"] == 2


def test_a_search_offered_for_a_name_of_two_words_runs_as_written(crm: Any, cli: Any) -> None:
    err = crm.rejects("orgs", "show", "Pied Pipr", code="not_found")
    assert "`pcrm orgs list --all --search 'Pied Pipr'`" in err["hint"]


def test_a_contact_that_joined_under_the_merged_name_goes_back_with_it(crm: Any, cli: Any) -> None:
    """A contact added while Hooli was merged into Globex, with company Hooli, joins Globex [org-dedupe];
    the unmerge left it there, its company Hooli and its organization Globex disagreeing [company-orgs]."""
    crm.add("Ada", "--company", "Hooli")
    crm.add("Bea", "--company", "Globex")
    merge_id = _merge(cli, "Hooli", "Globex")
    cid = crm.add("Cid", "--company", "HOOLI")["id"]
    assert crm.show(cid)["organization_id"] == cli.json("orgs", "show", "Globex")["data"]["id"]
    out = cli.json("orgs", "unmerge", merge_id)["data"]
    assert out["contacts_returned"] == 2
    cid_now = crm.show(cid)
    assert cid_now["organization_id"] == out["organization_id"] and cid_now["company"] == "HOOLI"
    assert {c["full_name"] for c in cli.json("orgs", "show", "Hooli")["data"]["contacts"]} == {"Ada", "Cid"}
    assert {c["full_name"] for c in cli.json("orgs", "show", "Globex")["data"]["contacts"]} == {"Bea"}
