"""Generic contacts CSV [csv-imports]: the reference's column names and their aliases, any case or spacing.

Columns: full_name|name, given_name|first_name, family_name|last_name|surname, emails|email
(';'-separated), phones|phone (';'-separated), company|organization, title|job_title,
twitter_handle|twitter|x_handle, telegram_username|telegram, notes|note, tags (';'-separated), plus
linkedin_url, location, latitude|lat and longitude|lng|lon (a map point: both or neither), birthday and
priority, and avatar_url (a photo's web address, as `pcrm export csv` writes it [csv-photos]); then each other
field of a contact by its own name only (twitter_user_id, linkedin_headline, whatsapp_avatar_url, source, ...:
`OWN_FIELDS`), as `pcrm export csv` writes them [own-exports]. A "Name | Org"
name is split row by row: the organization
fills the row's company when that is empty, else is kept as an `org` field (not in a row `pcrm export csv`
wrote: its names are as a store held them). This is also what `pcrm export csv` writes, so an export
imports back.

Person files (FEBRL's layout and its common variants) also import:
- address columns (street_number, street|address_1|address, address_2, suburb|city|town,
  state|region, postcode|zip, country) become one `contact_fields` row of kind `address` in vCard
  ADR form (`;extended;number street;town;region;postcode;country`, escaped as a vCard import keeps
  it), and fill `location` (town, region, country) when the row has no location of its own, as the
  vCard import does;
- birthday|date_of_birth|dob|birth_date is read as YYYYMMDD, YYYY-MM-DD, YYYY/MM/DD, DD/MM/YYYY,
  DD.MM.YYYY or MM-DD; a slashed date is day first unless a row of the file can only be month first
  (13/05 is day first, 05/13 month first), the same reading for every row; `--date-order mdy|dmy`
  decides instead. A date pcrm cannot read is kept as the cell has it in a `birthday` field, with a row
  error saying why ("birthday ... is not a real date: kept as an extra field"), and the rest of the row
  imports;
- a column pcrm does not know is kept on the contact as a `contact_fields` row of kind `x`
  (`X-<COLUMN>:value`, the vCard line `pcrm export vcard` writes back), never dropped, and the report
  names those columns;
- an `extra_fields` column (what `pcrm export csv` writes last) holds extra fields one a line,
  `kind[;label=L][;pref=N]:value`, read back as those fields (a line in no such form is kept as typed,
  as an unknown column's value is) [own-exports];
- `identities` and `edited_fields` (what `pcrm export csv` writes before `created_at`): the platform ids no
  other column holds and the fields typed by hand (`own_columns`) [own-exports].

Column names are matched without case, accents or punctuation, through a table of synonyms in several
languages (`n_given`/`n_family`, `Vorname`/`Nachname`, `Prénom`/`Nom`, `Nombre`/`Apellidos`, ...).
`--map COLUMN=FIELD` reads a column as a field (or an address part, or `ignore`), ahead of the table.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from pcrm.domain.map_point import read_point
from pcrm.domain.models import EDITABLE
from pcrm.domain.normalize import fold, is_email, is_phone_term, site_address, web_link
from pcrm.domain.records import ContactField, ContactRecord, pcrm_id_of, take_not_same_as
from pcrm.domain.sources import file_source
from pcrm.errors import BadRequest, ValidationError
from pcrm.formats import own_columns
from pcrm.formats.base import Input, Options, Parsed, collect, in_batches
from pcrm.formats.names import parse_name_org
from pcrm.formats.textio import CsvRow, CsvStream, split_addresses, split_listed, stream_csv
from pcrm.formats.vcard_text import escape, kept_line, structured

NAME = "csv"
SOURCE = "csv"
LABEL = "a contacts CSV"

# Contact fields (domain.models.Contact) -> the column names that mean them. The first name of each is
# the column `pcrm export csv` writes, in this order, so an export imports back.
ALIASES = {
    "full_name": ("full_name", "name", "display_name", "fullname", "fn", "formatted_name", "nom_complet"),
    "given_name": (
        "given_name",
        "first_name",
        "firstname",
        "given",
        "forename",
        "n_given",
        "givenname",
        "vorname",
        "prenom",
        "nombre",
        "nome",
        "voornaam",
        "fornavn",
        "fornamn",
        "etunimi",
        "imie",
    ),
    "family_name": (
        "family_name",
        "last_name",
        "lastname",
        "surname",
        "n_family",
        "familyname",
        "nachname",
        "familienname",
        "nom",
        "nom_de_famille",
        "apellido",
        "apellidos",
        "cognome",
        "achternaam",
        "sobrenome",
        "efternamn",
        "etternavn",
        "sukunimi",
        "nazwisko",
    ),
    "emails": (
        "emails",
        "email",
        "e_mail",
        "email_address",
        "email_addresses",
        "e_mail_adresse",
        "mail",
        "courriel",
        "adresse_e_mail",
        "correo",
        "correo_electronico",
        "posta_elettronica",
    ),
    "phones": (
        "phones",
        "phone",
        "phone_number",
        "phone_numbers",
        "mobile",
        "mobile_phone",
        "cell",
        "cell_phone",
        "tel",
        "telephone",
        "telefon",
        "telefonnummer",
        "handy",
        "mobil",
        "mobiltelefon",
        "telephone_mobile",
        "portable",
        "telefono",
        "movil",
        "celular",
        "cellulare",
        "telefoon",
    ),
    "company": (
        "company",
        "organization",
        "organisation",
        "org",
        "firma",
        "unternehmen",
        "societe",
        "entreprise",
        "empresa",
        "azienda",
        "bedrijf",
    ),
    "title": (
        "title",
        "job_title",
        "position",
        "role",
        "jobtitle",
        "funktion",
        "fonction",
        "cargo",
        "puesto",
    ),
    "twitter_handle": ("twitter_handle", "twitter", "x_handle", "x"),
    "telegram_username": ("telegram_username", "telegram"),
    "linkedin_url": ("linkedin_url", "linkedin"),
    "location": ("location", "ort"),
    # the map point, both or neither [geocoding]: `pcrm export csv` writes them so a move keeps the map
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lng", "lon"),
    "birthday": (
        "birthday",
        "birth_date",
        "birthdate",
        "date_of_birth",
        "dob",
        "bday",
        "born",
        "geburtstag",
        "geburtsdatum",
        "anniversaire",
        "date_de_naissance",
        "cumpleanos",
        "fecha_de_nacimiento",
    ),
    "priority_level": ("priority_level", "priority"),
    "tags": ("tags", "tag", "labels", "categories", "kategorien", "gruppen", "groups"),
    "notes": (
        "notes",
        "note",
        "notizen",
        "notiz",
        "bemerkung",
        "bemerkungen",
        "remarques",
        "notas",
        "comments",
    ),
    # the contact's photo by its web address, as `pcrm export csv` writes it (a photo pcrm keeps as a file is
    # no address: the export leaves it to `pcrm export vcard`) [csv-photos]; pcrm's own name only: another
    # app's "Photo" column is kept aside, as a picture's address from an import is (a `photo` field)
    "avatar_url": ("avatar_url",),
}
# The contact's other fields, each by its own name only (no other program's column means a platform's ids,
# bios or the source pcrm got the contact from): `pcrm export csv` writes them so a move keeps every value,
# after avatar_url [own-exports]. Read off the contact's declaration, so a field added later travels too; the
# organization's id is the store's own (the company cell names it).
OWN_FIELDS = tuple(f for f in EDITABLE if f not in ALIASES and f != "organization_id")
ALIASES.update({f: (f,) for f in OWN_FIELDS})
# The parts of a postal address -> the column names that mean them (one address per row).
ADDRESS_ALIASES = {
    "number": ("street_number", "house_number", "street_no", "house_no", "streetnumber"),
    "street": (
        "street",
        "address_1",
        "address1",
        "address_line_1",
        "address_line1",
        "street_address",
        "address",
        "addr",
    ),
    "extended": ("address_2", "address2", "address_line_2", "address_line2", "street_2", "unit", "apartment"),
    "town": ("suburb", "city", "town", "locality", "village", "stadt", "ville", "ciudad", "citta", "plaats"),
    "region": ("state", "region", "province", "county", "bundesland", "provincia"),
    "postcode": (
        "postcode",
        "post_code",
        "postal_code",
        "zip",
        "zipcode",
        "zip_code",
        "plz",
        "postleitzahl",
        "code_postal",
        "codigo_postal",
        "cap",
    ),
    "country": ("country", "country_region", "land", "pays", "pais", "paese"),
}
_LOOKUP = {alias: field for field, names in ALIASES.items() for alias in names}
_ADDRESS_LOOKUP = {alias: part for part, names in ADDRESS_ALIASES.items() for alias in names}
_IDENTIFYING = {
    "full_name",
    "given_name",
    "family_name",
    "emails",
    "phones",
    "twitter_handle",
    "telegram_username",
}


def column_key(header: str) -> str:
    """A header cell as a lookup key: case, accents, spacing and punctuation ignored (`Prénom` -> `prenom`,
    `E-Mail-Adresse` -> `e_mail_adresse`, `n.given` -> `n_given`)."""
    plain = unicodedata.normalize("NFKD", header.strip().lstrip("\ufeff").casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", "_", plain).strip("_")


def columns(header: list[str], mapping: dict[str, str] | None = None) -> dict[str, str]:
    """field -> the header cell that holds it (--map first, then the first synonym wins)."""
    out: dict[str, str] = {}
    mapped = _mapped(header, mapping or {})
    for h, target in mapped.items():
        if target in ALIASES and target not in out:
            out[target] = h
    for h in header:
        if h in mapped:
            continue
        f = _LOOKUP.get(column_key(h))
        if f and f not in out:
            out[f] = h
    return out


IGNORE = ("ignore", "-", "skip")


def _mapped(header: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """--map COLUMN=FIELD as header cell -> field (or an address part, or `ignore`); a column the header
    lacks or a field pcrm does not know is refused."""
    out: dict[str, str] = {}
    keys = {column_key(h): h for h in reversed(header)}
    for column, target in mapping.items():
        h = column if column in header else keys.get(column_key(column))
        if h is None:
            raise ValidationError(
                f"--map {column}={target}: the file has no column {column!r}",
                field="map",
                hint="columns: " + ", ".join(x for x in header[:20] if x),
            )
        key = column_key(target)
        field = _LOOKUP.get(key) or ("ignore" if target.strip().lower() in IGNORE else None)
        part = _ADDRESS_LOOKUP.get(key)
        if field is None and part is None:
            raise ValidationError(
                f"--map {column}={target}: pcrm has no field {target!r}",
                field="map",
                hint="fields: " + ", ".join([*ALIASES, *ADDRESS_ALIASES, "ignore"]),
            )
        out[h] = field or f"address:{part}"
    return out


def address_columns(
    header: list[str], taken: set[str], mapping: dict[str, str] | None = None
) -> dict[str, str]:
    """address part -> the header cell that holds it, among the cells no contact field took."""
    out: dict[str, str] = {}
    mapped = _mapped(header, mapping or {})
    for h, target in mapped.items():
        if target.startswith("address:") and target[8:] not in out:
            out[target[8:]] = h
    for h in header:
        if h in mapped:
            continue
        part = _ADDRESS_LOOKUP.get(column_key(h))
        if part and part not in out and h not in taken:
            out[part] = h
    return out


# [csv-formulas]: a cell a spreadsheet would run as a formula starts with one of these
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[\d\s().-]*\d[\d\s().-]*")  # a phone or a number: nothing to run


def spreadsheet_safe(cell: str) -> str:
    """`cell` with a leading apostrophe when a spreadsheet would read it as a formula [csv-formulas]:
    `=HYPERLINK(...)`, `@SUM(...)`, `+cmd|...`, `-2+3`. Phone numbers and plain numbers stay as they are,
    one or a list of them (`+44 20 7946 0001; +44 20 7946 0002`, as a phones cell joins them), and so does
    a lone `-` (the dash a list writes for none: nothing to run). A cell that starts with apostrophes before
    such a start (`'=x`) gets one more, so `unescape_formula` gives it back as it was."""
    if cell.startswith("'") and cell.lstrip("'").startswith(_FORMULA_START):
        return "'" + cell
    if (
        cell.startswith(_FORMULA_START)
        and cell != "-"
        and not all(_PLAIN_NUMBER.fullmatch(part.strip()) for part in cell.split(";"))
    ):
        return "'" + cell
    return cell


def unescape_formula(cell: str) -> str:
    """The cell `spreadsheet_safe` escaped, as it was (the import of pcrm's own CSV reads it back)."""
    if cell.startswith("'") and cell.lstrip("'").startswith(_FORMULA_START):
        return cell[1:]
    return cell


def detect(inp: Input) -> bool:
    if inp.suffix not in ("csv", "tsv", "txt", ""):
        return False
    lines = inp.first_lines(1)
    if not lines:
        return inp.suffix in ("csv", "tsv")
    first = lines[0]
    delim = max((",", ";", "\t"), key=first.count)
    header = next(csv.reader([first], delimiter=delim), [])
    return bool(set(columns(header)) & _IDENTIFYING)


# ---------------------------------------------------------------- dates

_YMD = re.compile(r"^(\d{4})(?:(\d{2})(\d{2})|[-/.](\d{1,2})[-/.](\d{1,2}))$")
_SLASHED = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_MONTH_DAY = re.compile(r"^(?:--)?(\d{1,2})-?(\d{2})$")


def month_first(values: Iterable[str]) -> bool:
    """Whether the file's slashed dates are month first: some row only reads that way (05/13/1980)
    and none only reads day first (13/05/1980). Day first otherwise."""
    day_only = month_only = False
    for v in values:
        m = _SLASHED.match(v.strip())
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            day_only |= a > 12 >= b
            month_only |= b > 12 >= a
    return month_only and not day_only


# birthday cells that say "no birthday" [kept-birthdays]: a spreadsheet's placeholders, not a date to keep
_NO_DATE = frozenset(
    {"", "-", "--", "\u2013", "\u2014", "?", "??", "0", "00", "n/a", "na", "n.a.", "none", "null", "nil"}
    | {"unknown", "not known", "not set", "tbd", "0000-00-00", "00/00/0000", "00.00.0000", "0/0/0000"}
)
# a date followed by a time of day (a spreadsheet's date-time cell, a database dump's timestamp): the
# date part is the birthday
_WITH_TIME = re.compile(
    r"^(\S+?)(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$"
)


def birthday_cell(value: str | None) -> str | None:
    """A CSV's birthday cell as the date text to read [kept-birthdays]: None for a cell that means no value
    (`N/A`, `-`, `none`, `unknown`, `0`, `?`, blank), the date part of a date-time (`1990-01-05 00:00:00`,
    `1990-01-05T00:00:00`), else the cell trimmed (read as a date, or kept as written with a row error)."""
    v = (value or "").strip()
    if v.casefold() in _NO_DATE:
        return None
    if m := _WITH_TIME.match(v):
        return m.group(1)
    return v


def read_date(value: str, *, month_first: bool = False) -> str | None:
    """A birthday as pcrm stores it (YYYY-MM-DD, or MM-DD without a year), or None when the text is
    not a real date in a form this reader knows."""
    shaped = _date_shape(value, month_first=month_first)
    if shaped is None:
        return None
    try:
        date(2000 if len(shaped) == 5 else int(shaped[:4]), int(shaped[-5:-3]), int(shaped[-2:]))
    except ValueError:  # 2000 is a leap year: 02-29 without a year is a birthday
        return None
    return shaped


def _date_shape(value: str, *, month_first: bool) -> str | None:
    """The text in pcrm's form when it has the shape of a date (whether or not the day exists)."""
    v = value.strip()
    if m := _YMD.match(v):
        y, mo, d = int(m.group(1)), int(m.group(2) or m.group(4)), int(m.group(3) or m.group(5))
    elif m := _SLASHED.match(v):
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        mo, d = (a, b) if month_first else (b, a)
    elif m := _MONTH_DAY.match(v):
        return f"{int(m.group(1)):02d}-{int(m.group(2)):02d}"
    else:
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


# ---------------------------------------------------------------- rows


def adr_value(parts: dict[str, str]) -> str:
    """vCard ADR's structured value (post-office box; extended; street; town; region; postcode;
    country), escaped, with the house number written before the street."""
    street = " ".join(x for x in (parts.get("number", ""), parts.get("street", "")) if x)
    return ";".join(
        escape(x)
        for x in (
            "",
            parts.get("extended", ""),
            street,
            parts.get("town", ""),
            parts.get("region", ""),
            parts.get("postcode", ""),
            parts.get("country", ""),
        )
    )


def x_line(header: str, value: str) -> str:
    """An unknown column as the vCard extension line that carries it (`X-SOC-SEC-ID:6988048`)."""
    return f"X-{_x_name(header)}:{escape(value)}"


def x_field(header: str, value: str, held: set[str] | None = None) -> ContactField:
    """An unknown column's value as the `x` field that keeps it: its `x_line`, labelled by the column's
    name as the file writes it when the line's ASCII name cannot say it (`血液型`, `Schuhgröße`, `#`), so
    `pcrm contacts show` names it by the header, not `column` or `schuhgr e` [csv-imports]. The line is
    the one earlier imports kept (extra fields are told apart by kind and value, not label), so a file
    imported before is not given the field a second time. `held`: the lines the row's other columns
    gave (added to): a column whose line one of them gave already (血液型 and 趣味 both `A`, both
    `X-COLUMN:A`) is numbered (`X-COLUMN-2:A`), so it stays a field of its own; earlier imports kept one
    field of the two, so none held such a line."""
    line = x_line(header, value)
    n = 2
    while held is not None and line in held:
        line, n = f"X-{_x_name(header)}-{n}:{escape(value)}", n + 1
    if held is not None:
        held.add(line)
    return {"kind": "x", "label": _x_label(header), "value": line}


@lru_cache(maxsize=512)
def _x_label(header: str) -> str | None:
    h = header.strip()
    lossy = any(ch.isalnum() and not ch.isascii() for ch in h) or not re.search(r"[A-Za-z0-9]", h)
    return h if lossy and h else None


@lru_cache(maxsize=512)  # a file's few column names, asked once a row
def _x_name(header: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", header.strip()).strip("-").upper() or "COLUMN"


def unread_note(names: list[str]) -> str:
    """The report's line naming the columns an import kept as extra fields instead of reading them."""
    shown = ", ".join(names[:12]) + (" ..." if len(names) > 12 else "")
    return f"columns not recognised, kept on each contact as extra fields: {shown}"


class Unread:
    """The columns a CSV reader of a known layout (Google, Outlook, LinkedIn) does not read: each row's
    values kept as `x` fields, and the columns that held any named in the report [csv-imports]. `named`: the
    layout's own columns pcrm has no field for but knows (Google's `Phonetic First Name`, Outlook's `Given
    Yomi`): kept the same way, labelled by what they are ("given name (phonetic)"), and not reported."""

    def __init__(self, columns: list[str], named: Mapping[str, str] | None = None) -> None:
        self.columns = columns
        self.named = named or {}
        self.seen: dict[str, None] = {}  # the columns that held a value, in header order of first sight

    def fields(self, values: dict[str, str]) -> list[ContactField]:
        out: list[ContactField] = []
        held: set[str] = set()
        for h in self.columns:
            if values.get(h):
                field = x_field(h, values[h], held)
                if h in self.named:
                    field["label"] = self.named[h]
                else:
                    self.seen.setdefault(h)
                out.append(field)
        return out

    def report(self) -> list[str]:
        names = [h for h in self.columns if h in self.seen]
        return [unread_note(names)] if names else []


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def address_field(
    parts: dict[str, str], formatted: str, label: str | None, pref: int | None = None
) -> ContactField | None:
    """An address of a CSV (parts `pobox`, `extended`, `street`, `town`, `region`, `postcode`, `country`,
    and the one-cell `formatted` text) as the `address` field a vCard import keeps: ADR's structured value,
    escaped [vcard-escaping]. The formatted text is dropped when the parts say all it says (Google writes
    it from them); otherwise it goes in the street component, so nothing is lost."""
    parts = {k: v.strip() for k, v in parts.items() if v and v.strip()}
    formatted = formatted.strip()
    if formatted and not _words(formatted) <= _words(" ".join(parts.values())):
        parts["street"] = f"{parts['street']}\n{formatted}" if parts.get("street") else formatted
    if not parts:
        return None
    order = ("pobox", "extended", "street", "town", "region", "postcode", "country")
    return {
        "kind": "address",
        "label": label,
        "value": structured(*(parts.get(k, "") for k in order)),
        "pref": pref,
    }


_OWN_COLUMNS = ("id", "created_at")  # what `pcrm export csv` writes beside the contact's fields

# [list-csv]: the columns of pcrm's contact lists (`pcrm contacts list|overdue|birthdays --format csv`), as
# column_key has them; a header of these only, one of them computed, is such a list. The computed ones are
# the store's arithmetic (a score, the last interaction's date, days overdue), not something known of the
# person: not read, and the report says so. tests/cli/test_list_roundtrip.py holds them to the CLI's columns.
LIST_DATA_COLUMNS = frozenset(
    {"id", "name", "company", "email", "phone", "title", "birthday", "priority", "tags"}
)
LIST_COMPUTED_COLUMNS = frozenset({"score", "last", "overdue", "in_days", "turns"})
# `pcrm orgs list --format csv`: organizations, not contacts (its `name` is a company's)
ORG_LIST_COLUMNS = frozenset({"id", "name", "domain", "contacts", "avg_score", "interactions", "last"})
_ORG_LIST_ONLY = frozenset({"contacts", "avg_score", "interactions"})


def list_computed(header: list[str]) -> list[str]:
    """The computed columns of a pcrm contact list's header (none for any other file) [list-csv]."""
    keys = {column_key(h) for h in header if h.strip()}
    if not keys <= LIST_DATA_COLUMNS | LIST_COMPUTED_COLUMNS:
        return []
    return [h for h in header if column_key(h) in LIST_COMPUTED_COLUMNS]


def org_list(header: list[str]) -> bool:
    """Whether the header is `pcrm orgs list`'s (a list of organizations) [list-csv]."""
    keys = {column_key(h) for h in header if h.strip()}
    return "name" in keys and keys <= ORG_LIST_COLUMNS and bool(keys & _ORG_LIST_ONLY)


# ---------------------------------------------------------------- the extra fields column

EXTRA_FIELDS = (
    "extra_fields"  # the column `pcrm export csv` writes a contact's contact_fields in [own-exports]
)
# The header `pcrm export csv` writes, in its order: the id, the contact's fields, the identities no column
# holds and the fields typed by hand (own_columns), the creation time, the extra fields. Only a file with
# exactly this header is pcrm's own export: its `edited_fields` mark fields and its account ids name their
# contact whatever the names say [own-exports].
OWN_HEADER: tuple[str, ...] = ("id", *ALIASES, *own_columns.COLUMNS, "created_at", EXTRA_FIELDS)


def own_export(header: Sequence[str]) -> bool:
    """Whether a CSV header is the one `pcrm export csv` writes (`OWN_HEADER`), cells compared as keys."""
    return tuple(column_key(h) for h in header) == OWN_HEADER


_FIELD_LINE = re.compile(r"([a-z][a-z0-9_-]*)((?:;[a-z]+=(?:[^\\;:]|\\.)*)*):(.*)")
_FIELD_PARAM = re.compile(r";([a-z]+)=((?:[^\\;:]|\\.)*)")
_CELL_ESCAPE = re.compile(r"\\(.)")


def _cell_escape(text: str, specials: str = "") -> str:
    out = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
    for ch in specials:
        out = out.replace(ch, "\\" + ch)
    return out


def _cell_unescape(text: str) -> str:
    return _CELL_ESCAPE.sub(lambda m: {"n": "\n", "r": "\r"}.get(m.group(1), m.group(1)), text)


def fields_cell(fields: Iterable[Mapping[str, object]]) -> str:
    """A contact's extra fields as the `extra_fields` cell: one line each, `kind[;label=L][;pref=N]:value`
    (`nickname:Addy`, `date;label=birthday:1991-03-04`, `x:X-PCRM-EMAIL:n/a`), a backslash, line break or
    carriage return in a value written \\\\, \\n, \\r (and ; and : in a label as \\; \\:), so the cell
    is plain text a spreadsheet shows and `read_fields_cell` reads back exactly. An `email` field that is
    no address (kept so by an older import) is written as the extra field imports keep one in
    [not-an-address]."""
    lines = []
    for f in fields:
        kind, value, label, pref = str(f["kind"]), str(f["value"]), f.get("label"), f.get("pref")
        if kind == "email" and not is_email(value.strip().lower()):
            kind, value, label, pref = "x", f"X-PCRM-EMAIL:{escape(value)}", None, None
        params = "" if label is None else f";label={_cell_escape(str(label), ';:')}"
        params += "" if pref is None else f";pref={pref}"
        lines.append(f"{kind}{params}:{_cell_escape(value)}")
    return "\n".join(lines)


# the kinds of contact_fields rows pcrm writes into the cell (every kind an import keeps, as the vCard
# export reads them), each with what a value of it must be: a line naming another kind, or a value that
# is none of its kind, is text typed into the cell
def _any_text(value: str) -> bool:
    return True


_CELL_KINDS: dict[str, Callable[[str], bool]] = {
    **dict.fromkeys(
        (
            "n",
            "nickname",
            "org",
            "note",
            "address",
            "url",
            "im",
            "birthday",
            "anniversary",
            "date",
            "related",
        ),
        _any_text,
    ),
    "photo": _any_text,
    "email": lambda v: is_email(v.strip().lower()),
    "phone": lambda v: sum(ch.isdigit() for ch in v) >= 3,  # as the vCard import tells a number from words
    # kept property lines, never one shaping the card; an `x` one is an extension (X-...), as every import
    # keeps them, a `social` one an X-SOCIALPROFILE
    "prop": lambda v: kept_line("prop", v),
    "x": lambda v: kept_line("x", v),
    "social": lambda v: kept_line("social", v),
}


def read_fields_cell(cell: str, header: str) -> list[ContactField]:
    """The extra fields of an `extra_fields` cell (see fields_cell): a line of a kind pcrm writes there
    with a value of that kind (a property line for `prop`, `x` and `social` that is no property shaping
    the card: BEGIN, END, FN, UID, ...). Any other line (typed by hand in a spreadsheet, a link, a
    `phone:` of words) is kept whole as the column's `x` field, as a column pcrm does not know is."""
    out: list[ContactField] = []
    for line in re.split(r"\r?\n", cell):
        if not line.strip():
            continue
        m = _FIELD_LINE.fullmatch(line)
        params = dict(_FIELD_PARAM.findall(m.group(2))) if m else {}
        pref = params.pop("pref", None)
        valid = _CELL_KINDS.get(m.group(1)) if m else None
        value = _cell_unescape(m.group(3)) if m else ""
        if (
            m is None
            or valid is None
            or not valid(value)
            or set(params) - {"label"}
            or (pref is not None and not pref.isdigit())
        ):
            out.append({"kind": "x", "label": None, "value": x_line(header, line)})
            continue
        label = params.get("label")
        out.append(
            {
                "kind": m.group(1),
                "label": None if label is None else _cell_unescape(label),
                "value": value,
                "pref": None if pref is None else int(pref),
            }
        )
    return out


def parse(inp: Input, opts: Options) -> Parsed:
    return collect(stream(inp, opts))


def stream(inp: Input, opts: Options) -> Iterator[Parsed]:
    """The contacts in batches, read row by row [streamed-imports]; a first pass over the birthdays
    decides how the file orders its dates."""
    table = stream_csv(inp.lines, inp.filename, label=LABEL)
    cols = columns(table.header, opts.columns)
    if not set(cols) & _IDENTIFYING:
        raise BadRequest(
            f"{inp.filename} line {table.header_line}: no name, email, phone or handle column in the "
            f"header ({', '.join(table.header[:8])})",
            hint="name the columns full_name, email, phone, company, ..., map them with --map "
            "'COLUMN=given_name', or pick another format with --format",
        )
    if org_list(table.header):
        raise BadRequest(
            f"{inp.filename} is a list of organizations (`pcrm orgs list`), not of contacts",
            hint="import a contacts file; `pcrm export csv` writes every contact with its company",
        )
    addr = address_columns(table.header, set(cols.values()), opts.columns)
    mapped = _mapped(table.header, opts.columns)
    ignored = {h for h, t in mapped.items() if t == "ignore"}
    computed = [h for h in list_computed(table.header) if h not in mapped]
    if computed and not any(column_key(h) == "id" for h in table.header):
        # its rows name contacts by their names alone, which join no one: each would be someone new
        raise BadRequest(
            f"{inp.filename} is a pcrm contact list without its id column, which tells whose each row is",
            hint="list with the id column (the default columns have it), or write the file with "
            "`pcrm export csv`",
        )
    ignored |= set(computed)
    known = set(cols.values()) | set(addr.values()) | ignored
    unknown = [h for h in table.header if h and h not in known]
    id_col = next((h for h in unknown if column_key(h) == "id"), None)
    dates = "birthday" in cols and opts.date_order not in ("mdy", "dmy")
    births: list[str] = []
    ids: dict[str, int] = {}  # how many rows name each id: a copied row names it twice [own-exports]
    if dates or id_col:  # one first pass for both
        for r in table.rows():
            if dates:
                births.append(birthday_cell(r.values.get(cols["birthday"], "")) or "")
            if id_col and (own := pcrm_id_of(r.values.get(id_col, ""))):
                ids[own] = ids.get(own, 0) + 1
    if opts.date_order in ("mdy", "dmy"):  # --date-order settles what the dates leave open
        dates_mdy = opts.date_order == "mdy"
    else:
        dates_mdy = dates and month_first(births)
    head: list[str] = []
    # `pcrm export csv` writes `id` and `created_at` beside the fields: no news to report on re-import
    extra_col = next((h for h in unknown if column_key(h) == EXTRA_FIELDS), None)
    own_cells = {c: h for c in own_columns.COLUMNS for h in reversed(unknown) if column_key(h) == c}
    unknown = [h for h in unknown if h != extra_col and h not in own_cells.values()]
    news = [h for h in unknown if column_key(h) not in _OWN_COLUMNS]
    if news:
        head.append(f"{unread_note(news)}; read one as a field with --map 'COLUMN=field'")
    if computed:
        head.append(
            f"not read: {', '.join(computed)}, what a pcrm contact list computes, not contact data "
            "(`pcrm export csv` writes every field of a contact)"
        )
    own_cols = {h for h in unknown if column_key(h) in _OWN_COLUMNS}
    created_col = next((h for h in unknown if column_key(h) == "created_at"), None)
    records = _records(
        table,
        cols,
        addr,
        unknown,
        listed=bool(computed),
        dates_mdy=dates_mdy,
        id_col=id_col,
        own_cols=own_cols,
        extra_col=extra_col,
        ids=ids,
        created_col=created_col,
        own_cells=own_cells,
        own_file=own_export(table.header),
    )
    return in_batches(records, head=head, tail=lambda: table.errors)


def _name_org(data: dict[str, object]) -> list[ContactField]:
    """Split a "Name | Org" name row by row [csv-imports]: the name is the part before the separator; the
    organization fills the row's company when its cell is empty (or the file has no company column), and
    when the row names another company it is kept as an `org` field, as an import keeps another company."""
    if not data["full_name"]:
        return []
    name, org = parse_name_org(str(data["full_name"]))
    if not org:
        return []
    data["full_name"] = name
    company = str(data["company"] or "")
    if fold(org) == fold(company):
        return []
    if not company:
        data["company"] = org
        return []
    return [{"kind": "org", "label": None, "value": escape(org)}]


def _listed_name(data: dict[str, object]) -> dict[str, Any] | None:
    """A contact list's `name` cell that is an email address or a phone number is the contact's own, the
    list showing a contact without a name by it [display-name]: read as that email or phone, not as a
    name the contact never had [list-csv]. Returns the cells as they were (None: the name is read as a
    name), which the import takes instead when the row's id names a contact of that name."""
    name = str(data["full_name"]).strip()
    key = "emails" if is_email(name.lower()) else "phones" if is_phone_term(name) else None
    held = data[key] if key else None
    if key is None or not isinstance(held, list):
        return None
    was = {"full_name": data["full_name"], key: list(held)}
    data["full_name"] = None
    if name not in held:
        held.insert(0, name)
    return was


def _earlier(data: Mapping[str, object], has_company: bool) -> dict[str, object] | None:
    """How pcrm read this row before names were split row by row: with a company column it kept a "Name |
    Org" name whole and the company as the cell had it (None when the name is not split: read as now)."""
    if not has_company or not data["full_name"] or not parse_name_org(str(data["full_name"]))[1]:
        return None
    return {"full_name": data["full_name"], "company": data["company"]}


def _records(
    table: CsvStream,
    cols: dict[str, str],
    addr: dict[str, str],
    unknown: list[str],
    *,
    listed: bool = False,
    dates_mdy: bool,
    id_col: str | None,
    own_cols: set[str],
    extra_col: str | None,
    ids: dict[str, int],
    created_col: str | None,
    own_cells: Mapping[str, str],
    own_file: bool = False,
) -> Iterator[ContactRecord]:
    for row in table.rows():

        def get(field: str, row: CsvRow = row) -> str:
            return unescape_formula(row.values.get(cols[field], "")) if field in cols else ""

        fields: list[ContactField] = []
        data: dict[str, object] = {
            "full_name": get("full_name") or None,
            "given_name": get("given_name") or None,
            "family_name": get("family_name") or None,
            "emails": split_addresses(get("emails")),
            "phones": split_listed(get("phones")),
            "company": get("company") or None,
            "title": get("title") or None,
            "twitter_handle": get("twitter_handle") or None,
            "telegram_username": get("telegram_username") or None,
            "notes": get("notes") or None,
            "tags": split_listed(get("tags")),
            "linkedin_url": get("linkedin_url") or None,
            "location": get("location") or None,
            "birthday": None,
            "priority_level": get("priority_level") or None,
        }
        as_listed = _listed_name(data) if listed and data["full_name"] else None
        if raw := birthday_cell(get("birthday")):
            # a date that is not a real day goes on in pcrm's form (19600231 as 1960-02-31), anything
            # else as written: validation keeps it as the cell has it in a `birthday` field, says why in
            # a row error [kept-birthdays], and the rest of the row imports
            data["birthday"] = (
                read_date(raw, month_first=dates_mdy) or _date_shape(raw, month_first=dates_mdy) or raw
            )
        parts = {part: row.values.get(h, "") for part, h in addr.items() if row.values.get(h, "")}
        if parts:
            fields.append({"kind": "address", "label": None, "value": adr_value(parts)})
            if not data["location"]:
                town = (parts.get("town", ""), parts.get("region", ""), parts.get("country", ""))
                data["location"] = ", ".join(x for x in town if x) or None
        # a row `pcrm export csv` wrote: its `id` finds the contact in the store that wrote it, which then
        # keeps neither that cell nor `created_at` as a value; another store keeps both [own-exports]
        own = pcrm_id_of(row.values.get(id_col, "")) if id_col else None
        id_fields: list[ContactField] = []
        held: set[str] = set()
        for h in unknown:
            if row.values.get(h):
                kept = id_fields if own and h in own_cols else fields
                kept.append(x_field(h, row.values[h], held))
        # the photo's web address [csv-photos]; anything else (a local path, naming a file of the store that
        # wrote it; a word; `javascript:`) is kept aside as a column pcrm does not read is, not made a photo
        # that shows nothing
        if photo := get("avatar_url").strip():
            if site_address(photo):
                data["avatar_url"] = photo
            else:
                fields.append(x_field(cols["avatar_url"], photo, held))
        for f in OWN_FIELDS:
            if not (value := get(f).strip()):
                continue
            # a source pcrm never gives (another program's "Source" column), a picture's address the field
            # does not take (no http(s) address nor local path [safe-links]): kept aside as a column pcrm does
            # not read is
            unread = file_source(value) is None if f == "source" else False
            if unread or (f.endswith("_avatar_url") and not web_link(value)):
                fields.append(x_field(cols[f], value, held))
            else:
                data[f] = value
        # a map point is whole: both coordinates, numbers on the globe; else each cell given is kept aside
        # as a column pcrm does not read is, and the contact gets no half point [geocoding]
        point = (get("latitude").strip(), get("longitude").strip())
        if (read := read_point(*point)) is not None:  # never 0, 0 or a number Python alone reads
            data["latitude"], data["longitude"] = read
        else:
            fields += [
                x_field(cols[f], v, held) for f, v in zip(("latitude", "longitude"), point, strict=True) if v
            ]
        if extra_col and (cell := unescape_formula(row.values.get(extra_col, ""))):
            fields += read_fields_cell(cell, extra_col)
        more_ids, edited = _own_cells(row, own_cells, data, fields, own=own is not None and own_file)
        # a row `pcrm export csv` wrote gives the name as a store held it ("AC/DC" is a name there)
        earlier = None if own else _earlier(data, "company" in cols)
        fields += [] if own else _name_org(data)
        rec = ContactRecord(
            row=row.row,
            data=data,
            fields=fields,
            pcrm_id=own,
            file_id=own,
            id_fields=id_fields,
            pcrm_created_at=(row.values.get(created_col, "").strip() or None)
            if own and created_col
            else None,
            pcrm_id_once=bool(own) and ids.get(own or "") == 1,
            earlier=earlier,
            birthday_written=get("birthday") or None,
            as_listed=as_listed,
            more_ids=tuple(more_ids),
            edited=edited,
            accounts_by_name=not own_file,
        )
        take_not_same_as(rec)  # the user's answers pcrm's export wrote: not values of the row [kept-apart]
        yield rec


def _own_cells(
    row: CsvRow,
    own_cells: Mapping[str, str],
    data: dict[str, object],
    fields: list[ContactField],
    *,
    own: bool,
) -> tuple[list[tuple[str, str]], tuple[str, ...]]:
    """The row's `identities` and `edited_fields` cells (`own_columns`) [own-exports]: the identities into
    `data` (a field the row gives no value yet) and the more ids of the person; the fields typed by hand
    only for a row of pcrm's own export (`own`: its header is `OWN_HEADER`, the row names its contact by a
    pcrm id). What they hold that pcrm cannot read (a line that is no identity, a word that is no field;
    any edited_fields cell of another file) is kept as the column's `x` field, as a column pcrm does not
    know is."""
    more: list[tuple[str, str]] = []
    edited: tuple[str, ...] = ()
    if (h := own_cells.get(own_columns.IDENTITY_COLUMN)) and (
        cell := unescape_formula(row.values.get(h, ""))
    ):
        more, unread = own_columns.read_identities_cell(cell, data)
        if unread:
            fields.append(x_field(h, "\n".join(unread)))
    if (h := own_cells.get(own_columns.EDITED_COLUMN)) and (cell := unescape_formula(row.values.get(h, ""))):
        edited, unknown = own_columns.read_edited_cell(cell) if own else ((), [cell])
        if unknown:
            fields.append(x_field(h, "; ".join(unknown)))
    return more, edited
