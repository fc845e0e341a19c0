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
