"""A job change is one fact [job-changes]: a LinkedIn re-import that shows someone at another company moves
company and title together, a title typed by hand included (it stays in the `job_change` event), a company
typed by hand keeps the position whole, and nothing LinkedIn says is dropped. End to end through the CLI,
on the shared tekjobs Connections.csv and copies of it with Sam Lee's row changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.imports import NOW
from tests.support.store import people, query

SAM = "Sam Lee"
ROW = "Contoso,Staff Engineer"


@pytest.fixture
def connections(corpus: Path) -> Path:
    return corpus / "linkedin" / "tekjobs__Connections.csv"


@pytest.fixture
def moved(connections: Path, tmp_path: Path) -> Any:
    """moved(company_and_title) -> a copy of the file with Sam Lee's `Contoso,Staff Engineer` replaced."""

    def make(cells: str) -> Path:
        text = connections.read_text(encoding="utf-8")
        assert text.count(ROW) == 1
        out = tmp_path / "copy" / "Connections.csv"
        out.parent.mkdir(exist_ok=True)
        out.write_text(text.replace(ROW, cells), encoding="utf-8")
        return out

    return make


def _kept(db: Path, name: str) -> list[tuple[str, str]]:
    return query(
        db,
        "SELECT f.kind, f.value FROM contact_fields f JOIN contacts c ON c.id = f.contact_id "
        "WHERE c.full_name = ? AND f.kind IN ('org', 'prop') ORDER BY f.kind, f.value",
        (name,),
    )


def test_a_new_employer_moves_the_hand_typed_title_into_the_job_change(cli, imp, connections, moved, db):
    imp(connections)
    cli("contacts", "edit", SAM, "--title", "Distinguished Engineer")
    rep = imp(moved("Fabrikam,Principal Engineer"))["data"]
    assert rep["contacts_updated"] == 1
    sam = people(db)[SAM]
    # LinkedIn's new job whole, never "Distinguished Engineer at Fabrikam"
    assert (sam["company"], sam["title"]) == ("Fabrikam", "Principal Engineer")
    assert sam["user_edited_fields"] == []  # the title typed was the old job's: LinkedIn's now
    assert _kept(db, SAM) == []  # nothing set aside: the position moved
    events = cli.json("contacts", "activity", SAM)["data"]["events"]
    assert [(e["event_type"], e["summary"]) for e in events] == [
        ("job_change", "Now Principal Engineer at Fabrikam (was Distinguished Engineer at Contoso)")
    ]
    assert events[0]["details"] == {
        "old_company": "Contoso",
        "new_company": "Fabrikam",
        "old_title": "Distinguished Engineer",
        "new_title": "Principal Engineer",
        "old_typed": ["title"],
        "source": "linkedin",
    }
    # the same file again: nothing moved, no second event
    again = imp(moved("Fabrikam,Principal Engineer"))["data"]
    assert again["contacts_updated"] == 0 and again["batch_id"] is None
    assert len(cli.json("contacts", "activity", SAM)["data"]["events"]) == 1
    # the undo brings back the typed title, its mark, and takes the event
    cli("import", "undo", rep["batch_id"], "--yes")
    sam = people(db)[SAM]
    assert (sam["company"], sam["title"], sam["user_edited_fields"]) == (
        "Contoso",
        "Distinguished Engineer",
        ["title"],
    )
    assert cli.json("contacts", "activity", SAM)["data"]["events"] == []


def test_a_hand_typed_title_at_the_same_employer_stays_and_linkedins_is_kept(
    cli, imp, connections, moved, db
):
    imp(connections)
    cli("contacts", "edit", SAM, "--title", "Distinguished Engineer")
    rep = imp(moved("Contoso,Principal Engineer"))["data"]
    sam = people(db)[SAM]
    assert (sam["company"], sam["title"]) == ("Contoso", "Distinguished Engineer")  # the user's word
    assert _kept(db, SAM) == [("prop", "TITLE:Principal Engineer")]
    assert rep["values_kept"] == 1 and rep["contacts_updated"] == 1
    # the position shown did not change: no job change, now or on every later re-import
    assert cli.json("contacts", "activity", SAM)["data"]["events"] == []
    again = imp(moved("Contoso,Principal Engineer"))["data"]
    assert (again["contacts_updated"], again["values_kept"], again["batch_id"]) == (0, 0, None)
    assert query(db, "SELECT count(*) FROM detected_events")[0][0] == 0


def test_a_hand_typed_company_keeps_the_position_whole_and_linkedins_is_kept(
    cli, imp, connections, moved, db
):
    imp(connections)
    cli("contacts", "edit", SAM, "--company", "Contoso Research")
    rep = imp(moved("Fabrikam,Principal Engineer"))["data"]
    sam = people(db)[SAM]
    # not "Principal Engineer at Contoso Research": LinkedIn's title goes with LinkedIn's company
    assert (sam["company"], sam["title"]) == ("Contoso Research", "Staff Engineer")
    assert _kept(db, SAM) == [("org", "Fabrikam"), ("prop", "TITLE:Principal Engineer")]
    assert rep["values_kept"] == 2
    assert query(db, "SELECT count(*) FROM detected_events")[0][0] == 0
    shown = cli("contacts", "show", SAM).stdout
    rows = {" ".join(line.split()) for line in shown.splitlines()}  # the label column fits the longest label
    assert "other company Fabrikam" in rows and "other title Principal Engineer" in rows, shown


