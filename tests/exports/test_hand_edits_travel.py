"""The fields the user typed by hand travel through pcrm's own CSV and vCard exports [own-exports]
[protected-fields]. A store moved through either lost `user_edited_fields`, so the next LinkedIn import
overwrote a typed title ("Staff Engineer" and a job change event), where the original store kept the typed
title and put LinkedIn's aside as "other title". The CSV's `edited_fields` column and the vCard's
X-PCRM-EDITED line carry them; only a file of pcrm's own marks fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.imports import NOW

CONNECTIONS = "linkedin/tekjobs__Connections.csv"


def _sam(cli: Any) -> tuple[str, list[str], list[str], bool]:
    """Sam Lee's title, the fields marked typed, the other titles kept aside and whether a job change
    event is shown."""
    c = cli.json("contacts", "show", "Sam Lee", "--now", NOW)["data"]
    others = [v["value"] for v in c.get("other_values") or [] if v.get("what") == "other title"]
    shown = cli("contacts", "show", "Sam Lee", "--now", NOW).stdout
    return c["title"], c["user_edited_fields"], others, "job change" in shown


@pytest.mark.parametrize(("kind", "suffix"), [("csv", "csv"), ("vcard", "vcf")])
def test_a_typed_title_stays_after_a_move_and_the_next_linkedin_import(
    cli: Any, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, suffix: str
) -> None:
    connections = corpus / CONNECTIONS
    cli("init")
    cli("import", str(connections), "--now", NOW)
    cli("contacts", "edit", "Sam Lee", "--title", "Principal Engineer", "--now", NOW)
    cli("import", str(connections), "--now", NOW)
    original = _sam(cli)
    assert original == ("Principal Engineer", ["title"], ["Staff Engineer"], False)
    out = tmp_path / f"p1.{suffix}"
    cli("export", kind, "--output", str(out), "--now", NOW)
    text = out.read_text(encoding="utf-8")
    assert ("X-PCRM-EDITED:title" if kind == "vcard" else ",title,") in text
    assert cli.json("import", str(out), "--now", NOW)["data"]["batch_id"] is None  # its own store: no news

    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "moved"))
    cli("init")
    cli("import", str(out), "--now", NOW)
    assert _sam(cli) == original
    cli("import", str(connections), "--now", NOW)
    assert _sam(cli) == original


VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:{prodid}\r\nUID:{uid}\r\nFN:Sam Lee\r\nN:Lee;Sam;;;\r\n"
    "ORG:Contoso\r\nTITLE:Principal Engineer\r\n"
    "X-SOCIALPROFILE;TYPE=linkedin:https://www.linkedin.com/in/sam-lee-example\r\n"
    "X-PCRM-EDITED:title\r\nEND:VCARD\r\n"
)
PCRM_ID = "0b7e4a52-43a8-4d1e-9f1e-2f4c3a6b8d11"


@pytest.mark.parametrize(
    ("prodid", "uid"),
    [
        ("-//Apple Inc.//iPhone OS 17.0//EN", PCRM_ID),  # another program's card
        ("-//pcrm//pcrm 0.1.0//EN", "phone-42"),  # pcrm's PRODID, but no contact id of pcrm's
    ],
)
def test_a_card_from_elsewhere_marks_no_field(
    cli: Any, corpus: Path, tmp_path: Path, prodid: str, uid: str
) -> None:
    """The line is kept as an extra field, as any unknown extension is; the LinkedIn import then updates the
    title as for any contact nobody edited, and an export writes the kept line so it marks nothing."""
    f = tmp_path / "sam.vcf"
    f.write_text(VCARD.format(prodid=prodid, uid=uid), encoding="utf-8")
    cli("init")
    cli("import", str(f), "--now", NOW)
    c = cli.json("contacts", "show", "Sam Lee", "--now", NOW)["data"]
    assert c["user_edited_fields"] == []
    assert "X-PCRM-EDITED" in str(c["other_values"])
    out = tmp_path / "again.vcf"
    cli("export", "vcard", "--output", str(out), "--now", NOW)
    assert "\r\nX-PCRM-EDITED:" not in out.read_text(encoding="utf-8")
    cli("import", str(corpus / CONNECTIONS), "--now", NOW)
    assert cli.json("contacts", "show", "Sam Lee", "--now", NOW)["data"]["title"] == "Staff Engineer"


def test_a_csv_without_pcrm_ids_marks_no_field(cli: Any, tmp_path: Path) -> None:
    """An `edited_fields` column of a row that names no contact by a pcrm id is kept as an extra field."""
    f = tmp_path / "other.csv"
    f.write_text("name,title,edited_fields\nSam Lee,Principal Engineer,title\n", encoding="utf-8")
    cli("init")
    cli("import", str(f), "--now", NOW)
    c = cli.json("contacts", "show", "Sam Lee", "--now", NOW)["data"]
    assert c["user_edited_fields"] == [] and "EDITED-FIELDS" in str(c["other_values"])


def test_a_moved_contact_that_the_store_holds_keeps_its_own_marks(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The marks are given only to a contact the import makes: one the importing store holds (matched by
    its email) keeps the marks of its own store, whatever the file says was typed elsewhere."""
    cli("init")
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.com", "--now", NOW)
    cli("contacts", "edit", "Ada Lovelace", "--title", "Countess", "--now", NOW)
    out = tmp_path / "a.csv"
    cli("export", "csv", "--output", str(out), "--now", NOW)
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "other"))
    cli("init")
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.com", "--now", NOW)
    held = cli.json("contacts", "show", "Ada Lovelace", "--now", NOW)["data"]["user_edited_fields"]
    assert "title" not in held and "title" in out.read_text(encoding="utf-8")
    cli("import", str(out), "--now", NOW)
    assert cli.json("contacts", "show", "Ada Lovelace", "--now", NOW)["data"]["user_edited_fields"] == held


@pytest.mark.parametrize(("kind", "suffix"), [("csv", "csv"), ("vcard", "vcf")])
@pytest.mark.parametrize("edited_after", [False, True])
def test_undo_of_a_moved_file_removes_its_contacts(
    cli: Any,
    imp: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    suffix: str,
    edited_after: bool,
) -> None:
    """The marks a move brings are the import's own doing, not work since [import-undo]: undoing the import
    removes the contacts it made (it kept John Smith "(edited since)"), unless the user edits one after."""
    cli("contacts", "add", "--name", "John Smith")
    cli("contacts", "edit", "John Smith", "--title", "CEO")
    out = tmp_path / f"store.{suffix}"
    cli("export", kind, "--output", str(out))
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "moved"))
    rep = imp(out)["data"]
    assert cli.json("contacts", "show", "John Smith")["data"]["user_edited_fields"] == ["title"]
    if edited_after:
        cli("contacts", "edit", "John Smith", "--title", "Chair")
    said = cli("import", "undo", rep["batch_id"], "--yes").stdout
    left = [c["full_name"] for c in cli.json("contacts", "list", "--all")["data"]]
    assert left == (["John Smith"] if edited_after else [])
    assert ("removed 1 contact," in said) is not edited_after
