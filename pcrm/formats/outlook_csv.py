"""Outlook contacts CSV (Outlook desktop and Outlook.com exports).

Columns: First Name, Middle Name, Last Name, Suffix, Nickname, Company, Job Title ('Title' is the
honorific, not the job), E-mail Address / E-mail 2 Address / E-mail 3 Address, the * Phone and * Fax
columns, Business/Home/Other address parts, Web Page, Birthday (M/D/YYYY, or D/M/YYYY when a date of the file
only reads so [outlook-localized]; 0/0/00 means none), Notes and
Categories (';'-separated, become tags). Files with only e-mail columns import e-mail-only contacts.

Every value lands where a vCard import of the same person would put it [csv-imports]: a phone keeps its
column as its label (`Business Phone` work, `Mobile Phone` cell, `Home Fax` home,fax, ...), the first
e-mail is the preferred one; Title (the honorific), Middle Name and Suffix go in an `n` field (N's five
components), Department in an `org` field, each address an ADR labelled work, home or other, Web Page a
link and Personal Web Page a `home` one, IMAddress a chat handle, Anniversary,
Spouse, Children, Manager's and Assistant's Name their own kinds. Outlook's own columns pcrm has no field
for (Gender, Hobby, Priority, Sensitivity, Location, Schools, User 1-4, E-mail Display Name, ...) are kept as
`x` fields labelled by what they are, not reported. Any other column is kept on the contact
as an `x` field (`X-COLUMN:value`) and named in the report, never dropped, except a cell holding the default
Outlook writes on every row (Gender "Unspecified", Priority and Sensitivity "Normal", Private "False", in each
language read), which says nothing.

Outlook writes its headers in the language of the installation [outlook-localized]: German
(`Vorname`, `Nachname`, `E-Mail-Adresse`, `Telefon geschäftlich`, ...), French (`Prénom`, `Nom`,
`Adresse de messagerie`, ...), Spanish (`Nombre`, `Apellidos`, `Dirección de correo electrónico`, ...),
Italian, Dutch and Portuguese are read through the table below (matched without case, accents or
punctuation) as the English columns; their birthdays are day first (`24.12.1980`, `24/12/1980`).
Outlook's rows may stop a few fields short of its header; rows all short by the same count are read
with the missing cells empty, any other short or long row is reported [outlook-field-count].
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

from pcrm.domain.records import ContactField, ContactRecord
from pcrm.formats.base import Input, Options, Parsed, collect, in_batches
from pcrm.formats.generic_csv import Unread, address_field, birthday_cell, column_key
from pcrm.formats.textio import CsvStream, split_multi, stream_csv
from pcrm.formats.vcard_text import structured

NAME = "outlook-csv"
SOURCE = "outlook"
LABEL = "an Outlook contacts CSV"

_EMAILS = ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address")
_MARKERS = (*_EMAILS, "E-mail Display Name", "Business Phone", "Mobile Phone", "Home Phone")
# Outlook's phone columns -> the label a vCard import stores for them (None: no label)
_PHONES = {
    "Primary Phone": None,
    "Business Phone": "work",
    "Business Phone 2": "work",
    "Company Main Phone": "work,main",
    "Mobile Phone": "cell",
    "Home Phone": "home",
    "Home Phone 2": "home",
    "Other Phone": "other",
    "Car Phone": "car",
    "Pager": "pager",
    "ISDN": "isdn",
    "TTY/TDD Phone": "textphone",
    "Radio Phone": "Radio",
    "Callback": "Callback",
    "Telex": "Telex",
    "Assistant's Phone": "assistant",
    "Business Fax": "work,fax",
    "Home Fax": "home,fax",
    "Other Fax": "other,fax",
}
_ADDRESS_KINDS = {"Business": "work", "Home": "home", "Other": "other"}
_ADDRESS_PARTS = (
    "Street",
    "Street 2",
    "Street 3",
    "City",
    "State",
    "Postal Code",
    "Country/Region",
    "Country",
)
# related people's columns -> the label of their `related` field
_RELATED = {
    "Spouse": "spouse",
    "Manager's Name": "manager",
    "Assistant's Name": "assistant",
    "Children": "child",
}
# the columns pcrm reads (English names; a localized header is translated first)
_READ = {
    "Name",
    "Title",
    "First Name",
    "Middle Name",
    "Last Name",
    "Suffix",
    "Nickname",
    "Company",
    "Department",
    "Job Title",
    "Birthday",
    "Anniversary",
    "Notes",
    "Categories",
    "Web Page",
    "Personal Web Page",
    "IMAddress",
    "IM Address",
    *_EMAILS,
    *_PHONES,
    *_RELATED,
    *(f"{kind} {part}" for kind in _ADDRESS_KINDS for part in _ADDRESS_PARTS),
    *(f"{kind} Address PO Box" for kind in _ADDRESS_KINDS),
}
# Outlook's e-mail type beside each address: SMTP, its default, says nothing; another (EX) is kept
_EMAIL_TYPES = {"E-mail Type", "E-mail 2 Type", "E-mail 3 Type"}
# Columns Outlook fills on every row with its default when the user set nothing (header and value casefolded,
# in the languages of [outlook-localized]): no information, so not kept as extra fields nor reported.
_DEFAULTS = {
    "gender": {"unspecified"},
    "geschlecht": {"nicht angegeben"},
    "sexe": {"non spécifié", "non specifie"},
    "sexo": {"no especificado", "sin especificar", "não especificado", "nao especificado"},
    "sesso": {"non specificato"},
    "geslacht": {"niet opgegeven"},
    "priority": {"normal"},
    "priorität": {"normal"},
    "priorité": {"normale"},
    "prioridad": {"normal"},
    "prioridade": {"normal"},
    "priorità": {"normale"},
    "prioriteit": {"normaal"},
    "private": {"false"},
    "privat": {"aus", "falsch"},
    "privé": {"faux", "désactivé", "non"},
    "privado": {"falso", "desactivado", "no"},
    "privato": {"falso", "no"},
    "sensitivity": {"normal"},
    "vertraulichkeit": {"normal"},
    "critère de diffusion": {"normal", "normale"},
    "confidencialidad": {"normal"},
    "confidencialidade": {"normal"},
    "riservatezza": {"normale"},
    "gevoeligheid": {"normaal"},
}


# Outlook's miscellaneous columns (Google's legacy layout copied them): kept on their `x` line, labelled by
# what they are, not reported as columns not recognised
MISC_COLUMNS = {
    "Gender": "gender",
    "Hobby": "hobbies",
    "Priority": "importance",
    "Sensitivity": "sensitivity",
    "Private": "private",
    "Billing Information": "billing information",
    "Mileage": "mileage",
    "Directory Server": "directory server",
    "Subject": "subject",
}
# Outlook's own columns pcrm has no field for: kept on their `x` line, labelled by what they are, not reported
_NAMED = {
    "Given Yomi": "given name (phonetic)",
    "Surname Yomi": "family name (phonetic)",
    "Company Yomi": "company name (phonetic)",
    "Office Location": "office location",
    "Profession": "profession",
    "Initials": "initials",
    **MISC_COLUMNS,
    "Location": "location",
    "Schools": "schools",
    "E-mail Display Name": "e-mail display name",
    "E-mail 2 Display Name": "e-mail 2 display name",
    "E-mail 3 Display Name": "e-mail 3 display name",
    "E-mail Type": "e-mail type",
    "E-mail 2 Type": "e-mail 2 type",
    "E-mail 3 Type": "e-mail 3 type",
    "User 1": "user field 1",
    "User 2": "user field 2",
    "User 3": "user field 3",
    "User 4": "user field 4",
    "Internet Free Busy": "free/busy address",
    "Keywords": "keywords",
    "Language": "language",
    "Government ID Number": "government id",
    "Organizational ID Number": "organizational id",
    "Account": "account",
    "Referred By": "referred by",
}


def _default(header: str, value: str) -> bool:
    """Whether a cell holds Outlook's default for its column (_DEFAULTS)."""
    return value.strip().casefold() in _DEFAULTS.get(header.strip().casefold(), ())


