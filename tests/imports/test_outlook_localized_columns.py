"""Localized Outlook exports: every column pcrm reads in English lands in the same place when the file
is written in German or French [outlook-localized]."""

from __future__ import annotations

from pathlib import Path

import pytest

# Outlook's own column names (German and French installations), each beside the English one pcrm reads
ROWS = {
    "de": [
        ("Vorname", "Jürgen"),
        ("Nachname", "Größmann"),
        ("E-Mail-Adresse", "jg@baeckerei.example"),
        ("Fax geschäftlich", "+49 211 1234568"),
        ("Fax privat", "+49 761 765433"),
        ("Weiteres Fax", "+49 30 5550001"),
        ("Telefon Assistent", "+49 211 1234569"),
        ("Rückmeldung", "+49 211 1234570"),
        ("Telefon für Hörbehinderte", "+49 211 1234571"),
        ("Straße privat", "Am Bächle 3"),
        ("Ort privat", "Freiburg"),
        ("Postfach privat", "Postfach 1234"),
        ("Weitere Straße", "Hafenweg 1"),
        ("Weitere Straße 2", "Hinterhaus"),
        ("Partner", "Gisela"),
        ("Kinder", "Lotte"),
        ("Name des/der Vorgesetzten", "Frau Dr. Kern"),
        ("Name Assistent", "Herr Lang"),
    ],
    "fr": [
        ("Prénom", "Amélie"),
        ("Nom", "Lefèvre"),
        ("Adresse de messagerie", "amelie@example.fr"),
        ("Télécopie (bureau)", "+33 1 23 45 67 80"),
        ("Télécopie (domicile)", "+33 4 11 22 33 44"),
        ("Télécopie (autre)", "+33 5 11 22 33 44"),
        ("Téléphone de l'assistant(e)", "+33 1 23 45 67 81"),
        ("Rappel", "+33 1 23 45 67 82"),
        ("Téléphone TDD/TTY", "+33 1 23 45 67 83"),
        ("Rue (domicile)", "3 rue des Écoles"),
        ("Ville (domicile)", "Lyon"),
        ("Boîte postale du domicile", "BP 12"),
        ("Rue (autre)", "1 quai du Port"),
        ("Rue (autre) 2", "Bâtiment B"),
        ("Conjoint(e)", "Gisèle"),
        ("Enfants", "Zoé"),
        ("Responsable", "Mme Kern"),
        ("Nom de l'assistant(e)", "M. Lang"),
    ],
}


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_faxes_related_people_and_po_boxes_of_a_localized_outlook_file_are_mapped(
    lang, imp, store, contacts, tmp_path: Path
):
    """`pcrm import Kontakte.csv` of a German Outlook export kept `Fax geschäftlich`, `Partner`, `Kinder`,
    `Postfach privat`, ... as extra fields (`X-FAX-GESCHFTLICH:+49 ...`), where the same file in English
    gets phones labelled work,fax, related people and ADR PO boxes: a fax number was no phone of the
    contact. The localized names are now read as their English columns."""
    rows = ROWS[lang]
    f = tmp_path / "Kontakte.csv"
    header = ",".join(f'"{h}"' for h, _v in rows)
    values = ",".join(f'"{v}"' for _h, v in rows)
    f.write_bytes(f"{header}\r\n{values}\r\n".encode("cp1252"))
    rep = imp(f)["data"]
    assert rep["errors"] == []  # no column left unread
    (person,) = contacts()
    name = person["full_name"]
    fields = [(k, label, value) for k, label, value, _pref in store.fields(name)]
    v = dict(rows)
    phones = [(label, value) for k, label, value in fields if k == "phone"]
    assert len(phones) == 6 and len(person["phones"]) == 6
    assert phones[:3] == [
        ("work,fax", list(v.values())[3]),
        ("home,fax", list(v.values())[4]),
        ("other,fax", list(v.values())[5]),
    ]
    assert {label for label, _value in phones[3:]} == {"assistant", "Callback", "textphone"}
    related = sorted((label, value) for k, label, value in fields if k == "related")
    assert [label for label, _value in related] == ["assistant", "child", "manager", "spouse"]
    addresses = [value for k, _label, value in fields if k == "address"]
    assert len(addresses) == 2
    home = next(a for a in addresses if list(v.values())[9] in a)
    assert home.startswith(list(v.values())[11] + ";")  # the PO box is ADR's first component
    other = next(a for a in addresses if list(v.values())[12] in a)
    assert list(v.values())[13] in other
    assert not [value for k, _label, value in fields if k == "x"]


def test_a_spanish_outlook_files_anniversary_is_not_read_as_the_birthday(imp, cli, tmp_path: Path):
    """`pcrm import contactos.csv --format outlook-csv` of a Spanish Outlook export (`Cumpleaños`,
    `Aniversario`) gave Ana the wedding anniversary as her birthday and dropped the birthday without a
    word: Spanish `Aniversario` and Portuguese `Aniversário` (the birthday) are one name once accents
    are ignored. Beside another birthday column it is the anniversary."""
    f = tmp_path / "contactos.csv"
    f.write_bytes(
        "Nombre,Apellidos,Dirección de correo electrónico,Cumpleaños,Aniversario\r\n"
        "Ana,Lopez,ana@example.org,12/3/1990,20/6/2015\r\n".encode("cp1252")
    )
    imp(f, "--format", "outlook-csv")
    assert cli.json("contacts", "show", "Ana Lopez")["data"]["birthday"] == "1990-03-12"
    shown = " ".join(cli("contacts", "show", "Ana Lopez").stdout.split())
    assert "anniversary 2015-06-20" in shown
