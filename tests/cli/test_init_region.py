"""`pcrm init` sets phone_region: from --phone-region, asked at a terminal with the locale's country as the
default, guessed silently elsewhere; an existing store keeps its own. `pcrm paths` shows it
[value-normalisation] [settings-registry]."""

from __future__ import annotations

from typing import Any

import pytest

from pcrm.cli import setup

QUESTION = "Country of phone numbers written without a country code"


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(setup, "is_terminal", lambda: True)


def _region(cli: Any) -> Any:
    return cli.json("settings", "show", "phone_region")["data"]["phone_region"]


def test_the_flag_sets_the_region_in_any_case(cli, pcrm_home):
    env = cli.json("init", "--phone-region", "gb")
    assert env["data"]["phone_region"] == "GB"
    assert env["meta"]["phones"]["checked"] == 0
    assert cli.json("paths")["data"]["phone_region"] == "GB"
    assert "phone_region GB: numbers without a country code are read as GB" in cli("paths").stdout
    assert "phone_region GB" in cli("init").stdout  # run again: kept


def test_a_bad_flag_is_refused_with_a_hint_before_any_store_exists(cli, pcrm_home):
    r = cli("init", "--phone-region", "UK", ok=False)
    assert r.exit_code == 1
    assert r.stderr.startswith("error: ") and "hint: did you mean GB?" in r.stderr
    assert not (pcrm_home / "pcrm.db").exists()
    env = cli.json("init", "--phone-region", "Narnia", ok=False)
    assert env["error"]["code"] == "validation_error" and "ISO 3166" in env["error"]["hint"]


def test_at_a_terminal_init_asks_with_the_locale_as_default(cli, terminal, monkeypatch):
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    r = cli("init", input="\n\n")
    assert QUESTION in r.stderr and "[GB]" in r.stderr
    assert QUESTION not in r.stdout  # stdout carries the result only
    assert "phone_region GB" in r.stdout
    assert _region(cli) == "GB"


def test_the_prompt_asks_again_after_a_bad_answer(cli, terminal, monkeypatch):
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    r = cli("init", input="UK\nde\n\n")
    assert "did you mean GB?" in r.stderr
    assert _region(cli) == "DE"


def test_the_prompt_accepts_none_and_has_none_as_default_without_a_locale_country(cli, terminal):
    r = cli("init", input="\n\n")  # the tests' locale is C.UTF-8
    assert "[none]" in r.stderr
    assert _region(cli) is None
    assert "pcrm settings set phone_region" in r.stderr  # the hint to set it later


def test_at_a_terminal_the_answer_none_overrides_the_guess(cli, terminal, monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    cli("init", input="none\n\n")
    assert _region(cli) is None


def test_without_a_terminal_the_locale_is_used_silently(cli, monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("LC_ALL", "en_IE.UTF-8")
    r = cli("init")
    assert QUESTION not in r.stderr
    assert _region(cli) == "IE"


def test_without_a_terminal_and_no_locale_country_there_is_no_region(cli, pcrm_home):
    r = cli("init")
    assert QUESTION not in r.stderr and "phone_region not set" in r.stdout
    assert _region(cli) is None


def test_json_never_asks(cli, terminal, monkeypatch):
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    env = cli.json("init")
    assert env["data"]["phone_region"] == "DE"


def test_an_existing_store_keeps_its_region_and_is_not_asked(cli, terminal, monkeypatch):
    cli("init", "--phone-region", "GB", "--me", "Ada")
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    r = cli("init")
    assert QUESTION not in r.stderr
    assert _region(cli) == "GB"
    # an existing store without a region keeps none, too
    cli("settings", "reset", "phone_region")
    cli("init")
    assert _region(cli) is None


def test_init_with_the_flag_on_an_existing_store_normalises_its_numbers(cli, pcrm_home):
    cli("init")
    cli("contacts", "add", "--name", "Ann", "--phone", "07700 900123")
    env = cli.json("init", "--phone-region", "GB")
    assert env["data"]["phone_region"] == "GB"
    phones = env["meta"]["phones"]
    assert (phones["from"], phones["to"], phones["changed"]) == (None, "GB", 1)
    assert phones["examples"][0]["to"] == "+447700900123"
    r = cli("init", "--phone-region", "DE")
    assert "1 stored number checked under region DE: 1 changed" in " ".join(r.stderr.split())


def test_paths_shows_no_region_and_creates_nothing_before_init(cli, pcrm_home):
    assert cli.json("paths")["data"]["phone_region"] is None
    r = cli("paths")
    assert "phone_region not set" in r.stdout and "pcrm init --phone-region" in r.stderr
    assert not pcrm_home.exists()
