"""Where `pcrm export ... --output` may write: never over the store's own files, an existing file only once
the user agreed or gave --yes [confirm-destructive], a new file in a folder [private-files]."""

from __future__ import annotations

import pytest

from pcrm.cli import _output
from tests.support.imports import NOW


@pytest.fixture
def filled(cli, fx):
    cli("import", str(fx / "contacts_alt.csv"), "--now", NOW)


@pytest.mark.parametrize("fmt", ["json", "csv", "vcard", "ics"])
@pytest.mark.parametrize("name", ["pcrm.db", "pcrm.db-wal", "secrets.bin"])
def test_an_export_never_lands_on_the_store_itself(cli, filled, pcrm_home, fmt, name, dump):
    before = dump()
    target = pcrm_home / name
    existed = target.read_bytes() if target.exists() else None
    res = cli.json("export", fmt, "--output", str(pcrm_home / "." / name), "--yes", ok=False)
    assert res["error"]["code"] == "bad_request"
    assert "part of the pcrm store" in res["error"]["message"] and res["error"]["hint"]
    if name != "pcrm.db-wal":  # SQLite removes the -wal when the last connection closes
        assert (target.read_bytes() if target.exists() else None) == existed
    assert dump() == before  # the store still opens and holds the same rows


@pytest.mark.parametrize("fmt", ["json", "csv", "vcard", "ics"])
def test_an_existing_file_is_kept_unless_the_user_says_yes(cli, filled, tmp_path, fmt):
    keep = tmp_path / "precious.txt"
    keep.write_text("precious")
    res = cli.json("export", fmt, "--output", str(keep), ok=False)
    assert res["error"]["details"] == {"confirmation": "required"}
    assert res["error"]["hint"] == "add --yes to go ahead"
    assert keep.read_text() == "precious"

    res = cli.json("export", fmt, "--output", str(keep), "--yes")
    assert res["data"]["path"] == str(keep) and keep.stat().st_size == res["data"]["bytes"] > 8
    assert keep.stat().st_mode & 0o777 == 0o600


def test_at_a_terminal_the_user_is_asked(cli, filled, tmp_path, monkeypatch):
    monkeypatch.setattr(_output, "at_terminal", lambda: True)
    keep = tmp_path / "contacts.csv"
    keep.write_text("precious")
    res = cli("export", "csv", "--output", str(keep), input="n\n", ok=False)
    assert "Replace" in res.stderr and keep.read_text() == "precious"
    cli("export", "csv", "--output", str(keep), input="y\n")
    assert keep.read_text().startswith("id,full_name")


def test_exports_into_a_folder_in_the_same_second_both_stay(cli, filled, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    written = [cli.json("export", "csv", "--output", str(folder), "--now", NOW)["data"]["path"] for _ in "ab"]
    assert sorted(str(p) for p in folder.iterdir()) == sorted(written) and len(set(written)) == 2


def test_a_vdir_over_a_file_is_refused_cleanly(cli, filled, tmp_path):
    keep = tmp_path / "contacts.vcf"
    keep.write_text("precious")
    res = cli.json("export", "vcard", "--dir", "--output", str(keep), ok=False)
    assert res["error"]["code"] == "validation_error" and res["error"]["hint"]
    assert keep.read_text() == "precious"


@pytest.mark.parametrize(
    ("args", "first"),
    [
        (("export", "vcard"), "BEGIN:VCARD"),
        (("export", "csv"), "full_name"),
        (("export", "json"), "{"),
        (("calendar", "export"), "BEGIN:VCALENDAR"),
    ],
)
def test_output_dash_is_stdout_not_a_file_named_dash(cli, filled, tmp_path, monkeypatch, args, first):
    monkeypatch.chdir(tmp_path)
    out = cli(*args, "--output", "-").output
    assert first in out.lstrip()[:400]
    assert not (tmp_path / "-").exists()
