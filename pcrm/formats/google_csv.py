"""Google Contacts CSV, in both header layouts.

- Current layout: First Name / Middle Name / Last Name, Organization Name / Title, Labels,
  `E-mail 1 - Label` / `- Value`, `Phone 1 - Label` / `- Value`, `Address 1 - Formatted`, `Website 1 - Value`.
- Legacy ("Google CSV") layout: Name, Given Name, Additional Name, Family Name, Group Membership,
  `E-mail 1 - Type` / `- Value`, `Organization 1 - Name` / `- Title`, ...

A cell may hold several values joined by ' ::: '. Labels and groups become tags, except Google's own
system groups (those starting with '*': My Contacts, Starred). A row with no name but an organisation (a
company's own entry) is a contact named by the organisation, as Google lists it.

Every value lands where a vCard import of the same person would put it [csv-imports]: e-mails and phones
keep their `- Type` / `- Label` as a `contact_fields` label (`Mobile` as `cell`, `Work Fax` as `work,fax`;
the `* ` Google puts before the primary one is pref 1); name prefix, middle name and suffix an `n` field
(N's five components); the department an `org` field; addresses an ADR built from the Street, PO Box,
City, Region, Postal Code and Country columns (`Formatted` alone, or holding more than those, goes in
the street component), labelled by their type; websites, relations, events and IM handles their own
kinds. Custom fields are one `x` field each, the value's line labelled by the custom label; a second
organisation is kept as another job is (an `org` field and a `TITLE` line), `Occupation` is the title (or
another `TITLE` line beside one), a `Photo` web address a `photo` field. A column pcrm does not read is kept
on the contact as an `x` field (`X-COLUMN:value`) and named in the report, never dropped.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

from pcrm.domain.records import ContactField, ContactRecord
from pcrm.formats.base import Input, Options, Parsed, collect, in_batches
from pcrm.formats.generic_csv import Unread, address_field, birthday_cell, x_field
from pcrm.formats.outlook_csv import MISC_COLUMNS
from pcrm.formats.textio import CsvRow, CsvStream, split_multi, stream_csv
from pcrm.formats.vcard_text import escape, label_of, structured

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
_NUMBERED = re.compile(
    r"^(E-mail|Phone|Address|Website|Relation|Event|IM|Custom Field|Organization) (\d+) - (.+)$"
)
# any other numbered group of a label and a value (`External ID 1 - Label` / `- Value`, `Jot 1 - ...`,
# `Calendar Link 1 - ...`, `Hobby 1 - ...`): kept as one field, the value labelled by the group and its label
_PAIRED = re.compile(r"^(.+?) (\d+) - (Type|Label|Value)$")
# what an organisation's other columns are (`Organization 1 - Location`, or `Organization Location` of the
# current layout): kept as a field each, labelled by what it is, not as a raw column
_ORG_PARTS = {
    "Location": "office location",
    "Job Description": "job description",
    "Symbol": "company symbol",
    "Yomi Name": "company name (phonetic)",
    "Phonetic Name": "company name (phonetic)",
    "Type": "company type",
}
_ORG_COLUMN = re.compile(r"^Organization (?:(\d+) - )?(" + "|".join(_ORG_PARTS) + r")$")
# the parts of a numbered column pcrm reads; any other (`Address 1 - Extended Address` is read, a
# `Phone 1 - Extension` of a later layout is not) is kept as an extra field
_PARTS = {
    "E-mail": {"Type", "Label", "Value"},
    "Phone": {"Type", "Label", "Value"},
    "Website": {"Type", "Label", "Value"},
    "Relation": {"Type", "Label", "Value"},
    "Event": {"Type", "Label", "Value"},
    "IM": {"Type", "Label", "Service", "Protocol", "Value"},
    "Custom Field": {"Type", "Label", "Value"},
    "Organization": {"Name", "Title", "Department"},
    "Address": {
        "Type",
        "Label",
        "Formatted",
        "Street",
        "City",
        "PO Box",
        "Region",
        "Postal Code",
        "Country",
        "Extended Address",
    },
}
# the plain columns pcrm reads (both layouts)
_READ = {
    "Name",
    "First Name",
    "Given Name",
    "Middle Name",
    "Additional Name",
    "Last Name",
    "Family Name",
    "Name Prefix",
    "Name Suffix",
    "Nickname",
    "Organization Name",
    "Organization 1 - Name",
    "Organization Title",
    "Organization 1 - Title",
    "Organization Department",
    "Organization 1 - Department",
    "Notes",
    "Birthday",
    "Location",
    "Labels",
    "Group Membership",
    "Occupation",
    "Photo",
}


# Google's own columns pcrm has no field for: kept on their `x` line (`X-PHONETIC-FIRST-NAME`, the line a
# vCard import keeps of the same value), labelled by what they are, not reported as columns not recognised
_NAMED = {
    "Phonetic First Name": "given name (phonetic)",
    "Phonetic Middle Name": "middle name (phonetic)",
    "Phonetic Last Name": "family name (phonetic)",
    "Given Name Yomi": "given name (phonetic)",
    "Additional Name Yomi": "middle name (phonetic)",
    "Family Name Yomi": "family name (phonetic)",
    "Yomi Name": "name (phonetic)",
    "File As": "filed as",
    "Maiden Name": "maiden name",
    "Short Name": "short name",
    "Initials": "initials",
    **MISC_COLUMNS,  # the legacy layout's Outlook columns (Gender, Hobby, Priority, Sensitivity, ...)
}


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
        if m and v and m.group(3) in _PARTS[m.group(1)]:
            out.setdefault(m.group(1), {}).setdefault(int(m.group(2)), {})[m.group(3)] = v
    return out


def _reads(header: str) -> bool:
    if _ORG_COLUMN.match(header):
        return True
    m = _NUMBERED.match(header)
    if m is None:
        return header in _READ or _PAIRED.match(header) is not None
    return m.group(3) in _PARTS[m.group(1)]


def _org_parts(values: dict[str, str]) -> list[ContactField]:
    """An organisation's location, job description, symbol, phonetic name and type (`Organization 1 -
    Location` "Berlin") as a field each, labelled by what it is ("office location"), a second
    organisation's with its name ("job description (Initech)"). The line is the `x` line the column was kept
    as before, so a file imported then gains no second copy [csv-imports]."""
    fields: list[ContactField] = []
    for h, v in values.items():
        m = _ORG_COLUMN.match(h)
        if not m or not v.strip():
            continue
        what = _ORG_PARTS[m.group(2)]
        if m.group(1) and m.group(1) != "1":
            org = values.get(f"Organization {m.group(1)} - Name", "").strip()
            what = f"{what} ({org or 'organization ' + m.group(1)})"
        fields.append({**x_field(h, v), "label": what})
    return fields


def _paired(values: dict[str, str]) -> list[ContactField]:
    """The numbered label-and-value groups pcrm has no kind for (`External ID 1 - Label` "Account", `-
    Value` "12345"): the value's `x` line (the one imports kept before they paired them), labelled by the
    group and its label ("external id (Account)"); a label with no value is kept as its column."""
    groups: dict[tuple[str, str], dict[str, str]] = {}
    for h, v in values.items():
        m = _PAIRED.match(h)
        if m and not _NUMBERED.match(h) and not _ORG_COLUMN.match(h) and v.strip():
            groups.setdefault((m.group(1), m.group(2)), {})[m.group(3)] = v
    fields: list[ContactField] = []
    for (group, i), item in groups.items():
        label = (item.get("Label") or item.get("Type") or "").strip()
        if value := item.get("Value", ""):
            what = f"{group.lower()} ({label})" if label else group.lower()
            fields.append({**x_field(f"{group} {i} - Value", value), "label": what})
        else:
            part = "Label" if "Label" in item else "Type"
            fields.append(x_field(f"{group} {i} - {part}", label))
    return fields


def _label(item: dict[str, str], *, phone: bool = False) -> tuple[str | None, int | None]:
    """The item's label as a vCard import stores it, and its pref (`* Home`: the primary one)."""
    return label_of(item.get("Label") or item.get("Type") or "", phone=phone)


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
    unread = Unread([h for h in table.header if h and not _reads(h)], _NAMED)
    return in_batches(_records(table, unread), tail=lambda: table.errors + unread.report())


def _values(
    nums: dict[str, dict[int, dict[str, str]]], key: str, kind: str, *, phone: bool = False
) -> tuple[list[str], list[ContactField]]:
    """The e-mails or phones of the numbered columns, and the labelled or primary ones as fields (what a
    vCard import keeps of `EMAIL;TYPE=home` or `TEL;TYPE=cell,pref`)."""
    values: list[str] = []
    fields: list[ContactField] = []
    for _i, item in sorted(nums.get(key, {}).items()):
        cells = split_multi(item.get("Value", ""), "")
        for value, (label, pref) in zip(cells, _labels(item, len(cells), phone=phone), strict=True):
            values.append(value)
            if label or pref:  # a phone of words keeps its label too (validate's _phones_aside)
                shown = value.lower() if kind == "email" else value
                fields.append({"kind": kind, "label": label, "value": shown, "pref": pref})
    return values, fields


def _labels(item: dict[str, str], n: int, *, phone: bool = False) -> list[tuple[str | None, int | None]]:
    """The label of each of the `n` values of a group's `a ::: b` cell: Google writes the type cell of such a
    group as `Mobile ::: Work`, one type a value (`Mobile ::: Mobile` for two mobiles), which was kept whole
    as both values' label; one type (or a count that does not match) labels every value."""
    types = split_multi(item.get("Label") or item.get("Type") or "", "")
    if len(types) == n and n > 1:
        return [label_of(t, phone=phone) for t in types]
    if len(types) > 1 and len(set(types)) == 1:
        return [label_of(types[0], phone=phone)] * n
    return [_label(item, phone=phone)] * n


def _address(item: dict[str, str]) -> ContactField | None:
    label, pref = _label(item)
    return address_field(
        {
            "pobox": item.get("PO Box", ""),
            "extended": item.get("Extended Address", ""),
            "street": item.get("Street", ""),
            "town": item.get("City", ""),
            "region": item.get("Region", ""),
            "postcode": item.get("Postal Code", ""),
            "country": item.get("Country", ""),
        },
        item.get("Formatted", ""),
        label,
        pref,
    )


def _fields(nums: dict[str, dict[int, dict[str, str]]]) -> list[ContactField]:
    """Addresses, websites, relations, events and IM handles, as a vCard import keeps them."""
    fields: list[ContactField] = []
    for _i, item in sorted(nums.get("Address", {}).items()):
        if adr := _address(item):
            fields.append(adr)
    for kind, key in (("url", "Website"), ("related", "Relation")):
        for _i, item in sorted(nums.get(key, {}).items()):
            label, pref = _label(item)
            fields += [
                {"kind": kind, "label": label, "value": value, "pref": pref}
                for value in split_multi(item.get("Value", ""), "")
            ]
    for _i, item in sorted(nums.get("Event", {}).items()):
        label, pref = _label(item)
        if item.get("Value"):
            anniversary = (label or "").lower() == "anniversary"
            fields.append(
                {
                    "kind": "anniversary" if anniversary else "date",
                    "label": None if anniversary else label,
                    "value": item["Value"],
                    "pref": pref,
                }
            )
    for _i, item in sorted(nums.get("IM", {}).items()):
        service = item.get("Service") or item.get("Protocol") or _label(item)[0]
        fields += [
            {"kind": "im", "label": service, "value": value, "pref": None}
            for value in split_multi(item.get("Value", ""), "")
        ]
    return fields + _custom(nums) + _other_jobs(nums)


def _custom(nums: dict[str, dict[int, dict[str, str]]]) -> list[ContactField]:
    """Google's custom fields (`Custom Field 1 - Label` "Shoe size", `- Value` "38") as one field each,
    named by its label as written: the value's `x` line (the one imports kept before they paired them, so
    a file imported then gains no second copy), labelled. A label with no value, or a value with no label,
    is kept as its column alone, as before."""
    fields: list[ContactField] = []
    for i, item in sorted(nums.get("Custom Field", {}).items()):
        label = (item.get("Label") or item.get("Type") or "").strip()
        value = item.get("Value", "")
        part = "Label" if "Label" in item else "Type"
        if value:
            field = x_field(f"Custom Field {i} - Value", value)
            fields.append({**field, "label": label or field["label"]})
        elif label:
            fields.append(x_field(f"Custom Field {i} - {part}", label))
    return fields


def _photo(cell: str) -> ContactField:
    """Google's `Photo` column: a web address of the picture, kept as the `photo` field a vCard import keeps
    of a PHOTO URL (never fetched; the vCard export writes it back as PHOTO); anything else as its column."""
    if re.match(r"https?://\S+$", cell, re.IGNORECASE):
        return {"kind": "photo", "label": None, "value": cell}
    return x_field("Photo", cell)


def _other_jobs(nums: dict[str, dict[int, dict[str, str]]]) -> list[ContactField]:
    """A second (third, ...) organisation of the legacy layout (`Organization 2 - Name`, `- Title`,
    `- Department`) as the other company and other title an import keeps aside when a contact changes job
    [job-changes]: an `org` field and a `TITLE` line."""
    fields: list[ContactField] = []
    for i, item in sorted(nums.get("Organization", {}).items()):
        if i == 1:
            continue  # the contact's own company and title
        name, department = item.get("Name", ""), item.get("Department", "")
        if name or department:
            org = structured(name, department) if department else escape(name)
            fields.append({"kind": "org", "label": None, "value": org})
        if title := item.get("Title", "").strip():
            fields.append({"kind": "prop", "label": None, "value": f"TITLE:{escape(title)}"})
    return fields


def _records(table: CsvStream, unread: Unread) -> Iterator[ContactRecord]:
    for row in table.rows():
        v = row.values
        nums = _numbered(row)
        given = v.get("First Name") or v.get("Given Name") or None
        middle = v.get("Middle Name") or v.get("Additional Name") or None
        family = v.get("Last Name") or v.get("Family Name") or None
        prefix = v.get("Name Prefix") or None
        suffix = v.get("Name Suffix") or None
        full = v.get("Name") or " ".join(p for p in (given, middle, family, suffix) if p) or None
        emails, fields = _values(nums, "E-mail", "email")
        phones, phone_fields = _values(nums, "Phone", "phone", phone=True)
        fields += phone_fields
        if middle or prefix or suffix:  # N's five components, as a vCard import keeps them
            n = structured(family or "", given or "", middle or "", prefix or "", suffix or "")
            fields.append({"kind": "n", "label": None, "value": n})
        company = v.get("Organization Name") or v.get("Organization 1 - Name") or None
        department = v.get("Organization Department") or v.get("Organization 1 - Department")
        if company and department:
            fields.append({"kind": "org", "label": None, "value": structured(company, department)})
        fields += _fields(nums)
        for nick in split_multi(v.get("Nickname", ""), ""):
            fields.append({"kind": "nickname", "label": None, "value": nick})
        fields += unread.fields(v) + _org_parts(v) + _paired(v)
        title = v.get("Organization Title") or v.get("Organization 1 - Title") or None
        occupation = v.get("Occupation", "").strip()
        if occupation and title and occupation.casefold() != title.strip().casefold():
            # the person's occupation beside a job title: kept aside as another title [job-changes]
            fields.append({"kind": "prop", "label": None, "value": f"TITLE:{escape(occupation)}"})
        if photo := v.get("Photo", "").strip():
            fields.append(_photo(photo))
        location = v.get("Location") or None
        addr1 = nums.get("Address", {}).get(1, {})
        data = {
            "full_name": full,
            "given_name": given,
            "family_name": family,
            "emails": emails,
            "phones": phones,
            "company": company,
            "title": title or occupation or None,
            "notes": v.get("Notes") or None,
            "birthday": birthday_cell(v.get("Birthday")),
            "location": location
            or ", ".join(addr1[k] for k in ("City", "Region", "Country") if addr1.get(k))
            or None,
            "tags": _tags(v.get("Labels") or v.get("Group Membership") or ""),
        }
        if not full and company:
            data["full_name"] = company  # an organisation's own entry: Google lists it by that name
        if department and not company:
            fields.append({"kind": "org", "label": None, "value": structured("", department)})
        yield ContactRecord(
            row=row.row, data=data, fields=fields, birthday_written=v.get("Birthday", "").strip() or None
        )
