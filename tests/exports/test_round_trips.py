"""Every field of a contact survives a move through each of pcrm's own exports [own-exports]: `pcrm
export csv`, `pcrm export vcard` (3.0 and 4.0) and `pcrm export json`, each imported with `pcrm import` into
an empty store. The CSV carried no platform ids, bios, WhatsApp name, about or picture, Facebook or Instagram
values nor the source, and the vCard no bios, WhatsApp or Facebook names, no source and no photo given by its
web address: a move lost them without a word.

The contact holds a value in every field the contact declares (domain.models.Contact). A field a format does
not carry on purpose is listed below with the reason; any other field must come back as it was, so a field
added later fails here until an export writes it and the import reads it back (or it is listed here)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import apsw
import pytest

from pcrm.domain import models
from tests.support.api import ctx as api_ctx
from tests.support.imports import NOW

# a value for every field a user may set (what an import takes)
GIVEN: dict[str, Any] = {
    "full_name": "Ada Lovelace",
    "given_name": "Ada",
    "family_name": "Lovelace",
    "emails": ["ada@example.com", "countess@example.org"],
    "phones": ["+44 20 7946 0001"],
    "tags": ["math", "vip"],
    "company": "Analytical Engines",
    "organization_id": None,  # the organization the company makes: the store's own (below)
    "title": "Analyst",
    "twitter_handle": "ada",
    "twitter_user_id": "12345",
    "twitter_bio": 'Poet of numbers; "enchantress"',
    "telegram_username": "adal",
    "telegram_user_id": "67890",
    "telegram_bio": "On Telegram, now and then",
    "location": "London",
    "latitude": 51.5072,
    "longitude": -0.1276,
    "linkedin_url": "https://www.linkedin.com/in/ada-lovelace",
    "linkedin_profile_id": "ACoAAA123",
    "linkedin_headline": "Countess, first programmer",
    "linkedin_bio": "Notes on the Analytical Engine,\nwith a second line",
    "whatsapp_phone": "+447700900123",
    "whatsapp_name": "Ada (WhatsApp)",
    "whatsapp_about": "Hey there! I am using WhatsApp.",
    "whatsapp_avatar_url": "https://pps.whatsapp.example.net/ada.jpg",
    "facebook_id": "1000001",
    "facebook_name": "Ada Byron",
    "instagram_id": "2000002",
    "instagram_username": "ada.insta",
    "avatar_url": "https://photos.example.org/ada.jpg",
    "birthday": "1815-12-10",
    "notes": "First programmer",
    "priority_level": "high",
    "source": "linkedin",
}
# the fields no user sets, which syncs and pcrm's own reckoning write: given here in the store itself
WRITTEN: dict[str, Any] = {
    "telegram_bio_checked_at": "2026-02-01T10:00:00.000Z",
    "telegram_common_groups": '[{"id": 5, "title": "Engines"}]',
    "telegram_groups_fetched_at": "2026-02-01T10:00:00.000Z",
    "telegram_last_seen_at": "2026-02-02T10:00:00.000Z",
    "telegram_read_outbox_max_id": 42,
    "geocoded_at": "2026-02-03T10:00:00.000Z",
    "geocoded_location": "London",
    "whatsapp_bio_checked_at": "2026-02-04T10:00:00.000Z",
    "facebook_avatar_url": "https://fb.example.net/ada.jpg",
    "instagram_avatar_url": "https://ig.example.net/ada.jpg",
    "google_resource_name": "people/c123",
    "last_followup_at": "2026-02-05T10:00:00.000Z",
    "created_at": "2025-06-01T09:00:00.000Z",  # before the import's clock, which a move must not give it
}
STAMPS_AND_SCORES = {
    "id",
    "relationship_score",
    "interaction_count",
    "last_interaction_at",
    "score_computed_at",
}

# What a CSV or vCard export does not carry, on purpose, with the reason. `pcrm export json` carries them all.
BOOKKEEPING = {
    "organization_id": "the store's own id of the organization: the company names it, and the importing "
    "store files the contact under its own organization of that name",
    "bcc_hash": "the store's own code for BCC'd mail: a new store makes its own",
    "updated_at": "the time of the importing store's write",
    "relationship_score": "reckoned from the interactions, which a contacts file does not carry",
    "interaction_count": "reckoned from the interactions, which a contacts file does not carry",
    "last_interaction_at": "reckoned from the interactions, which a contacts file does not carry",
    "last_followup_at": "reckoned from the interactions, which a contacts file does not carry",
    "score_computed_at": "when the importing store reckoned the score",
    "telegram_bio_checked_at": "a sync's own note of when it last asked",
    "telegram_groups_fetched_at": "a sync's own note of when it last asked",
    "telegram_last_seen_at": "a sync's own note of the chat, whose messages a contacts file does not carry",
    "telegram_read_outbox_max_id": "a sync's own note of the chat, whose messages a contacts file does not "
    "carry",
    "telegram_common_groups": "the Telegram sync's copy of the groups shared, fetched again by it",
    "whatsapp_bio_checked_at": "a sync's own note of when it last asked",
    "geocoded_at": "the geocoder's note of when it ran",
    "geocoded_location": "the geocoder's note of what it placed: the point itself travels, and a point "
    "without it is one the geocoder leaves as it is",
    "google_resource_name": "the link to the contact in a Google account the importing store may not sync; "
    "the Google sync finds the contact by its keys",
    "facebook_avatar_url": "a picture address no import, sync or edit of pcrm writes (a column of the "
    "reference's schema)",
    "instagram_avatar_url": "a picture address no import, sync or edit of pcrm writes (a column of the "
    "reference's schema)",
}
NOT_CARRIED: dict[str, dict[str, str]] = {
    "csv": BOOKKEEPING,
    "vcard": BOOKKEEPING,
    "json": {},
}


KEPT_CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\n"
    "EMAIL;TYPE=INTERNET;TYPE=WORK:countess@example.org\r\nTEL;TYPE=CELL:+44 20 7946 0001\r\n"
    "ADR;TYPE=HOME:;;12 St James's Square;London;;SW1Y 4JH;United Kingdom\r\n"
    "URL:https://ada.example.org\r\nNICKNAME:Enchantress of Numbers\r\n"
    "IMPP;X-SERVICE-TYPE=Skype:skype:ada.lovelace\r\nitem1.X-ABDATE:1835-07-08\r\n"
    "item1.X-ABLabel:wedding\r\nX-ABRELATEDNAMES;TYPE=spouse:William King\r\n"
    "X-SHOE-SIZE:38\r\nPHOTO;VALUE=uri:https://pictures.example.org/ada-portrait.jpg\r\nEND:VCARD\r\n"
)


def _kept(cli: Any) -> tuple[Any, ...]:
    """What `contacts show --json` gives beside the fields: kept values, labels of emails and phones."""
    shown = cli.json("contacts", "show", "Ada Lovelace", "--now", NOW)["data"]
    rows = sorted((r["what"], r["value"], r.get("label") or "") for r in shown["other_values"])
    return rows, shown["email_labels"], shown["phone_labels"]


def test_every_field_of_a_contact_is_set_or_listed() -> None:
    """The lists above name every field of a contact: a field added later must be given a value here."""
    named = set(GIVEN) | set(WRITTEN) | STAMPS_AND_SCORES | {"bcc_hash", "user_edited_fields"}
    assert named | {"created_at", "updated_at"} == set(models.FIELDS)
    assert set(GIVEN) == set(models.EDITABLE)
    assert set(BOOKKEEPING) <= set(models.FIELDS)


def _seed(cli: Any) -> dict[str, Any]:
    from pcrm.services import contacts

    cli("init")
    with api_ctx() as ctx:
        made = contacts.create_contact(ctx, {k: v for k, v in GIVEN.items() if v is not None}).data
    conn = apsw.Connection(str(Path(os.environ["PCRM_HOME"]) / "pcrm.db"))
    sets = ", ".join(f"{k} = ?" for k in WRITTEN)
    conn.execute(f"UPDATE contacts SET {sets} WHERE uuid = ?", (*WRITTEN.values(), made["id"]))
    conn.close()
    cli("log", "Ada Lovelace", "--platform", "call", "--at", "2026-02-20T10:00", "talked about the engine")
    # the values a contact keeps beside its fields (contact_fields), from a card of hers
    card = Path(os.environ["PCRM_HOME"]) / "ada.vcf"
    card.write_text(KEPT_CARD, encoding="utf-8")
    cli("import", str(card), "--now", NOW)
    return _only(cli)


def _only(cli: Any) -> dict[str, Any]:
    (c,) = cli.json("contacts", "list", "--all", "--include-archived", "--now", NOW)["data"]
    return dict(c)


@pytest.mark.parametrize(
    ("kind", "suffix", "extra"),
    [
        ("csv", "csv", []),
        ("vcard", "vcf", []),
        ("vcard", "vcf", ["--version", "4.0"]),
        ("json", "json", []),
    ],
)
def test_a_contact_with_every_field_set_comes_back_whole_from_each_export(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, suffix: str, extra: list[str]
) -> None:
    monkeypatch.setenv("PCRM_NOW", NOW)
    before = _seed(cli)
    assert [k for k in models.FIELDS if before[k] in (None, "", [])] == []
    kept = _kept(cli)
    assert len(kept[0]) >= 7 and kept[1] == [None, "work"], kept
    out = tmp_path / f"store.{suffix}"
    cli("export", kind, *extra, "--output", str(out), "--now", NOW)
    if kind != "json":  # the store that wrote it: nothing changes
        again = cli.json("import", str(out), "--dry-run", "--now", NOW)["data"]
        assert (again["contacts_created"], again["contacts_updated"]) == (0, 0)

    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "moved"))
    cli("import", str(out), "--now", NOW)
    after = _only(cli)
    skipped = NOT_CARRIED[kind]
    lost = {
        k: (before[k], after.get(k)) for k in models.FIELDS if k not in skipped and after.get(k) != before[k]
    }
    assert lost == {}
    assert _kept(cli) == kept
    assert after["company"] == before["company"] and after["organization_id"]  # filed under its company


def test_another_programs_source_or_a_picture_that_is_no_web_address_is_kept_aside(
    cli: Any, tmp_path: Path
) -> None:
    """The CSV's `source` column is read only for a source pcrm gives contacts, and `whatsapp_avatar_url` only
    for an address the field takes: another app's "Source" (Referral) or a `javascript:` link is kept as an
    extra field, as a column pcrm does not read is, and the contact's source is the import's own."""
    f = tmp_path / "other.csv"
    f.write_text(
        "name,email,Source,whatsapp_avatar_url\n"
        "Ada Lovelace,ada@example.com,Referral,javascript:alert(1)\n"
        "Grace Hopper,grace@example.com,linkedin,https://pps.whatsapp.example.net/grace.jpg\n",
        encoding="utf-8",
    )
    cli("import", str(f), "--now", NOW)
    rows = {c["full_name"]: c for c in cli.json("contacts", "list", "--all", "--now", NOW)["data"]}
    assert {n: (c["source"], c["whatsapp_avatar_url"]) for n, c in rows.items()} == {
        "Ada Lovelace": ("csv", None),
        "Grace Hopper": ("linkedin", "https://pps.whatsapp.example.net/grace.jpg"),
    }
    shown = cli("contacts", "show", "Ada Lovelace", "--now", NOW).stdout
    assert "Referral" in shown and "javascript:alert(1)" in shown


def test_a_cards_creation_time_without_a_pcrm_id_is_kept_as_it_came(cli: Any, tmp_path: Path) -> None:
    """X-PCRM-CREATED-AT is read with the UID pcrm writes beside it; a card naming no pcrm id (another app's
    UID, a hand-made card) keeps the line as an extra field, and the contact is made at the import's time."""
    f = tmp_path / "hand.vcf"
    f.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-42\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.com\r\n"
        "X-PCRM-CREATED-AT:2020-01-01T00:00:00.000Z\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    cli("import", str(f), "--now", NOW)
    ada = _only(cli)
    assert ada["created_at"] == "2026-03-01T12:00:00.000Z"
    assert "2020-01-01T00:00:00.000Z" in cli("contacts", "show", "Ada Lovelace", "--now", NOW).stdout


@pytest.mark.parametrize(("kind", "suffix"), [("csv", "csv"), ("vcard", "vcf")])
def test_a_local_whatsapp_picture_imported_back_into_its_store_changes_nothing(
    cli: Any, tmp_path: Path, kind: str, suffix: str
) -> None:
    """A `whatsapp_avatar_url` the API took as a local path is read back as the field takes it: kept aside,
    the store's own export imported back 'updated' the contact with it as an extra field."""
    from pcrm.services import contacts

    with api_ctx() as ctx:
        contacts.create_contact(
            ctx,
            {
                "full_name": "Ada Lovelace",
                "emails": ["ada@example.com"],
                "whatsapp_avatar_url": "/static/avatars/w.jpg",
            },
        )
    out = tmp_path / f"store.{suffix}"
    cli("export", kind, "--output", str(out), "--now", NOW)
    again = cli.json("import", str(out), "--now", NOW)["data"]
    assert (again["contacts_created"], again["contacts_updated"]) == (0, 0)
