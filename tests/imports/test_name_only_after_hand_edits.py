"""A record with no email, phone or profile joins the contact of its name after the user typed over one of
the contact's fields only when the record's value is the one the contact had before the edit (the row that
made or filled it, imported again) [import-matching]; a namesake saying other things is someone else: a new
contact, never joined. End to end through the CLI."""

from __future__ import annotations

from pathlib import Path


def _csv(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / name
    f.write_text(text)
    return f


def test_a_namesake_saying_other_things_is_not_the_hand_edited_contact(cli, imp, tmp_path):
    cli("contacts", "add", "--name", "John Smith")
    cli(
        "contacts", "edit", "John Smith", "--company", "Acme", "--title", "CEO",
        "--location", "Berlin", "--birthday", "1970-05-05",
    )  # fmt: skip
    f = _csv(
        tmp_path,
        "ns.csv",
        "full_name,company,title,location,birthday\nJohn Smith,Globex,Intern,Sydney,1999-09-09\n",
    )
    rep = imp(f)["data"]
    assert (rep["contacts_created"], rep["contacts_updated"], rep["values_kept"]) == (1, 0, 0), rep
    john = [c for c in cli.json("contacts", "list", "--all")["data"] if c["company"] == "Acme"]
    assert [(c["title"], c["location"]) for c in john] == [("CEO", "Berlin")]


def test_a_namesake_at_another_company_is_not_the_contact_whose_company_was_typed(cli, imp, tmp_path):
    imp(_csv(tmp_path, "a.csv", "full_name,company\nAnn Alpha,Fabrikam\n"))
    cli("contacts", "edit", "Ann Alpha", "--company", "Acme")
    rep = imp(_csv(tmp_path, "b.csv", "full_name,company\nAnn Alpha,Globex\n"))["data"]
    assert (rep["contacts_created"], rep["contacts_updated"]) == (1, 0), rep


def test_the_row_that_made_the_contact_is_it_again_after_its_company_was_typed_over(cli, imp, tmp_path):
    row = _csv(tmp_path, "a.csv", "full_name,company\nAnn Alpha,Fabrikam\n")
    imp(row)
    cli("contacts", "edit", "Ann Alpha", "--company", "Acme")
    rep = imp(row)["data"]
    assert rep["contacts_created"] == 0, rep
    assert len(cli.json("contacts", "list", "--all")["data"]) == 1
    assert imp(row)["data"]["contacts_created"] == 0
