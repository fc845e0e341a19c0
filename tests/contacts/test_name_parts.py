"""A full name's parts [name-parts]: a contact created or renamed by its full name alone gets the given and
family names it holds, drafts greet that given name (worked out when drafting, for contacts stored without
one too), and a vCard's N carries the parts. `pcrm contacts add --name "Dr. Jane Smith"` was greeted
"Happy birthday, Dr.!", "O'Brien, Clara" as "O'Brien,!", "🦄 Dan" as "🦄!", and exported with `N:;;;;`, so
phones (which show N) listed no name."""

from __future__ import annotations

from typing import Any

import pytest

from pcrm.domain.name_parts import NameParts, first_name, split_name

BDAY = "06-16"  # the day after the crm fixture's NOW (2026-06-15)


def _drafts(cli: Any) -> dict[str, str]:
    made = cli.json("suggestions", "generate")["data"]
    return {s["contact"]["full_name"]: s["suggested_message"] for s in made}


def _n_lines(cli: Any, *args: str) -> list[str]:
    text = cli("export", "vcard", *args).stdout
    return [line for line in text.splitlines() if line.startswith(("N:", "N;", "FN:"))]


def test_drafts_greet_the_given_name_a_full_name_holds(crm: Any, cli: Any) -> None:
    crm.add("Dr. Jane Smith", "--email", "j@x.com", "--birthday", BDAY)
    crm.add("O'Brien, Clara", "--email", "c@x.com", "--birthday", BDAY)
    crm.add("🦄 Dan", "--email", "d@x.com", "--birthday", BDAY)
    drafts = _drafts(cli)
    assert drafts["Dr. Jane Smith"].startswith("Happy birthday, Jane! ")
    assert drafts["O'Brien, Clara"].startswith("Happy birthday, Clara! ")
    assert drafts["🦄 Dan"].startswith("Happy birthday, Dan! ")


def test_a_contact_added_by_full_name_gets_its_given_and_family_names(crm: Any, cli: Any) -> None:
    jane = crm.add("Dr. Jane Smith", "--email", "j@x.com")
    assert (jane["full_name"], jane["given_name"], jane["family_name"]) == ("Dr. Jane Smith", "Jane", "Smith")
    clara = crm.add("O'Brien, Clara", "--email", "c@x.com")
    # the name stays as the user typed it; its parts are read family first
    assert (clara["full_name"], clara["given_name"], clara["family_name"]) == (
        "O'Brien, Clara",
        "Clara",
        "O'Brien",
    )
    dan = crm.add("🦄 Dan", "--email", "d@x.com")
    assert (dan["given_name"], dan["family_name"]) == ("Dan", None)
    yamada = crm.add("山田太郎", "--email", "y@x.com")  # no space: where the family name ends is not written
    assert (yamada["given_name"], yamada["family_name"]) == (None, None)
    # the parts are no hand edits of the user's: only the name typed is protected [protected-fields]
    assert jane["user_edited_fields"] in (None, [])
    # Jane is now found by her first name, as contact references read it [contact-references]
    assert crm.show("Jane")["id"] == jane["id"]


def test_the_vcard_n_holds_the_parts(crm: Any, cli: Any) -> None:
    crm.add("Dr. Jane Smith", "--email", "j@x.com")
    crm.add("O'Brien, Clara", "--email", "c@x.com")
    crm.add("Tom Hardy Jr.", "--email", "t@x.com")
    assert _n_lines(cli, "--search", "Jane") == ["N:Smith;Jane;;Dr.;", "FN:Dr. Jane Smith"]
    assert _n_lines(cli, "--search", "Clara") == ["N:O'Brien;Clara;;;", "FN:O'Brien\\, Clara"]
    assert _n_lines(cli, "--search", "Hardy") == ["N:Hardy;Tom;;;Jr.", "FN:Tom Hardy Jr."]


