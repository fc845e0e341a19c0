"""An export's filters take archived contacts as the contact list does [archived-exports]: left out unless
asked for with --include-archived or --archived-only (every format that filters: csv, vcard and a vdir),
said on stderr and in meta when some matched, an error with a hint when only archived ones did; without
filters every contact is exported, archived ones too."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.support.crm import Crm


@pytest.fixture
def climbers(crm: Crm) -> Crm:
    crm.add("Ada Lovelace", "--tag", "climbing", "--email", "ada@example.org")
    crm.add("Grace Hopper", "--tag", "climbing", "--email", "grace@example.org")
    crm.add("Alan Turing", "--tag", "climbing", "--priority", "archived", "--email", "alan@example.org")
    crm.add("Edsger Dijkstra", "--tag", "climbing", "--priority", "archived", "--email", "ed@example.org")
    crm.add("Hedy Lamarr", "--tag", "solo", "--priority", "archived", "--email", "hedy@example.org")
    return crm


def _names(path: Path, fmt: str) -> set[str]:
    text = path.read_text(encoding="utf-8")
    if fmt == "csv":
        return {r["full_name"] for r in csv.DictReader(io.StringIO(text))}
    return {line[3:] for line in text.splitlines() if line.startswith("FN:")}


@pytest.mark.parametrize("fmt", ["csv", "vcard"])
def test_a_filter_says_which_archived_contacts_it_left_out(climbers: Crm, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"f.{fmt}"
    r = climbers.cli("export", fmt, "--tag", "climbing", "--output", str(out), "--yes")
    assert _names(out, fmt) == {"Ada Lovelace", "Grace Hopper"}
    assert "left out 2 archived contacts that match; add --include-archived to export them too" in r.stderr
    r = climbers.cli("export", fmt, "--tag", "climbing", "--include-archived", "--output", str(out), "--yes")
    assert _names(out, fmt) == {"Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra"}
    assert "left out" not in r.stderr
    climbers.cli("export", fmt, "--tag", "climbing", "--archived-only", "--output", str(out), "--yes")
    assert _names(out, fmt) == {"Alan Turing", "Edsger Dijkstra"}
    climbers.cli("export", fmt, "--archived-only", "--output", str(out), "--yes")
    assert _names(out, fmt) == {"Alan Turing", "Edsger Dijkstra", "Hedy Lamarr"}
    climbers.cli("export", fmt, "--output", str(out), "--yes")  # no filter: every contact
    assert len(_names(out, fmt)) == 5
    summary = climbers.cli.json("export", fmt, "--tag", "climbing", "--output", str(out), "--yes")
    assert summary["meta"]["archived_left_out"] == 2 and summary["data"]["contacts"] == 2


@pytest.mark.parametrize("fmt", ["csv", "vcard"])
def test_a_tag_only_archived_contacts_carry_writes_no_empty_file(
    climbers: Crm, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"f.{fmt}"
    r = climbers.cli("export", fmt, "--tag", "solo", "--output", str(out), "--yes", ok=False)
    assert "no contacts match, but 1 archived contact does" in r.stderr
    assert "add --include-archived to export it" in r.stderr
    assert not out.exists()
    climbers.cli("export", fmt, "--tag", "solo", "--include-archived", "--output", str(out), "--yes")
    assert _names(out, fmt) == {"Hedy Lamarr"}


def test_a_vcard_folder_takes_the_archived_options(climbers: Crm, tmp_path: Path) -> None:
    folder = tmp_path / "vdir"
    r = climbers.cli("export", "vcard", "--dir", "--tag", "climbing", "--output", str(folder))
    assert len(list(folder.glob("*.vcf"))) == 2 and "left out 2 archived contacts" in r.stderr
    r = climbers.cli(
        "export", "vcard", "--dir", "--tag", "solo", "--include-archived", "--output", str(tmp_path / "v2")
    )
    assert len(list((tmp_path / "v2").glob("*.vcf"))) == 1


def test_priority_archived_names_options_the_export_has(climbers: Crm) -> None:
    r = climbers.cli("export", "csv", "--priority", "archived", ok=False)
    assert "--archived-only" in r.stderr and "--include-archived" in r.stderr
    assert "pcrm contacts list" not in r.stderr
