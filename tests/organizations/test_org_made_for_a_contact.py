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


def test_an_organization_made_for_one_contact_goes_with_the_last_of_its_company(crm: Crm) -> None:
    """Ann's company made Acme Widgets; Bob (same company, a work email giving it its domain) joined later.
    `pcrm contacts rm` of Ann, then of Bob, left an empty Acme Widgets: only Ann's delete could tell pcrm
    had made it. The last contact's delete now takes it out, whichever went first."""
    crm.add("Ann Ames", "--company", "Acme Widgets")
    crm.add("Bob Berg", "--company", "Acme Widgets", "--email", "bob@acmewidgets.example")
    said = crm.cli("contacts", "rm", "Ann Ames", "--yes").stdout
    assert "removed the organization" not in said, said
    assert _org_names(crm) == ["Acme Widgets"]
    body = crm.cli.json("contacts", "rm", "Bob Berg", "--yes")["data"]
    assert body["organization_removed"]["name"] == "Acme Widgets", body
    assert _org_names(crm) == []

    crm.add("Cy Young")
    crm.cli("contacts", "edit", "Cy Young", "--company", "Ed Co")  # made by a company edit, then joined
    crm.add("Di Dale", "--company", "Ed Co")
    crm.cli("contacts", "rm", "Cy Young", "--yes")
    said = crm.cli("contacts", "rm", "Di Dale", "--yes").stdout
    assert "removed the organization 'Ed Co': made for its company, no other contact" in said, said
    assert _org_names(crm) == []


def test_an_organization_added_by_hand_or_edited_stays_after_its_last_contact(crm: Crm) -> None:
    crm.cli("orgs", "add", "Typed Co")  # added by hand before any contact named it
    crm.add("Fay Finch", "--company", "Typed Co")
    crm.add("Gus Gray", "--company", "Edited Co")
    crm.add("Hal Hume", "--company", "Edited Co")
    crm.cli("orgs", "edit", "Edited Co", "--industry", "Widgets")
    for name in ("Fay Finch", "Gus Gray", "Hal Hume"):
        body = crm.cli.json("contacts", "rm", name, "--yes")["data"]
        assert body["organization_removed"] is None, body
    assert sorted(_org_names(crm)) == ["Edited Co", "Typed Co"]


def test_the_api_delete_of_the_last_contact_takes_out_the_organization_made_for_the_first(
    empty_api: Any,
) -> None:
    first = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Zed Quill", "company": "New Co"}), 201)
    second = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Yan Quill", "company": "New Co"}), 201)
    org_id = first["data"]["organization_id"]
    assert second["data"]["organization_id"] == org_id
    gone = ok(empty_api.delete(f"{V}/contacts/{first['data']['id']}"))
    assert gone["data"]["organization_removed"] is None, gone
    gone = ok(empty_api.delete(f"{V}/contacts/{second['data']['id']}"))
    assert gone["data"]["organization_removed"] == {"id": org_id, "name": "New Co"}, gone
    assert empty_api.get(f"{V}/organizations/{org_id}").status_code == 404


def test_second_tier_rm_takes_out_the_organization_made_for_the_contacts_it_deletes(crm: Crm) -> None:
    """`pcrm second-tier rm` deletes contacts too: the organization pcrm made for their company, left with
    no contact, goes with them and the answer names it."""
    crm.add("Gil Group", "--company", "Group Co", "--tag", "2nd tier")
    crm.add("Hob Group", "--company", "Group Co", "--tag", "2nd tier")
    crm.add("Ivy Stay", "--company", "Kept Co")
    crm.add("Jo Group", "--company", "Kept Co", "--tag", "2nd tier")
    body = crm.cli.json("second-tier", "rm", "--yes")
    assert body["data"]["deleted_count"] == 3, body
    assert [o["name"] for o in body["meta"]["organizations_removed"]] == ["Group Co"], body
    assert _org_names(crm) == ["Kept Co"]
