"""Inputs that are not files: `pcrm import /dev/zero` ended in MemoryError and a FIFO hung forever. Only
regular files (and folders, for the formats that read folders) are imported; anything else is refused
at once, without reading it [regular-files]."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="devices and FIFOs")


def _pcrm(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PCRM_HOME": str(home), "PYTHONPATH": os.getcwd()}
    # a timeout, so a regression fails the test instead of hanging the suite
    cmd = [sys.executable, "-m", "pcrm", *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("kind", ["device", "fifo", "symlink to a device"])
def test_a_device_or_a_fifo_is_refused_at_once(pcrm_home: Path, tmp_path: Path, kind: str) -> None:
    if kind == "device":
        target = Path("/dev/zero")
    elif kind == "fifo":
        target = tmp_path / "contacts.csv"
        os.mkfifo(target)
    else:
        target = tmp_path / "contacts.vcf"
        target.symlink_to("/dev/zero")
    r = _pcrm(pcrm_home, "import", str(target), "--json")
    assert r.returncode == 1, r.stderr
    assert "is not a regular file" in r.stderr, r.stderr


def test_read_regular_reads_at_most_the_size_it_had(tmp_path: Path) -> None:
    from pcrm.errors import BadRequest
    from pcrm.formats.base import read_regular

    f = tmp_path / "a.csv"
    f.write_bytes(b"Name\nAda\n")
    assert read_regular(f) == b"Name\nAda\n"
    with pytest.raises(BadRequest, match="up to 0 MB"):
        read_regular(f, limit=4)


def test_a_fifo_inside_a_vcard_folder_is_skipped(imp: Any, tmp_path: Path) -> None:
    folder = tmp_path / "vdir"
    folder.mkdir()
    (folder / "ada.vcf").write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ada Lovelace\nEND:VCARD\n")
    os.mkfifo(folder / "trap.vcf")
    rep = imp(folder)["data"]
    assert rep["contacts_created"] == 1
