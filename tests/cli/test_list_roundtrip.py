"""A contact list written as CSV (`pcrm contacts list|overdue|birthdays --format csv`) imports back
[list-csv]: into the store that wrote it nothing changes (no tag made of a row's tags joined, no `score` or
`last` kept as extra fields; a name a spreadsheet would run, guarded by an apostrophe [csv-formulas], read
back without it; a name that looks like an email or a phone, or a contact shown by its WhatsApp number,
read as the name it is); into an empty store it makes the same contacts, nothing invented; an
organization list is refused, not read as contacts."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from pcrm.cli._render import birthday_cols, contact_cols
from tests.support.crm import Crm
from tests.support.paths import require_testdata

pytestmark = pytest.mark.anyio


@pytest.fixture
def people(crm: Crm) -> Crm:
    crm.add("Ada Lovelace", "--email", "ada@example.org", "--tag", "founder", "--tag", "mentor")
    crm.add("Grace Hopper", "--company", "Navy", "--tag", "a,b", "--tag", "x;y", "--tag", 'say "hi"')
    crm.add("Alan Turing", "--phone", "+44 20 7946 0001", "--phone", "+44 20 7946 0002", "--priority", "high")
    crm.add("Edsger Dijkstra", "--birthday", "1930-05-11", "--tag", "one")
    return crm


# what a spreadsheet would run, as a name, a company, a title and a tag
FORMULAS = ('=HYPERLINK("http://evil.example/","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)")


def _awkward(crm: Crm) -> None:
    """Contacts whose list rows are easy to misread: names, a company, a title and a tag a spreadsheet
    would run (and one starting with an apostrophe before such a start), names that look like an email or
    a phone, contacts holding no name (shown by their email or phone), and a WhatsApp contact whose number
    is its identity only (shown by it). Each is overdue and has a birthday in the twins' coming week, so
    every list shows it."""
    due = ("--priority", "high", "--birthday", "07-03")
    name, company, title, tag = FORMULAS
    added = [
        crm.add(name, "--company", company, "--title", title, "--tag", tag, "--email", "f@example.org", *due),
        crm.add("'=not a formula", "--company", "@home", *due),
        crm.add("+41 79 555 12 12", "--company", "Named Like A Phone", *due),
        crm.add("ada@named.example", "--tag", "named like an email", *due),
        crm.add(None, "--email", "nameless@example.org", *due),
        crm.add(None, "--phone", "+41 79 555 12 13", "--tag", "phone only", *due),
    ]
    chat = require_testdata() / "whatsapp" / "whatstk__lorem.txt"  # a group: "+1 123 456 789" writes
    crm.cli("import", str(chat), "--me", "Mary")
    listed = crm.cli.json("contacts", "list", "--all", "--search", "+1 123 456 789")["data"]
    (wa,) = [c for c in listed if c["whatsapp_phone"] == "+1123456789"]
    # its number: the identity alone, as `pcrm contacts show` says "whatsapp phone"
    crm.cli("contacts", "edit", wa["id"], "--rm-phone", "+1 123 456 789", *due)
    assert crm.show(wa["id"])["phones"] == []
    for c in [*added, wa]:  # last heard of long ago: overdue
        crm.history(c["id"], [("email", "inbound", "2025-01-01T10:00:00Z")])


def _list_csv(crm: Crm, tmp_path: Path, *view: str) -> Path:
    out = crm.cli(*view, "--format", "csv").stdout
    p = tmp_path / "list.csv"
    p.write_text(out, encoding="utf-8")
    return p


_KEYS = (
    "id",
    "full_name",
    "company",
    "priority_level",
    "tags",
    "emails",
    "phones",
    "birthday",
    "title",
    "whatsapp_phone",
)


def _contacts(crm: Crm) -> list[tuple[Any, ...]]:
    listed = crm.cli.json("contacts", "list", "--all", "--include-archived")["data"]
    return sorted(tuple(c[k] for k in _KEYS) for c in listed)


def _fields(crm: Crm) -> list[tuple[Any, ...]]:
    return crm.sql("SELECT contact_id, kind, value FROM contact_fields ORDER BY contact_id, kind, value")


@pytest.mark.parametrize(
    "view",
    [
        ("contacts", "list", "--all"),
        ("contacts", "list", "--all", "--fields", "id,name,email,phone,title,birthday,score,tags"),
        ("contacts", "birthdays", "--all"),
        ("contacts", "overdue", "--all"),
    ],
)
def test_a_list_imported_into_its_store_changes_nothing(
    demo_twin: Any, tmp_path: Path, view: tuple[str, ...]
) -> None:
    demo_twin.add("Grace Hopper", "--company", "Navy", "--tag", "a,b", "--tag", "x;y", "--tag", 'say "hi"')
    _awkward(demo_twin)
    before, fields = _contacts(demo_twin), _fields(demo_twin)
    assert sum(len(c[4]) > 1 for c in before) > 10  # contacts of several tags
    f = _list_csv(demo_twin, tmp_path, *view)
    assert f.read_text().count("\n") > 5
    cells = [cell for row in csv.reader(io.StringIO(f.read_text())) for cell in row]
    assert not [c for c in cells if c.startswith(("=", "@", "+cmd", "-2"))]  # nothing a spreadsheet runs
    assert "'" + FORMULAS[0] in cells and "''=not a formula" in cells
    assert {"+41 79 555 12 12", "ada@named.example", "+1123456789"} <= set(cells)
    report = demo_twin.cli.json("import", str(f))["data"]
    assert (report["contacts_created"], report["contacts_updated"], report["values_kept"]) == (0, 0, 0)
    assert _contacts(demo_twin) == before
    assert _fields(demo_twin) == fields  # no `score` or `last` field
    assert demo_twin.show("Grace Hopper")["tags"] == ["a,b", "x;y", 'say "hi"']
    if "score" in f.read_text().splitlines()[0].split(","):
        assert any("score" in e and "what a pcrm contact list computes" in e for e in report["errors"])


def test_a_list_imported_into_an_empty_store_makes_the_same_contacts(
    people: Crm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = _list_csv(people, tmp_path, "contacts", "list", "--all")
    before = _contacts(people)
    other = tmp_path / "other"
    monkeypatch.setenv("PCRM_HOME", str(other))
    people.cli("init")
    fresh = Crm(people.cli, other)
    report = fresh.cli.json("import", str(f))["data"]
    assert report["contacts_created"] == 4
    # the list carries ids, names, companies, priorities and tags (not emails or phones: not its columns)
    assert [r[:5] for r in _contacts(fresh)] == [r[:5] for r in before]
    assert _fields(fresh) == []  # no `score`, no `last`
    assert "not read: score, last" in " ".join(report["errors"])


def test_guarded_cells_import_into_an_empty_store_as_they_were(
    crm: Crm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The apostrophe of the formula guard is taken off on import: the names, companies and tags come back
    as stored, not with it."""
    name, company, _, tag = FORMULAS
    crm.add(name, "--company", company, "--tag", tag)
    crm.add("'=not a formula", "--company", "@home")
    f = _list_csv(crm, tmp_path, "contacts", "list", "--all")
    assert "'" + company in f.read_text()
    before = _contacts(crm)
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "other"))
    crm.cli("init")
    fresh = Crm(crm.cli, tmp_path / "other")
    assert fresh.cli.json("import", str(f))["data"]["contacts_created"] == 2
    assert [r[:5] for r in _contacts(fresh)] == [r[:5] for r in before]
    assert sorted(n for (n,) in fresh.sql("SELECT full_name FROM contacts")) == ["'=not a formula", name]