_US_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$")

# The English column -> its names in localized Outlook exports (German, French, Spanish, Italian, Dutch,
# Portuguese); a column pcrm reads in English and not under its localized name would be kept as an `x`
# field where the English file gets a phone, a related person or an address part. `Pager`, `ISDN` and
# `Telex` are spelled in German as in English. German Outlook names Radio Phone `Mobiltelefon 2`.
LOCALIZED: dict[str, tuple[str, ...]] = {
    "Title": ("Anrede", "Tratamiento", "Titolo", "Aanhef", "Tratamento"),
    "Department": ("Abteilung", "Service", "Departamento", "Reparto", "Afdeling"),
    "E-mail Type": (
        "E-Mail-Typ",
        "Type de messagerie",
        "Tipo de correo electrónico",
        "Tipo posta elettronica",
    ),
    "E-mail 2 Type": ("E-Mail 2: Typ", "Type de messagerie 2", "Tipo de correo electrónico 2"),
    "E-mail 3 Type": ("E-Mail 3: Typ", "Type de messagerie 3", "Tipo de correo electrónico 3"),
    "Anniversary": ("Jahrestag", "Aniversario", "Anniversario"),
    "First Name": ("Vorname", "Prénom", "Nombre", "Nome", "Voornaam", "Nome próprio"),
    "Middle Name": (
        "Weitere Vornamen",
        "Deuxième prénom",
        "Segundo nombre",
        "Secondo nome",
        "Middelste naam",
        "Segundo Nome",
    ),
    "Last Name": ("Nachname", "Nom", "Apellidos", "Cognome", "Achternaam", "Sobrenome", "Apelido"),
    "Suffix": ("Suffixe", "Sufijo", "Suffisso", "Achtervoegsel", "Sufixo"),
    "Nickname": ("Spitzname", "Surnom", "Apodo", "Soprannome", "Bijnaam", "Apelido (alcunha)"),
    "Company": (
        "Firma",
        "Société",
        "Organización",
        "Compañía",
        "Empresa",
        "Società",
        "Bedrijf",
        "Organização",
    ),
    "Job Title": ("Position", "Titre", "Puesto", "Cargo", "Posizione", "Functie"),
    "E-mail Address": (
        "E-Mail-Adresse",
        "Adresse de messagerie",
        "Dirección de correo electrónico",
        "Indirizzo posta elettronica",
        "Indirizzo di posta elettronica",
        "E-mailadres",
        "Endereço de email",
        "Endereço de e-mail",
        "Endereço de correio eletrónico",
        "Endereço de correio electrónico",
    ),
    "E-mail 2 Address": (
        "E-Mail 2: Adresse",
        "Adresse de messagerie 2",
        "Dirección de correo electrónico 2",
        "Indirizzo posta elettronica 2",
        "E-mailadres 2",
        "Endereço de email 2",
        "Endereço de e-mail 2",
    ),
    "E-mail 3 Address": (
        "E-Mail 3: Adresse",
        "Adresse de messagerie 3",
        "Dirección de correo electrónico 3",
        "Dirección del correo electrónico 3",
        "Indirizzo posta elettronica 3",
        "E-mailadres 3",
        "Endereço de email 3",
        "Endereço de e-mail 3",
    ),
    "E-mail Display Name": (
        "E-Mail: Angezeigter Name",
        "Nom complet de l'adresse de messagerie",
        "Nombre de pantalla de correo electrónico",
        "Nome visualizzato posta elettronica",
        "Weergavenaam voor e-mail",
        "Nome de exibição do email",
    ),
    "Business Phone": (
        "Telefon geschäftlich",
        "Téléphone (bureau)",
        "Teléfono del trabajo",
        "Telefono ufficio",
        "Telefoon op werk",
        "Telefone comercial",
    ),
    "Business Phone 2": (
        "Telefon geschäftlich 2",
        "Téléphone 2 (bureau)",
        "Teléfono del trabajo 2",
        "Telefono ufficio 2",
        "Telefoon op werk 2",
        "Telefone comercial 2",
    ),
    "Home Phone": (
        "Telefon privat",
        "Téléphone (domicile)",
        "Particular",
        "Teléfono particular",
        "Telefono abitazione",
        "Telefoon thuis",
        "Telefone residencial",
    ),
    "Home Phone 2": (
        "Telefon privat 2",
        "Téléphone 2 (domicile)",
        "Particular 2",
        "Telefono abitazione 2",
        "Telefoon thuis 2",
        "Telefone residencial 2",
    ),
    "Mobile Phone": (
        "Mobiltelefon",
        "Tél. mobile",
        "Téléphone mobile",
        "Móvil",
        "Teléfono móvil",
        "Cellulare",
        "Mobiele telefoon",
        "Telefone celular",
        "Telemóvel",
    ),
    "Other Phone": (
        "Weiteres Telefon",
        "Téléphone (autre)",
        "Otro teléfono",
        "Altro telefono",
        "Andere telefoon",
        "Overige telefoon",
        "Outro telefone",
    ),
    "Primary Phone": (
        "Haupttelefon",
        "Téléphone principal",
        "Teléfono principal",
        "Telefono principale",
        "Hoofdtelefoon",
        "Telefone principal",
    ),
    "Company Main Phone": (
        "Telefon Firma",
        "Téléphone société",
        "Número de centralita de la organización",
        "Telefono principale società",
        "Hoofdtelefoon bedrijf",
        "Telefone principal da empresa",
    ),
    "Car Phone": (
        "Autotelefon",
        "Téléphone (voiture)",
        "Tél. voiture",
        "Teléfono del automóvil",
        "Telefono auto",
        "Autotelefoon",
        "Telefone do carro",
    ),
    "Birthday": (
        "Geburtstag",
        "Anniversaire",
        "Cumpleaños",
        "Compleanno",
        "Verjaardag",
        "Aniversário",
        "Data de nascimento",
    ),
    "Notes": ("Notizen", "Notas", "Note", "Notities", "Anotações", "Observações"),
    "Categories": ("Kategorien", "Catégories", "Categorías", "Categorie", "Categorieën", "Categorias"),
    "Web Page": ("Webseite", "Page Web", "Página web", "Pagina Web", "Webpagina", "Página da Web"),
    "Business Street": (
        "Straße geschäftlich",
        "Rue (bureau)",
        "Calle del trabajo",
        "Via (uff.)",
        "Straat (werk)",
        "Rua comercial",
    ),
    "Business Street 2": ("Straße geschäftlich 2", "Rue (bureau) 2", "Calle del trabajo 2"),
    "Business Street 3": ("Straße geschäftlich 3", "Rue (bureau) 3", "Calle del trabajo 3"),
    "Business City": (
        "Ort geschäftlich",
        "Ville (bureau)",
        "Ciudad de trabajo",
        "Città (uff.)",
        "Plaats (werk)",
        "Cidade comercial",
    ),
    "Business State": (
        "Region geschäftlich",
        "Dép/Région (bureau)",
        "Provincia o estado de trabajo",
        "Provincia (uff.)",
        "Provincie (werk)",
        "Estado comercial",
    ),
    "Business Postal Code": (
        "Postleitzahl geschäftlich",
        "Code postal (bureau)",
        "Código postal del trabajo",
        "CAP (uff.)",
        "Postcode (werk)",
        "CEP comercial",
    ),
    "Business Country/Region": (
        "Land/Region geschäftlich",
        "Pays/Région (bureau)",
        "Pays (bureau)",
        "País o región del trabajo",
        "Paese (uff.)",
        "Land/regio (werk)",
        "País/Região comercial",
    ),
    "Home Street": (
        "Straße privat",
        "Rue (domicile)",
        "Calle del domicilio",
        "Via (ab.)",
        "Straat (thuis)",
        "Rua residencial",
    ),
    "Home Street 2": ("Straße privat 2", "Rue (domicile) 2", "Calle del domicilio 2"),
    "Home Street 3": ("Straße privat 3", "Rue (domicile) 3", "Calle del domicilio 3"),
    "Home City": (
        "Ort privat",
        "Ville (domicile)",
        "Ciudad de residencia",
        "Città (ab.)",
        "Plaats (thuis)",
        "Cidade residencial",
    ),
    "Home State": (
        "Bundesland/Kanton privat",
        "Dép/Région (domicile)",
        "Provincia o estado de residencia",
        "Provincia (ab.)",
        "Provincie (thuis)",
        "Estado residencial",
    ),
    "Home Postal Code": (
        "Postleitzahl privat",
        "Code postal (domicile)",
        "Código postal de residencia",
        "CAP (ab.)",
        "Postcode (thuis)",
        "CEP residencial",
    ),
    "Home Country/Region": (
        "Land/Region privat",
        "Pays/Région (domicile)",
        "Pays (domicile)",
        "País o región del domicilio",
        "Paese (ab.)",
        "Land/regio (thuis)",
        "País/Região residencial",
    ),
    "Other Street": ("Weitere Straße", "Rue (autre)", "Otra calle", "Altra via", "Straat (overig)"),
    "Other City": ("Weiterer Ort", "Ville (autre)", "Otra ciudad", "Altra città", "Plaats (overig)"),
    "Other State": (
        "Weiteres/r Bundesland/Kanton",
        "Dép/Région (autre)",
        "Otra provincia o estado",
        "Altra provincia",
    ),
    "Other Postal Code": ("Weitere Postleitzahl", "Code postal (autre)", "Otro código postal", "Altro CAP"),
    "Other Country/Region": (
        "Weiteres/e Land/Region",
        "Pays/Région (autre)",
        "Pays (autre)",
        "Otro país o región",
        "Altro paese",
    ),
    "Other Street 2": ("Weitere Straße 2", "Rue (autre) 2"),
    "Other Street 3": ("Weitere Straße 3", "Rue (autre) 3"),
    "Business Address PO Box": ("Postfach geschäftlich", "B.P. professionnelle"),
    "Home Address PO Box": ("Postfach privat", "Boîte postale du domicile"),
    "Other Address PO Box": ("Weiteres Postfach", "Autre boîte postale"),
    "Business Fax": ("Fax geschäftlich", "Télécopie (bureau)"),
    "Home Fax": ("Fax privat", "Télécopie (domicile)"),
    "Other Fax": ("Weiteres Fax", "Télécopie (autre)"),
    "Assistant's Phone": ("Telefon Assistent", "Téléphone de l'assistant(e)"),
    "Callback": ("Rückmeldung", "Rappel"),
    "Radio Phone": ("Mobiltelefon 2", "Radiotéléphone"),
    "TTY/TDD Phone": ("Telefon für Hörbehinderte", "Téléphone TDD/TTY"),
    "Pager": ("Récepteur de radiomessagerie",),
    "ISDN": ("RNIS",),
    "Telex": ("Télex",),
    "Personal Web Page": (
        "Persönliche Webseite",
        "Webseite privat",
        "Page Web personnelle",
        "Page Web perso",
        "Página web personal",
        "Página personal",
    ),
    "IMAddress": (
        "Chatadresse",
        "IM-Adresse",
        "Adresse de messagerie instantanée",
        "Adresse MI",
        "Dirección de mensajería instantánea",
        "Dirección MI",
    ),
    "Gender": ("Geschlecht", "Sexe", "Sexo", "Sesso", "Geslacht"),
    "Priority": ("Priorität", "Priorité", "Prioridad", "Prioridade", "Priorità", "Prioriteit"),
    "Sensitivity": (
        "Vertraulichkeit",
        "Critère de diffusion",
        "Confidencialidad",
        "Confidencialidade",
        "Riservatezza",
        "Gevoeligheid",
    ),
    "Private": ("Privat", "Privé", "Privado", "Privato"),
    "Location": ("Ort", "Emplacement", "Ubicación"),
    "Hobby": ("Passe-temps", "Aficiones"),
    "Billing Information": (
        "Abrechnungsinformation",
        "Informations facturation",
        "Información de facturación",
    ),
    "Mileage": ("Reisekilometer", "Kilométrage", "Kilometraje"),
    "Directory Server": ("Verzeichnisserver", "Serveur d'annuaire", "Servidor de directorio"),
    "Internet Free Busy": ("Internet-Frei/Gebucht", "Disponibilité Internet", "Disponibilidad de Internet"),
    "Keywords": ("Stichwörter", "Mots clés", "Palabras clave"),
    "Language": ("Sprache", "Langue", "Idioma"),
    "Government ID Number": (
        "Regierungs-Nr.",
        "Numéro de sécurité sociale",
        "Número de identificación oficial",
    ),
    "Organizational ID Number": ("Organisations-Nr.", "Code d'identification de l'organisation"),
    "Account": ("Konto", "Compte", "Cuenta"),
    "Referred By": ("Empfohlen von", "Recommandé par", "Remitido por"),
    "User 1": ("Benutzer 1", "Utilisateur 1", "Usuario 1"),
    "User 2": ("Benutzer 2", "Utilisateur 2", "Usuario 2"),
    "User 3": ("Benutzer 3", "Utilisateur 3", "Usuario 3"),
    "User 4": ("Benutzer 4", "Utilisateur 4", "Usuario 4"),
    "Office Location": ("Büro", "Bureau", "Oficina"),
    "Profession": ("Beruf", "Profession", "Profesión"),
    "Initials": ("Initialen", "Initiales", "Iniciales"),
    "Spouse": ("Partner", "Conjoint(e)"),
    "Children": ("Kinder", "Enfants"),
    "Manager's Name": ("Name des/der Vorgesetzten", "Name des/r Vorgesetzten", "Responsable"),
    "Assistant's Name": ("Name Assistent", "Nom de l'assistant(e)"),
}
_TRANSLATE = {column_key(name): english for english, names in LOCALIZED.items() for name in names}
_ENGLISH = {column_key(e): e for e in LOCALIZED} | {column_key(m): m for m in _MARKERS}


