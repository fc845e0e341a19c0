"""Start-up stays light: `pcrm --help`, `pcrm contacts list` and `pcrm contacts map` import none of the
heavy optional libraries, and map nothing list does not. Checked in a fresh interpreter, since earlier
tests fill this process's sys.modules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli._fresh import made_store, run_main

HEAVY = (
    "pydantic",  # typer 0.29 coerces option values through it; pcrm.cli._fast answers the plain cases
    "phonenumbers",  # ~40 ms: only commands that parse a number or set phone_region import it
    "googleapiclient",
    "google_auth_oauthlib",
    "telethon",
    "llm",
    "openai",
    "mcp",
    "starlette",
    "uvicorn",
    "apscheduler",
    "rapidfuzz",  # ~15 ms with the identity rules it comes with: only writes and identity commands need it
)


def run_pcrm(args: list[str], home: Path, watch: tuple[str, ...] = HEAVY) -> dict:
    """`python -m pcrm ARGS` in a fresh interpreter, and which of the `watch` packages it imported."""
    if not (home / "pcrm.db").exists():  # the everyday case: a store in place (reads make none)
        made_store(home)
    r = run_main(args, home, {"NO_COLOR": "1", "PCRM_NOW": "2026-06-15T12:00:00Z"})
    return {**r, "loaded": sorted({m.split(".")[0] for m in r["new"]} & set(watch))}


MAP = ["contacts", "map", "--bbox=-0.3,51.4,0.1,51.6"]  # bench/cli_timing.py's, a 100 ms target


@pytest.mark.parametrize("args", [["--help"], ["contacts", "list", "--format", "table"], [*MAP, "--json"]])
def test_cli_start_up_imports_nothing_heavy(tmp_path, args):
    r = run_pcrm(args, tmp_path / "home")
    assert r["code"] == 0, r["stderr"]
    assert r["loaded"] == [], f"`pcrm {' '.join(args)}` imported {r['loaded']}"
    assert r["stdout"].strip()


def test_contacts_map_imports_no_more_of_pcrm_than_contacts_list(tmp_path):
    """`contacts map` lives beside bulk-update, reconcile and promote: what only they use (services.bulk,
    and the organizations, identity and suggestions code under it) stays out of its start-up."""
    home = tmp_path / "home"
    listed = run_pcrm(["contacts", "list", "--json"], home)
    mapped = run_pcrm([*MAP, "--json"], home)
    assert mapped["code"] == 0, mapped["stderr"]
    assert json.loads(mapped["stdout"])["data"] == []
    extra = sorted(m for m in set(mapped["new"]) - set(listed["new"]) if m.startswith("pcrm."))
    assert extra == ["pcrm.cli.contacts_views"], extra


def test_the_check_sees_what_a_command_imports(tmp_path):
    """Guard against a check that cannot fail: the same wrapper does see typer, pcrm.store and apsw, and
    the command really ran against a store."""
    r = run_pcrm(["contacts", "list", "--json"], tmp_path / "home", watch=("typer", "apsw", "pcrm"))
    assert r["loaded"] == ["apsw", "pcrm", "typer"]
    assert json.loads(r["stdout"]) == {
        "data": [],
        "error": None,
        "meta": {
            "total": 0,
            "page": 1,
            "page_size": 20,
            "total_pages": 1,
            "total_is_estimate": False,
            "has_more": False,
        },
    }
    assert (tmp_path / "home" / "pcrm.db").exists()


def test_heavy_modules_stay_out_of_cli_start_up() -> None:
    import subprocess
    import sys

    code = (
        "import sys, pcrm.cli; heavy = [m for m in ('starlette', 'uvicorn', 'jwt', 'argon2', 'keyring', "
        "'cryptography', 'pydantic', 'httpx', 'multipart') if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["note", "add", "Nobody Here", "x"], "hint: search with `pcrm contacts list --search Nobody`"),
        (["interactions", "list", "Ada Lovelac"], "hint: did you mean Ada Lovelace ("),
    ],
)
def test_a_contact_reference_that_fits_nobody_imports_no_name_distances(
    cli: Any, pcrm_home: Path, args: list[str], said: str
) -> None:
    """`pcrm note add "Nobody Here" x` took ~20 ms more than a hit: the reference's last tries (the words
    of a name, its Latin spelling) imported the identity rules with rapidfuzz, whose distances they never
    use [contact-references]. The miss says so, with its hint ("did you mean" for a near one), without it."""
    cli("contacts", "add", "--name", "Ada Lovelace")
    r = run_pcrm(args, pcrm_home)
    assert r["code"] == 1, r["stderr"]
    assert r["stderr"].startswith("error: no contact matches") and said in r["stderr"], r["stderr"]
    assert r["loaded"] == [], f"`pcrm {' '.join(args)}` imported {r['loaded']}"