def test_contacts_stored_without_given_names_are_greeted_and_exported_by_their_parts(
    crm: Any, cli: Any
) -> None:
    """A store from before, or an import that gave a name alone: derived when used, nothing migrated."""
    jane = crm.add("Dr. Jane Smith", "--email", "j@x.com", "--birthday", BDAY)
    crm.sql("UPDATE contacts SET given_name = NULL, family_name = NULL")
    assert crm.show(jane["id"])["given_name"] is None
    assert _drafts(cli)["Dr. Jane Smith"].startswith("Happy birthday, Jane! ")
    # N says its parts were read off FN, so the card imports back as the contact it was
    assert _n_lines(cli) == ["N;X-PCRM-FROM=FN:Smith;Jane;;Dr.;", "FN:Dr. Jane Smith"]
    card = crm.home / "out.vcf"
    cli("export", "vcard", "--output", str(card))
    report = cli.json("import", str(card))["data"]
    assert (report["contacts_skipped"], report["contacts_updated"]) == (1, 0), report
    assert crm.show(jane["id"])["given_name"] is None


def test_names_the_user_gave_are_kept(crm: Any, cli: Any) -> None:
    janey = crm.add("Dr. Jane Smith", "--given-name", "Janey", "--email", "j@x.com", "--birthday", BDAY)
    assert (janey["given_name"], janey["family_name"]) == ("Janey", None)
    assert _drafts(cli)["Dr. Jane Smith"].startswith("Happy birthday, Janey! ")
    # N as given: the full name's prefix is not put beside parts it did not give
    assert _n_lines(cli) == ["N:;Janey;;;", "FN:Dr. Jane Smith"]
    # a rename leaves parts the user set alone
    cli("contacts", "edit", janey["id"], "--name", "Jane Doe")
    after = crm.show(janey["id"])
    assert (after["full_name"], after["given_name"], after["family_name"]) == ("Jane Doe", "Janey", None)


def test_a_rename_moves_the_parts_the_old_name_gave(crm: Any, cli: Any) -> None:
    ada = crm.add("Ada Byron", "--email", "ada@x.com")
    cli("contacts", "edit", ada["id"], "--name", "Ada Lovelace")
    after = crm.show(ada["id"])
    assert (after["given_name"], after["family_name"]) == ("Ada", "Lovelace")
    assert "given_name" not in (after["user_edited_fields"] or [])
    # a rename that also gives a part: what it gives is what is stored, and the other part follows the new
    # name (Lovelace, no word of "Augusta Ada King", stayed beside it)
    cli("contacts", "edit", ada["id"], "--name", "Augusta Ada King", "--given-name", "Ada")
    after = crm.show(ada["id"])
    assert (after["full_name"], after["given_name"], after["family_name"]) == (
        "Augusta Ada King",
        "Ada",
        "King",
    )
    # parts set otherwise stay when the name is cleared; parts read off the name go with it
    cli("contacts", "edit", ada["id"], "--clear", "name")
    after = crm.show(ada["id"])
    assert (after["full_name"], after["given_name"], after["family_name"]) == (None, "Ada", None)
    cli("contacts", "edit", ada["id"], "--family-name", "Lovelace")
    cli("contacts", "edit", ada["id"], "--name", "Ada Lovelace")
    cli("contacts", "edit", ada["id"], "--clear", "name")
    after = crm.show(ada["id"])
    assert (after["full_name"], after["given_name"], after["family_name"]) == (None, "Ada", "Lovelace")
    grace = crm.add("Grace Hopper", "--email", "grace@x.com")
    cli("contacts", "edit", grace["id"], "--clear", "name")
    after = crm.show(grace["id"])
    assert (after["full_name"], after["given_name"], after["family_name"]) == (None, None, None)


