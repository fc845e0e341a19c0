"""A contact's photo in `pcrm export vcard` [own-exports]: a photo pcrm keeps as a file was embedded, but one
given by its web address (the API's `avatar_url`) was written nowhere, so a move through the vCard lost it.
The card now carries the address as a PHOTO URI marked as the contact's own photo, which `pcrm import` makes
the avatar again; a PHOTO URI another program wrote stays a picture's address kept aside, as before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.api import ctx as api_ctx
from tests.support.imports import NOW

ADA_PHOTO = "https://photos.example.org/ada.jpg"


def _people(cli: Any) -> dict[str, str | None]:
    rows = cli.json("contacts", "list", "--all", "--include-archived", "--now", NOW)["data"]
    return {c["full_name"]: c["avatar_url"] for c in rows}


def _seed(cli: Any, corpus: Path) -> None:
    """Ada, whose photo is a web address; the radicale card's contact, whose photo is a file pcrm saved from
    the card; Grace, without a photo."""
    from pcrm.services import contacts

    with api_ctx() as ctx:
        contacts.create_contact(ctx, {"full_name": "Ada Lovelace", "avatar_url": ADA_PHOTO})
    cli("contacts", "add", "--name", "Grace Hopper", "--now", NOW)
    cli("import", str(corpus / "vcard/radicale__contact_photo_with_data_uri.vcf"), "--now", NOW)


@pytest.mark.parametrize(
    ("version", "line"),
    [
        ("3.0", f"PHOTO;VALUE=uri;X-PCRM-AVATAR=TRUE:{ADA_PHOTO}"),
        ("4.0", f"PHOTO;X-PCRM-AVATAR=TRUE:{ADA_PHOTO}"),
    ],
)
def test_a_photos_web_address_goes_through_a_vcard_export_into_another_store(
    cli: Any, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: str, line: str
) -> None:
    _seed(cli, corpus)
    held = _people(cli)
    (card,) = [name for name in held if name not in ("Ada Lovelace", "Grace Hopper")]
    assert held["Ada Lovelace"] == ADA_PHOTO and (held[card] or "").startswith("/static/avatars/")
    out = tmp_path / "contacts.vcf"
    cli("export", "vcard", "--version", version, "--output", str(out), "--now", NOW)
    text = out.read_text(encoding="utf-8").replace("\r\n ", "")
    assert line in text.splitlines()
    # imported into the store that wrote it: nothing changes
    again = cli.json("import", str(out), "--dry-run", "--now", NOW)["data"]
    assert (again["contacts_created"], again["contacts_updated"]) == (0, 0)
    # another store: Ada's photo is her address again, the file photo a file of that store's own
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "other"))
    rep = cli.json("import", str(out), "--now", NOW)["data"]
    assert rep["contacts_created"] == 3 and rep["errors"] == []
    moved = _people(cli)
    assert moved["Ada Lovelace"] == ADA_PHOTO and moved["Grace Hopper"] is None
    assert (moved[card] or "").startswith("/static/avatars/")
    shown = cli.json("contacts", "show", "Ada Lovelace", "--now", NOW)["data"]
    assert [r for r in shown.get("other_values") or [] if r.get("what") == "photo"] == []


def test_another_programs_photo_address_stays_a_kept_picture_address(cli: Any, tmp_path: Path) -> None:
    """A PHOTO URI without pcrm's mark (a phone's, Google's) is never fetched and not made the avatar, and a
    marked one that names no web site (`https://intranet/...`) is kept aside the same way."""
    f = tmp_path / "other.vcf"
    f.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.com\r\n"
        f"PHOTO;VALUE=uri:{ADA_PHOTO}\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEMAIL:grace@example.com\r\n"
        "PHOTO;VALUE=uri;X-PCRM-AVATAR=TRUE:https://intranet/grace.jpg\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    cli("import", str(f), "--now", NOW)
    assert _people(cli) == {"Ada Lovelace": None, "Grace Hopper": None}
    for name, kept in (("Ada Lovelace", ADA_PHOTO), ("Grace Hopper", "https://intranet/grace.jpg")):
        shown = cli.json("contacts", "show", name, "--now", NOW)["data"]
        assert kept in str(shown), shown
