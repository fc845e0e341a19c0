"""Generic, Google and Outlook CSV: columns, aliases, splitting, encodings, rerun safety ([csv-imports],
[csv-imports] Imports)."""

from __future__ import annotations

import pytest

from tests.support.store import people, query


def test_generic_csv_standard_columns(imp, fx, db):
    r = imp(fx / "contacts.csv")
    rep = r["data"]
    assert r["meta"]["format"] == "csv" and rep["source"] == "csv"
    # Ada twice (the second row has the same email), the note-only row refused; Linus keeps his name
    assert rep["contacts_created"] == 5
    assert rep["contacts_skipped"] == 0 and rep["contacts_folded"] == 1  # Ada's second row
    assert "Row 7: no name, email, phone or handle; row skipped" in rep["errors"]
    assert (
        "Row 8: email 'not-an-email' is not an email address: kept as an extra field, X-PCRM-EMAIL"
        in rep["errors"]
    )
    p = people(db)
    ada = p["Ada Lovelace"]
    assert ada["emails"] == ["ada@analytical.io", "ada.l@gmail.com"]
    assert ada["phones"] == ["+44 20 7946 0018"]
    assert ada["tags"] == ["friend", "math", "founders"]  # split on ';', trimmed, lowercased
    assert ada["notes"] == 'Met at the Royal Society.\nLoves poetry, and "numbers".'  # quoted newline
    assert ada["twitter_handle"] == "ada" and ada["telegram_username"] == "ada_l"
    assert ada["company"] == "Analytical Engines" and ada["organization_id"] is not None
    assert ada["source"] == "csv"
    assert "Grace Hopper, PhD" in p and "Zoë 🚀 Dupont Jr." in p  # suffixes and emoji kept verbatim
    assert p["Alan Turing"]["emails"] == []
    assert p["Linus Torvalds"]["emails"] == []


def test_rows_are_numbered_as_a_spreadsheet_numbers_them(imp, fx, db):
    # contacts.csv's row 2 spans lines 2-3 (a quoted newline): the bad rows after it (lines 8 and 9) are
    # rows 7 and 8, as a spreadsheet shows them with the header as row 1 [import-report]
    rep = imp(fx / "contacts.csv")["data"]
    assert [e.split(":")[0] for e in rep["errors"]] == ["Row 7", "Row 8"]


def test_generic_csv_alternate_column_names(imp, fx, db):
    rep = imp(fx / "contacts_alt.csv")["data"]
    assert rep["contacts_created"] == 2
    p = people(db)
    kj = p["Katherine Johnson"]
    assert kj["emails"] == ["kj@nasa.gov"] and kj["phones"] == ["+1 202 555 0143"]
    assert kj["company"] == "NASA" and kj["title"] == "Mathematician"
    assert kj["twitter_handle"] == "kjohnson" and kj["telegram_username"] == "kj_t"
    assert kj["notes"] == "Orbits" and kj["tags"] == ["space", "nasa"]
    # an Organization column exists but this row's cell is empty: "Name | Org" is split all the same
    assert p["Tim Berners-Lee"]["company"] == "W3C" and "Tim Berners-Lee | W3C" not in p


def test_name_org_split_without_company_column(imp, fx, db):
    imp(fx / "name_org.csv")
    p = people(db)
    assert p["Jane Roe"]["company"] == "Acme Corp"
    assert p["John Poe"]["company"] == "Initech"
    assert p["Mary Major"]["company"] == "Globex"
    assert p["Solo Name"]["company"] is None


def test_rerun_changes_nothing(imp, fx, dump):
    first = imp(fx / "contacts.csv")["data"]
    before = dump()
    again = imp(fx / "contacts.csv")["data"]
    assert dump() == before
    assert again["contacts_created"] == 0 and again["contacts_updated"] == 0
    # every contact the file made, unchanged: the rows folded into one count it once [import-report]
    assert again["contacts_skipped"] == first["contacts_created"] and again["contacts_folded"] == 0
    assert again["batch_id"] is None


def test_name_and_company_match_rows_without_keys(imp, tmp_path, db):
    f = tmp_path / "n.csv"
    f.write_text("full_name,company,title\nAlan Turing,Bletchley Park,Cryptanalyst\n", encoding="utf-8")
    imp(f)
    f.write_text(
        "full_name,company,title,location\nALAN  turing,bletchley park,,Manchester\nAlan Turing,Other Co,,\n",
        encoding="utf-8",
    )
    rep = imp(f)["data"]
    assert rep["contacts_updated"] == 1 and rep["contacts_created"] == 1  # other company: another person
    assert query(
        db, "SELECT company, location FROM contacts WHERE name_fold = 'alan turing' ORDER BY id"
    ) == [("Bletchley Park", "Manchester"), ("Other Co", None)]


