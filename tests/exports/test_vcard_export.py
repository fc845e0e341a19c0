"""`pcrm export vcard`: an independent parser (vobject) reads it, and pcrm reads it back into the same
contacts, contact_fields and avatars."""

from __future__ import annotations

from pathlib import Path

import apsw
import pytest
import vobject


def _state(cli, store, home: Path) -> list[tuple]:
    """Every contact as comparable data: the columns a vCard carries, its contact_fields and avatar bytes."""
    out = []
    page = 1
    people = []
    while True:
        data = cli.json("contacts", "list", "--page", str(page), "--page-size", "100")["data"]
        people += data
        if len(data) < 100:
            break
        page += 1
    for c in people:
        fields = sorted(
            store.q(
                "SELECT f.kind, coalesce(f.label, ''), f.value, coalesce(f.pref, 0) FROM "
                "contact_fields f JOIN contacts c ON c.id = f.contact_id WHERE c.uuid = ?",
                (c["id"],),
            )
        )
        avatar = None
        if c["avatar_url"]:
            avatar = (home / "avatars" / c["avatar_url"].rsplit("/", 1)[-1]).read_bytes()
        out.append(
            (
                tuple(
                    (k, repr(c[k]))
                    for k in (
                        "full_name",
                        "given_name",
                        "family_name",
                        "company",
                        "title",
                        "emails",
                        "phones",
                        "birthday",
                        "notes",
                        "tags",
                        "location",
                        "twitter_handle",
                        "telegram_username",
                        "linkedin_url",
                        "instagram_username",
                    )
                ),
                tuple(fields),
                avatar,
            )
        )
    return sorted(out, key=repr)


def _load_everything(imp, fx, corpus):
    for f in sorted((corpus / "vcard").iterdir()):
        imp(f, ok=None)  # the truncated sample is refused; the rest import
    imp(fx / "contacts30.vcf")
    imp(fx / "legacy21.vcf")
    imp(fx / "vdir")


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_round_trip_keeps_everything(version, imp, fx, corpus, cli, store, pcrm_home, tmp_path, monkeypatch):
    _load_everything(imp, fx, corpus)
    before = _state(cli, store, pcrm_home)
    assert len(before) > 30
    out = tmp_path / f"all-{version}.vcf"
    summary = cli.json("export", "vcard", "--version", version, "--output", str(out))["data"]
    assert summary["contacts"] == len(before) and summary["path"] == str(out)
    data = out.read_bytes()
    assert data.count(b"BEGIN:VCARD") == len(before)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded at 75 octets, CRLF
    other = tmp_path / "other-home"
    monkeypatch.setenv("PCRM_HOME", str(other))
    rep = imp(out)["data"]
    assert rep["contacts_created"] == len(before)
    # only phones pcrm refused the first time are refused again: an e-mail that is no address was kept aside
    assert all(" ignored phone " in e for e in rep["errors"]), rep["errors"]
    after = _state(cli, type(store)(other), other)
    assert after == before, _diff(before, after)
    again = imp(out)["data"]
    assert (again["contacts_created"], again["contacts_updated"]) == (0, 0)


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vobject_reads_the_export(version, imp, fx, cli, tmp_path):
    imp(fx / "contacts30.vcf")
    out = tmp_path / "c.vcf"
    cli("export", "vcard", "--version", version, "--output", str(out))
    cards = {c.fn.value: c for c in vobject.readComponents(out.read_text(encoding="utf-8"))}
    assert set(cards) == {"Ada Lovelace", "Charles Babbage"}
    ada = cards["Ada Lovelace"]
    assert ada.version.value == version
    assert (ada.n.value.family, ada.n.value.given, ada.n.value.additional, ada.n.value.prefix) == (
        "Lovelace",
        "Ada",
        "Augusta",
        "Countess",
    )
    assert ada.org.value == ["Analytical Engines Ltd", "Research"]
    emails = {e.value: e for e in ada.contents["email"]}
    assert set(emails) == {"ada@example.org", "ada@engines.example"}
    assert "home" in [t.lower() for t in emails["ada@example.org"].params.get("TYPE", [])]
    labels = {str(x.group): x.value for x in ada.contents.get("x-ablabel", [])}
    assert "Engine room" in labels.values()
    assert {t.value for t in ada.contents["tel"]} == {"+44 20 7946 0958", "+44 20 7946 0959"}
    adr = ada.adr.value
    assert (adr.street, adr.city, adr.code, adr.country) == (
        "12 St James's Square",
        "London",
        "SW1Y 4JH",
        "United Kingdom",
    )
    assert ada.note.value == "Wrote the first program.\nLikes poetry, science and horses; a lot."
    assert ada.bday.value in ("--1210", "--12-10")
    assert "x-custom-thing" in ada.contents
    photo = ada.photo.value
    if version == "3.0":
        assert isinstance(photo, bytes) and photo[:4] == b"\x89PNG"
    else:
        assert str(photo).startswith("data:image/png;base64")  # vobject 4.0 keeps the data: URI as text
        assert b"PHOTO:data:image/png;base64,iVBORw0KGgo" in out.read_bytes()
    assert cards["Charles Babbage"].bday.value == "1791-12-26"


