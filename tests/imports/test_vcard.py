"""vCard import end to end (hand-written fixtures): mapping, contact_fields, avatars, charsets, vdirs."""

from __future__ import annotations

import base64
import re

import pytest

from tests.support.store import people


def test_vcard_30_maps_columns_and_fields(imp, fx, by_name, store, pcrm_home):
    rep = imp(fx / "contacts30.vcf")["data"]
    assert (rep["source"], rep["contacts_created"]) == ("vcard", 2)
    assert rep["errors"] == ["Card 3: no name, email, phone or handle; row skipped"]
    people = by_name()
    ada = people["Ada Lovelace"]
    assert (ada["given_name"], ada["family_name"], ada["company"], ada["title"]) == (
        "Ada",
        "Lovelace",
        "Analytical Engines Ltd",
        "Analyst",
    )
    assert ada["emails"] == ["ada@example.org", "ada@engines.example"]
    assert ada["phones"] == ["+44 20 7946 0958", "+44 20 7946 0959"]
    assert ada["birthday"] == "12-10"  # --1210: no year
    assert ada["twitter_handle"] == "ada_l"  # X-SOCIALPROFILE
    assert ada["telegram_username"] == "adalovelace"  # IMPP with X-SERVICE-TYPE=Telegram
    assert ada["tags"] == ["friends", "london"]
    assert ada["location"] == "London, United Kingdom"
    assert ada["notes"] == "Wrote the first program.\nLikes poetry, science and horses; a lot."
    fields = store.fields("Ada Lovelace")
    assert ("n", None, "Lovelace;Ada;Augusta;Countess;", None) in fields
    assert ("org", None, "Analytical Engines Ltd;Research", None) in fields
    assert ("email", "home", "ada@example.org", 1) in fields
    assert ("email", "Engine room", "ada@engines.example", None) in fields  # itemN.X-ABLabel
    assert ("phone", "main", "+44 20 7946 0959", None) in fields  # _$!<Main>!$_
    assert ("address", "work", ";;12 St James's Square;London;;SW1Y 4JH;United Kingdom", None) in fields
    assert ("url", "work", "https://engines.example/ada", None) in fields
    assert ("im", "Telegram", "x-apple:adalovelace", None) in fields
    assert ("anniversary", None, "1835-07-08", None) in fields
    assert ("related", "father", "Lord Byron", None) in fields
    assert ("nickname", None, "Enchantress of Numbers", None) in fields
    assert ("x", None, "X-CUSTOM-THING;X-PARAM=1:keep me", None) in fields  # unknown X- verbatim
    # the inline PHOTO became an avatar file named after the contact
    assert ada["avatar_url"] == f"/static/avatars/{ada['id']}.png"
    saved = (pcrm_home / "avatars" / f"{ada['id']}.png").read_bytes()
    assert saved[:8] == b"\x89PNG\r\n\x1a\n"
    assert people["Charles Babbage"]["birthday"] == "1791-12-26"


def test_rerun_changes_nothing_and_fills_only_empty_fields(imp, fx, cli, by_name, store):
    imp(fx / "contacts30.vcf")
    before = store.q("SELECT count(*) FROM contact_fields")[0][0]
    again = imp(fx / "contacts30.vcf")["data"]
    assert (again["contacts_created"], again["contacts_updated"], again["batch_id"]) == (0, 0, None)
    assert store.q("SELECT count(*) FROM contact_fields")[0][0] == before
    cli("contacts", "edit", "Ada Lovelace", "--title", "Programmer")
    imp(fx / "contacts30.vcf")
    assert by_name()["Ada Lovelace"]["title"] == "Programmer"  # a user edit wins over the file


def test_legacy_21_charsets_and_quoted_printable(imp, fx, by_name):
    rep = imp(fx / "legacy21.vcf")["data"]
    assert rep["contacts_created"] == 2 and rep["errors"] == []
    people = by_name()
    j = people["Jürgen Müller"]  # CHARSET=windows-1252 raw bytes
    assert j["notes"] == "Erste Zeile\nzweite Zeile mit ß und sehr langem Text"  # QP soft break joined
    assert j["birthday"] == "1970-01-01"
    assert people["ロイド 安藤"]["family_name"] == "安藤"  # CHARSET=SHIFT_JIS


def test_utf16_file(imp, fx, by_name):
    imp(fx / "utf16.vcf")
    assert by_name()["Zoë Ångström"]["emails"] == ["zoe@example.se"]


