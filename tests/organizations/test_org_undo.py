"""An organization's edit or removal can be taken back [bulk-undo]: `pcrm orgs edit ORG --name NEW` renamed
the company of every contact at it, a new --domain linked the contacts with an email there (their empty
company filled in), and `pcrm orgs rm ORG` deleted it with its domain, industry, notes and remembered
duplicate pairs, leaving its contacts unlinked; a wrong one could not be taken back. Each is now journalled
as the tag changes are: its answer says its undo (the CLI's `undo with:` line, meta.undo), `pcrm contacts
bulk-updates` (GET /contacts/bulk-updates) lists it, and `pcrm contacts bulk-undo ID` (POST
/contacts/bulk-updates/{id}/undo) puts the organization and its contacts back as they were, their
updated_at too; an undo that cannot put the organization back is a 409 that changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import V, assert_error, ok
from tests.support.crm import Crm
from tests.support.undo import undo_id

T1 = "2026-06-16T09:00:00.000Z"
T2 = "2026-06-17T09:00:00.000Z"
_ORGS = "SELECT * FROM organizations ORDER BY id"
_MATCHES = "SELECT * FROM org_identity_matches ORDER BY id"
_CONTACTS = (
    "SELECT id, uuid, full_name, company, organization_id, user_edited_fields, updated_at FROM contacts "
    "ORDER BY id"
)


def _state(crm: Crm) -> tuple[Any, ...]:
    return crm.sql(_ORGS), crm.sql(_MATCHES), crm.sql(_CONTACTS)


def test_an_org_rename_with_a_new_domain_is_taken_back_with_the_contacts_it_renamed_and_linked(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    crm.add("Ada Lovelace", "--company", "Globex")
    crm.add("Bob Baker", "--company", "Globex")
    crm.add("Cy Young", "--email", "cy@globex.example")  # no company: the new domain links him
    crm.cli("orgs", "edit", "Globex", "--industry", "Chemicals")
    before = _state(crm)
    monkeypatch.setenv("PCRM_NOW", T1)
    said = crm.cli(
        "orgs", "edit", "Globex", "--name", "Globex Inc", "--domain", "globex.example", "--clear", "industry"
    ).stdout
    bid = undo_id(said)
    assert {c["full_name"]: c["company"] for c in crm.cli.json("contacts", "list")["data"]} == {
        "Ada Lovelace": "Globex Inc",
        "Bob Baker": "Globex Inc",
        "Cy Young": "Globex Inc",
    }
    listed = crm.cli.json("contacts", "bulk-updates")["data"][0]
    assert listed["id"].startswith(bid) and listed["kind"] == "org-edit" and listed["contacts"] == 3
    assert (
        listed["what"] == "rename organization 'Globex' to 'Globex Inc'; domain globex.example; edit industry"
    )
    monkeypatch.setenv("PCRM_NOW", T2)
    said = crm.cli("contacts", "bulk-undo", bid).stdout
    assert said.startswith(
        f"undid the rename of organization 'Globex' to 'Globex Inc' ({bid}): put back 3 contacts"
    )
    assert _state(crm) == before  # the organization's values and updated_at, each contact's, as they were
    crm.rejects("contacts", "bulk-undo", bid, code="conflict")


def test_an_org_removal_is_taken_back_with_its_values_its_duplicate_pairs_and_its_contacts(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    crm.add("Ada Lovelace", "--company", "Globex", "--email", "ada@globex.example")
    crm.add("Bob Baker", "--company", "Globex")
    crm.cli(
        "orgs", "edit", "Globex", "--domain", "globex.example", "--industry", "Chemicals", "--notes", "ours"
    )
    crm.cli("orgs", "add", "Globex Corp")
    crm.sql(  # a pair the user told the duplicate scan to leave apart: it goes with the organization
        "INSERT INTO org_identity_matches(uuid, org_a_id, org_b_id, match_score, match_method, status, "
        "created_at, resolved_at) SELECT 'm-1', a.id, b.id, 0.9, 'probabilistic', 'dismissed', ?, ? "
        "FROM organizations a, organizations b WHERE a.name = 'Globex' AND b.name = 'Globex Corp'",
        (T1, T1),
    )
    before = _state(crm)
    monkeypatch.setenv("PCRM_NOW", T1)
    said = crm.cli("orgs", "rm", "Globex", "--yes").stdout
    assert "(2 contacts unlinked)" in said
    bid = undo_id(said)
    assert crm.sql("SELECT count(*) FROM org_identity_matches") == [(0,)]
    assert crm.show("Ada Lovelace")["organization_id"] is None
    listed = crm.cli.json("contacts", "bulk-updates")["data"][0]
    assert (listed["kind"], listed["what"], listed["contacts"]) == (
        "org-delete",
        "delete organization 'Globex'",
        2,
    )
    monkeypatch.setenv("PCRM_NOW", T2)
    said = crm.cli("contacts", "bulk-undo", bid).stdout
    assert said.startswith(f"undid the removal of organization 'Globex' ({bid}): put back 2 contacts\n"), said
    assert _state(crm) == before  # same id, uuid and values; the pair; the contacts linked, as they were


def test_an_undo_that_cannot_put_the_organization_back_is_refused_and_changes_nothing(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--company", "Globex")
    bid = undo_id(crm.cli("orgs", "rm", "Globex", "--yes").stdout)
    crm.cli("orgs", "add", "Globex")  # its name taken since
    err = crm.rejects("contacts", "bulk-undo", bid, code="conflict", says="made since")
    assert err["details"]["conflicting_organization"]["name"] == "Globex"

    crm.add("Bob Baker", "--company", "Initech")
    renamed = undo_id(crm.cli("orgs", "edit", "Initech", "--name", "Initech Ltd").stdout)
    crm.cli("orgs", "edit", "Initech Ltd", "--name", "Initrode")  # renamed again since
    crm.rejects("contacts", "bulk-undo", renamed, code="conflict", says="edited since in its name")
    crm.cli("orgs", "edit", "Initrode", "--name", "Initech Ltd")  # as the first edit left it: undone now
    said = crm.cli("contacts", "bulk-undo", renamed).stdout
    assert said.startswith("undid the rename of organization 'Initech' to 'Initech Ltd'"), said
    assert crm.show("Bob Baker")["company"] == "Initech"


def test_the_api_takes_back_an_organization_edit_and_removal(
    api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    orgs = ok(api.get(f"{V}/organizations"))["data"]
    org = max(orgs, key=lambda o: o["contact_count"])
    detail = ok(api.get(f"{V}/organizations/{org['id']}"))["data"]
    people = {c["id"]: ok(api.get(f"{V}/contacts/{c['id']}"))["data"] for c in detail["contacts"]}
    monkeypatch.setenv("PCRM_NOW", "2030-01-02T09:00:00.000Z")
    body = ok(api.patch(f"{V}/organizations/{org['id']}", json={"name": "Renamed By Mistake", "notes": "x"}))
    edit_id = body["meta"]["bulk_update_id"]
    assert body["meta"]["undo"] == f"pcrm contacts bulk-undo {edit_id[:8]}"
    gone = ok(api.delete(f"{V}/organizations/{org['id']}"))
    rm_id = gone["data"]["bulk_update_id"]
    assert gone["meta"]["undo"] == f"pcrm contacts bulk-undo {rm_id[:8]}"
    listed = {b["id"]: b for b in ok(api.get(f"{V}/contacts/bulk-updates"))["data"]}
    assert listed[rm_id]["kind"] == "org-delete" and listed[edit_id]["kind"] == "org-edit"
    assert listed[rm_id]["contacts"] == listed[edit_id]["contacts"] == len(people)
    # the edit first: its organization is gone, so it is refused, nothing changed
    assert_error(api.post(f"{V}/contacts/bulk-updates/{edit_id}/undo"), "conflict", 409)
    monkeypatch.setenv("PCRM_NOW", "2030-01-03T09:00:00.000Z")
    done = ok(api.post(f"{V}/contacts/bulk-updates/{rm_id}/undo"))
    assert done["meta"]["organization_restored"] == "Renamed By Mistake"
    assert done["data"]["restored"] == len(people)
    done = ok(api.post(f"{V}/contacts/bulk-updates/{edit_id}/undo"))
    assert done["meta"]["organization_restored"] == org["name"]
    back = ok(api.get(f"{V}/organizations/{org['id']}"))["data"]
    # the contacts' scores (and so the organization's average) follow the clock, which moved two days and
    # whose catch-up may or may not have run by this read: the rest is the organization as it was
    derived = {"contacts", "avg_relationship_score"}
    assert {k: v for k, v in back.items() if k not in derived} == {
        k: v for k, v in detail.items() if k not in derived
    }
    for cid, was in people.items():
        now = ok(api.get(f"{V}/contacts/{cid}"))["data"]
        assert (now["company"], now["organization_id"], now["updated_at"]) == (
            was["company"],
            was["organization_id"],
            was["updated_at"],
        ), cid


def test_an_org_added_over_contacts_is_taken_back_and_goes_when_nothing_used_it_since(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    crm.add("Ada Lovelace", "--company", "Globex")
    crm.cli("orgs", "rm", "Globex", "--yes")  # Ada keeps her company, unlinked
    crm.add("Cy Young", "--email", "cy@globex.example")
    before = _state(crm)
    monkeypatch.setenv("PCRM_NOW", T1)
    said = crm.cli("orgs", "add", "Globex", "--domain", "globex.example").stdout
    bid = undo_id(said)
    assert crm.show("Cy Young")["company"] == "Globex" and crm.show("Ada Lovelace")["organization_id"]
    listed = crm.cli.json("contacts", "bulk-updates")["data"][0]
    assert (listed["kind"], listed["contacts"]) == ("org-add", 2)
    monkeypatch.setenv("PCRM_NOW", T2)
    assert "put back 2 contacts" in crm.cli("contacts", "bulk-undo", bid).stdout
    assert _state(crm) == before  # the organization gone again, both contacts as they were
    # one that links nobody has nothing to take back: no undo said
    assert "undo with" not in crm.cli("orgs", "add", "Initech").stdout


def test_the_api_takes_back_an_organization_added_over_contacts(api: Any) -> None:
    c = ok(api.post(f"{V}/contacts", json={"full_name": "Cy Young", "emails": ["cy@new-co.example"]}), 201)
    was = ok(api.get(f"{V}/contacts/{c['data']['id']}"))["data"]
    body = ok(api.post(f"{V}/organizations", json={"name": "New Co", "domain": "new-co.example"}), 201)
    assert body["meta"]["contacts_assigned"] == 1
    done = ok(api.post(f"{V}/contacts/bulk-updates/{body['meta']['bulk_update_id']}/undo"))
    assert done["data"]["restored"] == 1
    assert_error(api.get(f"{V}/organizations/{body['data']['id']}"), "not_found", 404)
    now = ok(api.get(f"{V}/contacts/{c['data']['id']}"))["data"]
    assert {k: now[k] for k in ("company", "organization_id", "updated_at")} == {
        k: was[k] for k in ("company", "organization_id", "updated_at")
    }


def test_a_removal_undone_leaves_a_contact_whose_company_changed_since_alone_and_lists_it_partly_undone(
    crm: Crm,
) -> None:
    crm.add("Ada Lovelace", "--company", "Globex")
    crm.add("Bob Baker", "--company", "Globex")
    bid = undo_id(crm.cli("orgs", "rm", "Globex", "--yes").stdout)
    crm.cli("contacts", "edit", "Bob Baker", "--clear", "company")  # no company, and so no organization
    said = crm.cli("contacts", "bulk-undo", bid)
    assert "put back 1 contact; 1 contact edited since, left as it is" in said.stdout, said.stdout
    assert "Bob Baker alone" in said.stderr and "its company is now none, not Globex" in said.stderr
    bob = crm.show("Bob Baker")
    assert (bob["company"], bob["organization_id"]) == (None, None)  # not linked to Globex with no company
    assert crm.show("Ada Lovelace")["organization_id"] is not None
    listed = crm.cli.json("contacts", "bulk-updates")["data"][0]
    assert (listed["partly_undone"], listed["restored"], listed["left"]) == (True, 1, 1)
