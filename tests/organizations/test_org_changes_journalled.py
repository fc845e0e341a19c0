"""Two changes to organizations that could not be taken back [bulk-undo]: `pcrm orgs logos ORG --force`
wrote a new logo over the organization's file (the only copy), and `pcrm contacts edit ada --company "New
Co"` made the organization New Co (or gave an organization without a domain the contact's work domain); no
`pcrm contacts bulk-undo` reached either. Both are journalled now, as `pcrm orgs add|edit` are: the CLI says
`undo with: ...`, the API `meta.bulk_update_id` and `meta.undo`."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.api import V, ok
from tests.support.crm import Crm
from tests.support.undo import A_PNG, B_PNG, logo_files, logos_from, undo_id

# ---------------------------------------------------------------- a logo fetched again


def test_a_forced_logo_refresh_is_undone_with_the_old_logo_back(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    crm.cli("settings", "set", "logos.enabled", "true")
    logos_from(monkeypatch, A_PNG)
    org = crm.cli.json("orgs", "add", "Initech", "--domain", "initech.example")["data"]
    was = crm.cli.json("orgs", "show", "Initech")["data"]
    logos_from(monkeypatch, B_PNG)
    said = crm.cli("orgs", "logos", "Initech", "--force").stdout
    assert logo_files(org["id"])[f"org_{org['id']}.png"] == B_PNG
    bid = undo_id(said)
    listed = crm.cli.json("contacts", "bulk-updates")["data"][0]
    assert (listed["kind"], listed["what"]) == ("org-edit", "organization 'Initech': new logo")
    done = crm.cli("contacts", "bulk-undo", bid).stdout
    assert done == f"undid the new logo of organization 'Initech' ({bid}): put back its logo\n", done
    assert logo_files(org["id"]) == {f"org_{org['id']}.png": A_PNG}  # and no kept copy left
    now = crm.cli.json("orgs", "show", "Initech")["data"]
    assert (now["logo_url"], now["updated_at"]) == (was["logo_url"], was["updated_at"])


def test_the_same_logo_again_is_no_change_to_undo(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    crm.cli("settings", "set", "logos.enabled", "true")
    logos_from(monkeypatch, A_PNG)
    crm.cli("orgs", "add", "Initech", "--domain", "initech.example")
    said = crm.cli("orgs", "logos", "Initech", "--force").stdout
    assert "undo with" not in said, said


def test_a_first_logo_fetched_is_taken_off_by_its_undo(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    org = crm.cli.json("orgs", "add", "Initech", "--domain", "initech.example")["data"]
    crm.cli("settings", "set", "logos.enabled", "true")
    logos_from(monkeypatch, A_PNG)
    bid = undo_id(crm.cli("orgs", "logos", "Initech").stdout)
    assert logo_files(org["id"])
    done = crm.cli("contacts", "bulk-undo", bid).stdout
    assert "took off its logo" in done, done
    assert crm.cli.json("orgs", "show", "Initech")["data"]["logo_url"] is None
    assert logo_files(org["id"]) == {}


def test_an_edit_undo_after_a_later_logo_refresh_waits_for_that_one(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    crm.cli("settings", "set", "logos.enabled", "true")
    logos_from(monkeypatch, A_PNG)
    org = crm.cli.json("orgs", "add", "Initech", "--domain", "initech.example")["data"]
    logos_from(monkeypatch, B_PNG)
    edit = undo_id(crm.cli("orgs", "edit", "Initech", "--domain", "initech-b.example").stdout)
    logos_from(monkeypatch, A_PNG + b"x")
    refresh = undo_id(crm.cli("orgs", "logos", "Initech", "--force").stdout)
    crm.rejects("contacts", "bulk-undo", edit, code="conflict", says="has another logo since")
    crm.cli("contacts", "bulk-undo", refresh)
    crm.cli("contacts", "bulk-undo", edit)
    assert logo_files(org["id"]) == {f"org_{org['id']}.png": A_PNG}


def test_the_api_logo_refresh_names_its_undo(
    cli: Any, empty_api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("settings", "set", "logos.enabled", "true")
    logos_from(monkeypatch, A_PNG)
    org = ok(empty_api.post(f"{V}/organizations", json={"name": "Initech", "domain": "initech.example"}), 201)
    oid = org["data"]["id"]
    logos_from(monkeypatch, B_PNG)
    got = ok(empty_api.post(f"{V}/organizations/{oid}/refresh-logo", params={"force": "true"}))
    assert got["data"]["refreshed"] and got["meta"]["undo"].startswith("pcrm contacts bulk-undo ")
    done = ok(empty_api.post(f"{V}/contacts/bulk-updates/{got['meta']['bulk_update_id']}/undo"))
    assert done["meta"]["logo_restored"] is True and logo_files(oid) == {f"org_{oid}.png": A_PNG}


# ---------------------------------------------------------------- a company edit that makes an organization


def test_a_company_edit_that_made_an_org_is_undone_with_the_org_dropped(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--company", "Globex", "--title", "Engineer")
    was = crm.show("Ada Lovelace")
    orgs_were = crm.sql("SELECT * FROM organizations ORDER BY id")
    said = crm.cli("contacts", "edit", "Ada Lovelace", "--company", "New Co").stdout
    bid = undo_id(said)
    assert crm.show("Ada Lovelace")["company"] == "New Co"
    listed = crm.cli.json("contacts", "bulk-updates")["data"][0]
    assert listed["what"] == "company 'New Co' of Ada Lovelace (pcrm contacts edit)", listed
    dry = crm.cli("contacts", "bulk-undo", bid, "--dry-run").stdout
    assert "would take out the organization 'New Co' it made" in dry, dry
    done = crm.cli("contacts", "bulk-undo", bid).stdout
    assert done.startswith(
        f"undid the company 'New Co' of Ada Lovelace ({bid}): put back 1 contact; "
        "took out the organization 'New Co' it made\n"
    ), done
    assert crm.show("Ada Lovelace") == was
    assert crm.sql("SELECT * FROM organizations ORDER BY id") == orgs_were


def test_a_company_edit_with_other_fields_keeps_them_and_their_marks(crm: Crm) -> None:
    crm.add("Ada Lovelace")
    bid = undo_id(crm.cli("contacts", "edit", "Ada Lovelace", "--company", "New Co", "--title", "CTO").stdout)
    crm.cli("contacts", "bulk-undo", bid)
    now = crm.show("Ada Lovelace")
    assert (now["company"], now["title"], now["organization_id"]) == (None, "CTO", None)
    assert crm.sql("SELECT user_edited_fields FROM contacts") == [('["title"]',)]
    assert crm.sql("SELECT count(*) FROM organizations") == [(0,)]


def test_a_company_edit_to_an_existing_org_with_its_domain_is_no_change_to_undo(crm: Crm) -> None:
    crm.add("Bob Baker", "--company", "Globex", "--email", "bob@globex.example")
    crm.add("Ada Lovelace")
    said = crm.cli("contacts", "edit", "Ada Lovelace", "--company", "Globex").stdout
    assert "undo with" not in said, said


def test_a_company_edit_that_gave_an_org_its_domain_gives_it_back(crm: Crm) -> None:
    crm.cli("orgs", "add", "Globex")
    crm.add("Ada Lovelace", "--email", "ada@globex.example")
    bid = undo_id(crm.cli("contacts", "edit", "Ada Lovelace", "--company", "Globex").stdout)
    assert crm.cli.json("orgs", "show", "Globex")["data"]["domain"] == "globex.example"
    crm.cli("contacts", "bulk-undo", bid)
    assert crm.cli.json("orgs", "show", "Globex")["data"]["domain"] is None
    assert crm.show("Ada Lovelace")["company"] is None


def test_the_api_company_edit_that_made_an_org_names_its_undo(empty_api: Any) -> None:
    ada = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace"}), 201)["data"]
    put = ok(empty_api.put(f"{V}/contacts/{ada['id']}", json={"company": "New Co"}))
    assert put["meta"]["undo"].startswith("pcrm contacts bulk-undo ")
    done = ok(empty_api.post(f"{V}/contacts/bulk-updates/{put['meta']['bulk_update_id']}/undo"))
    assert (done["data"]["kind"], done["meta"]["organizations_dropped"]) == ("contact-company", ["New Co"])
    assert ok(empty_api.get(f"{V}/organizations", params={"include_empty": "true"}))["data"] == []


def test_a_company_edit_undone_takes_the_company_alone_out_of_the_edit_journal(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--email", "ada@example.org")
    crm.add("Ada L", "--email", "ada@example.org".replace("ada", "ada.l"))
    crm.cli("contacts", "merge", "Ada Lovelace", "Ada L")  # the edit journal records from here on
    crm.cli("contacts", "edit", "Ada Lovelace", "--location", "London")
    bid = undo_id(crm.cli("contacts", "edit", "Ada Lovelace", "--company", "New Co", "--title", "CTO").stdout)
    typed = json.loads(crm.sql("SELECT typed FROM edit_journal")[0][0])
    assert {"company", "title", "location"} <= set(typed["fields"])
    crm.cli("contacts", "bulk-undo", bid)
    typed = json.loads(crm.sql("SELECT typed FROM edit_journal")[0][0])
    assert "company" not in typed["fields"] and {"title", "location"} <= set(typed["fields"]), typed


def test_company_edits_undone_oldest_first_leave_no_empty_organization(crm: Crm) -> None:
    """Found by review: `contacts edit ada --company "New Co"`, then `--company "Other Co"`; undoing the
    first (Ada kept: edited since) took out New Co, though the second edit's undo puts Ada back on it: that
    undo then made a New Co again, which the first's later undo left empty. An organization a change not
    undone yet would put contacts back on counts as used."""
    crm.add("Ada Lovelace")
    first = undo_id(crm.cli("contacts", "edit", "Ada Lovelace", "--company", "New Co").stdout)
    second = undo_id(crm.cli("contacts", "edit", "Ada Lovelace", "--company", "Other Co").stdout)
    new_co = crm.cli.json("orgs", "show", "New Co")["data"]["id"]
    said = crm.cli("contacts", "bulk-undo", first).stdout
    assert "took out the organization 'New Co'" not in said, said
    assert crm.cli.json("orgs", "show", "New Co")["data"]["id"] == new_co
    crm.cli("contacts", "bulk-undo", second)
    ada = crm.show("Ada Lovelace")
    assert (ada["company"], ada["organization_id"]) == ("New Co", new_co)
    crm.cli("contacts", "bulk-undo", first)
    assert crm.show("Ada Lovelace")["company"] is None
    assert crm.cli.json("orgs", "list", "--all")["data"] == []  # each undo took out the one its edit made
