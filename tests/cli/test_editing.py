"""Small things people expect: `note add CONTACT -` reads stdin, `--clear` takes option names as typed,
`pcrm --version`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from tests.support.crm import Crm


def test_note_add_dash_reads_the_note_from_stdin(crm: Crm) -> None:
    crm.add("Ada Lovelace")
    out = crm.cli("note", "add", "ada", "-", "--json", input="lunch at the\nBritish Library\n")
    note = json.loads(out.stdout)["data"]
    assert note["content_preview"] == "lunch at the\nBritish Library"


def test_clear_takes_option_names_as_typed(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--given-name", "Ada", "--title", "Countess", "--email", "ada@example.com")
    crm.cli(
        "contacts",
        "edit",
        "ada@example.com",
        "--clear",
        "--given-name",
        "--clear",
        "title",
        "--clear",
        "email",
    )
    ada = crm.show("Ada Lovelace")
    assert ada["given_name"] is None and ada["title"] is None and ada["emails"] == []


def test_version_flag(tmp_path: Any) -> None:
    from pcrm import __version__

    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", os.getcwd())}
    for flag in ("--version", "-V"):
        r = subprocess.run(
            [sys.executable, "-m", "pcrm", flag], capture_output=True, text=True, env=env, check=True
        )
        assert r.stdout.strip() == __version__
