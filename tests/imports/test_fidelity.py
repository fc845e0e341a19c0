"""Import fidelity through `pcrm import`: options that settle what a file leaves open, and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_date_order_option_reaches_the_parser(imp, tmp_path: Path, cli):
    chat = tmp_path / "WhatsApp Chat with Ann.txt"
    chat.write_text("[01/12/2024, 10:05 AM] Ann: hi\n[02/12/2024, 9:00 AM] Bob: yo\n", encoding="utf-8")
    env = imp(chat, "--me", "Bob", "--date-order", "dmy", "--dry-run")
    assert env["data"]["interactions_created"] == 2 and env["data"]["errors"] == []
    guessed = imp(chat, "--me", "Bob", "--dry-run")
    assert any("--date-order" in e for e in guessed["data"]["errors"])
    bad = imp(chat, "--me", "Bob", "--date-order", "ddmm", ok=False)
    assert "date order" in bad["error"]["message"]


DISCORD = """{
  "guild": {"id": "1", "name": "Direct Messages", "iconUrl": "https://cdn.example/x.png"},
  "channel": {"id": "2", "type": "DirectTextChat", "categoryId": null, "name": "ann", "topic": null},
  "dateRange": {"after": null, "before": null},
  "messages": [
    {"id": "3", "type": "Default", "timestamp": "2021-03-01T10:00:00+00:00", "content": "hi",
     "author": {"id": "4", "name": "ann", "discriminator": "0001", "nickname": "Ann", "isBot": false}}
  ],
  "messageCount": 1
}
"""

PROFILE = (
    "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,"
    "Geo Location,Twitter Handles,Websites,Instant Messengers\n"
    'Ada,Lovelace,,,"Dec 10, 1815",Analyst,Notes on the engine,Computing,,London,,,\n'
)


def test_a_discord_export_is_not_taken_for_telegram(imp, tmp_path: Path, contacts):
    f = tmp_path / "result.json"
    f.write_text(DISCORD, encoding="utf-8")
    env = imp(f, ok=False)
    assert env["error"]["message"].startswith("cannot tell what kind of file")
    forced = imp(f, "--format", "telegram", ok=False)
    assert "not a Telegram Desktop export" in forced["error"]["message"]
    assert "Discord" in forced["error"]["message"]
    assert contacts() == []


def test_linkedin_profile_is_refused_not_imported_as_a_contact(imp, tmp_path: Path, contacts):
    f = tmp_path / "Profile.csv"
    f.write_text(PROFILE, encoding="utf-8")
    env = imp(f, ok=False)
    assert "your own LinkedIn profile" in env["error"]["message"] and env["error"]["hint"]
    assert contacts() == []


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("empty.csv", "full_name,email\n"),
        ("nobody.csv", "full_name,email\n,\n,\n"),
        ("WhatsApp Chat with Ann.txt", "12/01/2024, 10:00 - Messages and calls are end-to-end encrypted.\n"),
    ],
)
def test_nothing_importable_is_an_error(imp, tmp_path: Path, contacts, name, body):
    f = tmp_path / name
    f.write_text(body, encoding="utf-8")
    env = imp(f, ok=False)
    assert env["error"]["message"].startswith(f"{name}: nothing to import") and env["error"]["hint"]
    assert contacts() == []


@pytest.mark.parametrize(
    "header",
    [
        "n_given,n_family,email",
        "Vorname,Nachname,E-Mail-Adresse",
        "\ufeffGiven Name,Surname,Email",
        "Prénom,Nom,Courriel",
        "Nombre,Apellidos,Correo electrónico",
    ],
)
def test_name_columns_in_other_words_give_names(imp, tmp_path: Path, by_name, header):
    f = tmp_path / "people.csv"
    f.write_text(f"{header}\nAda,Lovelace,ada@example.test\n", encoding="utf-8")
    env = imp(f)
    assert env["data"]["contacts_created"] == 1 and env["data"]["errors"] == []
    ada = by_name()["Ada Lovelace"]
    assert ada["given_name"] == "Ada" and ada["family_name"] == "Lovelace"


def test_map_reads_a_column_as_a_field_and_unknown_columns_are_reported(imp, tmp_path: Path, by_name):
    f = tmp_path / "people.csv"
    f.write_text("Rufname,Zuname,Kennung\nAda,Lovelace,x1\n", encoding="utf-8")
    refused = imp(f, ok=False)
    assert "no name, email, phone or handle column" in refused["error"]["message"]
    assert "--map" in refused["error"]["hint"]
    env = imp(f, "--map", "Rufname=given_name", "--map", "zuname=last_name", "--dry-run")
    assert env["data"]["contacts_created"] == 1
    assert env["data"]["errors"] == [
        (
            "columns not recognised, kept on each contact as extra fields: Kennung; "
            "read one as a field with --map 'COLUMN=field'"
        )
    ]
    env = imp(f, "--map", "Rufname=given_name", "--map", "Zuname=family_name", "--map", "Kennung=ignore")
    assert env["data"]["errors"] == []
    assert by_name()["Ada Lovelace"]["family_name"] == "Lovelace"
    assert "no column 'Nope'" in imp(f, "--map", "Nope=given_name", ok=False)["error"]["message"]
    assert "no field 'shoe_size'" in imp(f, "--map", "Rufname=shoe_size", ok=False)["error"]["message"]


GOOGLE_NEW = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Nickname,File As,Organization Name,"
    "Organization Title,Birthday,Notes,Labels,E-mail 1 - Label,E-mail 1 - Value,"
    "Phone 1 - Label,Phone 1 - Value\n"
    "Ada,,Lovelace,,,,Engines Ltd,Analyst,,,* myContacts ::: Friends ::: Work,Home,ada@example.test,,\n"
    ",,,,,,Acme Plumbing,,,,* myContacts,Work,info@acme.example,Work,+12025550123\n"
)


def test_google_csv_org_only_rows_and_labels(imp, tmp_path: Path, by_name):
    f = tmp_path / "contacts.csv"
    f.write_text(GOOGLE_NEW, encoding="utf-8")
    env = imp(f)
    assert env["meta"]["format"] == "google-csv"
    assert env["data"]["contacts_created"] == 2 and env["data"]["errors"] == []
    people = by_name()
    assert people["Acme Plumbing"]["company"] == "Acme Plumbing"
    assert sorted(people["Ada Lovelace"]["tags"]) == ["friends", "work"]  # tags are stored lower-case
    assert people["Acme Plumbing"]["tags"] == []


LINKEDIN_MESSAGES = (
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,"
    "CONTENT,FOLDER\n"
    "c1,,Ann Lee,https://www.linkedin.com/in/ann-lee,Me Myself,https://www.linkedin.com/in/me,"
    "2024-03-15 09:30 UTC,,Hi there,INBOX\n"
    "c1,,Me Myself,https://www.linkedin.com/in/me,Ann Lee,https://www.linkedin.com/in/ann-lee,"
    '"3/16/2024, 2:05 PM",,Hello back,INBOX\n'
    'g1,Team,Me Myself,https://www.linkedin.com/in/me,"Ann Lee,Bo Chen",'
    '"https://www.linkedin.com/in/ann-lee,https://www.linkedin.com/in/bo-chen",'
    "2024-03-17 08:00:00 UTC,,Welcome both,INBOX\n"
    'g1,Team,Bo Chen,https://www.linkedin.com/in/bo-chen,"Me Myself,Ann Lee",'
    '"https://www.linkedin.com/in/me,https://www.linkedin.com/in/ann-lee",'
    "2024-03-17 09:00:00 UTC,,Thanks!,INBOX\n"
)


def test_linkedin_messages_alone_create_people_read_every_date_and_split_groups(imp, tmp_path, db, by_name):
    from tests.support.store import query

    f = tmp_path / "messages.csv"
    f.write_text(LINKEDIN_MESSAGES, encoding="utf-8")
    env = imp(f, "--me", "Me Myself", "--tz", "UTC")
    rep = env["data"]
    assert rep["errors"] == [] and rep["unmatched_names"] == []
    assert rep["contacts_created"] == 2 and rep["interactions_created"] == 5
    people = by_name()
    assert people["Bo Chen"]["linkedin_url"] == "https://www.linkedin.com/in/bo-chen"
    rows = query(
        db,
        "SELECT c.full_name, i.direction, i.occurred_at, i.content_preview FROM interactions i "
        "JOIN contacts c ON c.id = i.contact_id ORDER BY i.occurred_at, c.full_name",
    )
    assert rows == [
        ("Ann Lee", "inbound", "2024-03-15T09:30:00.000Z", "Hi there"),
        ("Ann Lee", "outbound", "2024-03-16T14:05:00.000Z", "Hello back"),
        ("Ann Lee", "outbound", "2024-03-17T08:00:00.000Z", "Welcome both"),
        ("Bo Chen", "outbound", "2024-03-17T08:00:00.000Z", "Welcome both"),
        ("Bo Chen", "inbound", "2024-03-17T09:00:00.000Z", "Thanks!"),
    ]
    again = imp(f, "--me", "Me Myself", "--tz", "UTC")["data"]
    assert again["contacts_created"] == 0 and again["interactions_created"] == 0 and again["batch_id"] is None


JENNY = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jenny Klippe\r\nN:Klippe;Jenny;;;\r\n"
    "ADR;TYPE=HOME:;;Klippe 58;Tostedt;;21255;Germany\r\n"
    "LABEL,TYPE=HOME:Klippe 58\\n21255 Tostedt\r\n Germany\r\n"
    "TEL;TYPE=CELL:+12025550123 ext 9\r\n"
    "TEL;TYPE=WORK:tel:+1-202-555-0124;ext=5555\r\n"
    "TEL:ask Jenny for Lisa's number\r\n"
    "END:VCARD\r\n"
)


def test_vcard_malformed_line_words_for_a_phone_and_extensions(imp, cli, tmp_path: Path, by_name, dump):
    folder = tmp_path / "cards"
    folder.mkdir()
    (folder / "jenny.vcf").write_text(JENNY, encoding="utf-8", newline="")
    before = dump(skip=("import_batches", "settings"))
    first = imp(folder)["data"]
    assert first["contacts_created"] == 1
    # the malformed line is reported with its number, never glued to the address above
    said = "not a vCard property ('LABEL,TYPE=HOME:Klippe 58\\\\n21255 Tostedt') on line 6; line skipped"
    assert first["errors"] == [f"jenny.vcf: Card 1 (Jenny Klippe): {said}"]
    jenny = by_name()["Jenny Klippe"]
    assert sorted(jenny["phones"]) == ["+1-202-555-0124", "+12025550123"]  # as written, no extension
    # a second run changes nothing, so the first one can still be undone
    again = imp(folder)["data"]
    assert again["contacts_updated"] == 0 and again["batch_id"] is None
    out = tmp_path / "out.vcf"
    cli("export", "vcard", "--output", str(out))
    text = out.read_text(encoding="utf-8")
    assert "21255;Germany" in text and "LABEL" not in text
    assert "ext. 9" in text and "ext. 5555" in text
    assert "TEL:ask Jenny for Lisa's number" in text
    cli.json("import", "undo", first["batch_id"][:8], "--yes")
    assert dump(skip=("import_batches", "settings")) == before


def test_whatsapp_zip_export_is_read_like_its_chat(imp, tmp_path: Path, by_name):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(
            "_chat.txt",
            "[01/12/2024, 10:05:23 AM] Ann Lee: hi\n"
            "[02/12/2024, 9:00:00 AM] Bob: \u200e<attached: 00000002-PHOTO-2024-12-02-09-00-00.jpg>\n",
        )
        zf.writestr("00000002-PHOTO-2024-12-02-09-00-00.jpg", b"\xff\xd8\xff")
    f = tmp_path / "WhatsApp Chat - Ann Lee.zip"
    f.write_bytes(buf.getvalue())
    env = imp(f, "--me", "Bob")
    assert env["meta"]["format"] == "whatsapp-zip"
    assert env["data"]["interactions_created"] == 2 and env["data"]["errors"] == []
    assert "Ann Lee" in by_name()
