"""Errors say what the user typed: a bad --at or --until named the API's field (`occurred_at must be a date
...`, `snooze_until must be in the future`) instead of the option [cli-failures]; and the examples in
hints named `ada`, which fits 6 contacts of the demo store, so pasting one gave an ambiguity error."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from tests.cli.test_examples import NOW, demo_home  # noqa: F401 - the session's demo store, a fixture
from tests.support.crm import Crm
from tests.support.demo import copy_store
from tests.support.world import NOW as WORLD_NOW
from tests.support.world import due_history


@pytest.mark.parametrize(
    ("args", "option", "field"),
    [
        (["log", "Ada Lovelace", "hi", "--at", "garbage"], "--at", "occurred_at"),
        (["note", "add", "Ada Lovelace", "hi", "--at", "garbage"], "--at", "occurred_at"),
        (["send", "Ada Lovelace", "hi", "--at", "2020-01-01"], "--at", "scheduled_for"),
    ],
)
def test_a_time_option_s_error_names_the_option(crm: Crm, args: list[str], option: str, field: str) -> None:
    crm.add("Ada Lovelace")
    r = crm.cli(*args, ok=None)
    assert r.exit_code == 1
    said = r.stderr.splitlines()[0]
    assert said.startswith(f"error: {option} ") and field not in r.stderr, r.stderr
    # --json keeps the API's terms: the envelope names the field
    env = json.loads(crm.cli(*args, "--json", ok=None).stdout)
    assert env["error"]["details"]["fields"][0]["field"] == field
    assert env["error"]["message"].startswith(field)


def test_snooze_until_names_until(cli, world) -> None:  # type: ignore[no-untyped-def]
    world.contact("Grace Hopper", history=due_history())
    cli.json("suggestions", "generate", "--now", WORLD_NOW)
    for until, says in (("garbage", "must be a date or time"), ("2020-01-01", "must be in the future")):
        r = cli("suggestions", "snooze", "Grace Hopper", "--until", until, "--now", WORLD_NOW, ok=False)
        assert r.stderr.startswith(f"error: --until {says}") and "snooze_until" not in r.stderr, r.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["note", "add", "Ada Lovelace", " "],
        ["contacts", "bulk-update", "--priority", "low"],
        ["contacts", "bulk-update", "Ada Lovelace", "--where", "tag=mentor", "--priority", "low"],
        ["contacts", "edit", "Ada Lovelace", "--email", "a@b.example", "--add-email", "c@d.example"],
        ["send", "Ada Lovelace", " "],
    ],
)
def test_a_hint_s_example_names_one_demo_contact(
    args: list[str],
    demo_home: Path,  # noqa: F811
    pcrm_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.testing import CliRunner

    from pcrm.cli import app

    copy_store(demo_home, pcrm_home)
    monkeypatch.setenv("PCRM_NOW", NOW)
    r = CliRunner().invoke(app, args)
    assert r.exit_code in (1, 2), r.output
    hint = " ".join(r.stderr.split()).partition("hint: ")[2]
    example = re.search(r"e\.g\. (pcrm .*)$", hint)
    assert example, hint
    words = shlex.split(example.group(1))[1:]
    ran = CliRunner().invoke(app, words)
    assert " matches " not in ran.stderr and "no contact matches" not in ran.stderr, (words, ran.stderr)