# French Outlook names the honorific and the job title both `Titre`: the first of the two is the honorific
_TWINS = {"Job Title": "Title"}
_REPEAT = re.compile(r"^(.*) \(\d+\)$")  # a repeated column as the CSV reader renamed it: `Titre (2)`
_ANIVERSARIO = column_key("Aniversario")


def repeated_column(name: str) -> bool:
    """Whether a column name may appear twice in an Outlook header (French Outlook's `Titre`)."""
    key = column_key(name)
    return key in _TRANSLATE and _TRANSLATE[key] in _TWINS


def translate(header: list[str]) -> tuple[list[str], bool]:
    """The header with localized Outlook column names replaced by the English ones, and whether any was
    localized. An English name stays as it is; a column neither knows keeps its own name."""
    out, localized = [], False
    for h in header:
        key = column_key(h)
        if key not in _ENGLISH and key not in _TRANSLATE and (m := _REPEAT.match(h)):
            key = column_key(m.group(1))
        if key in _ENGLISH:
            out.append(_ENGLISH[key])
        elif key not in _TRANSLATE:
            out.append(h)
        else:
            out.append(_TRANSLATE[key])
            localized = True
    for job, twin in _TWINS.items():
        if out.count(job) > 1 and twin not in out:
            out[out.index(job)] = twin
    # Portuguese `Aniversário` is the birthday, Spanish `Aniversario` the anniversary: one name once
    # accents are ignored. A file with another birthday column (Spanish `Cumpleaños`) means the anniversary
    if out.count("Birthday") > 1 and "Anniversary" not in out:
        at = [i for i, h in enumerate(header) if column_key(h) == _ANIVERSARIO]
        if at:
            out[at[0]] = "Anniversary"
    return out, localized