def test_vdir_export(imp, fx, cli, tmp_path):
    imp(fx / "contacts30.vcf")
    folder = tmp_path / "vdir"
    summary = cli.json("export", "vcard", "--dir", "--output", str(folder))["data"]
    files = sorted(folder.glob("*.vcf"))
    assert summary["contacts"] == 2 and len(files) == 2 and summary["directory"] is True
    ids = {c["id"] for c in cli.json("contacts", "list")["data"]}
    assert {f.stem for f in files} == ids


def test_stdout_and_bad_version(imp, fx, cli):
    imp(fx / "vdir")
    res = cli("export", "vcard")
    assert res.stdout.count("BEGIN:VCARD") == 2 and "VERSION:3.0" in res.stdout
    bad = cli("export", "vcard", "--version", "2.1", ok=False)
    assert "3.0 or 4.0" in bad.stderr
    nodir = cli("export", "vcard", "--dir", ok=False)
    assert "--output" in bad.stderr + nodir.stderr


def _diff(a, b):
    """What differs between two states (for the assertion message)."""
    sa, sb = {repr(x)[:400] for x in a}, {repr(x)[:400] for x in b}
    return sorted(sa - sb)[:3], sorted(sb - sa)[:3]


def test_a_3_0_export_has_no_4_0_pref_parameter(cli, tmp_path: Path) -> None:
    """vCard 3.0 (RFC 2426) has TYPE=pref but no PREF=n: a second-choice rank goes to X-PCRM-PREF, which
    pcrm reads back, and an independent 3.0 reader accepts."""
    card = tmp_path / "ada.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\n"
        "EMAIL;TYPE=work;PREF=1:ada@work.example\r\nEMAIL;TYPE=home;PREF=2:ada@home.example\r\n"
        "END:VCARD\r\n"
    )
    cli("import", str(card))
    out = tmp_path / "out.vcf"
    cli("export", "vcard", "--version", "3.0", "--output", str(out))
    text = out.read_text()
    assert ";PREF=" not in text.replace(";X-PCRM-PREF=", "")
    assert "TYPE=pref" in text and "X-PCRM-PREF=2" in text
    parsed = vobject.readOne(text)
    assert sorted(e.value for e in parsed.email_list) == ["ada@home.example", "ada@work.example"]
    v4 = tmp_path / "out4.vcf"
    cli("export", "vcard", "--version", "4.0", "--output", str(v4))
    assert "PREF=2" in v4.read_text()


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_an_email_that_is_no_address_is_kept_aside_and_exported_so_a_reimport_is_quiet(
    version, imp, corpus, cli, store, pcrm_home, tmp_path, monkeypatch
):
    """[not-an-address]: Android's 'EMAIL;PREF:ÑÑÑ...' is reported and kept as typed in an X-PCRM-EMAIL
    field, never lowercased into an EMAIL line that every re-import of the export reported again."""
    rep = imp(corpus / "vcard" / "ez-vcard__John_Doe_ANDROID.vcf")["data"]
    bad = "Ñ" * 14
    assert (
        f"Card 5 (Ñ Ñ Ñ Ñ): email '{bad}' is not an email address: kept as an extra field, X-PCRM-EMAIL"
        in rep["errors"]
    )
    assert store.q(
        "SELECT kind, value FROM contact_fields WHERE kind IN ('email', 'x') AND value NOT LIKE '%@%'"
    ) == [("x", f"X-PCRM-EMAIL:{bad}")]
    assert "email (not an address)" in cli("contacts", "show", "bob@company.com").stdout
    out = tmp_path / "out.vcf"
    cli("export", "vcard", "--version", version, "--output", str(out))
    text = out.read_text(encoding="utf-8")
    assert f"X-PCRM-EMAIL:{bad}" in text and bad.lower() not in text
    assert not [line for line in text.splitlines() if line.startswith("EMAIL") and "@" not in line]
    before = _state(cli, store, pcrm_home)
    again = imp(out)["data"]  # into the store that wrote it: nothing to say, nothing changes
    assert again["errors"] == [] and again["contacts_updated"] == 0 and again["contacts_created"] == 0
    other = tmp_path / "other-home"
    monkeypatch.setenv("PCRM_HOME", str(other))
    fresh = imp(out)["data"]  # into another store: the same contacts, quietly
    assert fresh["errors"] == [] and fresh["contacts_created"] == 5
    assert _state(cli, type(store)(other), other) == before


