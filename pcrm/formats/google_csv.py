"""Google Contacts CSV, in both header layouts.

- Current layout: First Name / Middle Name / Last Name, Organization Name / Title, Labels,
  `E-mail 1 - Label` / `- Value`, `Phone 1 - Label` / `- Value`, `Address 1 - Formatted`, `Website 1 - Value`.
- Legacy ("Google CSV") layout: Name, Given Name, Additional Name, Family Name, Group Membership,
  `E-mail 1 - Type` / `- Value`, `Organization 1 - Name` / `- Title`, ...

A cell may hold several values joined by ' ::: '. Labels and groups become tags, except Google's own
system groups (those starting with '*': My Contacts, Starred). Addresses, websites, nicknames and
relations go to contact_fields. A row with no name but an organisation (a company's own entry) is a
contact named by the organisation, as Google lists it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

from pcrm.domain.records import ContactField, ContactRecord
from pcrm.formats.base import Input, Options, Parsed, collect, in_batches
from pcrm.formats.textio import CsvRow, CsvStream, split_multi, stream_csv

NAME = "google-csv"
SOURCE = "google"
LABEL = "a Google Contacts CSV"

_MARKERS = (
    "E-mail 1 - Value",
    "Group Membership",
    "Organization Name",
    "Organization 1 - Name",
    "Labels",
    "Phone 1 - Value",
    "Given Name",
)
_NUMBERED = re.compile(r"^(E-mail|Phone|Address|Website|Relation|Event|IM) (\d+) - (.+)$")


def _header(inp: Input) -> list[str]:
    lines = inp.first_lines(1)
    return next(csv.reader(lines), []) if lines else []


def detect(inp: Input) -> bool:
    if inp.suffix not in ("csv", ""):
        return False
    header = [h.strip().lstrip("\ufeff") for h in _header(inp)]
    if "E-mail Address" in header or "E-mail Display Name" in header:
        return False  # Outlook
    # the defining keys: Google's numbered value columns or its group column, not a name column alone
    # (a CSV of "Given Name,Surname,Email" is a generic one)
    return any(m in header for m in _MARKERS) and (
        any(_NUMBERED.match(h) for h in header)
        or "Group Membership" in header
        or ("Labels" in header and "First Name" in header)
    )


def _numbered(row: CsvRow) -> dict[str, dict[int, dict[str, str]]]:
    """{'E-mail': {1: {'Value': ..., 'Label': ...}}, ...}"""
    out: dict[str, dict[int, dict[str, str]]] = {}
    for h, v in row.values.items():
        m = _NUMBERED.match(h)
        if m and v:
            out.setdefault(m.group(1), {}).setdefault(int(m.group(2)), {})[m.group(3)] = v
    return out


def _label(item: dict[str, str]) -> str | None:
    lab = (item.get("Label") or item.get("Type") or "").strip().lstrip("*").strip()
    return lab or None


def _tags(value: str) -> list[str]:
    out = []
    for g in split_multi(value, ""):
        # '*'-prefixed groups are Google's own (* myContacts, * starred); "Imported on ..." is automatic
        if g.startswith("*") or g.lower().startswith("imported on"):
            continue
        out.append(g)
    return out


def parse(inp: Input, opts: Options) -> Parsed:
    return collect(stream(inp, opts))


def stream(inp: Input, opts: Options) -> Iterator[Parsed]:
    """The contacts in batches, read row by row [streamed-imports]."""
    table = stream_csv(inp.lines, inp.filename, label=LABEL)
    return in_batches(_records(table), tail=lambda: table.errors)


def _records(table: CsvStream) -> Iterator[ContactRecord]:
    for row in table.rows():
        v = row.values
        nums = _numbered(row)
        given = v.get("First Name") or v.get("Given Name") or None
        middle = v.get("Middle Name") or v.get("Additional Name") or None
        family = v.get("Last Name") or v.get("Family Name") or None
        suffix = v.get("Name Suffix") or None
        full = v.get("Name") or " ".join(p for p in (given, middle, family, suffix) if p) or None
        emails = [
            e for item in nums.get("E-mail", {}).values() for e in split_multi(item.get("Value", ""), "")
        ]
        phones = [
            p for item in nums.get("Phone", {}).values() for p in split_multi(item.get("Value", ""), "")
        ]
        fields: list[ContactField] = []
        for kind, key in (("address", "Address"), ("url", "Website"), ("related", "Relation")):
            for _i, item in sorted(nums.get(key, {}).items()):
                value = item.get("Formatted") or item.get("Value") or ""
                if not value and key == "Address":
                    value = ", ".join(
                        item[k] for k in ("Street", "City", "Region", "Postal Code", "Country") if item.get(k)
                    )
                if value:
                    fields.append({"kind": kind, "label": _label(item), "value": value})
        if v.get("Nickname"):
            fields.append({"kind": "nickname", "label": None, "value": v["Nickname"]})
        addr1 = nums.get("Address", {}).get(1, {})
        data = {
            "full_name": full,
            "given_name": given,
            "family_name": family,
            "emails": emails,
            "phones": phones,
            "company": v.get("Organization Name") or v.get("Organization 1 - Name") or None,
            "title": v.get("Organization Title") or v.get("Organization 1 - Title") or None,
            "notes": v.get("Notes") or None,
            "birthday": v.get("Birthday") or None,
            "location": addr1.get("City") or v.get("Location") or None,
            "tags": _tags(v.get("Labels") or v.get("Group Membership") or ""),
        }
        if not full and data["company"]:
            data["full_name"] = data["company"]  # an organisation's own entry: Google lists it by that name
        yield ContactRecord(row=row.line, data=data, fields=fields)