def _header(inp: Input) -> list[str]:
    lines = inp.first_lines(1)
    if not lines:
        return []
    first = lines[0]
    delim = max((",", ";", "\t"), key=first.count)
    return [h.strip().lstrip("\ufeff") for h in next(csv.reader([first], delimiter=delim), [])]


def detect(inp: Input) -> bool:
    if inp.suffix not in ("csv", ""):
        return False
    header = _header(inp)
    if any(m in header for m in _MARKERS):
        return True
    english, localized = translate(header)
    known = sum(1 for h in english if h in LOCALIZED)
    # a localized Outlook export has dozens of its columns; a short file with `Vorname` and `E-Mail-Adresse`
    # is left to the generic CSV reader, which knows those names too
    return localized and known >= 8 and any(m in english for m in _MARKERS)


def birthday(value: str, *, day_first: bool = False) -> str | None:
    """Outlook writes M/D/YYYY in English and D.M.YYYY or D/M/YYYY in other languages (0/0/00 or 0.0.00
    for none); ISO dates pass through. A cell that means no date (`N/A`, `-`) is none, a date-time its
    date (generic_csv.birthday_cell)."""
    v = birthday_cell(value) or ""
    m = _US_DATE.match(v)
    if not m:
        return v or None
    month, day, year = (int(x) for x in m.groups())
    if day_first or "." in v:
        month, day = day, month
    if month == 0 or day == 0:
        return None
    if month > 12:  # read the other way round by the rest of the file: said as the file has it
        return v
    if year < 100:
        return f"{month:02d}-{day:02d}"  # a two-digit year is Outlook's "no year"
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse(inp: Input, opts: Options) -> Parsed:
    return collect(stream(inp, opts))