def test_fill_respects_user_edits_and_adds_new_emails(cli, imp, tmp_path, db):
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@analytical.io")
    cli("contacts", "edit", "ada@analytical.io", "--title", "Countess")
    f = tmp_path / "a.csv"
    f.write_text(
        "full_name,email,company,title,location,notes\n"
        "Ada King Lovelace,ada@analytical.io;ada@byron.test,Analytical Engines,Mathematician,London,hi\n",
        encoding="utf-8",
    )
    rep = imp(f)["data"]
    assert rep["contacts_updated"] == 1 and rep["contacts_created"] == 0
    ada = people(db)["Ada Lovelace"]  # the name is not replaced: it was already set
    assert ada["title"] == "Countess"  # user-edited: protected
    # [import-matching]: the other spelling and the other title are kept aside, not dropped
    assert rep["values_kept"] == 2
    assert query(db, "SELECT kind, value FROM contact_fields ORDER BY position") == [
        ("nickname", "Ada King Lovelace"),
        ("prop", "TITLE:Mathematician"),
    ]
    assert ada["company"] == "Analytical Engines" and ada["location"] == "London" and ada["notes"] == "hi"
    assert ada["emails"] == ["ada@analytical.io", "ada@byron.test"]


def test_an_email_held_under_another_name_is_shared_and_the_pair_queued(cli, imp, tmp_path, db):
    # [shared-keys]: before, the email matched Grace first and the row's handle was refused; now Grace's
    # conflicting name keeps the row off her, the handle finds Alan, and the pair is asked about
    cli("contacts", "add", "--name", "Grace Hopper", "--email", "grace@navy.mil")
    cli("contacts", "add", "--name", "Alan Turing", "--twitter", "alan")
    f = tmp_path / "x.csv"
    f.write_text("full_name,email,twitter\nAlan Turing,grace@navy.mil,alan\n", encoding="utf-8")
    rep = imp(f)["data"]
    assert rep["errors"] == [] and rep["contacts_updated"] == 1 and rep["pending_review"] == 1
    p = people(db)
    assert p["Grace Hopper"]["twitter_handle"] is None and p["Alan Turing"]["twitter_handle"] == "alan"
    assert p["Alan Turing"]["emails"] == ["grace@navy.mil"]  # an address two people use: kept on both
    (m,) = cli.json("identity", "matches")["data"]
    assert {m["contact_a"]["full_name"], m["contact_b"]["full_name"]} == {"Grace Hopper", "Alan Turing"}
    assert m["shared_key"] == {"key": "email", "value": "grace@navy.mil"}


def test_a_handle_held_under_another_name_is_reported_not_moved(cli, imp, tmp_path, db):
    cli("contacts", "add", "--name", "Alan Turing", "--twitter", "alan")
    f = tmp_path / "x.csv"
    f.write_text("full_name,twitter\nSomeone Else,alan\n", encoding="utf-8")
    rep = imp(f)["data"]
    # one contact per platform identity: the new contact cannot take it; the pair is queued
    # in words (it said 'twitter_handle alan')
    assert any("X handle @alan belongs to another contact; not added" in e for e in rep["errors"]), rep[
        "errors"
    ]
    assert rep["contacts_created"] == 1 and rep["pending_review"] == 1
    p = people(db)
    assert p["Someone Else"]["twitter_handle"] is None and p["Alan Turing"]["twitter_handle"] == "alan"


@pytest.mark.parametrize(
    "encoding,bom",
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("cp1252", b""),
        ("utf-16-le", b""),
    ],
)
def test_encodings(imp, tmp_path, db, encoding, bom):
    text = "full_name,email,company,notes\r\nJosé Müller,jose@example.de,Café Zoë,“smart” quotes – and €\r\n"
    f = tmp_path / "enc.csv"
    f.write_bytes(bom + text.encode(encoding))
    rep = imp(f)["data"]
    assert rep["contacts_created"] == 1 and rep["errors"] == []
    c = people(db)["José Müller"]
    assert c["company"] == "Café Zoë" and c["notes"] == "“smart” quotes – and €"


def test_semicolon_delimited_csv(imp, tmp_path, db):
    f = tmp_path / "semi.csv"
    f.write_text("full_name;email;company\nAda Lovelace;ada@x.test;Engines\n", encoding="utf-8")
    assert imp(f)["data"]["contacts_created"] == 1
    assert people(db)["Ada Lovelace"]["company"] == "Engines"


def test_header_only_is_refused_as_nothing_to_import(imp, tmp_path, db, contacts):
    f = tmp_path / "h.csv"
    f.write_text("full_name,email\n", encoding="utf-8")
    env = imp(f, ok=False)
    assert "nothing to import" in env["error"]["message"] and env["error"]["hint"]
    assert contacts() == []