def test_truncated_file_is_an_error_and_writes_nothing(imp, fx, contacts):
    env = imp(fx / "truncated.vcf", ok=False)
    assert env["error"]["code"] == "bad_request"
    assert "no END:VCARD" in env["error"]["message"] and env["error"]["hint"]
    assert contacts() == []


def test_vdir_folder_imports_each_card_and_reports_broken_files(imp, fx, by_name):
    env = imp(fx / "vdir")
    rep = env["data"]
    assert env["meta"]["format"] == "vcard"
    assert rep["contacts_created"] == 2
    assert rep["errors"] == [
        "broken.vcf: Card 1 (Never Ends): this card has no END:VCARD (the file looks cut short); card skipped"
    ]
    people = by_name()
    assert people["Grace Hopper"]["birthday"] == "12-09"
    assert people["Alan Turing"]["phones"] == ["+44-20-7946-0000"]  # TEL;VALUE=uri:tel:...


def test_folder_without_cards_is_refused(imp, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "a.txt").write_text("hello")
    env = imp(tmp_path / "empty", ok=False)
    assert "is a folder" in env["error"]["message"]


def test_detected_by_content_without_suffix(imp, fx, tmp_path, by_name):
    f = tmp_path / "export"
    f.write_bytes((fx / "vdir" / "one.vcf").read_bytes())
    assert imp(f)["meta"]["format"] == "vcard"
    assert "Grace Hopper" in by_name()


def test_dry_run_writes_no_avatar(imp, fx, pcrm_home):
    rep = imp(fx / "contacts30.vcf", "--dry-run")["data"]
    assert rep["contacts_created"] == 2
    assert not (pcrm_home / "pcrm.db").exists()  # nor a store [opening-the-store]
    assert not (pcrm_home / "avatars").exists() or not any((pcrm_home / "avatars").iterdir())


def test_photo_fills_an_existing_contact_without_avatar(imp, fx, cli, by_name, pcrm_home):
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.org")
    before = by_name()["Ada Lovelace"]
    assert before["avatar_url"] is None
    rep = imp(fx / "contacts30.vcf")["data"]
    assert rep["contacts_updated"] == 1
    ada = by_name()["Ada Lovelace"]
    assert ada["id"] == before["id"]
    assert ada["avatar_url"] == f"/static/avatars/{ada['id']}.png"
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    assert (pcrm_home / "avatars" / f"{ada['id']}.png").read_bytes() == png
    assert ada["company"] == "Analytical Engines Ltd"  # empty fields filled


def test_undo_removes_created_contacts(imp, fx, cli, contacts):
    rep = imp(fx / "contacts30.vcf")["data"]
    cli("import", "undo", rep["batch_id"], "--yes")
    assert contacts() == []


def test_undo_removes_the_photos_the_batch_saved(imp, fx, cli, by_name, pcrm_home):
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.org")
    mine = pcrm_home / "avatars" / "keep-me.png"  # a file the import did not write
    mine.parent.mkdir(parents=True, exist_ok=True)
    mine.write_bytes(b"mine")
    rep = imp(fx / "contacts30.vcf")["data"]
    ada = by_name()["Ada Lovelace"]
    saved = pcrm_home / "avatars" / f"{ada['id']}.png"
    assert saved.exists()  # an existing contact got the photo
    cli("import", "undo", rep["batch_id"], "--yes")
    assert by_name()["Ada Lovelace"]["avatar_url"] is None
    assert sorted(p.name for p in (pcrm_home / "avatars").iterdir()) == ["keep-me.png"]


def test_undo_removes_the_photo_of_a_created_contact(imp, fx, cli, by_name, pcrm_home):
    rep = imp(fx / "contacts30.vcf")["data"]
    ada = by_name()["Ada Lovelace"]
    assert (pcrm_home / "avatars" / f"{ada['id']}.png").exists()
    cli("import", "undo", rep["batch_id"], "--yes")
    assert not any((pcrm_home / "avatars").iterdir())


def test_iso_8859_2_card_without_a_charset(imp, tmp_path, by_name):
    card = tmp_path / "pl.vcf"
    card.write_bytes(
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Żółć;Łukasz\r\nFN:Łukasz Żółć\r\nORG:Kraków Ślusarstwo\r\n"
        "END:VCARD\r\n".encode("iso-8859-2")
    )
    imp(card)
    assert by_name()["Łukasz Żółć"]["company"] == "Kraków Ślusarstwo"


_QP_8859_2 = "CHARSET=ISO-8859-2;ENCODING=QUOTED-PRINTABLE"


