"""[import-undo] [hand-edits]: a value the user typed after an import stays when the import is undone, though
it is the value the import left. An undo reverts only what is still as the import left it, so an imported
email typed again in an edit (`contacts edit ada --email ada@work.test --email ada@home.test`) looked
untouched and went; so did a phone, a handle or a company typed again, through the CLI or the API. What the
user did not type still goes, and the undo names what it kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.store import people, query

CSV = (
    "full_name,email,phone,twitter,telegram,company,linkedin_url\n"
    "Ada Lovelace,ada@old.test;ada@work.test,+44 20 7946 0958,adatw,adatg,Analytical,ada-lovelace\n"
    "Bob Ray,bob@old.test;bob@work.test,+44 20 7946 0959,bobtw,bobtg,Bobco,bob-ray\n"
)
SHOWN = ("emails", "phones", "twitter_handle", "telegram_username", "company", "linkedin_url")
# a contact as it was before the import: what an undo leaves of what the user did not type
BEFORE = {
    "emails": ["bob@old.test"],
    "phones": [],
    "twitter_handle": None,
    "telegram_username": None,
    "company": None,
    "linkedin_url": None,
}


def _import(cli: Any, imp: Any, tmp_path: Path) -> str:
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@old.test")
    cli("contacts", "add", "--name", "Bob Ray", "--email", "bob@old.test")
    f = tmp_path / "people.csv"
    f.write_text(CSV, encoding="utf-8")
    return str(imp(f)["data"]["batch_id"])


def _shown(db: Path, name: str) -> dict[str, Any]:
    return {k: people(db)[name][k] for k in SHOWN}


def test_undo_keeps_the_imported_values_the_user_typed_again_in_an_edit(
    cli: Any, imp: Any, tmp_path: Path, db: Path
) -> None:
    batch = _import(cli, imp, tmp_path)
    cli(
        "contacts", "edit", "ada@old.test",
        "--email", "ada@work.test", "--email", "ada@home.test",
        "--phone", "+44 20 7946 0958", "--twitter", "adatw", "--telegram", "adatg", "--company", "Analytical",
    )  # fmt: skip

    dry = cli.json("import", "undo", batch, "--dry-run")["data"]
    human = cli("import", "undo", batch, "--yes")

    ada = people(db)["Ada Lovelace"]
    assert _shown(db, "Ada Lovelace") == {
        "emails": ["ada@work.test", "ada@home.test"],  # what the user typed
        "phones": ["+44 20 7946 0958"],
        "twitter_handle": "adatw",
        "telegram_username": "adatg",
        "company": "Analytical",
        "linkedin_url": None,  # not typed: the import's value goes
    }
    p = ada["id"][:8]
    assert dry["kept_later_edits"] == [
        f"{p}.company",
        f"{p}.organization_id",  # the organization goes with the company [company-orgs]
        f"{p}.emails",
        f"{p}.phones",
        f"{p}.telegram_username",
        f"{p}.twitter_handle",
    ]
    assert "kept 6 values changed after the import" in human.stderr
    assert ada["organization_id"] is not None
    assert query(db, "SELECT name FROM organizations") == [("Analytical",)]  # Bobco was the import's alone
    assert _shown(db, "Bob Ray") == BEFORE  # untouched by hand: everything the import brought goes


def test_an_added_entry_types_only_itself(cli: Any, imp: Any, tmp_path: Path, db: Path) -> None:
    """--add-email sends the whole list to the service; the addresses already there were not typed, unless
    the user names one of them."""
    batch = _import(cli, imp, tmp_path)
    cli("contacts", "edit", "ada@old.test", "--add-email", "ada@home.test", "--add-phone", "+1 202 555 0188")
    cli("contacts", "edit", "bob@old.test", "--add-email", "bob@work.test")  # already there: typed again

    res = cli.json("import", "undo", batch, "--yes")["data"]

    assert people(db)["Ada Lovelace"]["emails"] == ["ada@old.test", "ada@home.test"]
    assert people(db)["Ada Lovelace"]["phones"] == ["+1 202 555 0188"]
    bob = people(db)["Bob Ray"]
    assert bob["emails"] == ["bob@old.test", "bob@work.test"]
    assert res["kept_later_edits"] == [f"{bob['id'][:8]}.emails"]


def test_a_value_typed_and_removed_again_is_not_brought_back(
    cli: Any, imp: Any, tmp_path: Path, db: Path
) -> None:
    batch = _import(cli, imp, tmp_path)
    cli("contacts", "edit", "bob@old.test", "--email", "bob@old.test", "--email", "bob@work.test")
    cli("contacts", "edit", "bob@old.test", "--rm-email", "bob@work.test")
    cli("import", "undo", batch, "--yes")
    assert _shown(db, "Bob Ray") == BEFORE


@pytest.mark.anyio
async def test_api_edits_keep_what_they_typed(empty_twin: Any, imp: Any, tmp_path: Path, db: Path) -> None:
    """PUT /contacts/{id} (whole lists) and POST /contacts/bulk-update (a company, a protected field) after
    the import; the undo (CLI only) keeps what they typed and takes back the rest."""
    t = empty_twin
    batch = _import(t.cli, imp, tmp_path)
    ada, bob = people(db)["Ada Lovelace"]["id"], people(db)["Bob Ray"]["id"]
    r = await t.request(
        "PUT",
        f"/api/v1/contacts/{ada}",
        json={
            "emails": ["ada@old.test", "ada@work.test"],
            "phones": ["+442079460958"],
            "twitter_handle": "@AdaTW",
            "linkedin_url": "https://www.linkedin.com/in/ada-lovelace",
        },
    )
    assert r.status_code == 200, r.text
    r = await t.request(
        "POST", "/api/v1/contacts/bulk-update", json={"contact_ids": [bob], "company": "Bobco"}
    )
    assert r.status_code == 200, r.text

    res = t.cli.json("import", "undo", batch, "--yes")["data"]

    assert _shown(db, "Ada Lovelace") == {
        "emails": ["ada@old.test", "ada@work.test"],
        "phones": ["+442079460958"],  # as typed: the number the import had brought
        "twitter_handle": "adatw",
        "telegram_username": None,
        "company": None,
        "linkedin_url": "https://www.linkedin.com/in/ada-lovelace",
    }
    assert _shown(db, "Bob Ray") == dict(BEFORE, emails=["bob@old.test"], company="Bobco")
    a, b = ada[:8], bob[:8]
    assert res["kept_later_edits"] == [
        f"{a}.linkedin_url",
        f"{a}.emails",
        f"{a}.linkedin_profile_id",
        f"{a}.phones",
        f"{a}.twitter_handle",
        f"{b}.company",
        f"{b}.organization_id",
    ]
    assert query(db, "SELECT name FROM organizations") == [("Bobco",)]


def test_a_bulk_update_types_its_company_on_every_contact(
    cli: Any, imp: Any, tmp_path: Path, db: Path
) -> None:
    """The edit journal records the company a bulk update typed on each contact it reaches (the record the
    undo reads beside user_edited_fields, which names the company too); the import's journal stays as the
    import wrote it."""
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@old.test")
    cli("contacts", "add", "--name", "Bob Ray", "--email", "bob@old.test")
    f = tmp_path / "people.csv"
    f.write_text(
        "full_name,email,company\nAda Lovelace,ada@old.test,Analytical\nBob Ray,bob@old.test,Analytical\n",
        encoding="utf-8",
    )
    batch = str(imp(f)["data"]["batch_id"])
    journal = query(db, "SELECT changes FROM import_batches")
    cli("contacts", "bulk-update", "ada@old.test", "bob@old.test", "--company", "Analytical")

    assert query(db, "SELECT changes FROM import_batches") == journal
    typed = query(db, "SELECT contact_uuid, typed FROM edit_journal ORDER BY contact_uuid")
    assert [(u, json.loads(t)) for u, t in typed] == [
        (u, {"fields": ["company"]}) for u in sorted(json.loads(journal[0][0])["contacts"])
    ]
    cli("import", "undo", batch, "--yes")
    assert {n: (c["company"], bool(c["organization_id"])) for n, c in people(db).items()} == {
        "Ada Lovelace": ("Analytical", True),
        "Bob Ray": ("Analytical", True),
    }


def test_an_entry_added_in_the_editor_form_types_only_itself(
    cli: Any, imp: Any, tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The $EDITOR form shows the whole list: an address added there is typed, the ones the import brought
    and the form showed are not, and go with the undo as they do after --add-email."""
    import stat
    import sys

    batch = _import(cli, imp, tmp_path)
    editor = tmp_path / "editor.py"
    editor.write_text(
        f"#!{sys.executable}\nimport sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
        "w = '  - ada@work.test\\n'\n"
        "p.write_text(p.read_text().replace(w, w + '  - ada@home.test\\n'))\n"
    )
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    cli("contacts", "edit", "ada@old.test")
    assert people(db)["Ada Lovelace"]["emails"] == ["ada@old.test", "ada@work.test", "ada@home.test"]

    res = cli.json("import", "undo", batch, "--yes")["data"]

    assert people(db)["Ada Lovelace"]["emails"] == ["ada@old.test", "ada@home.test"]
    assert res["kept_later_edits"] == []
