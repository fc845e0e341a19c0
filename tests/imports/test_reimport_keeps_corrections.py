"""Importing an unchanged file again must not undo a correction the user made [protected-fields]: an
organization renamed or merged by hand keeps its name on its contacts ([company-orgs], [job-changes]).
End to end through the CLI on the shared fixture files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.store import people, query


@pytest.fixture
def connections(corpus: Path) -> Path:
    return corpus / "linkedin" / "tekjobs__Connections.csv"


def _orgs(db: Path) -> list[str]:
    return [r[0] for r in query(db, "SELECT name FROM organizations ORDER BY name")]


def _companies(db: Path) -> dict[str, tuple[str | None, str | None]]:
    """full name -> (company, the name of its organization)."""
    rows = query(
        db,
        "SELECT c.full_name, c.company, o.name FROM contacts c "
        "LEFT JOIN organizations o ON o.id = c.organization_id",
    )
    return {r[0]: (r[1], r[2]) for r in rows}


def _unchanged(rep: dict[str, Any], total: int) -> None:
    got = (rep["contacts_created"], rep["contacts_updated"], rep["contacts_skipped"], rep["values_kept"])
    assert got == (0, 0, total, 0), rep
    assert rep["batch_id"] is None


def test_renamed_and_merged_organizations_survive_the_same_connections_again(cli, imp, connections, db):
    imp(connections)
    cli("orgs", "edit", "Fabrikam", "--name", "Fabrikam Design Studio")
    cli("orgs", "edit", "Contoso", "--name", "Contoso Ltd")  # the same company key as the old name
    cli("orgs", "merge", "Northwind Traders", "--into", "Northwind Traders, Inc.")
    before = _companies(db)
    assert before["Mina Park"] == ("Fabrikam Design Studio", "Fabrikam Design Studio")
    assert before["Rafa Ortiz"] == ("Northwind Traders, Inc.", "Northwind Traders, Inc.")
    _unchanged(imp(connections)["data"], 4)
    assert _companies(db) == before
    assert _orgs(db) == ["Contoso Ltd", "Fabrikam Design Studio", "Northwind Traders, Inc."]
    assert query(db, "SELECT count(*) FROM detected_events")[0][0] == 0
    assert query(db, "SELECT count(*) FROM contact_fields WHERE kind IN ('org', 'prop')")[0][0] == 0
    shown = cli("contacts", "show", "Mina Park").stdout
    assert "job change" not in shown and "Fabrikam Design Studio" in shown


def test_a_renamed_organization_still_sees_a_new_job_and_a_new_title(cli, imp, connections, tmp_path, db):
    imp(connections)
    cli("orgs", "edit", "Fabrikam", "--name", "Fabrikam Design Studio")
    cli("orgs", "edit", "Contoso", "--name", "Contoso Ltd")
    text = connections.read_text(encoding="utf-8")
    changed = tmp_path / "Connections.csv"
    changed.write_text(
        text.replace("Fabrikam,Design Engineer", "Fabrikam,Lead Design Engineer").replace(
            "Contoso,Staff Engineer", "Globex,Principal Engineer"
        ),
        encoding="utf-8",
    )
    rep = imp(changed)["data"]
    assert (rep["contacts_updated"], rep["contacts_created"]) == (2, 0)
    mina, sam = people(db)["Mina Park"], people(db)["Sam Lee"]
    assert (mina["company"], mina["title"]) == ("Fabrikam Design Studio", "Lead Design Engineer")
    assert (sam["company"], sam["title"]) == ("Globex", "Principal Engineer")
    summaries = sorted(r[0] for r in query(db, "SELECT summary FROM detected_events"))
    assert summaries == [
        "Now Lead Design Engineer at Fabrikam Design Studio (was Design Engineer at Fabrikam Design Studio)",
        "Now Principal Engineer at Globex (was Staff Engineer at Contoso Ltd)",
    ]
    assert "Fabrikam" not in _orgs(db)


def test_a_google_csv_again_keeps_nothing_aside_for_the_old_name(cli, imp, tmp_path, db):
    rows = tmp_path / "contacts.csv"
    rows.write_text(
        "First Name,Last Name,E-mail 1 - Value,Organization Name,Organization Title\n"
        "Ada,King,ada@x.test,Engines,Analyst\n"
    )
    imp(rows)
    cli("orgs", "edit", "Engines", "--name", "Analytical Engines")
    _unchanged(imp(rows)["data"], 1)
    assert _companies(db) == {"Ada King": ("Analytical Engines", "Analytical Engines")}
    assert _orgs(db) == ["Analytical Engines"]


def test_a_new_person_at_the_old_name_joins_the_renamed_organization(cli, imp, connections, tmp_path, db):
    imp(connections)
    cli("orgs", "edit", "Fabrikam", "--name", "Fabrikam Design Studio")
    other = tmp_path / "Connections.csv"
    other.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Lee,Chan,https://www.linkedin.com/in/lee-chan-example,,Fabrikam,Designer,01 Mar 2022\n"
    )
    imp(other)
    assert _companies(db)["Lee Chan"][1] == "Fabrikam Design Studio"
    assert "Fabrikam" not in _orgs(db)
    # once the rename is undone, the old name is the organization's own again
    undo = query(db, "SELECT uuid FROM bulk_updates WHERE kind = 'org-edit'")[0][0]
    cli("contacts", "bulk-undo", undo[:8], "--yes")
    assert "Fabrikam" in _orgs(db) and "Fabrikam Design Studio" not in _orgs(db)


def test_a_card_known_by_its_name_and_company_is_its_contact_after_the_rename(cli, imp, corpus, db):
    """A card with no email, phone or profile is its contact again only when the contact holds all it says
    [import-matching]: the organization's old name is the company held, not a second person."""
    card = corpus / "vcard" / "aosp__v40_sort_as.vcf"
    imp(card)
    cli("orgs", "edit", "グーグル", "--name", "Google Japan")
    _unchanged(imp(card)["data"], 1)
    assert _companies(db) == {"安藤 ロイド": ("Google Japan", "Google Japan")}
    assert _orgs(db) == ["Google Japan"]


