"""The organization undo's review [bulk-undo] [company-orgs]: what an undo of a change over many contacts
checks and says once organizations' edits, removals and additions are undoable too."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pcrm.services.ai import taxonomy
from pcrm.services.context import open_context
from tests.support.api import V, ok
from tests.support.crm import Crm
from tests.support.llm_fake import MODEL_ID, Scripted, scripted_fixture
from tests.support.undo import A_PNG, B_PNG, logos_from, undo_id


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Scripted]:
    yield from scripted_fixture(monkeypatch, tmp_path)


# ---------------------------------------------------------------- a company changed since


def _globex(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--company", "Globex", "--tag", "friend")
    crm.add("Bob Baker", "--company", "Globex", "--tag", "friend")


def _row(crm: Crm, name: str) -> tuple[Any, ...]:
    c = crm.show(name)
    return c["priority_level"], c["tags"], c["company"]


@pytest.mark.parametrize(
    "change",
    [
        ("--priority", "high"),
        ("--add-tag", "vip"),
        ("--remove-tag", "friend"),
    ],
)
@pytest.mark.parametrize("since", ["org-rename", "contact-company"])
def test_a_bulk_update_that_never_touched_the_company_is_undone_after_a_company_change(
    crm: Crm, change: tuple[str, str], since: str
) -> None:
    _globex(crm)
    was = {n: _row(crm, n)[:2] for n in ("Ada Lovelace", "Bob Baker")}
    bid = undo_id(crm.cli("contacts", "bulk-update", "Ada Lovelace", "Bob Baker", *change).stdout)
    if since == "org-rename":
        crm.cli("orgs", "edit", "Globex", "--name", "Globex Inc")
    else:
        crm.cli("contacts", "edit", "Ada Lovelace", "--company", "Initech")
        crm.cli("contacts", "edit", "Bob Baker", "--company", "Initech")
    said = crm.cli("contacts", "bulk-undo", bid)
    assert "put back 2 contacts" in said.stdout and "edited since" not in said.stdout, said.stdout
    assert "alone" not in said.stderr, said.stderr
    assert {n: _row(crm, n)[:2] for n in was} == was
    company = "Globex Inc" if since == "org-rename" else "Initech"
    assert {_row(crm, n)[2] for n in was} == {company}  # the later company change stays


def test_tags_apply_rename_and_auto_tag_are_undone_after_a_company_change(
    crm: Crm, scripted: Scripted
) -> None:
    crm.add("Ada Lovelace", "--company", "Globex", "--title", "Engineer", "--tag", "friend")
    crm.add("Bob Baker", "--company", "Globex", "--title", "Engineer", "--tag", "friend")
    crm.cli("settings", "set", "ai.model", MODEL_ID)
    with open_context() as ctx:
        body = {"categories": {"Role": ["Engineer"]}, "status": "approved"}
        taxonomy.put_taxonomy(ctx, body)
    scripted.reply = lambda p: json.dumps({"tags": ["engineer"]})
    applied = undo_id(crm.cli("tags", "apply").stdout)
    crm.cli("orgs", "edit", "Globex", "--name", "Globex Inc")
    said = crm.cli("contacts", "bulk-undo", applied)
    assert "put back 2 contacts" in said.stdout and "alone" not in said.stderr, said
    assert crm.show("Ada Lovelace")["tags"] == ["friend"]

    renamed = undo_id(crm.cli("tags", "rename", "friend", "pal").stdout)
    crm.cli("contacts", "edit", "Bob Baker", "--company", "Initech")
    said = crm.cli("contacts", "bulk-undo", renamed)
    assert "put back 2 contacts" in said.stdout and "alone" not in said.stderr, said
    assert crm.show("Bob Baker")["tags"] == ["friend"]

    tagged = undo_id(crm.cli("contacts", "auto-tag", "Ada Lovelace").stdout)
    crm.cli("contacts", "edit", "Ada Lovelace", "--company", "Hooli")
    said = crm.cli("contacts", "bulk-undo", tagged)
    assert "put back 1 contact" in said.stdout and "alone" not in said.stderr, said
    assert (crm.show("Ada Lovelace")["tags"], crm.show("Ada Lovelace")["company"]) == (["friend"], "Hooli")


def test_the_api_undoes_a_priority_update_after_its_organization_was_renamed(api: Any) -> None:
    orgs = ok(api.get(f"{V}/organizations"))["data"]
    org = max(orgs, key=lambda o: o["contact_count"])
    people = [c["id"] for c in ok(api.get(f"{V}/organizations/{org['id']}"))["data"]["contacts"]]
    was = {c: ok(api.get(f"{V}/contacts/{c}"))["data"]["priority_level"] for c in people}
    up = ok(api.post(f"{V}/contacts/bulk-update", json={"contact_ids": people, "priority_level": "low"}))
    assert up["meta"]["changed"] > 1
    ok(api.patch(f"{V}/organizations/{org['id']}", json={"name": org["name"] + " Renamed"}))
    done = ok(api.post(f"{V}/contacts/bulk-updates/{up['data']['bulk_update_id']}/undo"))
    assert (done["data"]["restored"], done["data"]["kept"]) == (up["meta"]["changed"], [])
    assert {c: ok(api.get(f"{V}/contacts/{c}"))["data"]["priority_level"] for c in people} == was


# ---------------------------------------------------------------- a rename's undo and those linked since


def test_a_rename_undone_renames_the_contacts_linked_to_it_since_with_its_new_name(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--company", "Hooli")
    bid = undo_id(crm.cli("orgs", "edit", "Hooli", "--name", "Hooli XYZ").stdout)
    crm.add("Bob Baker", "--company", "Hooli XYZ")  # linked to the renamed organization
    crm.add("Cy Young", "--company", "hooli xyz")  # the same company in another case
    crm.add("Di Prince", "--company", "Initech")
    org = crm.show("Ada Lovelace")["organization_id"]
    assert crm.show("Bob Baker")["organization_id"] == crm.show("Cy Young")["organization_id"] == org
    dry = crm.cli("contacts", "bulk-undo", bid, "--dry-run").stdout
    assert "would rename the company of 2 contacts linked to it since to 'Hooli'" in dry, dry
    assert crm.show("Bob Baker")["company"] == "Hooli XYZ"
    said = crm.cli("contacts", "bulk-undo", bid).stdout
    assert "renamed the company of 2 contacts linked to it since to 'Hooli'" in said, said
    for name in ("Ada Lovelace", "Bob Baker", "Cy Young"):
        c = crm.show(name)
        assert (c["company"], c["organization_id"]) == ("Hooli", org), name
    assert crm.show("Di Prince")["company"] == "Initech"
    crm.add("Eve Adams", "--company", "Hooli XYZ")  # a new company now: no second Hooli
    names = [o["name"] for o in crm.cli.json("orgs", "list", "--all")["data"]]
    assert names.count("Hooli") == 1 and sorted(names) == ["Hooli", "Hooli XYZ", "Initech"]


def test_the_api_rename_undo_says_how_many_contacts_linked_since_it_renamed(empty_api: Any) -> None:
    ok(empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace", "company": "Hooli"}), 201)
    org = ok(empty_api.get(f"{V}/organizations"))["data"][0]
    edit = ok(empty_api.patch(f"{V}/organizations/{org['id']}", json={"name": "Hooli XYZ"}))
    bob = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Bob Baker", "company": "Hooli XYZ"}), 201)
    done = ok(empty_api.post(f"{V}/contacts/bulk-updates/{edit['meta']['bulk_update_id']}/undo"))
    assert (done["data"]["restored"], done["meta"]["contacts_renamed"]) == (1, 1)
    now = ok(empty_api.get(f"{V}/contacts/{bob['data']['id']}"))["data"]
    assert (now["company"], now["organization_id"]) == ("Hooli", org["id"])


# ---------------------------------------------------------------- the logo an edit replaced


def _logo(org_id: str) -> bytes:
    from pcrm import paths

    return (Path(paths.avatars_dir()) / f"org_{org_id}.png").read_bytes()


def test_a_website_edit_undone_puts_back_the_logo_it_replaced(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    crm.cli("settings", "set", "logos.enabled", "true")
    logos_from(monkeypatch, A_PNG)
    org = crm.cli.json("orgs", "add", "Initech", "--website", "https://initech-a.example")["data"]
    assert _logo(org["id"]) == A_PNG
    logos_from(monkeypatch, B_PNG)
    said = crm.cli("orgs", "edit", "Initech", "--website", "https://initech-b.example").stdout
    assert _logo(org["id"]) == B_PNG
    from pcrm import paths

    (kept,) = Path(paths.avatars_dir()).glob(f"org_{org['id']}.*.png")  # the old one, aside, private
    assert kept.read_bytes() == A_PNG and kept.stat().st_mode & 0o077 == 0
    done = crm.cli("contacts", "bulk-undo", undo_id(said)).stdout
    assert "put back its logo" in done, done
    back = crm.cli.json("orgs", "show", "Initech")["data"]
    assert (back["website"], back["logo_url"]) == ("https://initech-a.example", org["logo_url"])
    assert _logo(org["id"]) == A_PNG
    # its kept copy gone: the undo says the logo is not back
    logos_from(monkeypatch, B_PNG)
    said = crm.cli("orgs", "edit", "Initech", "--domain", "initech-b.example", "--clear", "website").stdout
    for kept in Path(paths.avatars_dir()).glob(f"org_{org['id']}.*.png"):
        kept.unlink()
    done = crm.cli("contacts", "bulk-undo", undo_id(said)).stdout
    assert "its old logo is gone (`pcrm orgs logos Initech --force` fetches one again)" in done, done


def test_the_api_undo_of_a_domain_edit_puts_back_the_logo(
    cli: Any, empty_api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("settings", "set", "logos.enabled", "true")
    logos_from(monkeypatch, A_PNG)
    org = ok(empty_api.post(f"{V}/organizations", json={"name": "Initech", "domain": "initech.example"}), 201)
    oid = org["data"]["id"]
    logos_from(monkeypatch, B_PNG)
    edit = ok(empty_api.patch(f"{V}/organizations/{oid}", json={"domain": "initech-b.example"}))
    assert edit["meta"]["logo"]["fetched"] and _logo(oid) == B_PNG
    done = ok(empty_api.post(f"{V}/contacts/bulk-updates/{edit['meta']['bulk_update_id']}/undo"))
    assert done["meta"]["logo_restored"] is True and _logo(oid) == A_PNG


# ---------------------------------------------------------------- refusals that say the step to take


def test_an_edit_of_an_organization_merged_away_since_says_the_unmerge_that_brings_it_back(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--company", "Globex")
    crm.add("Bob Baker", "--company", "Initech")
    bid = undo_id(crm.cli("orgs", "edit", "Globex", "--industry", "Chemicals").stdout)
    merged = crm.cli.json("orgs", "merge", "Globex", "--into", "Initech")["meta"]["merge_ids"][0]
    err = crm.rejects("contacts", "bulk-undo", bid, code="conflict", says="was merged into Initech since")
    assert err["hint"] == f"bring it back first with `pcrm orgs unmerge {merged[:8]}`, then undo again"
    assert "bulk-updates" not in err["hint"]
    crm.cli("orgs", "unmerge", merged[:8])
    assert (
        crm.cli("contacts", "bulk-undo", bid).stdout == f"undid the edit of organization 'Globex' ({bid})\n"
    )


def test_an_edit_of_an_organization_removed_since_names_the_removal_to_undo(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--company", "Globex")
    bid = undo_id(crm.cli("orgs", "edit", "Globex", "--industry", "Chemicals").stdout)
    rm = undo_id(crm.cli("orgs", "rm", "Globex", "--yes").stdout)
    err = crm.rejects("contacts", "bulk-undo", bid, code="conflict", says="was deleted since")
    assert err["hint"] == f"undo its removal first (`pcrm contacts bulk-undo {rm}`), then this edit"


def test_a_rename_undo_whose_old_name_is_taken_says_to_rename_or_remove_the_other(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--company", "Hooli")
    bid = undo_id(crm.cli("orgs", "edit", "Hooli", "--name", "Hooli XYZ").stdout)
    other = crm.cli.json("orgs", "add", "Hooli")["data"]
    before = crm.dump()
    err = crm.rejects("contacts", "bulk-undo", bid, code="conflict", says="nothing changed")
    assert "already exists" not in err["message"] and "merge" not in err["hint"], err
    assert err["hint"] == (
        f"rename or remove the other organization 'Hooli' (`pcrm orgs edit {other['id'][:8]} --name ...` "
        f"or `pcrm orgs rm {other['id'][:8]}`), then undo again"
    )
    assert err["details"]["conflicting_organization"]["id"] == other["id"]
    assert crm.dump() == before
    crm.cli("orgs", "rm", other["id"][:8], "--yes")
    assert crm.show("Ada Lovelace")["company"] == "Hooli XYZ"
    crm.cli("contacts", "bulk-undo", bid)
    assert crm.show("Ada Lovelace")["company"] == "Hooli"


def test_the_api_refusals_of_an_org_undo_name_the_unmerge(empty_api: Any) -> None:
    a = ok(empty_api.post(f"{V}/organizations", json={"name": "Globex"}), 201)["data"]
    b = ok(empty_api.post(f"{V}/organizations", json={"name": "Initech"}), 201)["data"]
    edit = ok(empty_api.patch(f"{V}/organizations/{a['id']}", json={"industry": "Chemicals"}))
    ok(empty_api.post(f"{V}/organizations/merge", json={"source_ids": [a["id"]], "target_id": b["id"]}))
    r = empty_api.post(f"{V}/contacts/bulk-updates/{edit['meta']['bulk_update_id']}/undo")
    assert r.status_code == 409, r.text
    err = r.json()["error"]
    assert "pcrm orgs unmerge " in err["hint"] and err["details"]["merged_into"]["name"] == "Initech"


# ---------------------------------------------------------------- an added organization, unused since


def _logo_saved_later(monkeypatch: pytest.MonkeyPatch) -> None:
    """The logo saved a millisecond after the organization was made, as a real clock has it: its updated_at
    is then no longer its created_at."""
    from pcrm.services import logos

    save = logos._save

    def later(ctx: Any, org: Any, body: bytes) -> str:
        monkeypatch.setenv("PCRM_NOW", "2030-01-02T09:00:00.001Z")
        return save(ctx, org, body)

    monkeypatch.setattr(logos, "_save", later)


def test_an_org_added_with_its_logo_goes_with_the_undo_and_the_removal_before_it_undoes(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    crm.add("Ada Lovelace", "--company", "Globex")
    crm.add("Bob Baker", "--company", "Globex")
    was = crm.cli.json("orgs", "show", "Globex")["data"]
    rm = undo_id(crm.cli("orgs", "rm", "Globex", "--yes").stdout)
    crm.cli("settings", "set", "logos.enabled", "true")
    logos_from(monkeypatch, A_PNG)
    _logo_saved_later(monkeypatch)
    monkeypatch.setenv("PCRM_NOW", "2030-01-02T09:00:00.000Z")
    added = crm.cli("orgs", "add", "Globex", "--domain", "globex.example")
    assert "contacts assigned: 2" in added.stdout, added.stdout
    org = crm.cli.json("orgs", "show", "Globex")["data"]
    assert org["logo_url"] and org["updated_at"] != org["created_at"]  # the logo saved a moment later
    said = crm.cli("contacts", "bulk-undo", undo_id(added.stdout)).stdout
    assert said.startswith(
        f"undid the addition of organization 'Globex' ({undo_id(added.stdout)}): put back 2 contacts; "
        "took out the organization 'Globex' it added\n"
    ), said
    assert crm.sql("SELECT count(*) FROM organizations WHERE uuid = ?", (org["id"],)) == [(0,)]
    said = crm.cli("contacts", "bulk-undo", rm).stdout
    assert said.startswith(f"undid the removal of organization 'Globex' ({rm}): put back 2 contacts"), said
    assert crm.show("Ada Lovelace")["organization_id"] == was["id"]


def test_an_org_added_and_edited_since_stays_and_the_undo_says_so(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--company", "Globex")
    crm.cli("orgs", "rm", "Globex", "--yes")
    bid = undo_id(crm.cli("orgs", "add", "Globex").stdout)
    crm.cli("orgs", "edit", "Globex", "--industry", "Chemicals")  # the user's since
    said = crm.cli("contacts", "bulk-undo", bid).stdout
    assert "put back 1 contact; left the organization 'Globex' it added: used since" in said, said
    assert crm.cli.json("orgs", "show", "Globex")["data"]["industry"] == "Chemicals"
    assert crm.show("Ada Lovelace")["organization_id"] is None


def test_the_api_undo_of_an_org_added_with_logos_on_drops_it(
    cli: Any, empty_api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("settings", "set", "logos.enabled", "true")
    logos_from(monkeypatch, A_PNG)
    monkeypatch.setenv("PCRM_NOW", "2030-01-02T09:00:00.000Z")
    _logo_saved_later(monkeypatch)
    ok(empty_api.post(f"{V}/contacts", json={"full_name": "Cy Young", "emails": ["cy@new-co.example"]}), 201)
    body = ok(empty_api.post(f"{V}/organizations", json={"name": "New Co", "domain": "new-co.example"}), 201)
    assert body["meta"]["logo"]["fetched"] and body["meta"]["contacts_assigned"] == 1
    done = ok(empty_api.post(f"{V}/contacts/bulk-updates/{body['meta']['bulk_update_id']}/undo"))
    assert (done["data"]["kind"], done["data"]["change"]) == ("org-add", "addition of organization 'New Co'")
    assert (done["meta"]["organizations_dropped"], done["meta"]["organizations_left"]) == (["New Co"], [])
    r = empty_api.get(f"{V}/organizations/{body['data']['id']}")
    assert r.status_code == 404, r.text


# ---------------------------------------------------------------- an org undo named by its kind


def test_an_org_undo_is_named_by_its_kind_without_contacts_it_never_changed(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--company", "Globex")
    crm.add("Bob Baker", "--company", "Globex")
    crm.cli("orgs", "add", "Initech")
    edit = undo_id(crm.cli("orgs", "edit", "Initech", "--industry", "Widgets").stdout)
    dry = crm.cli("contacts", "bulk-undo", edit, "--dry-run").stdout
    assert dry == f"dry run, nothing changed: would undo the edit of organization 'Initech' ({edit})\n", dry
    said = crm.cli("contacts", "bulk-undo", edit).stdout
    assert said == f"undid the edit of organization 'Initech' ({edit})\n", said
    assert "0 contacts" not in said and "bulk update" not in said

    rm = undo_id(crm.cli("orgs", "rm", "Globex", "--yes").stdout)
    crm.cli("contacts", "edit", "Bob Baker", "--company", "Hooli")
    said = crm.cli("contacts", "bulk-undo", rm)
    assert said.stdout.startswith(
        f"undid the removal of organization 'Globex' ({rm}): put back 1 contact; "
        "1 contact edited since, left as it is\n"
    ), said.stdout
    assert "left Bob Baker alone: edited since the removal (it is linked to another" in said.stderr, (
        said.stderr
    )
    assert "bulk update" not in said.stderr


def test_the_undo_and_list_help_name_the_organization_addition(crm: Crm) -> None:
    undo = " ".join(crm.cli("contacts", "bulk-undo", "-h").stdout.split())
    listed = " ".join(crm.cli("contacts", "bulk-updates", "-h").stdout.split())
    assert "an organization's edit, removal or addition (`pcrm orgs edit|rm|add`)" in undo, undo
    assert "organization edits, removals and additions (`pcrm orgs edit|rm|add`)" in listed, listed


def test_the_api_undo_names_the_change_by_its_kind(empty_api: Any) -> None:
    ok(empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace", "company": "Globex"}), 201)
    org = ok(empty_api.get(f"{V}/organizations"))["data"][0]
    edit = ok(empty_api.patch(f"{V}/organizations/{org['id']}", json={"name": "Globex Inc"}))
    done = ok(empty_api.post(f"{V}/contacts/bulk-updates/{edit['meta']['bulk_update_id']}/undo"))
    assert (done["data"]["kind"], done["data"]["change"]) == (
        "org-edit",
        "rename of organization 'Globex' to 'Globex Inc'",
    )


def test_a_big_org_undo_asks_naming_the_change_and_a_removal_undo_blocked_by_its_name_says_what_to_do(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcrm.cli import _output

    for i in range(6):
        crm.add(f"Person {i}", "--company", "Globex")
    rm = undo_id(crm.cli("orgs", "rm", "Globex", "--yes").stdout)
    monkeypatch.setattr(_output, "at_terminal", lambda: True)
    asked = crm.cli("contacts", "bulk-undo", rm, input="n\n", ok=False)
    assert f"Undo the removal of organization 'Globex' {rm} (6 contacts)?" in asked.stderr, asked.stderr
    other = crm.cli.json("orgs", "add", "Globex")["data"]
    err = crm.rejects("contacts", "bulk-undo", rm, "--yes", code="conflict", says="made since")
    assert err["hint"] == (
        f"rename or remove the other organization 'Globex' (`pcrm orgs edit {other['id'][:8]} --name ...` "
        f"or `pcrm orgs rm {other['id'][:8]}`), then undo again"
    )


def test_an_update_journalled_before_the_fix_with_the_company_on_every_contact_is_undone_too(
    crm: Crm,
) -> None:
    _globex(crm)
    bid = undo_id(
        crm.cli("contacts", "bulk-update", "Ada Lovelace", "Bob Baker", "--priority", "high").stdout
    )
    # as the journal kept it then: each contact's company beside a change that never touched it
    crm.sql(
        "UPDATE bulk_updates SET contacts = (SELECT json_group_array(json_set(value, '$.company', 'Globex')) "
        "FROM json_each(bulk_updates.contacts)) WHERE uuid LIKE ?",
        (bid + "%",),
    )
    assert crm.sql('SELECT contacts LIKE \'%"company":"Globex"%\' FROM bulk_updates') == [(1,)]
    crm.cli("orgs", "edit", "Globex", "--name", "Globex Inc")
    said = crm.cli("contacts", "bulk-undo", bid)
    assert "put back 2 contacts" in said.stdout and "alone" not in said.stderr, said
    assert crm.show("Ada Lovelace")["priority_level"] != "high"
