"""The vCard writer escapes every value it writes [vcard-escaping]: a line break, comma, semicolon or
backslash in any property can neither end the line nor split a value, and the card reads back the same."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pcrm.formats import vcard, vcard_write
from pcrm.formats.base import Input
from pcrm.formats.vcard_text import readable_field
from tests.support.formats import options

NASTY = "a, b; c\\d\ne\r\nf"


def _contact() -> dict[str, Any]:
    return {
        "id": "00000000-0000-4000-8000-000000000001",
        "full_name": f"Ann {NASTY}",
        "given_name": "Ann",
        "family_name": f"Lee {NASTY}",
        "company": f"Acme {NASTY}",
        "title": f"CTO {NASTY}",
        "emails": ["ann@example.com"],
        "phones": ["+44 20 7946 0958"],
        "notes": f"note {NASTY}",
        "tags": [f"tag {NASTY}"],
        "location": f"town {NASTY}",
        "linkedin_url": "https://www.linkedin.com/in/ann\\lee",
    }


FIELDS: list[dict[str, Any]] = [
    {"kind": "url", "label": "Blog", "value": f"https://ann.example/?q={NASTY}", "pref": None},
    {"kind": "im", "label": "skype", "value": f"ann{NASTY}", "pref": None},
    {"kind": "im", "label": "odd label; here", "value": f"im:{NASTY}", "pref": None},
    {"kind": "nickname", "label": None, "value": f"nick {NASTY}", "pref": None},
    {"kind": "related", "label": "spouse", "value": f"Bo {NASTY}", "pref": None},
    {"kind": "anniversary", "label": None, "value": "2001-02-03", "pref": None},
    {"kind": "date", "label": f"first met {NASTY}", "value": f"circa {NASTY}", "pref": None},
    {"kind": "birthday", "label": None, "value": f"circa {NASTY}", "pref": None},
    {"kind": "phone", "label": "work", "value": "+44 20 7946 0999 ext. 5", "pref": None},
    {"kind": "note", "label": "tel", "value": f"ask {NASTY}", "pref": None},
    {"kind": "photo", "label": None, "value": f"https://ann.example/p\\{NASTY}.jpg", "pref": None},
]
# values a store written before the escaping rule may hold: raw line breaks in already-escaped values
LEGACY: list[dict[str, Any]] = [
    {"kind": "address", "label": "home", "value": "home_street\nhome_pobox\nhome_city", "pref": None},
    {"kind": "x", "label": None, "value": "X-NOTE:one\ntwo", "pref": None},
]


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_every_line_is_a_property(version):
    data = vcard_write.card(_contact(), FIELDS + LEGACY, version, None, prodid="-//test//EN")
    unfolded = data.decode("utf-8").replace("\r\n ", "")
    assert "\r" not in unfolded.replace("\r\n", "")
    for line in unfolded.split("\r\n"):
        assert line == "" or re.match(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)?[;:]", line), line


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_the_card_reads_back_the_same(version):
    data = vcard_write.card(_contact(), FIELDS, version, None, prodid="-//test//EN")
    parsed = vcard.parse(Input(data, "ann.vcf"), options())
    assert parsed.errors == []
    (rec,) = parsed.contacts
    want = _contact()
    nasty = NASTY.replace("\r\n", "\n")
    for key in ("full_name", "family_name", "company", "title", "notes", "location", "linkedin_url"):
        assert rec.data[key] == want[key].replace("\r\n", "\n"), key
    assert rec.data["tags"] == [f"tag {nasty}"]
    got = {(f["kind"], f["label"] or None, f["value"]) for f in rec.fields}
    for f in FIELDS:
        value = f["value"].replace("\r\n", "\n")
        label = f["label"] and f["label"].replace("\r\n", "\n")
        if f["kind"] == "anniversary":
            continue  # a date: written and read as the date
        assert (f["kind"], label, value) in got, (f, sorted(got))


def test_an_address_stored_with_raw_line_breaks_stays_one_property():
    data = vcard_write.card(_contact(), LEGACY, "3.0", None, prodid="-//test//EN")
    lines = data.decode("utf-8").replace("\r\n ", "").split("\r\n")
    assert "ADR;TYPE=home:home_street\\nhome_pobox\\nhome_city" in lines
    assert "X-NOTE:one\\ntwo" in lines


@pytest.mark.parametrize(
    ("kind", "label", "value", "shown"),
    [
        ("nickname", None, "Katie Lee", ("also known as", "Katie Lee")),
        ("org", None, "Old Co\\, Ltd;Sales", ("other company", "Old Co, Ltd, Sales")),
        ("x", None, "X-PCRM-NOTE:likes tea\\nand cake", ("other notes", "likes tea\nand cake")),
        ("prop", None, "TITLE:Boss", ("other title", "Boss")),
        ("date", "birthday", "--04-01", ("other birthday", "--04-01")),
        ("address", "home", ";;1 Main St;Reading;;RG1;UK", ("address (home)", "1 Main St, Reading, RG1, UK")),
        ("x", None, "X-GENDER:f", ("gender", "female")),  # GENDER's sex letters read as words
        ("prop", None, "GENDER:M;Fellow", ("gender", "male (Fellow)")),
        ("x", None, "X-GENDER:nonbinary", ("gender", "nonbinary")),
        (
            "social",
            "",
            "X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/tess_two",
            ("profile (twitter)", "https://twitter.com/tess_two"),
        ),
        ("social", "", "X-SOCIALPROFILE:https://example.com/me", ("profile", "https://example.com/me")),
        ("email", "work", "a@b.example", None),  # the contact's own emails show it
        ("address", None, ";;;;;;", None),
    ],
)
def test_a_kept_value_reads_for_people(kind, label, value, shown):
    assert readable_field(kind, label, value) == shown