def test_large_batch(imp, tmp_path, db):
    f = tmp_path / "big.csv"
    lines = ["full_name,email,company"]
    lines += [f"Person {i},p{i}@example.test,Company {i % 40}" for i in range(2500)]
    lines += ["Person 7,p7@example.test,Company 7"]  # a duplicate row at the end
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rep = imp(f)["data"]
    assert (rep["contacts_created"], rep["contacts_folded"], rep["contacts_skipped"]) == (2500, 1, 0)
    assert query(db, "SELECT count(*) FROM organizations")[0][0] == 40
    assert query(db, "SELECT count(*) FROM contacts WHERE organization_id IS NULL")[0][0] == 0
    assert query(db, "SELECT count(DISTINCT email) FROM contact_emails")[0][0] == 2500
    again = imp(f)["data"]
    # 2500 contacts unchanged: Person 7's two rows count one contact [import-report]
    assert again["contacts_created"] == 0 and again["contacts_skipped"] == 2500


def test_google_csv_current_layout(imp, fx, db):
    r = imp(fx / "google_new.csv")
    assert r["meta"]["format"] == "google-csv" and r["data"]["source"] == "google"
    p = people(db)
    hedy = p["Hedy Lamarr"]
    assert hedy["emails"] == ["hedy@labs.test", "hedy2@labs.test", "hedy@home.test"]  # ' ::: ' splits
    assert hedy["phones"] == ["+1 202 555 0101"]
    assert hedy["company"] == "Hollywood Labs" and hedy["title"] == "Inventor"
    assert hedy["birthday"] == "11-09" and hedy["notes"] == "Frequency hopping.\nAlso acting."
    assert hedy["tags"] == ["friends"]  # system groups (* myContacts, * starred) dropped
    assert hedy["location"] == "Vienna"
    kinds = {(f["kind"], f["value"]) for f in hedy["fields"]}
    # the formatted text says more than the City column: it goes in ADR's street component, escaped
    assert ("address", ";;1 Main St\\, Vienna;Vienna;;;") in kinds and ("url", "https://hedy.test") in kinds
    assert ("nickname", "The Inventor") in kinds
    assert p["Radia Perlman"]["birthday"] == "1951-12-18" and p["Radia Perlman"]["tags"] == []


def test_google_csv_legacy_layout(imp, fx, db):
    r = imp(fx / "google_legacy.csv")
    assert r["meta"]["format"] == "google-csv"
    b = people(db)["Barbara Liskov"]
    assert b["given_name"] == "Barbara" and b["family_name"] == "Liskov"
    assert b["emails"] == ["liskov@mit.test", "barbara@home.test"] and b["phones"] == ["+1 617 555 0199"]
    assert b["company"] == "MIT" and b["title"] == "Professor" and b["tags"] == ["researchers"]
    assert {
        "kind": "address",
        "label": "work",
        "value": ";;77 Massachusetts Ave\\nCambridge\\, MA;;;;",
        "pref": None,
    } in b["fields"]


def test_outlook_csv(imp, fx, db):
    r = imp(fx / "outlook.csv")
    assert r["meta"]["format"] == "outlook-csv" and r["data"]["contacts_created"] == 2
    p = people(db)
    fran = p["Frances E. Allen"]
    assert fran["title"] == "Fellow"  # Job Title, not the honorific "Title"
    assert fran["emails"] == ["fran@ibm.test", "frances@home.test"]
    assert fran["phones"] == ["+1 914 555 0100", "+1 914 555 0111", "+1 914 555 0122"]  # the fax too
    assert fran["birthday"] == "1932-08-04" and fran["tags"] == ["compilers", "pioneers"]
    assert fran["location"] == "Armonk"
    assert {
        "kind": "address",
        "label": "work",
        "value": ";;1 New Orchard Rd;Armonk;NY;10504;United States",
        "pref": None,
    } in fran["fields"]
    assert p["Dennis Ritchie"]["birthday"] is None  # 0/0/00 is Outlook's "none"


def test_format_can_be_forced(imp, fx, db):
    r = imp(fx / "contacts_alt.csv", "--format", "csv")
    assert r["meta"]["format"] == "csv"
    err = imp(fx / "contacts_alt.csv", "--format", "nope", ok=False)
    assert err["error"]["code"] == "validation_error" and "unknown import format" in err["error"]["message"]


def test_detects_without_a_csv_suffix(imp, fx, tmp_path):
    f = tmp_path / "export"
    f.write_bytes((fx / "google_new.csv").read_bytes())
    assert imp(f)["meta"]["format"] == "google-csv"