def test_a_card_whose_company_the_user_typed_over_is_its_contact_again(cli, imp, corpus, db):
    """The same card after the user typed another company over its own: the contact it made, whose
    company is the user's; the card's is kept aside once [protected-fields], never a second person."""
    card = corpus / "vcard" / "aosp__v40_sort_as.vcf"
    imp(card)
    orgs_kept = "SELECT value FROM contact_fields WHERE kind = 'org' ORDER BY id"
    before = [r[0] for r in query(db, orgs_kept)]
    cli("contacts", "edit", "安藤 ロイド", "--company", "Google KK")
    rep = imp(card)["data"]
    assert (rep["contacts_created"], rep["contacts_updated"], rep["values_kept"]) == (0, 1, 1)
    _unchanged(imp(card)["data"], 1)
    assert [r[0] for r in query(db, "SELECT company FROM contacts")] == ["Google KK"]
    assert [r[0] for r in query(db, orgs_kept)] == [*before, "グーグル"]  # "other company"


def test_an_import_reads_the_names_organizations_gave_up_once(cli, imp, tmp_path, db, monkeypatch):
    """[company-orgs]: each new company of an import is looked up among the names organizations gave up;
    those are read once an import, not once a company (a 5,000-company file read them 5,000 times)."""
    first = tmp_path / "a.csv"
    first.write_text("full_name,company,title\nAnn Alpha,Fabrikam,Engineer\n")
    imp(first)
    cli("orgs", "edit", "Fabrikam", "--name", "Fabrikam Studio")
    reads: list[str] = []

    def trace(_cursor: Any, sql: str, _bindings: Any) -> bool:
        if "bulk_updates" in sql and "org-edit" in sql:
            reads.append(sql)
        return True

    def hook(conn: Any) -> None:
        conn.exec_trace = trace

    import apsw

    monkeypatch.setattr(apsw, "connection_hooks", [*apsw.connection_hooks, hook])
    many = tmp_path / "b.csv"
    many.write_text(
        "full_name,company,title\n"
        + "".join(f"Person {i} Test,Company {i} Ltd,Engineer\n" for i in range(40))
        + "Bo Beta,Fabrikam,Designer\n"
    )
    imp(many)
    assert _companies(db)["Bo Beta"] == ("Fabrikam", "Fabrikam Studio")
    assert len(reads) <= 2, len(reads)