def test_a_new_employer_without_a_position_takes_no_title_from_the_old_job(cli, imp, connections, moved, db):
    imp(connections)
    imp(moved("Fabrikam,"))
    sam = people(db)[SAM]
    assert (sam["company"], sam["title"]) == ("Fabrikam", None)  # not "Staff Engineer at Fabrikam"
    events = cli.json("contacts", "activity", SAM)["data"]["events"]
    assert [e["summary"] for e in events] == ["Now at Fabrikam (was Staff Engineer at Contoso)"]


def test_the_same_employer_spelled_otherwise_is_no_job_change(cli, imp, connections, moved, db):
    imp(connections)
    imp(moved("Contoso Ltd,Staff Engineer"))
    assert people(db)[SAM]["company"] == "Contoso Ltd"  # LinkedIn's spelling, as it owns the company
    assert query(db, "SELECT count(*) FROM detected_events")[0][0] == 0


def test_contacts_show_and_activity_list_the_job_change(cli, imp, connections, moved):
    imp(connections)
    imp(moved("Fabrikam,Principal Engineer"))
    said = "Now Principal Engineer at Fabrikam (was Staff Engineer at Contoso)"
    lines = cli("contacts", "show", SAM, "--now", NOW).stdout.splitlines()
    at = lines.index("events")
    assert f"today job change {said}" in " ".join(" ".join(line.split()) for line in lines[at + 1 : at + 4])
    assert "events" in cli("contacts", "activity", SAM).stdout.splitlines()
    events = cli.json("contacts", "activity", SAM)["data"]["events"]
    assert [(e["event_type"], e["summary"], e["source_url"]) for e in events] == [
        ("job_change", said, "https://www.linkedin.com/in/sam-lee-example")
    ]
    # a contact without events shows no such section
    assert "events" not in cli("contacts", "show", "Mina Park").stdout.splitlines()


# the sources that only fill (a vCard, a CSV, Google's layout): they never move a position, and never
# write a title beside a company that is not theirs


@pytest.mark.parametrize(
    ("sample", "name", "email", "company", "title"),
    [
        (
            "google_csv/rolomind__google_new_layout_subset.csv",
            "John Doe",
            "john@example.com",
            "Acme Corp",
            "CEO",
        ),
        (
            "vcard/nametag__google-vcard-example.vcf",
            "Emmetiano Lucas Brown",
            "doc@bttf.com",
            "BTTF Industries",
            "CEO",
        ),
    ],
)
def test_a_file_naming_another_employer_fills_no_title_beside_the_held_company(
    cli, imp, corpus, db, sample, name, email, company, title
):
    cli("contacts", "add", "--name", name, "--email", email, "--company", "Globex")
    rep = imp(corpus / sample)["data"]
    held = people(db)[name]
    # not "CEO at Globex": the file's title is its company's, kept aside with it
    assert (held["company"], held["title"]) == ("Globex", None)
    assert _kept(db, name) == [("org", company), ("prop", f"TITLE:{title}")]
    assert rep["values_kept"] == 2, rep
    again = imp(corpus / sample)["data"]
    assert again["values_kept"] == 0 and again["batch_id"] is None  # kept once


def test_a_csv_naming_the_held_employer_fills_the_title(cli, imp, tmp_path, db):
    cli(
        "contacts",
        "add",
        "--name",
        "Ada Lovelace",
        "--email",
        "ada@analytical.io",
        "--company",
        "Analytical Engines",
    )
    f = tmp_path / "a.csv"
    f.write_text(
        "full_name,email,company,title\nAda Lovelace,ada@analytical.io,Analytical Engines Ltd,Mathematician\n"
    )
    rep = imp(f)["data"]
    ada = people(db)["Ada Lovelace"]
    assert (ada["company"], ada["title"]) == ("Analytical Engines", "Mathematician")  # one employer
    assert _kept(db, "Ada Lovelace") == [("org", "Analytical Engines Ltd")]  # the other spelling, kept
    assert rep["values_kept"] == 1


def test_a_new_title_without_a_company_is_not_written_beside_the_held_one(cli, imp, connections, moved, db):
    """A Connections.csv row with a Position and no Company made Sam 'Principal Engineer at Contoso' (was
    Staff Engineer at Contoso): the row names no employer, so its title is not paired with the company
    held; it is kept aside, and no job change is announced. The undo takes it back."""
    imp(connections)
    rep = imp(moved(",Principal Engineer"))["data"]
    sam = people(db)[SAM]
    assert (sam["company"], sam["title"]) == ("Contoso", "Staff Engineer")
    assert _kept(db, SAM) == [("prop", "TITLE:Principal Engineer")]
    assert rep["values_kept"] == 1
    assert cli.json("contacts", "activity", SAM)["data"]["events"] == []
    cli("import", "undo", rep["batch_id"], "--yes")
    assert _kept(db, SAM) == []
