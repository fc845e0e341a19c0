"""[import-undo]: an organization an import created, that a contact outside the import uses by the undo (one
the user linked to it since, or an imported contact kept as theirs), stays: its name and what the user set
on it stay, and the domain the import gave it from an email of a contact it brought goes with that contact.
The undo left the organization with that domain, so the next contact with an address there was linked to
an organization no one had said was theirs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.store import people, query

GOOGLE = Path("/work/shared/testdata/google_csv/rolomind__google_new_layout_subset.csv")


def _orgs(db: Path) -> dict[str, tuple[Any, ...]]:
    return {r[0]: r[1:] for r in query(db, "SELECT name, domain, industry FROM organizations")}


def test_undo_takes_back_the_domain_of_an_organization_the_user_linked_a_contact_to(
    cli: Any, imp: Any, db: Path
) -> None:
    batch = imp(GOOGLE)["data"]["batch_id"]
    assert _orgs(db)["Startup Inc"] == ("startup.com", None)  # from Bob Wilson's bob@startup.com
    cli("contacts", "add", "--name", "Zed Hand", "--company", "Startup Inc")

    dry = cli.json("import", "undo", batch, "--dry-run")["data"]
    assert [(o["name"], o["contacts"], o["domain_removed"]) for o in dry["kept_organizations"]] == [
        ("Startup Inc", 1, "startup.com")
    ]
    assert _orgs(db)["Startup Inc"] == ("startup.com", None)
    out = cli("import", "undo", batch, "--yes")

    assert _orgs(db) == {"Startup Inc": (None, None)}
    assert "kept organization Startup Inc (1 contact outside the import links to it)" in out.output
    assert "took back the domain startup.com" in out.output
    assert set(people(db)) == {"Zed Hand"}
    zed = cli.json("orgs", "show", "Startup Inc")["data"]
    assert [m["full_name"] for m in zed["contacts"]] == ["Zed Hand"]
    # the organization is whole: the file imported again links Bob to it and gives it his domain back
    again = imp(GOOGLE)["data"]
    assert again["contacts_created"] == 4
    assert _orgs(db)["Startup Inc"] == ("startup.com", None)
    assert query(db, "SELECT count(*) FROM organizations WHERE name = 'Startup Inc'") == [(1,)]


def test_undo_keeps_the_domain_of_an_organization_edited_since_or_of_a_contact_kept(
    cli: Any, imp: Any, db: Path
) -> None:
    batch = imp(GOOGLE)["data"]["batch_id"]
    cli("contacts", "add", "--name", "Zed Hand", "--company", "Startup Inc")
    cli("orgs", "edit", "Startup Inc", "--industry", "Software")  # the user's work on it
    cli("contacts", "edit", "Alice Brown", "--notes", "met at the fair")  # kept, with her email.com address
    res = cli.json("import", "undo", batch, "--yes")["data"]

    assert _orgs(db) == {"Startup Inc": ("startup.com", "Software"), "AI Labs": ("email.com", None)}
    assert {o["name"]: o["domain_removed"] for o in res["kept_organizations"]} == {
        "Startup Inc": None,
        "AI Labs": None,
    }
    startup = query(db, "SELECT uuid FROM organizations WHERE name = 'Startup Inc'")[0][0]
    assert f"{startup[:8]}.domain" in res["kept_later_edits"]
    assert set(people(db)) == {"Zed Hand", "Alice Brown"}