def test_an_older_stores_email_field_that_is_no_address_is_no_email_line(imp, cli, store, tmp_path):
    """A value an older import kept as an `email` field is exported as X-PCRM-EMAIL [not-an-address]."""
    card = tmp_path / "ada.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.org\r\nEND:VCARD\r\n")
    imp(card)
    conn = apsw.Connection(str(store.path))
    with conn:
        conn.execute(
            "INSERT INTO contact_fields(contact_id, kind, label, value, pref, position) "
            "SELECT id, 'email', NULL, 'not an address', 1, 9 FROM contacts"
        )
    conn.close()
    out = tmp_path / "out.vcf"
    cli("export", "vcard", "--output", str(out))
    text = out.read_text(encoding="utf-8")
    assert "X-PCRM-EMAIL:not an address" in text and "EMAIL;TYPE=pref:not an address" not in text
    assert imp(out)["data"]["errors"] == []


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_a_platform_s_own_id_survives_the_round_trip_and_a_later_chat_finds_the_contact(
    version, imp, corpus, cli, tmp_path, monkeypatch
):
    """A Telegram contact with no username was exported with no Telegram property at all: imported back
    elsewhere and followed by the same chat, the person was made twice (a pair to review). Each platform's
    id of the person is written as X-PCRM-IDENTITY and read back as that identity."""
    tg = corpus / "telegram" / "langchain__result_personal_chat.json"
    chat = tmp_path / "WhatsApp Chat with +41 79 555 12 12.txt"
    chat.write_text("12/01/2024, 10:00 - +41 79 555 12 12: hello there\n12/01/2024, 10:05 - Me: hi\n")
    imp(tg)
    imp(chat, "--me", "Me")

    def ids() -> list[tuple]:
        listed = cli.json("contacts", "list", "--all")["data"]
        got = [(c["full_name"], c["telegram_user_id"], c["whatsapp_phone"]) for c in listed]
        return sorted(got, key=repr)

    before = ids()
    assert {x[1:] for x in before} == {(None, "+41795551212"), ("5965280513", None)}, before
    out = tmp_path / "all.vcf"
    cli.json("export", "vcard", "--version", version, "--output", str(out))
    text = out.read_text()
    assert "X-PCRM-IDENTITY;TYPE=telegram:5965280513" in text
    assert "X-PCRM-IDENTITY;TYPE=whatsapp:+41795551212" in text
    assert vobject.readComponents(text) is not None and len(list(vobject.readComponents(text))) == 2
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "elsewhere"))
    assert imp(out)["data"]["contacts_created"] == 2
    assert ids() == before
    for again in (imp(tg)["data"], imp(chat, "--me", "Me")["data"]):
        assert (again["contacts_created"], again["pending_review"]) == (0, 0), again
    assert ids() == before
    fields = cli.json("contacts", "list", "--all")["data"]
    assert all("X-PCRM-IDENTITY" not in str(c.get("other_values")) for c in fields)