def stream(inp: Input, opts: Options) -> Iterator[Parsed]:
    """The contacts in batches, read row by row [streamed-imports]."""
    table = stream_csv(inp.lines, inp.filename, label=LABEL, pad_short=True, repeats=repeated_column)
    english, localized = translate(table.header)
    unread = Unread(
        [h for h, e in zip(table.header, english, strict=True) if h and e not in _READ],
        {h: _NAMED[e] for h, e in zip(table.header, english, strict=True) if e in _NAMED},
    )
    if opts.date_order in ("mdy", "dmy"):
        day_first = opts.date_order == "dmy"
    else:
        day_first = localized or _day_first(table, english)
    records = _records(table, unread, english, day_first=day_first)
    return in_batches(records, tail=lambda: table.errors + unread.report())


def _day_first(table: CsvStream, english: list[str]) -> bool:
    """Whether an English export's dates are day first: English Outlook writes them as the computer's region
    does, M/D/YYYY in the US but D/M/YYYY in the UK, so a date that can only be read day first (25/12/1980),
    with none that can only be read month first, decides for the file. Month first otherwise."""
    cols = [h for h, e in zip(table.header, english, strict=True) if e in ("Birthday", "Anniversary")]
    day_only = month_only = False
    for row in table.rows() if cols else ():
        for col in cols:
            m = _US_DATE.match(row.values.get(col, "").strip())
            if m and "." not in m.group(0):
                a, b = int(m.group(1)), int(m.group(2))
                day_only |= a > 12 >= b
                month_only |= b > 12 >= a
    return day_only and not month_only


