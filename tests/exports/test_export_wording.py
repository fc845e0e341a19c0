"""What `pcrm export`, `pcrm import` and `pcrm import undo` say: a count takes its noun in the number it
takes (`wrote 1 contact`, `1 row problem`, `removed 2 contacts`), and a vdir export says it wrote files."""

from __future__ import annotations

from pathlib import Path


def _one_contact(cli) -> None:
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.org")


def test_exports_of_one_contact_say_one_contact(cli, tmp_path: Path) -> None:
    _one_contact(cli)
    for fmt, suffix in (("csv", "csv"), ("json", "json"), ("vcard", "vcf")):
        out = tmp_path / f"one.{suffix}"
        said = " ".join(cli("export", fmt, "--output", str(out)).stderr.split())
        assert said.startswith("wrote 1 contact ") and "contacts" not in said, said
        assert " bytes)" in said
    folder = tmp_path / "vdir"
    said = " ".join(cli("export", "vcard", "--dir", "--output", str(folder)).stderr.split())
    assert said.startswith(f"wrote 1 vCard 3.0 file (one per contact) in {folder} ("), said
    cli("contacts", "add", "--name", "Grace Hopper")
    said = " ".join(cli("export", "vcard", "--dir", "--output", str(tmp_path / "two")).stderr.split())
    assert said.startswith("wrote 2 vCard 3.0 files (one per contact) in "), said


def test_an_import_and_its_undo_count_in_the_singular_for_one(cli, tmp_path: Path) -> None:
    card = tmp_path / "two.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.org\r\nEMAIL;TYPE=work:n/a\r\n"
        "END:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.org\r\nNOTE:again\r\n"
        "END:VCARD\r\n"
    )
    got = cli("import", str(card))
    said = " ".join(got.stdout.split())
    assert "1 new contact, 1 row folded into new ones" in said and "row(s)" not in said, said
    assert "1 row problem:" in got.stderr and "problems" not in got.stderr, got.stderr
    batch = said.split("undo with: pcrm import undo ")[1].split()[0]
    undone = " ".join(cli("import", "undo", batch, "--yes").stdout.split())
    assert "removed 1 contact, 0 interactions, 0 events, 0 organizations; reverted 0 contacts" in undone, (
        undone
    )
