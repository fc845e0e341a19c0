"""An email or phone the user takes out of a contact stays out of its vCard export: its kept label (the
import's "work", "fax", preference) goes with it, so moving the store, or importing its export back, never
restores what was removed [own-exports]."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.crm import Crm

SAMPLE = "vcard/vcard4android__allfields-vcard3.vcf"


def _lines(crm: Crm, tmp_path: Path) -> list[str]:
    out = tmp_path / "all.vcf"
    crm.cli("export", "vcard", "--output", str(out), "--yes")
    return [line for line in out.read_text(encoding="utf-8").splitlines() if "EMAIL" in line or "TEL" in line]


def _values(crm: Crm) -> tuple[list[str], list[str]]:
    got = crm.cli.json("contacts", "show", "Ämi Display")["data"]
    return got["emails"], got["phones"]


def test_an_email_and_phone_removed_by_an_edit_are_not_exported_or_imported_back(
    crm: Crm, corpus: Path, tmp_path: Path
) -> None:
    crm.cli("import", str(corpus / SAMPLE))
    assert any("work@example.com" in line for line in _lines(crm, tmp_path))
    crm.cli("contacts", "edit", "Ämi Display", "--rm-email", "WORK@example.com", "--rm-phone", "+1-800-MYFAX")
    kept = _values(crm)
    assert "work@example.com" not in kept[0] and "+1-800-MYFAX" not in kept[1]
    lines = _lines(crm, tmp_path)
    assert not [line for line in lines if "work@example.com" in line or "MYFAX" in line], lines
    assert any("private@example.com" in line for line in lines)  # the others keep their labels
    assert any("+49 1234 56788" in line for line in lines)
    crm.cli("import", str(tmp_path / "all.vcf"))  # the export imported back restores nothing
    assert _values(crm) == kept


def test_a_put_that_leaves_an_email_out_drops_its_label_too(
    api: Any, cli: Any, tmp_path: Path, corpus: Path
) -> None:
    """The API's edit (the reference web UI's contact form sends the whole list) takes the label too."""
    cli("import", str(corpus / SAMPLE))
    ami = api.get("/api/v1/contacts", params={"search": "Ämi Display"}).json()["data"][0]
    emails = [e for e in ami["emails"] if e != "work@example.com"]
    assert api.put(f"/api/v1/contacts/{ami['id']}", json={"emails": emails}).status_code == 200
    out = tmp_path / "ami.vcf"
    cli("export", "vcard", "--output", str(out), "--yes")
    card = out.read_text(encoding="utf-8")
    assert "work@example.com" not in card and "private@example.com" in card