def _address(v: dict[str, str], kind: str) -> ContactField | None:
    street = "\n".join(x for x in (v.get(f"{kind} Street{n}", "") for n in ("", " 2", " 3")) if x)
    parts = {
        "pobox": v.get(f"{kind} Address PO Box", ""),
        "street": street,
        "town": v.get(f"{kind} City", ""),
        "region": v.get(f"{kind} State", ""),
        "postcode": v.get(f"{kind} Postal Code", ""),
        "country": v.get(f"{kind} Country/Region") or v.get(f"{kind} Country", ""),
    }
    return address_field(parts, "", _ADDRESS_KINDS[kind])


def _fields(v: dict[str, str], phone_cols: list[str], *, day_first: bool) -> list[ContactField]:
    """What a vCard import keeps in contact_fields: labelled phones, the preferred e-mail, N's and ORG's
    other components, addresses, URL, nickname, anniversary and related people."""
    fields: list[ContactField] = []
    for col in phone_cols:
        label = _PHONES[col]
        if v.get(col):  # a phone of words keeps its column's label too (validate's _phones_aside)
            fields.append({"kind": "phone", "label": label, "value": v[col], "pref": None if label else 1})
    first = next((v[c] for c in _EMAILS if v.get(c)), None)
    if first:
        fields.append({"kind": "email", "label": None, "value": first.lower(), "pref": 1})
    prefix, middle, suffix = v.get("Title", ""), v.get("Middle Name", ""), v.get("Suffix", "")
    if prefix or middle or suffix:
        n = structured(v.get("Last Name", ""), v.get("First Name", ""), middle, prefix, suffix)
        fields.append({"kind": "n", "label": None, "value": n})
    if v.get("Department"):
        fields.append(
            {"kind": "org", "label": None, "value": structured(v.get("Company", ""), v["Department"])}
        )
    fields += [adr for kind in _ADDRESS_KINDS if (adr := _address(v, kind))]
    if v.get("Web Page"):
        fields.append({"kind": "url", "label": None, "value": v["Web Page"]})
    if v.get("Personal Web Page"):  # Outlook.com's own column beside Web Page: the home one
        fields.append({"kind": "url", "label": "home", "value": v["Personal Web Page"]})
    for im in split_multi(v.get("IMAddress") or v.get("IM Address", ""), ";"):
        fields.append({"kind": "im", "label": None, "value": im})
    if v.get("Nickname"):
        fields.append({"kind": "nickname", "label": None, "value": v["Nickname"]})
    if day := birthday(v.get("Anniversary", ""), day_first=day_first):
        fields.append({"kind": "anniversary", "label": None, "value": f"--{day}" if len(day) == 5 else day})
    for col, label in _RELATED.items():
        people = split_multi(v.get(col, ""), ";,") if col == "Children" else [v.get(col, "")]
        fields += [{"kind": "related", "label": label, "value": person} for person in people if person]
    return fields


