"""An email or phone the user took off a contact by hand stays off when a file holding it is imported again
[protected-fields]: never added back (the report counts it), never a reason to make the person again, while
a new value of a changed file is still added. End to end through the CLI on the shared fixture files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.store import query

GOOGLE = "google_csv/rolomind__google_new_layout_subset.csv"


def _values(db: Path) -> set[tuple[str, str]]:
    """(kind, value) of every email and phone (normalised) the store holds, and of their labels."""
    rows = query(db, "SELECT 'email', email FROM contact_emails")
    rows += query(db, "SELECT 'phone', normalized FROM contact_phones")
    rows += query(db, "SELECT 'label ' || kind, value FROM contact_fields WHERE kind IN ('email', 'phone')")
    return {(r[0], r[1]) for r in rows}


def _unchanged(rep: dict[str, Any], total: int, removed: int) -> None:
    got = (rep["contacts_created"], rep["contacts_updated"], rep["contacts_skipped"], rep["values_removed"])
    assert got == (0, 0, total, removed), rep
    assert (rep["batch_id"], rep["pending_review"]) == (None, 0)


@pytest.mark.parametrize(
    ("sample", "contact", "edit", "gone", "total"),
    [
        (GOOGLE, "John Doe", ["--rm-phone", "+1-555-0123"], ("phone", "+15550123"), 4),
        (GOOGLE, "Jane Smith", ["--rm-email", "jane@example.com"], ("email", "jane@example.com"), 4),
        (GOOGLE, "Alice Brown", ["--clear", "phones"], ("phone", "+15550125"), 4),
        (
            "outlook_csv/roundcube__outlook_emails_only.csv",
            "test1@domain.tld",
            ["--rm-email", "test2@domain.tld"],
            ("email", "test2@domain.tld"),
            1,
        ),
        (
            "linkedin/tekjobs__Connections.csv",
            "Jane Doe",
            ["--rm-email", "jane@northwind.com"],
            ("email", "jane@northwind.com"),
            4,
        ),
        (
            "vcard/roundcube__johndoe.vcf",
            "inbox@roundcube.net",
            ["--rm-phone", "+987654321"],
            ("phone", "+987654321"),
            1,
        ),
    ],
)
def test_a_removed_value_stays_off_when_the_same_file_comes_again(
    cli, imp, corpus, db, sample, contact, edit, gone, total
):
    path = corpus / sample
    imp(path)
    assert gone in _values(db)
    cli("contacts", "edit", contact, *edit)
    held = _values(db)
    assert gone not in held
    _unchanged(imp(path)["data"], total, 1)
    assert _values(db) == held
    assert query(db, "SELECT count(*) FROM contacts")[0][0] == total
    said = cli("import", str(path)).stdout
    assert "1 value you removed by hand not added back" in said


def test_a_row_known_only_by_its_removed_email_is_its_contact_again(cli, imp, corpus, db):
    path = corpus / GOOGLE
    imp(path)
    cli("contacts", "edit", "Bob Wilson", "--rm-email", "bob@startup.com")
    _unchanged(imp(path)["data"], 4, 1)
    names = [r[0] for r in query(db, "SELECT full_name FROM contacts ORDER BY id")]
    assert names == ["John Doe", "Jane Smith", "Bob Wilson", "Alice Brown"]
    assert ("email", "bob@startup.com") not in _values(db)


def test_a_removed_email_on_another_persons_row_joins_nobody(cli, imp, corpus, db, tmp_path):
    imp(corpus / GOOGLE)
    cli("contacts", "edit", "Bob Wilson", "--rm-email", "bob@startup.com")  # it was never Bob's
    other = tmp_path / "people.csv"
    other.write_text("First Name,Last Name,E-mail 1 - Value\nRobin,Hale,bob@startup.com\n")
    rep = imp(other)["data"]
    assert (rep["contacts_created"], rep["values_removed"], rep["pending_review"]) == (1, 0, 0)
    owner = query(db, "SELECT c.full_name FROM contact_emails e JOIN contacts c ON c.id = e.contact_id")
    assert ("Robin Hale",) in owner and ("Bob Wilson",) not in owner


def test_a_changed_file_still_adds_a_new_email_and_phone(cli, imp, corpus, db, tmp_path):
    path = corpus / GOOGLE
    imp(path)
    cli("contacts", "edit", "Jane Smith", "--rm-email", "jane@example.com")
    cli("contacts", "edit", "John Doe", "--rm-phone", "+1-555-0123")
    text = path.read_text(encoding="utf-8")
    changed = tmp_path / "contacts.csv"
    changed.write_text(
        text.replace("+1-555-0124,jane@example.com", "+1-555-0124,jane.smith@techco.example").replace(
            "+1-555-0123,john@example.com", "+1-555-0199,john@example.com"
        ),
        encoding="utf-8",
    )
    rep = imp(changed)["data"]
    assert (rep["contacts_updated"], rep["contacts_created"], rep["values_removed"]) == (2, 0, 0)
    assert cli.json("contacts", "show", "Jane Smith")["data"]["emails"] == ["jane.smith@techco.example"]
    john = cli.json("contacts", "show", "John Doe")["data"]
    assert [p.replace("-", "") for p in john["phones"]] == ["+15550199"]
    # the original file again: what the user removed stays off, the new values stay
    rep = imp(path)["data"]
    assert (rep["contacts_updated"], rep["values_removed"]) == (0, 2)
    assert cli.json("contacts", "show", "Jane Smith")["data"]["emails"] == ["jane.smith@techco.example"]
    assert [p.replace("-", "") for p in cli.json("contacts", "show", "John Doe")["data"]["phones"]] == [
        "+15550199"
    ]


def test_a_value_typed_again_is_the_contacts_again(cli, imp, corpus, db):
    from pcrm.services import hand_edits
    from pcrm.store.db import connect

    path = corpus / GOOGLE
    imp(path)
    cli("contacts", "edit", "Jane Smith", "--rm-email", "jane@example.com")
    cli("contacts", "edit", "Jane Smith", "--add-email", "jane@example.com")
    conn = connect(db, migrate=False, create=False)
    try:
        assert hand_edits.removed(conn) == {}
    finally:
        conn.close()
    cli("contacts", "edit", "Jane Smith", "--rm-email", "jane@example.com")
    _unchanged(imp(path)["data"], 4, 1)


def test_a_removal_before_any_import_holds_for_the_first_one(cli, imp, corpus, db):
    cli("contacts", "add", "--name", "Jane Smith", "--email", "jane@example.com", "--phone", "+1-555-0124")
    cli("contacts", "edit", "Jane Smith", "--rm-email", "jane@example.com")
    rep = imp(corpus / GOOGLE)["data"]
    assert (rep["contacts_created"], rep["values_removed"]) == (3, 1)
    assert ("email", "jane@example.com") not in _values(db)


def test_a_removal_on_a_merged_contact_holds_on_its_survivor(cli, imp, corpus, db):
    path = corpus / GOOGLE
    imp(path)
    cli("contacts", "edit", "Jane Smith", "--rm-email", "jane@example.com")
    cli("contacts", "add", "--name", "Jane Smith-Lee", "--email", "jane@lee.example")
    cli("contacts", "merge", "Jane Smith", "jane@lee.example")
    rep = imp(path)["data"]
    assert (rep["contacts_created"], rep["values_removed"]) == (0, 1)
    assert ("email", "jane@example.com") not in _values(db)


def test_a_profile_cleared_or_corrected_by_hand_stays_so(cli, imp, corpus, db):
    path = corpus / "linkedin" / "tekjobs__Connections.csv"
    imp(path)
    fields = query(db, "SELECT contact_id, kind, value FROM contact_fields ORDER BY id")
    cli("contacts", "edit", "Sam Lee", "--clear", "linkedin")
    cli("contacts", "edit", "Rafa Ortiz", "--linkedin", "https://www.linkedin.com/in/rafa-ortiz-real")
    _unchanged(imp(path)["data"], 4, 2)
    sam = cli.json("contacts", "show", "Sam Lee")["data"]
    rafa = cli.json("contacts", "show", "Rafa Ortiz")["data"]
    assert (sam["linkedin_url"], sam["linkedin_profile_id"]) == (None, None)
    assert (rafa["linkedin_url"], rafa["linkedin_profile_id"]) == (
        "https://www.linkedin.com/in/rafa-ortiz-real",
        "rafa-ortiz-real",
    )
    # nothing kept aside: the user said the profile is not theirs
    assert query(db, "SELECT contact_id, kind, value FROM contact_fields ORDER BY id") == fields


def _another_batch(imp, tmp_path: Path) -> None:
    """An import of an unrelated file: the next hand edit's journal row is a new one."""
    other = tmp_path / "z.csv"
    other.write_text("full_name,emails\nZoe New,zoe@x.example\n")
    imp(other)


