"""vCard reading (vcard_parse + vcard_record) on the real samples, and writing (vcard_write) back.

The round trip is the contract between the two halves that `pcrm export vcard` and `pcrm import`
rely on: every card a real address book wrote, once written again by pcrm (3.0 and 4.0), reads back
as the same record: the same contact input, the same contact_fields, the same photo."""

from __future__ import annotations

import pytest

from pcrm.errors import BadRequest
from pcrm.formats import vcard, vcard_write
from pcrm.formats.base import Input, Parsed
from tests.support.formats import options, sample
from tests.support.paths import TESTDATA

CARDS = sorted(p.name for p in (TESTDATA / "vcard").glob("*.vcf")) if TESTDATA.is_dir() else []
BROKEN = {"khard__unparsable.vcf"}  # BEGIN:VCARD with no END: no complete card


def read(corpus, name: str) -> Parsed:
    return vcard.parse(sample(corpus, f"vcard/{name}"), options())


def one(corpus, name: str) -> dict:
    parsed = read(corpus, name)
    assert len(parsed.contacts) == 1
    return parsed.contacts[0].data


def fields(rec) -> list[tuple]:
    """A record's contact_fields as comparable tuples, in any order (the writer groups them by kind)."""
    return sorted(
        ((f["kind"], f["label"], f["value"], f.get("pref")) for f in rec.fields),
        key=lambda t: tuple("" if x is None else str(x) for x in t),
    )


@pytest.mark.parametrize("name", sorted(set(CARDS) - BROKEN))
def test_every_sample_reads(name, corpus):
    parsed = read(corpus, name)
    assert parsed.contacts
    for rec in parsed.contacts:
        assert rec.row >= 1 and rec.where == ""


def test_a_file_with_no_complete_card_is_refused(corpus):
    with pytest.raises(BadRequest) as exc:
        read(corpus, "khard__unparsable.vcf")
    assert "no complete vCard" in exc.value.message and "no END:VCARD" in exc.value.message


def test_apple_card_maps_identities_and_a_birthday_without_year(corpus):
    data = one(corpus, "nametag__apple-vcard-example.vcf")
    assert data["full_name"] == "Emmetiano Lucas Brown"
    assert data["birthday"] == "01-22"  # X-APPLE-OMIT-YEAR=1604
    assert data["twitter_handle"] == "doc"
    assert data["telegram_username"] == "docemmet"  # IMPP;X-SERVICE-TYPE=Telegram
    assert data["company"] == "BTTF Industries"


def test_utf16_without_bom(corpus):
    data = one(corpus, "roundcube__utf-16_sample.vcf")
    assert (data["given_name"], data["family_name"]) == ("Ǽgean", "ĽdaMonté")
    assert data["location"] == "LaPaz, Conceptión, Perú"


def test_shift_jis_trail_bytes_are_not_escapes(corpus):
    data = one(corpus, "aosp__v30_japanese.vcf")
    assert (data["family_name"], data["given_name"]) == ("伊能", "圭一")


def test_nested_cards_become_cards_of_their_own(corpus):
    parsed = read(corpus, "aosp__v21_nest.vcf")
    assert [(r.row, r.data["full_name"]) for r in parsed.contacts] == [
        (1, "parent"),
        (2, "nest1"),
        (3, "nest2"),
    ]


def test_photos_inline_and_damaged(corpus):
    rec = read(corpus, "radicale__contact_photo_with_data_uri.vcf").contacts[0]
    assert rec.avatar is not None and rec.avatar[1] == "png"
    assert rec.avatar[0].startswith(b"\x89PNG")
    damaged = read(corpus, "aosp__v21_malformed_photo.vcf")
    assert damaged.contacts[0].avatar is None
    assert damaged.errors == ["Card 1 (fullname): ignored PHOTO: its base64 data is damaged"]


def test_what_has_no_column_is_kept_as_a_field(corpus):
    text_bday = read(corpus, "khard__text-bday.vcf").contacts[0]
    assert "birthday" not in text_bday.data
    assert ("birthday", None, "circa 1800", None) in fields(text_bday)
    org = read(corpus, "khard__org.vcf").contacts[0]
    assert org.data["full_name"] == org.data["company"] == "ACME Inc."  # KIND:org
    assert ("prop", None, "KIND:org", None) in fields(org)


def _round_trippable(rec) -> bool:
    """The store holds each e-mail and phone once; a card repeating one is not what the writer sees."""
    phones, emails = rec.data.get("phones") or [], [e.lower() for e in rec.data.get("emails") or []]
    return len(set(phones)) == len(phones) and len(set(emails)) == len(emails)


@pytest.mark.parametrize("version", vcard_write.VERSIONS)
@pytest.mark.parametrize("name", sorted(set(CARDS) - BROKEN))
def test_written_cards_read_back_as_the_same_record(name, version, corpus):
    for i, rec in enumerate(read(corpus, name).contacts):
        if not _round_trippable(rec):
            continue
        contact = {"id": f"00000000-0000-4000-8000-{i:012d}", **rec.data}
        text = vcard_write.card(
            contact, [dict(f) for f in rec.fields], version, rec.avatar, prodid="-//test//EN"
        )
        back = vcard.parse(Input(text, "back.vcf"), options())
        assert back.errors == []
        (again,) = back.contacts
        assert {k: v for k, v in again.data.items() if v not in (None, "", [])} == {
            k: v for k, v in rec.data.items() if v not in (None, "", [])
        }
        assert fields(again) == fields(rec)
        assert again.avatar == rec.avatar


def test_written_lines_are_crlf_and_folded_at_75_octets():
    contact = {
        "id": "00000000-0000-4000-8000-000000000001",
        "full_name": "Zoë " + "ü" * 60,
        "notes": "a;b,c\nd",
    }
    text = vcard_write.card(contact, [], "4.0", None, prodid="-//test//EN")
    lines = text.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 for line in lines)
    assert b"NOTE:a\\;b\\,c\\nd\r\n" in text
    assert text.startswith(b"BEGIN:VCARD\r\nVERSION:4.0\r\nPRODID:-//test//EN\r\n")
