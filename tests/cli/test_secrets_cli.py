"""`pcrm secrets set|rm`: a wrong name is refused before the key is asked for, and `rm` says whether there
was a key to forget [secret-store]."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
import typer


def test_a_wrong_name_is_refused_before_the_key_is_pasted(cli: Any, pcrm_home: Any, monkeypatch: Any) -> None:
    asked: list[str] = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(typer, "prompt", lambda text, **kw: asked.append(text) or "sk-pasted")
    r = cli("secrets", "set", "mapbx", "--json", ok=False)
    err = json.loads(r.stdout)["error"]
    assert err["code"] == "validation_error" and "apollo, mapbox" in err["hint"]
    assert asked == []


@pytest.mark.parametrize("stored", [False, True])
def test_rm_says_whether_there_was_a_key(cli: Any, pcrm_home: Any, stored: bool) -> None:
    if stored:
        cli("secrets", "set", "mapbox", input="sk.mapbox-test\n")
    assert (
        cli("secrets", "rm", "mapbox").stdout == f"secret mapbox {'removed' if stored else 'was not set'}\n"
    )
    assert cli.json("secrets", "rm", "mapbox")["data"] == {"name": "mapbox", "deleted": False}


def test_encrypt_without_a_terminal_or_a_piped_passphrase_is_refused_with_a_hint(
    cli: Any, pcrm_home: Any, monkeypatch: Any
) -> None:
    """click's prompt read the empty stdin and said only "Aborted!"; now an error, a hint, nothing changed."""
    from pcrm import secrets

    monkeypatch.setattr(secrets, "_passphrase", {})  # what this test encrypts is not remembered after it
    monkeypatch.setattr(secrets, "_prompt", None)
    secrets.put("jwt_secret", "s3cret-value")
    before = secrets.file_path().read_bytes()
    r = cli("secrets", "encrypt", ok=False)
    assert r.exit_code == 1 and "Aborted" not in r.stderr
    assert r.stderr.startswith("error: not at a terminal") and "\nhint: " in r.stderr
    assert secrets.file_path().read_bytes() == before
    assert cli("secrets", "encrypt", "--json", input="correct horse\n").exit_code == 0  # piped: taken
    assert b'"encrypted"' in secrets.file_path().read_bytes()
