"""An email a user types is read as an import reads it [not-an-address]: 'pcrm contacts add --email
"<am@example.com>"' (or '"qm@example.com"') stored the brackets or quotes as typed, so 'contacts show
am@example.com' found nobody and the CSV export of such a contact imported back made a duplicate with a junk
email, while '--email "Ada <ada@x.org>"' was refused and 'mailto:' taken. The address is kept; the name typed
with it names a contact without one and must otherwise be the contact's; an address holding < > " ( ) , ;
or a space is refused."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from tests.support.crm import Crm


def _emails(crm: Crm) -> list[tuple[str, str]]:
    return [
        (name, email)
        for name, email in crm.sql(
            "SELECT c.full_name, e.email FROM contact_emails e JOIN contacts c ON c.id = e.contact_id "
            "ORDER BY e.id"
        )
    ]


def test_an_address_typed_as_written_is_stored_as_its_address(crm: Crm) -> None:
    am = crm.add("Am Brackets", "--email", "<am@example.com>")
    assert am["emails"] == ["am@example.com"]
    assert crm.show("am@example.com")["id"] == am["id"]
    qm = crm.add("Qm Quotes", "--email", '"qm@example.com"')
    assert qm["emails"] == ["qm@example.com"]
    assert crm.add("Mo Link", "--email", "mailto:Mo@Example.com?subject=hi")["emails"] == ["mo@example.com"]
    # a name written with it names a contact that has none, a family-first one turned round
    ada = crm.add(None, "--email", '"Lovelace, Ada" <ada@x.org>')
    assert (ada["full_name"], ada["emails"]) == ("Ada Lovelace", ["ada@x.org"])
    # and is taken when it is the contact's own name
    grace = crm.add("Grace Hopper", "--email", "grace hopper <grace@x.org>")
    assert grace["emails"] == ["grace@x.org"]
    edited = crm.cli.json("contacts", "edit", "Grace Hopper", "--add-email", "Grace Hopper <gh@navy.mil>")
    assert edited["data"]["emails"] == ["grace@x.org", "gh@navy.mil"]
    assert _emails(crm)[-1] == ("Grace Hopper", "gh@navy.mil")


@pytest.mark.parametrize(
    "value", ["a b@x.org", "a,b@x.org", "a;b@x.org", "ada(work)@x.org", 'a"b@x.org', "<a@x.org", "ada@"]
)
def test_what_is_no_address_is_refused_and_changes_nothing(crm: Crm, value: str) -> None:
    err = crm.rejects("contacts", "add", "--name", "Nobody", "--email", value, code="validation_error")
    assert err["details"]["fields"][0] == {"field": "emails", "message": f"{value!r} is not an email address"}


def test_another_persons_name_with_an_address_is_refused_not_dropped(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--email", "ada@x.org")
    err = crm.rejects(
        "contacts",
        "add",
        "--name",
        "Bob Baker",
        "--email",
        "Ada Lovelace <bob@x.org>",
        code="validation_error",
        says="'Ada Lovelace <bob@x.org>' names 'Ada Lovelace', but the contact is 'Bob Baker'",
    )
    assert "give the address alone" in err["hint"]
    crm.rejects(
        "contacts",
        "edit",
        "Ada Lovelace",
        "--add-email",
        "Countess <ada@lovelace.org>",
        code="validation_error",
        says="names 'Countess', but the contact is 'Ada Lovelace'",
    )


def test_the_api_reads_an_address_as_the_cli_does(empty_api: Any) -> None:
    r = empty_api.post("/api/v1/contacts", json={"emails": ["Ada Lovelace <ADA@x.org>", "<ada2@x.org>"]})
    assert r.status_code == 201, r.text
    got = r.json()["data"]
    assert (got["full_name"], got["emails"]) == ("Ada Lovelace", ["ada@x.org", "ada2@x.org"])
    r = empty_api.put(f"/api/v1/contacts/{got['id']}", json={"emails": ['"ada3@x.org"', "mailto:ada@x.org"]})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["emails"] == ["ada3@x.org", "ada@x.org"]
    r = empty_api.post("/api/v1/contacts", json={"full_name": "Eve", "emails": ["eve (work)@x.org"]})
    assert r.status_code == 422, r.text
    r = empty_api.post("/api/v1/contacts", json={"full_name": "Eve", "emails": ["Mallory <eve@x.org>"]})
    assert r.status_code == 422 and "names 'Mallory'" in r.text, r.text
    assert [c["full_name"] for c in empty_api.get("/api/v1/contacts").json()["data"]] == ["Ada Lovelace"]


def test_the_me_setting_reads_an_address_as_an_import_does(crm: Crm) -> None:
    crm.cli("settings", "set", "me", "Ada Lovelace, mailto:Ada@Example.com")
    me = crm.cli.json("settings", "show", "me")["data"]
    me = me.get("me", me)
    assert me["emails"] == ["ada@example.com"], me
    crm.rejects("settings", "set", "me", "Ada, ada (home)@example.com", code="validation_error")


def test_a_csv_export_of_typed_addresses_imports_back_unchanged(crm: Crm, tmp_path: Path) -> None:
    crm.add("Am Brackets", "--email", "<am@example.com>", "--tag", "r&d; lab")
    crm.add("Qm Quotes", "--email", '"qm@example.com"', "--email", "Qm Quotes <qm2@example.com>")
    out = tmp_path / "export.csv"
    crm.cli("export", "csv", "--output", str(out))
    with out.open(encoding="utf-8", newline="") as f:
        cells = [row["emails"] for row in csv.DictReader(f)]
    assert cells == ["am@example.com", "qm@example.com; qm2@example.com"]
    before = crm.dump()
    rep = crm.cli.json("import", str(out))["data"]
    assert (rep["contacts_created"], rep["contacts_updated"], rep["errors"]) == (0, 0, []), rep
    assert crm.dump() == before


def test_an_old_stores_bracketed_email_stays_readable_and_imports_back_as_its_address(
    crm: Crm, tmp_path: Path
) -> None:
    """A store written before the rule may hold '<am@example.com>' or '"qm@example.com"' as an email (no
    migration): it is shown as stored, the CSV export writes it as stored, and importing that export puts the
    address on the same contact: no duplicate, no junk email. An edit of its emails stores the address."""
    am = crm.add("Am Brackets", "--email", "am@example.com")
    qm = crm.add("Qm Quotes", "--email", "qm@example.com")
    crm.sql("UPDATE contact_emails SET email = '<' || email || '>' WHERE email = 'am@example.com'")
    crm.sql("UPDATE contact_emails SET email = '\"' || email || '\"' WHERE email = 'qm@example.com'")
    assert crm.show(am["id"])["emails"] == ["<am@example.com>"]
    out = tmp_path / "export.csv"
    crm.cli("export", "csv", "--output", str(out))
    rep = crm.cli.json("import", str(out))["data"]
    assert (rep["contacts_created"], rep["contacts_updated"], rep["pending_review"]) == (0, 2, 0), rep
    assert _emails(crm) == [
        ("Am Brackets", "<am@example.com>"),
        ("Qm Quotes", '"qm@example.com"'),
        ("Am Brackets", "am@example.com"),
        ("Qm Quotes", "qm@example.com"),
    ]
    assert crm.show("am@example.com")["id"] == am["id"]
    # an edit of the list reads what was stored as it reads what is typed: the address, once
    edited = crm.cli.json("contacts", "edit", qm["id"], "--add-email", "qm3@example.com")["data"]
    assert edited["emails"] == ["qm@example.com", "qm3@example.com"]


def test_an_old_stores_email_no_longer_taken_does_not_block_an_edit(crm: Crm, empty_api: Any) -> None:
    """An older pcrm took 'ada(work)@x.org' and 'bo<bo@x.org>': an edit sends the contact's whole list back
    (`--add-email`, a client's form), and a value stored so is kept (or read as its address), never refused
    nor held to the name written in it; typed anew it is refused as before."""
    ada = crm.add("Ada Work", "--email", "ada@work.org")
    bo = crm.add("Bo Comma", "--email", "bo@x.org")
    crm.sql("UPDATE contact_emails SET email = 'ada(work)@x.org' WHERE email = 'ada@work.org'")
    crm.sql("UPDATE contact_emails SET email = 'bo<bo@x.org>' WHERE email = 'bo@x.org'")
    edited = crm.cli.json("contacts", "edit", ada["id"], "--add-email", "ada@home.org")["data"]
    assert edited["emails"] == ["ada(work)@x.org", "ada@home.org"]
    assert crm.cli.json("contacts", "edit", bo["id"], "--add-email", "bo@home.org")["data"]["emails"] == [
        "bo@x.org",
        "bo@home.org",
    ]
    crm.rejects("contacts", "edit", bo["id"], "--add-email", "eve(work)@x.org", code="validation_error")

    # a client saving its whole form sends the emails it was given
    got = empty_api.get(f"/api/v1/contacts/{ada['id']}").json()["data"]
    r = empty_api.put(f"/api/v1/contacts/{ada['id']}", json={"emails": got["emails"], "title": "Countess"})
    assert r.status_code == 200, r.text
    assert (r.json()["data"]["title"], r.json()["data"]["emails"]) == (
        "Countess",
        ["ada(work)@x.org", "ada@home.org"],
    )


def test_an_old_stores_email_holding_a_separator_imports_back_as_no_address(crm: Crm, tmp_path: Path) -> None:
    """'x;y@z.org' (taken by an older pcrm) exported unquoted came back as the made-up address 'y@z.org',
    which is nobody's and could match another contact; quoted, the import keeps it whole, aside."""
    semi = crm.add("Semi Colon", "--email", "semi@z.org")
    crm.sql("UPDATE contact_emails SET email = 'x;y@z.org' WHERE email = 'semi@z.org'")
    crm.add("Pee Comma", "--email", "pee@z.org")
    crm.sql("UPDATE contact_emails SET email = 'p,q@z.org' WHERE email = 'pee@z.org'")
    out = tmp_path / "export.csv"
    crm.cli("export", "csv", "--output", str(out))
    crm.cli.json("import", str(out))
    assert crm.show(semi["id"])["emails"] == ["x;y@z.org"]
    assert [e for _, e in _emails(crm)] == ["x;y@z.org", "p,q@z.org"]