def test_a_name_renamed_back_is_no_other_name_of_the_organization(cli, imp, tmp_path, db):
    """[company-orgs]: renaming an organization back to a name it had puts a slip right; the names it
    passed through are not its names, and a company named so is another employer."""
    first = tmp_path / "a.csv"
    first.write_text("full_name,company,title\nAnn Alpha,Fabrikam,Engineer\nEve Eps,Acme,CEO\n")
    imp(first)
    cli("orgs", "edit", "Acme", "--name", "Acme Corp")  # a real rename: Acme stays its other name
    cli("orgs", "edit", "Acme Corp", "--name", "Contoso")
    cli("orgs", "edit", "Fabrikam", "--name", "Contoso Ltd")
    cli("orgs", "edit", "Contoso Ltd", "--name", "Northwind")
    cli("orgs", "edit", "Northwind", "--name", "Fabrikam")  # a slip, put right
    cli("orgs", "edit", "Contoso", "--name", "Acme Corp")  # and this one back to its first new name
    later = tmp_path / "b.csv"
    later.write_text(
        "full_name,company,title\nAnn Alpha,Contoso Ltd,Engineer\nCid Gamma,Northwind,CEO\n"
        "Dee Delta,Acme,CTO\nFay Phi,Contoso,CTO\n"
    )
    rep = imp(later)["data"]
    # as in a store that never had the slip: Ann at Contoso Ltd is no record of Ann at Fabrikam (a name
    # alone at another company is a namesake [import-matching]), not "1 unchanged"
    assert (rep["contacts_created"], rep["contacts_skipped"]) == (4, 0), rep
    anns = query(
        db,
        "SELECT c.company, o.name FROM contacts c JOIN organizations o ON o.id = c.organization_id "
        "WHERE c.full_name = 'Ann Alpha' ORDER BY c.id",
    )
    assert anns == [("Fabrikam", "Fabrikam"), ("Contoso Ltd", "Contoso Ltd")]
    got = _companies(db)
    assert got["Cid Gamma"] == ("Northwind", "Northwind")
    assert got["Dee Delta"] == ("Acme", "Acme Corp")
    assert got["Fay Phi"] == ("Contoso", "Contoso")


def test_orgs_show_lists_the_names_a_company_still_names_the_organization_by(cli, imp, tmp_path):
    """[company-orgs]: the names an organization gave up, which an import's company still joins it by, are
    shown; a name it was renamed back from is none of them."""
    first = tmp_path / "a.csv"
    first.write_text("full_name,company,title\nAnn Alpha,Fabrikam,Engineer\nEve Eps,Acme,CEO\n")
    imp(first)
    cli("orgs", "edit", "Fabrikam", "--name", "Fabrikam Studio")
    cli("orgs", "edit", "Fabrikam Studio", "--name", "Contoso")
    cli("orgs", "edit", "Contoso", "--name", "Fabrikam Studio")  # a slip, put right
    cli("orgs", "merge", "Acme", "--into", "Fabrikam Studio")
    shown = cli.json("orgs", "show", "Fabrikam Studio")["data"]
    assert shown["former_names"] == ["Acme", "Fabrikam"]
    shown_text = cli("orgs", "show", "Fabrikam Studio").stdout
    assert [ln.split() for ln in shown_text.splitlines() if ln.startswith("former names")] == [
        ["former", "names", "Acme,", "Fabrikam"]
    ]
    assert cli.json("orgs", "show", "Fabrikam Studio")["data"]["name"] == "Fabrikam Studio"