def test_a_list_without_its_ids_is_refused(people: Crm, tmp_path: Path) -> None:
    f = _list_csv(people, tmp_path, "contacts", "list", "--all", "--fields", "name,score,tags")
    before = people.dump()
    r = people.cli("import", str(f), ok=False)
    assert "contact list without its id column" in r.stderr
    assert "pcrm export csv" in r.stderr
    assert people.dump() == before


def test_an_organization_list_is_not_read_as_contacts(people: Crm, tmp_path: Path) -> None:
    people.cli("orgs", "add", "Analytical Engines", "--domain", "analytical.io")
    f = _list_csv(people, tmp_path, "orgs", "list")
    before = people.dump()
    r = people.cli("import", str(f), ok=False)
    assert "list of organizations" in r.stderr
    assert people.dump() == before


def test_an_organization_list_guards_its_cells(crm: Crm, tmp_path: Path) -> None:
    crm.add("Ada", "--company", "=cmd|' /C calc'!A0")
    rows = list(csv.reader(io.StringIO(_list_csv(crm, tmp_path, "orgs", "list").read_text())))
    assert [r[1] for r in rows[1:]] == ["'=cmd|' /C calc'!A0"]


def test_every_contact_list_column_is_known_to_the_import() -> None:
    """The import's list of a contact list's columns follows the CLI's: a new column is one or the other."""
    from pcrm.formats.generic_csv import LIST_COMPUTED_COLUMNS, LIST_DATA_COLUMNS, column_key

    names = {c.name for c in (*contact_cols(("days_overdue", "overdue")), *birthday_cols())}
    assert {column_key(n) for n in names} <= LIST_DATA_COLUMNS | LIST_COMPUTED_COLUMNS