@pytest.mark.anyio
async def test_the_api_fills_the_parts_of_a_contact_created_or_renamed_by_full_name(
    client: Any, script: dict[str, str]
) -> None:
    r = await client.post(
        "/api/v1/contacts", json={"full_name": "Prof. Grace Hopper", "emails": ["g@x.com"]}, headers=script
    )
    assert r.status_code == 201, r.text
    made = r.json()["data"]
    assert (made["given_name"], made["family_name"]) == ("Grace", "Hopper")
    r = await client.put(f"/api/v1/contacts/{made['id']}", json={"full_name": "Grace Murray"}, headers=script)
    assert r.status_code == 200, r.text
    assert (r.json()["data"]["given_name"], r.json()["data"]["family_name"]) == ("Grace", "Murray")
    r = await client.post(
        "/api/v1/contacts",
        json={"full_name": "Dr. Jane Smith", "given_name": "Jenny", "emails": ["j@x.com"]},
        headers=script,
    )
    assert (r.json()["data"]["given_name"], r.json()["data"]["family_name"]) == ("Jenny", None)


@pytest.mark.parametrize(
    ("full", "parts"),
    [
        ("Dr. Jane Smith", NameParts(("Dr.",), "Jane", (), "Smith")),
        ("O'Brien, Clara", NameParts((), "Clara", (), "O'Brien")),
        ("García, José", NameParts((), "José", (), "García")),
        ("García Márquez, Gabriel", NameParts((), "Gabriel", (), "García Márquez")),
        ("🦄 Dan", NameParts((), "Dan")),
        ("Dan 🦄 Brown", NameParts((), "Dan", (), "Brown")),
        ("Madonna", NameParts((), "Madonna")),
        ("Mr Kim", NameParts(("Mr",), "", (), "Kim")),
        ("Sir Elton John", NameParts(("Sir",), "Elton", (), "John")),
        ("Prof. Dr. Hans Müller", NameParts(("Prof.", "Dr."), "Hans", (), "Müller")),
        ("Tom Hardy Jr.", NameParts((), "Tom", (), "Hardy", ("Jr.",))),
        ("Tom Hardy Junior", NameParts((), "Tom", (), "Hardy", ("Junior",))),
        ("Junior Silva", NameParts((), "Junior", (), "Silva")),
        ("Jane Doe, MBA", NameParts((), "Jane", (), "Doe", ("MBA",))),
        ("Smith, Jane, PhD", NameParts((), "Jane", (), "Smith", ("PhD",))),
        ("Kim, Tom Jr.", NameParts((), "Tom", (), "Kim", ("Jr.",))),
        ("Mary Kate Olsen III", NameParts((), "Mary", ("Kate",), "Olsen", ("III",))),
        ("Ludwig van Beethoven", NameParts((), "Ludwig", (), "van Beethoven")),
        ("Maria de la Cruz", NameParts((), "Maria", (), "de la Cruz")),
        ("Jack Ma", NameParts((), "Jack", (), "Ma")),
        ("Robert (Bob) Smith", NameParts((), "Robert", (), "Smith")),
        ("Jane Doe | Acme", NameParts((), "Jane", (), "Doe")),
        ("山田 太郎", NameParts((), "太郎", (), "山田")),
        ("山田太郎", NameParts()),
        ("김민준", NameParts()),
        ("Acme Ltd", NameParts()),
        ("ada@example.com", NameParts()),
        ("+44 20 7946 0958", NameParts()),
        ("", NameParts()),
    ],
)
def test_split_name(full: str, parts: NameParts) -> None:
    assert split_name(full) == parts


def test_first_name() -> None:
    assert first_name(None, "Dr. Jane Smith") == "Jane"
    assert first_name("  ", "Mr Kim") == "Mr Kim"
    assert first_name("🦄", "🦄 Dan") == "Dan"  # a given name of no letters is none
    assert first_name("Mary Ann", "Mary Ann Smith") == "Mary Ann"  # a given name given stays whole
    assert first_name(None, "山田太郎") == "山田太郎"
    assert first_name(None, "🦄") is None
    assert first_name(None, None) is None