def _records(
    table: CsvStream, unread: Unread, english: list[str], *, day_first: bool
) -> Iterator[ContactRecord]:
    names = dict(zip(table.header, english, strict=True))
    phone_cols = [h for h in dict.fromkeys(english) if h in _PHONES]
    for row in table.rows():
        v: dict[str, str] = {}
        for h, cell in row.values.items():
            if cell or names[h] not in v:
                v[names[h]] = cell
        given, middle, family = (
            v.get("First Name") or None,
            v.get("Middle Name") or None,
            v.get("Last Name") or None,
        )
        suffix = v.get("Suffix") or None
        full = " ".join(p for p in (given, middle, family, suffix) if p) or v.get("Name") or None
        fields = _fields(v, phone_cols, day_first=day_first)
        fields += unread.fields(
            {
                h: c
                for h, c in row.values.items()
                if not (names[h] in _EMAIL_TYPES and c.upper() == "SMTP") and not _default(h, c)
            }
        )
        data = {
            "full_name": full,
            "given_name": given,
            "family_name": family,
            "emails": [v[c] for c in _EMAILS if v.get(c)],
            "phones": [v[c] for c in phone_cols if v.get(c)],
            "company": v.get("Company") or None,
            "title": v.get("Job Title") or None,
            "notes": v.get("Notes") or None,
            "birthday": birthday(v.get("Birthday", ""), day_first=day_first),
            "location": v.get("Business City") or v.get("Home City") or None,
            "tags": split_multi(v.get("Categories", ""), ";"),
        }
        yield ContactRecord(
            row=row.row, data=data, fields=fields, birthday_written=v.get("Birthday", "").strip() or None
        )
