"""`pcrm contacts add --name X --company "New Co"` (and `POST /contacts` with a company) makes the
organization New Co for it [company-orgs]; `pcrm contacts rm X --yes` then left an empty New Co behind (`pcrm
orgs list --all` showed it), one the user never asked for. The organization pcrm made for that contact's
company alone (never edited, no logo, no other contact, in no merge) now goes with it, and the answer says
so; one the user added, edited, or shared with another contact stays."""

from __future__ import annotations

from typing import Any

from tests.support.api import V, ok
from tests.support.crm import Crm


def _org_names(crm: Crm) -> list[str]:
    return [o["name"] for o in crm.cli.json("orgs", "list", "--all")["data"]]


def test_removing_the_contact_an_organization_was_made_for_takes_it_out(crm: Crm) -> None:
    crm.add("Zed Quill", "--company", "New Co", "--email", "zed@newco.example")
    assert _org_names(crm) == ["New Co"]
    said = crm.cli("contacts", "rm", "Zed Quill", "--yes").stdout
    assert "removed the organization 'New Co': made for its company, no other contact" in said, said
    assert _org_names(crm) == []


def test_an_organization_made_by_a_company_edit_goes_with_its_contact(crm: Crm) -> None:
    crm.add("Cy Young")
    crm.cli("contacts", "edit", "Cy Young", "--company", "Ed Co")
    body = crm.cli.json("contacts", "rm", "Cy Young", "--yes")["data"]
    assert body["organization_removed"]["name"] == "Ed Co", body
    assert _org_names(crm) == []


def test_an_organization_shared_added_or_edited_stays(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--company", "Shared Co")
    crm.add("Bob Baker", "--company", "Shared Co")
    said = crm.cli("contacts", "rm", "Ada Lovelace", "--yes").stdout
    assert "removed the organization" not in said, said

    crm.cli("orgs", "add", "Typed Co", "--domain", "typed.example")
    crm.add("Dee Dee", "--company", "Typed Co")
    crm.cli("contacts", "rm", "Dee Dee", "--yes")

    crm.add("Eve Ellis", "--company", "Edited Co")
    crm.cli("orgs", "edit", "Edited Co", "--industry", "Widgets")
    body = crm.cli.json("contacts", "rm", "Eve Ellis", "--yes")["data"]
    assert body["organization_removed"] is None, body
    assert sorted(_org_names(crm)) == ["Edited Co", "Shared Co", "Typed Co"]


def test_the_api_delete_takes_out_the_organization_made_for_the_contact(empty_api: Any) -> None:
    made = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Zed Quill", "company": "New Co"}), 201)
    org_id = made["data"]["organization_id"]
    assert org_id
    gone = ok(empty_api.delete(f"{V}/contacts/{made['data']['id']}"))
    assert gone["data"]["organization_removed"] == {"id": org_id, "name": "New Co"}, gone
    assert empty_api.get(f"{V}/organizations/{org_id}").status_code == 404
