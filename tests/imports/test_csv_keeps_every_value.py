"""Google, Outlook and LinkedIn CSV imports keep every value or report it [csv-imports], survive a vCard
export and re-import unchanged [vcard-escaping], and read duplicate headers and huge cells row by row
[csv-field-size]."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from pcrm.formats.vcard_text import unescape
from tests.support.store import people

OUTLOOK_FULL = (
    "First Name,Last Name,Title,Company,Department,Job Title,Business Phone,Mobile Phone,E-mail Address,"
    "E-mail 2 Address\r\n"
    "Olivia,Owens,Dr.,Contoso Ltd,R&D,Chief Scientist,0118 496 0000,07700 900321,olivia@contoso.example,"
    "o.owens@home.example\r\n"
)


def _state(home: Path) -> list[tuple]:
    """Every contact of the store at `home` as comparable data: its JSON and its contact_fields."""
    out = []
    for c in people(home / "pcrm.db").values():
        fields = sorted(
            (f["kind"], f["label"] or "", f["value"], f.get("pref") or 0) for f in c.pop("fields")
        )
        for k in ("id", "bcc_hash", "created_at", "updated_at", "avatar_url", "source", "organization_id"):
            c.pop(k, None)
        out.append((repr(sorted(c.items())), tuple(fields)))
    return sorted(out)


def _unfolded(vcf: str) -> list[str]:
    return vcf.replace("\r\n ", "").split("\r\n")


def _round_trip(imp, cli, pcrm_home: Path, tmp_path: Path, monkeypatch, path: Path) -> tuple[list, list, str]:
    imp(path)
    before = _state(pcrm_home)
    out = tmp_path / "export.vcf"
    cli("export", "vcard", "--output", str(out))
    text = out.read_bytes().decode("utf-8")
    other = tmp_path / "other-home"
    monkeypatch.setenv("PCRM_HOME", str(other))
    rep = imp(out)["data"]
    assert not [e for e in rep["errors"] if "not a vCard property" in e], rep["errors"]
    return before, _state(other), text


@pytest.mark.parametrize(
    "sample", ["google_csv/roundcube__gmail_legacy.csv", "google_csv/rolomind__google_new_layout_subset.csv"]
)
def test_google_samples_survive_a_vcard_round_trip(
    sample, imp, cli, corpus, pcrm_home, tmp_path, monkeypatch
):
    before, after, text = _round_trip(imp, cli, pcrm_home, tmp_path, monkeypatch, corpus / sample)
    assert after == before
    # every line of the export is a property (or a fold): a multi-line address is escaped, not written bare
    for line in _unfolded(text):
        assert line == "" or re.match(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)?[;:]", line), line


def test_outlook_samples_survive_a_vcard_round_trip(imp, cli, corpus, pcrm_home, tmp_path, monkeypatch):
    f = tmp_path / "outlook_full.csv"
    f.write_text(OUTLOOK_FULL, encoding="utf-8")
    imp(corpus / "outlook_csv" / "roundcube__outlook_emails_only.csv")
    before, after, _ = _round_trip(imp, cli, pcrm_home, tmp_path, monkeypatch, f)
    assert after == before and len(before) == 2


def test_google_legacy_keeps_its_structured_address_labels_and_name_parts(imp, corpus, db, cli, tmp_path):
    imp(corpus / "google_csv" / "roundcube__gmail_legacy.csv")
    (c,) = people(db).values()
    fields = {(f["kind"], f["label"], f["value"], f["pref"]) for f in c["fields"]}
    assert (
        "address",
        "home",
        "home_pobox;;home_street;home_city;home_state;home_zip;home_country",
        None,
    ) in fields
    assert ("address", "work", ";;work_street;work_city;;work_zip;work_country", None) in fields
    assert ("n", None, "Lastname;Firstname;Middle;Prefix;Suffix", None) in fields
    assert ("email", "home", "home@aaa.pl", 1) in fields  # `* Home`: the primary one
    assert ("email", "work", "work@email.pl", None) in fields and (
        "email",
        "other",
        "other@email.com",
        None,
    ) in fields
    out = tmp_path / "a.vcf"
    cli("export", "vcard", "--output", str(out))
    lines = _unfolded(out.read_bytes().decode("utf-8"))
    assert "N:Lastname;Firstname;Middle;Prefix;Suffix" in lines
    assert "ADR;TYPE=home:home_pobox;;home_street;home_city;home_state;home_zip;home_country" in lines


def test_google_new_layout_phone_labels(imp, corpus, db):
    imp(corpus / "google_csv" / "rolomind__google_new_layout_subset.csv")
    p = people(db)
    john = {(f["kind"], f["label"], f["value"]) for f in p["John Doe"]["fields"]}
    alice = {(f["kind"], f["label"], f["value"]) for f in p["Alice Brown"]["fields"]}
    assert ("phone", "work", "+1-555-0123") in john and ("phone", "cell", "+1-555-0125") in alice
    # a formatted address with nothing structured beside it is ADR's street, escaped
    assert ("address", "work", ";;123 Main St\\, San Francisco\\, CA;;;;") in john


def test_outlook_keeps_department_honorific_and_labels(imp, cli, tmp_path, db):
    f = tmp_path / "outlook_full.csv"
    f.write_text(OUTLOOK_FULL, encoding="utf-8")
    rep = imp(f)["data"]
    assert rep["contacts_created"] == 1 and rep["errors"] == []
    out = tmp_path / "o.vcf"
    cli("export", "vcard", "--output", str(out))
    lines = _unfolded(out.read_bytes().decode("utf-8"))
    assert "N:Owens;Olivia;;Dr.;" in lines and "ORG:Contoso Ltd;R&D" in lines
    assert "TEL;TYPE=work:0118 496 0000" in lines and "TEL;TYPE=cell:07700 900321" in lines
    assert "EMAIL;TYPE=INTERNET;TYPE=pref:olivia@contoso.example" in lines


def _cells(path: Path) -> list[tuple[str, str]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    return [(h, v) for row in rows[1:] for h, v in zip(rows[0], row, strict=False) if v.strip()]


@pytest.mark.parametrize(
    "sample",
    [
        "google_csv/roundcube__gmail_legacy.csv",
        "google_csv/rolomind__google_new_layout_subset.csv",
        "outlook_csv/roundcube__outlook_emails_only.csv",
    ],
)
def test_every_value_of_a_sample_is_stored_or_reported(sample, imp, corpus, cli, tmp_path):
    path = corpus / sample
    rep = imp(path)["data"]
    out = tmp_path / "all.vcf"
    cli("export", "vcard", "--output", str(out))
    exported = set(
        re.findall(r"\w+", unescape(out.read_bytes().decode("utf-8").replace("\r\n ", "")).casefold())
    )
    reported = " ".join(rep["errors"]).casefold()
    for header, value in _cells(path):
        if header.endswith((" - Type", " - Label")):
            continue  # labels: checked value by value above
        for part in (p.strip().lstrip("*").strip() for p in value.split(":::")):
            if not part or (header == "Group Membership" and part == "My Contacts"):
                continue  # Google's own system group: dropped on purpose
            ok = set(re.findall(r"\w+", part.casefold())) <= exported
            assert ok or part.casefold() in reported or header.casefold() in reported, (header, part)


def test_columns_google_does_not_read_are_kept_and_reported(imp, tmp_path, db):
    f = tmp_path / "g.csv"
    f.write_text(
        "First Name,Last Name,E-mail 1 - Value,Custom Field 1 - Label,Custom Field 1 - Value,"
        "Phone 1 - Extension\r\n"
        "Ann,Lee,ann@x.example,Shoe size,42,77\r\n",
        encoding="utf-8",
    )
    rep = imp(f, "--format", "google-csv")["data"]
    unread = "columns not recognised, kept on each contact as extra fields: Phone 1 - Extension"
    assert rep["errors"] == [unread]
    values = {(x["label"], x["value"]) for x in people(db)["Ann Lee"]["fields"] if x["kind"] == "x"}
    assert values == {("Shoe size", "X-CUSTOM-FIELD-1-VALUE:42"), (None, "X-PHONE-1-EXTENSION:77")}


def test_format_linkedin_on_a_google_csv_is_refused(imp, corpus, db, dump):
    before = dump()
    env = imp(
        corpus / "google_csv" / "rolomind__google_new_layout_subset.csv", "--format", "linkedin", ok=False
    )
    err = env["error"]
    assert err["code"] == "bad_request"
    assert "'Company', 'Position'" in err["message"]
    assert "Google Contacts CSV" in err["hint"] and "--format google-csv" in err["hint"]
    assert dump() == before


def test_linkedin_keeps_connected_on_and_reports_other_columns(imp, tmp_path, db):
    f = tmp_path / "Connections.csv"
    f.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On,Tags\n"
        "Ann,Lee,https://www.linkedin.com/in/annlee,,Acme,CTO,12 Jan 2024,vip\n",
        encoding="utf-8",
    )
    rep = imp(f, "--format", "linkedin")["data"]
    assert rep["errors"] == ["columns not recognised, kept on each contact as extra fields: Tags"]
    values = {x["value"] for x in people(db)["Ann Lee"]["fields"] if x["kind"] == "x"}
    assert values == {"X-CONNECTED-ON:12 Jan 2024", "X-TAGS:vip"}


def test_a_repeated_header_keeps_both_values_and_says_so(imp, tmp_path, db):
    f = tmp_path / "duphdr.csv"
    f.write_text("name,name,emails\nA One,A Two,a@x.example\n", encoding="utf-8")
    rep = imp(f)["data"]
    assert rep["contacts_created"] == 1
    assert (
        "Row 1: the header has column 'name' more than once; its column 2 is read as 'name (2)'"
        in rep["errors"]
    )
    c = people(db)["A One"]
    assert {"kind": "x", "label": None, "value": "X-NAME-2:A Two", "pref": None} in c["fields"]


def test_a_huge_cell_is_a_row_error_and_the_rest_imports(imp, tmp_path, db):
    f = tmp_path / "notes150k.csv"
    f.write_text(
        'name,emails,notes\nLong Lou,lou@l.example,"'
        + "note text " * 15000
        + '"\nNorm Ned,ned@n.example,ok\n',
        encoding="utf-8",
    )
    rep = imp(f)["data"]
    assert rep["contacts_created"] == 2
    (err,) = rep["errors"]
    assert (
        err.startswith("Row 2: ignored notes 'note text") and "149,999 characters" in err and len(err) < 300
    )
    assert people(db)["Norm Ned"]["notes"] == "ok"


def test_a_row_error_does_not_echo_a_huge_value(cli, tmp_path):
    f = tmp_path / "hugenote.vcf"
    f.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Huge Note\r\nNOTE:" + "z" * 3_000_000 + "\r\nEND:VCARD\r\n"
    )
    res = cli("import", str(f), "--json")
    assert len(res.stdout) < 5_000 and "3,000,000 characters" in res.stdout


def test_a_phone_cell_that_is_no_number_is_kept_as_a_vcard_keeps_it(imp, corpus, cli, db, tmp_path):
    """Google's legacy sample writes words in its seven phone cells ('pager', 'mobile', ...), and people write
    'ask reception' in a spreadsheet: each was dropped ('ignored phone ...'), while the vCard import keeps a
    TEL of words as a note labelled tel. Every format now keeps it so, says so, and the vCard export writes it
    back as a TEL line that imports as the same field."""
    rep = imp(corpus / "google_csv/roundcube__gmail_legacy.csv")["data"]
    assert rep["errors"][0] == "Row 2: phone 'pager' is not a phone number: kept as an extra field"
    sheet = tmp_path / "people.csv"
    sheet.write_text("full_name,phone\nMei Shaw,ask reception; +44 20 7946 0000\n", encoding="utf-8")
    rep = imp(sheet)["data"]
    assert rep["errors"] == ["Row 2: phone 'ask reception' is not a phone number: kept as an extra field"]
    found = people(db)
    assert found["Mei Shaw"]["phones"] == ["+44 20 7946 0000"]
    assert [(f["kind"], f["label"], f["value"]) for f in found["Mei Shaw"]["fields"]] == [
        ("note", "tel", "ask reception")
    ]
    words = [(f["label"], f["value"]) for f in found["Prefix Firstname Middle Lastname Suffix"]["fields"]]
    assert [w for w in words if (w[0] or "").startswith("tel")] == [
        ("tel;pager", "pager"),
        ("tel;main", "mainphone"),
        ("tel;home", "homephone"),
        ("tel;home,fax", "homefax"),
        ("tel;cell", "mobile"),
        ("tel;work", "workphone"),
        ("tel;work,fax", "workfax"),
    ]
    out = tmp_path / "export.vcf"
    cli("export", "vcard", "--output", str(out))
    assert "TEL:ask reception" in out.read_text(encoding="utf-8")
    again = imp(out)["data"]
    assert (again["contacts_created"], again["contacts_updated"], again["errors"]) == (0, 0, [])
