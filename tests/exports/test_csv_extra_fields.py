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


def test_a_cell_cannot_write_a_second_card(imp, cli, store, tmp_path, monkeypatch):
    """Lines naming properties that shape a card (END, BEGIN, FN, ...) are text typed into the cell, kept
    whole as X-EXTRA-FIELDS: the vCard export writes one card, and reading it back makes one contact."""
    f = tmp_path / "ghost.csv"
    f.write_text(
        "full_name,email,extra_fields\nAda Lovelace,ada@example.org,"
        '"x:END:VCARD\nx:BEGIN:VCARD\nx:FN:Ghost Person\nx:EMAIL:ghost@example.com\nprop:item1.UID:1\n'
        'social:END:VCARD\nx:X-SHOE-SIZE:38"\n',
        encoding="utf-8",
    )
    assert imp(f, "--format", "csv")["data"]["contacts_created"] == 1
    assert store.q("SELECT kind, value FROM contact_fields ORDER BY id") == [
        ("x", "X-EXTRA-FIELDS:x:END:VCARD"),
        ("x", "X-EXTRA-FIELDS:x:BEGIN:VCARD"),
        ("x", "X-EXTRA-FIELDS:x:FN:Ghost Person"),
        ("x", "X-EXTRA-FIELDS:x:EMAIL:ghost@example.com"),  # an x line is an extension: X-...
        ("x", "X-EXTRA-FIELDS:prop:item1.UID:1"),
        ("x", "X-EXTRA-FIELDS:social:END:VCARD"),
        ("x", "X-SHOE-SIZE:38"),
    ]
    for version in ("3.0", "4.0"):
        out = tmp_path / f"all-{version}.vcf"
        cli("export", "vcard", "--version", version, "--output", str(out))
        lines = out.read_bytes().split(b"\r\n")
        assert lines.count(b"BEGIN:VCARD") == lines.count(b"END:VCARD") == 1
        assert not any(ln.startswith((b"FN:Ghost", b"EMAIL:ghost")) for ln in lines)
        monkeypatch.setenv("PCRM_HOME", str(tmp_path / f"other-{version}"))
        assert imp(out, ok=None)["data"]["contacts_created"] == 1
        monkeypatch.setenv("PCRM_HOME", str(store.path.parent))


def test_a_line_of_no_kind_pcrm_writes_is_kept_whole(imp, store, tmp_path):
    """A link, a phone of words, a kind pcrm has not: kept whole as X-EXTRA-FIELDS, never a field of a kind
    named by what precedes its colon; what pcrm writes there is read as before."""
    f = tmp_path / "typed.csv"
    f.write_text(
        'full_name,extra_fields\nAda Lovelace,"https://example.com/x\nphone:not a phone\nfoo:bar\n'
        "email:n/a\nphone;label=work:+44 20 7946 0000\nurl:https://example.com/ada\n"
        'email;label=home:ada@example.org"\n',
        encoding="utf-8",
    )
    imp(f, "--format", "csv")
    assert store.q("SELECT kind, label, value FROM contact_fields ORDER BY id") == [
        ("x", None, "X-EXTRA-FIELDS:https://example.com/x"),
        ("x", None, "X-EXTRA-FIELDS:phone:not a phone"),
        ("x", None, "X-EXTRA-FIELDS:foo:bar"),
        ("x", None, "X-EXTRA-FIELDS:email:n/a"),
        ("phone", "work", "+44 20 7946 0000"),
        ("url", None, "https://example.com/ada"),
        ("email", "home", "ada@example.org"),
    ]


def test_the_vcard_export_never_writes_a_kept_line_that_shapes_the_card(
    imp, cli, store, tmp_path, monkeypatch
):
    """Whatever path stored them (an older store, a restore), kept lines naming END, BEGIN, FN, UID, ... are
    written as the text of an X-PCRM-PROPERTY line: one card, its own name and id."""
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.org")
    conn = apsw.Connection(str(store.path))
    with conn:
        for kind, value in [
            ("x", "END:VCARD"),
            ("prop", "BEGIN:VCARD"),
            ("prop", "fn:Ghost Person"),
            ("social", "item2.UID:ghost"),
            ("x", " END:VCARD"),
            ("prop", "no property"),
            ("x", "X-SHOE-SIZE:38"),
        ]:
            conn.execute(
                "INSERT INTO contact_fields(contact_id, kind, label, value, position) "
                "SELECT id, ?, NULL, ?, 9 FROM contacts",
                (kind, value),
            )
    conn.close()
    out = tmp_path / "ada.vcf"
    cli("export", "vcard", "--output", str(out))
    lines = out.read_bytes().decode().split("\r\n")
    assert lines.count("BEGIN:VCARD") == lines.count("END:VCARD") == 1
    assert [ln for ln in lines if ln.upper().startswith(("FN:", "UID:"))] == [lines[3], "FN:Ada Lovelace"]
    assert sorted(ln for ln in lines if ln.startswith("X-PCRM-PROPERTY:")) == sorted(
        [
            "X-PCRM-PROPERTY:END:VCARD",
            "X-PCRM-PROPERTY:BEGIN:VCARD",
            "X-PCRM-PROPERTY:fn:Ghost Person",
            "X-PCRM-PROPERTY:item2.UID:ghost",
            "X-PCRM-PROPERTY: END:VCARD",
            "X-PCRM-PROPERTY:no property",
        ]
    )
    assert "X-SHOE-SIZE:38" in lines
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "other"))
    assert imp(out, ok=None)["data"]["contacts_created"] == 1


