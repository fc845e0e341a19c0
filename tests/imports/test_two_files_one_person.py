"""The same person from files of two formats converges on one contact, each value once: a number spelled
otherwise by the second file is the number the contact holds, its label included [import-matching]."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _card_of(text: str, name: str) -> list[str]:
    card = next(c for c in text.split("BEGIN:VCARD") if f"FN:{name}" in c)
    return card.strip().splitlines()


def test_a_number_spelled_otherwise_by_a_second_file_is_written_once(
    cli: Any, imp: Any, store: Any, corpus: Path, tmp_path: Path
) -> None:
    """Jane Smith's phone book card '+1 555 0124', then Google's CSV '+1-555-0124' (Work): one phone was
    stored, but the CSV's label was kept as a `phone` field of its own spelling, so 'pcrm export vcard' wrote
    the number twice (two TEL lines, which a phone shows as two numbers). A second row of the same file did
    the same for a contact the file creates."""
    card = tmp_path / "phone.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Smith;Jane;;;\r\nFN:Jane Smith\r\nTEL:+1 555 0124\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    imp(card)
    rep = imp(corpus / "google_csv/rolomind__google_new_layout_subset.csv")["data"]
    assert (rep["contacts_created"], rep["contacts_updated"]) == (3, 1)
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "First Name,Last Name,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value\n"
        "Mei,Shaw,mei@x.org,Mobile,+44 20 7946 0000\n"
        "Mei,Shaw,mei@x.org,Mobile,+44-20-7946-0000\n",
        encoding="utf-8",
    )
    assert imp(rows)["data"]["contacts_folded"] == 1
    out = tmp_path / "export.vcf"
    cli("export", "vcard", "--output", str(out))
    text = out.read_text(encoding="utf-8")
    jane, mei = _card_of(text, "Jane Smith"), _card_of(text, "Mei Shaw")
    assert [x for x in jane if x.startswith("TEL")] == ["TEL;TYPE=work:+1 555 0124"]
    assert [x for x in mei if x.startswith("TEL")] == ["TEL;TYPE=cell:+44 20 7946 0000"]
    assert store.q(
        "SELECT c.full_name, f.label, f.value FROM contact_fields f JOIN contacts c ON c.id = f.contact_id "
        "WHERE f.kind = 'phone' AND c.full_name IN ('Jane Smith', 'Mei Shaw')"
    ) == [("Jane Smith", "work", "+1 555 0124"), ("Mei Shaw", "cell", "+44 20 7946 0000")]
    again = imp(corpus / "google_csv/rolomind__google_new_layout_subset.csv")["data"]
    assert (again["contacts_created"], again["contacts_updated"], again["batch_id"]) == (0, 0, None)


def test_a_linkedin_profile_given_as_a_web_address_is_the_persons_profile(
    cli: Any, imp: Any, store: Any, corpus: Path, tmp_path: Path
) -> None:
    """José García's phone book card gives his LinkedIn profile as a URL line (Google's CSV as a Website):
    it was kept as a plain link, so LinkedIn's Connections.csv, naming him by that profile, made a second José
    García and asked whether the two were one. The address is his profile: one contact, nothing to ask."""
    card = tmp_path / "phone.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:García;José;;;\r\nFN:José García\r\n"
        "TEL;TYPE=CELL:+34 612 345 678\r\nURL:https://www.linkedin.com/in/josegarcia/\r\nURL:https://jose.example\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    google = tmp_path / "google.csv"
    google.write_text(
        "First Name,Last Name,Website 1 - Label,Website 1 - Value\n"
        "Æsop,Fontaine,Profile,linkedin.com/in/aesop\n",
        encoding="utf-8",
    )
    imp(card)
    imp(google, "--format", "google-csv")
    rep = imp(corpus / "linkedin/kawsay__Connections.csv")["data"]
    assert (rep["contacts_created"], rep["contacts_updated"], rep["pending_review"]) == (0, 2, 0), rep
    assert store.q("SELECT full_name, company FROM contacts ORDER BY id") == [
        ("José García", "Acme, Inc."),
        ("Æsop Fontaine", "Globex"),
    ]
    assert store.q("SELECT kind, value FROM contact_fields WHERE kind = 'url'") == [
        ("url", "https://jose.example")
    ]
    again = imp(card)["data"]
    assert (again["contacts_created"], again["contacts_updated"], again["batch_id"]) == (0, 0, None)


def test_a_second_profile_or_handle_is_kept_not_dropped(
    cli: Any, imp: Any, store: Any, tmp_path: Path
) -> None:
    """Jo Li, with her LinkedIn profile and X handle in pcrm, in a card and a sheet giving others (matched by
    her address): a contact holds one of each, and the file's were dropped without a word ('1 unchanged').
    They are kept as the profiles a vCard import keeps beside them (X-SOCIALPROFILE lines), counted as values
    kept, written back by the vCard export; importing either file again changes nothing."""
    cli(
        "contacts", "add", "--name", "Jo Li", "--email", "jo@x.org", "--twitter", "jo_old",
        "--linkedin", "https://www.linkedin.com/in/jo-li-a",
    )  # fmt: skip
    card = tmp_path / "jo.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jo Li\r\nEMAIL:jo@x.org\r\nURL:https://www.linkedin.com/in/jo-li-b\r\n"
        "END:VCARD\r\n",
        encoding="utf-8",
    )
    sheet = tmp_path / "jo.csv"
    sheet.write_text("full_name,email,twitter_handle\nJo Li,jo@x.org,@jo_new\n", encoding="utf-8")
    for f in (card, sheet):
        rep = imp(f)["data"]
        assert (rep["contacts_updated"], rep["values_kept"]) == (1, 1), rep
    assert store.q("SELECT kind, value FROM contact_fields ORDER BY id") == [
        ("social", "X-SOCIALPROFILE;TYPE=linkedin:https://www.linkedin.com/in/jo-li-b"),
        ("social", "X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/jo_new"),
    ]
    out = tmp_path / "export.vcf"
    cli("export", "vcard", "--output", str(out))
    assert "X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/jo_new" in out.read_text(encoding="utf-8")
    for f in (card, sheet, out):
        again = imp(f)["data"]
        assert (again["contacts_created"], again["contacts_updated"], again["batch_id"]) == (0, 0, None)
