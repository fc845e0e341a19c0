"""Generic contacts CSV [csv-imports]: the reference's column names and their aliases, any case or spacing.

Columns: full_name|name, given_name|first_name, family_name|last_name, emails|email (';'-separated),
phones|phone (';'-separated), company|organization, title|job_title, twitter_handle|twitter|x_handle,
telegram_username|telegram, notes|note, tags (';'-separated), plus linkedin_url, location, birthday and
priority. A "Name | Org" name is split when no company column is given. This is also what
`pcrm export csv` writes, so an export imports back.
"""

from __future__ import annotations

import csv
import re

from pcrm.domain.records import ContactRecord
from pcrm.errors import BadRequest
from pcrm.formats.base import Input, Options, Parsed
from pcrm.formats.names import parse_name_org
from pcrm.formats.textio import CsvRow, read_csv, split_multi

NAME = "csv"
SOURCE = "csv"
LABEL = "a contacts CSV"

# Contact fields (domain.models.Contact) -> the column names that mean them. The first name of each is
# the column `pcrm export csv` writes, in this order, so an export imports back.
ALIASES = {
    "full_name": ("full_name", "name", "display_name", "fullname"),
    "given_name": ("given_name", "first_name", "firstname", "given"),
    "family_name": ("family_name", "last_name", "lastname", "surname"),
    "emails": ("emails", "email", "e_mail", "email_address", "email_addresses"),
    "phones": ("phones", "phone", "phone_number", "phone_numbers", "mobile"),
    "company": ("company", "organization", "organisation", "org"),
    "title": ("title", "job_title", "position", "role"),
    "twitter_handle": ("twitter_handle", "twitter", "x_handle", "x"),
    "telegram_username": ("telegram_username", "telegram"),
    "linkedin_url": ("linkedin_url", "linkedin"),
    "location": ("location", "city"),
    "birthday": ("birthday", "birth_date", "birthdate"),
    "priority_level": ("priority_level", "priority"),
    "tags": ("tags", "tag", "labels"),
    "notes": ("notes", "note"),
}
_LOOKUP = {alias: field for field, names in ALIASES.items() for alias in names}
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
    return re.sub(r"[^0-9a-z]+", "_", header.strip().lower()).strip("_")


def columns(header: list[str]) -> dict[str, str]:
    """field -> the header cell that holds it (the first one wins)."""
    out: dict[str, str] = {}
    for h in header:
        f = _LOOKUP.get(column_key(h))
        if f and f not in out:
            out[f] = h
    return out


def detect(inp: Input) -> bool:
    if inp.suffix not in ("csv", "tsv", "txt", ""):
        return False
    lines = inp.text().splitlines()
    if not lines:
        return inp.suffix in ("csv", "tsv")
    first = lines[0]
    delim = max((",", ";", "\t"), key=first.count)
    header = next(csv.reader([first], delimiter=delim), [])
    return bool(set(columns(header)) & _IDENTIFYING)


def parse(inp: Input, opts: Options) -> Parsed:
    text = inp.text()
    table = read_csv(text, inp.filename, label=LABEL)
    cols = columns(table.header)
    if not set(cols) & _IDENTIFYING:
        raise BadRequest(
            f"{inp.filename} line {table.header_line}: no name, email, phone or handle column in the "
            f"header ({', '.join(table.header[:8])})",
            hint="name the columns full_name, email, phone, company, ... "
            "or pick another format with --format",
        )
    out = Parsed(errors=list(table.errors))
    for row in table.rows:

        def get(field: str, row: CsvRow = row) -> str:
            return row.values.get(cols[field], "") if field in cols else ""

        data: dict[str, object] = {
            "full_name": get("full_name") or None,
            "given_name": get("given_name") or None,
            "family_name": get("family_name") or None,
            "emails": split_multi(get("emails"), ";,"),
            "phones": split_multi(get("phones"), ";"),
            "company": get("company") or None,
            "title": get("title") or None,
            "twitter_handle": get("twitter_handle") or None,
            "telegram_username": get("telegram_username") or None,
            "notes": get("notes") or None,
            "tags": split_multi(get("tags"), ";"),
            "linkedin_url": get("linkedin_url") or None,
            "location": get("location") or None,
            "birthday": get("birthday") or None,
            "priority_level": get("priority_level") or None,
        }
        if "company" not in cols and data["full_name"]:
            name, org = parse_name_org(str(data["full_name"]))
            data["full_name"], data["company"] = name, org
        out.contacts.append(ContactRecord(row=row.line, data=data))
    return out