async def test_the_api_import_of_a_list_changes_nothing(demo_twin: Any, tmp_path: Path) -> None:
    f = tmp_path / "list.csv"
    f.write_text(demo_twin.cli("contacts", "list", "--all", "--format", "csv").stdout, encoding="utf-8")
    r = await demo_twin.request(
        "POST",
        "/api/v1/contacts/import/csv",
        files={"file": (f.name, f.read_bytes(), "text/csv")},
    )
    data = r.json()["data"]
    assert (data["contacts_created"], data["contacts_updated"], data["values_kept"]) == (0, 0, 0), data
    assert demo_twin.sql("SELECT count(*) FROM contact_fields WHERE value LIKE 'X-SCORE%'") == [(0,)]


@pytest.mark.parametrize("given", [("--format", "json"), ()])
@pytest.mark.parametrize(
    ("fmt", "view"),
    [
        ("json", ("contacts", "list", "--all")),
        ("nl", ("contacts", "list", "--all")),
        ("json", ("orgs", "list", "--all")),
        ("json", ("contacts", "list", "--search", "nobody at all")),  # an empty list
    ],
)
def test_a_list_as_json_is_refused_as_a_list(
    people: Crm, tmp_path: Path, fmt: str, view: tuple[str, ...], given: tuple[str, ...]
) -> None:
    """With or without --format json: a list's JSON is named as such, never "cannot tell what it is"."""
    people.cli("orgs", "add", "Analytical Engines", "--domain", "analytical.io")
    f = tmp_path / f"list.{fmt}"
    f.write_text(people.cli(*view, "--format", fmt).stdout, encoding="utf-8")
    before = people.dump()
    r = people.cli("import", str(f), *given, ok=False)
    assert "is a pcrm list (--format json or nl), which pcrm does not import" in r.stderr
    assert "pcrm export csv" in r.stderr
    assert people.dump() == before


@pytest.mark.parametrize("text", ['{"data": [{"name": "x"}]}', '{"id": 1}\n', '{"a": 1}'])
def test_other_json_is_not_taken_for_a_list(crm: Crm, tmp_path: Path, text: str) -> None:
    f = tmp_path / "other.json"
    f.write_text(text, encoding="utf-8")
    r = crm.cli("import", str(f), ok=False)
    assert "cannot tell what kind of file other.json is" in r.stderr
