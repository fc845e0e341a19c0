"""A contact's photo in `pcrm export csv` [csv-photos]: the CSV had no column for it, so a photo given by its
web address (the API's `avatar_url`) was lost by an export imported into another store. The `avatar_url`
column holds that address and `pcrm import` of the export restores it; a photo pcrm keeps as a file (a vCard's
PHOTO, a platform's picture) is no address another store can show: the cell stays empty and the summary
says the CSV left it out and which export keeps it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.support.api import ctx as api_ctx
from tests.support.imports import NOW

ADA_PHOTO = "https://photos.example.org/ada.jpg"


def _people(cli) -> dict[str, str | None]:
    rows = cli.json("contacts", "list", "--all", "--include-archived", "--now", NOW)["data"]
    return {c["full_name"]: c["avatar_url"] for c in rows}


def _seed(cli, corpus: Path) -> None:
    """Ada, whose photo is a web address; the radicale card's contact, whose photo is a file pcrm saved from
    the card; Grace, without a photo."""
    from pcrm.services import contacts

    with api_ctx() as ctx:
        contacts.create_contact(ctx, {"full_name": "Ada Lovelace", "avatar_url": ADA_PHOTO})
    cli("contacts", "add", "--name", "Grace Hopper", "--now", NOW)
    cli("import", str(corpus / "vcard/radicale__contact_photo_with_data_uri.vcf"), "--now", NOW)


def test_a_photos_web_address_goes_through_a_csv_export_into_another_store(
    cli, corpus: Path, pcrm_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    _seed(cli, corpus)
    held = _people(cli)
    (card,) = [name for name in held if name not in ("Ada Lovelace", "Grace Hopper")]
    assert held["Ada Lovelace"] == ADA_PHOTO and held[card].startswith("/static/avatars/")
    out = tmp_path / "contacts.csv"
    shown = cli("export", "csv", "--output", str(out), "--now", NOW)
    assert "left out 1 photo pcrm keeps as a file" in shown.stderr
    assert "pcrm export vcard" in shown.stderr
    summary = cli.json("export", "csv", "--output", str(out), "--yes", "--now", NOW)["data"]
    assert summary["photos_left_out"] == 1
    with out.open(encoding="utf-8", newline="") as fh:
        rows = {r["full_name"]: r for r in csv.DictReader(fh)}
    assert rows["Ada Lovelace"]["avatar_url"] == ADA_PHOTO
    assert rows[card]["avatar_url"] == "" and rows["Grace Hopper"]["avatar_url"] == ""
    # another store: Ada's photo comes back; the file photo is not pointed at (that store has no such file)
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "other"))
    rep = cli.json("import", str(out), "--now", NOW)["data"]
    assert rep["contacts_created"] == 3 and rep["errors"] == []
    assert _people(cli) == {"Ada Lovelace": ADA_PHOTO, "Grace Hopper": None, card: None}


def test_the_export_imported_into_its_own_store_changes_nothing(
    cli, corpus: Path, pcrm_home: Path, tmp_path: Path
):
    _seed(cli, corpus)
    held = _people(cli)
    out = tmp_path / "contacts.csv"
    cli("export", "csv", "--output", str(out), "--now", NOW)
    assert cli.json("import", str(out), "--now", NOW)["data"]["batch_id"] is None
    assert _people(cli) == held  # the file photo is kept, not emptied by the empty cell


def test_a_filtered_export_counts_only_its_own_contacts_photos(cli, corpus: Path, pcrm_home: Path):
    _seed(cli, corpus)
    shown = cli("export", "csv", "--search", "Ada", "--now", NOW)
    assert "left out" not in shown.stderr
    assert ADA_PHOTO in shown.stdout


@pytest.mark.parametrize(
    "cell",
    ["/static/avatars/0b9e2f43-0000-4000-8000-000000000000.png", "javascript:alert(1)", "a photo of Ada"],
)
def test_an_avatar_url_cell_that_is_no_web_address_is_kept_aside(cli, pcrm_home: Path, tmp_path: Path, cell):
    """A local path names a file of the store that wrote it (another store has none: a photo showing
    nothing), and a script or words are no photo: each is kept as an extra field, as a column pcrm does not
    read is, never dropped."""
    f = tmp_path / "people.csv"
    f.write_text(f"full_name,avatar_url\nAda Lovelace,{cell}\n", encoding="utf-8")
    rep = cli.json("import", str(f), "--now", NOW)["data"]
    assert rep["contacts_created"] == 1
    assert _people(cli) == {"Ada Lovelace": None}
    shown = cli.json("contacts", "show", "Ada Lovelace")["data"]
    assert json.dumps(cell)[1:-1] in json.dumps(shown["other_values"]), shown
