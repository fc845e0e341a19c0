"""Outlook contacts CSV (Outlook desktop and Outlook.com exports).

Columns: First Name, Middle Name, Last Name, Suffix, Nickname, Company, Job Title ('Title' is the
honorific, not the job), E-mail Address / E-mail 2 Address / E-mail 3 Address, the * Phone columns,
Business/Home/Other address parts, Web Page, Birthday (M/D/YYYY; 0/0/00 means none), Notes and
Categories (';'-separated, become tags). Files with only e-mail columns import e-mail-only contacts.
"""

from __future__ import annotations

import csv
import re

from pcrm.domain.records import ContactField, ContactRecord
from pcrm.formats.base import Input, Options, Parsed
from pcrm.formats.textio import read_csv, split_multi

NAME = "outlook-csv"
SOURCE = "outlook"
LABEL = "an Outlook contacts CSV"

_EMAILS = ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address")
_MARKERS = (*_EMAILS, "E-mail Display Name", "Business Phone", "Mobile Phone", "Home Phone")
_PHONE = re.compile(r"(Phone|Mobile|Pager)( \d)?$")
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
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2,4})$")


def _header(inp: Input) -> list[str]:
    lines = inp.text().splitlines()
    return [h.strip().lstrip("\ufeff") for h in next(csv.reader(lines[:1]), [])] if lines else []


def detect(inp: Input) -> bool:
    if inp.suffix not in ("csv", ""):
        return False
    header = _header(inp)
    return any(m in header for m in _MARKERS)


def birthday(value: str) -> str | None:
    """Outlook writes M/D/YYYY (0/0/00 for none); ISO dates pass through."""
    v = value.strip()
    m = _US_DATE.match(v)
    if not m:
        return v or None
    month, day, year = (int(x) for x in m.groups())
    if month == 0 or day == 0:
        return None
    if year < 100:
        return f"{month:02d}-{day:02d}"  # a two-digit year is Outlook's "no year"
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse(inp: Input, opts: Options) -> Parsed:
    table = read_csv(inp.text(), inp.filename, label=LABEL)
    out = Parsed(errors=list(table.errors))
    phone_cols = [h for h in table.header if _PHONE.search(h) and "Fax" not in h]
    for row in table.rows:
        v = row.values
        given, middle, family = (
            v.get("First Name") or None,
            v.get("Middle Name") or None,
            v.get("Last Name") or None,
        )
        suffix = v.get("Suffix") or None
        full = " ".join(p for p in (given, middle, family, suffix) if p) or v.get("Name") or None
        fields: list[ContactField] = []
        for kind in ("Business", "Home", "Other"):
            parts = [v.get(f"{kind} {p}", "") for p in _ADDRESS_PARTS]
            text = ", ".join(p for p in parts if p)
            if text:
                fields.append({"kind": "address", "label": kind.lower(), "value": text})
        if v.get("Web Page"):
            fields.append({"kind": "url", "label": None, "value": v["Web Page"]})
        if v.get("Nickname"):
            fields.append({"kind": "nickname", "label": None, "value": v["Nickname"]})
        data = {
            "full_name": full,
            "given_name": given,
            "family_name": family,
            "emails": [v[c] for c in _EMAILS if v.get(c)],
            "phones": [v[c] for c in phone_cols if v.get(c)],
            "company": v.get("Company") or None,
            "title": v.get("Job Title") or None,
            "notes": v.get("Notes") or None,
            "birthday": birthday(v.get("Birthday", "")),
            "location": v.get("Business City") or v.get("Home City") or None,
            "tags": split_multi(v.get("Categories", ""), ";"),
        }
        out.contacts.append(ContactRecord(row=row.line, data=data, fields=fields))
    return out