@pytest.mark.parametrize("encoding", ["cp1250", "iso-8859-2"])
def test_central_european_csv_without_a_bom(imp, tmp_path, db, encoding):
    """Not UTF-8 and no BOM: Polish and Czech text is read as such, not as Windows-1252 (ł -> ³, š -> ¹)."""
    text = (
        "full_name,email,company\r\n"
        "Łukasz Żółć,lukasz@example.pl,Kraków Ślusarstwo\r\n"
        "Jiří Šťastný,jiri@example.cz,Brno\r\n"
    )
    f = tmp_path / "ce.csv"
    f.write_bytes(text.encode(encoding))
    assert imp(f)["data"]["contacts_created"] == 2
    p = people(db)
    assert p["Łukasz Żółć"]["company"] == "Kraków Ślusarstwo" and "Jiří Šťastný" in p


def test_western_text_with_symbols_stays_windows_1252(imp, tmp_path, db):
    """Symbols that are Central European letters in other code pages (¿ ¡ ³ º £ « ») sit at word edges in
    Western text: they must not flip the file to Windows-1250."""
    text = (
        "full_name,company,notes\r\nJosé Peña,Café Niño,¿Qué tal? ¡Olé! 12 m³ Nº1 £5 «Bonjour» l’homme\r\n"
        "Núria Puig,col·lectiu,\r\n"
    )
    f = tmp_path / "es.csv"
    f.write_bytes(text.encode("cp1252"))
    assert imp(f)["data"]["contacts_created"] == 2
    p = people(db)
    assert p["José Peña"]["notes"] == "¿Qué tal? ¡Olé! 12 m³ Nº1 £5 «Bonjour» l’homme"
    assert p["Núria Puig"]["company"] == "col·lectiu"


@pytest.mark.parametrize(
    ("cells", "read"),
    [
        # a British Outlook: 25/12 only reads day first, so 10/12 is the 10th of December too
        (("25/12/1815", "10/12/1815"), ["1815-12-25", "1815-12-10"]),
        # an American one, as before
        (("12/25/1815", "10/12/1815"), ["1815-12-25", "1815-10-12"]),
    ],
    ids=["en-GB", "en-US"],
)
def test_an_english_outlook_export_of_a_day_first_region_keeps_its_birthdays(imp, tmp_path, db, cells, read):
    """English Outlook writes dates as the computer's region does: a British export's '25/12/1815' was read
    month first, dropped with a row error quoting '1815-25-12' (a value the file does not hold), and its
    '10/12/1815' silently became the 12th of October."""
    f = tmp_path / "contacts.csv"
    f.write_text(
        "First Name,Last Name,E-mail Address,Birthday\n"
        f"Ada,Lovelace,ada@x.org,{cells[0]}\n"
        f"Mary,Somerville,mary@x.org,{cells[1]}\n",
        encoding="utf-8",
    )
    rep = imp(f, "--format", "outlook-csv")["data"]
    assert rep["errors"] == [] and rep["contacts_created"] == 2
    p = people(db)
    assert [p["Ada Lovelace"]["birthday"], p["Mary Somerville"]["birthday"]] == read


def test_an_outlook_date_no_reading_of_the_file_takes_is_quoted_as_written(imp, tmp_path, db):
    """Rows that read only month first and only day first: the file stays month first, and the date it cannot
    read is quoted as the file has it."""
    f = tmp_path / "contacts.csv"
    f.write_text(
        "First Name,Last Name,E-mail Address,Birthday\nAda,Lovelace,ada@x.org,25/12/1815\n"
        "Mary,Somerville,mary@x.org,12/26/1780\n",
        encoding="utf-8",
    )
    rep = imp(f, "--format", "outlook-csv", ok=None)["data"]
    assert people(db)["Mary Somerville"]["birthday"] == "1780-12-26"
    assert rep["errors"] == [
        (
            "Row 2: birthday '25/12/1815' is not a date pcrm can read: kept as an extra field, as text; "
            "the birthday is left empty"
        )
    ]
    ada = people(db)["Ada Lovelace"]
    assert ada["birthday"] is None and ("birthday", "25/12/1815") in [
        (f["kind"], f["value"]) for f in ada["fields"]
    ]


def test_a_field_the_user_emptied_stays_empty_and_the_files_value_is_kept_aside(cli, imp, tmp_path, db):
    """[protected-fields]: the import writes no field the user set, an emptied one included, and drops
    nothing: its location is kept aside (it was dropped, `values_kept` 0)."""
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@analytical.io", "--location", "London")
    cli("contacts", "edit", "Ada Lovelace", "--clear", "location")
    f = tmp_path / "a.csv"
    f.write_text("full_name,email,location\nAda Lovelace,ada@analytical.io,Paris\n", encoding="utf-8")
    rep = imp(f)["data"]
    assert people(db)["Ada Lovelace"]["location"] is None
    assert query(db, "SELECT kind, value FROM contact_fields") == [("address", ";;;Paris;;;")]
    assert rep["values_kept"] == 1 and rep["contacts_updated"] == 1
    again = imp(f)["data"]
    assert (again["values_kept"], again["contacts_updated"]) == (0, 0)