def test_a_profile_typed_back_after_another_import_is_not_said_removed(cli, imp, corpus, tmp_path):
    path = corpus / "linkedin" / "tekjobs__Connections.csv"
    imp(path)
    cli("contacts", "edit", "Sam Lee", "--clear", "linkedin")
    _another_batch(imp, tmp_path)
    cli("contacts", "edit", "Sam Lee", "--linkedin", "https://www.linkedin.com/in/sam-lee-example")
    _unchanged(imp(path)["data"], 4, 0)
    assert cli.json("contacts", "show", "Sam Lee")["data"]["linkedin_profile_id"] == "sam-lee-example"


@pytest.mark.parametrize(
    ("contact", "rm", "add", "value"),
    [
        ("Jane Smith", "--rm-email", "--add-email", "jane@example.com"),
        ("John Doe", "--rm-phone", "--add-phone", "+1-555-0123"),
    ],
)
def test_a_value_typed_again_after_another_import_is_the_contacts_again(
    cli, imp, corpus, db, tmp_path, contact, rm, add, value
):
    from pcrm.services import hand_edits
    from pcrm.store.db import connect

    path = corpus / GOOGLE
    imp(path)
    cli("contacts", "edit", contact, rm, value)
    _another_batch(imp, tmp_path)
    cli("contacts", "edit", contact, add, value)
    conn = connect(db, migrate=False, create=False)
    try:
        assert hand_edits.removed(conn) == {}
    finally:
        conn.close()
    rep = imp(path)["data"]  # (a phone typed by hand may take the file's label: an update)
    assert (rep["contacts_created"], rep["values_removed"]) == (0, 0), rep
    _another_batch(imp, tmp_path)  # removed once more, in a later row still: off again
    cli("contacts", "edit", contact, rm, value)
    assert imp(path)["data"]["values_removed"] == 1


def test_an_address_moved_to_another_contact_asks_nothing_on_reimport(cli, imp, corpus, db):
    path = corpus / GOOGLE
    imp(path)
    cli("contacts", "edit", "Bob Wilson", "--rm-email", "bob@startup.com")
    cli("contacts", "add", "--name", "Robin Hale", "--email", "bob@startup.com")
    rep = imp(path)["data"]
    _unchanged(rep, 4, 1)
    assert cli.json("identity", "matches")["data"] == []
    robin = cli.json("contacts", "show", "Robin Hale")["data"]
    assert robin["emails"] == ["bob@startup.com"]
    assert ("email", "bob@startup.com") in _values(db)