def test_a_declared_charset_decodes_quoted_printable_in_a_utf16_file(imp, tmp_path, by_name):
    # the file's own text is UTF-16, but the bytes a quoted-printable value encodes are in its CHARSET
    card = tmp_path / "pl16.vcf"
    text = (
        f"BEGIN:VCARD\r\nVERSION:2.1\r\nN;{_QP_8859_2}:Nowak;Pawe=B3\r\nFN;{_QP_8859_2}:Pawe=B3 Nowak\r\n"
        "TITLE:Kierownik z Łodzi\r\nEND:VCARD\r\n"
    )
    card.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    imp(card)
    pawel = by_name()["Paweł Nowak"]
    assert (pawel["given_name"], pawel["title"]) == ("Paweł", "Kierownik z Łodzi")


def test_a_charset_python_cannot_decode_with_falls_back_to_the_bytes(imp, tmp_path, by_name):
    card = tmp_path / "odd.vcf"
    cards = [
        "N;CHARSET=idna;ENCODING=QUOTED-PRINTABLE:Sowa;Ewa=C5=82",  # a codec, but not for text
        "N;CHARSET=X-NO-SUCH-CHARSET;ENCODING=QUOTED-PRINTABLE:Kos;Ja=C5=9B",
        "N;CHARSET=base64;ENCODING=QUOTED-PRINTABLE:Lis;Ola",
    ]
    card.write_text("".join(f"BEGIN:VCARD\r\nVERSION:2.1\r\n{c}\r\nEND:VCARD\r\n" for c in cards))
    assert imp(card)["data"]["contacts_created"] == 3
    assert {"Ewał Sowa", "Jaś Kos", "Ola Lis"} <= set(by_name())


def test_a_v21_fn_keeps_its_backslashes(imp, corpus, by_name):
    # vCard 2.1 has no backslash escapes in a text value: FN:A;B\C\;D:E\\ is the name as written
    imp(corpus / "vcard/aosp__v21_backslash.vcf")
    assert list(by_name()) == ["A;B\\C\\;D:E\\\\"]


# vCard 2.1 lets a parameter's value stand alone: `N;ISO-8859-2;QUOTED-PRINTABLE:` is
# `N;CHARSET=ISO-8859-2;ENCODING=QUOTED-PRINTABLE:`, in any order
_BARE_FILES = [
    "aosp__v21_japanese_2.vcf",  # SHIFT_JIS, quoted-printable SHIFT_JIS
    "ez-vcard__John_Doe_ANDROID.vcf",  # UTF-8 + quoted-printable, a base64 photo
    "ez-vcard__outlook-2003.vcf",
    "roundcube__johndoe.vcf",  # windows-1252
]


def _bare(data: bytes) -> bytes:
    """The same cards with every CHARSET= and ENCODING= written bare, the charset after the encoding."""
    data = re.sub(rb";CHARSET=([^;:]+);ENCODING=([^;:]+)", rb";\2;\1", data, flags=re.IGNORECASE)
    return re.sub(rb";(?:CHARSET|ENCODING)=", b";", data, flags=re.IGNORECASE)


def _imported(path, imp, monkeypatch, home):
    """Every contact of `path` imported into a store of its own, with its fields, by full name."""
    monkeypatch.setenv("PCRM_HOME", str(home))
    imp(path)
    return {
        name: (
            c["given_name"],
            c["family_name"],
            c["company"],
            c["notes"],
            c["emails"],
            c["phones"],
            c["fields"],
        )
        for name, c in people(home / "pcrm.db").items()
    }


@pytest.mark.parametrize("name", _BARE_FILES)
def test_bare_21_charset_and_encoding_read_as_the_named_ones(name, corpus, imp, monkeypatch, tmp_path):
    real = corpus / "vcard" / name
    bare = tmp_path / name
    bare.write_bytes(_bare(real.read_bytes()))
    assert bare.read_bytes() != real.read_bytes()
    named = _imported(real, imp, monkeypatch, tmp_path / "named")
    assert _imported(bare, imp, monkeypatch, tmp_path / "bare") == named


