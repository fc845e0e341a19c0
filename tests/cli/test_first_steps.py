"""First steps [me-setting]: `pcrm init` asks for your own name at a terminal (--me otherwise), `settings set
me` takes plain text, and a bad value's hint names that command; settings tables never wrap a key."""

from __future__ import annotations

from typing import Any

import pytest

from pcrm.cli import setup

ME_QUESTION = "Your name as your chats show it"


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(setup, "is_terminal", lambda: True)


def _me(cli: Any) -> Any:
    return cli.json("settings", "show", "me")["data"]["me"]


def test_init_asks_for_me_at_a_terminal(cli: Any, terminal: Any) -> None:
    r = cli("init", input="none\nAda Lovelace, ada@example.com\n")
    assert ME_QUESTION in r.stderr and ME_QUESTION not in r.stdout
    assert "me Ada Lovelace, ada@example.com" in r.stdout
    assert _me(cli) == {"names": ["Ada Lovelace"], "emails": ["ada@example.com"], "phones": [], "handles": []}


def test_init_without_a_terminal_takes_me_from_the_flag_or_says_how(cli: Any) -> None:
    r = cli("init")
    assert ME_QUESTION not in r.stderr
    assert "me not set" in r.stdout and 'hint: pcrm settings set me "Your Name' in r.stderr
    env = cli.json("init", "--me", "Grace Hopper")
    assert env["meta"]["me"]["names"] == ["Grace Hopper"]


def test_an_empty_answer_skips_and_an_existing_store_is_not_asked(cli: Any, terminal: Any) -> None:
    cli("init", input="none\n\n")
    assert _me(cli)["names"] == []
    r = cli("init")
    assert ME_QUESTION not in r.stderr


def test_settings_set_me_takes_plain_text(cli: Any) -> None:
    cli("init")
    cli("settings", "set", "me", "Ada Lovelace, Ada King, ada@example.com, +12025550123, @ada")
    assert _me(cli) == {
        "names": ["Ada Lovelace", "Ada King"],
        "emails": ["ada@example.com"],
        "phones": ["+12025550123"],
        "handles": ["ada"],
    }
    cli("settings", "set", "me", '{"names": ["Countess"]}')  # JSON still works
    assert _me(cli)["names"] == ["Countess"]
    bad = cli("settings", "set", "me", "{not json", ok=False)
    assert 'hint: pcrm settings set me "Ada Lovelace, ada@example.com"' in bad.stderr


def test_settings_table_at_80_columns_never_wraps_a_key(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    cli("init")
    monkeypatch.setenv("COLUMNS", "80")
    from pcrm.cli import settings as settings_cli

    monkeypatch.setattr(settings_cli, "resolve_format", lambda *a: ("table", False, False))
    lines = cli("settings", "show").stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    keys = [line.split()[0] for line in lines[1:] if line.strip()]
    assert "suggestions.max_suggestions" in keys and "me" in keys
