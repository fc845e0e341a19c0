"""Import fidelity, the rest: localized Outlook CSV and its short rows, Telegram "personal" chats with more
than two people, X archives without account.js, vCard group labels, phone-only contacts, and no success
for a file read as nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.support.store import query

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "fidelity"

# A French Outlook export's header (the column names French Outlook writes, in its order)
FR_HEADER = (
    "Titre,Prénom,Deuxième prénom,Nom,Suffixe,Surnom,Société ,Service ,Titre,Rue (bureau),Rue (bureau) 2,"
    "Rue (bureau) 3,Ville (bureau),Dép/Région (bureau),Code postal (bureau),Pays/Région (bureau),"
    "Rue (domicile),Ville (domicile),Code postal (domicile),Pays/Région (domicile),Téléphone (bureau),"
    "Téléphone (domicile),Tél. mobile,Adresse de messagerie,Type de messagerie,"
    "Nom complet de l'adresse de messagerie,Adresse de messagerie 2,Anniversaire,Catégories,Notes,Page Web"
)
ES_HEADER = (
    "Tratamiento,Nombre,Segundo nombre,Apellidos,Sufijo,Organización,Departamento,Puesto,Calle del trabajo,"
    "Ciudad de trabajo,Código postal del trabajo,País o región del trabajo,Teléfono del trabajo,Particular,"
    "Móvil,Dirección de correo electrónico,Nombre de pantalla de correo electrónico,Cumpleaños,"
    "Categorías,Notas"
)


def _row(header: str, **cells: str) -> str:
    names = next(csv.reader([header]))
    keys = [n.strip() for n in names]
    row = ["" for _ in names]
    for k, v in cells.items():
        row[keys.index(k.replace("_", " "))] = v
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(row)
    return buf.getvalue()


def test_german_outlook_2013_export_is_detected_and_its_short_rows_read(imp, by_name, db):
    # 92 columns in the header, 89 fields in each row (Outlook leaves the last ones out); a cut row of 40
    # fields is still reported
    env = imp(FIX / "outlook-2013-de.csv")
    assert env["meta"]["format"] == "outlook-csv"
    rep = env["data"]
    assert rep["contacts_created"] == 2
    assert rep["errors"] == [
        "Row 4: 40 fields where the header has 92; row skipped",
        # Outlook's own columns pcrm has no field for (E-Mail: Angezeigter Name) are kept as labelled extra
        # fields, not reported; those holding only Outlook's defaults (Geschlecht "Nicht angegeben",
        # Priorität "Normal", Privat "Aus", Vertraulichkeit "Normal") say nothing and are not kept
    ]
    people = by_name()
    max_ = people["Max Mustermann"]
    assert (max_["given_name"], max_["family_name"]) == ("Max", "Mustermann")
    assert max_["company"] == "Beispiel GmbH" and max_["title"] == "Einkaufsleiter"
    assert max_["emails"] == ["max.mustermann@example.de"]
    assert max_["phones"] == ["+49 30 1234567", "+49 170 1234567"]
    assert max_["birthday"] == "1980-12-24"  # D.M.YYYY, day first
    assert max_["tags"] == ["kunden", "messe"] and max_["location"] == "Berlin"
    kept = query(db, "SELECT value FROM contact_fields WHERE kind = 'x' ORDER BY id")
    assert not any(
        v.startswith(("X-GESCHLECHT", "X-PRIORIT", "X-PRIVAT", "X-VERTRAULICHKEIT")) for (v,) in kept
    )
    erika = people["Erika Musterfrau"]
    assert erika["phones"] == ["030 9876543"] and erika["birthday"] == "1975-07-03"


def test_french_and_spanish_outlook_exports_map_their_columns(imp, tmp_path: Path, by_name):
    fr = tmp_path / "contacts.csv"
    fr.write_bytes(
        (
            FR_HEADER
            + "\r\n"
            + _row(
                FR_HEADER,
                Prénom="Amélie",
                Nom="Poulain",
                **{"Tél. mobile": "+33 6 12 34 56 78", "Adresse de messagerie": "amelie@example.fr"},
                Anniversaire="05/03/1974",
                Catégories="Amis",
            )
        ).encode("cp1252")
    )
    env = imp(fr)
    assert env["meta"]["format"] == "outlook-csv" and env["data"]["errors"] == []
    amelie = by_name()["Amélie Poulain"]
    assert amelie["emails"] == ["amelie@example.fr"] and amelie["phones"] == ["+33 6 12 34 56 78"]
    assert amelie["birthday"] == "1974-03-05" and amelie["tags"] == ["amis"]

    es = tmp_path / "contactos.csv"
    es.write_text(
        ES_HEADER
        + "\n"
        + _row(
            ES_HEADER,
            Nombre="Lucía",
            Apellidos="García López",
            Organización="Ejemplo S.A.",
            Puesto="Directora",
            Móvil="+34 600 000 000",
            **{"Dirección de correo electrónico": "lucia@example.es"},
        ),
        encoding="utf-8",
    )
    env = imp(es)
    assert env["meta"]["format"] == "outlook-csv" and env["data"]["errors"] == []
    lucia = by_name()["Lucía García López"]
    assert lucia["company"] == "Ejemplo S.A." and lucia["title"] == "Directora"
    assert lucia["emails"] == ["lucia@example.es"] and lucia["phones"] == ["+34 600 000 000"]


def test_short_rows_only_pass_when_the_header_ends_in_unnamed_columns(imp, tmp_path: Path, by_name):
    f = tmp_path / "people.csv"
    f.write_text(
        "full_name,email,,\nAda Lovelace,ada@example.test\nBob,bob@example.test,,\nCut\n", encoding="utf-8"
    )
    rep = imp(f)["data"]
    assert rep["contacts_created"] == 2
    assert rep["errors"] == ["Row 4: 1 field where the header has 4; row skipped"]


def _telegram_chat(senders: list[tuple[str, str]]) -> str:
    import json

    messages = [
        {
            "id": i + 1,
            "type": "message",
            "date": f"2024-05-0{i + 1}T10:00:00",
            "date_unixtime": str(1714557600 + i * 86400),
            "from": name,
            "from_id": uid,
            "text": f"hello {i}",
        }
        for i, (name, uid) in enumerate(senders)
    ]
    return json.dumps({"name": "Ann", "type": "personal_chat", "id": 111, "messages": messages})


def test_telegram_personal_chat_with_three_people_is_read_as_a_group(imp, tmp_path: Path, by_name):
    f = tmp_path / "result.json"
    f.write_text(
        _telegram_chat([("Ann", "user111"), ("Me Myself", "user999"), ("Carl", "user222")]), encoding="utf-8"
    )
    refused = imp(f, ok=False)  # without your name pcrm cannot leave you out of the members
    assert "group chat" in refused["error"]["message"] and "--me" in refused["error"]["hint"]
    rep = imp(f, "--me", "Me Myself")["data"]
    assert rep["interactions_created"] == 0 and rep["interactions_skipped"] == 3
    assert any("personal chat with 3 people" in e and "read as a group" in e for e in rep["errors"]), rep
    people = by_name()
    assert set(people) == {"Ann", "Carl"}
    assert people["Carl"]["telegram_user_id"] == "222" and "2nd tier" in people["Carl"]["tags"]
    # two people stay a personal chat
    two = tmp_path / "two" / "result.json"
    two.parent.mkdir()
    two.write_text(_telegram_chat([("Ann", "user111"), ("Me Myself", "user999")]), encoding="utf-8")
    rep2 = imp(two, "--me", "Me Myself")["data"]
    assert rep2["interactions_created"] == 2 and rep2["errors"] == []


def _dms(conversations: dict[str, list[tuple[str, str, str]]]) -> str:
    import json

    doc = [
        {
            "dmConversation": {
                "conversationId": cid,
                "messages": [
                    {
                        "messageCreate": {
                            "id": mid,
                            "senderId": s,
                            "recipientId": r,
                            "text": "hi",
                            "createdAt": "2023-01-02T03:04:05.000Z",
                        }
                    }
                    for mid, s, r in msgs
                ],
            }
        }
        for cid, msgs in conversations.items()
    ]
    return "window.YTD.direct_messages.part0 = " + json.dumps(doc, indent=2)


def test_x_archive_without_account_js_takes_me_id_or_infers_it(imp, tmp_path: Path, cli):
    one = tmp_path / "one" / "direct-messages.js"
    one.parent.mkdir()
    one.write_text(_dms({"100-200": [("1", "100", "200"), ("2", "200", "100")]}), encoding="utf-8")
    refused = imp(one, ok=False)
    assert "which side of the conversation is you" in refused["error"]["message"]
    assert "--me-id" in refused["error"]["hint"] and "100" in refused["error"]["hint"]
    wrong = imp(one, "--me-id", "300", ok=False)
    assert "in none of the archive's conversations" in wrong["error"]["message"]
    rep = imp(one, "--me-id", "200")["data"]
    assert rep["contacts_created"] == 1 and rep["interactions_created"] == 2
    them = cli.json("contacts", "list")["data"]
    assert [c["twitter_user_id"] for c in them] == ["100"]
    got = cli.json("interactions", "list", them[0]["id"])["data"]
    assert sorted(i["direction"] for i in got) == ["inbound", "outbound"]
    # two conversations: the id in both is you, no option needed
    two = tmp_path / "two" / "direct-messages.js"
    two.parent.mkdir()
    two.write_text(
        _dms({"200-300": [("3", "200", "300")], "200-400": [("4", "400", "200")]}), encoding="utf-8"
    )
    rep = imp(two)["data"]
    assert rep["contacts_created"] == 2 and rep["interactions_created"] == 2


V4_GROUPS = (
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Grace Group\r\nN:Group;Grace;;;\r\n"
    "item1.TEL;VALUE=uri:tel:+1-555-0100\r\nitem1.X-ABLabel:Oma's line\r\n"
    "item2.EMAIL:grace@example.com\r\nitem2.X-ABLabel:_$!<Other>!$_\r\n"
    "item3.ADR:;;1 Main St;Springfield;;12345;USA\r\nitem3.X-ABLabel:Summer house\r\n"
    "item4.URL:https://example.com/grace\r\nitem4.X-ABLabel:blog\r\n"
    "item5.X-CUSTOM:whatever\r\nitem5.X-ABLabel:custom thing\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nTEL;TYPE=cell:+1 555 0199\r\nEND:VCARD\r\n"
)


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcard4_group_labels_survive_export_and_a_phone_only_card_shows_its_number(
    imp, cli, tmp_path: Path, contacts, version
):
    src = tmp_path / "in.vcf"
    src.write_text(V4_GROUPS, encoding="utf-8", newline="")
    rep = imp(src)["data"]
    assert rep["contacts_created"] == 2
    out = tmp_path / "out.vcf"
    cli("export", "vcard", "--version", version, "--output", str(out))
    text = out.read_text(encoding="utf-8")
    for value, label in (
        ("+1-555-0100", "Oma's line"),
        ("1 Main St;Springfield;;12345;USA", "Summer house"),
        ("https://example.com/grace", "blog"),
        ("X-CUSTOM:whatever", "custom thing"),
    ):
        line = next(x for x in text.splitlines() if value in x)
        group = line.split(".", 1)[0]
        assert group.startswith("item"), line
        assert f"{group}.X-ABLabel:{label}" in text, (label, text)
    assert "TYPE=other" in next(x for x in text.splitlines() if "grace@example.com" in x)
    # the phone-only card: FN is its number, and it is listed and shown by it
    assert "FN:+1 555 0199" in text
    listed = cli("contacts", "list").stdout
    assert "+1 555 0199" in listed and "(no name)" not in listed
    nameless = next(c for c in contacts() if not c["full_name"])
    shown = cli("contacts", "show", nameless["id"][:8]).stdout
    assert "shown as" in shown and "+1 555 0199" in shown
    # the exported cards import back unchanged (a number as FN is not taken for a name)
    again = imp(out)["data"]
    assert again["contacts_created"] == 0 and again["contacts_updated"] == 0
    assert next(c for c in contacts() if c["id"] == nameless["id"])["full_name"] is None


GOOGLE_HEADER = (
    "Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi,"
    "Family Name Yomi,Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,Gender,"
    "Location,Billing Information,Directory Server,Mileage,Occupation,Hobby,Sensitivity,Priority,Subject,"
    "Notes,Language,Photo,Group Membership,E-mail 1 - Type,E-mail 1 - Value\n"
)
NOTHING = [
    ("contacts.csv", "full_name,email\n,\n"),
    ("google.csv", GOOGLE_HEADER + ",,,,,,,,,,,,,,,,,,,,,,,,,,,,* myContacts,,\n"),
    ("outlook.csv", "First Name,Last Name,E-mail Address,Business Phone\n,,,\n"),
    (
        "outlook-de.csv",
        (
            "Vorname,Weitere Vornamen,Nachname,Firma,Position,E-Mail-Adresse,Telefon geschäftlich,"
            "Telefon privat,Mobiltelefon,Geburtstag,Notizen,Kategorien\n,,,,,,,,,0.0.00,,\n"
        ),
    ),
    ("Connections.csv", "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"),
    ("messages.csv", "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT\n"),
    ("cards.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:\r\nEND:VCARD\r\n"),
    (
        "result.json",
        (
            '{"name": "News", "type": "public_channel", "id": 1, "messages": [{"id": 1, "type": "message", '
            '"date": "2024-01-01T10:00:00", "from": "News", "from_id": "channel1", "text": "hello"}]}'
        ),
    ),
    ("result.json", '{"personal_information": {"user_id": 5}, "chats": {"list": []}}'),
    ("direct-messages.js", "window.YTD.direct_messages.part0 = []"),
    ("WhatsApp Chat with Ann.txt", "12/01/2024, 10:00 - Messages and calls are end-to-end encrypted.\n"),
    ("people.tsv", "name\temail\n\t\n"),
]


@pytest.mark.parametrize(("name", "body"), NOTHING, ids=[f"{n}-{i}" for i, (n, _b) in enumerate(NOTHING)])
def test_a_file_read_as_nothing_is_never_a_success(imp, tmp_path: Path, contacts, dump, name, body):
    f = tmp_path / name
    f.write_text(body, encoding="utf-8", newline="")
    before = dump(skip=("import_batches", "settings"))
    env = imp(f, "--me", "Me", ok=False)
    msg = env["error"]["message"]
    assert msg.startswith(f"{name}: nothing to import") or "no " in msg, msg
    assert env["error"]["hint"]
    assert contacts() == [] and dump(skip=("import_batches", "settings")) == before
