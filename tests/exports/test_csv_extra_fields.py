"""`pcrm export csv` carries each contact's extra fields (the values imports and merges kept aside) in its
`extra_fields` column, which its own import reads back [own-exports]: a CSV export imported into another
store (or back into this one) loses none of them, and the file is still one row per contact a spreadsheet
opens."""

from __future__ import annotations

import csv
import io

import apsw


def _fields(store) -> list[tuple]:
    """Each contact's extra fields by name, leaving out the id and creation time another store keeps."""
    return store.q(
        "SELECT c.full_name, f.kind, f.label, f.value, f.pref FROM contact_fields f "
        "JOIN contacts c ON c.id = f.contact_id WHERE f.value NOT LIKE 'X-ID:%' "
        "AND f.value NOT LIKE 'X-CREATED-AT:%' ORDER BY c.full_name, f.position, f.id"
    )


def test_a_csv_export_carries_every_extra_field(imp, fx, corpus, cli, store, tmp_path, monkeypatch):
    for f in sorted((corpus / "vcard").iterdir()):
        imp(f, ok=None)  # the truncated sample is refused; the rest import
    imp(fx / "contacts30.vcf")
    second = tmp_path / "second.vcf"  # a second birthday, kept aside; a value that is no address
    second.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.org\r\nBDAY:1815-12-11\r\n"
        "EMAIL:n/a\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    imp(second, ok=None)
    custom = tmp_path / "custom.csv"  # a column pcrm does not know, kept as an x field
    custom.write_text("full_name,email,Shoe Size\nAda Lovelace,ada@example.org,38\n", encoding="utf-8")
    imp(custom)
    conn = apsw.Connection(str(store.path))  # what the cell's escapes are for: a label and a value of each
    with conn:
        conn.execute(
            "INSERT INTO contact_fields(contact_id, kind, label, value, pref, position) SELECT id, 'note', "
            "'a;b:c\\d', 'line 1' || char(10) || 'line 2\\n' || char(13) || '=1+1', 3, 99 FROM contacts "
            "WHERE full_name = 'Ada Lovelace'"
        )
    conn.close()
    before = _fields(store)
    assert ("Ada Lovelace", "date", "birthday", "1815-12-11", None) in before
    assert ("Ada Lovelace", "x", None, "X-SHOE-SIZE:38", None) in before
    assert ("Ada Lovelace", "x", None, "X-PCRM-EMAIL:n/a", None) in before
    assert len(before) > 40

    out = tmp_path / "export.csv"
    cli("export", "csv", "--output", str(out))
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0][-1] == "extra_fields" and {len(r) for r in rows} == {len(rows[0])}
    count = store.q("SELECT count(*) FROM contacts")[0][0]
    assert len(rows) == 1 + count
    ada = next(r for r in rows if r[1] == "Ada Lovelace")[-1]
    assert "date;label=birthday:1815-12-11" in ada.splitlines()
    assert "note;label=a\\;b\\:c\\\\d;pref=3:line 1\\nline 2\\\\n\\r=1+1" in ada.splitlines()

    snap = store.q("SELECT * FROM contacts ORDER BY id")
    rep = imp(out)["data"]  # into the store that wrote it: nothing changes [own-exports]
    assert (rep["contacts_created"], rep["contacts_updated"], rep["batch_id"]) == (0, 0, None)
    assert _fields(store) == before and store.q("SELECT * FROM contacts ORDER BY id") == snap

    other = tmp_path / "other-home"
    monkeypatch.setenv("PCRM_HOME", str(other))
    fresh = imp(out, ok=None)["data"]
    assert fresh["contacts_created"] == count
    assert sorted(_fields(type(store)(other)), key=repr) == sorted(before, key=repr)
    again = imp(out)["data"]
    assert (again["contacts_created"], again["contacts_updated"], again["batch_id"]) == (0, 0, None)


def test_an_older_stores_email_field_that_is_no_address_goes_as_its_extra_field(imp, cli, store, tmp_path):
    """As the vCard export writes it [not-an-address]: the import keeps it aside, never as an email."""
    cli("contacts", "add", "--name", "Ada Lovelace")
    conn = apsw.Connection(str(store.path))
    with conn:
        conn.execute(
            "INSERT INTO contact_fields(contact_id, kind, label, value, pref, position) "
            "SELECT id, 'email', 'home', 'not an address', 1, 1 FROM contacts"
        )
    conn.close()
    out = tmp_path / "export.csv"
    cli("export", "csv", "--output", str(out))
    (row,) = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))[1:]
    assert row[-1] == "x:X-PCRM-EMAIL:not an address"


def test_a_hand_typed_line_of_the_column_is_kept_as_typed(imp, store, tmp_path):
    f = tmp_path / "edited.csv"
    f.write_text(
        'full_name,extra_fields\nAda Lovelace,"nickname:Addy\nFavourite colour: green\nx;weight=3:X-A:b"\n',
        encoding="utf-8",
    )
    rep = imp(f)["data"]
    assert rep["contacts_created"] == 1
    assert store.q("SELECT kind, label, value FROM contact_fields ORDER BY id") == [
        ("nickname", None, "Addy"),
        ("x", None, "X-EXTRA-FIELDS:Favourite colour: green"),
        ("x", None, "X-EXTRA-FIELDS:x\\;weight=3:X-A:b"),  # escaped as an unknown column is
    ]


def test_a_tag_holding_a_semicolon_or_a_quote_comes_back_as_one_tag(imp, cli, store, tmp_path, monkeypatch):
    """The export joins a list's values with '; ' and its import splits there: a tag holding ';' (a
    Google or Outlook label may) or a double quote is written in quotes, so it comes back whole."""
    tags = ["r&d; lab", 'the "inner" circle', "a:::b", "book club"]
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.org")
    for t in tags:
        cli("contacts", "tag", "Ada Lovelace", t)
    before = store.q("SELECT tag FROM contact_tags ORDER BY tag")
    assert [r[0] for r in before] == sorted(tags)
    out = tmp_path / "export.csv"
    cli("export", "csv", "--output", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0]["tags"] == '"r&d; lab"; "the ""inner"" circle"; "a:::b"; book club'

    rep = imp(out)["data"]  # into the store that wrote it: nothing changes [own-exports]
    assert (rep["contacts_created"], rep["contacts_updated"]) == (0, 0)
    assert store.q("SELECT tag FROM contact_tags ORDER BY tag") == before
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "other-home"))
    imp(out, ok=None)
    assert type(store)(tmp_path / "other-home").q("SELECT tag FROM contact_tags ORDER BY tag") == before


def test_a_hand_written_tag_cell_splits_as_before(imp, store, tmp_path):
    """Quotes only make one value of what they wrap whole: 'vip; say "hi"' is still two tags."""
    f = tmp_path / "people.csv"
    f.write_text('full_name,tags\nAda Lovelace,"vip; say ""hi""; ""x;y"""\n', encoding="utf-8")
    imp(f)
    assert [r[0] for r in store.q("SELECT tag FROM contact_tags ORDER BY position")] == [
        "vip",
        'say "hi"',
        "x;y",
    ]
