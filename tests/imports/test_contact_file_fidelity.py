"""Contact files (Google CSV, Outlook CSV, a generic CSV, vCard) keep what their columns say [csv-imports].

- every phone keeps its label (Google's `Pager`, `Work Fax`, `Main`, `Google Voice`, a label the user typed;
  an Outlook phone column), `pcrm contacts show` says it beside the number, and `pcrm export vcard` /
  `pcrm export csv` write it back so a re-import brings nothing new and an empty store gets the same labels;
  a phone cell of words (Google's legacy sample writes `pager` in its Pager cell) keeps its label too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.store import people

GOOGLE_PHONES = [
    ("Pager", "+1 555 0201", "pager"),
    ("Work Fax", "+1 555 0202", "work fax"),
    ("Home Fax", "+1 555 0203", "home fax"),
    ("Main", "+1 555 0204", "main"),
    ("Google Voice", "+1 555 0205", "Google Voice"),
    ("Other", "+1 555 0206", "other"),
    ("Boat phone", "+1 555 0207", "Boat phone"),
    ("* Mobile", "+1 555 0208", "mobile"),
    ("Pager", "beep me", "pager"),  # words: not a number, kept with its label
]


def _google(tmp_path: Path) -> Path:
    head = ",".join(f"Phone {i} - Label,Phone {i} - Value" for i in range(1, len(GOOGLE_PHONES) + 1))
    row = ",".join(f"{label},{value}" for label, value, _ in GOOGLE_PHONES)
    f = tmp_path / "google.csv"
    f.write_text(
        f"First Name,Last Name,E-mail 1 - Label,E-mail 1 - Value,{head}\nAnn,Lee,Work,ann@x.test,{row}\n"
    )
    return f


def _shown_phones(cli: Any) -> str:
    out = cli("contacts", "show", "ann@x.test").stdout
    return " ".join(out.split())


def test_every_google_phone_label_is_shown_and_survives_export_and_reimport(
    cli: Any, imp: Any, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rep = imp(_google(tmp_path), ok=None)["data"]
    assert rep["contacts_created"] == 1
    assert rep["errors"] == ["Row 2: phone 'beep me' is not a phone number: kept as an extra field"]
    shown = _shown_phones(cli)
    for _label, value, said in GOOGLE_PHONES[:-1]:
        assert f"{value} ({said})" in shown, (value, shown)
    assert "ann@x.test (work)" in shown
    assert "phone (pager; not a number) beep me" in shown
    before = {(f["kind"], f["label"], f["value"]) for f in people(db)["Ann Lee"]["fields"]}
    assert ("note", "tel;pager", "beep me") in before and ("phone", "pager", "+1 555 0201") in before
    vcf, csv = tmp_path / "out.vcf", tmp_path / "out.csv"
    cli("export", "vcard", "--output", str(vcf))
    cli("export", "csv", "--output", str(csv))
    card = vcf.read_text(encoding="utf-8")
    assert "TEL;TYPE=pager:+1 555 0201" in card and "TEL;TYPE=pager:beep me" in card
    assert "TEL;TYPE=work,fax:+1 555 0202" in card and "TEL;TYPE=main:+1 555 0204" in card
    assert "X-ABLabel:Google Voice" in card and "X-ABLabel:Boat phone" in card
    for f in (vcf, csv):
        again = imp(f)["data"]
        assert (again["contacts_created"], again["contacts_updated"], again["errors"]) == (0, 0, []), f
        home = tmp_path / f"empty-{f.suffix}"
        monkeypatch.setenv("PCRM_HOME", str(home))
        imp(f)
        got = {(x["kind"], x["label"], x["value"]) for x in people(home / "pcrm.db")["Ann Lee"]["fields"]}
        assert got == before, f
        again_shown = _shown_phones(cli)
        assert all(f"{value} ({said})" in again_shown for _label, value, said in GOOGLE_PHONES[:-1])
        assert "phone (pager; not a number) beep me" in again_shown
        monkeypatch.setenv("PCRM_HOME", str(db.parent))


def test_the_legacy_google_sample_keeps_each_phone_label_of_its_words(
    cli: Any, imp: Any, corpus: Path
) -> None:
    """Google's legacy sample writes words in its phone cells (`Pager`,`pager`): each was kept as `note (tel)`
    without the label; now `pcrm contacts show` names it by its label and the vCard export writes it back."""
    imp(corpus / "google_csv/roundcube__gmail_legacy.csv", ok=None)
    shown = " ".join(cli("contacts", "show", "home@aaa.pl").stdout.split())
    for label, value in (
        ("pager", "pager"),
        ("main", "mainphone"),
        ("home fax", "homefax"),
        ("mobile", "mobile"),
    ):
        assert f"phone ({label}; not a number) {value}" in shown
    assert "note (tel)" not in shown


def test_an_outlook_phone_column_of_words_keeps_its_label(
    cli: Any, imp: Any, db: Path, tmp_path: Path
) -> None:
    f = tmp_path / "outlook.csv"
    f.write_text(
        "First Name,Last Name,E-mail Address,Pager,Business Fax,Mobile Phone\n"
        "Ann,Lee,ann@x.test,ask reception,+1 555 0301,+1 555 0302\n"
    )
    imp(f, ok=None)
    fields = {(x["kind"], x["label"], x["value"]) for x in people(db)["Ann Lee"]["fields"]}
    assert ("note", "tel;pager", "ask reception") in fields
    assert not any(k == "phone" and v == "ask reception" for k, _label, v in fields)
    shown = _shown_phones(cli)
    assert "+1 555 0301 (work fax)" in shown and "+1 555 0302 (mobile)" in shown
    assert "phone (pager; not a number) ask reception" in shown


ORG_HEADER = (
    "Name,Given Name,Family Name,E-mail 1 - Value,Organization 1 - Type,Organization 1 - Name,"
    "Organization 1 - Yomi Name,Organization 1 - Title,Organization 1 - Department,Organization 1 - Symbol,"
    "Organization 1 - Location,Organization 1 - Job Description,Organization 2 - Name,Organization 2 - Title,"
    "Organization 2 - Department,Organization 2 - Location,Organization 2 - Job Description,"
    "External ID 1 - Type,External ID 1 - Value"
)
ORG_ROW = (
    "Ann Lee,Ann,Lee,ann@x.test,Work,Acme,Akume,CEO,Research,ACME,Berlin,Makes things,Initech,Advisor,Board,"
    "Austin,Advises,Account,12345"
)


def test_google_organization_columns_are_labelled_fields_and_the_department_is_shown_as_one(
    cli: Any, imp: Any, db: Path, tmp_path: Path
) -> None:
    """`Organization 1 - Location`, `- Job Description`, `- Symbol`, `- Yomi Name` (and Organization 2's) were
    kept as raw columns (`organization 1 job description`) and named in the report as columns not read; the
    department showed as "other company Acme, Research". `External ID 1 - Type` / `- Value` were two raw
    columns."""
    f = tmp_path / "google.csv"
    f.write_text(f"{ORG_HEADER}\n{ORG_ROW}\n", encoding="utf-8")
    rep = imp(f)["data"]
    assert rep["errors"] == []  # no "columns not recognised, kept on each contact as extra fields: ..."
    shown = [" ".join(line.split()) for line in cli("contacts", "show", "ann@x.test").stdout.splitlines()]
    for line in (
        "department Research",
        "other company Initech, Board",
        "office location Berlin",
        "job description Makes things",
        "company symbol ACME",
        "company name (phonetic) Akume",
        "company type Work",
        "office location (Initech) Austin",
        "job description (Initech) Advises",
        "external id (Account) 12345",
    ):
        assert line in shown, (line, shown)
    assert not any("organization 1" in line.lower() for line in shown)
    out = tmp_path / "out.vcf"
    cli("export", "vcard", "--output", str(out))
    card = out.read_text(encoding="utf-8")
    assert "ORG:Acme;Research" in card and "X-ABLabel:job description" in card
    again = imp(out)["data"]
    assert (again["contacts_created"], again["contacts_updated"], again["errors"]) == (0, 0, [])
    assert (imp(f)["data"]["contacts_created"], imp(f)["data"]["contacts_updated"]) == (0, 0)


def test_outlook_personal_web_page_and_im_address_are_a_link_and_a_chat_handle(
    cli: Any, imp: Any, db: Path, tmp_path: Path
) -> None:
    """Outlook.com's `Personal Web Page` and `IMAddress` were raw columns named in the report as not
    recognised; now a `home` link and a chat handle, written back as URL;TYPE=home and IMPP. Its `Department`
    is shown as the department of the contact's company."""
    f = tmp_path / "outlook.csv"
    f.write_text(
        "First Name,Last Name,E-mail Address,IMAddress,Department,Company,Personal Web Page,Web Page\n"
        "Ann,Lee,ann@x.test,ann@chat.example,Research,Acme,https://ann.example,https://acme.example/ann\n"
    )
    rep = imp(f)["data"]
    assert rep["errors"] == []
    fields = {(x["kind"], x["label"], x["value"]) for x in people(db)["Ann Lee"]["fields"]}
    assert {("url", "home", "https://ann.example"), ("im", None, "ann@chat.example")} <= fields
    shown = [" ".join(line.split()) for line in cli("contacts", "show", "ann@x.test").stdout.splitlines()]
    assert {"department Research", "web (home) https://ann.example", "chat ann@chat.example"} <= set(shown)
    out = tmp_path / "out.vcf"
    cli("export", "vcard", "--output", str(out))
    card = out.read_text(encoding="utf-8")
    assert "URL;TYPE=home:https://ann.example" in card and "IMPP:ann@chat.example" in card
    again = imp(out)["data"]
    assert (again["contacts_created"], again["contacts_updated"]) == (0, 0)


def test_phonetic_names_and_file_as_are_labelled_and_not_reported_as_unknown(
    cli: Any, imp: Any, tmp_path: Path
) -> None:
    """Google's current layout writes `Phonetic First Name`, `- Last Name` and `File As` on every export,
    Outlook `Given Yomi`, `Surname Yomi` and `Office Location`: each was reported as a column not recognised
    and shown by its bare column name. Now each is labelled by what it is, on the line a vCard
    import keeps."""
    g = tmp_path / "google.csv"
    g.write_text(
        "First Name,Last Name,Phonetic First Name,Phonetic Last Name,File As,E-mail 1 - Value\n"
        'Kenji,Sato,Kenji,Satoo,"Sato, Kenji",kenji@x.test\n'
    )
    o = tmp_path / "outlook.csv"
    o.write_text(
        "First Name,Last Name,E-mail Address,Given Yomi,Surname Yomi,Office Location\n"
        "Aiko,Ito,aiko@x.test,Aiko,Itoo,Room 5\n"
    )
    for f, ref, lines in (
        (
            g,
            "kenji@x.test",
            ("given name (phonetic) Kenji", "family name (phonetic) Satoo", "filed as Sato, Kenji"),
        ),
        (
            o,
            "aiko@x.test",
            ("given name (phonetic) Aiko", "family name (phonetic) Itoo", "office location Room 5"),
        ),
    ):
        assert imp(f)["data"]["errors"] == [], f
        shown = [" ".join(line.split()) for line in cli("contacts", "show", ref).stdout.splitlines()]
        assert set(lines) <= set(shown), shown
    out = tmp_path / "out.vcf"
    cli("export", "vcard", "--output", str(out))
    assert "X-PHONETIC-FIRST-NAME:Kenji" in out.read_text(encoding="utf-8")
    again = imp(out)["data"]
    assert (again["contacts_created"], again["contacts_updated"]) == (0, 0)


def test_a_google_vcard_shows_each_phone_label(cli: Any, imp: Any, corpus: Path) -> None:
    """Google's own vCard export (TYPE=PAGER, TYPE=HOME;TYPE=FAX, an X-ABLabel GRAND_CENTRAL for Google Voice,
    a custom label): `pcrm contacts show` listed the numbers bare."""
    imp(corpus / "vcard/ez-vcard__gmail-single2.vcf", ok=None)
    shown = " ".join(cli("contacts", "show", "homeemail@example.com").stdout.split())
    for value, said in (
        ("5555551120", "pager"),
        ("5555551117", "home fax"),
        ("5555551115", "mobile"),
        ("5555551119", "Google Voice"),
        ("5555551121", "CustomePhoneCategory"),
    ):
        assert f"{value} ({said})" in shown, (value, shown)


OUTLOOK_MISC = [  # Outlook's column, the German one, its value, how contacts show names it
    ("Gender", "Geschlecht", "Female", "gender"),
    ("Hobby", "Hobby", "chess", "hobbies"),
    ("Priority", "Priorität", "High", "importance"),
    ("Sensitivity", "Vertraulichkeit", "Private", "sensitivity"),
    ("Location", "Ort", "Building 4", "location"),
    ("Schools", "Schools", "MIT", "schools"),
    ("E-mail Display Name", "E-Mail: Angezeigter Name", "Ann Lee (ann@x.test)", "e-mail display name"),
    ("User 1", "Benutzer 1", "u-one", "user field 1"),
    ("User 4", "Benutzer 4", "u-four", "user field 4"),
    ("Referred By", "Empfohlen von", "Bo", "referred by"),
]


@pytest.mark.parametrize("german", [False, True])
def test_outlook_miscellaneous_columns_are_labelled_and_not_reported_as_unknown(
    cli: Any, imp: Any, db: Path, tmp_path: Path, german: bool
) -> None:
    """Outlook's Gender, Hobby, Priority, Sensitivity, Location, Schools, E-mail Display Name, User 1-4, ...
    (in English or German) were reported as columns not recognised and shown by the bare column; now each
    is kept on the same x line, labelled by what it is, and not reported. The localized Personal Web Page
    and IMAddress are a home link and a chat handle, as the English ones are."""
    col = 1 if german else 0
    head = (
        ["Vorname", "Nachname", "E-Mail-Adresse"] if german else ["First Name", "Last Name", "E-mail Address"]
    )
    head += [m[col] for m in OUTLOOK_MISC]
    head += ["Persönliche Webseite", "Chatadresse"] if german else ["Personal Web Page", "IMAddress"]
    row = [
        "Ann",
        "Lee",
        "ann@x.test",
        *(m[2] for m in OUTLOOK_MISC),
        "https://ann.example",
        "ann@chat.example",
    ]
    f = tmp_path / "outlook.csv"
    f.write_text(",".join(head) + "\n" + ",".join(f'"{v}"' for v in row) + "\n", encoding="utf-8")
    rep = imp(f)["data"]
    assert rep["errors"] == []
    shown = {" ".join(line.split()) for line in cli("contacts", "show", "ann@x.test").stdout.splitlines()}
    for _en, _de, value, said in OUTLOOK_MISC:
        assert f"{said} {value}" in shown, (said, shown)
    assert {"web (home) https://ann.example", "chat ann@chat.example"} <= shown
    fields = {(x["kind"], x["value"]) for x in people(db)["Ann Lee"]["fields"]}
    if not german:  # the x line the column was kept as before: a store that has it gains no second copy
        assert ("x", "X-USER-1:u-one") in fields and ("x", "X-GENDER:Female") in fields


def test_google_legacy_outlook_columns_are_labelled_and_not_reported_as_unknown(
    cli: Any, imp: Any, db: Path, tmp_path: Path
) -> None:
    f = tmp_path / "google.csv"
    f.write_text(
        "Name,Given Name,Family Name,Gender,Hobby,Priority,Sensitivity,Mileage,"
        "E-mail 1 - Type,E-mail 1 - Value\n"
        "Ann Lee,Ann,Lee,female,chess,High,Private,12 km,* Home,ann@x.test\n"
    )
    rep = imp(f)["data"]
    assert rep["errors"] == []
    shown = {" ".join(line.split()) for line in cli("contacts", "show", "ann@x.test").stdout.splitlines()}
    assert {
        "gender female",
        "hobbies chess",
        "importance High",
        "sensitivity Private",
        "mileage 12 km",
    } <= shown


def test_a_store_from_before_the_labels_gets_them_on_a_reimport_and_undo_takes_them_back(
    cli: Any, imp: Any, db: Path, tmp_path: Path
) -> None:
    """A store from before the Google/Outlook columns were labelled keeps `X-ORGANIZATION-1-LOCATION:Berlin`
    without a label (shown as 'organization 1 location'), and a phone of words as a bare `tel` note. `pcrm
    import` of the same file again said 'nothing changed', so the old names stayed; now the re-import puts
    the labelled field in the old one's place (the same row, the same value, no second copy), and `pcrm
    import undo` takes the labels back off."""
    import apsw

    f = tmp_path / "google.csv"
    f.write_text(
        "Name,Given Name,Family Name,E-mail 1 - Value,Organization 1 - Name,Organization 1 - Location,"
        "Hobby,Phone 1 - Label,Phone 1 - Value\n"
        "Ann Lee,Ann,Lee,ann@x.test,Acme,Berlin,chess,Pager,beep me\n"
    )
    imp(f, ok=None)
    labelled = sorted((x["kind"], x["label"] or "", x["value"]) for x in people(db)["Ann Lee"]["fields"])
    conn = apsw.Connection(str(db))  # the fields as an import before the labels kept them
    with conn:
        conn.execute("UPDATE contact_fields SET label = NULL WHERE kind = 'x'")
        conn.execute("UPDATE contact_fields SET label = 'tel' WHERE kind = 'note'")
    conn.close()
    old = sorted((x["kind"], x["label"] or "", x["value"]) for x in people(db)["Ann Lee"]["fields"])
    shown = {" ".join(line.split()) for line in cli("contacts", "show", "ann@x.test").stdout.splitlines()}
    assert "organization 1 location Berlin" in shown and "phone (not a number) beep me" in shown
    again = imp(f, ok=None)["data"]
    assert (again["contacts_created"], again["contacts_updated"]) == (0, 1)
    now = sorted((x["kind"], x["label"] or "", x["value"]) for x in people(db)["Ann Lee"]["fields"])
    assert now == labelled and len(now) == len(old)
    shown = {" ".join(line.split()) for line in cli("contacts", "show", "ann@x.test").stdout.splitlines()}
    assert {"office location Berlin", "hobbies chess", "phone (pager; not a number) beep me"} <= shown
    assert "organization 1 location Berlin" not in shown
    assert imp(f, ok=None)["data"]["batch_id"] is None  # once relabelled, nothing more
    cli("import", "undo", again["batch_id"], "--yes")
    assert sorted((x["kind"], x["label"] or "", x["value"]) for x in people(db)["Ann Lee"]["fields"]) == old


def _show(cli: Any, who: str) -> set[str]:
    return {" ".join(line.split()) for line in cli("contacts", "show", who).stdout.splitlines()}


RELATED_CARD = """BEGIN:VCARD
VERSION:3.0
FN:Ann Lee
EMAIL:ann@x.test
X-SPOUSE:Sam Lee
X-MANAGER:Meg Boss
X-ASSISTANT:Al Help
X-KADDRESSBOOK-X-SPOUSENAME:Sam L.
X-KADDRESSBOOK-X-ANNIVERSARY:2001-06-09
GENDER:F;woman
X-FCENCODED-582D46432D52656C617465644E616D65733A4D6F74686572:Mae Lee
X-FCENCODED-582D46432D4F7468657244617465733A4F74686572:2016-08-03
X-FCENCODED-582D46432D4F7468657244617465733A416E6E6976657273617279:2016-08-02
X-FCENCODED-582D46432D48656C6C6F:kept
END:VCARD
"""


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcard_spouse_manager_assistant_gender_and_fullcontact_names_are_read_as_what_they_are(
    cli: Any, imp: Any, db: Path, tmp_path: Path, corpus: Path, version: str
) -> None:
    """Evolution's X-EVOLUTION-SPOUSE / -MANAGER / -ASSISTANT (and X-SPOUSE, X-MANAGER, X-ASSISTANT,
    KAddressBook's) were kept raw ('evolution spouse Maria'); now related fields labelled spouse, manager,
    assistant, as Outlook's columns are. FullContact's X-FCENCODED-<hex> names are read out: its related names
    and anniversary as such, another date as a labelled date, any other name as its decoded label. GENDER
    shows its sex letter as a word. The export writes them back so a re-import adds nothing."""
    imp(corpus / "vcard" / "ez-vcard__John_Doe_EVOLUTION.vcf")
    shown = _show(cli, "john.doe@ibm.com")
    assert {
        "related (spouse) Maria",
        "related (manager) Big Blue",
        "related (assistant) Little Red",
        "anniversary 1980-03-22",
        "filed as Doe, John",
    } <= shown, shown
    assert not [line for line in shown if line.startswith("evolution ")], shown
    card = tmp_path / "related.vcf"
    card.write_text(RELATED_CARD, encoding="utf-8")
    imp(card)
    shown = _show(cli, "ann@x.test")
    assert {
        "related (spouse) Sam Lee",
        "related (spouse) Sam L.",
        "related (manager) Meg Boss",
        "related (assistant) Al Help",
        "related (mother) Mae Lee",
        "anniversary 2001-06-09",
        "anniversary 2016-08-02",
        "date (other) 2016-08-03",
        "gender female (woman)",
        "hello kept",
    } <= shown, shown
    assert not [line for line in shown if "fcencoded" in line or line.startswith("spouse")], shown
    out = tmp_path / "out.vcf"
    cli("export", "vcard", "--output", str(out), "--version", version)
    again = imp(out)["data"]
    assert (again["contacts_created"], again["contacts_updated"]) == (0, 0)
    text = out.read_text(encoding="utf-8")
    assert "X-ABRELATEDNAMES:Sam Lee" in text and "GENDER:F;woman" in text
    assert "X-ABLabel:gender" not in text  # a label the property gives on import is not written twice


def test_a_store_holding_the_raw_evolution_lines_gets_the_related_fields_in_their_place(
    cli: Any, imp: Any, db: Path, corpus: Path
) -> None:
    """A store that imported the Evolution card before kept `X-EVOLUTION-SPOUSE:Maria` as an x line; the
    re-import puts the related field in its place (no second copy of Maria), and undo puts the line back."""
    import apsw

    f = corpus / "vcard" / "ez-vcard__John_Doe_EVOLUTION.vcf"
    imp(f)
    new = sorted((x["kind"], x["label"] or "", x["value"]) for x in people(db).popitem()[1]["fields"])
    conn = apsw.Connection(str(db))  # the related fields as an import before kept them: their x lines
    with conn:
        for prop, label in (("X-EVOLUTION-SPOUSE", "spouse"), ("X-EVOLUTION-MANAGER", "manager")):
            conn.execute(
                "UPDATE contact_fields SET kind = 'x', label = NULL, value = ? || ':' || value "
                "WHERE kind = 'related' AND label = ?",
                (prop, label),
            )
    conn.close()
    old = sorted((x["kind"], x["label"] or "", x["value"]) for x in people(db).popitem()[1]["fields"])
    assert ("x", "", "X-EVOLUTION-SPOUSE:Maria") in old
    again = imp(f)["data"]
    assert (again["contacts_created"], again["contacts_updated"]) == (0, 1)
    assert sorted((x["kind"], x["label"] or "", x["value"]) for x in people(db).popitem()[1]["fields"]) == new
    cli("import", "undo", again["batch_id"], "--yes")
    assert sorted((x["kind"], x["label"] or "", x["value"]) for x in people(db).popitem()[1]["fields"]) == old