def test_a_bare_charset_is_used_not_guessed(imp, corpus, tmp_path, by_name, store):
    # The Bat! writes no charset: its Polish QP name is a guess (Windows-1252). Declared bare, in either
    # order with the encoding, the charset decides; a bare encoding or charset is no label of a number
    data = (corpus / "vcard/roundcube__thebat.vcf").read_bytes()
    data = data.replace(b"N;ENCODING=QUOTED-PRINTABLE:", b"N;QUOTED-PRINTABLE;ISO-8859-2:")
    data = data.replace(b"FN;ENCODING=QUOTED-PRINTABLE:", b"FN;ISO-8859-2;QUOTED-PRINTABLE:")
    card = tmp_path / "thebat.vcf"
    card.write_bytes(
        data
        + b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;ISO-8859-2:\xa3uczak;Ewa\r\nTEL;HOME;8BIT:+48 22 555 01 01\r\n"
        + b"EMAIL;INTERNET;UTF-8;WORK:ewa@example.pl\r\nTITLE;ISO-8859-1:Chef d'\xe9quipe\r\nEND:VCARD\r\n"
    )
    assert imp(card)["data"]["errors"] == []
    people = by_name()
    assert people["Piotr Iksiński"]["family_name"] == "Iksiński"
    assert people["Ewa Łuczak"]["title"] == "Chef d'équipe"
    fields = store.fields("Ewa Łuczak")
    assert ("phone", "home", "+48 22 555 01 01", None) in fields
    assert ("email", "work", "ewa@example.pl", None) in fields


def _card(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", *lines, "END:VCARD"]) + "\r\n"


def test_a_group_card_tags_its_members_and_is_no_contact(imp, cli, store, tmp_path):
    """An address book's group (vCard 4.0 KIND:group with MEMBER lines; iCloud's X-ADDRESSBOOKSERVER-KIND
    card in a CardDAV folder) was imported as a contact called 'Book Club', listed among the people and
    given follow-ups, while its members lost the grouping. Now the group's name tags each member the file
    holds (by UID or mailto:), the report says so and counts the members it does not hold; a re-import
    changes nothing."""
    ann = "03a0e51f-d1aa-4385-8a53-e29025acd8af"
    folder = tmp_path / "contacts"
    folder.mkdir()
    (folder / "group.vcf").write_text(
        _card(
            "VERSION:3.0",
            "X-ADDRESSBOOKSERVER-KIND:group",
            "FN:Book Club",
            f"X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:{ann.upper()}",
            "X-ADDRESSBOOKSERVER-MEMBER:mailto:Bo@x.org",
            "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:00000000-0000-0000-0000-000000000000",
        ),
        encoding="utf-8",
    )
    (folder / "ann.vcf").write_text(
        _card("VERSION:3.0", f"UID:{ann}", "FN:Ann Reader", "CATEGORIES:friends"), encoding="utf-8"
    )
    (folder / "bo.vcf").write_text(_card("VERSION:4.0", "FN:Bo Page", "EMAIL:bo@x.org"), encoding="utf-8")
    (folder / "team.vcf").write_text(
        _card("VERSION:4.0", "KIND:group", "FN:Team", "MEMBER:mailto:bo@x.org"), encoding="utf-8"
    )
    rep = imp(folder)["data"]
    assert rep["contacts_created"] == 2
    said = "is a group card, not a person: its name is a tag of its"
    assert rep["errors"] == [
        f"group.vcf: Card 1 (Book Club): 'Book Club' {said} 2 members in the file (1 member not in the file)",
        f"team.vcf: Card 1 (Team): 'Team' {said} 1 member in the file",
    ]
    assert store.q(
        "SELECT c.full_name, group_concat(t.tag, ', ') FROM contacts c JOIN "
        "(SELECT * FROM contact_tags ORDER BY tag) t ON t.contact_id = c.id GROUP BY c.id ORDER BY c.id"
    ) == [("Ann Reader", "book club, friends"), ("Bo Page", "book club, team")]
    again = imp(folder)["data"]
    assert (again["contacts_created"], again["contacts_updated"], again["batch_id"]) == (0, 0, None)
    only = tmp_path / "only.vcf"
    only.write_text(_card("VERSION:4.0", "KIND:group", "FN:Team", "MEMBER:mailto:bo@x.org"), encoding="utf-8")
    err = imp(only, ok=False)["error"]
    assert err["message"].startswith("only.vcf holds only group cards, no person")


def test_a_group_card_without_a_name_is_called_by_its_address(imp, tmp_path):
    """The import report called a group card without FN '(no name)' though it has an address: it is called
    by its address or number, as a contact without a name is [display-name]."""
    path = tmp_path / "groups.vcf"
    path.write_text(
        _card("VERSION:4.0", "KIND:group", "EMAIL:club@lists.example", "MEMBER:mailto:bo@x.org")
        + _card("VERSION:4.0", "KIND:group", "TEL:+14155550123")
        + _card("VERSION:4.0", "FN:Bo Page", "EMAIL:bo@x.org"),
        encoding="utf-8",
    )
    rep = imp(path)["data"]
    assert rep["contacts_created"] == 1
    said = "is a group card, not a person: skipped"
    assert rep["errors"] == [f"Card 1: 'club@lists.example' {said}", f"Card 2: '+14155550123' {said}"]
