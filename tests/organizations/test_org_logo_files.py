"""The logo files an organization's undo leaves behind [bulk-undo]: `pcrm orgs add NAME` with logos on (its
logo saved as `avatars/org_{id}.png`) then `pcrm contacts bulk-undo ID` deleted the organization and left its
logo file in the folder, and the copies an edit kept aside of the logo it replaced stayed there for good once
the edit was undone. The undo now removes the files nothing can show or put back any more: an organization it
deleted takes its files with it, and a kept copy goes with the last change not undone that names it. A dry
run of an add's undo says whether the organization would go."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.api import V, ok
from tests.support.crm import Crm
from tests.support.undo import A_PNG, B_PNG, C_PNG, logo_files, logos_from, undo_id


def _globex_added(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> tuple[str, dict[str, Any]]:
    """`pcrm orgs add Globex` with logos on, linking Ada (so it is journalled): its output and the org."""
    crm.add("Ada Lovelace", "--company", "Globex")
    crm.cli("orgs", "rm", "Globex", "--yes")
    crm.cli("settings", "set", "logos.enabled", "true")
    logos_from(monkeypatch, A_PNG)
    added = crm.cli("orgs", "add", "Globex", "--domain", "globex.example").stdout
    return added, crm.cli.json("orgs", "show", "Globex")["data"]


def test_an_added_org_undone_takes_its_logo_file_and_its_dry_run_says_it_would_go(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    added, org = _globex_added(crm, monkeypatch)
    assert logo_files(org["id"]) == {f"org_{org['id']}.png": A_PNG}
    bid = undo_id(added)
    dry = crm.cli("contacts", "bulk-undo", bid, "--dry-run").stdout
    assert dry.startswith(
        f"dry run, nothing changed: would undo the addition of organization 'Globex' ({bid}): put back "
        "1 contact; would take out the organization 'Globex' it added\n"
    ), dry
    assert crm.cli.json("orgs", "show", "Globex")["data"]["id"] == org["id"]
    said = crm.cli("contacts", "bulk-undo", bid).stdout
    assert "took out the organization 'Globex' it added" in said, said
    assert logo_files(org["id"]) == {}


def test_the_dry_run_of_an_add_used_since_says_the_org_would_stay(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--company", "Globex")
    crm.cli("orgs", "rm", "Globex", "--yes")
    bid = undo_id(crm.cli("orgs", "add", "Globex").stdout)
    crm.add("Bob Baker", "--company", "Globex")  # linked to it since
    dry = crm.cli("contacts", "bulk-undo", bid, "--dry-run").stdout
    assert "put back 1 contact; would leave the organization 'Globex' it added: used since" in dry, dry
    json_dry = crm.cli.json("contacts", "bulk-undo", bid, "--dry-run")["meta"]
    assert (json_dry["organizations_dropped"], json_dry["organizations_left"]) == ([], ["Globex"])


def test_the_api_undo_of_an_added_org_takes_its_logo_file(
    cli: Any, empty_api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("settings", "set", "logos.enabled", "true")
    logos_from(monkeypatch, A_PNG)
    ok(empty_api.post(f"{V}/contacts", json={"full_name": "Cy Young", "emails": ["cy@new-co.example"]}), 201)
    body = ok(empty_api.post(f"{V}/organizations", json={"name": "New Co", "domain": "new-co.example"}), 201)
    oid = body["data"]["id"]
    assert logo_files(oid)
    url = f"{V}/contacts/bulk-updates/{body['meta']['bulk_update_id']}/undo"
    dry = ok(empty_api.post(url, params={"dry_run": "true"}))
    assert (dry["meta"]["organizations_dropped"], dry["meta"]["organizations_left"]) == (["New Co"], [])
    assert logo_files(oid)
    ok(empty_api.post(url))
    assert logo_files(oid) == {}


def test_kept_logo_copies_go_once_no_edit_not_undone_names_them(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    crm.cli("settings", "set", "logos.enabled", "true")
    logos_from(monkeypatch, A_PNG)
    org = crm.cli.json("orgs", "add", "Initech", "--website", "https://a.example")["data"]
    edits = []
    for site, body in (("b", B_PNG), ("c", A_PNG), ("d", C_PNG)):  # A -> B -> A -> C
        logos_from(monkeypatch, body)
        edits.append(
            undo_id(crm.cli("orgs", "edit", "Initech", "--website", f"https://{site}.example").stdout)
        )
    assert sorted(logo_files(org["id"]).values()) == sorted(
        [C_PNG, A_PNG, B_PNG]
    )  # A kept once, for two edits
    crm.cli("contacts", "bulk-undo", edits[2])  # back to A: its copy is still the first edit's
    assert sorted(logo_files(org["id"]).values()) == sorted([A_PNG, A_PNG, B_PNG])
    crm.cli("contacts", "bulk-undo", edits[1])  # back to B: its copy goes, A's stays for the first edit
    assert sorted(logo_files(org["id"]).values()) == sorted([B_PNG, A_PNG])
    said = crm.cli("contacts", "bulk-undo", edits[0]).stdout
    assert "put back its logo" in said, said
    assert logo_files(org["id"]) == {f"org_{org['id']}.png": A_PNG}


def test_an_org_a_bulk_update_made_goes_with_the_logo_fetched_for_it_since(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    crm.add("Ada Lovelace", "--email", "ada@newco.example")
    bid = undo_id(crm.cli("contacts", "bulk-update", "Ada Lovelace", "--company", "New Co").stdout)
    crm.cli("settings", "set", "logos.enabled", "true")
    logos_from(monkeypatch, A_PNG)
    crm.cli("orgs", "logos")  # the backfill fetches the new organization's logo
    org = crm.cli.json("orgs", "show", "New Co")["data"]
    assert logo_files(org["id"])
    said = crm.cli("contacts", "bulk-undo", bid).stdout
    assert "took out the organization 'New Co' it made" in said, said
    assert logo_files(org["id"]) == {}


def test_a_removed_orgs_logo_stays_for_its_undo(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    crm.add("Ada Lovelace", "--company", "Globex")
    crm.cli("orgs", "rm", "Globex", "--yes")
    crm.cli("settings", "set", "logos.enabled", "true")
    logos_from(monkeypatch, A_PNG)
    added = undo_id(crm.cli("orgs", "add", "Globex", "--domain", "globex.example").stdout)
    org = crm.cli.json("orgs", "show", "Globex")["data"]
    logos_from(monkeypatch, B_PNG)
    edit = undo_id(crm.cli("orgs", "edit", "Globex", "--domain", "globex-b.example").stdout)
    crm.cli("contacts", "bulk-undo", edit)
    assert logo_files(org["id"]) == {f"org_{org['id']}.png": A_PNG}
    removal = undo_id(crm.cli("orgs", "rm", "Globex", "--yes").stdout)
    said = crm.cli("contacts", "bulk-undo", added)  # the organization is not there to take out
    assert "took out" not in said.stdout, said.stdout
    assert logo_files(org["id"]) == {f"org_{org['id']}.png": A_PNG}
    crm.cli("contacts", "bulk-undo", removal)
    assert crm.cli.json("orgs", "show", "Globex")["data"]["logo_url"] == org["logo_url"]
    assert logo_files(org["id"]) == {f"org_{org['id']}.png": A_PNG}


def test_db_check_finds_logo_files_an_older_undo_left_and_fix_removes_them(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcrm import paths

    crm.cli("settings", "set", "logos.enabled", "true")
    logos_from(monkeypatch, A_PNG)
    kept = crm.cli.json("orgs", "add", "Initech", "--domain", "initech.example")["data"]
    logos_from(monkeypatch, B_PNG)
    crm.cli("orgs", "edit", "Initech", "--domain", "initech-b.example")  # A kept aside for its undo
    removed = crm.cli.json("orgs", "add", "Hooli", "--domain", "hooli.example")["data"]
    crm.cli("orgs", "rm", "Hooli", "--yes")  # its logo stays for the removal's undo
    assert crm.cli.json("db", "check")["data"]["ok"]
    folder = Path(paths.avatars_dir())
    left = "org_0b1c2d3e-0000-4000-8000-000000000001"  # as an older pcrm's undo left them
    for name in (f"{left}.png", f"{left}.0123456789ab.png", "holiday.png"):  # holiday.png: not pcrm's
        paths.write_private(folder / name, A_PNG)
    said = " ".join(crm.cli("db", "check").stdout.split())  # harmless: no problem, said
    assert (
        "left behind: 2 organization logo files in the avatars folder that nothing points at any more "
        "(`pcrm db check --fix` removes them)"
    ) in said, said
    assert crm.cli.json("db", "check")["data"]["stray_logos"] == [f"{left}.0123456789ab.png", f"{left}.png"]
    fixed = crm.cli("db", "check", "--fix").stdout
    assert "removed 2 logo files nothing points at any more" in " ".join(fixed.split()), fixed
    assert not list(folder.glob(f"{left}*")) and (folder / "holiday.png").exists()
    assert len(logo_files(kept["id"])) == 2 and len(logo_files(removed["id"])) == 1
    assert crm.cli.json("db", "check")["data"]["ok"]


def test_a_logo_file_that_will_not_go_is_said_and_the_undo_holds(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The undo removes files after its transaction has committed: one the system would not let go (a
    folder not the user's, a file open on Windows) raised a traceback after the undo had happened, which
    then said "already undone" when tried again. It is said now, and `db check --fix` tries again."""
    added, org = _globex_added(crm, monkeypatch)
    real = Path.unlink

    def refuse(self: Path, missing_ok: bool = False) -> None:
        if self.name.startswith("org_"):
            raise PermissionError(13, "Permission denied", str(self))
        real(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", refuse)
    r = crm.cli("contacts", "bulk-undo", undo_id(added))
    assert r.exit_code == 0 and "took out the organization 'Globex' it added" in r.stdout
    assert f"note: could not remove 1 logo file it no longer needs (org_{org['id']}.png)" in r.stderr
    assert "pcrm db check --fix" in r.stderr and "Traceback" not in r.stderr
    assert crm.cli.json("orgs", "list", "--all")["data"] == []
    fixed = " ".join(crm.cli("db", "check", "--fix").stdout.split())
    assert "1 file would not go" in fixed, fixed
    monkeypatch.setattr(Path, "unlink", real)
    crm.cli("db", "check", "--fix")
    assert logo_files(org["id"]) == {}