def test_a_typed_line_naming_a_property_of_the_cards_own_values_stays_text(
    imp, cli, store, tmp_path, monkeypatch
):
    """`prop:EMAIL:...`, `prop:TEL:...`, `x:X-SOCIALPROFILE...` typed into the cell name properties the card
    writes from the contact's own values, which pcrm never keeps as a line: kept whole as X-EXTRA-FIELDS,
    as any line typed by hand. The vCard export wrote them as real properties, so the card carried an email,
    a phone, a tag and a profile the contact did not have, and its import made them the contact's."""
    f = tmp_path / "typed.csv"
    f.write_text(
        "full_name,email,extra_fields\nAda Lovelace,ada@example.org,"
        '"prop:EMAIL:boss@corp.example\nprop;label=work:item1.TEL:+44 20 7946 0000\nprop:CATEGORIES:vip\n'
        "x:X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/notada\nprop:TITLE:Chair\nprop:GEO:geo:51.5,0.1\n"
        'x:X-SHOE-SIZE:38"\n',
        encoding="utf-8",
    )
    imp(f, "--format", "csv")
    assert store.q("SELECT kind, label, value FROM contact_fields ORDER BY id") == [
        ("x", None, "X-EXTRA-FIELDS:prop:EMAIL:boss@corp.example"),
        ("x", None, "X-EXTRA-FIELDS:prop\\;label=work:item1.TEL:+44 20 7946 0000"),
        ("x", None, "X-EXTRA-FIELDS:prop:CATEGORIES:vip"),
        ("x", None, "X-EXTRA-FIELDS:x:X-SOCIALPROFILE\\;TYPE=twitter:https://twitter.com/notada"),
        ("prop", None, "TITLE:Chair"),  # a second title, as the vCard import keeps one
        ("prop", None, "GEO:geo:51.5,0.1"),
        ("x", None, "X-SHOE-SIZE:38"),
    ]
    out = tmp_path / "ada.vcf"
    cli("export", "vcard", "--output", str(out))
    lines = out.read_bytes().decode().split("\r\n")
    assert [ln for ln in lines if ln.startswith(("EMAIL", "TEL", "item1.TEL", "CATEGORIES", "X-SOCIAL"))] == [
        "EMAIL;TYPE=INTERNET:ada@example.org"
    ]
    assert {"TITLE:Chair", "GEO:geo:51.5,0.1", "X-SHOE-SIZE:38"} <= set(lines)
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "other"))
    imp(out)
    ada = cli.json("contacts", "show", "ada@example.org")["data"]
    assert (ada["emails"], ada["phones"], ada["tags"], ada["twitter_handle"]) == (
        ["ada@example.org"],
        [],
        [],
        None,
    )


def test_the_vcard_export_writes_a_kept_line_of_the_cards_own_properties_as_text(imp, cli, store, tmp_path):
    """Kept lines an older store or a restore holds that name EMAIL, TEL, CATEGORIES, ... are written as the
    text of an X-PCRM-PROPERTY line, as those shaping the card are: never a value the contact lacks."""
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.org")
    conn = apsw.Connection(str(store.path))
    with conn:
        for kind, value in [
            ("prop", "EMAIL:boss@corp.example"),
            ("prop", "item3.tel;type=cell:+44 20 7946 0000"),
            ("x", "X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/notada"),
            ("prop", "ROLE:Chair"),
        ]:
            conn.execute(
                "INSERT INTO contact_fields(contact_id, kind, label, value, position) "
                "SELECT id, ?, NULL, ?, 9 FROM contacts",
                (kind, value),
            )
    conn.close()
    out = tmp_path / "ada.vcf"
    cli("export", "vcard", "--output", str(out))
    lines = out.read_bytes().decode().split("\r\n")
    assert [ln for ln in lines if ln.startswith("X-PCRM-PROPERTY:")] == [
        "X-PCRM-PROPERTY:EMAIL:boss@corp.example",
        "X-PCRM-PROPERTY:item3.tel\\;type=cell:+44 20 7946 0000",
        "X-PCRM-PROPERTY:X-SOCIALPROFILE\\;TYPE=twitter:https://twitter.com/notada",
    ]
    assert "ROLE:Chair" in lines
    assert [ln for ln in lines if ln.upper().startswith(("EMAIL", "ITEM3.TEL", "X-SOCIAL"))] == [
        "EMAIL;TYPE=INTERNET:ada@example.org"
    ]
